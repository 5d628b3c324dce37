/* M-mode start: hand every trap and interrupt to S-mode, open physical memory to S and U through PMP,
 * let S-mode program its own timer (Sstc: menvcfg.STCE, mcounteren.TM, the first stimecmp, as xv6-riscv's
 * timerinit), and mret into kmain in S-mode with paging off. */
#include "kernel.h"

void kmain(void);
extern char __bss_start[], __bss_end[];

void mstart(void) {
  for (char* p = __bss_start; p < __bss_end; p++) *p = 0;
  uint64_t mstatus;
  __asm__ volatile("csrr %0, mstatus" : "=r"(mstatus));
  mstatus = (mstatus & ~(3UL << 11)) | (1UL << 11); /* MPP = S */
  __asm__ volatile("csrw mstatus, %0" ::"r"(mstatus));
  __asm__ volatile("csrw mepc, %0" ::"r"((uint64_t)kmain));
  __asm__ volatile("csrw satp, zero");
  __asm__ volatile("csrw medeleg, %0" ::"r"(0xffffUL));
  __asm__ volatile("csrw mideleg, %0" ::"r"(0xffffUL));
  /* SEIE | STIE | SSIE: sie is mie seen through mideleg. */
  __asm__ volatile("csrw sie, %0" ::"r"((1UL << 9) | (1UL << 5) | (1UL << 1)));
  __asm__ volatile("csrs menvcfg, %0" ::"r"(1UL << 63)); /* STCE */
  __asm__ volatile("csrs mcounteren, %0" ::"r"(2UL));    /* TM: time and stimecmp below M */
  w_stimecmp(r_time() + TICK_INTERVAL);
  /* One TOR region over the whole address space, RWX. */
  __asm__ volatile("csrw pmpaddr0, %0" ::"r"(0x3fffffffffffffUL));
  __asm__ volatile("csrw pmpcfg0, %0" ::"r"(0xfUL));
  __asm__ volatile("mret");
  __builtin_unreachable();
}

void finish(int code) {
  MMIO32(TEST_FINISHER_BASE) = code == 0 ? FINISHER_PASS : (((uint32_t)code << 16) | FINISHER_FAIL);
  for (;;) wfi();
}
