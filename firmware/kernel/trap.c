/* Traps from U-mode, interrupts (timer through the M-mode forwarder, disk through the PLIC, S context 1),
 * the run queue and sleep/wakeup.
 *
 * Interrupts are only ever taken while a process runs in U-mode (S interrupts are always enabled below S)
 * or dispatched by hand after a WFI when nothing can run; the kernel itself runs with sstatus.SIE = 0. */
#include "kernel.h"

struct proc* cur;
static struct proc *runq_head, *runq_tail;

void runq_push(struct proc* p) {
  p->next_run = 0;
  if (runq_tail)
    runq_tail->next_run = p;
  else
    runq_head = p;
  runq_tail = p;
}

struct proc* runq_pop(void) {
  struct proc* p = runq_head;
  if (p) {
    runq_head = p->next_run;
    if (!runq_head) runq_tail = 0;
  }
  return p;
}

/* ---- PLIC (context 1 = hart 0 S-mode on QEMU virt and sv39sim) ---- */
void plic_enable(int irq) {
  MMIO32(PLIC_PRIORITY(irq)) = 1;
  MMIO32(PLIC_ENABLE(1) + 4 * (irq / 32)) |= 1u << (irq % 32);
  MMIO32(PLIC_THRESHOLD(1)) = 0;
}

void dispatch_irqs(void) {
  for (;;) {
    uint32_t id = MMIO32(PLIC_CLAIM(1));
    if (!id) break;
    if ((int)id == virtio_irq()) {
      STAT(ST_DISK_IRQ)++;
      virtio_intr();
    } else {
      kprintf("[kernel] spurious external interrupt %u\n", id);
    }
    MMIO32(PLIC_CLAIM(1)) = id;
  }
}

/* ---- Timer: one time slice from now. M-mode raises STIP when it expires. ---- */
void timer_arm(void) {
  sbi_call(SBI_SET_TIMER_REL, cfg.timeslice_us * (TIMEBASE_HZ / 1000000));
  set_csr(sie, SIE_STIE);
}
void timer_disarm(void) {
  sbi_call(SBI_SET_TIMER_REL, ~0UL);
}

void trap_init(void) {
  write_csr(stvec, (uint64_t)s_trap_vector);
  write_csr(sscratch, 0);
  clear_csr(sstatus, SSTATUS_SIE);
  set_csr(sie, SIE_SEIE | SIE_STIE);
}

/* ---- Scheduling primitives ---- */
static struct context sched_ctx;
extern void scheduler(void);

void sched(void) {
  swtch(&cur->ctx, &sched_ctx);
}
struct context* sched_context(void) {
  return &sched_ctx;
}

void yield(void) {
  cur->state = P_RUNNABLE;
  runq_push(cur);
  sched();
}

/* Without a process (boot, or the scheduler waiting) "sleeping" is WFI and dispatching by hand: WFI
 * wakes on a pending enabled interrupt even with SIE = 0. */
void sleep_on(void* chan) {
  if (cur) {
    cur->chan = chan;
    cur->state = P_SLEEPING;
    sched();
    cur->chan = 0;
    return;
  }
  /* Keep a timer deadline while idle: QEMU 7.2 with -icount sleep=off does not always wake a WFI for a
   * disk interrupt when no timer deadline exists (seen hanging in about 1 of 4 runs). A pending STIP
   * just ends the WFI; re-arming clears it. On sv39sim this is one extra timer event per idle wait. */
  timer_arm();
  __asm__ volatile("wfi");
  if (read_csr(sip) & SIP_SEIP) dispatch_irqs();
}

void wakeup(void* chan) {
  for (int i = 0; i < NPROC; i++) {
    struct proc* p = &procs[i];
    if (p->state == P_SLEEPING && p->chan == chan) {
      p->state = P_RUNNABLE;
      p->chan = 0;
      runq_push(p);
    }
  }
}

static const char* cause_name(uint64_t cause) {
  switch (cause) {
    case 0: return "misaligned fetch";
    case 1: return "fetch access fault";
    case 2: return "illegal instruction";
    case 3: return "breakpoint";
    case 4: return "misaligned load";
    case 5: return "load access fault";
    case 6: return "misaligned store";
    case 7: return "store access fault";
    default: return "exception";
  }
}

void user_trap(struct trapframe* tf) {
  uint64_t cause = read_csr(scause), tval = read_csr(stval);
  struct proc* p = cur;
  if (cause & CAUSE_INTR) {
    uint64_t code = cause & 0xff;
    if (code == 9) {
      dispatch_irqs();
    } else if (code == 5) {
      STAT(ST_TIMER_IRQ)++;
      timer_disarm();
      yield(); /* round robin: to the back of the queue; the scheduler re-arms the slice */
    } else {
      kprintf("[kernel] unexpected interrupt %lu\n", code);
    }
  } else if (cause == CAUSE_ECALL_U) {
    tf->epc += 4;
    syscall(tf);
  } else if (cause == CAUSE_FETCH_PF || cause == CAUSE_LOAD_PF || cause == CAUSE_STORE_PF) {
    STAT(ST_PAGE_FAULTS)++;
    int acc = cause == CAUSE_FETCH_PF ? ACC_FETCH : cause == CAUSE_LOAD_PF ? ACC_LOAD : ACC_STORE;
    const char* why = 0;
    if (vm_fault(p, tval, acc, 0, &why) < 0) {
      STAT(ST_BAD_FAULTS)++;
      static char buf[48];
      const char* kind = acc == ACC_FETCH ? "fetch" : acc == ACC_LOAD ? "load" : "store";
      /* "killed (<kind> <why> 0x<va>)": short enough for the ps table. */
      char* b = buf;
      const char* parts[2] = {kind, why};
      for (int i = 0; i < 2; i++) {
        for (const char* s = parts[i]; *s && b < buf + 30; s++) *b++ = *s;
        *b++ = ' ';
      }
      *b++ = '0';
      *b++ = 'x';
      int started = 0;
      for (int sh = 60; sh >= 0; sh -= 4) {
        int d = (tval >> sh) & 15;
        if (d || started || sh == 0) {
          *b++ = "0123456789abcdef"[d];
          started = 1;
        }
      }
      *b = 0;
      kprintf("[kernel] pid %d (%s): %s page fault at 0x%lx (%s), pc 0x%lx: killed\n", p->pid, p->name, kind,
              tval, why, tf->epc);
      proc_kill(p, buf);
    }
  } else {
    kprintf("[kernel] pid %d (%s): %s (cause %lu) at pc 0x%lx, tval 0x%lx: killed\n", p->pid, p->name,
            cause_name(cause), cause, tf->epc, tval);
    proc_kill(p, cause_name(cause));
  }
  if (p->killed) proc_exit(-1);
}

/* A trap taken in S-mode is a kernel bug (the kernel runs with interrupts off and never touches user
 * addresses). */
void kernel_trap(void) {
  kpanic("trap in S-mode: scause=%lx sepc=%lx stval=%lx", read_csr(scause), read_csr(sepc), read_csr(stval));
}
