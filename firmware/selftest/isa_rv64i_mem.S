/* RV64I loads and stores (LB LH LW LD LBU LHU LWU, SB SH SW SD) with sign/zero extension, positive
 * and negative 12-bit offsets, partial stores leaving neighbouring bytes intact; FENCE variants;
 * FENCE.I making freshly stored code visible to instruction fetch (self-modifying code).
 * The hart is little-endian. Expected values are hand-computed from the table below. */
#include "isa_macros.h"

/* Store `val` with `st` at sdat+offset over a dword pre-filled with 0x11 bytes, then check the
 * whole dword: only the stored bytes may change. */
#define TEST_ST_PATTERN(n, st, val, offset, expected_dword)                                 \
  TEST_CASE(n, a4, expected_dword, la a1, sdat; li a3, 0x1111111111111111; sd a3, 0(a1);    \
            li a2, val; st a2, offset(a1); ld a4, 0(a1))

  .data
  .balign 8
/* Byte image (little-endian):
 *   +0: ef cd ab 89 67 45 23 01   = dword 0x0123456789abcdef
 *   +8: 10 32 54 76 98 ba dc fe   = dword 0xfedcba9876543210
 *  +16: 7f 80 00 80 ff 7f 00 80   = dword 0x80007fff8000807f */
tdat:
  .dword 0x0123456789abcdef
  .dword 0xfedcba9876543210
  .dword 0x80007fff8000807f
  .balign 8
sdat:
  .dword 0, 0, 0, 0

  .bss
  .balign 64
/* Code buffer for the FENCE.I test. */
codebuf:
  .skip 64

  .text
  .option norvc
  .globl main
