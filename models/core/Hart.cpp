// Fetch, decode-cache and execute. Traps and CSRs live in HartCsr.cpp.
#include "models/core/Hart.h"

#include <algorithm>
#include <cstring>

namespace sv39sim {

Hart::Hart(Mmu& mmu, const HartConfig& cfg)
    : mmu_(mmu), hartid_(cfg.hartid), sstc_(cfg.sstc), icache_coherent_(cfg.icache_coherent) {
  mmu_.attach_clock(&cycle_);
  mmu_.attach_data_window(&data_window_);
  mmu_.set_code_listener([this](uint64_t page_pa) { forget_decoded(page_pa); });
}

// Something wrote to a page with decoded instructions: its slots are decoded again from RAM when next
// reached. (The page stays allocated: the instruction being executed may be the one that wrote it.)
void Hart::forget_decoded(uint64_t page_pa) {
  const auto it = decoded_pages_.find(page_pa >> 12);
  if (it == decoded_pages_.end()) return;
  for (size_t i = 0; i < kPageSlots; ++i) {
    it->second->slots[i].op = kUndecoded;
    it->second->slots[i].key = static_cast<uint8_t>(kUndecoded);
  }
}

void Hart::reset(uint64_t pc) {
  mmu_.close_data_window(data_window_);
  x_.fill(0);
  pc_ = pc;
  priv_ = Priv::M;
  wfi_ = false;
  mstatus_ = 0;
  medeleg_ = mideleg_ = mie_ = mip_sw_ = 0;
  mtvec_ = stvec_ = satp_ = 0;
  mcounteren_ = scounteren_ = 0;
  menvcfg_ = senvcfg_ = stimecmp_ = 0;  // QEMU's reset values (stimecmp has no architectural one)
  stip_timer_ = 0;
  timer_deadline_ = UINT64_MAX;
  reservation_valid_ = false;
  triggers_.reset();
  trigger_modes_ = triggers_.armed_modes();
  mmu_.reset();
  fence_i();
  context_changed();
}

void Hart::flush_decode_cache() {
  decoded_pages_.clear();
  recent_decoded_.fill({});
  mmu_.close_fetch_window();  // its slots are gone
}

namespace {
inline int64_t sext32(uint64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(v));
}
}  // namespace

// The AMOs' case labels, for the two dispatch switches.
#define AMO_W_CASES  \
  case Op::AmoswapW: \
  case Op::AmoaddW:  \
  case Op::AmoxorW:  \
  case Op::AmoandW:  \
  case Op::AmoorW:   \
  case Op::AmominW:  \
  case Op::AmomaxW:  \
  case Op::AmominuW: \
  case Op::AmomaxuW
#define AMO_D_CASES  \
  case Op::AmoswapD: \
  case Op::AmoaddD:  \
  case Op::AmoxorD:  \
  case Op::AmoandD:  \
  case Op::AmoorD:   \
  case Op::AmominD:  \
  case Op::AmomaxD:  \
  case Op::AmominuD: \
  case Op::AmomaxuD
#define AMO_CASES \
  AMO_W_CASES:    \
  AMO_D_CASES
// Inside a slot of the run loop's data window (kWindow) an aligned access is a copy and a count (a store in
// a slot a load opened first opens it to stores); otherwise the Mmu's fast path, which puts the line in its
// slot on success.
#define LOAD_HIT(T)                                                            \
  do {                                                                         \
    const uint64_t va = a + d.imm;                                             \
    T v;                                                                       \
    const Mmu::DataWindow::Slot& w = data_window_.slot(va);                    \
    if (kWindow && va - w.lo < w.load_len && !(va & (sizeof(T) - 1))) {        \
      std::memcpy(&v, w.host + (va - w.lo), sizeof(T));                        \
      ++data_window_.loads;                                                    \
    } else if (!mmu_.load_hit<T>(va, &v, kWindow ? &data_window_ : nullptr) && \
               !(kWindow && load_miss_in_stretch(va, &v, budget0, budget))) {  \
      return Step::OutOfLine;                                                  \
    }                                                                          \
    x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(v));                  \
  } while (0)
#define STORE_HIT(T)                                                                   \
  do {                                                                                 \
    const uint64_t va = a + d.imm;                                                     \
    const T v = static_cast<T>(b());                                                   \
    Mmu::DataWindow::Slot& w = data_window_.slot(va);                                  \
    if (kWindow && ((va - w.lo < w.store_len && !(va & (sizeof(T) - 1))) ||            \
                    (va - w.lo < w.load_len && mmu_.open_slot_to_stores<T>(w, va)))) { \
      std::memcpy(w.host + (va - w.lo), &v, sizeof(T));                                \
      ++data_window_.stores;                                                           \
    } else if (!mmu_.store_hit<T>(va, v, kWindow ? &data_window_ : nullptr) &&         \
               !(kWindow && store_miss_in_stretch(va, v, budget0, budget))) {          \
      return Step::OutOfLine;                                                          \
    }                                                                                  \
  } while (0)
#define LOAD(T)                                                                \
  do {                                                                         \
    T v;                                                                       \
    if (!mmu_.load_slow<T>(x_[d.rs1] + d.imm, &v)) return raise_fault(), true; \
    x_[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(v));                 \
  } while (0)
