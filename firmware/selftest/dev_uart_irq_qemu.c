/* The 16550 UART's interrupts and the PLIC gateway as QEMU's virt machine raises and clears them, so a
 * driver written for QEMU (xv6-riscv's uart.c: the handler reads only LSR and RBR, never IIR, and THR is
 * written from both the handler and normal code) neither misses input nor drowns in interrupts.
 *
 * Part A checks each interrupt source's set and clear conditions (16550 data sheet, and QEMU's serial and
 * sifive_plic models where the data sheet is silent), with interrupts off, reading IIR, LSR and the PLIC's
 * pending bit: THR empty (set when THR empties and when IER enables it, cleared by reading IIR or writing
 * THR, set by a transmit-FIFO reset), received data (FIFO trigger level), character time-out (4 character
 * times), line status (overrun), and a PLIC source that becomes pending when the UART signals, not again on
 * completion while the line stays high. Receive data comes from loopback mode (MCR bit 4), the same on both.
 * Part B runs an xv6-style interrupt-driven driver and bounds its external interrupts. */
#include "priv.h"

#define RBR 0
#define THR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define IER_RX 0x01
#define IER_THRE 0x02
#define IER_LSR 0x04
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
/* IIR values with the FIFOs enabled (bits 7:6 set). */
#define IIR_NONE 0xc1
#define IIR_THRE 0xc2
#define IIR_RX 0xc4
#define IIR_LSR 0xc6
#define IIR_TIMEOUT 0xcc

#define U(r) MMIO8(UART_BASE + (r))
/* 38400 baud (divisor 3), 8N1: 10 bits a character, 260 us; the time-out is 4 characters, ~1.04 ms. */
#define WAIT_TICKS 30000 /* 3 ms of mtime */

static void wait_ticks(uint64_t n) {
  uint64_t s = clint_mtime();
  while (clint_mtime() - s < n) {
  }
}
static int pending(void) { return (MMIO32(PLIC_PENDING) >> UART_IRQ) & 1; }
/* Claim and complete whatever context 0 has, so the next pending check starts clean. */
static void drain_plic(void) {
  uint32_t id;
  while ((id = MMIO32(PLIC_CLAIM(0))) != 0) MMIO32(PLIC_CLAIM(0)) = id;
}

/* ---- Part B: an xv6-style driver ---- */
static char txbuf[256];
static volatile unsigned tx_w, tx_r;
static char rxbuf[64];
static volatile unsigned rx_n;
static volatile unsigned long irqs, storm;

static void uartstart(void) {
  while (tx_r != tx_w) {
    if (!(U(LSR) & LSR_THRE)) return; /* THR busy: the THR-empty interrupt will come back for the rest */
    U(THR) = (uint8_t)txbuf[tx_r++ % sizeof txbuf];
  }
}
static void enqueue(char c) { txbuf[tx_w++ % sizeof txbuf] = c; }
/* Normal code: queue and start with interrupts off, as xv6's uartputc holds its lock. */
static void uartputs(const char *s) {
  clear_csr(mstatus, MSTATUS_MIE);
  while (*s) enqueue(*s++);
  uartstart();
  set_csr(mstatus, MSTATUS_MIE);
}
/* The handler: drain RBR while LSR says data is ready, answer each lowercase letter with its uppercase
 * (a THR write from the handler), then send whatever is queued. IIR is never read. */
static void uartintr(void) {
  while (U(LSR) & LSR_DR) {
    char c = (char)U(RBR);
    if (rx_n < sizeof rxbuf) rxbuf[rx_n++] = c;
    if (c >= 'a' && c <= 'z') enqueue((char)(c - 'a' + 'A'));
  }
  uartstart();
}
static void m_hook(uint64_t cause) {
  if ((cause & 63) != IRQ_M_EXT) {
    clear_csr(mie, 1UL << (cause & 63));
    return;
  }
  uint32_t id = MMIO32(PLIC_CLAIM(0));
  irqs++;
  if (id == UART_IRQ) uartintr();
  if (irqs > 10000) { /* an interrupt storm: silence the UART so the test can report it */
    U(IER) = 0;
    storm = 1;
  }
  if (id) MMIO32(PLIC_CLAIM(0)) = id;
}
static unsigned long idle_irqs(void) {
  unsigned long before = irqs;
  wait_ticks(WAIT_TICKS);
  return irqs - before;
}

