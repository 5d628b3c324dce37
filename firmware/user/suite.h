/* Shared by the TLB-study workloads (gups, graph, kvstore, mcf): the footprint bound, regions of fresh
 * pages and the Fisher-Yates shuffle their formulas (and firmware/tools/suite_oracle.py) rely on. */
#ifndef SV39SIM_USER_SUITE_H
#define SV39SIM_USER_SUITE_H

#include "ulib.h"

/* The largest footprint the kernel can hold at all: its largest frame pool (frames=24576, abi.h) plus
 * disk.img's 16 MiB of swap. Beyond it the pager runs out of swap, so a larger request is refused with
 * a FAIL naming the parameters instead of a kernel panic. */
#define SUITE_MAX_PAGES (24576ul + 4096ul)

static inline uint64_t suite_pages(uint64_t bytes) {
  return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* A region of `bytes` in fresh pages, or FAIL. Every region starts on its own page, so a structure's
 * pages are its own: the TLB footprint of each array is what its size says. */
static inline void* suite_alloc(const char* name, uint64_t bytes) {
  void* p = alloc_pages(suite_pages(bytes));
  if (!p) fail(name, "sbrk of %lu pages failed", suite_pages(bytes));
  return p;
}

/* perm = 0..n-1, then for i = n-1 down to 1: j = xorshift64(x) % (i + 1), swap perm[i] and perm[j]
 * (n - 1 draws; the same shuffle as ptrchase). */
static inline void suite_shuffle(uint32_t* perm, uint64_t n, uint64_t* x) {
  for (uint64_t i = 0; i < n; i++) perm[i] = (uint32_t)i;
  for (uint64_t i = n; i-- > 1;) {
    uint64_t j = xorshift64(x) % (i + 1);
    uint32_t t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
}

#endif
