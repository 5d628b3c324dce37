/* lazy pages=N: sbrk N fresh heap pages, write one byte to each, and check SYS_faults reports exactly
 * N more minor faults (and no major ones). Prints "lazy: pages=N minflt=D majflt=M PASS|FAIL". */
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
  int ok = minflt == pages && majflt == 0;
  for (uint64_t p = 0; p < pages; p++)
    if (mem[p * PAGE_SIZE + (p % 4096)] != (char)(p + 1)) ok = 0;
  printf("lazy: pages=%lu minflt=%lu majflt=%lu %s\n", pages, minflt, majflt, ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
