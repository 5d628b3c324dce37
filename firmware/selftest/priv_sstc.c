// The Sstc extension (privileged spec, "Sstc" chapter; stimecmp register, menvcfg.STCE): S-mode's own
// timer. Access rules of stimecmp, STIP as time >= stimecmp while STCE=1 (read-only in mip), the supervisor
// timer interrupt from S and U at or after stimecmp, WFI in S woken by it, and STIP back under M's control
// when STCE=0. QEMU 7.2's virt machine implements Sstc by default (-cpu rv64).
// qemu-args: -cpu rv64,f=false,d=false,h=false
#include "priv.h"

#define CSR_STIMECMP 0x14d
#define CSR_MENVCFG 0x30a
#define MENVCFG_STCE (1UL << 63)
#define COUNTEREN_TM 2

/* Waits are in mtime ticks (10 MHz): SHORT = 50 us, TIMEOUT = 2 ms of simulated time. */
#define SHORT 500
#define TIMEOUT 20000
/* How late after stimecmp a timer interrupt or a WFI wake-up may come (1 us; QEMU -icount: 0). */
#define LATE 10

#define read_stimecmp() read_csr(0x14d)
#define write_stimecmp(v) write_csr(0x14d, (v))

static void stce(int on) {
  if (on)
    set_csr(0x30a, MENVCFG_STCE);
  else
    clear_csr(0x30a, MENVCFG_STCE);
}

/* One CSR instruction from privilege p: must trap into M as an illegal instruction with mtval = insn. */
static void expect_illegal(int code, int p, uint32_t insn, const char* what) {
  priv_trap_clear();
  priv_exec_insn(p, insn, 0x1234);
  EXPECT(code,
         priv_mtrap.count == 1 && priv_mtrap.cause == CAUSE_ILLEGAL_INSN && priv_mtrap.tval == insn &&
             priv_mtrap.from == (uint64_t)p && priv_strap.count == 0,
         "%s from %d: want an illegal instruction into M (mtval 0x%08x); got %lu M traps cause=0x%lx "
         "mtval=0x%lx from=%lu, %lu S traps",
         what, p, insn, priv_mtrap.count, priv_mtrap.cause, priv_mtrap.tval, priv_mtrap.from,
         priv_strap.count);
}

static void test_access(void) {
  /* STCE is writable (Sstc is implemented) and clears again. */
  stce(1);
  EXPECT(1, read_csr(0x30a) & MENVCFG_STCE, "menvcfg.STCE reads 0 after being set");
  stce(0);
  EXPECT(1, !(read_csr(0x30a) & MENVCFG_STCE), "menvcfg.STCE reads 1 after being cleared");

  /* M always reaches stimecmp: it holds all 64 bits. */
  write_stimecmp(0x123456789abcdef0UL);
  EXPECT_EQ(2, read_stimecmp(), 0x123456789abcdef0UL, "stimecmp written from M");
  write_stimecmp(~0UL);

  /* Below M: STCE=0 (with or without TM), or TM=0 with STCE=1, makes stimecmp illegal. */
  static const struct { uint64_t tm, stce; } deny[] = {{0, 0}, {COUNTEREN_TM, 0}, {0, MENVCFG_STCE}};
  for (unsigned i = 0; i < 3; i++) {
    write_csr(mcounteren, deny[i].tm);
    stce(deny[i].stce != 0);
    expect_illegal(3, PRV_S, CSR_READ(CSR_STIMECMP), "read stimecmp");
    expect_illegal(3, PRV_S, CSR_WRITE(CSR_STIMECMP), "write stimecmp");
  }
  /* Both set: S reads and writes it. U never reaches it (an S-level CSR). */
  write_csr(mcounteren, COUNTEREN_TM);
  stce(1);
  priv_trap_clear();
  write_stimecmp(0xfedcba9876543210UL);
  EXPECT_EQ(4, priv_exec_insn(PRV_S, CSR_READ(CSR_STIMECMP), 0), 0xfedcba9876543210UL,
            "stimecmp read from S");
  priv_exec_insn(PRV_S, CSR_WRITE(CSR_STIMECMP), (long)0xffffffff00000000UL);
  expect_no_trap(4, "stimecmp from S with STCE=1, TM=1");
  EXPECT_EQ(4, read_stimecmp(), 0xffffffff00000000UL, "stimecmp written from S");
  write_csr(scounteren, COUNTEREN_TM);
  expect_illegal(5, PRV_U, CSR_READ(CSR_STIMECMP), "read stimecmp");
  expect_illegal(5, PRV_U, CSR_WRITE(CSR_STIMECMP), "write stimecmp");
  write_csr(scounteren, 0);
  write_stimecmp(~0UL);
}

