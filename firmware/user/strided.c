/* strided pages=N stride=S rounds=R
 * A heap of N fresh pages; each round visits every page in stride order: for start in [0, S), for
 * p = start, start + S, ... < N: word0[p] += p + 1 + r. Self-check: word0[p] == R*(p+1) + R*(R-1)/2.
 * Result: sum = Σ_p word0[p] (mod 2^64), visits = N*R. */
#include "ulib.h"

int main(int argc, char **argv) {
  uint64_t pages = arg_u64(argc, argv, "pages", 64), stride = arg_u64(argc, argv, "stride", 8);
  uint64_t rounds = arg_u64(argc, argv, "rounds", 2);
  if (pages == 0 || stride == 0) fail("strided", "pages and stride must be > 0");
  uint64_t *mem = alloc_pages(pages);
  if (!mem) fail("strided", "sbrk of %lu pages failed", pages);
  struct fault_counts before, after;
  faults_snapshot(&before);
  uint64_t visits = 0;
  for (uint64_t r = 0; r < rounds; r++)
    for (uint64_t start = 0; start < stride && start < pages; start++)
      for (uint64_t p = start; p < pages; p += stride) {
        mem[p * 512] += p + 1 + r;
        visits++;
      }
  uint64_t sum = 0;
  for (uint64_t p = 0; p < pages; p++) {
    uint64_t want = rounds * (p + 1) + rounds * (rounds - 1) / 2;
    if (mem[p * 512] != want) fail("strided", "page %lu holds %lu, expected %lu", p, mem[p * 512], want);
    sum += mem[p * 512];
  }
  faults_snapshot(&after);
  printf("strided: pages=%lu stride=%lu rounds=%lu visits=%lu sum=0x%016lx minflt=%lu majflt=%lu\n", pages,
         stride, rounds, visits, sum, after.minor - before.minor, after.major - before.major);
  return 0;
}
