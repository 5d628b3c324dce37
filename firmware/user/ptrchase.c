/* ptrchase pages=N steps=K seed=S
 * perm = 0..N-1 shuffled by Fisher-Yates: x = S (0 -> 1); for i = N-1 down to 1:
 * j = xorshift64(x) % (i+1); swap(perm[i], perm[j]). One node per page, page perm[i] holds its node at
 * byte offset (perm[i] % 64) * 64, node = {next, value = perm[i]}; node(perm[i]).next =
 * node(perm[(i+1) % N]). Starting at node(perm[0]) the list is chased K steps, adding each value.
 * Result: sum = Σ_{t<K} perm[t % N], last = perm[K % N] (the node reached). */
#include "ulib.h"

struct node {
  struct node *next;
  uint64_t value;
};

int main(int argc, char **argv) {
  uint64_t pages = arg_u64(argc, argv, "pages", 64);
  uint64_t steps = arg_u64(argc, argv, "steps", pages * 4);
  uint64_t seed = arg_u64(argc, argv, "seed", 1);
  if (pages == 0 || pages > 0xffffffffu) fail("ptrchase", "pages must be in 1..2^32-1");
  uint32_t *perm = alloc_pages((pages * 4 + PAGE_SIZE - 1) / PAGE_SIZE);
  char *mem = alloc_pages(pages);
  if (!perm || !mem) fail("ptrchase", "sbrk failed");
  uint64_t x = seed ? seed : 1;
  for (uint64_t i = 0; i < pages; i++) perm[i] = (uint32_t)i;
  for (uint64_t i = pages - 1; i > 0; i--) {
    uint64_t j = xorshift64(&x) % (i + 1);
    uint32_t t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
#define NODE(p) ((struct node *)(mem + (uint64_t)(p) * PAGE_SIZE + ((p) % 64) * 64))
  for (uint64_t i = 0; i < pages; i++) {
    NODE(perm[i])->next = NODE(perm[(i + 1) % pages]);
    NODE(perm[i])->value = perm[i];
  }
  struct fault_counts before, after;
  faults_snapshot(&before);
  struct node *cur = NODE(perm[0]);
  uint64_t sum = 0;
  for (uint64_t t = 0; t < steps; t++) {
    sum += cur->value;
    cur = cur->next;
  }
  faults_snapshot(&after);
  if (cur != NODE(perm[steps % pages])) fail("ptrchase", "chase ended at the wrong node");
  printf("ptrchase: pages=%lu steps=%lu seed=%lu sum=0x%016lx last=%lu minflt=%lu majflt=%lu\n", pages, steps,
         seed, sum, cur->value, after.minor - before.minor, after.major - before.major);
  return 0;
}
