/* The PLIC for hart 0's S-mode context: the UART and the virtio disk at priority 1, threshold 0. */
#include "kernel.h"

#define S_CONTEXT 1

void plicinit(void) {
  MMIO32(PLIC_PRIORITY(UART_IRQ)) = 1;
  MMIO32(PLIC_PRIORITY(VIRTIO_BLK_IRQ)) = 1;
  MMIO32(PLIC_ENABLE(S_CONTEXT)) = (1u << UART_IRQ) | (1u << VIRTIO_BLK_IRQ);
  MMIO32(PLIC_THRESHOLD(S_CONTEXT)) = 0;
}

int plic_claim(void) {
  return (int)MMIO32(PLIC_CLAIM(S_CONTEXT));
}

void plic_complete(int irq) {
  MMIO32(PLIC_CLAIM(S_CONTEXT)) = (uint32_t)irq;
}
