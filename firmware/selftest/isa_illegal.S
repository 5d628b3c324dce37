# qemu-args: -cpu rv64,f=false,d=false
/* Illegal-instruction exceptions (mcause = 2) on an RV64IMAC hart without F/D: reserved and
 * unassigned encodings, reserved compressed forms, F/D loads/stores/arithmetic and FP CSRs. For
 * each, mepc must point at the instruction, mtval must hold its bits (only the 16 bits, zero-
 * extended, for a compressed one), and after the handler skips it (2 or 4 bytes, from its low two
 * bits) the following instruction runs exactly once. QEMU needs F and D switched off (line 1);
 * its default CPU has them. Encodings are hand-assembled from the spec's opcode tables. */
#include "isa_macros.h"

/* li a3, 0; <illegal>; addi a3, a3, 1 (32-bit): a wrong resume point would skip the addi or
 * execute its second half as a 16-bit instruction, so a3 == 1 checks the length decoding. */
#define TEST_ILLEGAL16(n, enc)                                                              \
  li a3, 0; TEST_TRAP(n, 2, enc, .half enc; addi a3, a3, 1); CHECK_EQ(a3, 1)
#define TEST_ILLEGAL32(n, enc)                                                              \
  li a3, 0; TEST_TRAP(n, 2, enc, .word enc; addi a3, a3, 1); CHECK_EQ(a3, 1)

  .text
  .option norvc
  .globl main
main:
  ISA_USE_TRAP_HANDLER
  /* a base register for the F/D loads/stores, should they wrongly execute */
  la a0, scratch

  /* ---- always illegal ---- */
  TEST_ILLEGAL16( 1, 0x0000)        /* all-zero halfword: defined illegal */
  TEST_ILLEGAL32( 2, 0xffffffff)    /* all ones (ILEN = 32, so 32 bits in mtval) */

  /* ---- reserved RV64C encodings ---- */
  TEST_ILLEGAL16( 3, 0x0004)        /* C.ADDI4SPN rd'=s1 with nzuimm = 0 */
  TEST_ILLEGAL16( 4, 0x6501)        /* C.LUI a0 with nzimm = 0 */
  TEST_ILLEGAL16( 5, 0x6101)        /* C.ADDI16SP with nzimm = 0 */
  TEST_ILLEGAL16( 6, 0x4002)        /* C.LWSP with rd = x0 */
  TEST_ILLEGAL16( 7, 0x6002)        /* C.LDSP with rd = x0 */
  TEST_ILLEGAL16( 8, 0x8002)        /* C.JR with rs1 = x0 */
  TEST_ILLEGAL16( 9, 0x2005)        /* C.ADDIW x0, 1 (C.JAL's slot on RV32; rd = 0 reserved) */
  TEST_ILLEGAL16(10, 0x2001)        /* C.ADDIW x0, 0 */
  TEST_ILLEGAL16(11, 0x9c41)        /* funct6 100111, funct2 10: reserved beside C.SUBW/C.ADDW */

  /* ---- unassigned 32-bit encodings ---- */
  TEST_ILLEGAL32(12, 0x0000006b)    /* major opcode 1101011 (reserved) */
  TEST_ILLEGAL32(13, 0x0000000b)    /* custom-0, no custom extension here */
  TEST_ILLEGAL32(14, 0x00057503)    /* LOAD funct3 111 (LDU is RV128 only) */
  TEST_ILLEGAL32(15, 0x0205151b)    /* SLLIW a0, a0 with shamt[5] = 1: reserved on RV64 */
  TEST_ILLEGAL32(16, 0x0200153b)    /* OP-32 funct7 0000001 funct3 001: no M instruction there */

  /* ---- F/D instructions (not implemented) ---- */
  TEST_ILLEGAL32(17, 0x00052007)    /* flw ft0, 0(a0) */
  TEST_ILLEGAL32(18, 0x00853007)    /* fld ft0, 8(a0) */
  TEST_ILLEGAL32(19, 0x00153827)    /* fsd ft1, 16(a0) */
  TEST_ILLEGAL32(20, 0x00208053)    /* fadd.s ft0, ft1, ft2, rne */
  TEST_ILLEGAL32(21, 0xe2008553)    /* fmv.x.d a0, ft1 */
  TEST_ILLEGAL32(22, 0x18208043)    /* fmadd.s ft0, ft1, ft2, ft3, rne */
  TEST_ILLEGAL16(23, 0x2100)        /* c.fld fs0, 0(a0) */
  TEST_ILLEGAL16(24, 0xa100)        /* c.fsd fs0, 0(a0) */
  TEST_ILLEGAL16(25, 0x2082)        /* c.fldsp ft1, 0(sp) */
  TEST_ILLEGAL16(26, 0xa006)        /* c.fsdsp ft1, 0(sp) */
  /* the FP CSRs do not exist either */
  TEST_ILLEGAL32(27, 0x00302573)    /* csrr a0, fcsr */
  TEST_ILLEGAL32(28, 0x00202573)    /* csrr a0, frm */
  TEST_ILLEGAL32(29, 0x00159073)    /* csrw fflags, a1 */

  /* F/D memory accesses must not have touched memory */
  TEST_CASE(30, a4, 0x5555555555555555, la a1, scratch; ld a4, 16(a1))

  ISA_PASS
  ISA_FAIL_CODE
  ISA_TRAP_HANDLER

  .data
  .balign 8
scratch:
  .dword 0x5555555555555555, 0x5555555555555555, 0x5555555555555555
