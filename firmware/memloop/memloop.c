/* Kernel-style memory loops: pages cleared and copied byte by byte, as small teaching kernels do it (a
 * memset and a memmove in plain C, out of line, one byte per iteration). Issue 12's speed figure: host
 * instructions per guest instruction of such loops against the compute images (bench_speed.sh).
 *
 * MEMLOOP_OPT (0, 1 or 2) is the optimisation level of the two loops; the rest of the image is built as
 * every image is (-O2). Deterministic; prints a checksum of the last page and checks it against a sum
 * computed independently of the loops. */
#include "runtime.h"

#ifndef MEMLOOP_OPT
#define MEMLOOP_OPT 2
#endif
#if MEMLOOP_OPT == 0
#pragma GCC optimize("O0")
#elif MEMLOOP_OPT == 1
#pragma GCC optimize("O1")
#endif

#define PAGES 16
#define ROUNDS 12
#define PAGE 4096

static unsigned char pages[PAGES][PAGE] __attribute__((aligned(PAGE)));

__attribute__((noinline)) void *k_memset(void *dst, int c, unsigned long n) {
  char *d = (char *)dst;
  for (unsigned long i = 0; i < n; i++) d[i] = (char)c;
  return dst;
}

__attribute__((noinline)) void *k_memmove(void *dst, const void *src, unsigned long n) {
  const char *s = (const char *)src;
  char *d = (char *)dst;
  if (s < d && s + n > d) {
    for (s += n, d += n; n > 0; n--) *--d = *--s;
  } else {
    for (; n > 0; n--) *d++ = *s++;
  }
  return dst;
}

int main(void) {
  unsigned long sum = 0;
  for (int r = 0; r < ROUNDS; r++) {
    for (int p = 0; p < PAGES; p++) k_memset(pages[p], r + p, PAGE);
    /* Each page takes the previous one's bytes: after the round every page holds round r's first value. */
    for (int p = 0; p + 1 < PAGES; p++) k_memmove(pages[p + 1], pages[p], PAGE);
    sum += pages[PAGES - 1][(r * 97) % PAGE];
  }
  /* Round r leaves r + 0 in every byte of the last page. */
  unsigned long want = 0;
  for (int r = 0; r < ROUNDS; r++) want += (unsigned char)r;
  rt_printf("memloop: O%d, %d rounds of %d pages cleared and copied, checksum %lu\n", MEMLOOP_OPT, ROUNDS, PAGES,
            sum);
  if (sum != want) {
    rt_printf("memloop: checksum %lu, expected %lu\n", sum, want);
    return 1;
  }
  return 0;
}
