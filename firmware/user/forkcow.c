/* forkcow pages=N yields=Y scratch=S
 * The parent fills N fresh heap pages (word 0 and word 1 = base(p) = 0xB0..0 | p) and forks. Each side
 * then checks it still sees base(p), writes its own value to word 0 of every page (parent 0xA0..0 | p,
 * child 0xC0..0 | p), and later verifies word 0 holds its own value and word 1 still holds base(p): the
 * other side's writes must be invisible. Each of those writes is the first to a page the side holds
 * copy-on-write, so each side counts exactly N copy-on-write faults (SYS_faults .cow) over its writes,
 * wherever the pages went in between (memory or swap).
 *   scratch=0: the sides run side by side. The child yields Y times before its final check (the parent
 *     writes meanwhile); the parent waits for the child before its final check.
 *   scratch=S: memory pressure (run with a frame pool smaller than S). The parent waits for the child
 *     first. The child writes S fresh pages of its own, which pushes the shared pages out to swap (one
 *     slot each, shared by both sides), gives the S pages back, then checks and writes: its check reads
 *     each shared page back (N swap-ins) and those frames stay in the swap cache for the parent, whose
 *     check then reads none of them from the disk (0 swap-ins) if the pool has room for them.
 * swapins and majflt count over the check and the writes, cow over the writes.
 * Lines: "forkcow: child pid=C pages=N swapins=I majflt=M cow=N ok" and
 *        "forkcow: parent pid=P child=C pages=N swapins=I majflt=M cow=N status=0 PASS". */
#include "ulib.h"

#define BASE(p) (0xB000000000000000ull | (p))

struct counts {
  struct fault_counts start, before, after; /* before the check, before the writes, after them */
};

static void run_side(const char *side, uint64_t *mem, uint64_t pages, uint64_t mine, struct counts *c) {
  /* Break copy-on-write of the stack page(s) holding the snapshots before the first one. */
  memset(c, 0, sizeof *c);
  faults_snapshot(&c->start);
  for (uint64_t p = 0; p < pages; p++)
    if (mem[p * 512] != BASE(p) || mem[p * 512 + 1] != BASE(p))
      fail("forkcow", "%s: page %lu lost its inherited value (0x%lx)", side, p, mem[p * 512]);
  faults_snapshot(&c->before);
  for (uint64_t p = 0; p < pages; p++) mem[p * 512] = mine | p;
  faults_snapshot(&c->after);
  uint64_t cow = c->after.cow - c->before.cow;
  if (cow != pages) fail("forkcow", "%s: %lu copy-on-write faults for %lu first writes", side, cow, pages);
}

static void verify(const char *side, uint64_t *mem, uint64_t pages, uint64_t mine) {
  for (uint64_t p = 0; p < pages; p++) {
    if (mem[p * 512] != (mine | p))
      fail("forkcow", "%s: page %lu holds 0x%lx, wrote 0x%lx (the other side's write leaked?)", side, p,
           mem[p * 512], mine | p);
    if (mem[p * 512 + 1] != BASE(p)) fail("forkcow", "%s: page %lu word 1 not copied on write", side, p);
  }
}

/* Push everything else out of a pool smaller than `pages`, then give the pages back. */
static void pressure(uint64_t pages) {
  uint64_t *scratch = alloc_pages(pages);
  if (!scratch) fail("forkcow", "sbrk of %lu scratch pages failed", pages);
  for (uint64_t p = 0; p < pages; p++) scratch[p * 512] = p;
  char *brk = sys_sbrk(0);
  if (sys_failed(sys_sbrk(-(int64_t)(brk - (char *)scratch))))
    fail("forkcow", "giving back the scratch pages failed");
}

int main(int argc, char **argv) {
  uint64_t pages = arg_u64(argc, argv, "pages", 16);
  uint64_t yields = arg_u64(argc, argv, "yields", 20);
  uint64_t scratch = arg_u64(argc, argv, "scratch", 0);
  if (pages == 0) fail("forkcow", "pages must be > 0");
  uint64_t *mem = alloc_pages(pages);
  if (!mem) fail("forkcow", "sbrk of %lu pages failed", pages);
  for (uint64_t p = 0; p < pages; p++) mem[p * 512] = mem[p * 512 + 1] = BASE(p);
  struct counts c;
  int status = -1;
  long pid = sys_fork();
  if (pid < 0) fail("forkcow", "fork returned %ld", pid);
  if (pid == 0) {
    if (scratch) pressure(scratch);
    run_side("child", mem, pages, 0xC000000000000000ull, &c);
    for (uint64_t i = 0; i < yields; i++) sys_yield();
    verify("child", mem, pages, 0xC000000000000000ull);
    printf("forkcow: child pid=%ld pages=%lu swapins=%lu majflt=%lu cow=%lu ok\n", sys_getpid(), pages,
           c.after.swap_ins - c.start.swap_ins, c.after.major - c.start.major, c.after.cow - c.before.cow);
    return 0;
  }
  long got = scratch ? sys_wait(&status) : 0;
  run_side("parent", mem, pages, 0xA000000000000000ull, &c);
  if (!scratch) got = sys_wait(&status);
  if (got != pid) fail("forkcow", "wait returned %ld, expected child %ld", got, pid);
  verify("parent", mem, pages, 0xA000000000000000ull);
  if (status != 0) fail("forkcow", "child %ld exited with status %d", pid, status);
  printf("forkcow: parent pid=%ld child=%ld pages=%lu swapins=%lu majflt=%lu cow=%lu status=%d PASS\n",
         sys_getpid(), pid, pages, c.after.swap_ins - c.start.swap_ins, c.after.major - c.start.major,
         c.after.cow - c.before.cow, status);
  return 0;
}
