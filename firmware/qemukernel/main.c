/* kmain: bring up memory, paging, traps, the PLIC, the console and the disk; check a disk write; run the
 * programs of the disk one after another, each loaded over the pages of the one before; check the timer
 * tick; end the run through the test finisher (pass only if every program returned what it must and the
 * timer ticked in time). */
#include "kernel.h"

/* Each program's exit status, fixed by what it computes (the sources in user/): hello 42, upper the number of
 * lines it read before "end", primes the number of primes below 1000 (168). */
static const struct {
  const char* name;
  int status;
} programs[] = {{"hello", 42}, {"upper", 3}, {"primes", 168}, {"hello", 42}};

static void disk_write_check(void) {
  static uint8_t out[SECTOR_SIZE], in[SECTOR_SIZE];
  for (int i = 0; i < SECTOR_SIZE; i++) out[i] = (uint8_t)(i * 13 + 7);
  uint32_t s = scratch_sector();
  virtio_disk_rw(out, s, 1);
  virtio_disk_rw(in, s, 0);
  if (memcmp(in, out, SECTOR_SIZE)) panic("disk: scratch sector read back differs");
  kprintf("disk: wrote and read back sector %u\n", s);
}

/* The timer ticks (it interrupts the kernel only while it waits, and user programs). Three more ticks take
 * at least two whole intervals (the first may come at once); at most 100 leaves room for a loaded host
 * under QEMU, whose clock is real time. How many ticked so far depends on the platform's speed, so only
 * this is printed. */
static int timer_check(void) {
  uint64_t first = ticks, start = r_time();
  while (ticks < first + 3) wait_for_interrupt();
  uint64_t elapsed = r_time() - start;
  int ok = elapsed >= 2 * TICK_INTERVAL && elapsed <= 100 * TICK_INTERVAL;
  if (ok)
    kprintf("timer: 3 more ticks of %lu us, none early\n", TICK_INTERVAL / (TIMEBASE_HZ / 1000000));
  else
    kprintf("timer: FAIL: 3 ticks took %lu mtime ticks\n", elapsed);
  return ok;
}

void kmain(void) {
  /* The console first: input that arrives before the FIFOs are enabled (and so cleared) is lost. */
  uartinit();
  kprintf("qemukernel: booting\n");
  kinit();
  kvminit();
  kvminithart();
  trapinithart();
  plicinit();
  uart_interrupts_ready();
  virtio_disk_init();
  kprintf("virtio disk: ready\n");
  load_directory();
  disk_write_check();
  int failed = 0;
  for (unsigned i = 0; i < sizeof programs / sizeof programs[0]; i++) {
    int status = run_program(programs[i].name);
    if (status != programs[i].status) {
      kprintf("FAIL: %s returned %d, expected %d\n", programs[i].name, status, programs[i].status);
      failed = 1;
    }
  }
  if (!timer_check()) failed = 1;
  kprintf(failed ? "qemukernel: FAILED\n" : "qemukernel: all programs ran\n");
  uart_drain();
  finish(failed);
}
