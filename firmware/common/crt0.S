/* Reset entry for every firmware image: M-mode, hart 0 (others park), stack, bss, then main(). */
  .section .text.init, "ax"
  .globl _start
_start:
  csrr t0, mhartid
  bnez t0, park
.option push
.option norelax
  la gp, __global_pointer$
.option pop
  la sp, __stack_top
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sd zero, 0(t0)
  addi t0, t0, 8
  j 1b
2:
  la t0, rt_unexpected_trap_entry
  csrw mtvec, t0
  call main
  call rt_exit
park:
  wfi
  j park

/* An unexpected M-mode trap: save nothing (we will not return), report and fail. */
  .align 2
  .globl rt_unexpected_trap_entry
rt_unexpected_trap_entry:
  la sp, __stack_top
  csrr a0, mcause
  csrr a1, mepc
  csrr a2, mtval
  call rt_unexpected_trap
1:
  j 1b
