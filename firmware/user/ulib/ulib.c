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

/* ---- numbers ----------------------------------------------------------------------------- */
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

/* ---- formatted output over SYS_write ------------------------------------------------------ */
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
