/* Program entry and system-call stubs (kernel: syscall.c). */
#include "syscall.h"

  .section .text.entry
  .globl _start
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  call main
  call exit

#define STUB(name) \
  .text; .globl name; name: li a7, SYS_##name; ecall; ret

STUB(write)
STUB(read)
STUB(exit)
