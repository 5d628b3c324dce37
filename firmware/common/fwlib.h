/* Freestanding C helpers shared by every firmware image: the bare-metal/kernel runtime (common/) and
 * the U-mode runtime (user/ulib/). One formatter and one set of string functions for both. */
#ifndef SV39SIM_FWLIB_H
#define SV39SIM_FWLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* printf subset: %c %s %d %i %u %x %X %p %%, sizes l/ll/z, width, '0' and '-' flags.
 * vformat sends each character to put(ctx, c) and returns how many it produced. */
int vformat(void (*put)(void *ctx, char c), void *ctx, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* xorshift64 (13, 7, 17): the one generator of every image (tests recompute it); state must be non-zero. */
static inline uint64_t xorshift64(uint64_t *s) {
  uint64_t x = *s;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return *s = x;
}

#endif
