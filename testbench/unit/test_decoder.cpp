// Decoder unit tests: decode() and decode_compressed() against encodings produced by the GNU assembler
// (riscv64-unknown-elf-as -march=rv64imac_zicsr_zifencei, with .option norvc for the 32-bit table) and
// expected fields read off the assembly text and the ISA manual's instruction formats.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>

#include "models/core/Decoder.h"

using namespace sv39sim;

namespace {

constexpr int kAny = -1;                // field not meaningful for this instruction
constexpr int64_t kAnyImm = INT64_MIN;  // immediate not meaningful

struct Case {
  uint32_t bits;
  const char* text;  // the assembly the encoding came from
  Op op;
  int rd, rs1, rs2;
  int64_t imm;
};

void check(const Case& c, const DecodedInsn& d, unsigned len) {
  SCOPED_TRACE(std::string(c.text) + " = 0x" + [&] {
    char buf[16];
    snprintf(buf, sizeof buf, "%08x", c.bits);
    return std::string(buf);
  }());
  EXPECT_EQ(d.op, c.op) << "got " << op_name(d.op) << ", expected " << op_name(c.op);
  EXPECT_EQ(d.len, len);
  EXPECT_EQ(d.bits, c.bits);
  if (c.rd != kAny) {
    EXPECT_EQ(d.rd, c.rd);
  }
  if (c.rs1 != kAny) {
    EXPECT_EQ(d.rs1, c.rs1);
  }
  if (c.rs2 != kAny) {
    EXPECT_EQ(d.rs2, c.rs2);
  }
  if (c.imm != kAnyImm) {
    EXPECT_EQ(d.imm, c.imm);
  }
}

// 32-bit encodings: every format (R, I, S, B, U, J, AMO, CSR, SYSTEM) with extreme and sign-extended
// immediates, including the scrambled B/J bits (imm[11] of B lives in bit 7; imm[11] of J in bit 20).
const Case k32[] = {
    {0xfffff2b7, "lui x5,0xfffff", Op::Lui, 5, kAny, kAny, -4096},
    {0x80000fb7, "lui x31,0x80000", Op::Lui, 31, kAny, kAny, -2147483648},
    {0x7ffff0b7, "lui x1,0x7ffff", Op::Lui, 1, kAny, kAny, 0x7ffff000},
    {0x12345037, "lui x0,0x12345", Op::Lui, kZeroSink, kAny, kAny, 0x12345000},
    {0x80000397, "auipc x7,0x80000", Op::Auipc, 7, kAny, kAny, -2147483648},
    {0x00001397, "auipc x7,0x00001", Op::Auipc, 7, kAny, kAny, 4096},
    {0x7ffff0ef, "jal x1,.+1048574", Op::Jal, 1, kAny, kAny, 1048574},
    {0x8000006f, "jal x0,.-1048576", Op::Jal, kZeroSink, kAny, kAny, -1048576},
    {0x002000ef, "jal x1,.+2", Op::Jal, 1, kAny, kAny, 2},
    {0xfffff0ef, "jal x1,.-2", Op::Jal, 1, kAny, kAny, -2},
    {0x001000ef, "jal x1,.+2048", Op::Jal, 1, kAny, kAny, 2048},
    {0x000010ef, "jal x1,.+4096", Op::Jal, 1, kAny, kAny, 4096},
    {0x7fe000ef, "jal x1,.+0x7fe", Op::Jal, 1, kAny, kAny, 0x7fe},
    {0x000ff0ef, "jal x1,.+0xff000", Op::Jal, 1, kAny, kAny, 0xff000},
    {0x800280e7, "jalr x1,-2048(x5)", Op::Jalr, 1, 5, kAny, -2048},
    {0x7fff8067, "jalr x0,2047(x31)", Op::Jalr, kZeroSink, 31, kAny, 2047},
    {0x00030367, "jalr x6,0(x6)", Op::Jalr, 6, 6, kAny, 0},
    {0x7e208fe3, "beq x1,x2,.+4094", Op::Beq, kAny, 1, 2, 4094},
    {0x80208063, "beq x1,x2,.-4096", Op::Beq, kAny, 1, 2, -4096},
    {0x00419163, "bne x3,x4,.+2", Op::Bne, kAny, 3, 4, 2},
    {0xfe62cfe3, "blt x5,x6,.-2", Op::Blt, kAny, 5, 6, -2},
    {0x0083d0e3, "bge x7,x8,.+2048", Op::Bge, kAny, 7, 8, 2048},
    {0x7fff6f63, "bltu x30,x31,.+0x7fe", Op::Bltu, kAny, 30, 31, 0x7fe},
    {0x020ff063, "bgeu x31,x0,.+0x20", Op::Bgeu, kAny, 31, 0, 0x20},
    {0x80010083, "lb x1,-2048(x2)", Op::Lb, 1, 2, kAny, -2048},
    {0x7ff21183, "lh x3,2047(x4)", Op::Lh, 3, 4, kAny, 2047},
    {0xfff32283, "lw x5,-1(x6)", Op::Lw, 5, 6, kAny, -1},
    {0x00843383, "ld x7,8(x8)", Op::Ld, 7, 8, kAny, 8},
    {0x00054483, "lbu x9,0(x10)", Op::Lbu, 9, 10, kAny, 0},
    {0x55565583, "lhu x11,0x555(x12)", Op::Lhu, 11, 12, kAny, 0x555},
    {0xaaaf6f83, "lwu x31,-0x556(x30)", Op::Lwu, 31, 30, kAny, -0x556},
    {0x0000b003, "ld x0,0(x1)", Op::Ld, kZeroSink, 1, kAny, 0},
    {0x80110023, "sb x1,-2048(x2)", Op::Sb, kAny, 2, 1, -2048},
    {0x7e321fa3, "sh x3,2047(x4)", Op::Sh, kAny, 4, 3, 2047},
    {0xfe532fa3, "sw x5,-1(x6)", Op::Sw, kAny, 6, 5, -1},
    {0x55ff3aa3, "sd x31,0x555(x30)", Op::Sd, kAny, 30, 31, 0x555},
    {0xaa743523, "sd x7,-0x556(x8)", Op::Sd, kAny, 8, 7, -0x556},
    {0x00953fa3, "sd x9,31(x10)", Op::Sd, kAny, 10, 9, 31},
    {0x02953023, "sd x9,32(x10)", Op::Sd, kAny, 10, 9, 32},
    {0xfff30293, "addi x5,x6,-1", Op::Addi, 5, 6, kAny, -1},
    {0x7ff10093, "addi x1,x2,2047", Op::Addi, 1, 2, kAny, 2047},
    {0x80010093, "addi x1,x2,-2048", Op::Addi, 1, 2, kAny, -2048},
    {0x00000013, "addi x0,x0,0", Op::Addi, kZeroSink, 0, kAny, 0},
    {0xffb22193, "slti x3,x4,-5", Op::Slti, 3, 4, kAny, -5},
    {0xfff23193, "sltiu x3,x4,-1", Op::Sltiu, 3, 4, kAny, -1},
    {0xfff34293, "xori x5,x6,-1", Op::Xori, 5, 6, kAny, -1},
    {0x7ff46393, "ori x7,x8,0x7ff", Op::Ori, 7, 8, kAny, 0x7ff},
    {0x80057493, "andi x9,x10,-2048", Op::Andi, 9, 10, kAny, -2048},
    {0x03f11093, "slli x1,x2,63", Op::Slli, 1, 2, kAny, 63},
    {0x02011093, "slli x1,x2,32", Op::Slli, 1, 2, kAny, 32},
    {0x03f25193, "srli x3,x4,63", Op::Srli, 3, 4, kAny, 63},
    {0x00125193, "srli x3,x4,1", Op::Srli, 3, 4, kAny, 1},
    {0x43f35293, "srai x5,x6,63", Op::Srai, 5, 6, kAny, 63},
    {0x40135293, "srai x5,x6,1", Op::Srai, 5, 6, kAny, 1},
    {0x40035293, "srai x5,x6,0", Op::Srai, 5, 6, kAny, 0},
    {0x01df0fb3, "add x31,x30,x29", Op::Add, 31, 30, 29, 0},
    {0x403100b3, "sub x1,x2,x3", Op::Sub, 1, 2, 3, 0},
    {0x00629233, "sll x4,x5,x6", Op::Sll, 4, 5, 6, 0},
    {0x009423b3, "slt x7,x8,x9", Op::Slt, 7, 8, 9, 0},
    {0x00c5b533, "sltu x10,x11,x12", Op::Sltu, 10, 11, 12, 0},
    {0x00f746b3, "xor x13,x14,x15", Op::Xor, 13, 14, 15, 0},
    {0x0128d833, "srl x16,x17,x18", Op::Srl, 16, 17, 18, 0},
    {0x415a59b3, "sra x19,x20,x21", Op::Sra, 19, 20, 21, 0},
    {0x018beb33, "or x22,x23,x24", Op::Or, 22, 23, 24, 0},
    {0x01bd7cb3, "and x25,x26,x27", Op::And, 25, 26, 27, 0},
    {0x00208033, "add x0,x1,x2", Op::Add, kZeroSink, 1, 2, 0},
    {0x8001009b, "addiw x1,x2,-2048", Op::Addiw, 1, 2, kAny, -2048},
    {0x7ff1009b, "addiw x1,x2,2047", Op::Addiw, 1, 2, kAny, 2047},
    {0x01f2119b, "slliw x3,x4,31", Op::Slliw, 3, 4, kAny, 31},
    {0x01f3529b, "srliw x5,x6,31", Op::Srliw, 5, 6, kAny, 31},
    {0x41f4539b, "sraiw x7,x8,31", Op::Sraiw, 7, 8, kAny, 31},
    {0x4004539b, "sraiw x7,x8,0", Op::Sraiw, 7, 8, kAny, 0},
    {0x003100bb, "addw x1,x2,x3", Op::Addw, 1, 2, 3, 0},
    {0x4062823b, "subw x4,x5,x6", Op::Subw, 4, 5, 6, 0},
    {0x009413bb, "sllw x7,x8,x9", Op::Sllw, 7, 8, 9, 0},
    {0x00c5d53b, "srlw x10,x11,x12", Op::Srlw, 10, 11, 12, 0},
    {0x40f756bb, "sraw x13,x14,x15", Op::Sraw, 13, 14, 15, 0},
    {0x023100b3, "mul x1,x2,x3", Op::Mul, 1, 2, 3, 0},
    {0x02629233, "mulh x4,x5,x6", Op::Mulh, 4, 5, 6, 0},
    {0x029423b3, "mulhsu x7,x8,x9", Op::Mulhsu, 7, 8, 9, 0},
    {0x02c5b533, "mulhu x10,x11,x12", Op::Mulhu, 10, 11, 12, 0},
    {0x02f746b3, "div x13,x14,x15", Op::Div, 13, 14, 15, 0},
    {0x0328d833, "divu x16,x17,x18", Op::Divu, 16, 17, 18, 0},
    {0x035a69b3, "rem x19,x20,x21", Op::Rem, 19, 20, 21, 0},
    {0x038bfb33, "remu x22,x23,x24", Op::Remu, 22, 23, 24, 0},
    {0x03bd0cbb, "mulw x25,x26,x27", Op::Mulw, 25, 26, 27, 0},
    {0x03eece3b, "divw x28,x29,x30", Op::Divw, 28, 29, 30, 0},
    {0x0220dfbb, "divuw x31,x1,x2", Op::Divuw, 31, 1, 2, 0},
    {0x025261bb, "remw x3,x4,x5", Op::Remw, 3, 4, 5, 0},
    {0x0283f33b, "remuw x6,x7,x8", Op::Remuw, 6, 7, 8, 0},
    {0x100120af, "lr.w x1,(x2)", Op::LrW, 1, 2, 0, kAnyImm},
    {0x160231af, "lr.d.aqrl x3,(x4)", Op::LrD, 3, 4, 0, kAnyImm},
    {0x1863a2af, "sc.w x5,x6,(x7)", Op::ScW, 5, 7, 6, kAnyImm},
    {0x1a95342f, "sc.d.rl x8,x9,(x10)", Op::ScD, 8, 10, 9, kAnyImm},
    {0x0821a0af, "amoswap.w x1,x2,(x3)", Op::AmoswapW, 1, 3, 2, kAnyImm},
    {0x0053222f, "amoadd.w x4,x5,(x6)", Op::AmoaddW, 4, 6, 5, kAnyImm},
    {0x2084a3af, "amoxor.w x7,x8,(x9)", Op::AmoxorW, 7, 9, 8, kAnyImm},
    {0x60b6252f, "amoand.w x10,x11,(x12)", Op::AmoandW, 10, 12, 11, kAnyImm},
    {0x40e7a6af, "amoor.w x13,x14,(x15)", Op::AmoorW, 13, 15, 14, kAnyImm},
    {0x8119282f, "amomin.w x16,x17,(x18)", Op::AmominW, 16, 18, 17, kAnyImm},
    {0xa14aa9af, "amomax.w x19,x20,(x21)", Op::AmomaxW, 19, 21, 20, kAnyImm},
    {0xc17c2b2f, "amominu.w x22,x23,(x24)", Op::AmominuW, 22, 24, 23, kAnyImm},
    {0xe1adacaf, "amomaxu.w x25,x26,(x27)", Op::AmomaxuW, 25, 27, 26, kAnyImm},
    {0x0c21b0af, "amoswap.d.aq x1,x2,(x3)", Op::AmoswapD, 1, 3, 2, kAnyImm},
    {0x0053322f, "amoadd.d x4,x5,(x6)", Op::AmoaddD, 4, 6, 5, kAnyImm},
    {0x2084b3af, "amoxor.d x7,x8,(x9)", Op::AmoxorD, 7, 9, 8, kAnyImm},
    {0x60b6352f, "amoand.d x10,x11,(x12)", Op::AmoandD, 10, 12, 11, kAnyImm},
    {0x40e7b6af, "amoor.d x13,x14,(x15)", Op::AmoorD, 13, 15, 14, kAnyImm},
    {0x8119382f, "amomin.d x16,x17,(x18)", Op::AmominD, 16, 18, 17, kAnyImm},
    {0xa14ab9af, "amomax.d x19,x20,(x21)", Op::AmomaxD, 19, 21, 20, kAnyImm},
    {0xc17c3b2f, "amominu.d x22,x23,(x24)", Op::AmominuD, 22, 24, 23, kAnyImm},
    {0xe7adb02f, "amomaxu.d.aqrl x0,x26,(x27)", Op::AmomaxuD, kZeroSink, 27, 26, kAnyImm},
    {0x0330000f, "fence rw,rw", Op::Fence, kAny, kAny, kAny, kAnyImm},
    {0x8330000f, "fence.tso", Op::Fence, kAny, kAny, kAny, kAnyImm},
    {0x0000100f, "fence.i", Op::FenceI, kAny, kAny, kAny, kAnyImm},
    {0x00000073, "ecall", Op::Ecall, kAny, kAny, kAny, kAnyImm},
    {0x00100073, "ebreak", Op::Ebreak, kAny, kAny, kAny, kAnyImm},
    {0x30200073, "mret", Op::Mret, kAny, kAny, kAny, kAnyImm},
    {0x10200073, "sret", Op::Sret, kAny, kAny, kAny, kAnyImm},
    {0x10500073, "wfi", Op::Wfi, kAny, kAny, kAny, kAnyImm},
    {0x12000073, "sfence.vma x0,x0", Op::SfenceVma, kAny, 0, 0, kAnyImm},
    {0x12628073, "sfence.vma x5,x6", Op::SfenceVma, kAny, 5, 6, kAnyImm},
    {0x300110f3, "csrrw x1,mstatus,x2", Op::Csrrw, 1, 2, kAny, 0x300},
    {0xc00021f3, "csrrs x3,cycle,x0", Op::Csrrs, 3, 0, kAny, 0xc00},
    {0xf1423073, "csrrc x0,mhartid,x4", Op::Csrrc, kZeroSink, 4, kAny, 0xf14},
    {0x340fd2f3, "csrrwi x5,mscratch,31", Op::Csrrwi, 5, 31, kAny, 0x340},
    {0xfff0e373, "csrrsi x6,0xfff,1", Op::Csrrsi, 6, 1, kAny, 0xfff},
    {0x100873f3, "csrrci x7,sstatus,16", Op::Csrrci, 7, 16, kAny, 0x100},
};

// Compressed encodings and the 32-bit instruction each expands to (RVC chapter, table "RVC expansions").
const Case k16[] = {
    {0x0040, "c.addi4spn x8,sp,4", Op::Addi, 8, 2, kAny, 4},
    {0x1ffc, "c.addi4spn x15,sp,1020", Op::Addi, 15, 2, kAny, 1020},
    {0x0424, "c.addi4spn x9,sp,520", Op::Addi, 9, 2, kAny, 520},
    {0x0028, "c.addi4spn x10,sp,8", Op::Addi, 10, 2, kAny, 8},
    {0x080c, "c.addi4spn x11,sp,16", Op::Addi, 11, 2, kAny, 16},
    {0x0090, "c.addi4spn x12,sp,64", Op::Addi, 12, 2, kAny, 64},
    {0x5c7c, "c.lw x15,124(x8)", Op::Lw, 15, 8, kAny, 124},
    {0x4124, "c.lw x9,64(x10)", Op::Lw, 9, 10, kAny, 64},
    {0x4144, "c.lw x9,4(x10)", Op::Lw, 9, 10, kAny, 4},
    {0x5104, "c.lw x9,32(x10)", Op::Lw, 9, 10, kAny, 32},
    {0x7fe0, "c.ld x8,248(x15)", Op::Ld, 8, 15, kAny, 248},
    {0x6780, "c.ld x8,8(x15)", Op::Ld, 8, 15, kAny, 8},
    {0x63c0, "c.ld x8,128(x15)", Op::Ld, 8, 15, kAny, 128},
    {0xdd64, "c.sw x9,124(x10)", Op::Sw, kAny, 10, 9, 124},
    {0xc124, "c.sw x9,64(x10)", Op::Sw, kAny, 10, 9, 64},
    {0xc144, "c.sw x9,4(x10)", Op::Sw, kAny, 10, 9, 4},
    {0xfc7c, "c.sd x15,248(x8)", Op::Sd, kAny, 8, 15, 248},
    {0xe05c, "c.sd x15,128(x8)", Op::Sd, kAny, 8, 15, 128},
    {0xe41c, "c.sd x15,8(x8)", Op::Sd, kAny, 8, 15, 8},
    {0x0001, "c.nop", Op::Addi, kZeroSink, 0, kAny, 0},
    {0x1281, "c.addi x5,-32", Op::Addi, 5, 5, kAny, -32},
    {0x0ffd, "c.addi x31,31", Op::Addi, 31, 31, kAny, 31},
    {0x0085, "c.addi x1,1", Op::Addi, 1, 1, kAny, 1},
    {0x32fd, "c.addiw x5,-1", Op::Addiw, 5, 5, kAny, -1},
    {0x2301, "c.addiw x6,0", Op::Addiw, 6, 6, kAny, 0},
    {0x237d, "c.addiw x6,31", Op::Addiw, 6, 6, kAny, 31},
    {0x5501, "c.li x10,-32", Op::Addi, 10, 0, kAny, -32},
    {0x457d, "c.li x10,31", Op::Addi, 10, 0, kAny, 31},
    {0x4015, "c.li x0,5", Op::Addi, kZeroSink, 0, kAny, 5},
    {0x7101, "c.addi16sp sp,-512", Op::Addi, 2, 2, kAny, -512},
    {0x617d, "c.addi16sp sp,496", Op::Addi, 2, 2, kAny, 496},
    {0x6141, "c.addi16sp sp,16", Op::Addi, 2, 2, kAny, 16},
    {0x717d, "c.addi16sp sp,-16", Op::Addi, 2, 2, kAny, -16},
    {0x6105, "c.addi16sp sp,32", Op::Addi, 2, 2, kAny, 32},
    {0x6121, "c.addi16sp sp,64", Op::Addi, 2, 2, kAny, 64},
    {0x6109, "c.addi16sp sp,128", Op::Addi, 2, 2, kAny, 128},
    {0x6111, "c.addi16sp sp,256", Op::Addi, 2, 2, kAny, 256},
    {0x7281, "c.lui x5,0xfffe0", Op::Lui, 5, kAny, kAny, -131072},
    {0x6285, "c.lui x5,1", Op::Lui, 5, kAny, kAny, 4096},
    {0x6ffd, "c.lui x31,0x1f", Op::Lui, 31, kAny, kAny, 0x1f000},
    {0x71fd, "c.lui x3,0xfffff", Op::Lui, 3, kAny, kAny, -4096},
    {0x907d, "c.srli x8,63", Op::Srli, 8, 8, kAny, 63},
    {0x8085, "c.srli x9,1", Op::Srli, 9, 9, kAny, 1},
    {0x8785, "c.srai x15,1", Op::Srai, 15, 15, kAny, 1},
    {0x9781, "c.srai x15,32", Op::Srai, 15, 15, kAny, 32},
    {0x9881, "c.andi x9,-32", Op::Andi, 9, 9, kAny, -32},
    {0x88fd, "c.andi x9,31", Op::Andi, 9, 9, kAny, 31},
    {0x8c1d, "c.sub x8,x15", Op::Sub, 8, 8, 15, 0},
    {0x8cb9, "c.xor x9,x14", Op::Xor, 9, 9, 14, 0},
    {0x8d55, "c.or x10,x13", Op::Or, 10, 10, 13, 0},
    {0x8df1, "c.and x11,x12", Op::And, 11, 11, 12, 0},
    {0x9e0d, "c.subw x12,x11", Op::Subw, 12, 12, 11, 0},
    {0x9ea9, "c.addw x13,x10", Op::Addw, 13, 13, 10, 0},
    {0xaffd, "c.j .+2046", Op::Jal, kZeroSink, kAny, kAny, 2046},
    {0xb001, "c.j .-2048", Op::Jal, kZeroSink, kAny, kAny, -2048},
    {0xa009, "c.j .+2", Op::Jal, kZeroSink, kAny, kAny, 2},
    {0xa011, "c.j .+4", Op::Jal, kZeroSink, kAny, kAny, 4},
    {0xa021, "c.j .+8", Op::Jal, kZeroSink, kAny, kAny, 8},
    {0xa801, "c.j .+16", Op::Jal, kZeroSink, kAny, kAny, 16},
    {0xa005, "c.j .+32", Op::Jal, kZeroSink, kAny, kAny, 32},
    {0xa081, "c.j .+64", Op::Jal, kZeroSink, kAny, kAny, 64},
    {0xa041, "c.j .+128", Op::Jal, kZeroSink, kAny, kAny, 128},
    {0xa201, "c.j .+256", Op::Jal, kZeroSink, kAny, kAny, 256},
    {0xa401, "c.j .+512", Op::Jal, kZeroSink, kAny, kAny, 512},
    {0xa101, "c.j .+1024", Op::Jal, kZeroSink, kAny, kAny, 1024},
    {0xbffd, "c.j .-2", Op::Jal, kZeroSink, kAny, kAny, -2},
    {0xcc7d, "c.beqz x8,.+254", Op::Beq, kAny, 8, 0, 254},
    {0xd001, "c.beqz x8,.-256", Op::Beq, kAny, 8, 0, -256},
    {0xc389, "c.beqz x15,.+2", Op::Beq, kAny, 15, 0, 2},
    {0xc391, "c.beqz x15,.+4", Op::Beq, kAny, 15, 0, 4},
    {0xc781, "c.beqz x15,.+8", Op::Beq, kAny, 15, 0, 8},
    {0xcb81, "c.beqz x15,.+16", Op::Beq, kAny, 15, 0, 16},
    {0xc385, "c.beqz x15,.+32", Op::Beq, kAny, 15, 0, 32},
    {0xc3a1, "c.beqz x15,.+64", Op::Beq, kAny, 15, 0, 64},
    {0xc3c1, "c.beqz x15,.+128", Op::Beq, kAny, 15, 0, 128},
    {0xfcfd, "c.bnez x9,.-2", Op::Bne, kAny, 9, 0, -2},
    {0xecfd, "c.bnez x9,.+254", Op::Bne, kAny, 9, 0, 254},
    {0x12fe, "c.slli x5,63", Op::Slli, 5, 5, kAny, 63},
    {0x0086, "c.slli x1,1", Op::Slli, 1, 1, kAny, 1},
    {0x1f82, "c.slli x31,32", Op::Slli, 31, 31, kAny, 32},
    {0x52fe, "c.lwsp x5,252(sp)", Op::Lw, 5, 2, kAny, 252},
    {0x4292, "c.lwsp x5,4(sp)", Op::Lw, 5, 2, kAny, 4},
    {0x5282, "c.lwsp x5,32(sp)", Op::Lw, 5, 2, kAny, 32},
    {0x4286, "c.lwsp x5,64(sp)", Op::Lw, 5, 2, kAny, 64},
    {0x737e, "c.ldsp x6,504(sp)", Op::Ld, 6, 2, kAny, 504},
    {0x6322, "c.ldsp x6,8(sp)", Op::Ld, 6, 2, kAny, 8},
    {0x7302, "c.ldsp x6,32(sp)", Op::Ld, 6, 2, kAny, 32},
    {0x6306, "c.ldsp x6,64(sp)", Op::Ld, 6, 2, kAny, 64},
    {0xdf9e, "c.swsp x7,252(sp)", Op::Sw, kAny, 2, 7, 252},
    {0xc21e, "c.swsp x7,4(sp)", Op::Sw, kAny, 2, 7, 4},
    {0xc09e, "c.swsp x7,64(sp)", Op::Sw, kAny, 2, 7, 64},
    {0xfffe, "c.sdsp x31,504(sp)", Op::Sd, kAny, 2, 31, 504},
    {0xe47e, "c.sdsp x31,8(sp)", Op::Sd, kAny, 2, 31, 8},
    {0xe0fe, "c.sdsp x31,64(sp)", Op::Sd, kAny, 2, 31, 64},
    {0x8082, "c.jr x1", Op::Jalr, kZeroSink, 1, kAny, 0},
    {0x829a, "c.mv x5,x6", Op::Add, 5, 0, 6, 0},
    {0x9002, "c.ebreak", Op::Ebreak, kAny, kAny, kAny, kAnyImm},
    {0x9282, "c.jalr x5", Op::Jalr, 1, 5, kAny, 0},
    {0x929a, "c.add x5,x6", Op::Add, 5, 5, 6, 0},
};

}  // namespace

