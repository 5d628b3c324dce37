/* printf for user programs: formats into a line buffer and hands it to write(1, ...) per line. */
#include "ulib.h"

struct out {
  char buf[128];
  unsigned long n;
};

static void flush(struct out* o) {
  if (o->n) write(1, o->buf, o->n);
  o->n = 0;
}

static void put(void* ctx, char c) {
  struct out* o = ctx;
  o->buf[o->n++] = c;
  if (c == '\n' || o->n == sizeof o->buf) flush(o);
}

int printf(const char* fmt, ...) {
  struct out o = {.n = 0};
  va_list ap;
  va_start(ap, fmt);
  int n = vformat(put, &o, fmt, ap);
  va_end(ap);
  flush(&o);
  return n;
}
