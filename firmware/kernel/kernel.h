/* The sv39sim pager kernel: shared declarations.
 *
 * Structure (one hart):
 *   mboot.c    M-mode: PMP, delegation, then mret to kernel_main in S-mode. Afterwards M only forwards the
 *              machine timer to S (mip.STIP) and serves three SBI-like ecalls (timer, time, shutdown).
 *   main.c     S-mode start: boot block, arguments, directory, processes; the scheduler loop.
 *   trap.c     user traps (syscalls, page faults, interrupts), PLIC, timer, sleep/wakeup.
 *   vm.c       page tables, kernel page pool, ASIDs, the page-fault handler, fork and unmap.
 *   frames.c   user frame pool, reverse maps, working-set pins, reclaim (clock/fifo/random), swap slots.
 *   proc.c     processes, ELF loading, fork/exit/wait, system calls.
 *   virtio.c   virtio-mmio v2 block driver (split virtqueue, one request in flight, interrupt driven).
 *   report.c   pager_stats table, ps-like and vmstat-like report, the verdict that ends the run.
 *
 * The kernel runs with sstatus.SIE = 0 at all times: interrupts are taken only while a process runs in
 * U-mode, or dispatched by the scheduler's idle loop after WFI. So kernel code is never interrupted and
 * sleep/wakeup needs no locks. Physical memory is identity-mapped (a global 1 GiB superpage for RAM, 2 MiB
 * superpages for the PLIC, UART and virtio), in every address space; the kernel touches user memory only
 * through that direct map, never through user virtual addresses, so it never takes a page fault itself. */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdint.h>

#include "abi.h"
#include "runtime.h"

/* ---- Physical layout (128 MiB of RAM, QEMU's default and sv39sim's) ---- */
#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define PGDOWN(a) ((uint64_t)(a) & ~(PAGE_SIZE - 1))
#define PGUP(a) (((uint64_t)(a) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define RAM_END 0x88000000UL
/* Kernel page pool (page tables, kernel stacks, metadata) from the end of the image up to here; the
 * user frame pool above it. frames=N takes the first N frames. */
#define KPOOL_END 0x82000000UL
#define UFRAMES_BASE KPOOL_END
#define MAX_FRAMES ((RAM_END - UFRAMES_BASE) / PAGE_SIZE)

/* ---- User virtual layout (lower half of Sv39). Programs link where they like (0x10000 is usual)
 * outside the kernel's superpages: PLIC 0x0c000000-0x0c3fffff, UART/virtio 0x10000000-0x101fffff,
 * RAM 0x80000000-0xbfffffff. ---- */
#define USER_VA_END 0x4000000000UL
#define USER_MMAP_BASE 0x2000000000UL
#define USER_STACK_TOP 0x3ffffff000UL /* one unmapped guard page above */
#define USER_STACK_SIZE (8UL << 20)

/* ---- PTE ---- */
#include "pte.h"
/* Non-present user PTEs (V = 0) are the kernel's own: 0 = fill from the VMA when touched;
 * PTE_SWAPPED = the page is in the swap slot held in the PPN field (the PTE holds one reference to it);
 * PTE_COW = the page was held copy-on-write when it left memory: map it read-only when it comes back, so
 * that the first write is still a copy-on-write fault. */
#define PTE_SWAPPED (1UL << 1)
#define PTE_COW (1UL << 8)
#define PTE_SLOT(pte) ((uint32_t)((pte) >> 10))
#define PTE_PA(pte) ((((pte) >> 10) & ((1UL << 44) - 1)) << 12)
#define PA_PTE(pa) (((uint64_t)(pa) >> 12) << 10)

/* ---- CSRs / causes ---- */
#define SSTATUS_SIE (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define SIP_STIP (1UL << 5)
#define SIP_SEIP (1UL << 9)
#define SIE_STIE (1UL << 5)
#define SIE_SEIE (1UL << 9)
#define CAUSE_INTR (1UL << 63)
#define CAUSE_ILLEGAL 2
#define CAUSE_ECALL_U 8
#define CAUSE_FETCH_PF 12
#define CAUSE_LOAD_PF 13
#define CAUSE_STORE_PF 15

/* SBI-like calls into the M-mode boot code (ecall from S, a7 = function). */
#define SBI_SET_TIMER_REL 0 /* a0 = ticks from now; ~0 = disarm. Clears a pending STIP. */
#define SBI_GET_TIME 1      /* -> a0 = mtime */
#define SBI_SHUTDOWN 2      /* a0 = exit code: rt_exit in M-mode (tohost + test finisher) */
uint64_t sbi_call(uint64_t fn, uint64_t a0);

