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
 *   timer_irqs, disk_irqs, syscalls, a_bit_clears (clock second chances given) */
#include "kernel.h"

#define E(n) \
  { n, 0 }
struct pager_stats_table pager_stats = {
    PAGER_STATS_MAGIC,
    ST_COUNT,
    {E("minor_faults"), E("major_faults"),    E("cow_faults"),  E("zero_fills"),       E("swap_ins"),
     E("swap_outs"),    E("file_reads"),      E("evictions"),   E("context_switches"), E("processes"),
     E("killed"),       E("disk_reads"),      E("disk_writes"), E("page_faults"),      E("bad_faults"),
     E("ad_faults"),    E("spurious_faults"), E("sys_faults"),  E("asid_rollovers"),   E("timer_irqs"),
     E("disk_irqs"),    E("syscalls"),        E("a_bit_clears")}};
_Static_assert(ST_COUNT == 23 && ST_COUNT <= PAGER_STATS_MAX, "pager_stats names and ST_* must agree");

static struct record records[MAX_RECORDS];
static struct record overflow;
static int nrecords;

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
  kprintf("  PID NAME             MINFLT  MAJFLT  SWAPIN SWAPOUT STATUS\n");
  for (int i = 0; i < nrecords; i++) {
    struct record* r = &records[i];
    kprintf("%5d %-16s %7lu %7lu %7lu %7lu ", r->pid, r->name, r->fc.minor, r->fc.major, r->fc.swap_ins,
            r->fc.swap_outs);
    if (r->exited == 2)
      kprintf("killed (%s)\n", r->why);
    else if (r->exited == 1)
      kprintf("exit %d\n", r->code);
    else
      kprintf("running\n");
  }
  if (nrecords == MAX_RECORDS) kprintf("  (only the first %d processes are listed)\n", MAX_RECORDS);
  uint64_t now = sbi_call(SBI_GET_TIME, 0);
  kprintf(
      "vmstat: page_faults %lu = minor %lu (zero %lu, cow %lu, a/d %lu, spurious %lu) + major %lu (file %lu, "
      "swap-in %lu) + bad %lu - syscall-made %lu\n",
      STAT(ST_PAGE_FAULTS), STAT(ST_MINOR), STAT(ST_ZERO), STAT(ST_COW), STAT(ST_AD_FAULTS),
      STAT(ST_SPURIOUS), STAT(ST_MAJOR), STAT(ST_FILE_READ), STAT(ST_SWAP_IN), STAT(ST_BAD_FAULTS),
      STAT(ST_SYS_FAULTS));
  kprintf(
      "vmstat: evictions %lu swap-outs %lu a-clears %lu | disk reads %lu writes %lu irqs %lu | swap in use "
      "%lu/%u\n",
      STAT(ST_EVICT), STAT(ST_SWAP_OUT), STAT(ST_ACLEAR), STAT(ST_DISK_READ), STAT(ST_DISK_WRITE),
      STAT(ST_DISK_IRQ), swap_used(), disk_hdr.swap_blocks);
  kprintf(
      "vmstat: procs %lu killed %lu | ctxsw %lu timer %lu syscalls %lu asid-rollovers %lu | frames %lu (%lu "
      "free) "
      "%s asids=%s | mtime %lu\n",
      STAT(ST_PROCS), STAT(ST_KILLED), STAT(ST_CS), STAT(ST_TIMER_IRQ), STAT(ST_SYSCALLS), STAT(ST_ASID_ROLL),
      frames_total, frames_free_count, repl[cfg.replacement], cfg.asids ? "on" : "off", now);
}
