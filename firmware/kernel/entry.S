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
  .irp r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
  sd x\r, REG(\r)(sp)
  .endr
  /* gp is whatever the interrupted code had: the kernel's own is the same value (one image). */
  mv a0, sp
  call m_trap
  .irp r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
  ld x\r, REG(\r)(sp)
  .endr
  addi sp, sp, 256
  csrrw sp, mscratch, sp
  mret

  .align 4
  .globl s_trap_vector
s_trap_vector:
  csrrw sp, sscratch, sp
  beqz sp, 1f
  addi sp, sp, -TF_SIZE
  .irp r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
  sd x\r, REG(\r)(sp)
  .endr
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
  .irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 10
  ld x\r, REG(\r)(a0)
  .endr
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
