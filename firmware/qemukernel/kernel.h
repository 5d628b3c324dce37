/* The QEMU-style kernel: a small teaching kernel written the way kernels for QEMU's virt machine are
 * (xv6-riscv is the model): M-mode start that delegates everything to S-mode, Sv39 with a kernel page
 * table and one page table per process joined by a trampoline page, an interrupt-driven 16550 driver that
 * never reads IIR, a virtio-blk driver that checks QEMU's identity and does not acknowledge VERSION_1,
 * programs loaded by copying their bytes, entered with sret and no FENCE.I, and a timer tick through
 * stimecmp (Sstc). */
#ifndef QEMUKERNEL_KERNEL_H
#define QEMUKERNEL_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "fwlib.h"
#include "platform.h"
#include "pte.h"

#define PGSIZE 4096UL
#define PGROUNDUP(a) (((a) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a) ((a) & ~(PGSIZE - 1))
/* The kernel allocates pages from its image's end up to here: 16 MiB of RAM, so it runs with any -m of
 * 16M or more. */
#define PHYSTOP (RAM_BASE + 16 * 1024 * 1024)
/* One past the highest Sv39 address with bit 38 clear: the trampoline and trap frame live just below. */
#define MAXVA (1UL << 38)
#define TRAMPOLINE (MAXVA - PGSIZE)
#define TRAPFRAME (TRAMPOLINE - PGSIZE)
/* User programs are linked here; page 0 stays unmapped so a NULL access faults. */
#define USER_BASE 0x1000UL

#define SATP_SV39 (8UL << 60)
#define MAKE_SATP(root) (SATP_SV39 | ((uint64_t)(root) >> 12))

typedef uint64_t pte_t;
typedef uint64_t* pagetable_t;

/* What uservec needs to enter the kernel (the first five fields), then the registers a trap from U-mode
 * saves. trampoline.S addresses every field by its offset. */
struct trapframe {
  uint64_t kernel_satp, kernel_sp, kernel_trap, epc, kernel_hartid;
  uint64_t ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7;
  uint64_t s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6;
};

#define MMIO8(a) (*(volatile uint8_t*)(uintptr_t)(a))
#define MMIO32(a) (*(volatile uint32_t*)(uintptr_t)(a))

static inline uint64_t r_sstatus(void) {
  uint64_t x;
  __asm__ volatile("csrr %0, sstatus" : "=r"(x));
  return x;
}
static inline void w_sstatus(uint64_t x) {
  __asm__ volatile("csrw sstatus, %0" ::"r"(x));
}
#define SSTATUS_SPP (1UL << 8)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SIE (1UL << 1)
static inline void intr_on(void) {
  w_sstatus(r_sstatus() | SSTATUS_SIE);
}
static inline void intr_off(void) {
  w_sstatus(r_sstatus() & ~SSTATUS_SIE);
}
static inline void wfi(void) {
  __asm__ volatile("wfi");
}

/* The supervisor timer (Sstc), driven as xv6-riscv drives it: M-mode start enables stimecmp for S-mode,
 * and each timer interrupt asks for the next one TICK_INTERVAL mtime ticks later (1 ms at 10 MHz). */
#define TICK_INTERVAL 10000UL
static inline uint64_t r_time(void) {
  uint64_t x;
  __asm__ volatile("csrr %0, time" : "=r"(x));
  return x;
}
static inline void w_stimecmp(uint64_t x) {
  __asm__ volatile("csrw stimecmp, %0" ::"r"(x));
}

/* kalloc.c */
void kinit(void);
void* kalloc(void);
void kfree(void* pa);
void mark_executed(uint64_t pa);
int held_executed_code(uint64_t pa);

/* vm.c */
extern pagetable_t kernel_pagetable;
void kvminit(void);
void kvminithart(void);
int mappages(pagetable_t pt, uint64_t va, uint64_t size, uint64_t pa, int perm);
uint64_t walkaddr(pagetable_t pt, uint64_t va);
pagetable_t uvmcreate(uint64_t trapframe_pa);
void uvmfree(pagetable_t pt, uint64_t user_pages);
int copyin(pagetable_t pt, void* dst, uint64_t srcva, uint64_t len);
int copyout(pagetable_t pt, uint64_t dstva, const void* src, uint64_t len);

/* uart.c: the console */
void uartinit(void);
void uart_interrupts_ready(void);
void uartintr(void);
void uartputc(int c);
void uart_drain(void);
int console_read(char* dst, int n);
void kprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char* what) __attribute__((noreturn));

/* plic.c */
void plicinit(void);
int plic_claim(void);
void plic_complete(int irq);

/* virtio_disk.c */
#define SECTOR_SIZE 512
void virtio_disk_init(void);
void virtio_disk_rw(void* buf, uint64_t sector, int write);
void virtio_disk_intr(void);

/* trap.c */
extern volatile uint64_t ticks; /* timer interrupts taken */
void trapinithart(void);
void usertrapret(void) __attribute__((noreturn));
void wait_for_interrupt(void);

/* proc.c */
void load_directory(void);
uint32_t scratch_sector(void);
int run_program(const char* name);
void proc_exit(int status) __attribute__((noreturn));
struct trapframe* current_trapframe(void);
pagetable_t current_pagetable(void);

/* syscall.c */
void syscall(void);

/* shutdown through the test finisher */
void finish(int code) __attribute__((noreturn));

#endif