/* Spin until mip.STIP reads `want`, for at most TIMEOUT ticks; returns whether it did. */
static int wait_stip(int want) {
  uint64_t start = read_csr(time);
  while (!!(read_csr(mip) & MIP_STIP) != want)
    if (read_csr(time) - start > TIMEOUT) return 0;
  return 1;
}

static void test_stip_level(void) {
  stce(1);
  /* A compare value in the past: STIP pends, and M cannot clear it through mip. */
  write_stimecmp(0);
  EXPECT(6, wait_stip(1), "STIP clear with stimecmp=0");
  clear_csr(mip, MIP_STIP);
  EXPECT(6, read_csr(mip) & MIP_STIP, "STIP cleared by a write to mip while STCE=1 (it is read-only)");
  /* One far in the future clears it, and M cannot set it. */
  write_stimecmp(read_csr(time) + 100 * TIMEOUT);
  EXPECT(7, wait_stip(0), "STIP stays set with stimecmp far in the future");
  set_csr(mip, MIP_STIP);
  EXPECT(7, !(read_csr(mip) & MIP_STIP), "STIP set by a write to mip while STCE=1 (it is read-only)");
  write_stimecmp(~0UL);
  EXPECT(7, wait_stip(0), "STIP set with stimecmp=max");

  /* STIP rises once time reaches stimecmp, never before it. */
  const uint64_t start = read_csr(time), cmp = start + SHORT;
  write_stimecmp(cmp);
  uint64_t polls = 0, t;
  int stip;
  do { /* time is read after mip: when STIP reads set, time must already have reached stimecmp */
    stip = (read_csr(mip) & MIP_STIP) != 0;
    t = read_csr(time);
    polls++;
  } while (!stip && t - start < SHORT + TIMEOUT);
  EXPECT(8, polls > 1, "STIP set at once with stimecmp %u ticks ahead", SHORT);
  EXPECT(8, stip, "STIP still clear at time 0x%lx, stimecmp 0x%lx", t, cmp);
  EXPECT(8, t >= cmp, "STIP set at time 0x%lx, before stimecmp 0x%lx", t, cmp);
  EXPECT(8, t - cmp <= LATE, "STIP set only at time 0x%lx, %lu ticks after stimecmp 0x%lx", t, t - cmp, cmp);

  /* STCE=0: STIP is M's writable bit again (stimecmp parked first: no timer level to carry over). */
  write_stimecmp(~0UL);
  EXPECT(9, wait_stip(0), "STIP set with stimecmp=max");
  stce(0);
  set_csr(mip, MIP_STIP);
  EXPECT(9, read_csr(mip) & MIP_STIP, "STIP not set by M with STCE=0");
  clear_csr(mip, MIP_STIP);
  EXPECT(9, !(read_csr(mip) & MIP_STIP), "STIP not cleared by M with STCE=0");
}

static volatile uint64_t s_irqs, s_irq_time;

/* S timer handler (runs in S): note the time, then move stimecmp past the horizon, which lowers STIP. */
static void s_timer_hook(uint64_t cause) {
  if ((cause & 63) != IRQ_S_TIMER) {
    clear_csr(sie, 1UL << (cause & 63));
    return;
  }
  s_irq_time = read_csr(time);
  s_irqs++;
  write_stimecmp(~0UL);
}

/* In S (or U): arm the timer SHORT ticks ahead (from S only), then spin until the handler ran. Returns
   the compare value. */
static long arm_and_wait(long arm_from_s) {
  uint64_t cmp = (uint64_t)arm_from_s;
  if (arm_from_s) {
    cmp = read_csr(time) + SHORT;
    write_stimecmp(cmp);
    set_csr(sstatus, MSTATUS_SIE);
  }
  uint64_t start = read_csr(time);
  while (!s_irqs && read_csr(time) - start < TIMEOUT) {
  }
  if (arm_from_s) clear_csr(sstatus, MSTATUS_SIE);
  return (long)cmp;
}

static void check_timer_irq(int code, uint64_t cmp, int from) {
  EXPECT_EQ(code, s_irqs, 1, "supervisor timer interrupts");
  expect_trap(code, &priv_strap, CAUSE_IRQ(IRQ_S_TIMER), 0, from);
  EXPECT_EQ(code, priv_strap.cause, 0x8000000000000005UL, "scause of the supervisor timer interrupt");
  EXPECT(code, priv_strap.ip & MIP_STIP, "sip.STIP clear at the interrupt's entry");
  EXPECT(code, s_irq_time >= cmp, "timer interrupt at time 0x%lx, before stimecmp 0x%lx", s_irq_time, cmp);
  EXPECT(code, s_irq_time - cmp <= LATE, "timer interrupt at time 0x%lx, %lu ticks after stimecmp 0x%lx",
         s_irq_time, s_irq_time - cmp, cmp);
  EXPECT(code, !(read_csr(mip) & MIP_STIP), "STIP still set after the handler moved stimecmp");
}

