/* Shared macros for the isa_* self-tests (assembly only, included from .S files).
 *
 * Each test case is one macro line that loads its inputs with `li`, executes the instruction under
 * test and compares one register with a value hand-computed from the unprivileged ISA spec. On a
 * mismatch the test prints "isa FAIL: test N" and calls rt_exit(N).
 *
 * Register use: TESTNUM (s11) holds the current case number; a1/a2 are the sources, a4 the result,
 * t6 the expected value. Test bodies must keep sp and gp intact unless they restore them before a
 * check (the fail path re-establishes both anyway, so a clobbered sp still reports correctly).
 *
 * Case numbers must lie in 1..254: QEMU's test finisher exits the process with the code, and a
 * process exit status keeps only 8 bits (256 would look like a pass; 255 is the runtime's
 * "unexpected trap"). TEST_BEGIN rejects other numbers at assembly time.
 *
 * Local labels 90..99 are used inside the macros; test bodies should use 1..89.
 */
#ifndef ISA_MACROS_H
#define ISA_MACROS_H

#define TESTNUM s11

#define TEST_BEGIN(n)                                                                       \
  .if ((n) < 1) || ((n) > 254); .error "test number must be in 1..254"; .endif;             \
  li TESTNUM, n

/* Fail unless reg == val (val is any constant `li` accepts, up to 64 bits). */
#define CHECK_EQ(reg, val) li t6, val; beq reg, t6, 90f; j isa_fail; 90:
/* Fail if reg == val. */
#define CHECK_NE(reg, val) li t6, val; bne reg, t6, 90f; j isa_fail; 90:
/* Fail unless two registers are equal. */
#define CHECK_REGS(r1, r2) beq r1, r2, 90f; j isa_fail; 90:

/* Generic case: run the body (anything, `;`-separated) and compare one register. */
#define TEST_CASE(n, reg, expected, ...) TEST_BEGIN(n); __VA_ARGS__; CHECK_EQ(reg, expected)

/* ---- register-register operations: inst rd, rs1, rs2 ---- */
#define TEST_RR_OP(n, inst, expected, v1, v2)                                               \
  TEST_CASE(n, a4, expected, li a1, v1; li a2, v2; inst a4, a1, a2)
#define TEST_RR_SRC1_EQ_DEST(n, inst, expected, v1, v2)                                     \
  TEST_CASE(n, a1, expected, li a1, v1; li a2, v2; inst a1, a1, a2)
#define TEST_RR_SRC2_EQ_DEST(n, inst, expected, v1, v2)                                     \
  TEST_CASE(n, a2, expected, li a1, v1; li a2, v2; inst a2, a1, a2)
#define TEST_RR_SRC12_EQ_DEST(n, inst, expected, v1)                                        \
  TEST_CASE(n, a1, expected, li a1, v1; inst a1, a1, a1)
#define TEST_RR_ZEROSRC1(n, inst, expected, v2)                                             \
  TEST_CASE(n, a4, expected, li a2, v2; inst a4, x0, a2)
#define TEST_RR_ZEROSRC2(n, inst, expected, v1)                                             \
  TEST_CASE(n, a4, expected, li a1, v1; inst a4, a1, x0)
/* A result written to x0 is discarded: x0 still reads 0. */
#define TEST_RR_ZERODEST(n, inst, v1, v2)                                                   \
  TEST_CASE(n, x0, 0, li a1, v1; li a2, v2; inst x0, a1, a2)

/* ---- register-immediate operations: inst rd, rs1, imm ---- */
#define TEST_IMM_OP(n, inst, expected, v1, imm)                                             \
  TEST_CASE(n, a4, expected, li a1, v1; inst a4, a1, imm)
#define TEST_IMM_SRC1_EQ_DEST(n, inst, expected, v1, imm)                                   \
  TEST_CASE(n, a1, expected, li a1, v1; inst a1, a1, imm)
#define TEST_IMM_ZEROSRC1(n, inst, expected, imm)                                           \
  TEST_CASE(n, a4, expected, inst a4, x0, imm)
#define TEST_IMM_ZERODEST(n, inst, v1, imm)                                                 \
  TEST_CASE(n, x0, 0, li a1, v1; inst x0, a1, imm)

/* ---- memory ---- */
/* Load from base+offset (base is a symbol) and compare the loaded value. */
#define TEST_LD_OP(n, inst, expected, offset, base)                                         \
  TEST_CASE(n, a4, expected, la a1, base; inst a4, offset(a1))
/* Store val at base+offset with st, read it back with ld, compare with expected. */
#define TEST_ST_LD(n, st, ld, expected, val, offset, base)                                  \
  TEST_CASE(n, a4, expected, la a1, base; li a2, val; st a2, offset(a1); ld a4, offset(a1))

