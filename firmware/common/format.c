/* The one printf formatter of the firmware: a character sink, and snprintf on top of it. */
#include "fwlib.h"

struct out {
  void (*put)(void *ctx, char c);
  void *ctx;
  int n;
};
static void out_c(struct out *o, char c) {
  o->put(o->ctx, c);
  o->n++;
}
static void out_pad(struct out *o, char c, int count) {
  while (count-- > 0) out_c(o, c);
}
static void out_unsigned(struct out *o, uint64_t v, unsigned base, int width, char pad, int left, int upper,
                         int neg) {
  char tmp[24];
  int n = 0;
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    tmp[n++] = digits[v % base];
    v /= base;
  } while (v);
  int len = n + neg;
  if (!left && pad == ' ') out_pad(o, ' ', width - len);
  if (neg) out_c(o, '-');
  if (!left && pad == '0') out_pad(o, '0', width - len);
  while (n) out_c(o, tmp[--n]);
  if (left) out_pad(o, ' ', width - len);
}

int vformat(void (*put)(void *ctx, char c), void *ctx, const char *fmt, va_list ap) {
  struct out o = {put, ctx, 0};
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      out_c(&o, *fmt);
      continue;
    }
    fmt++;
    char pad = ' ';
    int left = 0;
    for (;; fmt++) {
      if (*fmt == '-') left = 1;
      else if (*fmt == '0') pad = '0';
      else break;
    }
    int width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    int is_long = 0;
    while (*fmt == 'l' || *fmt == 'z') is_long = 1, fmt++;
    switch (*fmt) {
      case 'c': out_c(&o, (char)va_arg(ap, int)); break;
      case 's': {
        const char *s = va_arg(ap, const char *);
        if (!s) s = "(null)";
        int len = (int)strlen(s);
        if (!left) out_pad(&o, ' ', width - len);
        while (*s) out_c(&o, *s++);
        if (left) out_pad(&o, ' ', width - len);
        break;
      }
      case 'd':
      case 'i': {
        int64_t v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
        out_unsigned(&o, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, width, pad, left, 0, v < 0);
        break;
      }
      case 'u':
        out_unsigned(&o, is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, width, pad, left, 0, 0);
        break;
      case 'x':
      case 'X':
        out_unsigned(&o, is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, width, pad, left,
                     *fmt == 'X', 0);
        break;
      case 'p':
        out_c(&o, '0');
        out_c(&o, 'x');
        out_unsigned(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), 16, width, pad, left, 0, 0);
        break;
      case '%': out_c(&o, '%'); break;
      case 0: fmt--; break;
      default:
        out_c(&o, '%');
        out_c(&o, *fmt);
        break;
    }
  }
  return o.n;
}

struct buffer {
  char *buf;
  size_t size, n;
};
static void buffer_put(void *ctx, char c) {
  struct buffer *b = ctx;
  if (b->n + 1 < b->size) b->buf[b->n] = c;
  b->n++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  struct buffer b = {buf, size, 0};
  int n = vformat(buffer_put, &b, fmt, ap);
  if (size) buf[b.n < size ? b.n : size - 1] = 0;
  return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

