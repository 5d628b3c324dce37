/* twins id=K pages=N rounds=R hint=0x40000000   (run two: "run=twins id=1; twins id=2")
 * Maps N anonymous pages at the fixed hint (the same VA in both processes; any other address fails),
 * and a global in .data (also the same VA in both). Each round r writes word 0 and word 511 of every
 * page with v = (K << 48) | (p << 16) | r and the global with (K << 48) | r, yields, and verifies
 * them: the other twin's writes must never show. K defaults to the pid.
 * Result: sum = Σ_r Σ_p v (mod 2^64). */
#include "ulib.h"

static volatile uint64_t twin_global = 0x1234;

int main(int argc, char **argv) {
  uint64_t id = arg_u64(argc, argv, "id", (uint64_t)sys_getpid());
  uint64_t pages = arg_u64(argc, argv, "pages", 8), rounds = arg_u64(argc, argv, "rounds", 8);
  uint64_t hint = arg_u64(argc, argv, "hint", 0x40000000);
  if (pages == 0) fail("twins", "pages must be > 0");
  uint64_t *mem = sys_mmap((void *)hint, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS, 0);
  if (sys_failed(mem)) fail("twins", "id=%lu mmap at 0x%lx failed (%ld)", id, hint, (long)mem);
  if ((uint64_t)mem != hint) fail("twins", "id=%lu mmap returned %p, not the hint 0x%lx", id, mem, hint);
  if (twin_global != 0x1234) fail("twins", "id=%lu .data global starts as 0x%lx", id, twin_global);
  uint64_t sum = 0;
  for (uint64_t r = 0; r < rounds; r++) {
    for (uint64_t p = 0; p < pages; p++) mem[p * 512] = mem[p * 512 + 511] = (id << 48) | (p << 16) | r;
    twin_global = (id << 48) | r;
    sys_yield();
    for (uint64_t p = 0; p < pages; p++) {
      uint64_t v = (id << 48) | (p << 16) | r;
      if (mem[p * 512] != v || mem[p * 512 + 511] != v)
        fail("twins", "id=%lu round %lu page %lu holds 0x%lx, wrote 0x%lx", id, r, p, mem[p * 512], v);
      sum += v;
    }
    if (twin_global != ((id << 48) | r)) fail("twins", "id=%lu global holds 0x%lx", id, twin_global);
  }
  if (sys_munmap(mem, pages * PAGE_SIZE) != 0) fail("twins", "id=%lu munmap failed", id);
  printf("twins: id=%lu pid=%ld addr=0x%lx pages=%lu rounds=%lu sum=0x%016lx\n", id, sys_getpid(), hint, pages,
         rounds, sum);
  return 0;
}
