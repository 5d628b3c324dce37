// Timer and software interrupts through the CLINT, S-mode timer forwarding, the time CSR, and WFI wake-up
// (privileged spec v1.12, 3.1.9 mip/mie, 3.2.1 mtime/mtimecmp, 3.3.3 WFI; CLINT layout per common/platform.h).
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false
#include "priv.h"

/* Waits are bounded in mtime ticks (10 MHz): 20000 ticks = 2 ms of simulated time. */
#define SHORT 500
#define TIMEOUT 20000

static volatile uint64_t hook_mtime, hook_mtimecmp, hook_mip;
static volatile uint64_t s_flag;

static void m_hook(uint64_t cause) {
  hook_mtime = clint_mtime();
  hook_mip = read_csr(mip);
  switch (cause & 63) {
    case IRQ_M_TIMER:
      hook_mtimecmp = MMIO64(CLINT_MTIMECMP);
      clint_set_mtimecmp(~0UL); /* the only way to lower MTIP */
      break;
    case IRQ_M_SOFT: MMIO32(CLINT_MSIP) = 0; break;
    default: clear_csr(mie, 1UL << (cause & 63)); break;
  }
}

/* Spin until n traps arrived at t or TIMEOUT ticks passed. */
static void wait_traps(volatile struct priv_trap *t, uint64_t n) {
  uint64_t start = clint_mtime();
  while (t->count < n && clint_mtime() - start < TIMEOUT) {
  }
}

static void test_time_csr(void) {
  uint64_t a = clint_mtime();
  uint64_t t = read_csr(time);
  uint64_t b = clint_mtime();
  EXPECT(1, a <= t && t <= b, "time CSR 0x%lx not between mtime reads 0x%lx and 0x%lx", t, a, b);
  /* It advances: wait SHORT ticks on mtime, the CSR must have moved at least as far. */
  while (clint_mtime() - b < SHORT) {
  }
  EXPECT(2, read_csr(time) - t >= SHORT, "time CSR did not advance with mtime");
  /* Readable from S and U with the counteren bits set, and still tracking mtime there. */
  write_csr(mcounteren, 2);
  write_csr(scounteren, 2);
  a = clint_mtime();
  uint64_t tu = (uint64_t)priv_exec_insn(PRV_U, CSR_READ(0xc01), 0);
  b = clint_mtime();
  EXPECT(3, a <= tu && tu <= b, "time CSR from U 0x%lx not between 0x%lx and 0x%lx", tu, a, b);
  write_csr(mcounteren, 0);
  write_csr(scounteren, 0);
}

static void test_mtip_level(void) {
  /* MTIP is mtime >= mtimecmp, read-only in mip. */
  clint_set_mtimecmp(0);
  EXPECT(4, read_csr(mip) & MIP_MTIP, "MTIP clear with mtimecmp=0");
  clear_csr(mip, MIP_MTIP); /* write ignored */
  EXPECT(4, read_csr(mip) & MIP_MTIP, "MTIP cleared by a CSR write (it is read-only)");
  clint_set_mtimecmp(~0UL);
  EXPECT(4, !(read_csr(mip) & MIP_MTIP), "MTIP set with mtimecmp=max");
  set_csr(mip, MIP_MTIP);
  EXPECT(4, !(read_csr(mip) & MIP_MTIP), "MTIP set by a CSR write (it is read-only)");
  /* MSIP mirrors the CLINT msip register. */
  MMIO32(CLINT_MSIP) = 1;
  EXPECT(5, read_csr(mip) & MIP_MSIP, "MSIP clear with CLINT msip=1");
  MMIO32(CLINT_MSIP) = 0;
  EXPECT(5, !(read_csr(mip) & MIP_MSIP), "MSIP set with CLINT msip=0");
}

static void test_machine_timer(void) {
  priv_m_irq_hook = m_hook;
  priv_trap_clear();
  uint64_t cmp = clint_mtime() + SHORT;
  clint_set_mtimecmp(cmp);
  write_csr(mie, MIP_MTIP);
  set_csr(mstatus, MSTATUS_MIE);
  wait_traps(&priv_mtrap, 1);
  clear_csr(mstatus, MSTATUS_MIE);
  expect_trap(6, &priv_mtrap, CAUSE_IRQ(IRQ_M_TIMER), 0, PRV_M);
  EXPECT_EQ(6, priv_mtrap.cause, 0x8000000000000007UL, "mcause of the machine timer interrupt");
  EXPECT(6, priv_mtrap.ip & MIP_MTIP, "mip.MTIP at entry");
  EXPECT_EQ(7, hook_mtimecmp, cmp, "mtimecmp seen by the handler");
  EXPECT(7, hook_mtime >= cmp, "timer interrupt taken early: mtime 0x%lx < mtimecmp 0x%lx", hook_mtime, cmp);
  EXPECT(7, !(read_csr(mip) & MIP_MTIP), "MTIP still set after mtimecmp=max");
  /* A far-away mtimecmp does not fire. */
  priv_trap_clear();
  clint_set_mtimecmp(clint_mtime() + 100 * TIMEOUT);
  set_csr(mstatus, MSTATUS_MIE);
  uint64_t s = clint_mtime();
  while (clint_mtime() - s < SHORT) {
  }
  clear_csr(mstatus, MSTATUS_MIE);
  expect_no_trap(8, "timer fired before mtimecmp");
  clint_set_mtimecmp(~0UL);
  write_csr(mie, 0);
}

