/* RV64I 32-bit ("W") operations: ADDIW SLLIW SRLIW SRAIW ADDW SUBW SLLW SRLW SRAW.
 * They read only the low 32 bits of their sources, compute a 32-bit result and sign-extend it to
 * 64 bits (even SRLIW/SRLW); register shift amounts use rs2[4:0]. Hand-computed from the spec. */
#include "isa_macros.h"

  .text
  .option norvc
  .globl main
main:
  /* ---- ADDIW ---- */
  TEST_IMM_OP( 1, addiw, 0xffffffff80000000, 0x000000007fffffff, 1)      /* 32-bit overflow */
  TEST_IMM_OP( 2, addiw, 0xfffffffffffff800, 0x0000000000000000, -2048)
  TEST_IMM_OP( 3, addiw, 0x00000000000007ff, 0x0000000000000000, 2047)
  TEST_IMM_OP( 4, addiw, 0x0000000000000000, 0x00000000ffffffff, 1)      /* wraps at 32 bits */
  TEST_IMM_OP( 5, addiw, 0x0000000023456789, 0x0000000123456789, 0)      /* upper bits dropped */
  TEST_IMM_OP( 6, addiw, 0xfffffffffffffffe, 0x00000000fffffffe, 0)      /* sext.w */
  TEST_IMM_OP( 7, addiw, 0x000000007fffffff, 0x0000000080000000, -1)
  TEST_IMM_OP( 8, addiw, 0x000000007fffffff, 0xffffffff7fffffff, 0)
  TEST_IMM_SRC1_EQ_DEST( 9, addiw, 0xffffffff80000000, 0x123456787fffffff, 1)
  TEST_IMM_ZERODEST(10, addiw, 1, 1)

  /* ---- ADDW ---- */
  TEST_RR_OP(11, addw, 0xffffffff80000000, 0x000000007fffffff, 0x0000000000000001)
  TEST_RR_OP(12, addw, 0x0000000000000000, 0x00000000ffffffff, 0x0000000000000001)
  TEST_RR_OP(13, addw, 0x0000000000000008, 0x0000000100000005, 0xf000000000000003)
  TEST_RR_OP(14, addw, 0x0000000000000000, 0x0000000080000000, 0x0000000080000000)
  TEST_RR_OP(15, addw, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_RR_OP(16, addw, 0x000000007fffffff, 0x0000000080000000, 0xffffffffffffffff)
  TEST_RR_SRC12_EQ_DEST(17, addw, 0xffffffff80000000, 0x0000000040000000)
  TEST_RR_ZEROSRC1(18, addw, 0xffffffff80000000, 0x0000000080000000) /* sign-extends rs2 */
  TEST_RR_ZERODEST(19, addw, 1, 2)

  /* ---- SUBW ---- */
  TEST_RR_OP(20, subw, 0xffffffffffffffff, 0x0000000000000000, 0x0000000000000001)
  TEST_RR_OP(21, subw, 0x000000007fffffff, 0x0000000080000000, 0x0000000000000001)
  TEST_RR_OP(22, subw, 0xffffffff80000000, 0x000000007fffffff, 0xffffffffffffffff)
  TEST_RR_OP(23, subw, 0x0000000000000000, 0x0000000100000000, 0x0000000000000000)
  TEST_RR_OP(24, subw, 0x0000000000000002, 0x0000000100000005, 0x0000000200000003)
  TEST_RR_ZEROSRC1(25, subw, 0xffffffff80000000, 0x0000000080000000) /* negw of INT32_MIN */
  TEST_RR_ZERODEST(26, subw, 5, 2)

  /* ---- SLLIW: shamt 0..31 ---- */
  TEST_IMM_OP(27, slliw, 0xffffffff80000000, 0x0000000000000001, 31)
  TEST_IMM_OP(28, slliw, 0xffffffffffffffff, 0x00000000ffffffff, 0)
  TEST_IMM_OP(29, slliw, 0x0000000012121210, 0x0000000021212121, 4)
  TEST_IMM_OP(30, slliw, 0x0000000000000002, 0x0000000180000001, 1)
  TEST_IMM_OP(31, slliw, 0xffffffff80000000, 0x0000000040000000, 1)
  TEST_IMM_ZERODEST(32, slliw, 1, 3)

  /* ---- SRLIW: logical shift of the low word, the 32-bit result is still sign-extended ---- */
  TEST_IMM_OP(33, srliw, 0xffffffff80000000, 0x0000000080000000, 0)
  TEST_IMM_OP(34, srliw, 0x0000000040000000, 0xffffffff80000000, 1)
  TEST_IMM_OP(35, srliw, 0x0000000000000001, 0xffffffff80000000, 31)
  TEST_IMM_OP(36, srliw, 0x000000000fffffff, 0x12345678ffffffff, 4)
  TEST_IMM_OP(37, srliw, 0x0000000000000000, 0xffffffff00000000, 1)
  TEST_IMM_ZERODEST(38, srliw, 0x80000000, 3)

  /* ---- SRAIW: arithmetic shift using bit 31 as the sign ---- */
  TEST_IMM_OP(39, sraiw, 0xffffffffc0000000, 0x0000000080000000, 1)
  TEST_IMM_OP(40, sraiw, 0xffffffffffffffff, 0x0000000080000000, 31)
  TEST_IMM_OP(41, sraiw, 0x0000000000000000, 0x000000007fffffff, 31)
  TEST_IMM_OP(42, sraiw, 0x0000000007ffffff, 0xffffffff7fffffff, 4)
  TEST_IMM_OP(43, sraiw, 0xffffffff80000000, 0x0000000180000000, 0)
  TEST_IMM_ZERODEST(44, sraiw, 0x80000000, 3)

  /* ---- SLLW: shamt = rs2[4:0] ---- */
  TEST_RR_OP(45, sllw, 0xffffffff80000000, 0x0000000000000001, 31)
  TEST_RR_OP(46, sllw, 0x0000000000000001, 0x0000000000000001, 32)                 /* & 31 = 0 */
  TEST_RR_OP(47, sllw, 0x0000000000000002, 0x0000000000000001, 0xffffffffffffffe1) /* & 31 = 1 */
  TEST_RR_OP(48, sllw, 0xffffffffffff0000, 0x00000000ffffffff, 16)
  TEST_RR_OP(49, sllw, 0x0000000000000000, 0x1234567800000000, 0)                  /* upper dropped */
  TEST_RR_ZERODEST(50, sllw, 1, 1)

  /* ---- SRLW ---- */
  TEST_RR_OP(51, srlw, 0x0000000000000001, 0x0000000080000000, 31)
  TEST_RR_OP(52, srlw, 0xffffffff80000000, 0x0000000080000000, 32)                 /* & 31 = 0 */
  TEST_RR_OP(53, srlw, 0x0000000000000000, 0xffffffff00000000, 1)
  TEST_RR_OP(54, srlw, 0x000000007fffffff, 0x00000000ffffffff, 33)                 /* & 31 = 1 */
  TEST_RR_OP(55, srlw, 0x0000000001234567, 0x0000000012345678, 0xffffffffffffffe4) /* & 31 = 4 */
  TEST_RR_ZERODEST(56, srlw, 0x80, 1)

  /* ---- SRAW ---- */
  TEST_RR_OP(57, sraw, 0xffffffffffffffff, 0x0000000080000000, 31)
  TEST_RR_OP(58, sraw, 0xffffffff80000000, 0x0000000080000000, 32)                 /* & 31 = 0 */
  TEST_RR_OP(59, sraw, 0x0000000000000000, 0x000000007fffffff, 31)
  TEST_RR_OP(60, sraw, 0xfffffffff8000000, 0x0000000080000000, 4)
  TEST_RR_OP(61, sraw, 0x000000003fffffff, 0xffffffff7fffffff, 1)
  TEST_RR_OP(62, sraw, 0x0000000001234567, 0x0000000012345678, 36)                 /* & 31 = 4 */
  TEST_RR_SRC1_EQ_DEST(63, sraw, 0xfffffffffff80000, 0x0000000080000000, 12)
  TEST_RR_ZERODEST(64, sraw, 0x80000000, 1)

  ISA_PASS
  ISA_FAIL_CODE
