// RV64IMAC + Zicsr + Zifencei decoder. Compressed instructions expand to the same DecodedInsn as their
// 32-bit equivalents, so the executor has one case per operation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sv39sim {

enum class Op : uint8_t {
  Illegal,
  Lui,
  Auipc,
  Jal,
  Jalr,
  Beq,
  Bne,
  Blt,
  Bge,
  Bltu,
  Bgeu,
  Lb,
  Lh,
  Lw,
  Ld,
  Lbu,
  Lhu,
  Lwu,
  Sb,
  Sh,
  Sw,
  Sd,
  Addi,
  Slti,
  Sltiu,
  Xori,
  Ori,
  Andi,
  Slli,
  Srli,
  Srai,
  Add,
  Sub,
  Sll,
  Slt,
  Sltu,
  Xor,
  Srl,
  Sra,
  Or,
  And,
  Addiw,
  Slliw,
  Srliw,
  Sraiw,
  Addw,
  Subw,
  Sllw,
  Srlw,
  Sraw,
  Mul,
  Mulh,
  Mulhsu,
  Mulhu,
  Div,
  Divu,
  Rem,
  Remu,
  Mulw,
  Divw,
  Divuw,
  Remw,
  Remuw,
  LrW,
  ScW,
  AmoswapW,
  AmoaddW,
  AmoxorW,
  AmoandW,
  AmoorW,
  AmominW,
  AmomaxW,
  AmominuW,
  AmomaxuW,
  LrD,
  ScD,
  AmoswapD,
  AmoaddD,
  AmoxorD,
  AmoandD,
  AmoorD,
  AmominD,
  AmomaxD,
  AmominuD,
  AmomaxuD,
  Fence,
  FenceI,
  Ecall,
  Ebreak,
  Mret,
  Sret,
  Wfi,
  SfenceVma,
  Csrrw,
  Csrrs,
  Csrrc,
  Csrrwi,
  Csrrsi,
  Csrrci,
  Count,
  // Never decoded: what the hart's decode cache marks slots with (a slot not decoded yet, and a guard
  // of the run loop's fetch window).
  Undecoded = Count,
  WindowGuard,
};

// Register index kZeroSink absorbs writes to x0 so the executor never tests rd == 0.
constexpr uint8_t kZeroSink = 32;

// 16 bytes, so a page of decoded parcels is 32 KiB (and two guard slots) and a slot's address is a shift.
struct DecodedInsn {
  int32_t imm = 0;    // sign-extended immediate (every RV64IMAC immediate fits); CSR number for CSR ops
  uint32_t bits = 0;  // raw encoding (16 bits for compressed), used as tval of illegal instructions
  Op op = Op::Illegal;
  uint8_t rd = kZeroSink;
  uint8_t rs1 = 0;
  uint8_t rs2 = 0;
  uint8_t len = 4;  // 2 or 4 bytes
  // Set by the hart's decode cache (the decoder leaves it 0): a branch or JAL whose target lies in the
  // L1I line that holds the instruction's first parcel.
  uint8_t in_line = 0;
  // Set by the hart's decode cache: what its run loop dispatches on (Hart::kCompressedKey).
  uint8_t key = 0;
};

static_assert(sizeof(DecodedInsn) == 16, "decode-cache slots are 16 bytes");

// Length of the instruction whose low 16 bits are `low`: 2 if compressed, else 4.
inline unsigned insn_length(uint16_t low) {
  return (low & 3) == 3 ? 4 : 2;
}

DecodedInsn decode(uint32_t bits);             // a 32-bit encoding
DecodedInsn decode_compressed(uint16_t bits);  // a 16-bit encoding
const char* op_name(Op op);

}  // namespace sv39sim
