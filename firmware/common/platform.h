/* Physical memory map shared by sv39sim and QEMU's virt machine (see docs/architecture.md). */
#ifndef SV39SIM_PLATFORM_H
#define SV39SIM_PLATFORM_H

#define TEST_FINISHER_BASE 0x00100000UL
#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333
#define CLINT_BASE 0x02000000UL
#define CLINT_MSIP (CLINT_BASE + 0x0)
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000)
#define CLINT_MTIME (CLINT_BASE + 0xBFF8)
#define PLIC_BASE 0x0C000000UL
#define PLIC_PRIORITY(src) (PLIC_BASE + 4 * (src))
#define PLIC_PENDING (PLIC_BASE + 0x1000)
/* Context 0 is hart 0 M-mode, context 1 is hart 0 S-mode (QEMU virt numbering). */
#define PLIC_ENABLE(ctx) (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (PLIC_BASE + 0x200004 + 0x1000 * (ctx))
#define UART_BASE 0x10000000UL
#define UART_IRQ 10
#define VIRTIO_BLK_BASE 0x10001000UL
#define VIRTIO_BLK_IRQ 1
#define RAM_BASE 0x80000000UL
/* CLINT mtime ticks at 10 MHz on both platforms. */
#define TIMEBASE_HZ 10000000UL

#endif