static void test_machine_software(void) {
  priv_m_irq_hook = m_hook;
  priv_trap_clear();
  write_csr(mie, MIP_MSIP);
  MMIO32(CLINT_MSIP) = 1;
  set_csr(mstatus, MSTATUS_MIE);
  wait_traps(&priv_mtrap, 1);
  clear_csr(mstatus, MSTATUS_MIE);
  expect_trap(9, &priv_mtrap, CAUSE_IRQ(IRQ_M_SOFT), 0, PRV_M);
  EXPECT_EQ(9, priv_mtrap.cause, 0x8000000000000003UL, "mcause of the machine software interrupt");
  EXPECT(9, hook_mip & MIP_MSIP, "mip.MSIP in the handler");
  EXPECT(9, !(read_csr(mip) & MIP_MSIP), "MSIP still set after msip=0");
  /* From U, M interrupts are enabled whatever mstatus.MIE says. */
  priv_trap_clear();
  MMIO32(CLINT_MSIP) = 1;
  priv_exec_insn(PRV_U, INSN_ADDI_A0(1), 0);
  expect_trap(10, &priv_mtrap, CAUSE_IRQ(IRQ_M_SOFT), 0, PRV_U);
  write_csr(mie, 0);
}

static void s_soft_hook(uint64_t cause) {
  (void)cause;
  s_flag++;
  clear_csr(sip, MIP_SSIP);
}

static long s_wait_flag(long sie) {
  if (sie) set_csr(sstatus, MSTATUS_SIE);
  for (int i = 0; i < 100000 && !s_flag; i++) {
  }
  if (sie) clear_csr(sstatus, MSTATUS_SIE);
  return (long)s_flag;
}

static void test_supervisor_software(void) {
  /* M raises SSIP; delegated, it traps into S (cause ...1) once S has SIE=1, or at once in U. */
  write_csr(mideleg, MIP_SSIP);
  write_csr(mie, MIP_SSIP);
  priv_s_irq_hook = s_soft_hook;
  static const int prvs[] = {PRV_S, PRV_U};
  for (unsigned p = 0; p < 2; p++) {
    s_flag = 0;
    priv_trap_clear();
    set_csr(mip, MIP_SSIP);
    long got = priv_run(prvs[p], s_wait_flag, prvs[p] == PRV_S); /* sstatus only exists for S */
    expect_trap(11, &priv_strap, CAUSE_IRQ(IRQ_S_SOFT), 0, prvs[p]);
    EXPECT_EQ(11, priv_strap.cause, 0x8000000000000001UL, "scause of the supervisor software interrupt");
    EXPECT_EQ(11, got, 1, "S handler runs");
    EXPECT(11, !(read_csr(mip) & MIP_SSIP), "SSIP not cleared through sip");
  }
  write_csr(mie, 0);
  write_csr(mideleg, 0);
  priv_s_irq_hook = 0;
}

/* M timer handler that forwards to S the way an SBI does: stop the M timer, raise STIP. */
static void forward_hook(uint64_t cause) {
  if ((cause & 63) == IRQ_M_TIMER) {
    clint_set_mtimecmp(~0UL);
    set_csr(mip, MIP_STIP);
  } else {
    clear_csr(mie, 1UL << (cause & 63));
  }
}
static void s_timer_hook(uint64_t cause) {
  (void)cause;
  s_flag++;
  clear_csr(sie, MIP_STIP); /* STIP is read-only in sip: S masks it, M lowers it later */
}

