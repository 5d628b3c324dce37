// qemu: skip
// HTIF is sv39sim's (and Spike's) host interface; QEMU virt has none.
/* HTIF as test suites use it: console characters through device 1 command 1 (the host clears tohost
 * after each), then a pass written with a 32-bit store, as RV32-style test code does. */
#include "runtime.h"

extern volatile uint64_t tohost;

static void htif_putc(char c) {
  tohost = (1UL << 56) | (1UL << 48) | (uint8_t)c;
  while (tohost != 0) {
  }
}

int main(void) {
  for (const char *s = "htif console ok\n"; *s; s++) htif_putc(*s);
  __asm__ volatile("sw %0, 0(%1)" ::"r"(1), "r"(&tohost) : "memory");
  for (;;) {
  }
}
