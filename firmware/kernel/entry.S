/* Trap entries and context switch.
 *   m_trap_vector  M-mode: every trap that reaches M (machine timer, ecall from S, fatal errors). Saves all
 *                  registers on the M stack (mscratch) and calls m_trap(regs) in mboot.c.
 *   s_trap_vector  S-mode: traps from U. sscratch holds the running process's kernel stack top while it is
 *                  in U and 0 while the kernel runs, so a trap from S (a kernel bug: the kernel runs with
 *                  SIE = 0 and never touches user addresses) is recognised and reported.
 *   user_ret(tf)   back to U from a trapframe.
 *   swtch          save/restore callee-saved registers (kernel threads, xv6 style).
 *   sbi_call       ecall to the M-mode boot code. */
#define TF_SIZE 272
#define REG(n) (8 * (n))

  .section .text
  .align 4
  .globl m_trap_vector
m_trap_vector:
  csrrw sp, mscratch, sp
  addi sp, sp, -256
  sd x1, REG(1)(sp)
  sd x3, REG(3)(sp)
  sd x4, REG(4)(sp)
  sd x5, REG(5)(sp)
  sd x6, REG(6)(sp)
  sd x7, REG(7)(sp)
  sd x8, REG(8)(sp)
  sd x9, REG(9)(sp)
  sd x10, REG(10)(sp)
  sd x11, REG(11)(sp)
  sd x12, REG(12)(sp)
  sd x13, REG(13)(sp)
  sd x14, REG(14)(sp)
  sd x15, REG(15)(sp)
  sd x16, REG(16)(sp)
  sd x17, REG(17)(sp)
  sd x18, REG(18)(sp)
  sd x19, REG(19)(sp)
  sd x20, REG(20)(sp)
  sd x21, REG(21)(sp)
  sd x22, REG(22)(sp)
  sd x23, REG(23)(sp)
  sd x24, REG(24)(sp)
  sd x25, REG(25)(sp)
  sd x26, REG(26)(sp)
  sd x27, REG(27)(sp)
  sd x28, REG(28)(sp)
  sd x29, REG(29)(sp)
  sd x30, REG(30)(sp)
  sd x31, REG(31)(sp)
  /* gp is whatever the interrupted code had: the kernel's own is the same value (one image). */
  mv a0, sp
  call m_trap
  ld x1, REG(1)(sp)
  ld x3, REG(3)(sp)
  ld x4, REG(4)(sp)
  ld x5, REG(5)(sp)
  ld x6, REG(6)(sp)
  ld x7, REG(7)(sp)
  ld x8, REG(8)(sp)
  ld x9, REG(9)(sp)
  ld x10, REG(10)(sp)
  ld x11, REG(11)(sp)
  ld x12, REG(12)(sp)
  ld x13, REG(13)(sp)
  ld x14, REG(14)(sp)
  ld x15, REG(15)(sp)
  ld x16, REG(16)(sp)
  ld x17, REG(17)(sp)
  ld x18, REG(18)(sp)
  ld x19, REG(19)(sp)
  ld x20, REG(20)(sp)
  ld x21, REG(21)(sp)
  ld x22, REG(22)(sp)
  ld x23, REG(23)(sp)
  ld x24, REG(24)(sp)
  ld x25, REG(25)(sp)
  ld x26, REG(26)(sp)
  ld x27, REG(27)(sp)
  ld x28, REG(28)(sp)
  ld x29, REG(29)(sp)
  ld x30, REG(30)(sp)
  ld x31, REG(31)(sp)
  addi sp, sp, 256
  csrrw sp, mscratch, sp
  mret

  .align 4
  .globl s_trap_vector