#define STORE(T)                                                                                       \
  do {                                                                                                 \
    if (!mmu_.store_slow<T>(x_[d.rs1] + d.imm, static_cast<T>(x_[d.rs2]))) return raise_fault(), true; \
  } while (0)
#define BRANCH(cond)                                    \
  do {                                                  \
    if (cond) return jump(d, here(), pc, next, budget); \
  } while (0)

// execute_inline's operations, as cases of a switch on the key KEY(op) (PLAIN_KEY: the op itself,
// COMPRESSED_KEY: the op of a 2-byte instruction in the run loop's dispatch key), each LEN bytes long.
// The operations that need more than inline code come last, listed rather than defaulted, so that the
// dispatch has no range check.
#define PLAIN_KEY(op) static_cast<uint8_t>(op)
#define COMPRESSED_KEY(op) static_cast<uint8_t>(static_cast<uint8_t>(op) + kCompressedKey)
#define INLINE_OPS(KEY, LEN)                                                                               \
  case KEY(Op::Lui): x[d.rd] = d.imm; return fall(LEN);                                                    \
  case KEY(Op::Auipc): x[d.rd] = here() + d.imm; return fall(LEN);                                         \
  case KEY(Op::Jal): {                                                                                     \
    const uint64_t at = here();                                                                            \
    x[d.rd] = at + LEN;                                                                                    \
    return jump(d, at, pc, next, budget);                                                                  \
  }                                                                                                        \
  case KEY(Op::Jalr): {                                                                                    \
    const uint64_t target = (a + d.imm) & ~1ull;                                                           \
    x[d.rd] = here() + LEN;                                                                                \
    pc = target;                                                                                           \
    return Step::Jump;                                                                                     \
  }                                                                                                        \
  case KEY(Op::Beq): BRANCH(a == b()); return fall(LEN);                                                   \
  case KEY(Op::Bne): BRANCH(a != b()); return fall(LEN);                                                   \
  case KEY(Op::Blt): BRANCH(static_cast<int64_t>(a) < static_cast<int64_t>(b())); return fall(LEN);        \
  case KEY(Op::Bge): BRANCH(static_cast<int64_t>(a) >= static_cast<int64_t>(b())); return fall(LEN);       \
  case KEY(Op::Bltu): BRANCH(a < b()); return fall(LEN);                                                   \
  case KEY(Op::Bgeu): BRANCH(a >= b()); return fall(LEN);                                                  \
  case KEY(Op::Lb): LOAD_HIT(int8_t); return fall(LEN);                                                    \
  case KEY(Op::Lh): LOAD_HIT(int16_t); return fall(LEN);                                                   \
  case KEY(Op::Lw): LOAD_HIT(int32_t); return fall(LEN);                                                   \
  case KEY(Op::Ld): LOAD_HIT(int64_t); return fall(LEN);                                                   \
  case KEY(Op::Lbu): LOAD_HIT(uint8_t); return fall(LEN);                                                  \
  case KEY(Op::Lhu): LOAD_HIT(uint16_t); return fall(LEN);                                                 \
  case KEY(Op::Lwu): LOAD_HIT(uint32_t); return fall(LEN);                                                 \
  case KEY(Op::Sb): STORE_HIT(uint8_t); return fall(LEN);                                                  \
  case KEY(Op::Sh): STORE_HIT(uint16_t); return fall(LEN);                                                 \
  case KEY(Op::Sw): STORE_HIT(uint32_t); return fall(LEN);                                                 \
  case KEY(Op::Sd): STORE_HIT(uint64_t); return fall(LEN);                                                 \
  case KEY(Op::Addi): x[d.rd] = a + d.imm; return fall(LEN);                                               \
  case KEY(Op::Slti): x[d.rd] = static_cast<int64_t>(a) < d.imm; return fall(LEN);                         \
  case KEY(Op::Sltiu): x[d.rd] = a < static_cast<uint64_t>(d.imm); return fall(LEN);                       \
  case KEY(Op::Xori): x[d.rd] = a ^ d.imm; return fall(LEN);                                               \
  case KEY(Op::Ori): x[d.rd] = a | d.imm; return fall(LEN);                                                \
  case KEY(Op::Andi): x[d.rd] = a & d.imm; return fall(LEN);                                               \
  case KEY(Op::Slli): x[d.rd] = a << d.imm; return fall(LEN);                                              \
  case KEY(Op::Srli): x[d.rd] = a >> d.imm; return fall(LEN);                                              \
  case KEY(Op::Srai): x[d.rd] = static_cast<int64_t>(a) >> d.imm; return fall(LEN);                        \
  case KEY(Op::Add): x[d.rd] = a + b(); return fall(LEN);                                                  \
  case KEY(Op::Sub): x[d.rd] = a - b(); return fall(LEN);                                                  \
  case KEY(Op::Sll): x[d.rd] = a << (b() & 63); return fall(LEN);                                          \
  case KEY(Op::Slt): x[d.rd] = static_cast<int64_t>(a) < static_cast<int64_t>(b()); return fall(LEN);      \
  case KEY(Op::Sltu): x[d.rd] = a < b(); return fall(LEN);                                                 \
  case KEY(Op::Xor): x[d.rd] = a ^ b(); return fall(LEN);                                                  \
  case KEY(Op::Srl): x[d.rd] = a >> (b() & 63); return fall(LEN);                                          \
  case KEY(Op::Sra): x[d.rd] = static_cast<int64_t>(a) >> (b() & 63); return fall(LEN);                    \
  case KEY(Op::Or): x[d.rd] = a | b(); return fall(LEN);                                                   \
  case KEY(Op::And): x[d.rd] = a & b(); return fall(LEN);                                                  \
  case KEY(Op::Addiw): x[d.rd] = sext32(a + d.imm); return fall(LEN);                                      \
  case KEY(Op::Slliw): x[d.rd] = sext32(static_cast<uint32_t>(a) << d.imm); return fall(LEN);              \
  case KEY(Op::Srliw): x[d.rd] = sext32(static_cast<uint32_t>(a) >> d.imm); return fall(LEN);              \
  case KEY(Op::Sraiw): x[d.rd] = static_cast<int64_t>(static_cast<int32_t>(a) >> d.imm); return fall(LEN); \
  case KEY(Op::Addw): x[d.rd] = sext32(a + b()); return fall(LEN);                                         \
  case KEY(Op::Subw): x[d.rd] = sext32(a - b()); return fall(LEN);                                         \
  case KEY(Op::Sllw): x[d.rd] = sext32(static_cast<uint32_t>(a) << (b() & 31)); return fall(LEN);          \
  case KEY(Op::Srlw): x[d.rd] = sext32(static_cast<uint32_t>(a) >> (b() & 31)); return fall(LEN);          \
  case KEY(Op::Sraw): x[d.rd] = static_cast<int64_t>(static_cast<int32_t>(a) >> (b() & 31));               \
      return fall(LEN);                                                                                    \
  case KEY(Op::Mul): x[d.rd] = a * b(); return fall(LEN);                                                  \
  case KEY(Op::Mulh):                                                                                      \
    x[d.rd] = static_cast<uint64_t>((static_cast<__int128>(static_cast<int64_t>(a)) *                      \
                                     static_cast<__int128>(static_cast<int64_t>(b()))) >>                  \
                                    64);                                                                   \
    return fall(LEN);                                                                                      \
  case KEY(Op::Mulhsu):                                                                                    \
    x[d.rd] = static_cast<uint64_t>(                                                                       \
        (static_cast<__int128>(static_cast<int64_t>(a)) * static_cast<__int128>(b())) >> 64);              \
    return fall(LEN);                                                                                      \
  case KEY(Op::Mulhu):                                                                                     \
    x[d.rd] = static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b()) >> 64);                      \
    return fall(LEN);                                                                                      \
  case KEY(Op::Div): {                                                                                     \
    const int64_t sa = static_cast<int64_t>(a), sb = static_cast<int64_t>(b());                            \
    if (sb == 0)                                                                                           \
      x[d.rd] = ~0ull;                                                                                     \
    else if (sb == -1 && sa == INT64_MIN)                                                                  \
      x[d.rd] = a;                                                                                         \
    else                                                                                                   \
      x[d.rd] = static_cast<uint64_t>(sa / sb);                                                            \
    return fall(LEN);                                                                                      \
  }                                                                                                        \
  case KEY(Op::Divu): x[d.rd] = b() == 0 ? ~0ull : a / b(); return fall(LEN);                              \
  case KEY(Op::Rem): {                                                                                     \
    const int64_t sa = static_cast<int64_t>(a), sb = static_cast<int64_t>(b());                            \
    if (sb == 0)                                                                                           \
      x[d.rd] = a;                                                                                         \
    else if (sb == -1)                                                                                     \
      x[d.rd] = 0;                                                                                         \
    else                                                                                                   \
      x[d.rd] = static_cast<uint64_t>(sa % sb);                                                            \
    return fall(LEN);                                                                                      \
  }                                                                                                        \
  case KEY(Op::Remu): x[d.rd] = b() == 0 ? a : a % b(); return fall(LEN);                                  \
  case KEY(Op::Mulw): x[d.rd] = sext32(a * b()); return fall(LEN);                                         \
  case KEY(Op::Divw): {                                                                                    \
    const int32_t sa = static_cast<int32_t>(a), sb = static_cast<int32_t>(b());                            \
    if (sb == 0)                                                                                           \
      x[d.rd] = ~0ull;                                                                                     \
    else if (sb == -1 && sa == INT32_MIN)                                                                  \
      x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(sa));                                           \
    else                                                                                                   \
      x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(sa / sb));                                      \
    return fall(LEN);                                                                                      \
  }                                                                                                        \
  case KEY(Op::Divuw): {                                                                                   \
    const uint32_t ua = static_cast<uint32_t>(a), ub = static_cast<uint32_t>(b());                         \
    x[d.rd] = ub == 0 ? ~0ull : sext32(ua / ub);                                                           \
    return fall(LEN);                                                                                      \
  }                                                                                                        \
  case KEY(Op::Remw): {                                                                                    \
    const int32_t sa = static_cast<int32_t>(a), sb = static_cast<int32_t>(b());                            \
    if (sb == 0)                                                                                           \
      x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(sa));                                           \
    else if (sb == -1)                                                                                     \
      x[d.rd] = 0;                                                                                         \
    else                                                                                                   \
      x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(sa % sb));                                      \
    return fall(LEN);                                                                                      \
  }                                                                                                        \
  case KEY(Op::Remuw): {                                                                                   \
    const uint32_t ua = static_cast<uint32_t>(a), ub = static_cast<uint32_t>(b());                         \
    x[d.rd] = sext32(ub == 0 ? ua : ua % ub);                                                              \
    return fall(LEN);                                                                                      \
  }                                                                                                        \
  case KEY(Op::Fence): return fall(LEN);                                                                   \
  case KEY(Op::Illegal):                                                                                   \
  case KEY(Op::LrW):                                                                                       \
  case KEY(Op::LrD):                                                                                       \
  case KEY(Op::ScW):                                                                                       \
  case KEY(Op::ScD):                                                                                       \
  case KEY(Op::AmoswapW):                                                                                  \
  case KEY(Op::AmoaddW):                                                                                   \
  case KEY(Op::AmoxorW):                                                                                   \
  case KEY(Op::AmoandW):                                                                                   \
  case KEY(Op::AmoorW):                                                                                    \
  case KEY(Op::AmominW):                                                                                   \
  case KEY(Op::AmomaxW):                                                                                   \
  case KEY(Op::AmominuW):                                                                                  \
  case KEY(Op::AmomaxuW):                                                                                  \
  case KEY(Op::AmoswapD):                                                                                  \
  case KEY(Op::AmoaddD):                                                                                   \
  case KEY(Op::AmoxorD):                                                                                   \
  case KEY(Op::AmoandD):                                                                                   \
  case KEY(Op::AmoorD):                                                                                    \
  case KEY(Op::AmominD):                                                                                   \
  case KEY(Op::AmomaxD):                                                                                   \
  case KEY(Op::AmominuD):                                                                                  \
  case KEY(Op::AmomaxuD):                                                                                  \
  case KEY(Op::FenceI):                                                                                    \
  case KEY(Op::Ecall):                                                                                     \
  case KEY(Op::Ebreak):                                                                                    \
  case KEY(Op::Mret):                                                                                      \
  case KEY(Op::Sret):                                                                                      \
  case KEY(Op::Wfi):                                                                                       \
  case KEY(Op::SfenceVma):                                                                                 \
  case KEY(Op::Csrrw):                                                                                     \
  case KEY(Op::Csrrs):                                                                                     \
  case KEY(Op::Csrrc):                                                                                     \
  case KEY(Op::Csrrwi):                                                                                    \
  case KEY(Op::Csrrsi):                                                                                    \
  case KEY(Op::Csrrci):                                                                                    \
  case KEY(kUndecoded): return Step::OutOfLine;                                                            \
  case KEY(kWindowGuard): return Step::Guard;