static void test_supervisor_timer(void) {
  write_csr(mideleg, MIP_STIP);
  priv_m_irq_hook = forward_hook;
  priv_s_irq_hook = s_timer_hook;
  static const int prvs[] = {PRV_S, PRV_U};
  for (unsigned p = 0; p < 2; p++) {
    s_flag = 0;
    priv_trap_clear();
    write_csr(mie, MIP_MTIP | MIP_STIP);
    clint_set_mtimecmp(clint_mtime() + SHORT);
    long got = priv_run(prvs[p], s_wait_flag, prvs[p] == PRV_S); /* sstatus only exists for S */
    clear_csr(mip, MIP_STIP);
    EXPECT_EQ(12, got, 1, "S timer handler ran");
    EXPECT_EQ(12, priv_mtrap.count, 1, "M timer interrupts");
    EXPECT_EQ(12, priv_mtrap.cause, CAUSE_IRQ(IRQ_M_TIMER), "mcause");
    EXPECT_EQ(12, priv_mtrap.from, prvs[p], "M timer interrupt from");
    EXPECT_EQ(13, priv_strap.count, 1, "S timer interrupts");
    EXPECT_EQ(13, priv_strap.cause, 0x8000000000000005UL, "scause of the forwarded supervisor timer interrupt");
    EXPECT_EQ(13, priv_strap.from, prvs[p], "S timer interrupt from");
    EXPECT(13, priv_strap.ip & MIP_STIP, "sip.STIP at S entry");
  }
  write_csr(mie, 0);
  write_csr(mideleg, 0);
  priv_m_irq_hook = 0;
  priv_s_irq_hook = 0;
}

extern char wfi_mie_insn[], wfi_mie_after[];
__asm__(".pushsection .text.wfi, \"ax\"\n.option push\n.option norvc\n"
        /* void wfi_mie_loop(volatile uint64_t *count): wfi with MIE=1 until a trap was counted. */
        ".globl wfi_mie_loop\nwfi_mie_loop:\n"
        "  csrsi mstatus, 8\n"
        ".globl wfi_mie_insn\nwfi_mie_insn:\n"
        "  wfi\n"
        ".globl wfi_mie_after\nwfi_mie_after:\n"
        "  ld t0, 0(a0)\n"
        "  beqz t0, wfi_mie_insn\n"
        "  csrci mstatus, 8\n"
        "  ret\n"
        ".option pop\n.popsection\n");
void wfi_mie_loop(volatile uint64_t *count);

static void test_wfi(void) {
  /* MIE=0, MTIE=1: WFI wakes when the timer becomes pending, without a trap. WFI may also return early
     (it is a hint), so loop on mip.MTIP; it must not sleep past the timer. */
  priv_m_irq_hook = m_hook;
  priv_trap_clear();
  clear_csr(mstatus, MSTATUS_MIE);
  write_csr(mie, MIP_MTIP);
  uint64_t cmp = clint_mtime() + SHORT;
  clint_set_mtimecmp(cmp);
  while (!(read_csr(mip) & MIP_MTIP)) __asm__ volatile("wfi");
  uint64_t now = clint_mtime();
  expect_no_trap(14, "WFI with MIE=0");
  EXPECT(14, now >= cmp, "woke with MTIP but mtime 0x%lx < mtimecmp 0x%lx", now, cmp);
  clint_set_mtimecmp(~0UL);

  /* MIE=1: the wake-up is the trap, taken with mepc = the instruction after the WFI. */
  priv_trap_clear();
  cmp = clint_mtime() + SHORT;
  clint_set_mtimecmp(cmp);
  wfi_mie_loop(&priv_mtrap.count);
  expect_trap(15, &priv_mtrap, CAUSE_IRQ(IRQ_M_TIMER), 0, PRV_M);
  EXPECT_EQ(15, priv_mtrap.epc, (uintptr_t)wfi_mie_after, "mepc of the interrupt that ended the WFI");
  EXPECT(15, hook_mtime >= cmp, "WFI trap before mtimecmp");

  /* WFI in S (TW=0) is woken by an M interrupt, which traps to M with mepc after the WFI. */
  priv_trap_clear();
  write_csr(mie, MIP_MTIP);
  clint_set_mtimecmp(clint_mtime() + SHORT);
  uint64_t before = clint_mtime();
  priv_exec_insn(PRV_S, INSN_WFI, 0);
  /* If the WFI returned early (allowed), the interrupt may still be on its way: wait for it. */
  while (priv_mtrap.count == 0 && clint_mtime() - before < TIMEOUT) {
  }
  clint_set_mtimecmp(~0UL);
  EXPECT_EQ(16, priv_mtrap.count, 1, "traps after WFI in S");
  EXPECT_EQ(16, priv_mtrap.cause, CAUSE_IRQ(IRQ_M_TIMER), "mcause after WFI in S");
  write_csr(mie, 0);
  priv_m_irq_hook = 0;
}

int main(void) {
  priv_init();
  test_time_csr();
  test_mtip_level();
  test_machine_timer();
  test_machine_software();
  test_supervisor_software();
  test_supervisor_timer();
  test_wfi();
  priv_pass("priv_timer");
}
