/* seqscan pages=N rounds=R
 * A heap of N fresh pages. Each round writes every page in order (word 0 = v, word 511 = ~v) and then
 * reads them all back in order, checking both words. v(p, r) = ((p + 1) * 0x9E3779B97F4A7C15) ^ r.
 * Result: sum = Σ_r Σ_p v(p, r) (mod 2^64); minflt/majflt are this process's deltas over the run. */
#include "ulib.h"

int main(int argc, char **argv) {
  uint64_t pages = arg_u64(argc, argv, "pages", 64), rounds = arg_u64(argc, argv, "rounds", 2);
  if (pages == 0) fail("seqscan", "pages must be > 0");
  uint64_t *mem = alloc_pages(pages);
  if (!mem) fail("seqscan", "sbrk of %lu pages failed", pages);
  struct fault_counts before, after;
  faults_snapshot(&before);
  uint64_t sum = 0;
  for (uint64_t r = 0; r < rounds; r++) {
    for (uint64_t p = 0; p < pages; p++) {
      uint64_t v = ((p + 1) * 0x9E3779B97F4A7C15ull) ^ r;
      mem[p * 512] = v;
      mem[p * 512 + 511] = ~v;
    }
    for (uint64_t p = 0; p < pages; p++) {
      uint64_t v = ((p + 1) * 0x9E3779B97F4A7C15ull) ^ r;
      if (mem[p * 512] != v || mem[p * 512 + 511] != ~v)
        fail("seqscan", "round %lu page %lu: read 0x%lx/0x%lx, wrote 0x%lx", r, p, mem[p * 512],
             mem[p * 512 + 511], v);
      sum += mem[p * 512];
    }
  }
  faults_snapshot(&after);
  printf("seqscan: pages=%lu rounds=%lu sum=0x%016lx minflt=%lu majflt=%lu\n", pages, rounds, sum,
         after.minor - before.minor, after.major - before.major);
  return 0;
}