// The instructions that run on inline code alone, with the hart's pc, clock and retired count left to
// the caller (the run loop keeps them in registers): everything but system instructions, AMOs, and loads
// and stores that miss the Mmu's fast path. Returns OutOfLine, with nothing done, for the others (and for
// a slot not decoded yet, kUndecoded); otherwise the instruction is done. Outside the run loop's window
// `pc`, its address, is advanced to the next. In the window (kWindow) its address follows from d's slot
// (pc_of) and `pc` is written only with a jump's target (Jump); after a fall-through, or a jump within
// its own line, `*next` is the next instruction's slot (Next).
template <bool kWindow>
__attribute__((always_inline)) inline Hart::Step Hart::execute_inline(const DecodedInsn& d, uint64_t& pc,
                                                                      uint64_t budget0, uint64_t* budget,
                                                                      const DecodedInsn** next) {
  uint64_t* const x = x_.data();
  // The instruction's address: in the run loop's window (kWindow) where its slot lies, so that the loop
  // need not keep it; `pc` is then only written, with the target of a jump.
  const auto here = [&] __attribute__((always_inline)) {
    if constexpr (kWindow)
      return pc_of(&d);
    else
      return pc;
  };
  const uint64_t a = x[d.rs1];
  const auto b = [x, &d] { return x[d.rs2]; };  // read only by the operations that have rs2
  // Each operation's step to the next slot: in the run loop the dispatch key (DecodedInsn::key) says the
  // length, so that the step is an addition of a constant.
  const auto fall = [&](unsigned len) __attribute__((always_inline)) {
    if constexpr (kWindow) {
      *next = slot_at(&d, len);
      return step_on(budget);
    } else {
      pc += len;
      return Step::Next;
    }
  };
  if constexpr (kWindow) {
    switch (d.key) {
      INLINE_OPS(PLAIN_KEY, 4)
      INLINE_OPS(COMPRESSED_KEY, 2)
      default: __builtin_unreachable();
    }
  } else {
    switch (static_cast<uint8_t>(d.op)) {
      INLINE_OPS(PLAIN_KEY, d.len)
      default: __builtin_unreachable();
    }
  }
}