/* ---- branches: the taken form must reach its target, the other form must fall through ---- */
#define TEST_BR2_TAKEN(n, inst, v1, v2)                                                     \
  TEST_BEGIN(n); li a1, v1; li a2, v2; inst a1, a2, 91f; j isa_fail; 91:
#define TEST_BR2_NOT_TAKEN(n, inst, v1, v2)                                                 \
  TEST_BEGIN(n); li a1, v1; li a2, v2; inst a1, a2, 91f; j 92f; 91: j isa_fail; 92:
/* Same, but the taken target lies before the branch (negative offset). */
#define TEST_BR2_TAKEN_BACK(n, inst, v1, v2)                                                \
  TEST_BEGIN(n); li a1, v1; li a2, v2; j 92f; 91: j 93f; 92: inst a1, a2, 91b;              \
  j isa_fail; 93:

/* ---- pass / fail ---- */
/* Restore the ABI registers the C runtime may rely on (gp: linker relaxation of tohost). */
#define ISA_RESTORE_ABI                                                                     \
  .option push; .option norelax; la gp, __global_pointer$; .option pop; la sp, __stack_top

#define ISA_PASS ISA_RESTORE_ABI; li a0, 0; call rt_exit

/* Emit once per file: the shared failure path (reports TESTNUM) and its message. */
#define ISA_FAIL_CODE                                                                       \
  isa_fail: ISA_RESTORE_ABI; la a0, isa_fail_msg; mv a1, TESTNUM; call rt_printf;           \
  mv a0, TESTNUM; call rt_exit;                                                             \
  .pushsection .rodata; isa_fail_msg: .asciz "isa FAIL: test %d\n"; .popsection

/* ---- expected traps ----
 * ISA_TRAP_HANDLER (a GAS macro, emit it once) is an M-mode handler for traps a test provokes on
 * purpose: it counts the trap, records mcause/mepc/mtval in isa_trap_rec and resumes after the
 * trapping instruction, whose length (2 or 4 bytes) it reads from the low two bits of its first
 * halfword. Install it with ISA_USE_TRAP_HANDLER. All registers are preserved.
 */
#define TRAP_REC_COUNT 0
#define TRAP_REC_CAUSE 8
#define TRAP_REC_EPC 16
#define TRAP_REC_TVAL 24

.macro ISA_TRAP_HANDLER
  .pushsection .bss
  .balign 8
isa_trap_rec:
  .skip 48 /* count, mcause, mepc, mtval, then t1/t2 save slots */
  .popsection

  /* Own section: mtvec needs a 4-byte aligned address, and a .balign in code assembled with
     .option norvc cannot fix an offset that 16-bit instructions or .half data left at 2 mod 4. */
  .pushsection .text.isa_trap_handler, "ax", @progbits
  .balign 4
isa_trap_handler:
  csrw mscratch, t0
  la t0, isa_trap_rec
  sd t1, 32(t0)
  sd t2, 40(t0)
  ld t1, TRAP_REC_COUNT(t0)
  addi t1, t1, 1
  sd t1, TRAP_REC_COUNT(t0)
  csrr t1, mcause
  sd t1, TRAP_REC_CAUSE(t0)
  csrr t2, mtval
  sd t2, TRAP_REC_TVAL(t0)
  csrr t1, mepc
  sd t1, TRAP_REC_EPC(t0)
  /* Halfword load: mepc may be only 2-byte aligned. Low bits 11 = 32-bit instruction. */
  lhu t2, 0(t1)
  andi t2, t2, 3
  addi t2, t2, -3
  addi t1, t1, 2
  bnez t2, 1f
  addi t1, t1, 2
1:
  csrw mepc, t1
  ld t1, 32(t0)
  ld t2, 40(t0)
  csrr t0, mscratch
  mret
  .popsection
.endm

#define ISA_USE_TRAP_HANDLER la t0, isa_trap_handler; csrw mtvec, t0

/* Run `body` (raw `.half`/`.word` encodings or instructions), which must trap exactly once at its
 * first instruction with the given mcause and, unless tval is ANY_TVAL, the given mtval; execution
 * then continues after that instruction. */
#define ANY_TVAL 0x5a5a5a5a5a5a5a5a
#define TEST_TRAP(n, cause, tval, ...)                                                      \
  TEST_BEGIN(n); la t0, isa_trap_rec; sd zero, TRAP_REC_COUNT(t0);                          \
  93: __VA_ARGS__;                                                                          \
  la t0, isa_trap_rec; ld t1, TRAP_REC_COUNT(t0); CHECK_EQ(t1, 1);                          \
  ld t1, TRAP_REC_CAUSE(t0); CHECK_EQ(t1, cause);                                           \
  ld t1, TRAP_REC_EPC(t0); la t2, 93b; CHECK_REGS(t1, t2);                                  \
  .if (tval) != ANY_TVAL; ld t1, TRAP_REC_TVAL(t0); CHECK_EQ(t1, tval); .endif

#endif
