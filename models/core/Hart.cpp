// Fetch, decode-cache and execute. Traps and CSRs live in HartCsr.cpp.
#include "models/core/Hart.h"

namespace sv39sim {

Hart::Hart(Mmu& mmu, const HartConfig& cfg)
    : mmu_(mmu), hartid_(cfg.hartid), decode_cache_(1u << kDecodeCacheBits) {
  mmu_.attach_clock(&cycle_);
}

void Hart::reset(uint64_t pc) {
  x_.fill(0);
  pc_ = pc;
  priv_ = Priv::M;
  wfi_ = false;
  mstatus_ = 0;
  medeleg_ = mideleg_ = mie_ = mip_sw_ = 0;
  mtvec_ = stvec_ = satp_ = 0;
  mcounteren_ = scounteren_ = 0;
  reservation_valid_ = false;
  mmu_.reset();
  flush_decode_cache();
  context_changed();
}

void Hart::flush_decode_cache() {
  for (auto& e : decode_cache_) e.pa = ~0ull;
}

void Hart::run(uint64_t cycle_limit, uint64_t instret_limit) {
  stop_ = false;
  if (wfi_) {
    if (!wake_pending()) return;
    wfi_ = false;  // WFI resumes at the next instruction even when the interrupt stays masked
  }
  check_interrupts();
  while (cycle_ < cycle_limit && instret_ < instret_limit && !stop_) step();
}

inline void Hart::step() {
  ++cycle_;
  uint64_t pa;
  if (!mmu_.translate_fetch(pc_, &pa)) return raise_fault();
  const CachedInsn& e = decode_cache_[(pa >> 1) & ((1u << kDecodeCacheBits) - 1)];
  if (e.pa == pa) return execute(e.insn);
  DecodedInsn d;
  if (fetch_decode(pa, &d)) execute(d);
}

// Slow path of fetch, for the instruction at pc_ already translated to `pa`: read one or two parcels,
// decode, and keep the result unless the instruction straddles a page (its second half may be remapped
// independently, and is a fetch from another page: translated and timed on its own).
bool Hart::fetch_decode(uint64_t pa, DecodedInsn* out) {
  uint16_t lo, hi;
  if (!mmu_.fetch_parcel(pa, pc_, &lo)) return raise_fault(), false;
  bool cacheable = true;
  if (insn_length(lo) == 2) {
    *out = decode_compressed(lo);
  } else {
    const uint64_t va2 = pc_ + 2;
    uint64_t pa2 = pa + 2;
    if ((va2 & 0xfff) == 0) {
      cacheable = false;
      if (!mmu_.translate_fetch(va2, &pa2)) return raise_fault(), false;
    }
    if (!mmu_.fetch_parcel(pa2, va2, &hi)) return raise_fault(), false;
    *out = decode(lo | (static_cast<uint32_t>(hi) << 16));
  }
  if (cacheable && mmu_.fast_paths()) {
    CachedInsn& e = decode_cache_[(pa >> 1) & ((1u << kDecodeCacheBits) - 1)];
    e.pa = pa;
    e.insn = *out;
  }
  return true;
}

namespace {
inline int64_t sext32(uint64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(v));
}
}  // namespace

#define LOAD(T)                                                    \
  do {                                                             \
    T v;                                                           \
    if (!mmu_.load<T>(x[d.rs1] + d.imm, &v)) return raise_fault(); \
    x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(v));      \
  } while (0)
#define STORE(T)                                                                          \
  do {                                                                                    \
    if (!mmu_.store<T>(x[d.rs1] + d.imm, static_cast<T>(x[d.rs2]))) return raise_fault(); \
  } while (0)
#define BRANCH(cond)                  \
  do {                                \
    if (cond) next_pc_ = pc_ + d.imm; \
  } while (0)

