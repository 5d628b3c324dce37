/* RV64C: every compressed instruction form, written with explicit `c.` mnemonics so the
 * assembler emits exactly that form (each verified 16-bit with objdump -d), with edge immediates
 * (most negative, largest, shamt >= 32), sign extension of C.LW/C.ADDIW/C.SUBW/C.ADDW results,
 * link = pc + 2 for C.JALR, C.EBREAK caught by a local handler (mcause 3, mepc at the 2-byte
 * instruction), and 32-bit instructions at addresses that are only 2-byte aligned, including
 * one that straddles a 4 KiB page boundary. Expected values are hand-computed from the spec. */
#include "isa_macros.h"

/* Run `body` with sp pointing at cbuf (for the sp-relative forms), then restore sp from s10. */
#define WITH_SP_CBUF(...) la sp, cbuf; __VA_ARGS__; mv sp, s10
/* Check at run time that label `to` lies `dist` bytes from label `from` (layout assumption). */
#define DISTANCE(from, to, dist) la a4, from; la a5, to; sub a4, a5, a4; CHECK_EQ(a4, dist)

  .data
  .balign 16
cbuf:
  .skip 1024

  .text
  /* Compressed encodings allowed: needed for the c. mnemonics. The checking code of the macros
   * may be compressed by the assembler too, which is harmless. */
  .option rvc
  .globl main