main:
  /* ---- LB: sign-extends bit 7 ---- */
  TEST_LD_OP( 1, lb, 0xffffffffffffffef, 0, tdat)
  TEST_LD_OP( 2, lb, 0x0000000000000001, 7, tdat)
  TEST_LD_OP( 3, lb, 0x000000000000007f, 16, tdat)
  TEST_LD_OP( 4, lb, 0xffffffffffffff80, 17, tdat)
  TEST_LD_OP( 5, lb, 0x0000000000000001, -1, tdat+8)
  TEST_LD_OP( 6, lb, 0xffffffffffffffef, -2048, tdat+2048)   /* most negative offset */
  TEST_LD_OP( 7, lb, 0x0000000000000001, 2047, tdat+7-2047)  /* most positive offset */
  /* ---- LBU: zero-extends ---- */
  TEST_LD_OP( 8, lbu, 0x00000000000000ef, 0, tdat)
  TEST_LD_OP( 9, lbu, 0x0000000000000080, 17, tdat)
  TEST_LD_OP(10, lbu, 0x0000000000000001, 7, tdat)
  TEST_LD_OP(11, lbu, 0x00000000000000fe, -1, tdat+16)
  /* ---- LH / LHU ---- */
  TEST_LD_OP(12, lh, 0xffffffffffffcdef, 0, tdat)
  TEST_LD_OP(13, lh, 0x0000000000000123, 6, tdat)
  TEST_LD_OP(14, lh, 0xffffffffffff807f, 16, tdat)
  TEST_LD_OP(15, lh, 0xffffffffffff8000, 18, tdat)
  TEST_LD_OP(16, lh, 0x0000000000007fff, 20, tdat)
  TEST_LD_OP(17, lh, 0xfffffffffffffedc, -2, tdat+16)
  TEST_LD_OP(18, lhu, 0x000000000000cdef, 0, tdat)
  TEST_LD_OP(19, lhu, 0x0000000000008000, 18, tdat)
  TEST_LD_OP(20, lhu, 0x0000000000007fff, 20, tdat)
  /* ---- LW / LWU ---- */
  TEST_LD_OP(21, lw, 0xffffffff89abcdef, 0, tdat)
  TEST_LD_OP(22, lw, 0x0000000001234567, 4, tdat)
  TEST_LD_OP(23, lw, 0xffffffff8000807f, 16, tdat)
  TEST_LD_OP(24, lw, 0xffffffff80007fff, 20, tdat)
  TEST_LD_OP(25, lw, 0xfffffffffedcba98, -4, tdat+16)
  TEST_LD_OP(26, lwu, 0x0000000089abcdef, 0, tdat)
  TEST_LD_OP(27, lwu, 0x000000008000807f, 16, tdat)
  TEST_LD_OP(28, lwu, 0x0000000001234567, 4, tdat)
  /* ---- LD ---- */
  TEST_LD_OP(29, ld, 0x0123456789abcdef, 0, tdat)
  TEST_LD_OP(30, ld, 0xfedcba9876543210, 8, tdat)
  TEST_LD_OP(31, ld, 0x80007fff8000807f, 16, tdat)
  TEST_LD_OP(32, ld, 0xfedcba9876543210, -8, tdat+16)
  /* base register is also the destination */
  TEST_CASE(33, a1, 0xfedcba9876543210, la a1, tdat; ld a1, 8(a1))
  /* a load into x0 is performed but its value discarded */
  TEST_CASE(34, x0, 0, la a1, tdat; ld x0, 0(a1); lw x0, 4(a1); lbu x0, 1(a1))

  /* ---- SB SH SW SD: only the addressed bytes change; upper bits of rs2 are ignored ---- */
  TEST_ST_PATTERN(35, sb, 0xffffffffffffffaa, 3, 0x11111111aa111111)
  TEST_ST_PATTERN(36, sb, 0x0000000000000000, 0, 0x1111111111111100)
  TEST_ST_PATTERN(37, sb, 0x12345678abcdef80, 7, 0x8011111111111111)
  TEST_ST_PATTERN(38, sh, 0x000012345678abcd, 2, 0x11111111abcd1111)
  TEST_ST_PATTERN(39, sh, 0xffffffffffff8001, 6, 0x8001111111111111)
  TEST_ST_PATTERN(40, sw, 0xdeadbeef76543210, 4, 0x7654321011111111)
  TEST_ST_PATTERN(41, sw, 0x0000000080000000, 0, 0x1111111180000000)
  TEST_ST_PATTERN(42, sd, 0x8000000000000001, 0, 0x8000000000000001)
  TEST_ST_PATTERN(43, sd, 0x0000000000000000, 0, 0x0000000000000000)
  /* read back narrower values with sign/zero extension */
  TEST_ST_LD(44, sb, lb,  0xffffffffffffff81, 0x81, 5, sdat)
  TEST_ST_LD(45, sb, lbu, 0x0000000000000081, 0x81, 5, sdat)
  TEST_ST_LD(46, sh, lh,  0xffffffffffff8765, 0x8765, 10, sdat)
  TEST_ST_LD(47, sh, lhu, 0x0000000000008765, 0x8765, 10, sdat)
  TEST_ST_LD(48, sw, lw,  0xffffffff80000000, 0x80000000, 12, sdat)
  TEST_ST_LD(49, sw, lwu, 0x0000000080000000, 0x80000000, 12, sdat)
  TEST_ST_LD(50, sd, ld,  0xaabbccdd11223344, 0xaabbccdd11223344, 16, sdat)
  /* negative store offsets */
  TEST_CASE(51, a4, 0x0102030405060708, la a1, sdat+24; li a2, 0x0102030405060708;
            sd a2, -24(a1); la a3, sdat; ld a4, 0(a3))
  TEST_CASE(52, a4, 0x00000000000000ee, la a1, sdat+2048; li a2, 0xee; sb a2, -2048(a1);
            la a3, sdat; lbu a4, 0(a3))
  /* storing x0 writes zero */
  TEST_CASE(53, a4, 0xffffffff00000000, la a1, sdat; li a2, -1; sd a2, 0(a1); sw x0, 0(a1);
            ld a4, 0(a1))
  /* store bytes, read back as one little-endian word */
  TEST_CASE(54, a4, 0x0000000004030201, la a1, sdat; sd x0, 0(a1); li a2, 1; sb a2, 0(a1);
            li a2, 2; sb a2, 1(a1); li a2, 0x0403; sh a2, 2(a1); ld a4, 0(a1))

  /* ---- FENCE: ordering only, must not disturb data ---- */
  TEST_CASE(55, a4, 0x5a5a5a5a5a5a5a5a, la a1, sdat; li a2, 0x5a5a5a5a5a5a5a5a; sd a2, 0(a1);
            fence; fence rw, rw; fence iorw, iorw; fence r, r; fence w, w; fence.tso;
            ld a4, 0(a1))

  /* ---- FENCE.I: store code into RAM, fence.i, execute; then patch it and run it again ----
   * Encodings (hand-assembled): addi a0, x0, 111 = 0x06f00513, addi a0, x0, 222 = 0x0de00513,
   * jalr x0, 0(ra) = 0x00008067. */
  TEST_CASE(56, a0, 111, la a1, codebuf; li a2, 0x06f00513; sw a2, 0(a1); li a2, 0x00008067;
            sw a2, 4(a1); fence.i; li a0, 0; jalr ra, 0(a1))
  /* same buffer, new immediate: a stale instruction cache/decoded block would return 111 */
  TEST_CASE(57, a0, 222, la a1, codebuf; li a2, 0x0de00513; sw a2, 0(a1); fence.i; li a0, 0;
            jalr ra, 0(a1))
  /* code written byte by byte: addi a0, a0, -1 = 0xfff50513 */
  TEST_CASE(58, a0, 41, la a1, codebuf; li a2, 0x13; sb a2, 0(a1); li a2, 0x05; sb a2, 1(a1);
            li a2, 0xf5; sb a2, 2(a1); li a2, 0xff; sb a2, 3(a1); fence.i; li a0, 42;
            jalr ra, 0(a1))

  ISA_PASS
  ISA_FAIL_CODE
