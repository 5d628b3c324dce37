// External interrupt through the PLIC: the 16550 UART's THR-empty interrupt (PLIC source 10) routed to
// context 0 (hart 0 M-mode, mcause ...b) and context 1 (hart 0 S-mode, delegated, scause ...9), with
// priority/threshold masking and claim/complete (RISC-V PLIC spec 1.0.0; privileged spec 3.1.9).
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false
#include "priv.h"

#define UART_IER 1
#define UART_IER_ETBEI 0x02 /* interrupt while the transmit holding register is empty */
#define TIMEOUT 20000       /* mtime ticks */

static volatile uint32_t claimed[2];
static volatile uint32_t claim_after_complete[2];

/* Handler side, shared by M (context 0) and S (context 1): claim, silence the UART, complete. */
static void plic_service(int ctx) {
  uint32_t id = MMIO32(PLIC_CLAIM(ctx));
  claimed[ctx] = id;
  MMIO8(UART_BASE + UART_IER) = 0; /* the UART drops its line */
  MMIO32(PLIC_CLAIM(ctx)) = id;    /* complete */
  claim_after_complete[ctx] = MMIO32(PLIC_CLAIM(ctx)); /* nothing left: 0 */
}
static void m_hook(uint64_t cause) {
  if ((cause & 63) == IRQ_M_EXT)
    plic_service(0);
  else
    clear_csr(mie, 1UL << (cause & 63));
}
static void s_hook(uint64_t cause) {
  if ((cause & 63) == IRQ_S_EXT)
    plic_service(1);
  else
    clear_csr(sie, 1UL << (cause & 63));
}

static void wait_ticks(uint64_t n) {
  uint64_t s = clint_mtime();
  while (clint_mtime() - s < n) {
  }
}
static int uart_pending_in_plic(void) { return (MMIO32(PLIC_PENDING) >> UART_IRQ) & 1; }

static long s_wait(long unused) {
  (void)unused;
  set_csr(sstatus, MSTATUS_SIE);
  for (int i = 0; i < 200000 && !claimed[1]; i++) {
  }
  clear_csr(sstatus, MSTATUS_SIE);
  return 0;
}