// Any instruction, with pc_ the instruction's address (also passed in `pc`) and the clock and retired
// count in the hart: it retires (pc_, instret_) or traps. Returns false, doing nothing, for a slot not
// decoded yet (kUndecoded). Instructions that leave through an out-of-line handler find their
// fall-through pc in next_pc_ and retire (or trap) there. (`d` is never a kWindowGuard: guards sit only
// where run_fast's straight-line flow reads.)
bool Hart::execute(const DecodedInsn& d, uint64_t pc) {
  if (uint64_t next = pc; execute_inline<false>(d, next) != Step::OutOfLine) {
    pc_ = next;
    ++instret_;
    return true;
  }
  const uint64_t npc = pc + d.len;
  switch (d.op) {
    case Op::Lb: LOAD(int8_t); break;
    case Op::Lh: LOAD(int16_t); break;
    case Op::Lw: LOAD(int32_t); break;
    case Op::Ld: LOAD(int64_t); break;
    case Op::Lbu: LOAD(uint8_t); break;
    case Op::Lhu: LOAD(uint16_t); break;
    case Op::Lwu: LOAD(uint32_t); break;
    case Op::Sb: STORE(uint8_t); break;
    case Op::Sh: STORE(uint16_t); break;
    case Op::Sw: STORE(uint32_t); break;
    case Op::Sd: STORE(uint64_t); break;
    case Op::LrW: return next_pc_ = npc, do_lr(d, 4), true;
    case Op::LrD: return next_pc_ = npc, do_lr(d, 8), true;
    case Op::ScW: return next_pc_ = npc, do_sc(d, 4), true;
    case Op::ScD:
      return next_pc_ = npc, do_sc(d, 8), true;
    AMO_W_CASES:
      return next_pc_ = npc, do_amo<uint32_t>(d), true;
    AMO_D_CASES:
      return next_pc_ = npc, do_amo<uint64_t>(d), true;
    case Op::FenceI: fence_i(); break;
    case Op::Ecall: return raise(cause::kEcallU + static_cast<uint64_t>(priv_), 0), true;
    case Op::Ebreak: return raise(cause::kBreakpoint, pc_), true;
    case Op::Mret: return do_mret(d), true;
    case Op::Sret: return do_sret(d), true;
    case Op::Wfi: return next_pc_ = npc, do_wfi(d), true;
    case Op::SfenceVma: return next_pc_ = npc, do_sfence(d), true;
    case Op::Csrrw:
    case Op::Csrrs:
    case Op::Csrrc:
    case Op::Csrrwi:
    case Op::Csrrsi:
    case Op::Csrrci: return next_pc_ = npc, do_csr(d), true;
    case Op::Illegal: return illegal(d), true;
    case kUndecoded: return false;
    default: __builtin_unreachable();  // execute_inline ran it
  }
  pc_ = npc;
  ++instret_;
  return true;
}

