/* thrash pages=N rounds=R   (run with frames= smaller than N to force swapping)
 * A heap of N fresh pages. Round 0 fills every word: word[p][i] = (p << 32) | i. Every round r then
 * cycles through all pages in order: checks word[p][(r * 37) % 512] still holds its fill value (plus
 * r at i == 0) and increments word[p][0]. At the end every word is checked and summed.
 * Result: sum = Σ_p Σ_i ((p << 32) | i) + N*R (mod 2^64); swapins/swapouts from SYS_faults. */
#include "ulib.h"

int main(int argc, char **argv) {
  uint64_t pages = arg_u64(argc, argv, "pages", 128), rounds = arg_u64(argc, argv, "rounds", 4);
  if (pages == 0 || rounds == 0) fail("thrash", "pages and rounds must be > 0");
  uint64_t *mem = alloc_pages(pages);
  if (!mem) fail("thrash", "sbrk of %lu pages failed", pages);
  struct fault_counts before, after;
  faults_snapshot(&before);
  for (uint64_t r = 0; r < rounds; r++)
    for (uint64_t p = 0; p < pages; p++) {
      uint64_t *w = mem + p * 512;
      if (r == 0)
        for (uint64_t i = 0; i < 512; i++) w[i] = (p << 32) | i;
      uint64_t i = (r * 37) % 512;
      uint64_t want = ((p << 32) | i) + (i == 0 ? r : 0);
      if (w[i] != want) fail("thrash", "round %lu page %lu word %lu: 0x%lx, expected 0x%lx", r, p, i, w[i], want);
      w[0]++;
    }
  uint64_t sum = 0;
  for (uint64_t p = 0; p < pages; p++)
    for (uint64_t i = 0; i < 512; i++) {
      uint64_t want = ((p << 32) | i) + (i == 0 ? rounds : 0);
      if (mem[p * 512 + i] != want)
        fail("thrash", "final page %lu word %lu: 0x%lx, expected 0x%lx", p, i, mem[p * 512 + i], want);
      sum += want;
    }
  faults_snapshot(&after);
  printf("thrash: pages=%lu rounds=%lu sum=0x%016lx minflt=%lu majflt=%lu swapins=%lu swapouts=%lu\n", pages,
         rounds, sum, after.minor - before.minor, after.major - before.major, after.swap_ins - before.swap_ins,
         after.swap_outs - before.swap_outs);
  return 0;
}
