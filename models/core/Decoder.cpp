#include "models/core/Decoder.h"

namespace sv39sim {
namespace {

constexpr uint32_t field(uint32_t v, int hi, int lo) {
  return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}
constexpr int64_t sext(uint64_t v, int bits) {
  return static_cast<int64_t>(v << (64 - bits)) >> (64 - bits);
}

DecodedInsn make(Op op, uint32_t bits, unsigned rd, unsigned rs1, unsigned rs2, int64_t imm, uint8_t len) {
  DecodedInsn d;
  d.op = op;
  d.bits = bits;
  d.rd = rd == 0 ? kZeroSink : static_cast<uint8_t>(rd);
  d.rs1 = static_cast<uint8_t>(rs1);
  d.rs2 = static_cast<uint8_t>(rs2);
  d.imm = static_cast<int32_t>(imm);
  d.len = len;
  return d;
}

DecodedInsn illegal(uint32_t bits, uint8_t len) {
  DecodedInsn d;
  d.bits = bits;
  d.len = len;
  return d;
}

int64_t imm_i(uint32_t b) {
  return sext(b >> 20, 12);
}
int64_t imm_s(uint32_t b) {
  return sext((field(b, 31, 25) << 5) | field(b, 11, 7), 12);
}
int64_t imm_b(uint32_t b) {
  return sext(
      (field(b, 31, 31) << 12) | (field(b, 7, 7) << 11) | (field(b, 30, 25) << 5) | (field(b, 11, 8) << 1),
      13);
}
int64_t imm_u(uint32_t b) {
  return sext(b & 0xfffff000u, 32);
}
int64_t imm_j(uint32_t b) {
  return sext((field(b, 31, 31) << 20) | (field(b, 19, 12) << 12) | (field(b, 20, 20) << 11) |
                  (field(b, 30, 21) << 1),
              21);
}

Op amo_op(uint32_t funct5, bool dword) {
  switch (funct5) {
    case 0x02: return dword ? Op::LrD : Op::LrW;
    case 0x03: return dword ? Op::ScD : Op::ScW;
    case 0x01: return dword ? Op::AmoswapD : Op::AmoswapW;
    case 0x00: return dword ? Op::AmoaddD : Op::AmoaddW;
    case 0x04: return dword ? Op::AmoxorD : Op::AmoxorW;
    case 0x0c: return dword ? Op::AmoandD : Op::AmoandW;
    case 0x08: return dword ? Op::AmoorD : Op::AmoorW;
    case 0x10: return dword ? Op::AmominD : Op::AmominW;
    case 0x14: return dword ? Op::AmomaxD : Op::AmomaxW;
    case 0x18: return dword ? Op::AmominuD : Op::AmominuW;
    case 0x1c: return dword ? Op::AmomaxuD : Op::AmomaxuW;
    default: return Op::Illegal;
  }
}

}  // namespace

DecodedInsn decode(uint32_t b) {
  const unsigned rd = field(b, 11, 7), rs1 = field(b, 19, 15), rs2 = field(b, 24, 20);
  const unsigned f3 = field(b, 14, 12), f7 = field(b, 31, 25);
  auto r = [&](Op op) { return make(op, b, rd, rs1, rs2, 0, 4); };
  auto i = [&](Op op) { return make(op, b, rd, rs1, 0, imm_i(b), 4); };
  switch (b & 0x7f) {
    case 0x37: return make(Op::Lui, b, rd, 0, 0, imm_u(b), 4);
    case 0x17: return make(Op::Auipc, b, rd, 0, 0, imm_u(b), 4);
    case 0x6f: return make(Op::Jal, b, rd, 0, 0, imm_j(b), 4);
    case 0x67: return f3 == 0 ? i(Op::Jalr) : illegal(b, 4);
    case 0x63: {
      static constexpr Op kBranch[8] = {Op::Beq, Op::Bne, Op::Illegal, Op::Illegal,
                                        Op::Blt, Op::Bge, Op::Bltu,    Op::Bgeu};
      if (kBranch[f3] == Op::Illegal) return illegal(b, 4);
      return make(kBranch[f3], b, 0, rs1, rs2, imm_b(b), 4);
    }
    case 0x03: {
      static constexpr Op kLoad[8] = {Op::Lb, Op::Lh, Op::Lw, Op::Ld, Op::Lbu, Op::Lhu, Op::Lwu, Op::Illegal};
      return kLoad[f3] == Op::Illegal ? illegal(b, 4) : i(kLoad[f3]);
    }
    case 0x23: {
      static constexpr Op kStore[4] = {Op::Sb, Op::Sh, Op::Sw, Op::Sd};
      if (f3 > 3) return illegal(b, 4);
      return make(kStore[f3], b, 0, rs1, rs2, imm_s(b), 4);
    }
    case 0x13: {
      const unsigned f6 = field(b, 31, 26);
      switch (f3) {
        case 0: return i(Op::Addi);
        case 1: return f6 == 0 ? make(Op::Slli, b, rd, rs1, 0, field(b, 25, 20), 4) : illegal(b, 4);
        case 2: return i(Op::Slti);
        case 3: return i(Op::Sltiu);
        case 4: return i(Op::Xori);
        case 5:
          if (f6 == 0) return make(Op::Srli, b, rd, rs1, 0, field(b, 25, 20), 4);
          if (f6 == 0x10) return make(Op::Srai, b, rd, rs1, 0, field(b, 25, 20), 4);
          return illegal(b, 4);
        case 6: return i(Op::Ori);
        default: return i(Op::Andi);
      }
    }
    case 0x1b:
      switch (f3) {
        case 0: return i(Op::Addiw);
        case 1: return f7 == 0 ? make(Op::Slliw, b, rd, rs1, 0, rs2, 4) : illegal(b, 4);
        case 5:
          if (f7 == 0) return make(Op::Srliw, b, rd, rs1, 0, rs2, 4);
          if (f7 == 0x20) return make(Op::Sraiw, b, rd, rs1, 0, rs2, 4);
          return illegal(b, 4);
        default: return illegal(b, 4);
      }
    case 0x33: {
      static constexpr Op kBase[8] = {Op::Add, Op::Sll, Op::Slt, Op::Sltu, Op::Xor, Op::Srl, Op::Or, Op::And};
      static constexpr Op kMul[8] = {Op::Mul, Op::Mulh, Op::Mulhsu, Op::Mulhu,
                                     Op::Div, Op::Divu, Op::Rem,    Op::Remu};
      if (f7 == 0) return r(kBase[f3]);
      if (f7 == 1) return r(kMul[f3]);
      if (f7 == 0x20 && f3 == 0) return r(Op::Sub);
      if (f7 == 0x20 && f3 == 5) return r(Op::Sra);
      return illegal(b, 4);
    }
    case 0x3b: {
      if (f7 == 0) {
        static constexpr Op kW[8] = {Op::Addw,    Op::Sllw, Op::Illegal, Op::Illegal,
                                     Op::Illegal, Op::Srlw, Op::Illegal, Op::Illegal};
        return kW[f3] == Op::Illegal ? illegal(b, 4) : r(kW[f3]);
      }
      if (f7 == 1) {
        static constexpr Op kMw[8] = {Op::Mulw, Op::Illegal, Op::Illegal, Op::Illegal,
                                      Op::Divw, Op::Divuw,   Op::Remw,    Op::Remuw};
        return kMw[f3] == Op::Illegal ? illegal(b, 4) : r(kMw[f3]);
      }
      if (f7 == 0x20 && f3 == 0) return r(Op::Subw);
      if (f7 == 0x20 && f3 == 5) return r(Op::Sraw);
      return illegal(b, 4);
    }
    case 0x2f: {
      if (f3 != 2 && f3 != 3) return illegal(b, 4);
      const unsigned f5 = field(b, 31, 27);
      const Op op = amo_op(f5, f3 == 3);
      if (op == Op::Illegal || ((op == Op::LrW || op == Op::LrD) && rs2 != 0)) return illegal(b, 4);
      return r(op);
    }
    case 0x0f:
      if (f3 == 0) return make(Op::Fence, b, 0, 0, 0, 0, 4);
      if (f3 == 1) return make(Op::FenceI, b, 0, 0, 0, 0, 4);
      return illegal(b, 4);
    case 0x73: {
      if (f3 == 0) {
        switch (b) {
          case 0x00000073: return make(Op::Ecall, b, 0, 0, 0, 0, 4);
          case 0x00100073: return make(Op::Ebreak, b, 0, 0, 0, 0, 4);
          case 0x30200073: return make(Op::Mret, b, 0, 0, 0, 0, 4);
          case 0x10200073: return make(Op::Sret, b, 0, 0, 0, 0, 4);
          case 0x10500073: return make(Op::Wfi, b, 0, 0, 0, 0, 4);
          default: break;
        }
        if (f7 == 0x09 && rd == 0) return make(Op::SfenceVma, b, 0, rs1, rs2, 0, 4);
        return illegal(b, 4);
      }
      static constexpr Op kCsr[8] = {Op::Illegal, Op::Csrrw,  Op::Csrrs,  Op::Csrrc,
                                     Op::Illegal, Op::Csrrwi, Op::Csrrsi, Op::Csrrci};
      if (kCsr[f3] == Op::Illegal) return illegal(b, 4);
      // For the immediate forms rs1 holds the 5-bit zero-extended uimm.
      return make(kCsr[f3], b, rd, rs1, 0, field(b, 31, 20), 4);
    }
    default: return illegal(b, 4);
  }
}

DecodedInsn decode_compressed(uint16_t h) {
  const uint32_t b = h;
  const unsigned f3 = field(b, 15, 13);
  const unsigned rd = field(b, 11, 7), rs2 = field(b, 6, 2);
  const unsigned rdp = 8 + field(b, 4, 2), rs1p = 8 + field(b, 9, 7);
  const int64_t imm6 = sext((field(b, 12, 12) << 5) | field(b, 6, 2), 6);
  auto c = [&](Op op, unsigned d, unsigned s1, unsigned s2, int64_t imm) {
    return make(op, b, d, s1, s2, imm, 2);
  };
  switch (b & 3) {
    case 0:
      switch (f3) {
        case 0: {
          const uint32_t nzuimm = (field(b, 12, 11) << 4) | (field(b, 10, 7) << 6) | (field(b, 6, 6) << 2) |
                                  (field(b, 5, 5) << 3);
          if (nzuimm == 0) return illegal(b, 2);  // includes the all-zero word
          return c(Op::Addi, rdp, 2, 0, nzuimm);
        }
        case 2:
          return c(Op::Lw, rdp, rs1p, 0,
                   (field(b, 12, 10) << 3) | (field(b, 6, 6) << 2) | (field(b, 5, 5) << 6));
        case 3: return c(Op::Ld, rdp, rs1p, 0, (field(b, 12, 10) << 3) | (field(b, 6, 5) << 6));
        case 6:
          return c(Op::Sw, 0, rs1p, rdp,
                   (field(b, 12, 10) << 3) | (field(b, 6, 6) << 2) | (field(b, 5, 5) << 6));
        case 7: return c(Op::Sd, 0, rs1p, rdp, (field(b, 12, 10) << 3) | (field(b, 6, 5) << 6));
        default: return illegal(b, 2);  // C.FLD/C.FSD (no D extension) and the reserved slot
      }
    case 1:
      switch (f3) {
        case 0: return c(Op::Addi, rd, rd, 0, imm6);
        case 1: return rd == 0 ? illegal(b, 2) : c(Op::Addiw, rd, rd, 0, imm6);
        case 2: return c(Op::Addi, rd, 0, 0, imm6);
        case 3: {
          if (rd == 2) {
            const int64_t imm = sext((field(b, 12, 12) << 9) | (field(b, 6, 6) << 4) | (field(b, 5, 5) << 6) |
                                         (field(b, 4, 3) << 7) | (field(b, 2, 2) << 5),
                                     10);
            return imm == 0 ? illegal(b, 2) : c(Op::Addi, 2, 2, 0, imm);
          }
          return imm6 == 0 ? illegal(b, 2) : c(Op::Lui, rd, 0, 0, imm6 * 4096);
        }
        case 4: {
          const unsigned shamt = (field(b, 12, 12) << 5) | field(b, 6, 2);
          switch (field(b, 11, 10)) {
            case 0: return c(Op::Srli, rs1p, rs1p, 0, shamt);
            case 1: return c(Op::Srai, rs1p, rs1p, 0, shamt);
            case 2: return c(Op::Andi, rs1p, rs1p, 0, imm6);
            default: {
              static constexpr Op kArith[2][4] = {{Op::Sub, Op::Xor, Op::Or, Op::And},
                                                  {Op::Subw, Op::Addw, Op::Illegal, Op::Illegal}};
              const Op op = kArith[field(b, 12, 12)][field(b, 6, 5)];
              return op == Op::Illegal ? illegal(b, 2) : c(op, rs1p, rs1p, rdp, 0);
            }
          }
        }
        case 5: {
          const int64_t off =
              sext((field(b, 12, 12) << 11) | (field(b, 11, 11) << 4) | (field(b, 10, 9) << 8) |
                       (field(b, 8, 8) << 10) | (field(b, 7, 7) << 6) | (field(b, 6, 6) << 7) |
                       (field(b, 5, 3) << 1) | (field(b, 2, 2) << 5),
                   12);
          return c(Op::Jal, 0, 0, 0, off);
        }
        default: {
          const int64_t off = sext((field(b, 12, 12) << 8) | (field(b, 11, 10) << 3) | (field(b, 6, 5) << 6) |
                                       (field(b, 4, 3) << 1) | (field(b, 2, 2) << 5),
                                   9);
          return c(f3 == 6 ? Op::Beq : Op::Bne, 0, rs1p, 0, off);
        }
      }
    case 2:
      switch (f3) {
        case 0: return c(Op::Slli, rd, rd, 0, (field(b, 12, 12) << 5) | field(b, 6, 2));
        case 2:
          if (rd == 0) return illegal(b, 2);
          return c(Op::Lw, rd, 2, 0, (field(b, 12, 12) << 5) | (field(b, 6, 4) << 2) | (field(b, 3, 2) << 6));
        case 3:
          if (rd == 0) return illegal(b, 2);
          return c(Op::Ld, rd, 2, 0, (field(b, 12, 12) << 5) | (field(b, 6, 5) << 3) | (field(b, 4, 2) << 6));
        case 4:
          if (field(b, 12, 12) == 0) {
            if (rs2 == 0) return rd == 0 ? illegal(b, 2) : c(Op::Jalr, 0, rd, 0, 0);
            return c(Op::Add, rd, 0, rs2, 0);
          }
          if (rs2 == 0) return rd == 0 ? c(Op::Ebreak, 0, 0, 0, 0) : c(Op::Jalr, 1, rd, 0, 0);
          return c(Op::Add, rd, rd, rs2, 0);
        case 6: return c(Op::Sw, 0, 2, rs2, (field(b, 12, 9) << 2) | (field(b, 8, 7) << 6));
        case 7: return c(Op::Sd, 0, 2, rs2, (field(b, 12, 10) << 3) | (field(b, 9, 7) << 6));
        default: return illegal(b, 2);  // C.FLDSP/C.FSDSP
      }
    default: return illegal(b, 2);
  }
}

const char* op_name(Op op) {
  static const char* const kNames[] = {
      "illegal",   "lui",       "auipc",    "jal",       "jalr",       "beq",      "bne",      "blt",
      "bge",       "bltu",      "bgeu",     "lb",        "lh",         "lw",       "ld",       "lbu",
      "lhu",       "lwu",       "sb",       "sh",        "sw",         "sd",       "addi",     "slti",
      "sltiu",     "xori",      "ori",      "andi",      "slli",       "srli",     "srai",     "add",
      "sub",       "sll",       "slt",      "sltu",      "xor",        "srl",      "sra",      "or",
      "and",       "addiw",     "slliw",    "srliw",     "sraiw",      "addw",     "subw",     "sllw",
      "srlw",      "sraw",      "mul",      "mulh",      "mulhsu",     "mulhu",    "div",      "divu",
      "rem",       "remu",      "mulw",     "divw",      "divuw",      "remw",     "remuw",    "lr.w",
      "sc.w",      "amoswap.w", "amoadd.w", "amoxor.w",  "amoand.w",   "amoor.w",  "amomin.w", "amomax.w",
      "amominu.w", "amomaxu.w", "lr.d",     "sc.d",      "amoswap.d",  "amoadd.d", "amoxor.d", "amoand.d",
      "amoor.d",   "amomin.d",  "amomax.d", "amominu.d", "amomaxu.d",  "fence",    "fence.i",  "ecall",
      "ebreak",    "mret",      "sret",     "wfi",       "sfence.vma", "csrrw",    "csrrs",    "csrrc",
      "csrrwi",    "csrrsi",    "csrrci"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<size_t>(Op::Count), "one name per Op");
  return kNames[static_cast<size_t>(op)];
}

}  // namespace sv39sim
