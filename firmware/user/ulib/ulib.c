/* User runtime: start-up (argc/argv from SYS_getargs), printf over SYS_write, strings, arguments. */
#include "ulib.h"

#define MAX_ARGS 64

static char arg_text[DISK_ARGS_SIZE + 1];
static char *arg_vec[MAX_ARGS + 1];

/* Called by crt.S's _start: argv = the argument text split on spaces/tabs/newlines. Whether the
 * kernel puts the program name first does not matter to the `key=value` lookups. */
void ulib_start(void) __attribute__((noreturn));
void ulib_start(void) {
  long n = sys_getargs(arg_text, DISK_ARGS_SIZE);
  if (n < 0) n = 0;
  if (n > (long)DISK_ARGS_SIZE) n = DISK_ARGS_SIZE;
  arg_text[n] = 0;
  int argc = 0;
  char *p = arg_text;
  while (*p && argc < MAX_ARGS) {
    while (*p == ' ' || *p == '\t' || *p == '\n') *p++ = 0;
    if (!*p) break;
    arg_vec[argc++] = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '\n') p++;
  }
  arg_vec[argc] = 0;
  sys_exit(main(argc, arg_vec));
}

/* ---- strings (built with -fno-tree-loop-distribute-patterns: no self-recursive memset) ------ */
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
int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (unsigned char)*a - (unsigned char)*b;
}
int strncmp(const char *a, const char *b, size_t n) {
  for (; n; n--, a++, b++) {
    if (*a != *b) return (unsigned char)*a - (unsigned char)*b;
    if (!*a) return 0;
  }
  return 0;
}
uint64_t atou64(const char *s) {
  uint64_t v = 0;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    for (s += 2;; s++) {
      int d;
      if (*s >= '0' && *s <= '9') d = *s - '0';
      else if (*s >= 'a' && *s <= 'f') d = *s - 'a' + 10;
      else if (*s >= 'A' && *s <= 'F') d = *s - 'A' + 10;
      else break;
      v = v * 16 + (uint64_t)d;
    }
    return v;
  }
  for (; *s >= '0' && *s <= '9'; s++) v = v * 10 + (uint64_t)(*s - '0');
  return v;
}
long atoi(const char *s) {
  int neg = 0;
  if (*s == '-' || *s == '+') neg = *s++ == '-';
  uint64_t v = atou64(s);
  return neg ? -(long)v : (long)v;
}

/* ---- arguments ----------------------------------------------------------------------------- */
const char *arg_str(int argc, char **argv, const char *key, const char *def) {
  size_t k = strlen(key);
  for (int i = 0; i < argc; i++)
    if (strncmp(argv[i], key, k) == 0 && argv[i][k] == '=') return argv[i] + k + 1;
  return def;
}
int arg_has(int argc, char **argv, const char *key) { return arg_str(argc, argv, key, 0) != 0; }
long arg_int(int argc, char **argv, const char *key, long def) {
  const char *v = arg_str(argc, argv, key, 0);
  return v ? atoi(v) : def;
}
uint64_t arg_u64(int argc, char **argv, const char *key, uint64_t def) {
  const char *v = arg_str(argc, argv, key, 0);
  return v ? atou64(v) : def;
}

/* ---- formatted output ----------------------------------------------------------------------- */
struct out {
  char *buf;
  size_t size, n;
};
static void out_c(struct out *o, char c) {
  if (o->n + 1 < o->size) o->buf[o->n] = c;
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

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  struct out o = {buf, size, 0};
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
  if (size) buf[o.n < size ? o.n : size - 1] = 0;
  return (int)o.n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

int printf(const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof buf - 1) n = sizeof buf - 1;
  sys_write(1, buf, (uint64_t)n);
  return n;
}

int puts(const char *s) {
  char buf[256];
  size_t n = strlen(s);
  if (n > sizeof buf - 1) n = sizeof buf - 1;
  memcpy(buf, s, n);
  buf[n] = '\n';
  sys_write(1, buf, n + 1);
  return (int)n + 1;
}

/* ---- workload helpers ----------------------------------------------------------------------- */
void faults_snapshot(struct fault_counts *out) {
  sys_faults(out);
  sys_faults(out);
}

void *alloc_pages(uint64_t pages) {
  /* One spare page: the old break may sit inside a page that is already mapped (end of .bss). */
  char *old = sys_sbrk((int64_t)((pages + 1) * PAGE_SIZE));
  if (sys_failed(old)) return 0;
  uintptr_t start = ((uintptr_t)old + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
  if (start == (uintptr_t)old) start += PAGE_SIZE; /* the page at an aligned break is untouched, but
                                                      keep every caller's layout the same */
  return (void *)start;
}

void fail(const char *name, const char *fmt, ...) {
  char buf[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  printf("%s: FAIL %s\n", name, buf);
  sys_exit(1);
}