int main(void) {
  priv_init();
  priv_m_irq_hook = m_hook;
  priv_s_irq_hook = s_hook;
  /* Start quiet: no UART interrupts, source 10 off in both contexts. */
  MMIO8(UART_BASE + UART_IER) = 0;
  MMIO32(PLIC_ENABLE(0)) = 0;
  MMIO32(PLIC_ENABLE(1)) = 0;
  MMIO32(PLIC_PRIORITY(UART_IRQ)) = 1;
  EXPECT_EQ(1, MMIO32(PLIC_PRIORITY(UART_IRQ)), 1, "PLIC priority[10] read back");
  MMIO32(PLIC_ENABLE(0)) = 1u << UART_IRQ;
  EXPECT_EQ(1, MMIO32(PLIC_ENABLE(0)) & (1u << UART_IRQ), 1u << UART_IRQ, "PLIC enable ctx0 read back");
  MMIO32(PLIC_THRESHOLD(0)) = 1;
  EXPECT_EQ(1, MMIO32(PLIC_THRESHOLD(0)), 1, "PLIC threshold ctx0 read back");

  /* 1. Threshold >= priority masks it: the source is pending in the PLIC, but MEIP stays low. */
  write_csr(mie, MIP_MEIP);
  set_csr(mstatus, MSTATUS_MIE);
  MMIO8(UART_BASE + UART_IER) = UART_IER_ETBEI;
  wait_ticks(500);
  uint64_t mip_masked = read_csr(mip);
  int pend_masked = uart_pending_in_plic();
  clear_csr(mstatus, MSTATUS_MIE);
  expect_no_trap(2, "UART interrupt with threshold 1 >= priority 1");
  EXPECT(2, !(mip_masked & MIP_MEIP), "mip.MEIP set while threshold masks the source");
  EXPECT(2, pend_masked, "PLIC pending bit 10 not set while the UART requests");
  /* Priority 0 means never, even with threshold 0. */
  MMIO32(PLIC_PRIORITY(UART_IRQ)) = 0;
  MMIO32(PLIC_THRESHOLD(0)) = 0;
  set_csr(mstatus, MSTATUS_MIE);
  wait_ticks(500);
  clear_csr(mstatus, MSTATUS_MIE);
  expect_no_trap(3, "UART interrupt with priority 0");

  /* 2. Priority 1 > threshold 0: M external interrupt, claim returns 10, complete. */
  MMIO32(PLIC_PRIORITY(UART_IRQ)) = 1;
  set_csr(mstatus, MSTATUS_MIE);
  uint64_t s = clint_mtime();
  while (priv_mtrap.count == 0 && clint_mtime() - s < TIMEOUT) {
  }
  clear_csr(mstatus, MSTATUS_MIE);
  expect_trap(4, &priv_mtrap, CAUSE_IRQ(IRQ_M_EXT), 0, PRV_M);
  EXPECT_EQ(4, priv_mtrap.cause, 0x800000000000000bUL, "mcause of the external interrupt");
  EXPECT(4, priv_mtrap.ip & MIP_MEIP, "mip.MEIP at entry");
  EXPECT_EQ(5, claimed[0], UART_IRQ, "PLIC claim (context 0)");
  EXPECT_EQ(5, claim_after_complete[0], 0, "PLIC claim with nothing pending");
  EXPECT(5, !(read_csr(mip) & MIP_MEIP), "mip.MEIP still set after complete with the UART quiet");

  /* 3. Context 1 (S-mode): source enabled only there, SEIP delegated, taken in S from U and S. */
  MMIO32(PLIC_ENABLE(0)) = 0;
  MMIO32(PLIC_ENABLE(1)) = 1u << UART_IRQ;
  MMIO32(PLIC_THRESHOLD(1)) = 0;
  write_csr(mideleg, MIP_SEIP);
  write_csr(mie, MIP_SEIP | MIP_MEIP);
  static const int prvs[] = {PRV_U, PRV_S};
  for (unsigned p = 0; p < 2; p++) {
    claimed[1] = 0;
    claim_after_complete[1] = 99;
    priv_trap_clear();
    MMIO8(UART_BASE + UART_IER) = UART_IER_ETBEI;
    if (prvs[p] == PRV_U) {
      /* S-level interrupts are always enabled in U; wait here in U for the PLIC to deliver. */
      priv_run(PRV_U, (long (*)(long))(uintptr_t)wait_ticks, 2000);
    } else {
      priv_run(PRV_S, s_wait, 0);
    }
    expect_trap(6, &priv_strap, CAUSE_IRQ(IRQ_S_EXT), 0, prvs[p]);
    EXPECT_EQ(6, priv_strap.cause, 0x8000000000000009UL, "scause of the external interrupt");
    EXPECT(6, priv_strap.ip & MIP_SEIP, "sip.SEIP at entry");
    EXPECT_EQ(7, claimed[1], UART_IRQ, "PLIC claim (context 1)");
    EXPECT_EQ(7, claim_after_complete[1], 0, "PLIC claim (context 1) with nothing pending");
  }
  /* The context-1 request shows up as SEIP, never MEIP. */
  MMIO8(UART_BASE + UART_IER) = UART_IER_ETBEI;
  wait_ticks(500);
  uint64_t ip = read_csr(mip);
  MMIO8(UART_BASE + UART_IER) = 0;
  EXPECT(8, (ip & (MIP_SEIP | MIP_MEIP)) == MIP_SEIP, "mip=0x%lx: want SEIP and not MEIP from context 1", ip);
  /* A gateway may hold the request until claimed: M claims and completes for context 1. */
  uint32_t id = MMIO32(PLIC_CLAIM(1));
  if (id) MMIO32(PLIC_CLAIM(1)) = id;
  EXPECT(8, id == 0 || id == UART_IRQ, "claim from context 1 returned %u", id);
  wait_ticks(100);
  EXPECT(8, !(read_csr(mip) & MIP_SEIP), "SEIP still set after the UART went quiet");

  write_csr(mie, 0);
  write_csr(mideleg, 0);
  MMIO32(PLIC_ENABLE(1)) = 0;
  priv_pass("priv_plic");
}
