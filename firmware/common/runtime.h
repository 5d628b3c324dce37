/* Tiny firmware runtime: console output on the 16550 UART and an exit that works on sv39sim and QEMU. */
#ifndef SV39SIM_RUNTIME_H
#define SV39SIM_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "fwlib.h"
#include "platform.h"

#define MMIO32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#define MMIO64(addr) (*(volatile uint64_t *)(uintptr_t)(addr))
#define MMIO8(addr) (*(volatile uint8_t *)(uintptr_t)(addr))

#define read_csr(reg)                                   \
  ({                                                    \
    unsigned long __v;                                  \
    __asm__ volatile("csrr %0, " #reg : "=r"(__v));    \
    __v;                                                \
  })
#define write_csr(reg, val) __asm__ volatile("csrw " #reg ", %0" ::"rK"(val))
#define set_csr(reg, bits) __asm__ volatile("csrs " #reg ", %0" ::"rK"(bits))
#define clear_csr(reg, bits) __asm__ volatile("csrc " #reg ", %0" ::"rK"(bits))

void rt_putc(char c);
void rt_puts(const char *s);
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* code 0 passes; anything else fails with that code. Never returns. */
void rt_exit(int code) __attribute__((noreturn));


#endif
