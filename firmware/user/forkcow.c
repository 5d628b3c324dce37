/* forkcow pages=N
 * The parent fills N fresh heap pages (word 0 and word 1 = base(p) = 0xB0..0 | p) and forks. Each
 * side then checks it still sees base(p), writes its own value to word 0 of every page (parent
 * 0xA0..0 | p, child 0xC0..0 | p) between two SYS_faults snapshots, and later verifies word 0 holds
 * its own value and word 1 still holds base(p): the other side's writes must be invisible. The child
 * yields a while before its final check (the parent writes meanwhile); the parent waits for the child
 * before its final check (the child writes meanwhile). Each side expects exactly N minor (CoW) faults
 * for its N writes when no major fault happened in between (swapping skips that check).
 * Lines: "forkcow: child pid=C pages=N before=B after=A cow=N ok" and
 *        "forkcow: parent pid=P child=C pages=N before=B after=A cow=N status=0 PASS". */
#include "ulib.h"

#define BASE(p) (0xB000000000000000ull | (p))

static int run_side(const char *side, uint64_t *mem, uint64_t pages, uint64_t mine, struct fault_counts *b,
                    struct fault_counts *a) {
  for (uint64_t p = 0; p < pages; p++)
    if (mem[p * 512] != BASE(p) || mem[p * 512 + 1] != BASE(p))
      fail("forkcow", "%s: page %lu lost its inherited value (0x%lx)", side, p, mem[p * 512]);
  /* Break copy-on-write of the stack page(s) holding both snapshots before the first one. */
  memset(b, 0, sizeof *b);
  memset(a, 0, sizeof *a);
  faults_snapshot(b);
  for (uint64_t p = 0; p < pages; p++) mem[p * 512] = mine | p;
  faults_snapshot(a);
  return 0;
}

static void verify(const char *side, uint64_t *mem, uint64_t pages, uint64_t mine) {
  for (uint64_t p = 0; p < pages; p++) {
    if (mem[p * 512] != (mine | p))
      fail("forkcow", "%s: page %lu holds 0x%lx, wrote 0x%lx (the other side's write leaked?)", side, p,
           mem[p * 512], mine | p);
    if (mem[p * 512 + 1] != BASE(p)) fail("forkcow", "%s: page %lu word 1 not copied on write", side, p);
  }
}

static int cow_ok(uint64_t pages, struct fault_counts *b, struct fault_counts *a) {
  if (a->major != b->major) return 1; /* pages were swapped in: the minor count is not exact */
  return a->minor - b->minor == pages;
}

int main(int argc, char **argv) {
  uint64_t pages = arg_u64(argc, argv, "pages", 16);
  uint64_t yields = arg_u64(argc, argv, "yields", 20);
  if (pages == 0) fail("forkcow", "pages must be > 0");
  uint64_t *mem = alloc_pages(pages);
  if (!mem) fail("forkcow", "sbrk of %lu pages failed", pages);
  for (uint64_t p = 0; p < pages; p++) mem[p * 512] = mem[p * 512 + 1] = BASE(p);
  struct fault_counts b, a;
  long pid = sys_fork();
  if (pid < 0) fail("forkcow", "fork returned %ld", pid);
  if (pid == 0) {
    run_side("child", mem, pages, 0xC000000000000000ull, &b, &a);
    for (uint64_t i = 0; i < yields; i++) sys_yield();
    verify("child", mem, pages, 0xC000000000000000ull);
    if (!cow_ok(pages, &b, &a))
      fail("forkcow", "child: %lu minor faults for %lu copy-on-write pages", a.minor - b.minor, pages);
    printf("forkcow: child pid=%ld pages=%lu before=%lu after=%lu cow=%lu majflt=%lu ok\n", sys_getpid(), pages,
           b.minor, a.minor, a.minor - b.minor, a.major - b.major);
    return 0;
  }
  run_side("parent", mem, pages, 0xA000000000000000ull, &b, &a);
  int status = -1;
  long got;
  do {
    got = sys_wait(&status);
  } while (got >= 0 && got != pid);
  if (got != pid) fail("forkcow", "wait returned %ld, expected child %ld", got, pid);
  verify("parent", mem, pages, 0xA000000000000000ull);
  if (!cow_ok(pages, &b, &a))
    fail("forkcow", "parent: %lu minor faults for %lu copy-on-write pages", a.minor - b.minor, pages);
  if (status != 0) fail("forkcow", "child %ld exited with status %d", pid, status);
  printf("forkcow: parent pid=%ld child=%ld pages=%lu before=%lu after=%lu cow=%lu majflt=%lu status=%d PASS\n",
         sys_getpid(), pid, pages, b.minor, a.minor, a.minor - b.minor, a.major - b.major, status);
  return 0;
}