TEST(Decoder, InsnLength) {
  EXPECT_EQ(insn_length(0x0000), 2u);
  EXPECT_EQ(insn_length(0x0001), 2u);
  EXPECT_EQ(insn_length(0x0002), 2u);
  EXPECT_EQ(insn_length(0x0003), 4u);
  EXPECT_EQ(insn_length(0xffff), 4u);
  EXPECT_EQ(insn_length(0x7101), 2u);
}

TEST(Decoder, ThirtyTwoBitFormsAndImmediates) {
  for (const Case& c : k32) check(c, decode(c.bits), 4);
}

TEST(Decoder, CompressedExpansions) {
  for (const Case& c : k16) check(c, decode_compressed(static_cast<uint16_t>(c.bits)), 2);
}

// The B immediate is imm[12|10:5] in bits 31:25 and imm[4:1|11] in bits 11:7; walk one bit at a time.
TEST(Decoder, BranchImmediateEveryBit) {
  for (int bit = 1; bit <= 12; ++bit) {
    const uint32_t imm = 1u << bit;
    const uint32_t enc = (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (2u << 20) | (1u << 15) |
                         (0u << 12) | (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63;
    const int64_t expected = bit == 12 ? -4096 : static_cast<int64_t>(imm);
    const DecodedInsn d = decode(enc);
    EXPECT_EQ(d.op, Op::Beq) << "bit " << bit;
    EXPECT_EQ(d.imm, expected) << "bit " << bit;
  }
}

// The J immediate is imm[20|10:1|11|19:12] in bits 31:12.
TEST(Decoder, JalImmediateEveryBit) {
  for (int bit = 1; bit <= 20; ++bit) {
    const uint32_t imm = 1u << bit;
    const uint32_t enc = (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) |
                         (((imm >> 11) & 1) << 20) | (((imm >> 12) & 0xff) << 12) | (1u << 7) | 0x6f;
    const int64_t expected = bit == 20 ? -(1 << 20) : static_cast<int64_t>(imm);
    const DecodedInsn d = decode(enc);
    EXPECT_EQ(d.op, Op::Jal) << "bit " << bit;
    EXPECT_EQ(d.imm, expected) << "bit " << bit;
  }
}

// The S immediate is imm[11:5] in bits 31:25 and imm[4:0] in bits 11:7.
TEST(Decoder, StoreImmediateEveryBit) {
  for (int bit = 0; bit <= 11; ++bit) {
    const uint32_t imm = 1u << bit;
    const uint32_t enc =
        ((imm >> 5) << 25) | (5u << 20) | (6u << 15) | (3u << 12) | ((imm & 0x1f) << 7) | 0x23;
    const int64_t expected = bit == 11 ? -2048 : static_cast<int64_t>(imm);
    const DecodedInsn d = decode(enc);
    EXPECT_EQ(d.op, Op::Sd) << "bit " << bit;
    EXPECT_EQ(d.imm, expected) << "bit " << bit;
  }
}

TEST(Decoder, CsrNumberIsZeroExtended) {
  // csrrs x1, 0xc80 (cycleh's number, any CSR >= 0x800), x0: the 12-bit CSR field is an address.
  const DecodedInsn d = decode(0xc80020f3);
  EXPECT_EQ(d.op, Op::Csrrs);
  EXPECT_EQ(d.imm, 0xc80);
}

// Opcode map (unprivileged spec, "RISC-V base opcode map"): every major opcode RV64IMAC+Zicsr+Zifencei
// does not use is illegal (LOAD-FP, STORE-FP, custom-0..3, AMO widths, OP-FP, OP-V, MADD.., 48/64-bit).
TEST(Decoder, UnusedMajorOpcodesAreIllegal) {
  const std::initializer_list<uint32_t> used = {0x03, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x2f,
                                                0x33, 0x37, 0x3b, 0x63, 0x67, 0x6f, 0x73};
  for (uint32_t opc = 0x03; opc < 0x80; opc += 4) {
    bool is_used = false;
    for (uint32_t u : used) is_used |= u == opc;
    if (is_used) continue;
    for (uint32_t rest : {0x00000000u, 0x00002000u, 0xfffff000u, 0x12345f80u}) {
      const uint32_t bits = rest | opc;
      const DecodedInsn d = decode(bits);
      EXPECT_EQ(d.op, Op::Illegal) << std::hex << "0x" << bits;
      EXPECT_EQ(d.bits, bits);
      EXPECT_EQ(d.len, 4u);
    }
  }
}

namespace {
void expect_illegal32(uint32_t bits, const char* why) {
  const DecodedInsn d = decode(bits);
  EXPECT_EQ(d.op, Op::Illegal) << why << std::hex << " 0x" << bits << " decoded as " << op_name(d.op);
  EXPECT_EQ(d.bits, bits) << why;
  EXPECT_EQ(d.len, 4u) << why;
}
void expect_illegal16(uint16_t bits, const char* why) {
  const DecodedInsn d = decode_compressed(bits);
  EXPECT_EQ(d.op, Op::Illegal) << why << std::hex << " 0x" << bits << " decoded as " << op_name(d.op);
  EXPECT_EQ(d.bits, bits) << why;
  EXPECT_EQ(d.len, 2u) << why;
}
constexpr uint32_t with_f3(uint32_t bits, uint32_t f3) {
  return (bits & ~(7u << 12)) | (f3 << 12);
}
constexpr uint32_t with_f7(uint32_t bits, uint32_t f7) {
  return (bits & ~(0x7fu << 25)) | (f7 << 25);
}
}  // namespace

TEST(Decoder, IllegalThirtyTwoBit) {
  expect_illegal32(0xffffffff, "all ones");
  expect_illegal32(0x00002007, "flw (no F extension)");
  expect_illegal32(0x00003027, "fsd (no D extension)");
  expect_illegal32(0x00b50553, "fadd.s (no F extension)");

  const uint32_t add = 0x003100b3;  // add x1,x2,x3
  for (uint32_t f3 : {1u, 2u, 3u, 4u, 6u, 7u})
    expect_illegal32(with_f7(with_f3(add, f3), 0x20), "OP f7=0x20 hole");
  for (uint32_t f3 = 0; f3 < 8; ++f3) {
    expect_illegal32(with_f7(with_f3(add, f3), 0x02), "OP f7=0x02");
    expect_illegal32(with_f7(with_f3(add, f3), 0x40), "OP f7=0x40");
    expect_illegal32(with_f7(with_f3(add, f3), 0x04), "OP f7=0x04 (Zba/Zbb space)");
    expect_illegal32(with_f7(with_f3(add, f3), 0x05), "OP f7=0x05 (Zbb min/max)");
  }

  const uint32_t addw = 0x003100bb;  // addw x1,x2,x3
  for (uint32_t f3 : {2u, 3u, 4u, 6u, 7u}) expect_illegal32(with_f3(addw, f3), "OP-32 f7=0 hole");
  for (uint32_t f3 : {1u, 2u, 3u})
    expect_illegal32(with_f7(with_f3(addw, f3), 0x01), "OP-32 M hole (no MULHW)");
  for (uint32_t f3 : {1u, 2u, 3u, 4u, 6u, 7u})
    expect_illegal32(with_f7(with_f3(addw, f3), 0x20), "OP-32 f7=0x20 hole");
  expect_illegal32(with_f7(addw, 0x04), "add.uw (Zba)");

  const uint32_t slli = 0x00111093;  // slli x1,x2,1
  expect_illegal32(slli | (1u << 26), "slli imm[6] set");
  expect_illegal32(slli | (1u << 31), "slli imm[11] set");
  expect_illegal32(slli | (0x10u << 26), "slli with funct6 of srai");
  expect_illegal32(0x60011093 & ~(0x1fu << 20), "clz (Zbb)");
  const uint32_t srli = 0x00115093;  // srli x1,x2,1
  expect_illegal32(srli | (1u << 26), "srli imm[6] set");
  expect_illegal32(srli | (0x11u << 26), "srai with imm[6] set");
  expect_illegal32(srli | (0x18u << 26), "rori (Zbb)");
  expect_illegal32(srli | (0x20u << 26), "srli imm[11] set");

  const uint32_t slliw = 0x0011109b;  // slliw x1,x2,1
  expect_illegal32(slliw | (1u << 25), "slliw shamt[5] set (reserved)");
  expect_illegal32(slliw | (0x20u << 25), "slliw funct7=0x20");
  const uint32_t srliw = 0x0011509b;  // srliw x1,x2,1
  expect_illegal32(srliw | (1u << 25), "srliw shamt[5] set (reserved)");
  expect_illegal32(srliw | (0x21u << 25), "sraiw shamt[5] set (reserved)");
  expect_illegal32(srliw | (0x30u << 25), "roriw (Zbb)");
  for (uint32_t f3 : {2u, 3u, 4u, 6u, 7u}) expect_illegal32(with_f3(0x0011009b, f3), "OP-IMM-32 funct3 hole");

  expect_illegal32(with_f3(0x00013083, 7), "load funct3=7");  // ld x1,0(x2) with funct3 7
  for (uint32_t f3 = 4; f3 < 8; ++f3) expect_illegal32(with_f3(0x00113023, f3), "store funct3>=4");
  for (uint32_t f3 : {2u, 3u}) expect_illegal32(with_f3(0x00208063, f3), "branch funct3 2/3");
  for (uint32_t f3 = 1; f3 < 8; ++f3) expect_illegal32(with_f3(0x000080e7, f3), "jalr funct3!=0");

  const uint32_t lr_w = 0x100120af;  // lr.w x1,(x2)
  expect_illegal32(lr_w | (3u << 20), "lr.w with rs2!=0");
  expect_illegal32(with_f3(lr_w, 3) | (1u << 20), "lr.d with rs2!=0");
  const uint32_t amoadd_w = 0x003120af;  // amoadd.w x1,x3,(x2)
  for (uint32_t f3 : {0u, 1u, 4u, 5u, 6u, 7u})
    expect_illegal32(with_f3(amoadd_w, f3), "AMO width other than W/D");
  for (uint32_t f5 : {0x05u, 0x06u, 0x07u, 0x09u, 0x1fu})
    expect_illegal32((amoadd_w & ~(0x1fu << 27)) | (f5 << 27), "AMO funct5 hole");

  for (uint32_t f3 = 2; f3 < 8; ++f3) expect_illegal32(with_f3(0x0000000f, f3), "MISC-MEM funct3 hole");

  expect_illegal32(0x000000f3, "ecall with rd!=0");
  expect_illegal32(0x00008073, "ecall with rs1!=0");
  expect_illegal32(0x00200073, "uret (no N extension)");
  expect_illegal32(0x7b200073, "dret outside debug mode");
  expect_illegal32(0x10528073, "wfi with rs1!=0");
  expect_illegal32(0x120000f3, "sfence.vma with rd!=0");
  expect_illegal32(0x22000073, "hfence.vvma (no H extension)");
  expect_illegal32(0x30200073 | (1u << 7), "mret with rd!=0");
  expect_illegal32(with_f3(0x300020f3, 4), "SYSTEM funct3=4");
}

TEST(Decoder, IllegalCompressed) {
  expect_illegal16(0x0000, "all-zero parcel");
  expect_illegal16(0x0004, "c.addi4spn nzuimm=0 (rd'=x9)");
  expect_illegal16(0x0010, "c.addi4spn nzuimm=0 (rd'=x12)");
  expect_illegal16(0x6281, "c.lui x5 nzimm=0");
  expect_illegal16(0x6001, "c.lui x0 nzimm=0");
  expect_illegal16(0x6101, "c.addi16sp nzimm=0");
  expect_illegal16(0x4002, "c.lwsp rd=0");
  expect_illegal16(0x4012, "c.lwsp rd=0 with offset");
  expect_illegal16(0x6002, "c.ldsp rd=0");
  expect_illegal16(0x8002, "c.jr rs1=0");
  expect_illegal16(0x2001, "c.addiw rd=0");
  expect_illegal16(0x2005, "c.addiw rd=0 imm=1");
  expect_illegal16(0x2000, "c.fld (no D)");
  expect_illegal16(0x3ffc, "c.fld (no D)");
  expect_illegal16(0xa000, "c.fsd (no D)");
  expect_illegal16(0x8000, "reserved quadrant-0 funct3=100");
  expect_illegal16(0x2002, "c.fldsp (no D)");
  expect_illegal16(0xa002, "c.fsdsp (no D)");
  expect_illegal16(0x9c41, "reserved arith (bit12=1, funct2=10)");
  expect_illegal16(0x9c61, "reserved arith (bit12=1, funct2=11)");
}

// HINT encodings are legal instructions that must execute as their expansion (RVC "HINT instructions").
TEST(Decoder, CompressedHintsAreNotIllegal) {
  const Case hints[] = {
      {0x0281, "c.addi x5,0", Op::Addi, 5, 5, kAny, 0},
      {0x6005, "c.lui x0,1", Op::Lui, kZeroSink, kAny, kAny, 4096},
      {0x8016, "c.mv x0,x5", Op::Add, kZeroSink, 0, 5, kAnyImm},
      {0x0006, "c.slli x0,1", Op::Slli, kZeroSink, 0, kAny, 1},
      {0x9016, "c.add x0,x5", Op::Add, kZeroSink, 0, 5, kAnyImm},
      {0x0282, "c.slli64 x5", Op::Slli, 5, 5, kAny, 0},
      {0x8001, "c.srli64 x8", Op::Srli, 8, 8, kAny, 0},
  };
  for (const Case& c : hints) check(c, decode_compressed(static_cast<uint16_t>(c.bits)), 2);
}

TEST(Decoder, OpNamesAreDistinct) {
  for (size_t i = 0; i < static_cast<size_t>(Op::Count); ++i)
    for (size_t j = i + 1; j < static_cast<size_t>(Op::Count); ++j)
      EXPECT_STRNE(op_name(static_cast<Op>(i)), op_name(static_cast<Op>(j)));
  EXPECT_STREQ(op_name(Op::Addi), "addi");
  EXPECT_STREQ(op_name(Op::AmomaxuD), "amomaxu.d");
}