main:
  mv s10, sp              /* the real stack pointer, restored after sp-relative tests */
  ISA_USE_TRAP_HANDLER    /* for C.EBREAK */

  /* ---- C.J / C.BEQZ / C.BNEZ at their range limits (C.J -2048..+2046, C.Bxx -256..+254) ----
   * These come first in main, forward ones before anything else: GAS may quietly turn an
   * out-of-range c.j/c.beqz/c.bnez into a 32-bit jump/branch, and while earlier variable-size
   * code is still being sized it overestimates forward distances, so a branch to exactly its
   * maximum distance would be widened (and, being wider, then really be out of range). Every
   * c.j/c.beqz/c.bnez in this file was checked to be 16-bit with objdump. ---- */
  .option push
  .option norelax
  TEST_BEGIN(3); li a0, 0; 4: c.beqz a0, 1f; .skip 252; 1: DISTANCE(4b, 1b, 254)
  TEST_BEGIN(1); 4: c.j 1f; .skip 2044; 1: DISTANCE(4b, 1b, 2046)   /* a fall-through would trap */
  TEST_BEGIN(2); j 2f; 1: .option norvc; j 3f; .option rvc; .skip 2044; 2: c.j 1b; j isa_fail; 3:
    DISTANCE(2b, 1b, -2048)
  TEST_BEGIN(4); li a0, 1; j 2f; 1: .option norvc; j 3f; .option rvc; .skip 252; 2: c.bnez a0, 1b;
    j isa_fail; 3: DISTANCE(2b, 1b, -256)
  .option pop

  /* ---- C.ADDI4SPN rd', sp, nzuimm (4..1020, multiple of 4) ---- */
  TEST_CASE(5, a0, 4, WITH_SP_CBUF(c.addi4spn a0, sp, 4; sub a0, a0, sp))
  TEST_CASE(6, s1, 1020, WITH_SP_CBUF(c.addi4spn s1, sp, 1020; sub s1, s1, sp))

  /* ---- C.LW / C.LD rd', uimm(rs1') (C.LW: 0..124 step 4, C.LD: 0..248 step 8) ---- */
  TEST_CASE(7, a0, 0xffffffff80000000, la a1, cbuf; li a2, 0x80000000; sw a2, 0(a1); c.lw a0, 0(a1))
  TEST_CASE(8, a0, 0x000000007ffffffe, la a1, cbuf; li a2, 0x7ffffffe; sw a2, 124(a1); c.lw a0, 124(a1))
  TEST_CASE(9, s0, 0x8000000000000001, la a5, cbuf; li a2, 0x8000000000000001; sd a2, 248(a5); c.ld s0, 248(a5))
  TEST_CASE(10, a3, 0x0123456789abcdef, la a1, cbuf; li a2, 0x0123456789abcdef; sd a2, 0(a1); c.ld a3, 0(a1))
  /* rd' == rs1' */
  TEST_CASE(11, a1, 0xfedcba9876543210, la a1, cbuf; li a2, 0xfedcba9876543210; sd a2, 8(a1); c.ld a1, 8(a1))

  /* ---- C.SW / C.SD rs2', uimm(rs1'): only the addressed bytes change ---- */
  TEST_CASE(12, a4, 0x1234567811111111, la a1, cbuf; li a2, 0x1111111111111111; sd a2, 120(a1);
            li a3, 0xffffffff12345678; c.sw a3, 124(a1); ld a4, 120(a1))
  TEST_CASE(13, a4, 0x11111111deadbeef, la a1, cbuf; li a2, 0x1111111111111111; sd a2, 0(a1);
            li a3, 0xdeadbeef; c.sw a3, 0(a1); ld a4, 0(a1))
  TEST_CASE(14, a4, 0x8000000000000008, la a1, cbuf; li a3, 0x8000000000000008; c.sd a3, 248(a1);
            ld a4, 248(a1))
  TEST_CASE(15, a4, 0x0000000000000000, la s1, cbuf; li a3, -1; sd a3, 0(s1); li a3, 0; c.sd a3, 0(s1);
            ld a4, 0(s1))

  /* ---- C.NOP ---- */
  TEST_CASE(16, a0, 0x5a5a, li a0, 0x5a5a; c.nop; c.nop)

  /* ---- C.ADDI rd, nzimm (-32..31); rd may be any register ---- */
  TEST_CASE(17, a0, 0xffffffffffffffe0, li a0, 0; c.addi a0, -32)
  TEST_CASE(18, a0, 0x800000000000001e, li a0, 0x7fffffffffffffff; c.addi a0, 31)
  TEST_CASE(19, t0, 0x0000000100000000, li t0, 0xffffffff; c.addi t0, 1)   /* no 32-bit wrap */

  /* ---- C.ADDIW rd, imm (-32..31): 32-bit add, result sign-extended ---- */
  TEST_CASE(20, a0, 0xffffffff80000000, li a0, 0x7fffffff; c.addiw a0, 1)
  TEST_CASE(21, a0, 0xffffffff80000000, li a0, 0x0000000080000000; c.addiw a0, 0)   /* sext.w */
  TEST_CASE(22, a0, 0xffffffffffffffe0, li a0, 0x0000000100000000; c.addiw a0, -32)
  TEST_CASE(23, t1, 0x000000000000001f, li t1, 0xffffffff00000000; c.addiw t1, 31)

  /* ---- C.LI rd, imm (-32..31) ---- */
  TEST_CASE(24, a0, 0xffffffffffffffe0, li a0, 1; c.li a0, -32)
  TEST_CASE(25, a0, 0x000000000000001f, li a0, 1; c.li a0, 31)
  TEST_CASE(26, t2, 0x0000000000000000, li t2, -1; c.li t2, 0)

  /* ---- C.ADDI16SP nzimm (-512..496, multiple of 16) ---- */
  TEST_CASE(27, a0, 0xfffffffffffffe00, la sp, cbuf+512; c.addi16sp sp, -512; la a0, cbuf+512;
            sub a0, sp, a0; mv sp, s10)
  TEST_CASE(28, a0, 0x00000000000001f0, la sp, cbuf; c.addi16sp sp, 496; la a0, cbuf;
            sub a0, sp, a0; mv sp, s10)
  TEST_CASE(29, a0, 0x0000000000000010, la sp, cbuf; c.addi16sp sp, 16; la a0, cbuf;
            sub a0, sp, a0; mv sp, s10)

  /* ---- C.LUI rd, nzimm (6-bit signed, placed at bits 17:12, sign-extended) ---- */
  TEST_CASE(30, a0, 0x0000000000001000, c.lui a0, 1)
  TEST_CASE(31, a0, 0x000000000001f000, c.lui a0, 31)
  TEST_CASE(32, a0, 0xfffffffffffe0000, c.lui a0, 0xfffe0)       /* most negative: -32 << 12 */
  TEST_CASE(33, t3, 0xfffffffffffff000, c.lui t3, 0xfffff)       /* -1 << 12 */

  /* ---- C.SRLI / C.SRAI rd', shamt (1..63) ---- */
  TEST_CASE(34, a0, 0x4000000000000000, li a0, 0x8000000000000000; c.srli a0, 1)
  TEST_CASE(35, a0, 0x0000000000000001, li a0, 0x8000000000000000; c.srli a0, 63)
  TEST_CASE(36, a0, 0x00000000ffffffff, li a0, 0xffffffff00000000; c.srli a0, 32)
  TEST_CASE(37, a0, 0xffffffffffffffff, li a0, 0x8000000000000000; c.srai a0, 63)
  TEST_CASE(38, a0, 0xffffffff80000000, li a0, 0x8000000000000000; c.srai a0, 32)
  TEST_CASE(39, a0, 0x3000000000000000, li a0, 0x6000000000000000; c.srai a0, 1)

  /* ---- C.ANDI rd', imm (-32..31) ---- */
  TEST_CASE(40, a0, 0x123456789abcdee0, li a0, 0x123456789abcdeff; c.andi a0, -32)
  TEST_CASE(41, a0, 0x000000000000001f, li a0, 0xffffffffffffffff; c.andi a0, 31)
  TEST_CASE(42, a0, 0x0000000000000000, li a0, 0xffffffffffffffff; c.andi a0, 0)

  /* ---- C.SUB C.XOR C.OR C.AND rd', rs2' ---- */
  TEST_CASE(43, a0, 0xffffffffffffffff, li a0, 0; li a1, 1; c.sub a0, a1)
  TEST_CASE(44, a0, 0x7fffffffffffffff, li a0, 0x8000000000000000; li a1, 1; c.sub a0, a1)
  TEST_CASE(45, s0, 0xf0f0f0f0f0f0f0f0, li s0, 0xff00ff00ff00ff00; li s1, 0x0ff00ff00ff00ff0; c.xor s0, s1)
  TEST_CASE(46, a2, 0xfff0fff0fff0fff0, li a2, 0xff00ff00ff00ff00; li a3, 0x0ff00ff00ff00ff0; c.or a2, a3)
  TEST_CASE(47, a4, 0x0f000f000f000f00, li a4, 0xff00ff00ff00ff00; li a5, 0x0ff00ff00ff00ff0; c.and a4, a5)
  TEST_CASE(48, a0, 0x0000000000000000, li a0, 0x123456789; c.xor a0, a0)

  /* ---- C.SUBW / C.ADDW rd', rs2': low words, result sign-extended ---- */
  TEST_CASE(49, a0, 0x000000007fffffff, li a0, 0xffffffff80000000; li a1, 1; c.subw a0, a1)
  TEST_CASE(50, a0, 0xffffffffffffffff, li a0, 0x0000000100000000; li a1, 1; c.subw a0, a1)
  TEST_CASE(51, a0, 0xffffffff80000000, li a0, 0x7fffffff; li a1, -1; c.subw a0, a1)
  TEST_CASE(52, a0, 0xffffffff80000000, li a0, 0x7fffffff; li a1, 1; c.addw a0, a1)
  TEST_CASE(53, a0, 0x0000000000000000, li a0, 0xffffffff; li a1, 1; c.addw a0, a1)
  TEST_CASE(54, a5, 0x0000000000000008, li a5, 0x0000000100000005; li s0, 0x0000000200000003; c.addw a5, s0)

  /* ---- C.J, C.BEQZ, C.BNEZ (short forward/backward; limits tested above) ---- */
  TEST_BEGIN(55); c.j 1f; j isa_fail; 1:
  TEST_BEGIN(56); j 2f; 1: j 3f; 2: c.j 1b; j isa_fail; 3:
  TEST_BEGIN(57); li a0, 0; c.beqz a0, 1f; j isa_fail; 1:
  TEST_BEGIN(58); li a0, 0x100000000; c.beqz a0, 1f; j 2f; 1: j isa_fail; 2:       /* all 64 bits */
  TEST_BEGIN(59); li a0, 0x8000000000000000; c.bnez a0, 1f; j isa_fail; 1:
  TEST_BEGIN(60); li a0, 0; c.bnez a0, 1f; j 2f; 1: j isa_fail; 2:
  TEST_BEGIN(61); li s1, 0; j 2f; 1: j 3f; 2: c.beqz s1, 1b; j isa_fail; 3:

  /* ---- C.SLLI rd, shamt (1..63); rd may be any register ---- */
  TEST_CASE(62, a0, 0x0000000000000002, li a0, 1; c.slli a0, 1)
  TEST_CASE(63, a0, 0x8000000000000000, li a0, 1; c.slli a0, 63)
  TEST_CASE(64, t4, 0x2121212100000000, li t4, 0x21212121; c.slli t4, 32)
  TEST_CASE(65, a0, 0x0000000100000000, li a0, 0x80000000; c.slli a0, 1)

  /* ---- C.LWSP / C.LDSP rd, uimm(sp) (C.LWSP 0..252 step 4, C.LDSP 0..504 step 8) ---- */
  TEST_CASE(66, a0, 0xffffffff87654321, la a1, cbuf; li a2, 0x87654321; sw a2, 252(a1);
            WITH_SP_CBUF(c.lwsp a0, 252(sp)))
  TEST_CASE(67, t5, 0x0000000012345678, la a1, cbuf; li a2, 0x12345678; sw a2, 0(a1);
            WITH_SP_CBUF(c.lwsp t5, 0(sp)))
  TEST_CASE(68, a0, 0x8765432112345678, la a1, cbuf; li a2, 0x8765432112345678; sd a2, 504(a1);
            WITH_SP_CBUF(c.ldsp a0, 504(sp)))
  TEST_CASE(69, ra, 0x0000000000000042, la a1, cbuf; li a2, 0x42; sd a2, 0(a1);
            WITH_SP_CBUF(c.ldsp ra, 0(sp)))

  /* ---- C.SWSP / C.SDSP rs2, uimm(sp) ---- */
  TEST_CASE(70, a4, 0xcafef00d22222222, la a1, cbuf; li a2, 0x2222222222222222; sd a2, 248(a1);
            li a0, 0x00000000cafef00d; WITH_SP_CBUF(c.swsp a0, 252(sp)); ld a4, 248(a1))
  TEST_CASE(71, a4, 0x2222222200000001, la a1, cbuf; li a2, 0x2222222222222222; sd a2, 0(a1);
            li t0, 0xffffffff00000001; WITH_SP_CBUF(c.swsp t0, 0(sp)); ld a4, 0(a1))
  TEST_CASE(72, a4, 0xfedcba9876543210, la a1, cbuf; li a0, 0xfedcba9876543210;
            WITH_SP_CBUF(c.sdsp a0, 504(sp)); ld a4, 504(a1))
  TEST_CASE(73, a4, 0x0000000000000000, la a1, cbuf; li a2, -1; sd a2, 8(a1);
            WITH_SP_CBUF(c.sdsp zero, 8(sp)); ld a4, 8(a1))

  /* ---- C.JR rs1 ---- */
  TEST_BEGIN(74); la a0, 1f; c.jr a0; j isa_fail; 1:
  TEST_BEGIN(75); la t0, 1f; addi t0, t0, 1; c.jr t0; j isa_fail; 1:   /* bit 0 of target cleared */

  /* ---- C.MV rd, rs2 ---- */
  TEST_CASE(76, a0, 0x8000000000000001, li t1, 0x8000000000000001; c.mv a0, t1)
  TEST_CASE(77, t5, 0xffffffff00000000, li s0, 0xffffffff00000000; li t5, 0; c.mv t5, s0)

  /* ---- C.EBREAK: breakpoint exception, mepc = address of the 2-byte instruction; the handler
   * resumes 2 bytes later ---- */
  TEST_TRAP(78, 3, ANY_TVAL, c.ebreak)
  /* the instruction after it runs exactly once */
  TEST_CASE(79, a0, 1, li a0, 0; c.ebreak; c.addi a0, 1)

  /* ---- C.JALR rs1: link = pc + 2 ---- */
  TEST_BEGIN(80); la a0, 1f; c.jalr a0; 2: j isa_fail; 1: la a1, 2b; CHECK_REGS(ra, a1)
  /* rs1 == ra: the target is the old ra, then ra receives the link */
  TEST_BEGIN(81); la ra, 1f; c.jalr ra; 2: j isa_fail; 1: la a1, 2b; CHECK_REGS(ra, a1)

  /* ---- C.ADD rd, rs2 ---- */
  TEST_CASE(82, a0, 0x8000000000000000, li a0, 0x7fffffffffffffff; li t2, 1; c.add a0, t2)
  TEST_CASE(83, t0, 0x0000000100000000, li t0, 0xffffffff; li t1, 1; c.add t0, t1)
  TEST_CASE(84, a0, 0xfffffffffffffffe, li a0, -1; c.add a0, a0)

  /* ---- 32-bit instructions at addresses that are 2 mod 4 ----
   * AT_4N2 aligns to 4 and emits a c.nop, so the next (32-bit, thanks to norvc) instruction sits at
   * 4n+2. The .balign must be assembled with rvc enabled: under norvc the assembler reserves no
   * padding for linker relaxation to trim and the result can end up misaligned. Each case also
   * checks at run time that its instruction really is at 4n+2 (IS_4N2). */
