/* RV64A: LR.W/D, SC.W/D (success writes rd = 0; failure writes nonzero and leaves memory alone),
 * AMOSWAP AMOADD AMOXOR AMOAND AMOOR AMOMIN AMOMAX AMOMINU AMOMAXU in .W and .D forms with
 * signed/unsigned edge values, .W results sign-extended into rd and .W operations touching only
 * their word (the other word holds a 0xa5a5a5a5 sentinel), rd = x0, rd == rs2, and the aq/rl/aqrl
 * orderings. Single hart, so every LR/SC pair here is uncontended and its SC is expected to
 * succeed on the first try. Expected values are hand-computed. */
#include "isa_macros.h"

/* amo*.w on the low word of a dword initialised to init64: check rd (old low word, sign-extended)
 * and the whole dword afterwards (the high word must be untouched). */
#define TEST_AMO_W(n, inst, init64, src, expected_rd, expected_mem)                         \
  TEST_BEGIN(n); la a1, adat; li a3, init64; sd a3, 0(a1); li a2, src;                     \
  inst a4, a2, (a1); CHECK_EQ(a4, expected_rd); ld a5, 0(a1); CHECK_EQ(a5, expected_mem)
/* amo*.d: rd receives the old value; check it and the new memory value. */
#define TEST_AMO_D(n, inst, init, src, expected_mem)                                        \
  TEST_BEGIN(n); la a1, adat; li a3, init; sd a3, 0(a1); li a2, src;                       \
  inst a4, a2, (a1); CHECK_EQ(a4, init); ld a5, 0(a1); CHECK_EQ(a5, expected_mem)

  .data
  .balign 16
adat:
  .dword 0, 0

  .text
  .option norvc
  .globl main
