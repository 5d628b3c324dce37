/* S-mode start: paging, devices, the boot block (header + "key=value" arguments), the directory, the
 * processes of run=..., then the round-robin scheduler until every process has finished. */
#include "kernel.h"

/* The trace-marker device, from the boot argument marker= (NULL on QEMU: no marker writes). */
volatile uint64_t* marker_regs;

struct config cfg = {
    .frames = 512, .replacement = REPL_CLOCK, .asids = 1, .timeslice_us = 1000, .seed = 1, .verbose = 0};
struct disk_header disk_hdr;
struct disk_dirent disk_dir[DISK_DIR_ENTRIES];
static char bootargs[DISK_ARGS_SIZE + 1];
static const char* run_value = "hello";

void kpanic(const char* fmt, ...) {
  char msg[160];
  __builtin_va_list ap;
  __builtin_va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  __builtin_va_end(ap);
  rt_printf("[kernel] PANIC: %s\n", msg);
  verdict_fail("kernel panic: %s", msg);
  sbi_call(SBI_SHUTDOWN, KERNEL_EXIT_PANIC);
  for (;;) {
  }
}

void kstrlcpy(char* dst, const char* src, uint64_t n) {
  uint64_t i = 0;
  for (; i + 1 < n && src[i]; i++) dst[i] = src[i];
  if (n) dst[i] = 0;
}

const struct disk_dirent* disk_lookup(const char* name, uint32_t type) {
  for (uint32_t i = 0; i < disk_hdr.dir_entries && i < DISK_DIR_ENTRIES; i++) {
    const struct disk_dirent* d = &disk_dir[i];
    char n[DISK_NAME_LEN + 1];
    memcpy(n, d->name, DISK_NAME_LEN);
    n[DISK_NAME_LEN] = 0;
    if (!strcmp(n, name) && (!type || d->type == type)) return d;
  }
  return 0;
}

/* ---- Arguments ---- */
static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

static char* trim(char* s) {
  while (is_space(*s)) s++;
  char* e = s + strlen(s);
  while (e > s && is_space(e[-1])) *--e = 0;
  return s;
}

static int parse_u64(const char* s, uint64_t* out) {
  uint64_t v = 0;
  if (!*s) return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return -1;
    v = v * 10 + (uint64_t)(*s - '0');
  }
  *out = v;
  return 0;
}

static void parse_args(char* text) {
  for (char* line = text; line && *line;) {
    char* nl = line;
    while (*nl && *nl != '\n') nl++;
    char* next = *nl ? nl + 1 : 0;
    *nl = 0;
    char* l = trim(line);
    line = next;
    if (!*l || *l == '#') continue;
    char* eq = l;
    while (*eq && *eq != '=') eq++;
    if (!*eq) {
      kprintf("[kernel] ignoring boot argument line '%s'\n", l);
      continue;
    }
    *eq = 0;
    char *key = trim(l), *val = trim(eq + 1);
    uint64_t n = 0;
    int bad = 0;
    if (!strcmp(key, "run")) {
      run_value = val;
    } else if (!strcmp(key, "frames")) {
      bad = parse_u64(val, &cfg.frames);
    } else if (!strcmp(key, "replacement")) {
      if (!strcmp(val, "clock"))
        cfg.replacement = REPL_CLOCK;
      else if (!strcmp(val, "fifo"))
        cfg.replacement = REPL_FIFO;
      else if (!strcmp(val, "random"))
        cfg.replacement = REPL_RANDOM;
      else
        bad = 1;
    } else if (!strcmp(key, "asids")) {
      if (!strcmp(val, "on"))
        cfg.asids = 1;
      else if (!strcmp(val, "off"))
        cfg.asids = 0;
      else
        bad = 1;
    } else if (!strcmp(key, "timeslice_us")) {
      bad = parse_u64(val, &cfg.timeslice_us) || !cfg.timeslice_us;
    } else if (!strcmp(key, "seed")) {
      bad = parse_u64(val, &cfg.seed);
    } else if (!strcmp(key, "verbose")) {
      bad = parse_u64(val, &n);
      cfg.verbose = n != 0;
    } else if (!strcmp(key, "marker")) {
      /* Only inside the kernel's MMIO megapage at 0x10000000 (vm.c, kmmio), 8-byte aligned. */
      bad = parse_u64(val, &n) || n < 0x10000000UL || n >= 0x10200000UL - 32 || (n & 7);
      if (!bad) marker_regs = (volatile uint64_t*)n;
    } else if (!strcmp(key, "asid_max")) {
      bad = parse_u64(val, &cfg.asid_max);
    } else {
      kprintf("[kernel] unknown boot argument '%s'\n", key);
    }
    if (bad) kprintf("[kernel] bad value for %s: '%s' (default kept)\n", key, val);
  }
}

