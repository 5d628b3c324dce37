/* RV64I control transfer: JAL, JALR (link = pc+4, target bit 0 cleared, rd = x0, rd == rs1,
 * positive/negative/odd immediates), BEQ BNE BLT BGE BLTU BGEU taken and not taken with signed and
 * unsigned edge values, forward and backward, and branch/jump offsets near their range limits. */
#include "isa_macros.h"

/* A branch with x0 as an operand. */
#define TEST_BR_X0_TAKEN(n, inst, v1, ...)                                                   \
  TEST_BEGIN(n); li a1, v1; inst __VA_ARGS__, 1f; j isa_fail; 1:
#define TEST_BR_X0_NOT_TAKEN(n, inst, v1, ...)                                               \
  TEST_BEGIN(n); li a1, v1; inst __VA_ARGS__, 1f; j 2f; 1: j isa_fail; 2:

  .text
  .option norvc
  .globl main
main:
  /* ---- branch offsets at the limits of the 13-bit range (-4096 .. +4094) ----
   * norelax: otherwise the assembler, unsure of the final distance, turns a far branch into an
   * inverted branch over a jal, and the offset under test would disappear. They come first
   * in main for the same reason: GAS estimates a forward distance conservatively when variable-size
   * frags precede it. (Numbered 79/80 because they were added last.) */
  .option push
  .option norelax
  /* +4092: beq at X, target at X + 4092 */
  TEST_BEGIN(79); li a1, 3; beq a1, a1, 1f; j isa_fail; .skip 4084; 1:
  /* -4096: target at Y, bne at Y + 4096 */
  TEST_BEGIN(80); li a1, 3; j 2f; 1: j 3f; .skip 4092; 2: bne a1, x0, 1b; j isa_fail; 3:
  .option pop

  /* ---- JAL ---- */
  /* forward: link register = address of the following instruction */
  TEST_BEGIN(1); li a4, 0; jal a4, 1f; 2: j isa_fail; 1: la a5, 2b; CHECK_REGS(a4, a5)
  /* backward */
  TEST_BEGIN(2); j 2f; 1: j 3f; 2: jal a4, 1b; 4: j isa_fail; 3: la a5, 4b; CHECK_REGS(a4, a5)
  /* rd = x0 (plain jump): no link written */
  TEST_BEGIN(3); jal x0, 1f; j isa_fail; 1: CHECK_EQ(x0, 0)
  /* jal ra (call form) */
  TEST_BEGIN(4); jal ra, 1f; 2: j isa_fail; 1: la a5, 2b; CHECK_REGS(ra, a5)
  /* large forward offset: 8 KiB + 8 exercises immediate bits above the branch range */
  TEST_BEGIN(5); jal a4, 1f; 2: j isa_fail; .skip 8192; 1: la a5, 2b; CHECK_REGS(a4, a5)
  /* large backward offset */
  TEST_BEGIN(6); j 2f; 1: j 3f; .skip 8192; 2: jal x0, 1b; j isa_fail; 3:

  /* ---- JALR ---- */
  TEST_BEGIN(7); la a1, 1f; jalr a4, 0(a1); 2: j isa_fail; 1: la a5, 2b; CHECK_REGS(a4, a5)
  /* positive and negative immediates */
  TEST_BEGIN(8); la a1, 1f; addi a1, a1, -16; jalr a4, 16(a1); 2: j isa_fail; 1:
    la a5, 2b; CHECK_REGS(a4, a5)
  /* extreme immediates: +2047 (register value odd, sum even) and -2048 */
  TEST_BEGIN(9); la a1, 1f; addi a1, a1, -2047; jalr a4, 2047(a1); j isa_fail; 1:
  TEST_BEGIN(10); la a1, 1f; li a3, 2048; add a1, a1, a3; jalr a4, -2048(a1); j isa_fail; 1:
  /* bit 0 of the target is cleared: odd register value */
  TEST_BEGIN(11); la a1, 1f; addi a1, a1, 1; jalr a4, 0(a1); j isa_fail; 1:
  /* ... odd immediate */
  TEST_BEGIN(12); la a1, 1f; jalr a4, 1(a1); j isa_fail; 1:
  /* ... odd sum of odd register and even immediate, negative immediate */
  TEST_BEGIN(13); la a1, 1f; addi a1, a1, 3; jalr a4, -2(a1); j isa_fail; 1:
  /* rd = x0: jump only */
  TEST_BEGIN(14); la a1, 1f; jalr x0, 0(a1); j isa_fail; 1: CHECK_EQ(x0, 0)
  /* rd == rs1: the target uses the old value, then the register receives the link */
  TEST_BEGIN(15); la a1, 1f; jalr a1, 0(a1); 2: j isa_fail; 1: la a5, 2b; CHECK_REGS(a1, a5)
  /* backward jalr (return-like) */
  TEST_BEGIN(16); j 2f; 1: j 3f; 2: la a1, 1b; jalr ra, 0(a1); j isa_fail; 3:

  /* ---- BEQ ---- */
  TEST_BR2_TAKEN(17, beq, 0, 0)
  TEST_BR2_TAKEN(18, beq, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_BR2_TAKEN(19, beq, 0x8000000000000000, 0x8000000000000000)
  TEST_BR2_NOT_TAKEN(20, beq, 0, 1)
  TEST_BR2_NOT_TAKEN(21, beq, 0x0000000100000000, 0)      /* upper half matters */
  TEST_BR2_NOT_TAKEN(22, beq, 0xffffffffffffffff, 0x7fffffffffffffff)
  TEST_BR2_TAKEN_BACK(23, beq, 5, 5)
  TEST_BR_X0_TAKEN(24, beq, 0, x0, x0)
  TEST_BR_X0_TAKEN(25, beq, 0, a1, x0)                    /* beqz */

  /* ---- BNE ---- */
  TEST_BR2_TAKEN(26, bne, 0, 1)
  TEST_BR2_TAKEN(27, bne, 0x0000000100000000, 0)
  TEST_BR2_TAKEN(28, bne, 0xffffffffffffffff, 1)
  TEST_BR2_NOT_TAKEN(29, bne, 0, 0)
  TEST_BR2_NOT_TAKEN(30, bne, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_BR2_TAKEN_BACK(31, bne, 0x8000000000000000, 0)
  TEST_BR_X0_NOT_TAKEN(32, bne, 0, x0, x0)
  TEST_BR_X0_TAKEN(33, bne, 0x8000000000000000, a1, x0)   /* bnez */

  /* ---- BLT (signed) ---- */
  TEST_BR2_TAKEN(34, blt, 0, 1)
  TEST_BR2_TAKEN(35, blt, 0xffffffffffffffff, 1)
  TEST_BR2_TAKEN(36, blt, 0xfffffffffffffffe, 0xffffffffffffffff)
  TEST_BR2_TAKEN(37, blt, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_BR2_TAKEN(38, blt, 0x8000000000000000, 0)
  TEST_BR2_NOT_TAKEN(39, blt, 1, 0)
  TEST_BR2_NOT_TAKEN(40, blt, 1, 0xffffffffffffffff)
  TEST_BR2_NOT_TAKEN(41, blt, 0xffffffffffffffff, 0xfffffffffffffffe)
  TEST_BR2_NOT_TAKEN(42, blt, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_BR2_NOT_TAKEN(43, blt, 5, 5)
  TEST_BR2_TAKEN_BACK(44, blt, 0xffffffffffffffff, 0)
  TEST_BR_X0_TAKEN(45, blt, 0x8000000000000000, a1, x0)   /* bltz */
  TEST_BR_X0_NOT_TAKEN(46, blt, 0x8000000000000000, x0, a1) /* bgtz */

  /* ---- BGE (signed) ---- */
  TEST_BR2_TAKEN(47, bge, 0, 0)
  TEST_BR2_TAKEN(48, bge, 1, 0)
  TEST_BR2_TAKEN(49, bge, 1, 0xffffffffffffffff)
  TEST_BR2_TAKEN(50, bge, 0xffffffffffffffff, 0xfffffffffffffffe)
  TEST_BR2_TAKEN(51, bge, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_BR2_NOT_TAKEN(52, bge, 0, 1)
  TEST_BR2_NOT_TAKEN(53, bge, 0xffffffffffffffff, 1)
  TEST_BR2_NOT_TAKEN(54, bge, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_BR2_NOT_TAKEN(55, bge, 0xfffffffffffffffe, 0xffffffffffffffff)
  TEST_BR2_TAKEN_BACK(56, bge, 0, 0x8000000000000000)
  TEST_BR_X0_TAKEN(57, bge, 0, a1, x0)                    /* bgez */
  TEST_BR_X0_NOT_TAKEN(58, bge, 0xffffffffffffffff, a1, x0)

  /* ---- BLTU (unsigned) ---- */
  TEST_BR2_TAKEN(59, bltu, 0, 1)
  TEST_BR2_TAKEN(60, bltu, 1, 0xffffffffffffffff)
  TEST_BR2_TAKEN(61, bltu, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_BR2_TAKEN(62, bltu, 0xfffffffffffffffe, 0xffffffffffffffff)
  TEST_BR2_NOT_TAKEN(63, bltu, 1, 0)
  TEST_BR2_NOT_TAKEN(64, bltu, 0xffffffffffffffff, 1)
  TEST_BR2_NOT_TAKEN(65, bltu, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_BR2_NOT_TAKEN(66, bltu, 5, 5)
  TEST_BR2_TAKEN_BACK(67, bltu, 0, 0xffffffffffffffff)
  TEST_BR_X0_NOT_TAKEN(68, bltu, 0xffffffffffffffff, a1, x0) /* nothing is below 0 */
  TEST_BR_X0_TAKEN(69, bltu, 1, x0, a1)                   /* snez as a branch */

  /* ---- BGEU (unsigned) ---- */
  TEST_BR2_TAKEN(70, bgeu, 0, 0)
  TEST_BR2_TAKEN(71, bgeu, 0xffffffffffffffff, 1)
  TEST_BR2_TAKEN(72, bgeu, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_BR2_TAKEN(73, bgeu, 0xffffffffffffffff, 0xfffffffffffffffe)
  TEST_BR2_NOT_TAKEN(74, bgeu, 0, 1)
  TEST_BR2_NOT_TAKEN(75, bgeu, 1, 0xffffffffffffffff)
  TEST_BR2_NOT_TAKEN(76, bgeu, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_BR2_TAKEN_BACK(77, bgeu, 0xffffffffffffffff, 0)
  TEST_BR_X0_TAKEN(78, bgeu, 0x8000000000000000, a1, x0)  /* always true */


  ISA_PASS
  ISA_FAIL_CODE