static void test_timer_interrupt(void) {
  stce(1);
  write_csr(mideleg, MIP_STIP);
  write_csr(mie, MIP_STIP);
  priv_s_irq_hook = s_timer_hook;

  /* S arms its own timer and takes the interrupt with SIE=1. */
  s_irqs = 0;
  priv_trap_clear();
  uint64_t cmp = (uint64_t)priv_run(PRV_S, arm_and_wait, 1);
  check_timer_irq(10, cmp, PRV_S);

  /* U is interrupted (S interrupts are always enabled below S), as a kernel's timer preempts a process. */
  write_csr(scounteren, COUNTEREN_TM);
  s_irqs = 0;
  priv_trap_clear();
  cmp = read_csr(time) + SHORT;
  write_stimecmp(cmp);
  priv_run(PRV_U, arm_and_wait, 0);
  check_timer_irq(11, cmp, PRV_U);

  /* Masked by sie.STIE, a pending timer traps nowhere. */
  s_irqs = 0;
  priv_trap_clear();
  write_csr(mie, 0);
  write_stimecmp(0);
  priv_run(PRV_U, arm_and_wait, 0);
  expect_no_trap(12, "supervisor timer with STIE=0");
  write_stimecmp(~0UL);
  write_csr(scounteren, 0);
  priv_s_irq_hook = 0;
}

extern char sstc_wfi_after[];
__asm__(
    ".pushsection .text.sstc, \"ax\"\n.option push\n.option norvc\n"
    /* long sstc_wfi_once(void): one WFI with SIE=1; the interrupt's sepc is the next instruction. */
    ".globl sstc_wfi_once\nsstc_wfi_once:\n"
    "  csrsi sstatus, 2\n"
    "  wfi\n"
    ".globl sstc_wfi_after\nsstc_wfi_after:\n"
    "  csrci sstatus, 2\n"
    "  ret\n"
    ".option pop\n.popsection\n");
long sstc_wfi_once(void);

static volatile uint64_t wfi_loops, wfi_wake_time;

/* In S with SIE=0: WFI until sip.STIP, as an idle loop would. Returns the compare value. */
static long wfi_until_stip(long unused) {
  (void)unused;
  uint64_t cmp = read_csr(time) + SHORT;
  write_stimecmp(cmp);
  uint64_t start = read_csr(time), loops = 0;
  while (!(read_csr(sip) & MIP_STIP) && read_csr(time) - start < TIMEOUT) {
    __asm__ volatile("wfi");
    loops++;
  }
  wfi_wake_time = read_csr(time);
  wfi_loops = loops;
  write_stimecmp(~0UL);
  return (long)cmp;
}

/* In S: arm the timer, then one WFI with SIE=1, woken by the interrupt itself. */
static long wfi_trap(long unused) {
  (void)unused;
  uint64_t cmp = read_csr(time) + SHORT;
  write_stimecmp(cmp);
  sstc_wfi_once();
  uint64_t start = read_csr(time);
  while (!s_irqs && read_csr(time) - start < TIMEOUT) { /* WFI may return early: wait for the trap */
  }
  return (long)cmp;
}

static void test_wfi(void) {
  stce(1);
  write_csr(mideleg, MIP_STIP);
  write_csr(mie, MIP_STIP);
  priv_trap_clear();
  uint64_t cmp = (uint64_t)priv_run(PRV_S, wfi_until_stip, 0);
  expect_no_trap(13, "WFI in S with SIE=0");
  EXPECT(13, wfi_wake_time >= cmp && wfi_wake_time - cmp <= LATE,
         "WFI loop ended at time 0x%lx, stimecmp 0x%lx (want at most %u ticks after it)", wfi_wake_time, cmp,
         LATE);
  /* WFI may return early, but a hart that sleeps through its timer wakes once per loop, here at most twice.
   */
  EXPECT(13, wfi_loops >= 1 && wfi_loops <= 2, "WFI loop ran %lu times", wfi_loops);

  priv_s_irq_hook = s_timer_hook;
  s_irqs = 0;
  priv_trap_clear();
  cmp = (uint64_t)priv_run(PRV_S, wfi_trap, 0);
  check_timer_irq(14, cmp, PRV_S);
  EXPECT_EQ(14, priv_strap.epc, (uintptr_t)sstc_wfi_after, "sepc of the timer interrupt that ended the WFI");
  write_csr(mie, 0);
  write_csr(mideleg, 0);
  priv_s_irq_hook = 0;
}

int main(void) {
  priv_init();
  write_stimecmp(~0UL);
  test_access();
  test_stip_level();
  test_timer_interrupt();
  test_wfi();
  stce(0);
  write_csr(mcounteren, 0);
  priv_pass("priv_sstc");
}