#undef AMO_W_CASES
#undef AMO_D_CASES
#undef AMO_CASES
#undef LOAD_HIT
#undef STORE_HIT
#undef LOAD
#undef STORE
#undef BRANCH
#undef INLINE_OPS
#undef PLAIN_KEY
#undef COMPRESSED_KEY

void Hart::run(uint64_t cycle_limit, uint64_t instret_limit) {
  stop_ = false;
  // Software moving mtime (a CLINT store) always ends the run loop, as the store re-evaluates MTIP: the
  // supervisor timer is re-evaluated here against the moved clock.
  if (menvcfg_ & envcfg::kStce) update_supervisor_timer();
  if (wfi_) {
    if (!wake_pending()) return;
    wfi_ = false;  // WFI resumes at the next instruction even when the interrupt stays masked
  }
  check_interrupts();
  while (!stop_ && cycle_ < cycle_limit && instret_ < instret_limit) {
    // Every instruction takes at least one cycle and retires at most one, so running to this cycle
    // cannot pass either limit; the inner loops then test one bound per instruction.
    // The supervisor timer's deadline is one more cycle bound, so STIP needs no test per instruction.
    const uint64_t stop_at = std::min(cycle_limit, timer_deadline_);
    const uint64_t retire_left = instret_limit - instret_;
    limit_ = retire_left < stop_at - cycle_ ? cycle_ + retire_left : stop_at;
    // A trap, xRET or tdata1 write that changes whether triggers are armed ends the inner loop.
    if (mmu_.fast_paths() && !triggers_armed()) {
      run_fast();
    } else {
      mmu_.close_data_window(data_window_);
      if (triggers_armed())
        run_checked<true>();
      else
        run_checked<false>();
    }
    if (cycle_ >= timer_deadline_) {  // time reached stimecmp: the interrupt is taken before what follows
      update_supervisor_timer();
      check_interrupts();
    }
  }
}

// The slow, obviously-correct loop (sim.fast_paths = false): every instruction translated, timed, read
// from RAM and decoded. With kTriggers, also where debug triggers are checked, in the spec's priority
// order: an instruction address breakpoint before the fetch and its faults, a load/store address
// breakpoint before the access and its misaligned, page and access faults.
template <bool kTriggers>
void Hart::run_checked() {
  while (cycle_ < limit_) {
    ++cycle_;
    if (kTriggers && trigger_before_fetch()) continue;
    uint64_t pa;
    if (!mmu_.translate_fetch(pc_, &pa)) {
      raise_fault();
      continue;
    }
    DecodedInsn d;
    if (!fetch_decode(pa, &d)) continue;
    if (kTriggers && trigger_on(d)) continue;
    execute(d, pc_);
  }
}

bool Hart::trigger_before_fetch() {
  uint64_t tval;
  if (!triggers_.match_execute(priv_, pc_, 0, &tval)) return false;
  raise(cause::kBreakpoint, tval);
  return true;
}

