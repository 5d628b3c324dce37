#include "runtime.h"

#include <stdarg.h>

/* HTIF mailboxes of the RISC-V test convention; sv39sim watches them, QEMU ignores them. */
volatile uint64_t tohost __attribute__((section(".tohost"), aligned(8)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(8)));

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

void rt_putc(char c) {
  while ((MMIO8(UART_BASE + UART_LSR) & UART_LSR_THRE) == 0) {
  }
  MMIO8(UART_BASE + UART_THR) = (uint8_t)c;
}

void rt_puts(const char *s) {
  while (*s) rt_putc(*s++);
}

void rt_exit(int code) {
  /* tohost first: sv39sim stops here. QEMU treats it as RAM and stops at the finisher. */
  tohost = code == 0 ? 1 : (((uint64_t)code << 1) | 1);
  /* QEMU's exit status keeps 8 bits of the finisher code: never let a failure read as 0 there. */
  uint32_t fcode = (code & 0xff) == 0 ? (uint32_t)code | 1 : (uint32_t)code;
  MMIO32(TEST_FINISHER_BASE) = code == 0 ? FINISHER_PASS : ((fcode << 16) | FINISHER_FAIL);
  for (;;) {
  }
}

void rt_unexpected_trap(uint64_t cause, uint64_t epc, uint64_t tval) {
  rt_printf("unexpected trap: mcause=%lx mepc=%lx mtval=%lx\n", cause, epc, tval);
  rt_exit(255);
}

static void console_put(void *ctx, char c) {
  (void)ctx;
  rt_putc(c);
}

int rt_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vformat(console_put, 0, fmt, ap);
  va_end(ap);
  return n;
}
