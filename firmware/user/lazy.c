/* lazy pages=N: sbrk N fresh heap pages, write one byte to each, and check SYS_faults reports exactly
 * N more zero-fill faults, one per fresh page. Whatever else a small frame pool makes the process fault
 * on meanwhile (its code or stack coming back from the disk: major faults) is not a zero-fill, so the
 * check holds with or without swapping. Prints "lazy: pages=N minflt=D majflt=M zero=Z PASS|FAIL"
 * (minflt/majflt: every minor/major fault over the writes; without reclaim minflt == N, majflt == 0). */
#include "ulib.h"

int main(int argc, char **argv) {
  uint64_t pages = arg_u64(argc, argv, "pages", 16);
  volatile char *mem = alloc_pages(pages);
  if (!mem) fail("lazy", "sbrk of %lu pages failed", pages);
  struct fault_counts before, after;
  memset(&before, 0, sizeof before); /* both snapshots' stack memory is mapped before the first one */
  memset(&after, 0, sizeof after);
  faults_snapshot(&before);
  for (uint64_t p = 0; p < pages; p++) mem[p * PAGE_SIZE + (p % 4096)] = (char)(p + 1);
  faults_snapshot(&after);
  uint64_t minflt = after.minor - before.minor, majflt = after.major - before.major;
  uint64_t zero = after.zero_fills - before.zero_fills;
  int ok = zero == pages;
  for (uint64_t p = 0; p < pages; p++)
    if (mem[p * PAGE_SIZE + (p % 4096)] != (char)(p + 1)) ok = 0;
  printf("lazy: pages=%lu minflt=%lu majflt=%lu zero=%lu %s\n", pages, minflt, majflt, zero, ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
