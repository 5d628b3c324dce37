/* Processes: creation from the disk directory, lazy ELF loading, fork/exit/wait, VMAs and the system
 * calls of abi.h.
 *
 * Every process has a kernel thread (its own kernel stack, xv6 style): a page fault or system call that
 * needs the disk sleeps in that thread while the scheduler runs others. A new process's thread first
 * reads the ELF headers (so even that I/O overlaps other processes), records the PT_LOAD segments as
 * file-backed VMAs and enters U-mode with nothing mapped: every page arrives by a fault. */
#include "kernel.h"

struct proc procs[NPROC];
static int next_pid = 1;
static uint8_t* kstacks;

/* ---- ELF64 (just what loading needs) ---- */
struct elf64_ehdr {
  uint8_t ident[16];
  uint16_t type, machine;
  uint32_t version;
  uint64_t entry, phoff, shoff;
  uint32_t flags;
  uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf64_phdr {
  uint32_t type, flags;
  uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define EM_RISCV 243

int procs_active(void) {
  int n = 0;
  for (int i = 0; i < NPROC; i++)
    if (procs[i].state == P_RUNNABLE || procs[i].state == P_RUNNING || procs[i].state == P_SLEEPING) n++;
  return n;
}

int procs_alive(void) {
  int n = procs_active();
  for (int i = 0; i < NPROC; i++)
    if (procs[i].state == P_WAITING) n++;
  return n;
}

/* Load control: only WS_PROCS(frames) processes hold frames at once, so that every one of them keeps
 * its working-set minimum and makes progress. The others of run= start, in order, as room appears. */
void procs_admit(void) {
  int room = (int)WS_PROCS(cfg.frames) - procs_active();
  while (room > 0) {
    struct proc* next = 0;
    for (int i = 0; i < NPROC; i++)
      if (procs[i].state == P_WAITING && (!next || procs[i].pid < next->pid)) next = &procs[i];
    if (!next) return;
    next->state = P_RUNNABLE;
    runq_push(next);
    room--;
  }
}

/* ---- VMAs ---- */
struct vma* vma_find(struct proc* p, uint64_t va) {
  for (int i = 0; i < MAX_VMAS; i++) {
    struct vma* v = &p->vmas[i];
    if (v->used && va >= v->start && va < v->end) return v;
  }
  return 0;
}

static int vma_overlaps(struct proc* p, uint64_t start, uint64_t end, struct vma* except) {
  for (int i = 0; i < MAX_VMAS; i++) {
    struct vma* v = &p->vmas[i];
    if (v->used && v != except && start < v->end && end > v->start) return 1;
  }
  return 0;
}

static int vma_add(struct proc* p, uint64_t start, uint64_t end, int prot, int kind, uint32_t block,
                   uint64_t bytes) {
  for (int i = 0; i < MAX_VMAS; i++) {
    struct vma* v = &p->vmas[i];
    if (!v->used) {
      *v = (struct vma){start, end, 1, (uint8_t)prot, (uint8_t)kind, block, bytes};
      return i;
    }
  }
  return -1;
}

/* Drop the first `shift` bytes (page multiple) of a VMA's file window. */
static void vma_advance(struct vma* v, uint64_t shift) {
  v->file_block += (uint32_t)(shift / PAGE_SIZE);
  v->file_bytes = v->file_bytes > shift ? v->file_bytes - shift : 0;
}

/* ---- Creation ---- */
static void proc_first_run(void);

static struct proc* proc_alloc(const char* name) {
  if (!kstacks) kstacks = kalloc_boot(NPROC * KSTACK_SIZE);
  for (int i = 0; i < NPROC; i++) {
    struct proc* p = &procs[i];
    if (p->state != P_UNUSED) continue;
    uint64_t* root = uvm_create();
    if (!root) return 0;
    memset(p, 0, sizeof *p);
    p->root = root;
    p->pid = next_pid++;
    kstrlcpy(p->name, name, NAME_MAX);
    p->kstack = kstacks + (uint64_t)i * KSTACK_SIZE;
    p->tf = (struct trapframe*)(p->kstack + KSTACK_SIZE - sizeof(struct trapframe));
    memset(p->tf, 0, sizeof *p->tf);
    p->ctx.ra = (uint64_t)proc_first_run;
    p->ctx.sp = (uint64_t)p->tf;
    p->heap = -1;
    p->mmap_next = USER_MMAP_BASE;
    return p;
  }
  return 0;
}

struct proc* proc_spawn(const struct disk_dirent* exe, const char* args) {
  struct proc* p = proc_alloc(exe->name);
  if (!p) return 0;
  p->exe = exe;
  kstrlcpy(p->args, args, ARGS_MAX);
  p->rec = record_new(p->pid, p->name);
  STAT(ST_PROCS)++;
  mark(MARK_process_create, (uint64_t)p->pid, 0, 0);
  p->state = P_WAITING; /* run= spawns every process before procs_admit starts the first ones */
  if (procs_alive() > (int)WS_PROCS(cfg.frames)) STAT(ST_ADMIT_WAITS)++;
  return p;
}

/* Read the ELF headers (first block of the file) and describe the image as VMAs. */
static const char* exec_load(struct proc* p) {
  const struct disk_dirent* de = p->exe;
  uint8_t* buf = kalloc_page();
  if (!buf) return "out of kernel memory";
  disk_rw(de->start_block, buf, 0);
  const char* err = 0;
  struct elf64_ehdr* eh = (struct elf64_ehdr*)buf;
  uint64_t top = 0;
  if (memcmp(eh->ident, "\177ELF", 4) || eh->ident[4] != 2 || eh->machine != EM_RISCV || eh->type != 2) {
    err = "not a RISC-V ELF64 executable";
  } else if (eh->phoff + (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > PAGE_SIZE ||
             eh->phentsize != sizeof(struct elf64_phdr)) {
    err = "program headers beyond the first block";
  }
  for (int i = 0; !err && i < eh->phnum; i++) {
    struct elf64_phdr* ph = (struct elf64_phdr*)(buf + eh->phoff + i * sizeof *ph);
    if (ph->type != PT_LOAD || ph->memsz == 0) continue;
    uint64_t start = PGDOWN(ph->vaddr), end = PGUP(ph->vaddr + ph->memsz);
    uint64_t lead = ph->vaddr - start;
    if (ph->offset % PAGE_SIZE != ph->vaddr % PAGE_SIZE || ph->filesz > ph->memsz ||
        ph->offset + ph->filesz > de->size) {
      err = "bad segment";
    } else if (start == 0 || va_reserved(start, end) || end > USER_MMAP_BASE) {
      err = "segment outside user space";
    } else if (vma_overlaps(p, start, end, 0)) {
      err = "segments share a page";
    } else {
      int prot = ((ph->flags & PF_R) ? VMA_R : 0) | ((ph->flags & PF_W) ? VMA_W | VMA_R : 0) |
                 ((ph->flags & PF_X) ? VMA_X : 0);
      if (vma_add(p, start, end, prot, VMA_FILE,
                  de->start_block + (uint32_t)((ph->offset - lead) / PAGE_SIZE), ph->filesz + lead) < 0)
        err = "too many segments";
      if (end > top) top = end;
    }
  }
  if (!err && !top) err = "no loadable segment";
  if (!err) {
    p->heap = vma_add(p, top, top, VMA_R | VMA_W, VMA_ANON, 0, 0);
    p->brk = top;
    if (vma_add(p, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP, VMA_R | VMA_W, VMA_ANON, 0, 0) < 0 ||
        p->heap < 0)
      err = "too many segments";
    p->tf->epc = eh->entry;
    p->tf->regs[TF_SP] = USER_STACK_TOP;
  }
  kfree_page(buf);
  return err;
}

/* Where every new kernel thread starts (ctx.ra); sp is just below the trapframe. */
static void proc_first_run(void) {
  struct proc* p = cur;
  if (p->exe) {
    const char* err = exec_load(p);
    p->exe = 0;
    if (err) {
      kprintf("[kernel] pid %d (%s): cannot load: %s\n", p->pid, p->name, err);
      proc_kill(p, err);
      proc_exit(-1);
    }
  }
  user_ret(p->tf);
}

/* ---- Exit, kill, wait ---- */
void proc_kill(struct proc* p, const char* why) {
  if (p->killed) return;
  p->killed = 1;
  kstrlcpy(p->rec->why, why, sizeof p->rec->why);
  STAT(ST_KILLED)++;
  mark(MARK_process_kill, (uint64_t)p->pid, 0, 0);
}

void proc_exit(int status) {
  struct proc* p = cur;
  mark(MARK_process_exit, (uint64_t)p->pid, (uint64_t)(int64_t)status, 0);
  uvm_free(p);
  p->rec->exited = p->killed ? 2 : 1;
  p->rec->code = status;
  p->rec->expected = p->killed && p->expect_kill;
  p->exit_status = status;
  if (p->killed && !p->expect_kill)
    verdict_fail("pid %d (%s) killed (%s)", p->pid, p->name, p->rec->why);
  else if (!p->killed && status != 0)
    verdict_fail("pid %d (%s) exited %d", p->pid, p->name, status);
  for (int i = 0; i < NPROC; i++) {
    struct proc* c = &procs[i];
    if (c->parent != p || c->state == P_UNUSED) continue;
    c->parent = 0; /* orphans reap themselves */
    if (c->state == P_ZOMBIE) c->state = P_UNUSED;
  }
  if (p->parent) {
    p->state = P_ZOMBIE;
    wakeup(p->parent);
  } else {
    /* Nobody will wait: the slot is free once we are off this stack, and nothing can take it before the
     * switch (one hart, no preemption in the kernel). */
    p->state = P_UNUSED;
  }
  procs_admit(); /* our frames are free: room for a waiting process */
  sched();
  kpanic("exited process %d ran again", p->pid);
}

static int64_t sys_wait(struct proc* p, uint64_t ustatus) {
  for (;;) {
    int have = 0;
    for (int i = 0; i < NPROC; i++) {
      struct proc* c = &procs[i];
      if (c->parent != p || c->state == P_UNUSED) continue;
      have = 1;
      if (c->state == P_ZOMBIE) {
        int pid = c->pid, st = c->exit_status;
        c->state = P_UNUSED;
        c->parent = 0;
        if (ustatus && copyout(p, ustatus, &st, sizeof st) < 0) return -1;
        return pid;
      }
    }
    if (!have) return -1;
    sleep_on(p);
  }
}

static int64_t sys_fork(struct proc* p) {
  if (procs_active() >= (int)WS_PROCS(cfg.frames)) {
    /* No room for another working-set minimum: fail like an out-of-memory fork. */
    STAT(ST_FORK_REFUSED)++;
    kprintf("[kernel] pid %d (%s): fork refused: frames=%lu hold at most %lu processes at once\n", p->pid,
            p->name, cfg.frames, (uint64_t)WS_PROCS(cfg.frames));
    return -1;
  }
  struct proc* c = proc_alloc(p->name);
  if (!c) return -1;
  memcpy(c->vmas, p->vmas, sizeof c->vmas);
  memcpy(c->args, p->args, sizeof c->args);
  c->heap = p->heap;
  c->brk = p->brk;
  c->mmap_next = p->mmap_next;
  c->parent = p;
  if (uvm_fork(p, c) < 0) {
    uvm_free(c);
    c->state = P_UNUSED;
    return -1;
  }
  *c->tf = *p->tf;
  c->tf->regs[TF_A0] = 0;
  c->rec = record_new(c->pid, c->name);
  STAT(ST_PROCS)++;
  mark(MARK_process_create, (uint64_t)c->pid, 0, 0);
  c->state = P_RUNNABLE;
  runq_push(c);
  return c->pid;
}

/* ---- Memory system calls ---- */
static int64_t sys_sbrk(struct proc* p, int64_t incr) {
  if (p->heap < 0) return -1;
  struct vma* h = &p->vmas[p->heap];
  uint64_t old = p->brk, nb = old + (uint64_t)incr;
  if (incr > 0) {
    uint64_t nend = PGUP(nb);
    if (nb < old || nend > USER_MMAP_BASE || va_reserved(h->start, nend) ||
        vma_overlaps(p, h->start, nend, h))
      return -1;
    if (nend > h->end) h->end = nend;
  } else if (incr < 0) {
    if (nb < h->start || nb > old) return -1;
    uint64_t nend = PGUP(nb);
    uvm_unmap(p, nend, h->end);
    h->end = nend;
  }
  p->brk = nb;
  return (int64_t)old;
}

static int64_t sys_mmap(struct proc* p, uint64_t hint, uint64_t len, int prot, int flags, uint64_t ufile) {
  if (!len || len > USER_STACK_TOP) return -1;
  len = PGUP(len);
  int vprot = ((prot & (PROT_READ | PROT_WRITE)) ? VMA_R : 0) | ((prot & PROT_WRITE) ? VMA_W : 0);
  int kind = VMA_ANON;
  uint32_t block = 0;
  uint64_t bytes = 0;
  if (flags & MAP_FILE) {
    char name[DISK_NAME_LEN + 1];
    if (prot & PROT_WRITE) return -1; /* file mappings are read-only */
    if (copyinstr(p, name, ufile, sizeof name) < 0) return -1;
    const struct disk_dirent* de = disk_lookup(name, 0);
    if (!de) return -1;
    kind = VMA_FILE;
    block = de->start_block;
    bytes = de->size;
  } else if (!(flags & MAP_ANONYMOUS)) {
    return -1;
  }
  uint64_t limit = USER_STACK_TOP - USER_STACK_SIZE, addr;
  if (hint && !(hint & (PAGE_SIZE - 1)) && hint + len > hint && hint + len <= limit &&
      !va_reserved(hint, hint + len) && !vma_overlaps(p, hint, hint + len, 0)) {
    addr = hint;
  } else {
    addr = p->mmap_next;
    for (int again = 1; again;) { /* step over mappings placed at hints */
      again = 0;
      for (int i = 0; i < MAX_VMAS; i++) {
        struct vma* v = &p->vmas[i];
        if (v->used && addr < v->end && addr + len > v->start) {
          addr = v->end;
          again = 1;
        }
      }
    }
    if (addr + len > limit) return -1;
    p->mmap_next = addr + len;
  }
  if (vma_add(p, addr, addr + len, vprot, kind, block, bytes) < 0) return -1;
  return (int64_t)addr;
}

static int64_t sys_munmap(struct proc* p, uint64_t addr, uint64_t len) {
  if ((addr & (PAGE_SIZE - 1)) || !len || addr + len < addr || addr + len > USER_VA_END) return -1;
  uint64_t end = PGUP(addr + len);
  for (int i = 0; i < MAX_VMAS; i++) {
    struct vma* v = &p->vmas[i];
    if (!v->used || end <= v->start || addr >= v->end) continue;
    if (addr <= v->start && end >= v->end) { /* all of it */
      if (i == p->heap)
        v->end = v->start; /* the heap stays (empty) so sbrk keeps working */
      else
        v->used = 0;
    } else if (addr <= v->start) { /* its head */
      vma_advance(v, end - v->start);
      v->start = end;
    } else if (end >= v->end) { /* its tail */
      v->end = addr;
    } else { /* its middle: split */
      struct vma tail = *v;
      vma_advance(&tail, end - v->start);
      tail.start = end;
      int j = vma_add(p, tail.start, tail.end, tail.prot, tail.kind, tail.file_block, tail.file_bytes);
      if (j < 0) return -1;
      v->end = addr;
    }
  }
  uvm_unmap(p, addr, end);
  return 0;
}

/* ---- Dispatch ---- */
void syscall(struct trapframe* tf) {
  struct proc* p = cur;
  uint64_t* a = &tf->regs[TF_A0];
  int64_t r;
  STAT(ST_SYSCALLS)++;
  mark(MARK_syscall_enter, (uint64_t)p->pid, tf->regs[TF_A7], 0);
  pins_release(p);
  switch (tf->regs[TF_A7]) {
    case SYS_exit: proc_exit((int)a[0]);
    case SYS_write:
      if (a[0] != 1 && a[0] != 2)
        r = -1;
      else
        r = user_write_console(p, a[1], a[2]) < 0 ? -1 : (int64_t)a[2];
      break;
    case SYS_getpid: r = p->pid; break;
    case SYS_yield:
      yield();
      r = 0;
      break;
    case SYS_sbrk: r = sys_sbrk(p, (int64_t)a[0]); break;
    case SYS_mmap: r = sys_mmap(p, a[0], a[1], (int)a[2], (int)a[3], a[4]); break;
    case SYS_munmap: r = sys_munmap(p, a[0], a[1]); break;
    case SYS_fork: r = sys_fork(p); break;
    case SYS_wait: r = sys_wait(p, a[0]); break;
    case SYS_faults: r = copyout(p, a[0], &p->rec->fc, sizeof p->rec->fc) < 0 ? -1 : 0; break;
    case SYS_expect_kill:
      p->expect_kill = 1;
      r = 0;
      break;
    case SYS_getargs: {
      uint64_t n = strlen(p->args);
      if (!a[1]) {
        r = -1;
        break;
      }
      if (n > a[1] - 1) n = a[1] - 1;
      r = copyout(p, a[0], p->args, n) < 0 || copyout(p, a[0] + n, "", 1) < 0 ? -1 : (int64_t)n;
      break;
    }
    default: r = -1; break;
  }
  mark(MARK_syscall_exit, (uint64_t)p->pid, tf->regs[TF_A7], (uint64_t)r);
  tf->regs[TF_A0] = (uint64_t)r;
}