// Triggers that need the instruction: execute triggers on one instruction length, and load/store
// triggers on the access it is about to make (LR a load, SC a store when it will succeed, an AMO both).
bool Hart::trigger_on(const DecodedInsn& d) {
  uint64_t tval;
  bool fired = triggers_.match_execute(priv_, pc_, d.len, &tval);
  unsigned len = 0;
  bool load = false, store = false;
  uint64_t va = x_[d.rs1] + d.imm;
  switch (d.op) {
    case Op::Lb:
    case Op::Lbu: len = 1, load = true; break;
    case Op::Lh:
    case Op::Lhu: len = 2, load = true; break;
    case Op::Lw:
    case Op::Lwu: len = 4, load = true; break;
    case Op::Ld: len = 8, load = true; break;
    case Op::Sb: len = 1, store = true; break;
    case Op::Sh: len = 2, store = true; break;
    case Op::Sw: len = 4, store = true; break;
    case Op::Sd: len = 8, store = true; break;
    case Op::LrW:
    case Op::LrD:
      va = x_[d.rs1];
      len = d.op == Op::LrW ? 4 : 8, load = true;
      break;
    case Op::ScW:
    case Op::ScD:
      va = x_[d.rs1];
      len = d.op == Op::ScW ? 4 : 8;
      store = reservation_valid_ && reservation_addr_ == va;
      break;
    default:
      if (d.op >= Op::AmoswapW && d.op <= Op::AmomaxuD && d.op != Op::LrD && d.op != Op::ScD) {
        va = x_[d.rs1];
        len = d.op < Op::LrD ? 4 : 8, load = store = true;
      }
      break;
  }
  if (!fired && (load || store)) fired = triggers_.match_access(priv_, va, len, load, store, &tval);
  if (fired) raise(cause::kBreakpoint, tval);
  return fired;
}

// The run loop proper works in stretches. Within one, the clock lives in a register and the pc in the
// slot being run (pc_of), every fetch is an L1I hit on the fetch window's page (inside the Mmu's window:
// one count and a slot; on another line: Mmu::fetch_line_hit) and every instruction runs on inline code
// (execute_inline), so the clock's advance settles the retired and window counts at the stretch's end. A
// fetch that needs more (fetch_in_window_page or fetch_slow translate, time, and reopen the window) starts a
// stretch with the hart's state settled; an instruction that needs more ends one and runs in execute(), where
// a slot not decoded yet is decoded. The data window stays open from one stretch to the next unless
// something between them may touch what its slots rely on (see data_window_).
void Hart::run_fast() {
  Mmu::FetchWindow& w = mmu_.fetch_window();
  while (cycle_ < limit_) {
    uint64_t pc = pc_;
    const DecodedInsn* d = nullptr;
    const bool refetched = pc - w.lo >= w.len;
    if (refetched) {
      ++cycle_;
      if (uint64_t pa; mmu_.fetch_in_window_page(pc, &pa)) {
        window_slots_ = &window_page_->slots[(w.pa_lo & 0xfff) >> 1];
        d = slot_at(window_slots_, pc - w.lo);
      } else if (!(d = fetch_slow())) {
        continue;
      }
    }
    // The stretch: fetches left before the limit count down in `budget`. A hop to a line of the fetch
    // window's page the window placed (see Mmu::FetchWindow) is made here: only when is noted, and the
    // window's new line is written back at the stretch's end. The window [lo, lo + len) widens over a
    // neighbouring line it hops to, up to one line per L1I set (Mmu::FetchWindow::widest), so that a loop
    // across a line boundary hops once per stretch; every line in it has had its hit noted. It is one
    // line again, the lowest, at the stretch's end. The window is checked after a jump and where the
    // straight-line flow reaches a guard at its end (WindowGuard); in between, each instruction steps to
    // the slot after it (and a taken branch within its own line to its target's).
    const uint64_t budget0 = cycle_ < limit_ ? limit_ - cycle_ : 0;
    // Instructions the stretch may still run: the refetched one, and one per fetch before the limit.
    // Counted down after each (a subtraction and a branch on its result), and by the stall of an L1D
    // miss taken in the stretch (miss_in_stretch).
    uint64_t budget = budget0 + refetched;
    // The stretch's window, in members rather than locals: values that live across the calls in the
    // stretch's slow paths would take callee-saved registers the per-instruction path needs.
    uint64_t &lo = stretch_lo_, &len = stretch_len_;
    const DecodedInsn*& slots = window_slots_;
    lo = w.lo;
    len = w.len;
    WindowGuard guard;
    if (len) guard.place(slot_at(slots, len));
    // The refetched instruction runs here only from a slot of the window (then the flow after it lands in
    // the window or on a guard, and pc_of holds); else in execute(), with the other ones that need it.
    // (One that straddles a page, in scratch_, has closed the window with its second fetch already.)
    if (refetched && (!len || d->op == kUndecoded)) goto settle;
    if (!refetched) d = slot_at(slots, pc - lo);  // pc lies in the window: it was not refetched
    if (budget) {
      // One loop head, the dispatch, which every path returns to: the register allocator then keeps
      // the loop's values in the same registers on all of them. The pc is kept only after a jump (its
      // target) and at a guard: elsewhere it follows from the slot (pc_of).
      for (;;) {
        switch (execute_inline<true>(*d, pc, budget0, &budget, &d)) {
          case Step::Next: continue;  // d is the next slot: inside the window, or a guard
          case Step::Spent: goto out_at_slot;
          case Step::Jump:
            if (__builtin_expect(--budget == 0, 0)) goto out;
            break;
          case Step::Guard: pc = pc_of(d); break;
          case Step::OutOfLine: pc = pc_of(d); goto settle;
        }
        if (uint64_t off = pc - lo; __builtin_expect(off < len, 1)) {
          d = slot_at(slots, off);
          continue;
        }
        const uint64_t line = w.len, line_lo = pc & ~(line - 1);
        bool widen = false;
        if (const unsigned k = ((pc & 0xfff) >> w.line_shift) & 63;
            ((pc ^ lo) >> 12) == 0 && (w.placed >> k & 1)) {
          w.last_hop[k] = ++w.hop_clock;
          widen = len + line <= w.widest && (line_lo == lo + len || line_lo + line == lo);
        } else if (!mmu_.fetch_line_hit(pc)) {  // (the window is open: len > 0 throughout the loop)
          break;
        }
        if (widen) {
          lo = std::min(lo, line_lo);
          len += line;
        } else {
          lo = line_lo;
          len = line;
        }
        slots = slot_at(window_page_->slots.data(), lo & 0xfff);
        guard.lift();
        guard.place(slot_at(slots, len));
        d = slot_at(slots, pc - lo);
      }
    }
    goto out;
  out_at_slot:
    pc = pc_of(d);
  out:
    d = nullptr;
  settle : {
    guard.lift();
    // Fetches in the stretch after a refetch: one per instruction run, but the refetched one, plus the
    // fetch of one left to execute() (none when that is the refetched one: budget0 + 1 - budget is 0).
    // (Misses taken in it have made their part: miss_in_stretch.)
    const uint64_t hits = budget0 - budget + (d != nullptr);
    if (len) {  // the window's line, kept apart while the stretch hopped between lines
      w.lo = lo;
      w.pa_lo = (w.pa_lo & ~0xfffull) | (lo & 0xfff);
    }
    pc_ = pc;
    cycle_ += hits;
    instret_ += hits + refetched - (d != nullptr);
    w.replayed += hits;
    if (d) mmu_.close_data_window(data_window_);
  }
    if (d)
      while (!execute(*d, pc))
        if (!(d = decode_slot(const_cast<DecodedInsn*>(d), w.pa_lo + (pc - w.lo)))) break;
  }
  // Both windows stay open for the next run (see data_window_), their counts settled.
  mmu_.settle_fetch_counts();
  mmu_.settle_data_window(data_window_);
}