s_trap_vector:
  csrrw sp, sscratch, sp
  beqz sp, 1f
  addi sp, sp, -TF_SIZE
  sd x1, REG(1)(sp)
  sd x3, REG(3)(sp)
  sd x4, REG(4)(sp)
  sd x5, REG(5)(sp)
  sd x6, REG(6)(sp)
  sd x7, REG(7)(sp)
  sd x8, REG(8)(sp)
  sd x9, REG(9)(sp)
  sd x10, REG(10)(sp)
  sd x11, REG(11)(sp)
  sd x12, REG(12)(sp)
  sd x13, REG(13)(sp)
  sd x14, REG(14)(sp)
  sd x15, REG(15)(sp)
  sd x16, REG(16)(sp)
  sd x17, REG(17)(sp)
  sd x18, REG(18)(sp)
  sd x19, REG(19)(sp)
  sd x20, REG(20)(sp)
  sd x21, REG(21)(sp)
  sd x22, REG(22)(sp)
  sd x23, REG(23)(sp)
  sd x24, REG(24)(sp)
  sd x25, REG(25)(sp)
  sd x26, REG(26)(sp)
  sd x27, REG(27)(sp)
  sd x28, REG(28)(sp)
  sd x29, REG(29)(sp)
  sd x30, REG(30)(sp)
  sd x31, REG(31)(sp)
  csrr t0, sscratch
  sd t0, REG(2)(sp)
  csrw sscratch, zero
  csrr t0, sepc
  sd t0, REG(32)(sp)
  /* The user may have changed gp: the kernel needs its own. */
.option push
.option norelax
  la gp, __global_pointer$
.option pop
  mv a0, sp
  call user_trap
  mv a0, sp
  j user_ret
1:
  /* Trap taken in S-mode: restore sp (and sscratch = 0) and report. */
  csrrw sp, sscratch, sp
  call kernel_trap

  .globl user_ret
user_ret:
  /* a0 = trapframe at the top of the process's kernel stack. */
  addi t0, a0, TF_SIZE
  csrw sscratch, t0
  ld t0, REG(32)(a0)
  csrw sepc, t0
  /* sret to U with SPIE = 0 (irrelevant in U: S interrupts are always enabled below S). */
  li t0, (1 << 8) | (1 << 5)
  csrc sstatus, t0
  ld x1, REG(1)(a0)
  ld x2, REG(2)(a0)
  ld x3, REG(3)(a0)
  ld x4, REG(4)(a0)
  ld x5, REG(5)(a0)
  ld x6, REG(6)(a0)
  ld x7, REG(7)(a0)
  ld x8, REG(8)(a0)
  ld x9, REG(9)(a0)
  ld x11, REG(11)(a0)
  ld x12, REG(12)(a0)
  ld x13, REG(13)(a0)
  ld x14, REG(14)(a0)
  ld x15, REG(15)(a0)
  ld x16, REG(16)(a0)
  ld x17, REG(17)(a0)
  ld x18, REG(18)(a0)
  ld x19, REG(19)(a0)
  ld x20, REG(20)(a0)
  ld x21, REG(21)(a0)
  ld x22, REG(22)(a0)
  ld x23, REG(23)(a0)
  ld x24, REG(24)(a0)
  ld x25, REG(25)(a0)
  ld x26, REG(26)(a0)
  ld x27, REG(27)(a0)
  ld x28, REG(28)(a0)
  ld x29, REG(29)(a0)
  ld x30, REG(30)(a0)
  ld x31, REG(31)(a0)
  ld x10, REG(10)(a0)
  sret

  /* swtch(from, to): struct context { ra, sp, s0..s11 } */
  .globl swtch
swtch:
  sd ra, 0(a0)
  sd sp, 8(a0)
  sd s0, 16(a0)
  sd s1, 24(a0)
  sd s2, 32(a0)
  sd s3, 40(a0)
  sd s4, 48(a0)
  sd s5, 56(a0)
  sd s6, 64(a0)
  sd s7, 72(a0)
  sd s8, 80(a0)
  sd s9, 88(a0)
  sd s10, 96(a0)
  sd s11, 104(a0)
  ld ra, 0(a1)
  ld sp, 8(a1)
  ld s0, 16(a1)
  ld s1, 24(a1)
  ld s2, 32(a1)
  ld s3, 40(a1)
  ld s4, 48(a1)
  ld s5, 56(a1)
  ld s6, 64(a1)
  ld s7, 72(a1)
  ld s8, 80(a1)
  ld s9, 88(a1)
  ld s10, 96(a1)
  ld s11, 104(a1)
  ret

  /* sbi_call(fn, a0) -> a0 */
  .globl sbi_call
sbi_call:
  mv a7, a0
  mv a0, a1
  ecall
  ret
