/* Traps: kernelvec for traps taken in S-mode (only interrupts, while the kernel waits for a device),
 * usertrap for everything from U-mode (system calls, interrupts, faults), and the return to U-mode
 * through the trampoline. */
#include "kernel.h"

extern char trampoline[], uservec[], userret[];
void kernelvec(void);
void usertrap(void);

#define SCAUSE_INTERRUPT (1UL << 63)
#define IRQ_S_TIMER 5
#define IRQ_S_EXTERNAL 9
#define EXC_ECALL_U 8

static uint8_t proc_kstack[4 * PGSIZE] __attribute__((aligned(16)));

static uint64_t csr_scause(void) {
  uint64_t x;
  __asm__ volatile("csrr %0, scause" : "=r"(x));
  return x;
}
static uint64_t csr_sepc(void) {
  uint64_t x;
  __asm__ volatile("csrr %0, sepc" : "=r"(x));
  return x;
}
static uint64_t csr_stval(void) {
  uint64_t x;
  __asm__ volatile("csrr %0, stval" : "=r"(x));
  return x;
}

void trapinithart(void) {
  __asm__ volatile("csrw stvec, %0" ::"r"((uint64_t)kernelvec));
}

/* The kernel runs with S-mode interrupts disabled and takes them only here: WFI returns once one is
 * pending (sstatus.SIE does not matter to WFI), and the short enable takes it through kernelvec. Callers
 * check their condition first, with interrupts off, so no wake-up is lost between check and sleep. */
void wait_for_interrupt(void) {
  wfi();
  intr_on();
  intr_off();
}

volatile uint64_t ticks;

/* Writing stimecmp lowers the interrupt until time reaches the new value. */
static void clockintr(void) {
  ticks++;
  w_stimecmp(r_time() + TICK_INTERVAL);
}

/* 1 if the trap was a device or timer interrupt (handled here), 0 if not an interrupt. */
static int devintr(uint64_t scause) {
  if (!(scause & SCAUSE_INTERRUPT)) return 0;
  if ((scause & ~SCAUSE_INTERRUPT) == IRQ_S_TIMER) {
    clockintr();
    return 1;
  }
  if ((scause & ~SCAUSE_INTERRUPT) != IRQ_S_EXTERNAL) panic("unexpected interrupt");
  int irq = plic_claim();
  if (irq == UART_IRQ)
    uartintr();
  else if (irq == VIRTIO_BLK_IRQ)
    virtio_disk_intr();
  if (irq) plic_complete(irq);
  return 1;
}

void kerneltrap(void) {
  uint64_t sepc = csr_sepc(), sstatus = r_sstatus(), scause = csr_scause();
  if (!(sstatus & SSTATUS_SPP)) panic("kerneltrap: not from supervisor mode");
  if (!devintr(scause)) {
    kprintf("kerneltrap: scause %lx sepc %lx stval %lx\n", scause, sepc, csr_stval());
    panic("kerneltrap");
  }
  __asm__ volatile("csrw sepc, %0" ::"r"(sepc));
  w_sstatus(sstatus);
}

void usertrap(void) {
  __asm__ volatile("csrw stvec, %0" ::"r"((uint64_t)kernelvec));
  struct trapframe* tf = current_trapframe();
  tf->epc = csr_sepc();
  uint64_t scause = csr_scause();
  if (scause == EXC_ECALL_U) {
    tf->epc += 4;
    syscall();
  } else if (!devintr(scause)) {
    kprintf("usertrap: unexpected scause %lx sepc %lx stval %lx\n", scause, tf->epc, csr_stval());
    proc_exit(-1);
  }
  usertrapret();
}

void usertrapret(void) {
  intr_off();
  __asm__ volatile("csrw stvec, %0" ::"r"(TRAMPOLINE + (uservec - trampoline)));
  struct trapframe* tf = current_trapframe();
  uint64_t satp;
  __asm__ volatile("csrr %0, satp" : "=r"(satp));
  tf->kernel_satp = satp;
  tf->kernel_sp = (uint64_t)(proc_kstack + sizeof proc_kstack);
  tf->kernel_trap = (uint64_t)usertrap;
  tf->kernel_hartid = 0;
  uint64_t sstatus = r_sstatus();
  sstatus &= ~SSTATUS_SPP; /* to U-mode */
  sstatus |= SSTATUS_SPIE;
  w_sstatus(sstatus);
  __asm__ volatile("csrw sepc, %0" ::"r"(tf->epc));
  void (*ret)(uint64_t) = (void (*)(uint64_t))(TRAMPOLINE + (userret - trampoline));
  ret(MAKE_SATP(current_pagetable()));
  __builtin_unreachable();
}
