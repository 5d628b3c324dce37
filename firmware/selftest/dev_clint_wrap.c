/* Software may write mtime (privileged spec "Machine Timer Registers"), so mtime can wrap from 2^64 - 1 to
 * 0. After a wrap, an mtimecmp above mtime is a compare that lies 2^64 ticks away: no timer interrupt, and
 * the simulation must go on as usual (the next timer instant must never be computed in the past). */
#include "runtime.h"

static void check(int ok, int n, const char *what) {
  if (!ok) {
    rt_printf("dev_clint_wrap: case %d failed: %s\n", n, what);
    rt_exit(n);
  }
}

int main(void) {
  MMIO64(CLINT_MTIMECMP) = ~0ull;
  MMIO64(CLINT_MTIME) = ~0ull - 4; /* wraps 5 ticks from now */
  uint64_t t;
  do t = MMIO64(CLINT_MTIME);
  while (t > 1000 || t < 100); /* past the wrap, and past the hart's quantum */
  MMIO64(CLINT_MTIMECMP) = ~0ull - 1;
  check((read_csr(mip) & (1u << 7)) == 0, 1, "no timer interrupt pending after the wrap");
  const uint64_t start = MMIO64(CLINT_MTIME);
  while (MMIO64(CLINT_MTIME) - start < 1000) {
  }
  check((read_csr(mip) & (1u << 7)) == 0, 2, "still none 1000 ticks later");
  MMIO64(CLINT_MTIMECMP) = MMIO64(CLINT_MTIME) + 100; /* an ordinary compare still fires */
  while ((read_csr(mip) & (1u << 7)) == 0) {
  }
  check(MMIO64(CLINT_MTIME) >= MMIO64(CLINT_MTIMECMP), 3, "MTIP only once mtime reached mtimecmp");
  rt_printf("dev_clint_wrap: pass\n");
  return 0;
}
