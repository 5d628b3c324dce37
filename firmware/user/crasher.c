/* crasher kind=null|kernel|kernelhigh|foreign|illegal|priv|rodata|text|exec [addr=0x...] [expect=1]
 * Deliberately faults; the kernel must kill it. Prints "crasher: pid=P kind=K addr=A faulting now"
 * first and tells the kernel it expects to be killed (SYS_expect_kill: its kill does not fail the run);
 * if the access returns, prints "crasher: FAIL kind=K survived" and exits 1 (which fails the run).
 *   null        load from address 0
 *   kernel      store to 0x80000000 (kernel memory, start of DRAM)
 *   kernelhigh  store to 0xffffffc000000000 (the top half of Sv39)
 *   foreign     load from 0x40000000, where `twins` maps its pages; never mapped here
 *   illegal     execute an all-zero (illegal) instruction
 *   priv        read the S-mode CSR sstatus from U-mode (illegal instruction)
 *   rodata      store to this program's read-only data page
 *   text        store to this program's own code page
 *   exec        jump into this program's (non-executable) data page
 * addr= overrides the address of null/kernel/kernelhigh/foreign. expect=0 skips SYS_expect_kill: the
 * kill then stands for a program that crashed by mistake, and fails the run. */
#include "ulib.h"

static const uint64_t ro_word = 0x5eadbeef;
static uint32_t data_code[4] = {0x00008067, 0, 0, 0}; /* "ret": would return if executed */

int main(int argc, char **argv) {
  const char *kind = arg_str(argc, argv, "kind", "null");
  uint64_t addr;
  if (!strcmp(kind, "null")) addr = 0;
  else if (!strcmp(kind, "kernel")) addr = 0x80000000ull;
  else if (!strcmp(kind, "kernelhigh")) addr = 0xffffffc000000000ull;
  else if (!strcmp(kind, "foreign")) addr = 0x40000000ull;
  else if (!strcmp(kind, "rodata")) addr = (uint64_t)&ro_word;
  else if (!strcmp(kind, "text")) addr = (uint64_t)&main;
  else if (!strcmp(kind, "exec")) addr = (uint64_t)data_code;
  else if (!strcmp(kind, "illegal") || !strcmp(kind, "priv")) addr = 0;
  else {
    printf("crasher: FAIL unknown kind=%s\n", kind);
    return 2;
  }
  addr = arg_u64(argc, argv, "addr", addr);
  printf("crasher: pid=%ld kind=%s addr=0x%lx faulting now\n", sys_getpid(), kind, addr);
  if (arg_u64(argc, argv, "expect", 1)) sys_expect_kill();
  volatile uint64_t *p = (volatile uint64_t *)addr;
  if (!strcmp(kind, "null") || !strcmp(kind, "foreign")) {
    uint64_t v = *p;
    printf("crasher: read 0x%lx\n", v);
  } else if (!strcmp(kind, "illegal")) {
    __asm__ volatile(".4byte 0x00000000");
  } else if (!strcmp(kind, "priv")) {
    uint64_t v;
    __asm__ volatile("csrr %0, sstatus" : "=r"(v));
    printf("crasher: sstatus=0x%lx\n", v);
  } else if (!strcmp(kind, "exec")) {
    ((void (*)(void))addr)();
  } else {
    *p = 0xdead;
  }
  printf("crasher: FAIL kind=%s survived\n", kind);
  return 1;
}