/* ---- Traps and contexts (entry.S) ---- */
struct trapframe {
  uint64_t regs[32]; /* x1..x31 at their index; regs[0] unused */
  uint64_t epc;
  uint64_t pad;
};
#define TF_A0 10
#define TF_A7 17
#define TF_SP 2
struct context { /* callee-saved state for swtch */
  uint64_t ra, sp, s[12];
};
void swtch(struct context* from, struct context* to);
void user_ret(struct trapframe* tf) __attribute__((noreturn));
extern char s_trap_vector[];

/* ---- Processes ---- */
#define NPROC 64
#define MAX_VMAS 24
#define ARGS_MAX 256
#define NAME_MAX 32
#define KSTACK_SIZE (16 * 1024UL)
#define MAX_RECORDS 256

/* P_WAITING: created by run= but not admitted yet (see WS_MIN). */
enum { P_UNUSED, P_WAITING, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_ZOMBIE };

/* Working-set minimum. The frames a process resolved its last WS_MIN faults on stay pinned (replacement
 * skips them) until it resolves newer ones or makes a system call: one instruction touches at most 4
 * pages (a fetch and a load/store, each possibly crossing a page), so a process whose pages are stolen
 * while it waits for the disk still completes the instruction after at most 4 faults. Without this,
 * more processes than frames/2 livelock: each one's page is gone before it runs again. At most
 * WS_PROCS(frames) processes hold frames at once: the others of run= wait for admission and fork
 * fails, so that the pins and the frames in flight (one per process) always leave a frame to reclaim. */
#define WS_MIN 4
#define WS_PROCS(frames) (((frames) + 1) / (WS_MIN + 1))

#define VMA_R 1
#define VMA_W 2
#define VMA_X 4
enum { VMA_ANON, VMA_FILE };
struct vma {
  uint64_t start, end; /* page aligned; end exclusive (may equal start: an empty heap) */
  uint8_t used;
  uint8_t prot;        /* VMA_R | VMA_W | VMA_X */
  uint8_t kind;        /* VMA_FILE: bytes [0, file_bytes) of the region come from the disk */
  uint32_t file_block; /* disk block holding region offset 0 (region starts block aligned) */
  uint64_t file_bytes; /* region bytes backed by the file; the rest reads as zeros */
};

/* One line of the final ps table; kept after the process slot is reused. */
struct record {
  int pid;
  char name[NAME_MAX];
  struct fault_counts fc;
  int exited; /* 0 running, 1 exit, 2 killed */
  int code;
  int expected; /* killed after SYS_expect_kill */
  char why[48]; /* kill reason */
};

struct proc {
  int state;
  int pid;
  char name[NAME_MAX];
  char args[ARGS_MAX];
  struct proc* parent;
  struct proc* next_run; /* run queue link */
  void* chan;            /* what a sleeping process waits for */
  int fault_kind;        /* how its fault being handled was resolved (the fault_end marker) */
  uint64_t* root;        /* Sv39 root page table (physical = kernel virtual) */
  uint64_t asid, asid_gen;
  struct context ctx;
  uint8_t* kstack;
  struct trapframe* tf; /* at the top of kstack */
  struct vma vmas[MAX_VMAS];
  int heap; /* index of the heap vma */
  uint64_t brk, mmap_next;
  const struct disk_dirent* exe; /* program to load at first run (NULL for a forked child) */
  struct record* rec;
  int exit_status;
  int killed;           /* set: the process dies at the next return to user */
  int expect_kill;      /* SYS_expect_kill: a kill is the expected end */
  int32_t pins[WS_MIN]; /* frame + 1 of the last WS_MIN resolved faults, oldest first; 0 = none */
};

extern struct proc procs[NPROC];
extern struct proc* cur; /* the process whose kernel thread runs, NULL in the scheduler */

/* ---- Boot configuration (boot block "key=value" lines) ---- */
enum { REPL_CLOCK, REPL_FIFO, REPL_RANDOM };
struct config {
  uint64_t frames;
  int replacement;
  int asids;
  uint64_t timeslice_us;
  uint64_t seed;
  int verbose;
  uint64_t asid_max; /* extra knob (0 = what the hart implements): forces ASID recycling in tests */
};
extern struct config cfg;

/* The trace-marker device (abi.h, "Trace markers"), NULL unless the boot arguments name it: a few stores,
 * the arguments first. */
extern volatile uint64_t* marker_regs;
static inline void mark(unsigned code, uint64_t a0, uint64_t a1, uint64_t a2) {
  volatile uint64_t* m = marker_regs;
  if (!m) return;
  m[MARKER_ARG0 / 8] = a0;
  m[MARKER_ARG1 / 8] = a1;
  m[MARKER_ARG2 / 8] = a2;
  m[MARKER_CODE / 8] = code;
}
extern struct disk_header disk_hdr;
extern struct disk_dirent disk_dir[DISK_DIR_ENTRIES];
const struct disk_dirent* disk_lookup(const char* name, uint32_t type);

