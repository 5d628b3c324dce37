// qemu-args: -cpu rv64,f=false,d=false,h=false
/* Physical addresses no device claims: loads, stores and fetches there raise access faults (causes 5, 7
 * and 1) with mtval = the address, on sv39sim as on QEMU virt. Also the PLIC rejecting a byte access. */
#include "runtime.h"

#define UNMAPPED 0x00200000UL

static volatile uint64_t seen_cause, seen_tval, seen_epc;
static volatile int traps;

/* Records the trap and resumes at the address in t6 (set before each faulting access). */
__attribute__((naked, aligned(4))) static void handler(void) {
  __asm__ volatile(
      "csrr t0, mcause\n la t1, seen_cause\n sd t0, 0(t1)\n"
      "csrr t0, mtval\n la t1, seen_tval\n sd t0, 0(t1)\n"
      "csrr t0, mepc\n la t1, seen_epc\n sd t0, 0(t1)\n"
      "la t1, traps\n lw t0, 0(t1)\n addi t0, t0, 1\n sw t0, 0(t1)\n"
      "csrw mepc, t6\n mret\n");
}

static void check(int n, uint64_t cause, uint64_t tval) {
  if (traps != n || seen_cause != cause || seen_tval != tval) {
    rt_printf("case %d: traps=%d mcause=%lx mtval=%lx, expected mcause=%lx mtval=%lx\n", n, traps,
              (unsigned long)seen_cause, (unsigned long)seen_tval, (unsigned long)cause, (unsigned long)tval);
    rt_exit(n);
  }
}

int main(void) {
  write_csr(mtvec, (uintptr_t)handler);
  __asm__ volatile("la t6, 1f\n ld t0, 0(%0)\n 1:" ::"r"(UNMAPPED + 8) : "t0", "t6", "memory");
  check(1, 5, UNMAPPED + 8);
  __asm__ volatile("la t6, 1f\n sw zero, 0(%0)\n 1:" ::"r"(UNMAPPED + 16) : "t6", "memory");
  check(2, 7, UNMAPPED + 16);
  __asm__ volatile("la t6, 1f\n jalr zero, 0(%0)\n 1:" ::"r"(UNMAPPED + 32) : "t6", "memory");
  check(3, 1, UNMAPPED + 32);
  if (seen_epc != UNMAPPED + 32) rt_exit(4); /* a fetch fault reports the target as mepc */
  rt_printf("platform_unmapped: 4 checks passed\n");
  return 0;
}