main:
  /* ---- LR / SC success ---- */
  /* lr.w sign-extends the word; sc.w stores only the low word of rs2 and writes rd = 0 */
  TEST_BEGIN(1); la a1, adat; li a3, 0x5555555580000000; sd a3, 0(a1)
    lr.w a4, (a1); CHECK_EQ(a4, 0xffffffff80000000)
    li a2, 0x123456789abcdef0; sc.w a5, a2, (a1); CHECK_EQ(a5, 0)
    ld a4, 0(a1); CHECK_EQ(a4, 0x555555559abcdef0)
  TEST_BEGIN(2); la a1, adat; li a3, 0x8000000000000001; sd a3, 0(a1)
    lr.d a4, (a1); CHECK_EQ(a4, 0x8000000000000001)
    li a2, 0x0123456789abcdef; sc.d a5, a2, (a1); CHECK_EQ(a5, 0)
    ld a4, 0(a1); CHECK_EQ(a4, 0x0123456789abcdef)
  /* the upper word of the dword, positive value */
  TEST_BEGIN(3); la a1, adat; li a3, 0x7fffffff00000000; sd a3, 0(a1); addi a1, a1, 4
    lr.w a4, (a1); CHECK_EQ(a4, 0x000000007fffffff)
    li a2, 0x00000000ffffffff; sc.w a5, a2, (a1); CHECK_EQ(a5, 0)
    la a1, adat; ld a4, 0(a1); CHECK_EQ(a4, 0xffffffff00000000)
  /* the usual atomic-increment loop */
  TEST_BEGIN(4); la a1, adat; li a3, 41; sd a3, 0(a1)
    1: lr.d a4, (a1); addi a4, a4, 1; sc.d a5, a4, (a1); bnez a5, 1b
    ld a4, 0(a1); CHECK_EQ(a4, 42)

  /* ---- SC failure: every SC (successful or not) invalidates the hart's reservation ---- */
  /* SC without any reservation. The first sc.d only makes sure none is left over; memory is
     re-initialised after it in case it did store. */
  TEST_BEGIN(5); la a1, adat; li a3, 0x1111111111111111
    sc.d a5, x0, (a1); sd a3, 0(a1)
    li a2, 0x2222222222222222; sc.d a5, a2, (a1); CHECK_NE(a5, 0)
    ld a4, 0(a1); CHECK_EQ(a4, 0x1111111111111111)
  TEST_BEGIN(6); la a1, adat; li a3, 0x3333333333333333
    sc.w a5, x0, (a1); sd a3, 0(a1)
    li a2, 0x44444444; sc.w a5, a2, (a1); CHECK_NE(a5, 0)
    ld a4, 0(a1); CHECK_EQ(a4, 0x3333333333333333)
  /* second SC after a successful LR/SC pair: fails, memory keeps the first SC's value */
  TEST_BEGIN(7); la a1, adat; sd x0, 0(a1)
    lr.d a4, (a1); li a2, 0x5555; sc.d a5, a2, (a1); CHECK_EQ(a5, 0)
    li a2, 0x6666; sc.d a5, a2, (a1); CHECK_NE(a5, 0)
    ld a4, 0(a1); CHECK_EQ(a4, 0x5555)
  TEST_BEGIN(8); la a1, adat; li a3, -1; sd a3, 0(a1)
    lr.w a4, (a1); CHECK_EQ(a4, -1); li a2, 0x7777; sc.w a5, a2, (a1); CHECK_EQ(a5, 0)
    li a2, 0x8888; sc.w a5, a2, (a1); CHECK_NE(a5, 0)
    ld a4, 0(a1); CHECK_EQ(a4, 0xffffffff00007777)
  /* an SC that fails must not store even if rd is x0 */
  TEST_BEGIN(9); la a1, adat; li a3, 0x0badc0de; sd a3, 0(a1)
    li a2, 0x1234; sc.d x0, a2, (a1); CHECK_EQ(x0, 0)
    ld a4, 0(a1); CHECK_EQ(a4, 0x0badc0de)

  /* ---- AMO*.W ---- */
  TEST_AMO_W(10, amoswap.w, 0xa5a5a5a580000000, 0xffffffff12345678, 0xffffffff80000000, 0xa5a5a5a512345678)
  TEST_AMO_W(11, amoswap.w, 0xa5a5a5a57fffffff, 0x0000000080000000, 0x000000007fffffff, 0xa5a5a5a580000000)
  TEST_AMO_W(12, amoadd.w,  0xa5a5a5a57fffffff, 0x0000000000000001, 0x000000007fffffff, 0xa5a5a5a580000000)
  TEST_AMO_W(13, amoadd.w,  0xa5a5a5a5ffffffff, 0x0000000000000001, 0xffffffffffffffff, 0xa5a5a5a500000000) /* no carry out */
  TEST_AMO_W(14, amoxor.w,  0xa5a5a5a5ff00ff00, 0x000000000ff00ff0, 0xffffffffff00ff00, 0xa5a5a5a5f0f0f0f0)
  TEST_AMO_W(15, amoand.w,  0xa5a5a5a5ff00ff00, 0x000000000ff00ff0, 0xffffffffff00ff00, 0xa5a5a5a50f000f00)
  TEST_AMO_W(16, amoor.w,   0xa5a5a5a5ff00ff00, 0xffffffff0ff00ff0, 0xffffffffff00ff00, 0xa5a5a5a5fff0fff0)
  TEST_AMO_W(17, amomin.w,  0xa5a5a5a580000000, 0x0000000000000001, 0xffffffff80000000, 0xa5a5a5a580000000)
  TEST_AMO_W(18, amomin.w,  0xa5a5a5a500000001, 0x00000000ffffffff, 0x0000000000000001, 0xa5a5a5a5ffffffff)
  TEST_AMO_W(19, amomin.w,  0xa5a5a5a500000005, 0x0000000100000003, 0x0000000000000005, 0xa5a5a5a500000003) /* rs2 upper ignored */
  TEST_AMO_W(20, amomax.w,  0xa5a5a5a580000000, 0x000000007fffffff, 0xffffffff80000000, 0xa5a5a5a57fffffff)
  TEST_AMO_W(21, amomax.w,  0xa5a5a5a5ffffffff, 0x0000000000000000, 0xffffffffffffffff, 0xa5a5a5a500000000)
  TEST_AMO_W(22, amomax.w,  0xa5a5a5a500000001, 0x0000000080000000, 0x0000000000000001, 0xa5a5a5a500000001) /* 0x80000000 < 0 as a word */
  TEST_AMO_W(23, amominu.w, 0xa5a5a5a580000000, 0x0000000000000001, 0xffffffff80000000, 0xa5a5a5a500000001)
  TEST_AMO_W(24, amominu.w, 0xa5a5a5a500000001, 0xffffffff00000000, 0x0000000000000001, 0xa5a5a5a500000000)
  TEST_AMO_W(25, amominu.w, 0xa5a5a5a5ffffffff, 0x00000000fffffffe, 0xffffffffffffffff, 0xa5a5a5a5fffffffe)
  TEST_AMO_W(26, amomaxu.w, 0xa5a5a5a580000000, 0x000000007fffffff, 0xffffffff80000000, 0xa5a5a5a580000000)
  TEST_AMO_W(27, amomaxu.w, 0xa5a5a5a500000001, 0x00000000ffffffff, 0x0000000000000001, 0xa5a5a5a5ffffffff)
  TEST_AMO_W(28, amomaxu.w, 0xa5a5a5a57fffffff, 0x0000000100000000, 0x000000007fffffff, 0xa5a5a5a57fffffff) /* rs2 upper ignored */
  /* .w on the upper word of a dword: the low word is the sentinel now */
  TEST_BEGIN(29); la a1, adat; li a3, 0x7fffffffa5a5a5a5; sd a3, 0(a1); addi a1, a1, 4; li a2, 1
    amoadd.w a4, a2, (a1); CHECK_EQ(a4, 0x000000007fffffff)
    la a1, adat; ld a5, 0(a1); CHECK_EQ(a5, 0x80000000a5a5a5a5)

  /* ---- AMO*.D ---- */
  TEST_AMO_D(30, amoswap.d, 0x8000000000000000, 0x0123456789abcdef, 0x0123456789abcdef)
  TEST_AMO_D(31, amoadd.d,  0x7fffffffffffffff, 0x0000000000000001, 0x8000000000000000)
  TEST_AMO_D(32, amoadd.d,  0xffffffffffffffff, 0x0000000000000001, 0x0000000000000000)
  TEST_AMO_D(33, amoadd.d,  0x00000000ffffffff, 0x0000000000000001, 0x0000000100000000) /* carry across words */
  TEST_AMO_D(34, amoxor.d,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
  TEST_AMO_D(35, amoand.d,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00)
  TEST_AMO_D(36, amoor.d,   0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0)
  TEST_AMO_D(37, amomin.d,  0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_AMO_D(38, amomin.d,  0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_AMO_D(39, amomin.d,  0x0000000080000000, 0x0000000100000000, 0x0000000080000000) /* 64-bit compare */
  TEST_AMO_D(40, amomax.d,  0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
  TEST_AMO_D(41, amomax.d,  0xffffffffffffffff, 0x0000000000000000, 0x0000000000000000)
  TEST_AMO_D(42, amomax.d,  0x0000000080000000, 0x0000000000000001, 0x0000000080000000)
  TEST_AMO_D(43, amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
  TEST_AMO_D(44, amominu.d, 0xffffffffffffffff, 0xfffffffffffffffe, 0xfffffffffffffffe)
  TEST_AMO_D(45, amominu.d, 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000000)
  TEST_AMO_D(46, amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_AMO_D(47, amomaxu.d, 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_AMO_D(48, amomaxu.d, 0x0000000100000000, 0x00000000ffffffff, 0x0000000100000000)

  /* ---- register corner cases ---- */
  /* rd = x0: memory is still updated */
  TEST_BEGIN(49); la a1, adat; li a3, 40; sd a3, 0(a1); li a2, 2
    amoadd.d x0, a2, (a1); CHECK_EQ(x0, 0); ld a5, 0(a1); CHECK_EQ(a5, 42)
  TEST_BEGIN(50); la a1, adat; li a3, 0xa5a5a5a500000000; sd a3, 0(a1); li a2, -1
    amoor.w x0, a2, (a1); ld a5, 0(a1); CHECK_EQ(a5, 0xa5a5a5a5ffffffff)
  /* rd == rs2: the source is read before rd is written */
  TEST_BEGIN(51); la a1, adat; li a3, 0x1111; sd a3, 0(a1); li a2, 0x2222
    amoswap.d a2, a2, (a1); CHECK_EQ(a2, 0x1111); ld a5, 0(a1); CHECK_EQ(a5, 0x2222)
  /* second dword of the buffer (address not 16-byte aligned) */
  TEST_BEGIN(52); la a1, adat+8; li a3, 5; sd a3, 0(a1); li a2, 7
    amomaxu.d a4, a2, (a1); CHECK_EQ(a4, 5); ld a5, 0(a1); CHECK_EQ(a5, 7)

  /* ---- ordering bits: same results with aq, rl and aqrl ---- */
  TEST_AMO_W(53, amoswap.w.aq,   0xa5a5a5a500000001, 0x0000000000000002, 0x0000000000000001, 0xa5a5a5a500000002)
  TEST_AMO_W(54, amoadd.w.rl,    0xa5a5a5a500000001, 0x0000000000000002, 0x0000000000000001, 0xa5a5a5a500000003)
  TEST_AMO_W(55, amoand.w.aqrl,  0xa5a5a5a500000003, 0x0000000000000006, 0x0000000000000003, 0xa5a5a5a500000002)
  TEST_AMO_D(56, amoxor.d.aq,    0x0000000000000003, 0x0000000000000005, 0x0000000000000006)
  TEST_AMO_D(57, amoor.d.rl,     0x0000000000000003, 0x0000000000000005, 0x0000000000000007)
  TEST_AMO_D(58, amomin.d.aqrl,  0xffffffffffffffff, 0x0000000000000005, 0xffffffffffffffff)
  TEST_AMO_W(59, amomax.w.aq,    0xa5a5a5a5fffffffe, 0x0000000000000003, 0xfffffffffffffffe, 0xa5a5a5a500000003)
  TEST_AMO_W(60, amominu.w.rl,   0xa5a5a5a500000009, 0x0000000000000004, 0x0000000000000009, 0xa5a5a5a500000004)
  TEST_AMO_D(61, amomaxu.d.aqrl, 0x0000000000000009, 0x0000000000000004, 0x0000000000000009)
  TEST_BEGIN(62); la a1, adat; li a3, 0x10; sd a3, 0(a1)
    lr.w.aq a4, (a1); addi a4, a4, 1; sc.w.rl a5, a4, (a1); CHECK_EQ(a5, 0)
    lr.d.aqrl a4, (a1); addi a4, a4, 1; sc.d.aqrl a5, a4, (a1); CHECK_EQ(a5, 0)
    lr.w.aqrl a4, (a1); addi a4, a4, 1; sc.w.aq a5, a4, (a1); CHECK_EQ(a5, 0)
    lr.d.aq a4, (a1); addi a4, a4, 1; sc.d.rl a5, a4, (a1); CHECK_EQ(a5, 0)
    ld a4, 0(a1); CHECK_EQ(a4, 0x14)

  ISA_PASS
  ISA_FAIL_CODE