int main(void) {
  priv_init();
  /* Reset values as QEMU's: divisor 12 (9600 baud), OUT2 set, no interrupt. */
  EXPECT_EQ(1, U(MCR), MCR_OUT2, "MCR at reset");
  EXPECT_EQ(1, U(IIR), 0x01, "IIR at reset");
  U(LCR) = 0x80;
  EXPECT_EQ(1, U(0), 12, "divisor latch low at reset");
  /* xv6's uartinit: interrupts off, 38400 baud, 8N1, FIFOs on and cleared. */
  U(IER) = 0;
  U(0) = 3;
  U(1) = 0;
  U(LCR) = 0x03;
  U(FCR) = 0x07;
  MMIO32(PLIC_PRIORITY(UART_IRQ)) = 1;
  MMIO32(PLIC_ENABLE(0)) = 1u << UART_IRQ;
  MMIO32(PLIC_ENABLE(1)) = 0;
  MMIO32(PLIC_THRESHOLD(0)) = 0;
  drain_plic();

  /* A1. Nothing enabled: no interrupt, nothing pending. */
  EXPECT_EQ(2, U(IIR), IIR_NONE, "IIR with IER=0");
  EXPECT_EQ(2, pending(), 0, "PLIC pending with IER=0");
  /* A2. Enabling THR empty while THR is empty raises it; claim and complete leave nothing pending though
   * the UART's line stays high (QEMU's gateway). */
  U(IER) = IER_THRE;
  EXPECT_EQ(3, pending(), 1, "PLIC pending after IER enables THR empty");
  EXPECT_EQ(3, MMIO32(PLIC_CLAIM(0)), UART_IRQ, "claim");
  EXPECT_EQ(3, pending(), 0, "PLIC pending after claim");
  MMIO32(PLIC_CLAIM(0)) = UART_IRQ;
  EXPECT_EQ(4, pending(), 0, "PLIC pending after completion with the UART's line still high");
  EXPECT_EQ(4, U(LSR) & 0x61, 0x60, "LSR: THR and transmitter empty, no data");
  EXPECT_EQ(4, pending(), 0, "PLIC pending after an LSR read");
  /* A3. Reading IIR while it shows THR empty clears it. */
  EXPECT_EQ(5, U(IIR), IIR_THRE, "IIR shows THR empty");
  EXPECT_EQ(5, U(IIR), IIR_NONE, "IIR after the THR-empty interrupt was read");
  EXPECT_EQ(5, pending(), 0, "PLIC pending after IIR read");
  /* A4. Writing THR clears THR empty, and (the byte leaving at once) sets it again: a new request. */
  rt_printf("dev_uart_irq_qemu: THR written\n");
  EXPECT_EQ(6, pending(), 1, "PLIC pending after THR writes");
  EXPECT_EQ(6, U(IIR), IIR_THRE, "IIR after THR writes");
  drain_plic();
  /* A5. Disabling and re-enabling THR empty raises it again (QEMU; what Windows relies on). */
  U(IER) = 0;
  EXPECT_EQ(7, U(IIR), IIR_NONE, "IIR with IER=0");
  U(IER) = IER_THRE;
  EXPECT_EQ(7, pending(), 1, "PLIC pending after IER re-enables THR empty");
  EXPECT_EQ(7, U(IIR), IIR_THRE, "IIR after IER re-enables THR empty");
  EXPECT_EQ(7, U(IIR), IIR_NONE, "IIR read twice");
  drain_plic();
  /* A6. A transmit-FIFO reset empties THR: THR empty again. */
  U(FCR) = 0x05;
  EXPECT_EQ(8, U(IIR), IIR_THRE, "IIR after FCR clears the transmit FIFO");
  drain_plic();

  /* A7. Loopback: THR feeds the receiver. Received data (trigger level 1) ranks above THR empty. */
  U(IER) = IER_RX | IER_THRE;
  U(MCR) = MCR_LOOP | MCR_OUT2;
  EXPECT_EQ(9, U(MSR) & 0xf0, 0x80, "MSR in loopback: DCD follows OUT2");
  drain_plic();
  U(THR) = 'x';
  EXPECT_EQ(10, U(LSR) & LSR_DR, LSR_DR, "LSR data ready after a loopback byte");
  EXPECT_EQ(10, pending(), 1, "PLIC pending after a byte arrived");
  EXPECT_EQ(10, U(IIR), IIR_RX, "IIR received data");
  EXPECT_EQ(10, U(RBR), 'x', "RBR");
  EXPECT_EQ(11, U(LSR) & LSR_DR, 0, "LSR data ready after RBR read");
  EXPECT_EQ(11, U(IIR), IIR_THRE, "IIR after RBR read: THR empty from the THR write");
  EXPECT_EQ(11, U(IIR), IIR_NONE, "IIR after THR empty was read");
  drain_plic();
  U(MCR) = MCR_LOOP | 0x0f;
  EXPECT_EQ(12, U(MSR) & 0xf0, 0xf0, "MSR in loopback: DCD, RI, DSR, CTS follow OUT2, OUT1, DTR, RTS");
  U(MCR) = MCR_LOOP;
  EXPECT_EQ(12, U(MSR), 0x00, "MSR in loopback with MCR outputs off");

  /* A8. Trigger level 4: two bytes do not interrupt at once, but after 4 character times the time-out
   * does; reading RBR clears it and restarts the timer while data remains. */
  U(IER) = IER_RX;
  U(FCR) = 0x43; /* trigger level 4, FIFOs on, receive FIFO cleared */
  U(THR) = '1';
  U(THR) = '2';
  EXPECT_EQ(13, U(IIR), IIR_NONE, "IIR with 2 bytes below trigger level 4");
  wait_ticks(WAIT_TICKS);
  EXPECT_EQ(13, U(IIR), IIR_TIMEOUT, "IIR character time-out after 4 character times");
  EXPECT_EQ(14, U(RBR), '1', "RBR first byte");
  EXPECT_EQ(14, U(IIR), IIR_NONE, "IIR after RBR read cleared the time-out");
  wait_ticks(WAIT_TICKS);
  EXPECT_EQ(14, U(IIR), IIR_TIMEOUT, "IIR time-out again for the byte left");
  EXPECT_EQ(14, U(RBR), '2', "RBR second byte");
  wait_ticks(WAIT_TICKS);
  EXPECT_EQ(15, U(IIR), IIR_NONE, "IIR with the FIFO empty: no time-out");
  for (char c = 'a'; c < 'e'; c++) U(THR) = (uint8_t)c;
  EXPECT_EQ(15, U(IIR), IIR_RX, "IIR received data at trigger level 4");
  for (char c = 'a'; c < 'e'; c++) EXPECT_EQ(15, U(RBR), c, "RBR");
  EXPECT_EQ(15, U(IIR), IIR_NONE, "IIR after the FIFO was read empty");

  /* A9. Overrun: a 17th byte into the 16-byte FIFO is lost and sets LSR.OE, a line-status interrupt
   * (highest priority) that reading LSR clears. */
  U(FCR) = 0x03; /* trigger level 1, receive FIFO cleared */
  U(IER) = IER_RX | IER_LSR;
  for (int i = 0; i < 17; i++) U(THR) = (uint8_t)('A' + i);
  EXPECT_EQ(16, U(IIR), IIR_LSR, "IIR line status after an overrun");
  EXPECT_EQ(16, U(LSR) & (LSR_OE | LSR_DR), LSR_OE | LSR_DR, "LSR overrun and data ready");
  EXPECT_EQ(16, U(LSR) & LSR_OE, 0, "LSR overrun cleared by the read");
  EXPECT_EQ(16, U(IIR), IIR_RX, "IIR received data once the overrun was read");
  for (int i = 0; i < 16; i++) EXPECT_EQ(17, U(RBR), 'A' + i, "RBR keeps the first 16 bytes");
  EXPECT_EQ(17, U(LSR) & LSR_DR, 0, "LSR data ready after 16 reads");
  U(IER) = 0;
  U(MCR) = MCR_OUT2;
  U(FCR) = 0x07;
  drain_plic();

  /* ---- Part B: the xv6-style driver, interrupts on: receive and THR empty enabled. ---- */
  priv_m_irq_hook = m_hook;
  write_csr(mie, MIP_MEIP);
  U(IER) = IER_RX | IER_THRE;
  set_csr(mstatus, MSTATUS_MIE);
  uartputs("dev_uart_irq_qemu: printed from normal code\n");
  EXPECT(20, !storm, "interrupt storm while printing from normal code (%lu interrupts)", irqs);
  EXPECT_EQ(20, tx_r, tx_w, "everything queued was sent");
  EXPECT_EQ(21, idle_irqs(), 0, "external interrupts while idle with THR empty enabled");
  /* The handler sends: queue with interrupts off, then kick the THR-empty interrupt through IER. */
  clear_csr(mstatus, MSTATUS_MIE);
  for (const char *s = "dev_uart_irq_qemu: printed from the handler\n"; *s; s++) enqueue(*s);
  U(IER) = IER_RX;
  U(IER) = IER_RX | IER_THRE;
  set_csr(mstatus, MSTATUS_MIE);
  for (uint64_t s = clint_mtime(); tx_r != tx_w && clint_mtime() - s < WAIT_TICKS;) {
  }
  EXPECT_EQ(22, tx_r, tx_w, "the handler sent the queued line");
  EXPECT_EQ(22, idle_irqs(), 0, "external interrupts while idle after the handler sent");
  /* Input: in loopback, normal code's bytes arrive at the receiver; the handler answers each lowercase
   * letter with a THR write of its own, which arrives too. */
  U(MCR) = MCR_LOOP | MCR_OUT2;
  uartputs("ping");
  for (uint64_t s = clint_mtime(); rx_n < 8 && clint_mtime() - s < WAIT_TICKS;) {
  }
  U(MCR) = MCR_OUT2;
  EXPECT(23, !storm, "interrupt storm during loopback input (%lu interrupts)", irqs);
  EXPECT_EQ(23, rx_n, 8, "bytes received (ping and the handler's PING)");
  char lower[5] = {0}, upper[5] = {0};
  unsigned nl = 0, nu = 0;
  for (unsigned i = 0; i < rx_n; i++) {
    if (rxbuf[i] >= 'a' && nl < 4) lower[nl++] = rxbuf[i];
    else if (rxbuf[i] < 'a' && nu < 4) upper[nu++] = rxbuf[i];
  }
  EXPECT(24, !strcmp(lower, "ping") && !strcmp(upper, "PING"), "received %s and %s", lower, upper);
  EXPECT_EQ(25, idle_irqs(), 0, "external interrupts while idle after input");
  /* Sent: 45 + 44 + 4 + 4 bytes, received 8; QEMU takes at most about one interrupt per event. */
  EXPECT(26, irqs <= 2 * (97 + 8) + 8, "%lu external interrupts for 97 bytes sent and 8 received", irqs);
  clear_csr(mstatus, MSTATUS_MIE);
  U(IER) = 0;
  rt_printf("dev_uart_irq_qemu: received %s and %s\n", lower, upper);
  priv_pass("dev_uart_irq_qemu");
}