void Hart::execute(const DecodedInsn& d) {
  uint64_t* const x = x_.data();
  next_pc_ = pc_ + d.len;
  const uint64_t a = x[d.rs1], b = x[d.rs2];
  switch (d.op) {
    case Op::Lui: x[d.rd] = d.imm; break;
    case Op::Auipc: x[d.rd] = pc_ + d.imm; break;
    case Op::Jal:
      x[d.rd] = next_pc_;
      next_pc_ = pc_ + d.imm;
      break;
    case Op::Jalr: {
      const uint64_t target = (a + d.imm) & ~1ull;
      x[d.rd] = next_pc_;
      next_pc_ = target;
      break;
    }
    case Op::Beq: BRANCH(a == b); break;
    case Op::Bne: BRANCH(a != b); break;
    case Op::Blt: BRANCH(static_cast<int64_t>(a) < static_cast<int64_t>(b)); break;
    case Op::Bge: BRANCH(static_cast<int64_t>(a) >= static_cast<int64_t>(b)); break;
    case Op::Bltu: BRANCH(a < b); break;
    case Op::Bgeu: BRANCH(a >= b); break;
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
    case Op::Addi: x[d.rd] = a + d.imm; break;
    case Op::Slti: x[d.rd] = static_cast<int64_t>(a) < d.imm; break;
    case Op::Sltiu: x[d.rd] = a < static_cast<uint64_t>(d.imm); break;
    case Op::Xori: x[d.rd] = a ^ d.imm; break;
    case Op::Ori: x[d.rd] = a | d.imm; break;
    case Op::Andi: x[d.rd] = a & d.imm; break;
    case Op::Slli: x[d.rd] = a << d.imm; break;
    case Op::Srli: x[d.rd] = a >> d.imm; break;
    case Op::Srai: x[d.rd] = static_cast<int64_t>(a) >> d.imm; break;
    case Op::Add: x[d.rd] = a + b; break;
    case Op::Sub: x[d.rd] = a - b; break;
    case Op::Sll: x[d.rd] = a << (b & 63); break;
    case Op::Slt: x[d.rd] = static_cast<int64_t>(a) < static_cast<int64_t>(b); break;
    case Op::Sltu: x[d.rd] = a < b; break;
    case Op::Xor: x[d.rd] = a ^ b; break;
    case Op::Srl: x[d.rd] = a >> (b & 63); break;
    case Op::Sra: x[d.rd] = static_cast<int64_t>(a) >> (b & 63); break;
    case Op::Or: x[d.rd] = a | b; break;
    case Op::And: x[d.rd] = a & b; break;
    case Op::Addiw: x[d.rd] = sext32(a + d.imm); break;
    case Op::Slliw: x[d.rd] = sext32(static_cast<uint32_t>(a) << d.imm); break;
    case Op::Srliw: x[d.rd] = sext32(static_cast<uint32_t>(a) >> d.imm); break;
    case Op::Sraiw: x[d.rd] = static_cast<int64_t>(static_cast<int32_t>(a) >> d.imm); break;
    case Op::Addw: x[d.rd] = sext32(a + b); break;
    case Op::Subw: x[d.rd] = sext32(a - b); break;
    case Op::Sllw: x[d.rd] = sext32(static_cast<uint32_t>(a) << (b & 31)); break;
    case Op::Srlw: x[d.rd] = sext32(static_cast<uint32_t>(a) >> (b & 31)); break;
    case Op::Sraw: x[d.rd] = static_cast<int64_t>(static_cast<int32_t>(a) >> (b & 31)); break;
    case Op::Mul: x[d.rd] = a * b; break;
    case Op::Mulh:
      x[d.rd] = static_cast<uint64_t>(
          (static_cast<__int128>(static_cast<int64_t>(a)) * static_cast<__int128>(static_cast<int64_t>(b))) >>
          64);
      break;
    case Op::Mulhsu:
      x[d.rd] = static_cast<uint64_t>(
          (static_cast<__int128>(static_cast<int64_t>(a)) * static_cast<__int128>(b)) >> 64);
      break;
    case Op::Mulhu: x[d.rd] = static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b) >> 64); break;
    case Op::Div: {
      const int64_t sa = static_cast<int64_t>(a), sb = static_cast<int64_t>(b);
      if (sb == 0)
        x[d.rd] = ~0ull;
      else if (sb == -1 && sa == INT64_MIN)
        x[d.rd] = a;
      else
        x[d.rd] = static_cast<uint64_t>(sa / sb);
      break;
    }
    case Op::Divu: x[d.rd] = b == 0 ? ~0ull : a / b; break;
    case Op::Rem: {
      const int64_t sa = static_cast<int64_t>(a), sb = static_cast<int64_t>(b);
      if (sb == 0)
        x[d.rd] = a;
      else if (sb == -1)
        x[d.rd] = 0;
      else
        x[d.rd] = static_cast<uint64_t>(sa % sb);
      break;
    }
    case Op::Remu: x[d.rd] = b == 0 ? a : a % b; break;
    case Op::Mulw: x[d.rd] = sext32(a * b); break;
    case Op::Divw: {
      const int32_t sa = static_cast<int32_t>(a), sb = static_cast<int32_t>(b);
      if (sb == 0)
        x[d.rd] = ~0ull;
      else if (sb == -1 && sa == INT32_MIN)
        x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(sa));
      else
        x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(sa / sb));
      break;
    }
    case Op::Divuw: {
      const uint32_t ua = static_cast<uint32_t>(a), ub = static_cast<uint32_t>(b);
      x[d.rd] = ub == 0 ? ~0ull : sext32(ua / ub);
      break;
    }
    case Op::Remw: {
      const int32_t sa = static_cast<int32_t>(a), sb = static_cast<int32_t>(b);
      if (sb == 0)
        x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(sa));
      else if (sb == -1)
        x[d.rd] = 0;
      else
        x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(sa % sb));
      break;
    }
    case Op::Remuw: {
      const uint32_t ua = static_cast<uint32_t>(a), ub = static_cast<uint32_t>(b);
      x[d.rd] = sext32(ub == 0 ? ua : ua % ub);
      break;
    }
    case Op::LrW: return do_lr(d, 4);
    case Op::LrD: return do_lr(d, 8);
    case Op::ScW: return do_sc(d, 4);
    case Op::ScD: return do_sc(d, 8);
    case Op::AmoswapW:
    case Op::AmoaddW:
    case Op::AmoxorW:
    case Op::AmoandW:
    case Op::AmoorW:
    case Op::AmominW:
    case Op::AmomaxW:
    case Op::AmominuW:
    case Op::AmomaxuW: return do_amo<uint32_t>(d);
    case Op::AmoswapD:
    case Op::AmoaddD:
    case Op::AmoxorD:
    case Op::AmoandD:
    case Op::AmoorD:
    case Op::AmominD:
    case Op::AmomaxD:
    case Op::AmominuD:
    case Op::AmomaxuD: return do_amo<uint64_t>(d);
    case Op::Fence: break;
    case Op::FenceI: flush_decode_cache(); break;
    case Op::Ecall: return raise(cause::kEcallU + static_cast<uint64_t>(priv_), 0);
    case Op::Ebreak: return raise(cause::kBreakpoint, pc_);
    case Op::Mret: return do_mret(d);
    case Op::Sret: return do_sret(d);
    case Op::Wfi: return do_wfi(d);
    case Op::SfenceVma: return do_sfence(d);
    case Op::Csrrw:
    case Op::Csrrs:
    case Op::Csrrc:
    case Op::Csrrwi:
    case Op::Csrrsi:
    case Op::Csrrci: return do_csr(d);
    case Op::Illegal:
    case Op::Count: return illegal(d);
  }
  pc_ = next_pc_;
  ++instret_;
}

#undef LOAD
#undef STORE
#undef BRANCH

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
