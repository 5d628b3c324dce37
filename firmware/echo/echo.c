/* Console echo: reads lines from the UART (sleeping in WFI on its receive interrupt through the PLIC),
 * prints each one upper-cased, and on "exit N" ends the run with code N. Exercises UART input, the PLIC
 * and WFI; with no more input the hart sleeps for good, which sv39sim reports as idle. */
#include "runtime.h"

#define UART_RBR 0
#define UART_IER 1
#define UART_LSR 5
#define MIP_MEIP (1UL << 11)

static void wait_for_byte(void) {
  while (!(MMIO8(UART_BASE + UART_LSR) & 1)) {
    /* Interrupts stay globally off: WFI still wakes on a pending enabled interrupt. */
    __asm__ volatile("wfi");
    uint32_t src = MMIO32(PLIC_CLAIM(0));
    if (src) MMIO32(PLIC_CLAIM(0)) = src;
  }
}

int main(void) {
  MMIO32(PLIC_PRIORITY(UART_IRQ)) = 1;
  MMIO32(PLIC_ENABLE(0)) = 1u << UART_IRQ;
  MMIO32(PLIC_THRESHOLD(0)) = 0;
  MMIO8(UART_BASE + UART_IER) = 1; /* received-data interrupt */
  set_csr(mie, MIP_MEIP);
  char line[128];
  for (;;) {
    int n = 0;
    for (;;) {
      wait_for_byte();
      char c = (char)MMIO8(UART_BASE + UART_RBR);
      if (c == '\n') break;
      if (n < (int)sizeof line - 1) line[n++] = c;
    }
    line[n] = 0;
    if (n >= 5 && memcmp(line, "exit ", 5) == 0) {
      int code = 0;
      for (const char *p = line + 5; *p >= '0' && *p <= '9'; p++) code = code * 10 + (*p - '0');
      rt_exit(code);
    }
    for (int i = 0; i < n; i++) rt_putc(line[i] >= 'a' && line[i] <= 'z' ? line[i] - 32 : line[i]);
    rt_putc('\n');
  }
}
