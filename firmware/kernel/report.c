/* The pager_stats table (abi.h) and the end-of-run report.
 *
 * pager_stats is statically initialised (magic, count, names) so sv39sim can read it from the ELF symbol
 * whatever point the run ends at; the kernel only bumps values. The first 14 entries are abi.h's expected
 * list; the rest are extra detail:
 *   bad_faults      user page faults that killed the process
 *   ad_faults       minor faults that only set A/D (harts without hardware A/D updates)
 *   spurious_faults minor faults on a PTE that was already fine (stale TLB)
 *   sys_faults      faults the kernel took by hand for a system call touching user memory (not hart traps)
 *                   minor_faults + major_faults + bad_faults == page_faults + sys_faults
 *   asid_rollovers  ASID generations begun (full fence)
 *   timer_irqs, disk_irqs, syscalls, a_bit_clears (clock second chances given)
 *   swap_cache_hits minor faults on a swapped page whose slot another holder had read back already
 *   admission_waits processes of run= that waited for room before starting (WS_PROCS)
 *   forks_refused   forks that failed because the child would not have had room (WS_PROCS)
 * The verdict text after the entries says why the run failed (abi.h, "Verdict"). */
#include "kernel.h"

#define E(n) \
  { n, 0 }
struct pager_stats_table pager_stats = {
    PAGER_STATS_MAGIC,
    ST_COUNT,
    {E("minor_faults"), E("major_faults"),    E("cow_faults"),   E("zero_fills"),       E("swap_ins"),
     E("swap_outs"),    E("file_reads"),      E("evictions"),    E("context_switches"), E("processes"),
     E("killed"),       E("disk_reads"),      E("disk_writes"),  E("page_faults"),      E("bad_faults"),
     E("ad_faults"),    E("spurious_faults"), E("sys_faults"),   E("asid_rollovers"),   E("timer_irqs"),
     E("disk_irqs"),    E("syscalls"),        E("a_bit_clears"), E("swap_cache_hits"),  E("admission_waits"),
     E("forks_refused")},
    ""};
_Static_assert(ST_COUNT == 26 && ST_COUNT <= PAGER_STATS_MAX, "pager_stats names and ST_* must agree");

static struct record records[MAX_RECORDS];
static struct record overflow;
static int nrecords;

/* ---- Verdict ---- */
static uint64_t verdict_len;
static int failed;

void verdict_fail(const char* fmt, ...) {
  char* v = pager_stats.verdict;
  const uint64_t room = sizeof pager_stats.verdict;
  failed = 1;
  if (verdict_len + 4 >= room) return; /* full: the "..." is already there */
  if (verdict_len) {
    memcpy(v + verdict_len, "; ", 2);
    verdict_len += 2;
  }
  __builtin_va_list ap;
  __builtin_va_start(ap, fmt);
  int n = vsnprintf(v + verdict_len, room - verdict_len, fmt, ap);
  __builtin_va_end(ap);
  verdict_len += (uint64_t)n;
  if (verdict_len >= room - 1) { /* truncated: say so */
    memcpy(v + room - 4, "...", 4);
    verdict_len = room - 1;
  }
  /* The text goes to the host's stderr: printable ASCII only. */
  for (char* c = v; *c; c++)
    if (*c < ' ' || *c > '~') *c = '?';
}

int verdict_failed(void) {
  return failed;
}

void shutdown(void) {
  timer_disarm();
  if (nrecords) report();
  if (failed)
    kprintf("[kernel] verdict: FAIL: %s\n", pager_stats.verdict);
  else
    kprintf("[kernel] verdict: pass\n");
  sbi_call(SBI_SHUTDOWN, failed ? KERNEL_EXIT_FAIL : 0);
  for (;;) {
  }
}

struct record* record_new(int pid, const char* name) {
  struct record* r = nrecords < MAX_RECORDS ? &records[nrecords++] : &overflow;
  memset(r, 0, sizeof *r);
  r->pid = pid;
  kstrlcpy(r->name, name, NAME_MAX);
  return r;
}

void report(void) {
  static const char* const repl[] = {"clock", "fifo", "random"};
  kprintf("\n[kernel] all processes finished\n");
  kprintf("  PID NAME             MINFLT  MAJFLT     COW  SWAPIN SWAPOUT STATUS\n");
  for (int i = 0; i < nrecords; i++) {
    struct record* r = &records[i];
    kprintf("%5d %-16s %7lu %7lu %7lu %7lu %7lu ", r->pid, r->name, r->fc.minor, r->fc.major, r->fc.cow,
            r->fc.swap_ins, r->fc.swap_outs);
    if (r->exited == 2)
      kprintf("killed (%s)%s\n", r->why, r->expected ? " as expected" : "");
    else if (r->exited == 1)
      kprintf("exit %d\n", r->code);
    else
      kprintf("running\n");
  }
  if (nrecords == MAX_RECORDS) kprintf("  (only the first %d processes are listed)\n", MAX_RECORDS);
  uint64_t now = sbi_call(SBI_GET_TIME, 0);
  kprintf(
      "vmstat: page_faults %lu = minor %lu (zero %lu, cow %lu, a/d %lu, spurious %lu, swap-cache %lu) "
      "+ major %lu (file %lu, swap-in %lu) + bad %lu - syscall-made %lu\n",
      STAT(ST_PAGE_FAULTS), STAT(ST_MINOR), STAT(ST_ZERO), STAT(ST_COW), STAT(ST_AD_FAULTS),
      STAT(ST_SPURIOUS), STAT(ST_SWAP_CACHE), STAT(ST_MAJOR), STAT(ST_FILE_READ), STAT(ST_SWAP_IN),
      STAT(ST_BAD_FAULTS), STAT(ST_SYS_FAULTS));
  kprintf(
      "vmstat: evictions %lu swap-outs %lu a-clears %lu | disk reads %lu writes %lu irqs %lu | swap in use "
      "%lu/%u\n",
      STAT(ST_EVICT), STAT(ST_SWAP_OUT), STAT(ST_ACLEAR), STAT(ST_DISK_READ), STAT(ST_DISK_WRITE),
      STAT(ST_DISK_IRQ), swap_used(), disk_hdr.swap_blocks);
  kprintf(
      "vmstat: procs %lu killed %lu admission-waits %lu forks-refused %lu | ctxsw %lu timer %lu syscalls %lu "
      "asid-rollovers %lu | frames %lu (%lu free) %s asids=%s | mtime %lu\n",
      STAT(ST_PROCS), STAT(ST_KILLED), STAT(ST_ADMIT_WAITS), STAT(ST_FORK_REFUSED), STAT(ST_CS),
      STAT(ST_TIMER_IRQ), STAT(ST_SYSCALLS), STAT(ST_ASID_ROLL), frames_total, frames_free_count,
      repl[cfg.replacement], cfg.asids ? "on" : "off", now);
}
