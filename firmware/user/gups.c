/* gups pages=P updates=U seed=S   (HPCC RandomAccess, "giga-updates per second")
 * A table of W = P * 512 u64 words in fresh pages, table[i] = i. x = S (0 -> 1); U times:
 * x = xorshift64(x), table[x % W] ^= x. Result: sum = Σ_i table[i] after the U updates (mod 2^64).
 * Self-check: the same U updates applied again (x restarted from S) must undo every one of them
 * (XOR is its own inverse), leaving table[i] == i everywhere: a lost or misplaced update shows.
 * Defaults: P = 64, U = 4 * W (HPCC's ratio). minflt/majflt count over the first U updates. */
#include "suite.h"

static void update(uint64_t* table, uint64_t words, uint64_t updates, uint64_t seed) {
  uint64_t x = seed;
  for (uint64_t u = 0; u < updates; u++) {
    xorshift64(&x);
    table[x % words] ^= x;
  }
}

int main(int argc, char** argv) {
  uint64_t pages = arg_u64(argc, argv, "pages", 64);
  if (pages == 0 || pages > SUITE_MAX_PAGES)
    fail("gups", "pages=%lu: must be in 1..%lu", pages, SUITE_MAX_PAGES);
  uint64_t words = pages * (PAGE_SIZE / 8);
  uint64_t updates = arg_u64(argc, argv, "updates", 4 * words);
  uint64_t seed = arg_u64(argc, argv, "seed", 1);
  uint64_t* table = suite_alloc("gups", words * 8);
  for (uint64_t i = 0; i < words; i++) table[i] = i;

  struct fault_counts before, after;
  faults_snapshot(&before);
  update(table, words, updates, seed ? seed : 1);
  faults_snapshot(&after);
  uint64_t sum = 0;
  for (uint64_t i = 0; i < words; i++) sum += table[i];

  update(table, words, updates, seed ? seed : 1);
  for (uint64_t i = 0; i < words; i++)
    if (table[i] != i)
      fail("gups", "word %lu is 0x%lx after undoing the updates, expected 0x%lx", i, table[i], i);
  printf("gups: pages=%lu updates=%lu seed=%lu sum=0x%016lx minflt=%lu majflt=%lu PASS\n", pages, updates,
         seed, sum, after.minor - before.minor, after.major - before.major);
  return 0;
}