#define AT_4N2 .option rvc; .balign 4; c.nop; .option norvc
#define IS_4N2(label) la a5, label; andi a5, a5, 3; CHECK_EQ(a5, 2)
  .option push
  .option norvc
  /* ALU op */
  TEST_BEGIN(85); li a0, 5; AT_4N2; 1: addi a0, a0, 1000; CHECK_EQ(a0, 1005); IS_4N2(1b)
  /* a run of mixed 16/32-bit instructions */
  TEST_BEGIN(86); li a0, 0; .option rvc; .balign 4; c.li a0, 1; .option norvc; 1: slli a0, a0, 4;
    .option rvc; c.addi a0, 1; .option norvc; addi a0, a0, 0x100; .option rvc; c.slli a0, 1;
    .option norvc; ori a0, a0, 0x400; CHECK_EQ(a0, 0x622); IS_4N2(1b)
  /* load and store at 4n+2 */
  TEST_BEGIN(87); la a1, cbuf; li a2, 0x0102030405060708; AT_4N2; 1: sd a2, 16(a1); ld a3, 16(a1);
    CHECK_EQ(a3, 0x0102030405060708); IS_4N2(1b)
  /* jal from 4n+2 to a 4n+2 target; the link is pc + 4 */
  TEST_BEGIN(88); AT_4N2; 3: jal a4, 1f; 2: j isa_fail; AT_4N2; 1: la a5, 2b; CHECK_REGS(a4, a5);
    IS_4N2(3b); IS_4N2(1b)
  /* taken branch from 4n+2 to a 4n+2 target */
  TEST_BEGIN(89); li a1, 1; AT_4N2; 3: bne a1, x0, 1f; j isa_fail; AT_4N2; 1: IS_4N2(3b); IS_4N2(1b)
  /* jalr to a 4n+2 target */
  TEST_BEGIN(90); la a1, 1f; jalr a4, 0(a1); j isa_fail; AT_4N2; 1: IS_4N2(1b)
  .option pop

  /* a 32-bit instruction whose two halves lie in different 4 KiB pages (and 64-byte lines) */
  TEST_BEGIN(91); li a0, 7; j 1f
  .pushsection .text.straddle, "ax"
  .option push
  .option norvc
  .balign 4096
  .skip 4094
1:
  addi a0, a0, 0x123    /* bytes at page offsets 0xffe..0xfff and 0x000..0x001 */
  j 2f
  .option pop
  .popsection
2:
  CHECK_EQ(a0, 0x12a)
  la a5, 1b; li a4, 0xfff; and a5, a5, a4; CHECK_EQ(a5, 0xffe)   /* really at page offset 0xffe */

  ISA_PASS
  ISA_FAIL_CODE
  ISA_TRAP_HANDLER