/* ---- Statistics (report.c). The order is the pager_stats table's. ---- */
enum {
  ST_MINOR,
  ST_MAJOR,
  ST_COW,
  ST_ZERO,
  ST_SWAP_IN,
  ST_SWAP_OUT,
  ST_FILE_READ,
  ST_EVICT,
  ST_CS,
  ST_PROCS,
  ST_KILLED,
  ST_DISK_READ,
  ST_DISK_WRITE,
  ST_PAGE_FAULTS,
  /* beyond abi.h's expected list */
  ST_BAD_FAULTS,
  ST_AD_FAULTS,
  ST_SPURIOUS,
  ST_SYS_FAULTS,
  ST_ASID_ROLL,
  ST_TIMER_IRQ,
  ST_DISK_IRQ,
  ST_SYSCALLS,
  ST_ACLEAR,
  ST_SWAP_CACHE,
  ST_ADMIT_WAITS,
  ST_FORK_REFUSED,
  ST_COUNT
};
extern struct pager_stats_table pager_stats;
#define STAT(i) (pager_stats.entries[(i)].value)
struct record* record_new(int pid, const char* name);
void report(void);
/* The run fails: add a reason to the verdict (pager_stats.verdict, printed at the end). */
void verdict_fail(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
int verdict_failed(void);
void shutdown(void) __attribute__((noreturn)); /* report the verdict and end the run */

/* ---- Kernel utilities ---- */
void kpanic(const char* fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define kprintf rt_printf
void* kalloc_page(void); /* zeroed 4 KiB from the kernel pool, NULL when exhausted */
void kfree_page(void* p);
void* kalloc_boot(uint64_t bytes); /* page-granular, at boot only, never freed */
void kstrlcpy(char* dst, const char* src, uint64_t n);

/* ---- trap.c ---- */
void trap_init(void);
void plic_enable(int irq);
void timer_arm(void);
void timer_disarm(void);
void dispatch_irqs(void);  /* claim and handle pending external interrupts */
void sleep_on(void* chan); /* in a process: block; in the scheduler/boot: WFI + dispatch */
void wakeup(void* chan);
void yield(void);
void runq_push(struct proc* p);
struct proc* runq_pop(void);
void sched(void); /* back to the scheduler (cur->state already set) */

/* ---- vm.c ---- */
enum { ACC_FETCH, ACC_LOAD, ACC_STORE };
void vm_init(void); /* kernel root, satp, ASID width */
void frames_init(uint64_t n);
void swap_init(void);
uint64_t* uvm_create(void);        /* a user root with the kernel's global mappings */
void uvm_free(struct proc* p);     /* every user page, swap slot and table (and so every pin) */
void pins_release(struct proc* p); /* p's working-set minimum has done its job (a system call) */
int uvm_fork(struct proc* parent, struct proc* child);
void uvm_unmap(struct proc* p, uint64_t start, uint64_t end);
void vm_load_satp(struct proc* p);             /* NULL: the kernel root */
int va_reserved(uint64_t start, uint64_t end); /* overlaps a kernel superpage or leaves user space */
/* Resolve a user page fault. from_kernel: a syscall touching user memory. 0 = resolved; -1 = illegal,
 * *why says why (the caller kills the process or fails the syscall). */
int vm_fault(struct proc* p, uint64_t va, int access, int from_kernel, const char** why);
int copyin(struct proc* p, void* dst, uint64_t src, uint64_t len);
int copyout(struct proc* p, uint64_t dst, const void* src, uint64_t len);
int copyinstr(struct proc* p, char* dst, uint64_t src, uint64_t max);
int user_write_console(struct proc* p, uint64_t src, uint64_t len);
extern uint64_t frames_total, frames_free_count;
uint64_t vm_asid_bits(void);
uint64_t swap_used(void);

/* ---- proc.c ---- */
struct proc* proc_spawn(const struct disk_dirent* exe, const char* args);
void proc_exit(int status) __attribute__((noreturn));
void proc_kill(struct proc* p, const char* why);
void syscall(struct trapframe* tf);
int procs_alive(void);  /* not finished: waiting, runnable, running or sleeping */
int procs_active(void); /* admitted and not finished */
void procs_admit(void); /* start waiting processes while there is room */
struct vma* vma_find(struct proc* p, uint64_t va);

/* ---- virtio.c ---- */
void virtio_init(void);
void virtio_intr(void);
int virtio_irq(void);
int disk_rw(uint64_t block, void* buf, int write); /* one 4 KiB block; sleeps until done */
int disk_busy(void);

static inline void sfence_all(void) {
  __asm__ volatile("sfence.vma zero, zero" ::: "memory");
}
static inline void sfence_va_asid(uint64_t va, uint64_t asid) {
  __asm__ volatile("sfence.vma %0, %1" ::"r"(va), "r"(asid) : "memory");
}
static inline void sfence_asid(uint64_t asid) {
  __asm__ volatile("sfence.vma zero, %0" ::"r"(asid) : "memory");
}

#endif
