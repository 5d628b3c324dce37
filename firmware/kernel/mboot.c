/* M-mode part of the kernel: crt0 calls main() in M-mode; we set up the machine state once and mret to
 * kernel_main in S-mode. Afterwards M-mode only runs on traps:
 *   - machine timer interrupt: forwarded to S by setting mip.STIP (and masking MTIE until S re-arms), so
 *     S-mode gets a timer without needing the CLINT (or Sstc);
 *   - ecall from S: SBI-like calls (set timer relative to now, read mtime, shut down);
 *   - anything else is a kernel bug: report and fail the run. */
#include "kernel.h"

#define MSTATUS_MPP_MASK (3UL << 11)
#define MSTATUS_MPP_S (1UL << 11)
#define MIP_STIP (1UL << 5)
#define MIE_MTIE (1UL << 7)

extern char m_trap_vector[];
void kernel_main(void);

static uint8_t m_stack[4096] __attribute__((aligned(16)));

void m_trap(uint64_t* regs) {
  uint64_t cause = read_csr(mcause);
  if (cause == (CAUSE_INTR | 7)) {
    /* Machine timer: hand it to S. STIP stays set until S calls SBI_SET_TIMER_REL. */
    clear_csr(mie, MIE_MTIE);
    set_csr(mip, MIP_STIP);
    return;
  }
  if (cause == 9) { /* ecall from S */
    uint64_t fn = regs[17], a0 = regs[10];
    write_csr(mepc, read_csr(mepc) + 4);
    switch (fn) {
      case SBI_SET_TIMER_REL:
        clear_csr(mip, MIP_STIP);
        if (a0 == ~0UL) {
          MMIO64(CLINT_MTIMECMP) = ~0UL;
          clear_csr(mie, MIE_MTIE);
        } else {
          MMIO64(CLINT_MTIMECMP) = MMIO64(CLINT_MTIME) + a0;
          set_csr(mie, MIE_MTIE);
        }
        regs[10] = 0;
        return;
      case SBI_GET_TIME: regs[10] = MMIO64(CLINT_MTIME); return;
      case SBI_SHUTDOWN: rt_exit((int)a0);
      default: regs[10] = (uint64_t)-1; return;
    }
  }
  rt_printf("[m-mode] fatal trap: mcause=%lx mepc=%lx mtval=%lx\n", cause, read_csr(mepc), read_csr(mtval));
  verdict_fail("m-mode fatal trap: mcause=%lx mepc=%lx mtval=%lx", cause, read_csr(mepc), read_csr(mtval));
  rt_exit(250);
}

int main(void) {
  write_csr(mtvec, (uint64_t)m_trap_vector);
  write_csr(mscratch, (uint64_t)(m_stack + sizeof m_stack));
  /* PMP entry 0: all of memory RWX for S and U (without a matching entry their accesses fail). */
  write_csr(pmpaddr0, ~0UL >> 10);
  write_csr(pmpcfg0, 0x1f); /* NAPOT | X | W | R */
  /* Every user exception goes to S except nothing: misaligned, access and page faults, illegal
   * instruction, breakpoint, ecall from U. Ecall from S stays here (it is the SBI). */
  write_csr(medeleg, (1UL << 0) | (1UL << 1) | (1UL << 2) | (1UL << 3) | (1UL << 4) | (1UL << 5) |
                         (1UL << 6) | (1UL << 7) | (1UL << 8) | (1UL << 12) | (1UL << 13) | (1UL << 15));
  /* S software, timer and external interrupts belong to S. */
  write_csr(mideleg, (1UL << 1) | (1UL << 5) | (1UL << 9));
  MMIO64(CLINT_MTIMECMP) = ~0UL;
  write_csr(mie, 0);
  write_csr(mcounteren, 7);
  write_csr(satp, 0);
  uint64_t ms = read_csr(mstatus);
  ms = (ms & ~MSTATUS_MPP_MASK) | MSTATUS_MPP_S;
  ms &= ~((1UL << 17) | (1UL << 7)); /* MPRV off, MPIE off */
  write_csr(mstatus, ms);
  write_csr(mepc, (uint64_t)kernel_main);
  /* S-mode starts on the boot stack (crt0's), which becomes the scheduler's stack. */
  __asm__ volatile("mret");
  return 0;
}
