/* User entry: the kernel provides sp (and a0..a7 are undefined). Sets gp, builds argc/argv from
 * SYS_getargs (ulib_start in ulib.c) and exits with main's return value. */
  .section .text.entry, "ax"
  .globl _start
_start:
.option push
.option norelax
  la gp, __global_pointer$
.option pop
  andi sp, sp, -16
  mv fp, zero
  mv ra, zero
  call ulib_start
1:
  j 1b