const DecodedInsn* Hart::fetch_slow() {
  uint64_t pa;
  // Only a reset address can be odd (slot_at): no window opens there.
  const bool replayed = !(pc_ & 1) && mmu_.fetch_replay(pc_, &pa);
  if (!replayed) {
    mmu_.close_data_window(data_window_);  // a fetch translated in full may walk through the L1D
    if (!mmu_.translate_fetch(pc_, &pa)) return raise_fault(), nullptr;
  }
  DecodedPage* page = decoded_page(pa);
  if (replayed)
    mmu_.open_replayed_window(pc_, pa);
  else if (!(pc_ & 1))
    mmu_.open_fetch_window(pc_, pa);
  const Mmu::FetchWindow& w = mmu_.fetch_window();
  if (w.len) {
    window_page_ = page;
    window_slots_ = &page->slots[(w.pa_lo & 0xfff) >> 1];
  }
  DecodedInsn* slot = &page->slots[(pa & 0xfff) >> 1];
  if (slot->op != kUndecoded) return slot;
  mmu_.close_data_window(data_window_);  // the page may become code, which stores may not write directly
  return decode_slot(slot, pa);
}

Hart::DecodedPage* Hart::decoded_page(uint64_t pa) {
  const uint64_t ppn = pa >> 12;
  RecentDecoded& r = recent_decoded_[ppn & (kRecentDecoded - 1)];
  if (r.ppn == ppn) return r.page;
  if (decoded_pages_.size() >= kMaxDecodedPages && !decoded_pages_.count(ppn)) flush_decode_cache();
  std::unique_ptr<DecodedPage>& page = decoded_pages_[ppn];
  if (!page) page = std::make_unique<DecodedPage>();
  r = {ppn, page.get()};
  return r.page;
}

// Decodes the instruction at pc_ (physical `pa`) into its slot; one that straddles a page goes to a
// scratch slot instead (its second half may be remapped independently). Null if the fetch faulted.
const DecodedInsn* Hart::decode_slot(DecodedInsn* slot, uint64_t pa) {
  DecodedInsn d;
  if (!fetch_decode(pa, &d)) return nullptr;
  const bool straddles = d.len == 4 && (pc_ & 0xfff) == 0xffe;
  if (!straddles) mmu_.mark_code(pa);
  DecodedInsn* out = straddles ? &scratch_ : slot;
  // in_line holds for the L1I of the run: the platform wires the memory system before reset(), whose
  // FENCE.I empties the decode cache.
  if (const uint64_t line = mmu_.fetch_line();
      line && (d.op == Op::Jal || (d.op >= Op::Beq && d.op <= Op::Bgeu)))
    d.in_line = ((pc_ ^ (pc_ + d.imm)) & ~(line - 1)) == 0;
  d.key = key_of(d.op, d.len);
  *out = d;
  return out;
}

