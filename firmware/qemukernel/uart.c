/* The console: a 16550 driven the way QEMU-targeted teaching kernels drive it. Receive and
 * transmit-holding-empty interrupts are enabled; the interrupt handler reads only LSR and RHR, never IIR,
 * and both the handler and normal code feed THR from a small transmit buffer (uartstart). Input is not
 * echoed: a program's output then does not depend on when its input arrived. */
#include "kernel.h"

#define RHR 0 /* receive holding (read) */
#define THR 0 /* transmit holding (write) */
#define IER 1
#define FCR 2
#define LCR 3
#define LSR 5
#define IER_RX (1 << 0)
#define IER_THRE (1 << 1)
#define LSR_DR (1 << 0)
#define LSR_THRE (1 << 5)
#define LSR_TEMT (1 << 6)
#define UREG(r) MMIO8(UART_BASE + (r))

#define TX_BUF 32
static char tx_buf[TX_BUF];
static uint64_t tx_w, tx_r; /* written / read counts; tx_w - tx_r bytes wait */

#define RX_BUF 512
static char rx_buf[RX_BUF];
static uint64_t rx_w, rx_r;
static int rx_dropped;

static int interrupts_ready;

void uartinit(void) {
  UREG(IER) = 0;
  UREG(LCR) = 0x80; /* divisor latch: 38.4 kbaud from the 1.8432 MHz clock */
  UREG(0) = 3;
  UREG(1) = 0;
  UREG(LCR) = 3;    /* 8 data bits, no parity, one stop bit */
  UREG(FCR) = 0x07; /* FIFOs on and cleared */
  UREG(IER) = IER_RX | IER_THRE;
}

/* From here on output goes through the transmit buffer and interrupts (the PLIC and stvec are set). */
void uart_interrupts_ready(void) {
  interrupts_ready = 1;
}

/* Moves buffered bytes into THR while the transmitter takes them. Called from uartputc and from the
 * interrupt handler. */
static void uartstart(void) {
  while (tx_w != tx_r) {
    if (!(UREG(LSR) & LSR_THRE)) return; /* the THR-empty interrupt calls again */
    UREG(THR) = tx_buf[tx_r++ % TX_BUF];
  }
}

/* Buffers one byte, waiting (interrupts taken) while the buffer is full. */
void uartputc(int c) {
  if (!interrupts_ready) {
    while (!(UREG(LSR) & LSR_THRE)) {
    }
    UREG(THR) = (char)c;
    return;
  }
  while (tx_w - tx_r == TX_BUF) {
    wait_for_interrupt();
  }
  tx_buf[tx_w++ % TX_BUF] = (char)c;
  uartstart();
}

/* Waits until every buffered byte has left the transmitter. */
void uart_drain(void) {
  while (tx_w != tx_r) {
    wait_for_interrupt();
  }
  while (!(UREG(LSR) & LSR_TEMT)) {
  }
}

void uartintr(void) {
  while (UREG(LSR) & LSR_DR) {
    char c = UREG(RHR);
    if (rx_w - rx_r < RX_BUF)
      rx_buf[rx_w++ % RX_BUF] = c;
    else
      rx_dropped++;
  }
  uartstart();
}

static int line_ready(void) {
  if (rx_w - rx_r == RX_BUF) return 1;
  for (uint64_t i = rx_r; i != rx_w; i++)
    if (rx_buf[i % RX_BUF] == '\n') return 1;
  return 0;
}

/* One line of input (up to n bytes, the newline included), waiting until it has arrived. */
int console_read(char* dst, int n) {
  while (!line_ready()) {
    wait_for_interrupt();
  }
  if (rx_dropped) panic("console: input overflowed the receive buffer");
  int got = 0;
  while (got < n && rx_r != rx_w) {
    char c = rx_buf[rx_r++ % RX_BUF];
    dst[got++] = c;
    if (c == '\n') break;
  }
  return got;
}

static void put(void* ctx, char c) {
  (void)ctx;
  uartputc(c);
}

void kprintf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vformat(put, 0, fmt, ap);
  va_end(ap);
}

void panic(const char* what) {
  kprintf("panic: %s\n", what);
  if (interrupts_ready) uart_drain();
  finish(1);
}