/* run=prog args; prog args; ... Every program must be on the disk, or nothing runs. Processes beyond
 * WS_PROCS(frames) wait for admission (procs_admit). */
static void start_processes(char* spec) {
  int started = 0, missing = 0;
  for (int pass = 0; pass < 2 && !missing; pass++) {
    char* copy = kalloc_page();
    if (!copy) kpanic("kernel pool exhausted at boot");
    kstrlcpy(copy, spec, PAGE_SIZE);
    for (char* item = copy; item;) {
      char* semi = item;
      while (*semi && *semi != ';') semi++;
      char* next = *semi ? semi + 1 : 0;
      *semi = 0;
      char* s = trim(item);
      item = next;
      if (!*s) continue;
      char* name = s;
      while (*s && !is_space(*s)) s++;
      if (*s) *s++ = 0;
      char* args = trim(s);
      const struct disk_dirent* de = disk_lookup(name, DISK_FILE_PROGRAM);
      if (pass == 0) {
        if (!de) {
          kprintf("[kernel] run: no program '%s' on the disk\n", name);
          verdict_fail("run: no program '%s' on the disk", name);
          missing++;
        }
        continue;
      }
      if (!proc_spawn(de, args)) {
        kprintf("[kernel] run: cannot start '%s' (process table full)\n", name);
        verdict_fail("run: cannot start '%s' (process table full, %d processes)", name, NPROC);
        continue;
      }
      started++;
    }
    kfree_page(copy);
  }
  if (missing) shutdown();
  if (!started) {
    kprintf("[kernel] nothing to run\n");
    verdict_fail("run: no process started");
  }
  procs_admit();
}

/* ---- Scheduler (runs on the boot stack) ---- */
struct context* sched_context(void);

void scheduler(void) {
  struct proc* last = 0;
  for (;;) {
    struct proc* p = runq_pop();
    if (p) {
      if (p->state != P_RUNNABLE) continue;
      p->state = P_RUNNING;
      cur = p;
      vm_load_satp(p);
      if (p != last) {
        STAT(ST_CS)++;
        mark(MARK_context_switch, (uint64_t)p->pid, p->asid, 0);
      }
      last = p;
      timer_arm();
      swtch(sched_context(), &p->ctx);
      cur = 0;
      continue;
    }
    if (!procs_alive()) break;
    /* Everyone left is asleep. Something must be in flight to wake them. */
    if (!disk_busy()) kpanic("deadlock: %lu processes asleep, no I/O in flight", (uint64_t)procs_alive());
    sleep_on(0); /* WFI, then dispatch the interrupt by hand */
  }
  shutdown();
}

void kernel_main(void) {
  trap_init();
  vm_init();
  virtio_init();
  uint8_t* buf = kalloc_page();
  disk_rw(0, buf, 0);
  memcpy(&disk_hdr, buf, sizeof disk_hdr);
  if (memcmp(disk_hdr.magic, DISK_MAGIC, 8) || disk_hdr.block_size != DISK_BLOCK_SIZE)
    kpanic("disk: no SV39DSK1 boot block");
  memcpy(bootargs, buf + DISK_ARGS_OFFSET, DISK_ARGS_SIZE);
  bootargs[DISK_ARGS_SIZE] = 0;
  disk_rw(disk_hdr.dir_block, buf, 0);
  memcpy(disk_dir, buf, sizeof disk_dir);
  kfree_page(buf);
  parse_args(bootargs);
  /* vm_init ran before the arguments were known: apply asids/asid_max now. */
  vm_init();
  /* The pool must hold one process's working-set minimum, and fit in RAM above the kernel pool. */
  if (cfg.frames < WS_MIN || cfg.frames > MAX_FRAMES) {
    kprintf(
        "[kernel] frames=%lu: expected %u..%lu (a process's working-set minimum .. the RAM above the "
        "kernel pool)\n",
        cfg.frames, WS_MIN, MAX_FRAMES);
    verdict_fail("frames=%lu: expected %u..%lu", cfg.frames, WS_MIN, MAX_FRAMES);
    shutdown();
  }
  frames_init(cfg.frames);
  swap_init();
  static const char* const repl[] = {"clock", "fifo", "random"};
  kprintf(
      "[kernel] sv39sim pager: frames=%lu replacement=%s asids=%s (%lu bits) timeslice=%luus seed=%lu "
      "swap=%u blocks, at most %lu processes at once\n",
      cfg.frames, repl[cfg.replacement], cfg.asids ? "on" : "off", vm_asid_bits(), cfg.timeslice_us, cfg.seed,
      disk_hdr.swap_blocks, (uint64_t)WS_PROCS(cfg.frames));
  start_processes((char*)run_value);
  scheduler();
}