// Reads one or two parcels at pc_ (translated to `pa`) and decodes them. The second parcel of an
// instruction that straddles a page is a fetch from another page: translated and timed on its own.
bool Hart::fetch_decode(uint64_t pa, DecodedInsn* out) {
  uint16_t lo, hi;
  if (!read_parcel(pa, pc_, &lo)) return raise_fault(), false;
  if (insn_length(lo) == 2) {
    *out = decode_compressed(lo);
    return true;
  }
  const uint64_t va2 = pc_ + 2;
  uint64_t pa2 = pa + 2;
  if ((va2 & 0xfff) == 0 && !mmu_.translate_fetch(va2, &pa2)) return raise_fault(), false;
  if (!read_parcel(pa2, va2, &hi)) return raise_fault(), false;
  *out = decode(lo | (static_cast<uint32_t>(hi) << 16));
  return true;
}

// A parcel as instruction fetch sees it. With a non-coherent instruction cache, a page's first fetch
// after FENCE.I copies it, and its later fetches read that copy, whatever stores or DMA wrote since: the
// same parcels whether or not the decode cache holds them (a store still drops decoded slots, and their
// decoding again reads the copy), so fast and slow paths agree. Beyond kMaxDecodedPages pages the cache
// starts over as FENCE.I would, dropping every decoded slot with it so that none outlives the copy it came
// from. (The decoded pages stay allocated: the caller is decoding into one of them.)
bool Hart::read_parcel(uint64_t pa, uint64_t va, uint16_t* parcel) {
  if (!mmu_.fetch_parcel(pa, va, parcel)) return false;
  if (icache_coherent_) return true;
  std::unique_ptr<std::array<uint8_t, 4096>>& page = icache_pages_[pa >> 12];
  if (!page) {
    if (icache_pages_.size() > kMaxDecodedPages) {
      icache_pages_.clear();
      for (const auto& [ppn, decoded] : decoded_pages_) forget_decoded(ppn << 12);
      return read_parcel(pa, va, parcel);
    }
    page = std::make_unique<std::array<uint8_t, 4096>>();
    const RamWindow& ram = mmu_.ram();
    const uint64_t off = (pa & ~0xfffull) - ram.base;  // fetch_parcel found pa in RAM
    std::memcpy(page->data(), ram.host + off, std::min<uint64_t>(4096, ram.size - off));
  }
  std::memcpy(parcel, page->data() + (pa & 0xfff), 2);
  return true;
}

void Hart::fence_i() {
  flush_decode_cache();
  icache_pages_.clear();
}

void Hart::do_lr(const DecodedInsn& d, unsigned size) {
  const uint64_t va = x_[d.rs1];
  if (va & (size - 1)) return raise(cause::kMisalignedLoad, va);
  uint64_t value;
  if (size == 4) {
    int32_t v;
    if (!mmu_.load<int32_t>(va, &v)) return raise_fault();
    value = static_cast<uint64_t>(static_cast<int64_t>(v));
  } else {
    if (!mmu_.load<uint64_t>(va, &value)) return raise_fault();
  }
  x_[d.rd] = value;
  reservation_valid_ = true;
  reservation_addr_ = va;
  pc_ = next_pc_;
  ++instret_;
}

void Hart::do_sc(const DecodedInsn& d, unsigned size) {
  const uint64_t va = x_[d.rs1];
  if (va & (size - 1)) return raise(cause::kMisalignedStore, va);
  const bool success = reservation_valid_ && reservation_addr_ == va;
  reservation_valid_ = false;  // every SC ends the reservation, successful or not
  if (success) {
    const bool ok = size == 4 ? mmu_.store<uint32_t>(va, static_cast<uint32_t>(x_[d.rs2]))
                              : mmu_.store<uint64_t>(va, x_[d.rs2]);
    if (!ok) return raise_fault();
  }
  x_[d.rd] = success ? 0 : 1;
  pc_ = next_pc_;
  ++instret_;
}

template <typename T>
void Hart::do_amo(const DecodedInsn& d) {
  using S = std::make_signed_t<T>;
  const uint64_t va = x_[d.rs1];
  if (va & (sizeof(T) - 1)) return raise(cause::kMisalignedStore, va);
  const T src = static_cast<T>(x_[d.rs2]);
  const Op op = d.op;
  T old;
  auto modify = [op, src](T cur) -> T {
    switch (op) {
      case Op::AmoswapW:
      case Op::AmoswapD: return src;
      case Op::AmoaddW:
      case Op::AmoaddD: return cur + src;
      case Op::AmoxorW:
      case Op::AmoxorD: return cur ^ src;
      case Op::AmoandW:
      case Op::AmoandD: return cur & src;
      case Op::AmoorW:
      case Op::AmoorD: return cur | src;
      case Op::AmominW:
      case Op::AmominD: return static_cast<S>(cur) < static_cast<S>(src) ? cur : src;
      case Op::AmomaxW:
      case Op::AmomaxD: return static_cast<S>(cur) > static_cast<S>(src) ? cur : src;
      case Op::AmominuW:
      case Op::AmominuD: return cur < src ? cur : src;
      default: return cur > src ? cur : src;  // amomaxu
    }
  };
  if (!mmu_.amo<T>(va, &old, modify)) return raise_fault();
  x_[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(static_cast<S>(old)));
  pc_ = next_pc_;
  ++instret_;
}

template void Hart::do_amo<uint32_t>(const DecodedInsn&);
template void Hart::do_amo<uint64_t>(const DecodedInsn&);

}  // namespace sv39sim
