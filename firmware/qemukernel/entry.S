/* Boot entry (M-mode, at 0x80000000 where QEMU -bios none jumps), the S-mode trap entry for traps taken
 * in the kernel, and the kernel-context save/resume that brings run_program back when a process ends. */
  .section .text.init
  .globl _start
_start:
  csrr t0, mhartid
  bnez t0, park            /* one hart runs the kernel; the others sleep */
  la sp, __stack_top
  call mstart
park:
  wfi
  j park

  .text
/* Traps taken in S-mode (interrupts while the kernel waits): save what the C handler may clobber. */
  .globl kernelvec
  .balign 4
kernelvec:
  addi sp, sp, -144
  sd ra, 0(sp)
  sd t0, 8(sp)
  sd t1, 16(sp)
  sd t2, 24(sp)
  sd a0, 32(sp)
  sd a1, 40(sp)
  sd a2, 48(sp)
  sd a3, 56(sp)
  sd a4, 64(sp)
  sd a5, 72(sp)
  sd a6, 80(sp)
  sd a7, 88(sp)
  sd t3, 96(sp)
  sd t4, 104(sp)
  sd t5, 112(sp)
  sd t6, 120(sp)
  call kerneltrap
  ld ra, 0(sp)
  ld t0, 8(sp)
  ld t1, 16(sp)
  ld t2, 24(sp)
  ld a0, 32(sp)
  ld a1, 40(sp)
  ld a2, 48(sp)
  ld a3, 56(sp)
  ld a4, 64(sp)
  ld a5, 72(sp)
  ld a6, 80(sp)
  ld a7, 88(sp)
  ld t3, 96(sp)
  ld t4, 104(sp)
  ld t5, 112(sp)
  ld t6, 120(sp)
  addi sp, sp, 144
  sret

/* kctx_save(ctx) returns 0; a later kctx_resume(ctx) returns from it again with 1. ctx holds ra, sp and
 * s0..s11. */
  .globl kctx_save
kctx_save:
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
  li a0, 0
  ret

  .globl kctx_resume
kctx_resume:
  ld ra, 0(a0)
  ld sp, 8(a0)
  ld s0, 16(a0)
  ld s1, 24(a0)
  ld s2, 32(a0)
  ld s3, 40(a0)
  ld s4, 48(a0)
  ld s5, 56(a0)
  ld s6, 64(a0)
  ld s7, 72(a0)
  ld s8, 80(a0)
  ld s9, 88(a0)
  ld s10, 96(a0)
  ld s11, 104(a0)
  li a0, 1
  ret
