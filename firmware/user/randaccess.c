/* randaccess pages=N accesses=A seed=S
 * A heap of N fresh pages (zero). x = S (0 -> 1); A times: x = xorshift64(x) (13,7,17),
 * page = x % N, slot = (x >> 32) & 511, word[page][slot] += x. Then every word of every page is summed
 * and must equal Σ x (self-check). Result: sum = Σ x over the A accesses (mod 2^64). */
#include "ulib.h"

int main(int argc, char **argv) {
  uint64_t pages = arg_u64(argc, argv, "pages", 64);
  uint64_t accesses = arg_u64(argc, argv, "accesses", pages * 4);
  uint64_t seed = arg_u64(argc, argv, "seed", 1);
  if (pages == 0) fail("randaccess", "pages must be > 0");
  uint64_t *mem = alloc_pages(pages);
  if (!mem) fail("randaccess", "sbrk of %lu pages failed", pages);
  struct fault_counts before, after;
  faults_snapshot(&before);
  uint64_t x = seed ? seed : 1, expect = 0;
  for (uint64_t i = 0; i < accesses; i++) {
    xorshift64(&x);
    mem[(x % pages) * 512 + ((x >> 32) & 511)] += x;
    expect += x;
  }
  uint64_t sum = 0;
  for (uint64_t w = 0; w < pages * 512; w++) sum += mem[w];
  faults_snapshot(&after);
  if (sum != expect) fail("randaccess", "memory sums to 0x%lx, expected 0x%lx", sum, expect);
  printf("randaccess: pages=%lu accesses=%lu seed=%lu sum=0x%016lx minflt=%lu majflt=%lu\n", pages, accesses,
         seed, sum, after.minor - before.minor, after.major - before.major);
  return 0;
}
