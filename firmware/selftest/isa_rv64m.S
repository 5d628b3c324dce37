/* RV64M: MUL MULH MULHSU MULHU MULW DIV DIVU REM REMU DIVW DIVUW REMW REMUW.
 * Edge cases from the spec's division table: x/0 gives all ones (quotient) and x (remainder),
 * INT_MIN/-1 gives INT_MIN (quotient) and 0 (remainder); division rounds toward zero and the
 * remainder takes the dividend's sign. W forms use the low 32 bits of both sources and sign-extend
 * the 32-bit result (DIVUW/REMUW too). Expected values are hand-computed. */
#include "isa_macros.h"

  .text
  .option norvc
  .globl main
main:
  /* ---- MUL: low 64 bits of the product (same for signed and unsigned) ---- */
  TEST_RR_OP( 1, mul, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
  TEST_RR_OP( 2, mul, 0x0000000000000015, 0x0000000000000003, 0x0000000000000007)
  TEST_RR_OP( 3, mul, 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_RR_OP( 4, mul, 0xfffffffffffffffe, 0x7fffffffffffffff, 0x0000000000000002)
  TEST_RR_OP( 5, mul, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
  TEST_RR_OP( 6, mul, 0x0000000000000000, 0x0000000100000000, 0x0000000100000000) /* 2^64 */
  TEST_RR_OP( 7, mul, 0xffffffffffffffff, 0x0000000100000001, 0x00000000ffffffff) /* 2^64-1 */
  TEST_RR_OP( 8, mul, 0xfffffffffffffff1, 0xfffffffffffffffd, 0x0000000000000005) /* -3*5 */
  TEST_RR_OP( 9, mul, 0x0000000000000001, 0xaaaaaaaaaaaaaaab, 0x0000000000000003) /* 2^65+1 */
  TEST_RR_SRC12_EQ_DEST(10, mul, 0x0000000000000090, 12)
  TEST_RR_ZEROSRC1(11, mul, 0, 0xffffffffffffffff)
  TEST_RR_ZERODEST(12, mul, 3, 4)

  /* ---- MULH: high 64 bits, signed x signed ---- */
  TEST_RR_OP(13, mulh, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)
  TEST_RR_OP(14, mulh, 0x0000000000000000, 0xffffffffffffffff, 0xffffffffffffffff) /* +1 */
  TEST_RR_OP(15, mulh, 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000001) /* -1 */
  TEST_RR_OP(16, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000) /* 2^126 */
  TEST_RR_OP(17, mulh, 0x0000000000000000, 0x8000000000000000, 0xffffffffffffffff) /* 2^63 */
  TEST_RR_OP(18, mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff)
  TEST_RR_OP(19, mulh, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR_OP(20, mulh, 0x0000000000000001, 0x0000000100000000, 0x0000000100000000)
  TEST_RR_OP(21, mulh, 0xffffffffffffffff, 0xfffffffffffffffe, 0x0000000000000002) /* -4 */
  TEST_RR_ZERODEST(22, mulh, 0x8000000000000000, 0x8000000000000000)

  /* ---- MULHU: high 64 bits, unsigned x unsigned ---- */
  TEST_RR_OP(23, mulhu, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_RR_OP(24, mulhu, 0x0000000000000001, 0xffffffffffffffff, 0x0000000000000002)
  TEST_RR_OP(25, mulhu, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
  TEST_RR_OP(26, mulhu, 0x0000000000000001, 0x0000000100000000, 0x0000000100000000)
  TEST_RR_OP(27, mulhu, 0x0000000000000000, 0x0000000000000005, 0x0000000000000007)
  TEST_RR_OP(28, mulhu, 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000001)
  TEST_RR_OP(29, mulhu, 0x7fffffffffffffff, 0xffffffffffffffff, 0x8000000000000000)
  TEST_RR_ZERODEST(30, mulhu, 0xffffffffffffffff, 0xffffffffffffffff)

  /* ---- MULHSU: high 64 bits, rs1 signed x rs2 unsigned ---- */
  TEST_RR_OP(31, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff) /* -(2^64-1) */
  TEST_RR_OP(32, mulhsu, 0x0000000000000000, 0x0000000000000001, 0xffffffffffffffff)
  TEST_RR_OP(33, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
  TEST_RR_OP(34, mulhsu, 0x7ffffffffffffffe, 0x7fffffffffffffff, 0xffffffffffffffff)
  TEST_RR_OP(35, mulhsu, 0xffffffffffffffff, 0xfffffffffffffffe, 0x0000000000000002)
  TEST_RR_OP(36, mulhsu, 0x0000000000000000, 0x0000000000000000, 0xffffffffffffffff)
  TEST_RR_OP(37, mulhsu, 0xc000000000000000, 0x8000000000000000, 0x8000000000000000) /* -2^126 */
  TEST_RR_ZERODEST(38, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff)

  /* ---- MULW: low 32 bits of the product of the low words, sign-extended ---- */
  TEST_RR_OP(39, mulw, 0xfffffffffffffffe, 0x000000007fffffff, 0x0000000000000002)
  TEST_RR_OP(40, mulw, 0x0000000000000000, 0x0000000000010000, 0x0000000000010000)
  TEST_RR_OP(41, mulw, 0x0000000000000001, 0x00000000ffffffff, 0x00000000ffffffff)
  TEST_RR_OP(42, mulw, 0x000000000000000f, 0x0000000100000003, 0xffffffff00000005) /* upper ignored */
  TEST_RR_OP(43, mulw, 0xffffffff80000000, 0x0000000000008000, 0x0000000000010000)
  TEST_RR_OP(44, mulw, 0xffffffff80000000, 0xffffffffffffffff, 0x0000000080000000)
  TEST_RR_ZERODEST(45, mulw, 3, 4)

  /* ---- DIV (signed, rounds toward zero) ---- */
  TEST_RR_OP(46, div, 0x0000000000000003, 20, 6)
  TEST_RR_OP(47, div, 0xfffffffffffffffd, -20, 6)
  TEST_RR_OP(48, div, 0xfffffffffffffffd, 20, -6)
  TEST_RR_OP(49, div, 0x0000000000000003, -20, -6)
  TEST_RR_OP(50, div, 0xffffffffffffffff, 5, 0)                                    /* by zero */
  TEST_RR_OP(51, div, 0xffffffffffffffff, 0, 0)
  TEST_RR_OP(52, div, 0xffffffffffffffff, -5, 0)
  TEST_RR_OP(53, div, 0x8000000000000000, 0x8000000000000000, -1)                  /* overflow */
  TEST_RR_OP(54, div, 0x8000000000000000, 0x8000000000000000, 1)
  TEST_RR_OP(55, div, 0xc000000000000000, 0x8000000000000000, 2)
  TEST_RR_SRC1_EQ_DEST(56, div, 0xfffffffffffffff9, -21, 3)
  TEST_RR_ZERODEST(57, div, 20, 6)

  /* ---- DIVU ---- */
  TEST_RR_OP(58, divu, 0x0000000000000003, 20, 6)
  TEST_RR_OP(59, divu, 0x2aaaaaaaaaaaaaa7, -20, 6)                 /* (2^64-20)/6 */
  TEST_RR_OP(60, divu, 0xffffffffffffffff, 5, 0)                   /* by zero */
  TEST_RR_OP(61, divu, 0xffffffffffffffff, 0xffffffffffffffff, 0)
  TEST_RR_OP(62, divu, 0x0000000000000000, 0x8000000000000000, 0xffffffffffffffff)
  TEST_RR_OP(63, divu, 0xffffffffffffffff, 0xffffffffffffffff, 1)
  TEST_RR_OP(64, divu, 0x00000000ffffffff, 0xffffffffffffffff, 0x0000000100000000)
  TEST_RR_OP(65, divu, 0x0000000000000001, 0x8000000000000000, 0x8000000000000000)
  TEST_RR_SRC2_EQ_DEST(66, divu, 0x0000000000000000, 5, 6)

  /* ---- REM (sign of the dividend) ---- */
  TEST_RR_OP(67, rem, 0x0000000000000002, 20, 6)
  TEST_RR_OP(68, rem, 0xfffffffffffffffe, -20, 6)
  TEST_RR_OP(69, rem, 0x0000000000000002, 20, -6)
  TEST_RR_OP(70, rem, 0xfffffffffffffffe, -20, -6)
  TEST_RR_OP(71, rem, 0x0000000000000005, 5, 0)                    /* by zero: dividend */
  TEST_RR_OP(72, rem, 0xfffffffffffffffb, -5, 0)
  TEST_RR_OP(73, rem, 0x8000000000000000, 0x8000000000000000, 0)
  TEST_RR_OP(74, rem, 0x0000000000000000, 0x8000000000000000, -1)  /* overflow: 0 */
  TEST_RR_OP(75, rem, 0xfffffffffffffffe, 0x8000000000000000, 3)   /* -2^63 = 3*q - 2 */
  TEST_RR_ZERODEST(76, rem, 20, 6)

  /* ---- REMU ---- */
  TEST_RR_OP(77, remu, 0x0000000000000002, 20, 6)
  TEST_RR_OP(78, remu, 0x0000000000000002, -20, 6)
  TEST_RR_OP(79, remu, 0x0000000000000005, 5, 0)                   /* by zero: dividend */
  TEST_RR_OP(80, remu, 0xffffffffffffffff, 0xffffffffffffffff, 0)
  TEST_RR_OP(81, remu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
  TEST_RR_OP(82, remu, 0x00000000ffffffff, 0xffffffffffffffff, 0x0000000100000000)
  TEST_RR_OP(83, remu, 0x0000000000000000, 0x8000000000000000, 0x8000000000000000)
  TEST_RR_ZERODEST(84, remu, 20, 6)

  /* ---- DIVW (signed 32-bit) ---- */
  TEST_RR_OP(85, divw, 0x0000000000000003, 20, 6)
  TEST_RR_OP(86, divw, 0xfffffffffffffffd, -20, 6)
  TEST_RR_OP(87, divw, 0x0000000000000003, 0x0000000100000014, 6)             /* upper ignored */
  TEST_RR_OP(88, divw, 0xffffffffffffffff, 5, 0)                               /* by zero */
  TEST_RR_OP(89, divw, 0xffffffffffffffff, 0x0000000500000000, 0x0000000100000000) /* 0/0 */
  /* low words are INT32_MIN and -1 although the 64-bit values are positive: overflow */
  TEST_RR_OP(90, divw, 0xffffffff80000000, 0x0000000080000000, 0x00000000ffffffff)
  TEST_RR_OP(91, divw, 0xffffffff80000000, 0x0000000080000000, 1)
  TEST_RR_OP(92, divw, 0xffffffffc0000000, 0x0000000080000000, 2)
  TEST_RR_OP(93, divw, 0x0000000000000003, -20, 0xfffffffffffffffa)
  TEST_RR_ZERODEST(94, divw, 20, 6)

  /* ---- DIVUW (unsigned 32-bit, result sign-extended) ---- */
  TEST_RR_OP( 95, divuw, 0x0000000000000003, 20, 6)
  TEST_RR_OP( 96, divuw, 0xffffffffffffffff, 0x00000000ffffffff, 1)
  TEST_RR_OP( 97, divuw, 0x000000007fffffff, 0x00000000fffffffe, 2)
  TEST_RR_OP( 98, divuw, 0xffffffffffffffff, 5, 0)                             /* by zero */
  TEST_RR_OP( 99, divuw, 0xffffffffffffffff, 0x1234567800000000, 0xffffffff00000000) /* 0/0 */
  TEST_RR_OP(100, divuw, 0x0000000040000000, 0xffffffff80000000, 0x0000000100000002)
  TEST_RR_OP(101, divuw, 0xffffffff80000000, 0x0000000080000000, 1)
  TEST_RR_OP(102, divuw, 0x0000000000000000, 0x0000000080000000, 0x00000000ffffffff)
  TEST_RR_ZERODEST(103, divuw, 20, 6)

  /* ---- REMW (signed 32-bit) ---- */
  TEST_RR_OP(104, remw, 0x0000000000000002, 20, 6)
  TEST_RR_OP(105, remw, 0xfffffffffffffffe, -20, 6)
  TEST_RR_OP(106, remw, 0x0000000000000005, 5, 0)                              /* by zero */
  TEST_RR_OP(107, remw, 0xffffffff80000000, 0x0000000080000000, 0)  /* dividend, sign-extended */
  TEST_RR_OP(108, remw, 0x0000000000000000, 0x0000000080000000, 0xffffffffffffffff) /* overflow */
  TEST_RR_OP(109, remw, 0x0000000000000001, 0x0000000100000007, 0x0000000100000003)
  TEST_RR_OP(110, remw, 0x0000000000000002, 0x1234567800000014, 0xfffffffffffffffa)
  TEST_RR_ZERODEST(111, remw, 20, 6)

  /* ---- REMUW (unsigned 32-bit, result sign-extended) ---- */
  TEST_RR_OP(112, remuw, 0x0000000000000002, 20, 6)
  TEST_RR_OP(113, remuw, 0xffffffffffffffff, 0x00000000ffffffff, 0)            /* by zero */
  TEST_RR_OP(114, remuw, 0x0000000000000005, 0x0000000100000005, 0)
  TEST_RR_OP(115, remuw, 0x0000000000000000, 0x0000000080000000, 0x10)
  TEST_RR_OP(116, remuw, 0x000000000000000f, 0x00000000ffffffff, 0x10)
  TEST_RR_OP(117, remuw, 0x0000000000000005, 0x00000000fffffff5, 8)
  TEST_RR_OP(118, remuw, 0x0000000000000007, 0x0000000080000007, 0x0000000080000000)
  TEST_RR_OP(119, remuw, 0xffffffff80000000, 0x0000000080000000, 0x00000000ffffffff)
  TEST_RR_ZERODEST(120, remuw, 20, 6)

  ISA_PASS
  ISA_FAIL_CODE
