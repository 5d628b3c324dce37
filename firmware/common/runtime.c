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

static void put_unsigned(uint64_t v, unsigned base, int width, char pad, int upper) {
  char buf[24];
  int n = 0;
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    buf[n++] = digits[v % base];
    v /= base;
  } while (v);
  while (n < width--) rt_putc(pad);
  while (n) rt_putc(buf[--n]);
}

/* Enough of printf for reports: %c %s %d %i %u %x %X %p %%, 'l'/'ll'/'z' sizes, width, '0' and '-'. */
int rt_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      rt_putc(*fmt);
      continue;
    }
    fmt++;
    char pad = ' ';
    int left = 0;
    if (*fmt == '-') left = 1, fmt++;
    if (*fmt == '0') pad = '0', fmt++;
    int width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    int is_long = 0;
    while (*fmt == 'l' || *fmt == 'z') is_long = 1, fmt++;
    switch (*fmt) {
      case 'c': rt_putc((char)va_arg(ap, int)); break;
      case 's': {
        const char *s = va_arg(ap, const char *);
        int len = (int)strlen(s);
        if (!left)
          for (int i = len; i < width; i++) rt_putc(' ');
        rt_puts(s);
        if (left)
          for (int i = len; i < width; i++) rt_putc(' ');
        break;
      }
      case 'd':
      case 'i': {
        int64_t v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
        if (v < 0) {
          rt_putc('-');
          if (width) width--;
          put_unsigned((uint64_t)0 - (uint64_t)v, 10, width, pad, 0);
        } else {
          put_unsigned((uint64_t)v, 10, width, pad, 0);
        }
        break;
      }
      case 'u': put_unsigned(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, width, pad, 0); break;
      case 'x':
      case 'X':
        put_unsigned(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, width, pad, *fmt == 'X');
        break;
      case 'p':
        rt_puts("0x");
        put_unsigned((uint64_t)(uintptr_t)va_arg(ap, void *), 16, width, pad, 0);
        break;
      case '%': rt_putc('%'); break;
      default: rt_putc('%'); rt_putc(*fmt); break;
    }
  }
  va_end(ap);
  return 0;
}

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  while (n--) *d++ = (uint8_t)c;
  return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x - *y;
  return 0;
}

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}
