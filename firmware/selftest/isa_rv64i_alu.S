/* RV64I integer computational instructions on 64-bit values: ADD SUB SLL SLT SLTU XOR SRL SRA OR AND,
 * ADDI SLTI SLTIU XORI ORI ANDI SLLI SRLI SRAI, LUI, AUIPC; signed/unsigned edges, wrap-around,
 * shift amounts masked to 6 bits, immediates sign-extended, x0 as source and as (ignored) destination.
 * Expected values are hand-computed from the unprivileged spec. */
#include "isa_macros.h"

  .text
  /* Base 32-bit encodings only: this file tests RV64I, the compressed forms live in isa_rvc.S. */
  .option norvc
  .globl main
main:
  /* ---- ADD ---- */
  TEST_RR_OP( 1, add, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
  TEST_RR_OP( 2, add, 0x000000000000000a, 0x0000000000000003, 0x0000000000000007)
  TEST_RR_OP( 3, add, 0x8000000000000000, 0x7fffffffffffffff, 0x0000000000000001) /* signed overflow wraps */
  TEST_RR_OP( 4, add, 0x0000000000000000, 0x8000000000000000, 0x8000000000000000)
  TEST_RR_OP( 5, add, 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000001)
  TEST_RR_OP( 6, add, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_RR_OP( 7, add, 0x0000000100000000, 0x00000000ffffffff, 0x0000000000000001) /* no 32-bit wrap */
  TEST_RR_OP( 8, add, 0x00000000fffffffe, 0x000000007fffffff, 0x000000007fffffff) /* no sign-extension */
  TEST_RR_SRC1_EQ_DEST( 9, add, 24, 13, 11)
  TEST_RR_SRC2_EQ_DEST(10, add, 25, 14, 11)
  TEST_RR_SRC12_EQ_DEST(11, add, 26, 13)
  TEST_RR_ZEROSRC1(12, add, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_RR_ZEROSRC2(13, add, 0x1234567890abcdef, 0x1234567890abcdef)
  TEST_RR_ZERODEST(14, add, 0x11, 0x22)

  /* ---- SUB ---- */
  TEST_RR_OP(15, sub, 0xffffffffffffffff, 0x0000000000000000, 0x0000000000000001)
  TEST_RR_OP(16, sub, 0x7fffffffffffffff, 0x8000000000000000, 0x0000000000000001) /* wraps */
  TEST_RR_OP(17, sub, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
  TEST_RR_OP(18, sub, 0x0000000000000002, 0x0000000000000005, 0x0000000000000003)
  TEST_RR_OP(19, sub, 0x00000000ffffffff, 0x0000000100000000, 0x0000000000000001)
  TEST_RR_SRC12_EQ_DEST(20, sub, 0, 0x5555aaaa5555aaaa)
  TEST_RR_ZEROSRC1(21, sub, 0xfffffffffffffffb, 5) /* neg */
  TEST_RR_ZERODEST(22, sub, 0x33, 0x11)

  /* ---- SLL: shift amount is rs2[5:0] ---- */
  TEST_RR_OP(23, sll, 0x0000000000000001, 0x0000000000000001, 0)
  TEST_RR_OP(24, sll, 0x8000000000000000, 0x0000000000000001, 63)
  TEST_RR_OP(25, sll, 0x0000000000000001, 0x0000000000000001, 64)                 /* 64 & 63 = 0 */
  TEST_RR_OP(26, sll, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffc1) /* & 63 = 1 */
  TEST_RR_OP(27, sll, 0x2121212100000000, 0x0000000021212121, 32)
  TEST_RR_OP(28, sll, 0x0000084848484000, 0x0000000021212121, 14)
  TEST_RR_ZERODEST(29, sll, 1, 1)

  /* ---- SRL ---- */
  TEST_RR_OP(30, srl, 0x0000000000000001, 0x8000000000000000, 63)
  TEST_RR_OP(31, srl, 0x4000000000000000, 0x8000000000000000, 1)
  TEST_RR_OP(32, srl, 0x00000000ffffffff, 0xffffffffffffffff, 32)
  TEST_RR_OP(33, srl, 0x8000000000000001, 0x8000000000000001, 0x40)               /* & 63 = 0 */
  TEST_RR_OP(34, srl, 0x00000001ffffffff, 0xffffffff80000000, 31)
  TEST_RR_OP(35, srl, 0x0000000000000001, 0x8000000000000000, 0xffffffffffffffff) /* & 63 = 63 */

  /* ---- SRA ---- */
  TEST_RR_OP(36, sra, 0xffffffffffffffff, 0x8000000000000000, 63)
  TEST_RR_OP(37, sra, 0xc000000000000000, 0x8000000000000000, 1)
  TEST_RR_OP(38, sra, 0x0000000000000001, 0x7fffffffffffffff, 62)
  TEST_RR_OP(39, sra, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffc0) /* & 63 = 0 */
  TEST_RR_OP(40, sra, 0xffffffffffffffff, 0xffffffff80000000, 31)
  TEST_RR_OP(41, sra, 0x0000000000000001, 0x0000000080000000, 31)  /* bit 31 is not the sign here */
  TEST_RR_ZERODEST(42, sra, 0x8000000000000000, 1)

  /* ---- SLT (signed) ---- */
  TEST_RR_OP(43, slt, 0, 0x0000000000000000, 0x0000000000000000)
  TEST_RR_OP(44, slt, 1, 0xffffffffffffffff, 0x0000000000000001)
  TEST_RR_OP(45, slt, 0, 0x0000000000000001, 0xffffffffffffffff)
  TEST_RR_OP(46, slt, 1, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR_OP(47, slt, 0, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_RR_OP(48, slt, 1, 0xfffffffffffffffe, 0xffffffffffffffff)
  TEST_RR_OP(49, slt, 0, 0x0000000000000005, 0x0000000000000005)
  TEST_RR_ZEROSRC1(50, slt, 1, 1)                          /* sgtz */
  TEST_RR_ZEROSRC2(51, slt, 1, 0x8000000000000000)         /* sltz */

  /* ---- SLTU (unsigned) ---- */
  TEST_RR_OP(52, sltu, 1, 0x0000000000000001, 0xffffffffffffffff)
  TEST_RR_OP(53, sltu, 0, 0xffffffffffffffff, 0x0000000000000001)
  TEST_RR_OP(54, sltu, 0, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR_OP(55, sltu, 1, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_RR_OP(56, sltu, 0, 0x0000000000000000, 0x0000000000000000)
  TEST_RR_OP(57, sltu, 1, 0xfffffffffffffffe, 0xffffffffffffffff)
  TEST_RR_ZEROSRC1(58, sltu, 1, 5)                         /* snez */
  TEST_RR_ZEROSRC1(59, sltu, 0, 0)
  TEST_RR_ZERODEST(60, sltu, 0, 1)

  /* ---- XOR OR AND ---- */
  TEST_RR_OP(61, xor, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0)
  TEST_RR_OP(62, xor, 0xfedcba9876543210, 0xffffffffffffffff, 0x0123456789abcdef)
  TEST_RR_SRC12_EQ_DEST(63, xor, 0, 0x0123456789abcdef)
  TEST_RR_OP(64, or,  0xfff0fff0fff0fff0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0)
  TEST_RR_OP(65, or,  0x8000000000000001, 0x8000000000000000, 0x0000000000000001)
  TEST_RR_ZEROSRC2(66, or, 0xaaaa5555aaaa5555, 0xaaaa5555aaaa5555)
  TEST_RR_OP(67, and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0)
  TEST_RR_OP(68, and, 0x0000000000000000, 0xaaaaaaaaaaaaaaaa, 0x5555555555555555)
  TEST_RR_ZEROSRC2(69, and, 0, 0xffffffffffffffff)
  TEST_RR_ZERODEST(70, xor, 0x1, 0x2)
  TEST_RR_ZERODEST(71, or, 0x1, 0x2)
  TEST_RR_ZERODEST(72, and, 0x3, 0x3)

  /* ---- ADDI: 12-bit sign-extended immediate, -2048..2047 ---- */
  TEST_IMM_OP(73, addi, 0x00000000000007ff, 0x0000000000000000, 2047)
  TEST_IMM_OP(74, addi, 0xfffffffffffff800, 0x0000000000000000, -2048)
  TEST_IMM_OP(75, addi, 0x8000000000000000, 0x7fffffffffffffff, 1)
  TEST_IMM_OP(76, addi, 0x7fffffffffffffff, 0x8000000000000000, -1)
  TEST_IMM_OP(77, addi, 0x0000000100000000, 0x00000000ffffffff, 1)
  TEST_IMM_OP(78, addi, 0xfffffffffffff7ff, 0xffffffffffffffff, -2048)
  TEST_IMM_SRC1_EQ_DEST(79, addi, 0x0000000000000018, 13, 11)
  TEST_IMM_ZEROSRC1(80, addi, 0xfffffffffffffc00, -1024)  /* li */
  TEST_IMM_ZERODEST(81, addi, 5, 7)
  /* addi x0, x0, 5 (not the canonical NOP, but still has no effect) */
  TEST_CASE(82, x0, 0, addi x0, x0, 5)

  /* ---- SLTI (signed compare with sign-extended immediate) ---- */
  TEST_IMM_OP(83, slti, 0, 0x0000000000000000, -1)
  TEST_IMM_OP(84, slti, 1, 0xffffffffffffffff, 0)
  TEST_IMM_OP(85, slti, 0, 0x00000000000007ff, 2047)
  TEST_IMM_OP(86, slti, 1, 0x00000000000007fe, 2047)
  TEST_IMM_OP(87, slti, 1, 0xfffffffffffff7ff, -2048)
  TEST_IMM_OP(88, slti, 1, 0x8000000000000000, -2048)
  TEST_IMM_OP(89, slti, 0, 0x7fffffffffffffff, -1)
  TEST_IMM_ZERODEST(90, slti, 0, 1)

  /* ---- SLTIU (immediate is sign-extended, then compared unsigned) ---- */
  TEST_IMM_OP(91, sltiu, 1, 0x0000000000000000, -1)
  TEST_IMM_OP(92, sltiu, 1, 0xfffffffffffffffe, -1)
  TEST_IMM_OP(93, sltiu, 0, 0xffffffffffffffff, -1)
  TEST_IMM_OP(94, sltiu, 0, 0x0000000000000800, 2047)
  TEST_IMM_OP(95, sltiu, 1, 0x00000000000007fe, 2047)
  TEST_IMM_OP(96, sltiu, 1, 0x0000000000000000, 1)          /* seqz */
  TEST_IMM_OP(97, sltiu, 0, 0x0000000000000001, 1)
  TEST_IMM_OP(98, sltiu, 1, 0x8000000000000000, -2048)      /* < 0xfffffffffffff800 */

  /* ---- XORI ORI ANDI ---- */
  TEST_IMM_OP( 99, xori, 0xff00ff00ff00ff00, 0x00ff00ff00ff00ff, -1)  /* not */
  TEST_IMM_OP(100, xori, 0xff00ff00ff00fff0, 0xff00ff00ff00ff00, 0x0f0)
  TEST_IMM_OP(101, xori, 0xfedcba98765435ef, 0x0123456789abcdef, -2048)
  TEST_IMM_OP(102, ori,  0xff00ff00ff00fff0, 0xff00ff00ff00ff00, 0x0f0)
  TEST_IMM_OP(103, ori,  0xffffffffffffffff, 0x0000000000000000, -1)
  TEST_IMM_OP(104, ori,  0xfffffffffffff800, 0x0000000100000000, -2048)
  TEST_IMM_ZEROSRC1(105, ori, 0x7ff, 2047)
  TEST_IMM_OP(106, andi, 0x0000000000000700, 0xff00ff00ff00ff00, 0x70f)
  TEST_IMM_OP(107, andi, 0xff00ff00ff00ff00, 0xff00ff00ff00ff00, -1)
  TEST_IMM_OP(108, andi, 0x123456789abcd800, 0x123456789abcdeff, -2048)
  TEST_IMM_SRC1_EQ_DEST(109, andi, 0x0000000000000001, 0xffffffffffffffff, 1)
  TEST_IMM_ZERODEST(110, xori, 1, 2)
  TEST_IMM_ZERODEST(111, ori, 1, 2)
  TEST_IMM_ZERODEST(112, andi, 3, 3)

  /* ---- SLLI SRLI SRAI: 6-bit shamt (0..63) ---- */
  TEST_IMM_OP(113, slli, 0x8000000000000000, 0x0000000000000001, 63)
  TEST_IMM_OP(114, slli, 0x0000000000000001, 0x0000000000000001, 0)
  TEST_IMM_OP(115, slli, 0xffffffff00000000, 0xffffffffffffffff, 32)
  TEST_IMM_OP(116, slli, 0x4242424200000000, 0x0000000021212121, 33)
  TEST_IMM_OP(117, slli, 0x0000000100000000, 0x0000000080000000, 1)  /* no 32-bit sign-extension */
  TEST_IMM_OP(118, srli, 0x0000000000000001, 0x8000000000000000, 63)
  TEST_IMM_OP(119, srli, 0x7fffffffffffffff, 0xffffffffffffffff, 1)
  TEST_IMM_OP(120, srli, 0x00000000ffffffff, 0xffffffff80000000, 32)
  TEST_IMM_OP(121, srli, 0xffffffff80000000, 0xffffffff80000000, 0)
  TEST_IMM_OP(122, srli, 0x0000000040000000, 0x8000000000000000, 33)
  TEST_IMM_OP(123, srai, 0xffffffffffffffff, 0x8000000000000000, 63)
  TEST_IMM_OP(124, srai, 0xffffffffc0000000, 0x8000000000000000, 33)
  TEST_IMM_OP(125, srai, 0x0000000000000000, 0x7fffffffffffffff, 63)
  TEST_IMM_OP(126, srai, 0xffffffff80000000, 0xffffffff80000000, 0)
  TEST_IMM_OP(127, srai, 0x0000000040000000, 0x0000000080000000, 1)
  TEST_IMM_SRC1_EQ_DEST(128, srai, 0xfffffffffffffff0, 0xffffffffffffff00, 4)
  TEST_IMM_ZERODEST(129, slli, 1, 1)
  TEST_IMM_ZERODEST(130, srli, 0x80, 1)
  TEST_IMM_ZERODEST(131, srai, 0x80, 1)

  /* ---- LUI: imm << 12, sign-extended from bit 31 ---- */
  TEST_CASE(132, a4, 0x0000000000000000, lui a4, 0)
  TEST_CASE(133, a4, 0x0000000000001000, lui a4, 1)
  TEST_CASE(134, a4, 0x000000007ffff000, lui a4, 0x7ffff)
  TEST_CASE(135, a4, 0xffffffff80000000, lui a4, 0x80000)
  TEST_CASE(136, a4, 0xfffffffffffff000, lui a4, 0xfffff)
  TEST_CASE(137, a4, 0x0000000012345678, lui a4, 0x12345; addi a4, a4, 0x678)
  TEST_CASE(138, x0, 0, lui x0, 0x80000)

  /* ---- AUIPC: pc + (imm << 12, sign-extended); the pc comes from a jal link, not from la ---- */
  TEST_CASE(139, a4, 0x0000000000000000, jal a5, 1f; 1: auipc a4, 0; sub a4, a4, a5)
  TEST_CASE(140, a4, 0x0000000012345000, jal a5, 1f; 1: auipc a4, 0x12345; sub a4, a4, a5)
  TEST_CASE(141, a4, 0xfffffffffffff000, jal a5, 1f; 1: auipc a4, 0xfffff; sub a4, a4, a5)
  TEST_CASE(142, a4, 0xffffffff80000000, jal a5, 1f; 1: auipc a4, 0x80000; sub a4, a4, a5)
  TEST_CASE(143, a4, 0x000000007ffff000, jal a5, 1f; 1: auipc a4, 0x7ffff; sub a4, a4, a5)
  TEST_CASE(144, x0, 0, auipc x0, 0x12345)

  /* ---- NOP and x0 hard-wiring ---- */
  TEST_CASE(145, a4, 7, li a4, 7; nop; addi x0, x0, 0)
  TEST_CASE(146, a4, 0, li a4, 7; mv a4, x0)

  ISA_PASS
  ISA_FAIL_CODE
