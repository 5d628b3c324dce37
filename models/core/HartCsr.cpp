// Privileged architecture: CSRs with their access rules, traps, interrupts, xRET, WFI, SFENCE.VMA.
#include "models/core/Hart.h"

namespace sv39sim {

namespace {
constexpr uint64_t kMisa = (2ull << 62) | (1u << ('a' - 'a')) | (1u << ('c' - 'a')) | (1u << ('i' - 'a')) |
                           (1u << ('m' - 'a')) | (1u << ('s' - 'a')) | (1u << ('u' - 'a'));
constexpr uint64_t kSatpModeShift = 60, kSatpAsidMask = 0xffffull << 44, kSatpPpnMask = (1ull << 44) - 1;
}  // namespace

const char* cause::name(uint64_t mcause) {
  static const char* const kExceptions[16] = {
      "misaligned_fetch", "fetch_access",    "illegal_instruction", "breakpoint",
      "misaligned_load",  "load_access",     "misaligned_store",    "store_access",
      "ecall_u",          "ecall_s",         "reserved_10",         "ecall_m",
      "fetch_page_fault", "load_page_fault", "reserved_14",         "store_page_fault"};
  static const char* const kInterrupts[12] = {"irq_0", "ssi", "irq_2", "msi", "irq_4",  "sti",
                                              "irq_6", "mti", "irq_8", "sei", "irq_10", "mei"};
  const uint64_t code = mcause & ~kInterrupt;
  if (mcause & kInterrupt) return code < 12 ? kInterrupts[code] : "irq_other";
  return code < 16 ? kExceptions[code] : "exception_other";
}

void Hart::context_changed() {
  mmu_.close_data_window(data_window_);  // every trap and xRET comes here, between runs of run_fast too
  mmu_.set_context(priv_, mstatus_, satp_);
}

void Hart::set_interrupt_line(unsigned irq, bool level) {
  const uint64_t bit = 1ull << irq;
  mip_hw_ = level ? (mip_hw_ | bit) : (mip_hw_ & ~bit);
  request_stop();  // re-evaluate interrupts before the next instruction
}

namespace {
Access fault_access(uint64_t mcause) {
  switch (mcause) {
    case cause::kMisalignedFetch:
    case cause::kFetchAccess:
    case cause::kFetchPageFault: return Access::Fetch;
    case cause::kMisalignedLoad:
    case cause::kLoadAccess:
    case cause::kLoadPageFault: return Access::Load;
    default: return Access::Store;
  }
}
}  // namespace

// Trap entry as events: a Fault first for memory faults, then TrapEnter with the privilege change.
void Hart::publish_trap(uint64_t mcause, uint64_t tval, Priv from, uint64_t epc) const {
  EventBus* bus = mmu_.events();
  Event e;
  e.unit = Unit::Hart;
  e.time_ps = mmu_.now_ps();
  e.aux = mcause;
  e.va = tval;
  if (cause::is_memory_fault(mcause) && bus->wants(EventKind::Fault)) {
    e.kind = EventKind::Fault;
    e.access = static_cast<uint8_t>(fault_access(mcause));
    bus->publish(e);
  }
  if (bus->wants(EventKind::TrapEnter)) {
    e.kind = EventKind::TrapEnter;
    e.access = 0;
    e.pa = epc;
    e.priv = static_cast<uint8_t>(from);
    e.priv_to = static_cast<uint8_t>(priv_);
    bus->publish(e);
  }
}

void Hart::publish_xret(bool sret, Priv from) const {
  EventBus* bus = mmu_.events();
  if (!bus || !bus->wants(EventKind::TrapReturn)) return;
  Event e;
  e.kind = EventKind::TrapReturn;
  e.unit = Unit::Hart;
  e.time_ps = mmu_.now_ps();
  e.pa = pc_;
  e.priv = static_cast<uint8_t>(from);
  e.priv_to = static_cast<uint8_t>(priv_);
  e.outcome = sret ? 1 : 0;
  bus->publish(e);
}

void Hart::take_trap(uint64_t mcause, uint64_t tval) {
  const bool interrupt = (mcause & cause::kInterrupt) != 0;
  const uint64_t code = mcause & ~cause::kInterrupt;
  ++trap_counts_[interrupt ? 64 + (code & 15) : (code & 63)];
  if (!interrupt) ++exceptions_;
  const Priv from = priv_;
  const uint64_t epc = pc_;
  reservation_valid_ = false;
  wfi_ = false;
  const uint64_t deleg = interrupt ? mideleg_ : medeleg_;
  if (priv_ != Priv::M && ((deleg >> code) & 1)) {
    sepc_ = pc_;
    scause_ = mcause;
    stval_ = tval;
    uint64_t s = mstatus_ & ~(mstatus::kSpie | mstatus::kSie | mstatus::kSpp);
    if (mstatus_ & mstatus::kSie) s |= mstatus::kSpie;
    if (priv_ == Priv::S) s |= mstatus::kSpp;
    mstatus_ = s;
    priv_ = Priv::S;
    pc_ = (stvec_ & ~3ull) + ((stvec_ & 1) && interrupt ? 4 * code : 0);
  } else {
    mepc_ = pc_;
    mcause_ = mcause;
    mtval_ = tval;
    uint64_t m = mstatus_ & ~(mstatus::kMpie | mstatus::kMie | mstatus::kMpp);
    if (mstatus_ & mstatus::kMie) m |= mstatus::kMpie;
    m |= static_cast<uint64_t>(priv_) << mstatus::kMppShift;
    mstatus_ = m;
    priv_ = Priv::M;
    pc_ = (mtvec_ & ~3ull) + ((mtvec_ & 1) && interrupt ? 4 * code : 0);
  }
  context_changed();
  if (trigger_modes_) limit_ = 0;  // the new privilege may need the other run loop
  if (mmu_.events()) publish_trap(mcause, tval, from, epc);
}

// Sstc: STIP is time >= stimecmp (unsigned). Below it, the run loop and a WFI stop at the cycle time
// reaches stimecmp (TimeSource::cycle_at_mtime), where this runs again.
void Hart::update_supervisor_timer() {
  const uint64_t now = time_ ? time_->mtime_at_cycle(cycle_) : 0;
  if (now >= stimecmp_) {
    stip_timer_ = irq::kStip;
    timer_deadline_ = UINT64_MAX;
  } else {
    stip_timer_ = 0;
    timer_deadline_ = time_ ? time_->cycle_at_mtime(stimecmp_, cycle_) : UINT64_MAX;
  }
}

bool Hart::check_interrupts() {
  const uint64_t pending = mip() & mie_;
  if (pending == 0) return false;
  const bool m_enabled = priv_ != Priv::M || (mstatus_ & mstatus::kMie);
  const bool s_enabled = priv_ == Priv::U || (priv_ == Priv::S && (mstatus_ & mstatus::kSie));
  uint64_t take = m_enabled ? pending & ~mideleg_ : 0;
  if (take == 0 && s_enabled) take = pending & mideleg_;
  if (take == 0) return false;
  // Priority order of the privileged spec: MEI, MSI, MTI, SEI, SSI, STI.
  for (unsigned i : {irq::kMei, irq::kMsi, irq::kMti, irq::kSei, irq::kSsi, irq::kSti}) {
    if ((take >> i) & 1) {
      take_trap(cause::kInterrupt | i, 0);
      return true;
    }
  }
  return false;
}

void Hart::do_mret(const DecodedInsn& d) {
  if (priv_ != Priv::M) return illegal(d);
  const Priv target = static_cast<Priv>((mstatus_ & mstatus::kMpp) >> mstatus::kMppShift);
  uint64_t m = mstatus_ & ~(mstatus::kMie | mstatus::kMpp);
  if (mstatus_ & mstatus::kMpie) m |= mstatus::kMie;
  m |= mstatus::kMpie;  // MPP becomes U, the least-privileged mode
  if (target != Priv::M) m &= ~mstatus::kMprv;
  const Priv from = priv_;
  mstatus_ = m;
  priv_ = target;
  pc_ = mepc_;
  reservation_valid_ = false;
  ++instret_;
  request_stop();
  context_changed();
  publish_xret(false, from);
}

void Hart::do_sret(const DecodedInsn& d) {
  if (priv_ == Priv::U || (priv_ == Priv::S && (mstatus_ & mstatus::kTsr))) return illegal(d);
  const Priv target = (mstatus_ & mstatus::kSpp) ? Priv::S : Priv::U;
  uint64_t m = mstatus_ & ~(mstatus::kSie | mstatus::kSpp | mstatus::kMprv);
  if (mstatus_ & mstatus::kSpie) m |= mstatus::kSie;
  m |= mstatus::kSpie;
  const Priv from = priv_;
  mstatus_ = m;
  priv_ = target;
  pc_ = sepc_;
  reservation_valid_ = false;
  ++instret_;
  request_stop();
  context_changed();
  publish_xret(true, from);
}

void Hart::do_wfi(const DecodedInsn& d) {
  // With S-mode present, U-mode WFI and S-mode WFI under TW fail at once (a time limit of zero).
  if (priv_ == Priv::U || (priv_ == Priv::S && (mstatus_ & mstatus::kTw))) return illegal(d);
  pc_ = next_pc_;
  ++instret_;
  if (!wake_pending()) {
    wfi_ = true;
    request_stop();
  }
}

void Hart::do_sfence(const DecodedInsn& d) {
  if (priv_ == Priv::U || (priv_ == Priv::S && (mstatus_ & mstatus::kTvm))) return illegal(d);
  SfenceReq req;
  req.has_va = d.rs1 != 0;
  req.va = x_[d.rs1];
  req.has_asid = d.rs2 != 0;
  // ASID bits at and above ASIDLEN (mmu.asid_bits) are ignored (privileged spec, SFENCE.VMA).
  req.asid = static_cast<uint16_t>(x_[d.rs2] & ((1ull << mmu_.config().asid_bits) - 1));
  mmu_.sfence(req);  // the decode cache is physically tagged: translations do not affect it
  pc_ = next_pc_;
  ++instret_;
}

void Hart::do_csr(const DecodedInsn& d) {
  const uint16_t num = static_cast<uint16_t>(d.imm);
  const bool imm_form = d.op == Op::Csrrwi || d.op == Op::Csrrsi || d.op == Op::Csrrci;
  const bool is_write_op = d.op == Op::Csrrw || d.op == Op::Csrrwi;
  // CSRRS/CSRRC with rs1=x0 (or uimm=0) read only, so they may touch read-only CSRs.
  const bool writes = is_write_op || d.rs1 != 0;
  uint64_t old = 0;
  if (!csr_accessible(num, writes) || !csr_read(num, &old)) return illegal(d);
  if (writes) {
    const uint64_t src = imm_form ? d.rs1 : x_[d.rs1];
    // Only the software-writable SEIP bit takes part in a read-modify-write of mip (the spec's rule),
    // so setting STIP while the PLIC drives SEIP must not latch SEIP in software.
    uint64_t base = old;
    if (num == csr::kMip) base = (old & ~irq::kSeip) | (mip_sw_ & irq::kSeip);
    uint64_t value = src;
    if (d.op == Op::Csrrs || d.op == Op::Csrrsi) value = base | src;
    if (d.op == Op::Csrrc || d.op == Op::Csrrci) value = base & ~src;
    if (!csr_write(num, value)) return illegal(d);
  }
  x_[d.rd] = old;
  pc_ = next_pc_;
  ++instret_;
}

bool Hart::csr_accessible(uint16_t num, bool write) const {
  if (((num >> 8) & 3) > static_cast<unsigned>(priv_)) return false;
  if (write && (num >> 10) == 3) return false;
  if (num == csr::kSatp && priv_ == Priv::S && (mstatus_ & mstatus::kTvm)) return false;
  // Sstc: below M, stimecmp needs both menvcfg.STCE and mcounteren.TM.
  if (num == csr::kStimecmp && priv_ != Priv::M &&
      (!(menvcfg_ & envcfg::kStce) || !(mcounteren_ & counteren::kTm)))
    return false;
  if (num >= csr::kCycle && num <= csr::kHpmcounter31) {
    const unsigned bit = num & 31;
    if (priv_ != Priv::M && !((mcounteren_ >> bit) & 1)) return false;
    if (priv_ == Priv::U && !((scounteren_ >> bit) & 1)) return false;
  }
  return true;
}

bool Hart::csr_read(uint16_t num, uint64_t* v) {
  switch (num) {
    case csr::kSstatus: *v = mstatus_read() & mstatus::kSstatusMask; return true;
    case csr::kSie: *v = mie_ & mideleg_; return true;
    case csr::kStvec: *v = stvec_; return true;
    case csr::kScounteren: *v = scounteren_; return true;
    case csr::kSenvcfg: *v = senvcfg_; return true;
    case csr::kMenvcfg: *v = menvcfg_; return true;
    case csr::kStimecmp:
      if (!sstc_) return false;
      *v = stimecmp_;
      return true;
    case csr::kSscratch: *v = sscratch_; return true;
    case csr::kSepc: *v = sepc_; return true;
    case csr::kScause: *v = scause_; return true;
    case csr::kStval: *v = stval_; return true;
    case csr::kSip:
      sample_supervisor_timer();
      *v = mip() & mideleg_;
      return true;
    case csr::kSatp: *v = satp_; return true;
    case csr::kMstatus: *v = mstatus_read(); return true;
    case csr::kMisa: *v = kMisa; return true;
    case csr::kMedeleg: *v = medeleg_; return true;
    case csr::kMideleg: *v = mideleg_; return true;
    case csr::kMie: *v = mie_; return true;
    case csr::kMtvec: *v = mtvec_; return true;
    case csr::kMcounteren: *v = mcounteren_; return true;
    case csr::kMcountinhibit: *v = 0; return true;
    case csr::kMscratch: *v = mscratch_; return true;
    case csr::kMepc: *v = mepc_; return true;
    case csr::kMcause: *v = mcause_; return true;
    case csr::kMtval: *v = mtval_; return true;
    case csr::kMip:
      sample_supervisor_timer();
      *v = mip();
      return true;
    case csr::kPmpcfg0:
    case csr::kPmpcfg2: *v = mmu_.pmp().read_cfg(num - csr::kPmpcfg0); return true;
    case csr::kMcycle:
    case csr::kCycle: *v = cycle_ - 1 + mcycle_offset_; return true;
    case csr::kMinstret:
    case csr::kInstret: *v = instret_ + minstret_offset_; return true;
    case csr::kTime: *v = time_ ? time_->mtime_at_cycle(cycle_) : 0; return true;
    case csr::kMvendorid:
    case csr::kMarchid:
    case csr::kMimpid:
    case csr::kMconfigptr: *v = 0; return true;
    case csr::kMhartid: *v = hartid_; return true;
    case csr::kTselect: *v = triggers_.tselect(); return true;
    case csr::kTdata1: *v = triggers_.tdata1(); return true;
    case csr::kTdata2: *v = triggers_.tdata2(); return true;
    case csr::kTdata3: *v = 0; return true;  // textra: no extra conditions
    case csr::kTinfo: *v = triggers_.tinfo(); return true;
    default: break;
  }
  if (num >= csr::kPmpaddr0 && num <= csr::kPmpaddr15) {
    *v = mmu_.pmp().read_addr(num - csr::kPmpaddr0);
    return true;
  }
  // Event counters 3..31 are implemented as read-only zero, which the spec allows.
  if ((num >= csr::kMhpmcounter3 && num <= csr::kMhpmcounter31) ||
      (num >= csr::kHpmcounter3 && num <= csr::kHpmcounter31) ||
      (num >= csr::kMhpmevent3 && num <= csr::kMhpmevent31)) {
    *v = 0;
    return true;
  }
  return false;
}

bool Hart::csr_write(uint16_t num, uint64_t v) {
  switch (num) {
    case csr::kSstatus: {
      constexpr uint64_t kMask =
          mstatus::kSie | mstatus::kSpie | mstatus::kSpp | mstatus::kSum | mstatus::kMxr;
      mstatus_ = (mstatus_ & ~kMask) | (v & kMask);
      request_stop();
      context_changed();
      return true;
    }
    case csr::kSie:
      mie_ = (mie_ & ~mideleg_) | (v & mideleg_ & irq::kSupervisor);
      request_stop();
      return true;
    case csr::kStvec: stvec_ = v & ~2ull; return true;
    case csr::kScounteren: scounteren_ = static_cast<uint32_t>(v); return true;
    // FIOM is kept but changes nothing: FENCE already orders every access here (one hart, in order).
    case csr::kSenvcfg: senvcfg_ = v & envcfg::kFiom; return true;
    case csr::kMenvcfg:
      menvcfg_ = v & (envcfg::kFiom | (sstc_ ? envcfg::kStce : 0));
      if (menvcfg_ & envcfg::kStce)
        update_supervisor_timer();
      else
        timer_deadline_ = UINT64_MAX;  // STIP is M's bit again
      request_stop();
      return true;
    case csr::kStimecmp:
      if (!sstc_) return false;
      stimecmp_ = v;
      if (menvcfg_ & envcfg::kStce) {
        update_supervisor_timer();
        request_stop();  // a new deadline, or STIP changed
      }
      return true;
    case csr::kMcountinhibit: return true;  // no optional fields
    case csr::kSscratch: sscratch_ = v; return true;
    case csr::kSepc: sepc_ = v & ~1ull; return true;
    case csr::kScause: scause_ = v; return true;
    case csr::kStval: stval_ = v; return true;
    case csr::kSip: {
      const uint64_t writable = irq::kSsip & mideleg_;
      mip_sw_ = (mip_sw_ & ~writable) | (v & writable);
      request_stop();
      return true;
    }
    case csr::kSatp: {
      const uint64_t mode = v >> kSatpModeShift;
      if (mode != 0 && mode != 8) return true;  // unsupported mode: the whole write has no effect
      const uint64_t old = satp_;
      // ASID is WARL: only the mmu.asid_bits low bits of it hold what is written.
      const uint64_t asid_mask = kSatpAsidMask & (((1ull << mmu_.config().asid_bits) - 1) << 44);
      satp_ = v & ((0xfull << kSatpModeShift) | asid_mask | kSatpPpnMask);
      context_changed();
      if (EventBus* bus = mmu_.events(); bus && bus->wants(EventKind::SatpWrite)) {
        Event e;
        e.kind = EventKind::SatpWrite;
        e.unit = Unit::Hart;
        e.time_ps = mmu_.now_ps();
        e.data = satp_;
        e.aux = old;
        e.asid = sv39::satp_asid(satp_);
        bus->publish(e);
      }
      mmu_.satp_written();
      return true;
    }
    case csr::kMstatus: {
      uint64_t next = (mstatus_ & ~mstatus::kWritable) | (v & mstatus::kWritable);
      if (((next & mstatus::kMpp) >> mstatus::kMppShift) == 2) {  // reserved: keep the old MPP
        next = (next & ~mstatus::kMpp) | (mstatus_ & mstatus::kMpp);
      }
      mstatus_ = next;
      request_stop();
      context_changed();
      return true;
    }
    case csr::kMisa: return true;  // fixed extensions: writes ignored
    case csr::kMedeleg: medeleg_ = v & cause::kDelegable; return true;
    case csr::kMideleg:
      mideleg_ = v & irq::kSupervisor;
      request_stop();
      return true;
    case csr::kMie:
      mie_ = v & irq::kAll;
      request_stop();
      return true;
    case csr::kMtvec: mtvec_ = v & ~2ull; return true;
    case csr::kMcounteren: mcounteren_ = static_cast<uint32_t>(v); return true;
    case csr::kMscratch: mscratch_ = v; return true;
    case csr::kMepc: mepc_ = v & ~1ull; return true;
    case csr::kMcause: mcause_ = v; return true;
    case csr::kMtval: mtval_ = v; return true;
    case csr::kMip: {
      // With menvcfg.STCE set, STIP follows stimecmp and is read-only (Sstc).
      const uint64_t writable = irq::kSsip | irq::kSeip | ((menvcfg_ & envcfg::kStce) ? 0 : irq::kStip);
      mip_sw_ = (mip_sw_ & ~writable) | (v & writable);
      request_stop();
      return true;
    }
    case csr::kPmpcfg0:
    case csr::kPmpcfg2:
      mmu_.pmp().write_cfg(num - csr::kPmpcfg0, v);
      mmu_.pmp_changed();
      return true;
    // The writing instruction itself still completes and counts; compensate so the next read sees v.
    case csr::kMcycle: mcycle_offset_ = static_cast<int64_t>(v - cycle_); return true;
    case csr::kMinstret: minstret_offset_ = static_cast<int64_t>(v - instret_ - 1); return true;
    case csr::kTselect: triggers_.write_tselect(v); return true;
    case csr::kTdata1:
      triggers_.write_tdata1(v);
      trigger_modes_ = triggers_.armed_modes();
      limit_ = 0;  // choose the run loop again
      return true;
    case csr::kTdata2: triggers_.write_tdata2(v); return true;
    case csr::kTdata3:
    case csr::kTinfo: return true;  // read-only fields
    default: break;
  }
  if (num >= csr::kPmpaddr0 && num <= csr::kPmpaddr15) {
    mmu_.pmp().write_addr(num - csr::kPmpaddr0, v);
    mmu_.pmp_changed();
    return true;
  }
  if ((num >= csr::kMhpmcounter3 && num <= csr::kMhpmcounter31) ||
      (num >= csr::kMhpmevent3 && num <= csr::kMhpmevent31)) {
    return true;
  }
  return false;
}

}  // namespace sv39sim
