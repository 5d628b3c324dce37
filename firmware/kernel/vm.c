/* Virtual memory: kernel page pool, page tables, ASIDs, the user frame pool, replacement, swap and the
 * page-fault handler.
 *
 * Frames. The user frame pool (frames=N) is separate from the kernel pool, so swapping happens when user
 * pages exceed N whatever the kernel needs. A frame is FREE, BUSY (being filled, copied or written out:
 * owned by one kernel thread, invisible to replacement) or RESIDENT. A resident frame may be mapped by
 * several processes after fork (copy-on-write), always at the same VA; its reverse map lists them, so
 * eviction can update every PTE and fence each (va, asid). A resident frame mapped by nobody is a swap
 * cache entry (below).
 *
 * Backing. A page's contents are described by its VMA (zero-fill, or bytes of a disk file followed by
 * zeros) until it is dirtied; then only the frame or a swap slot holds them. Eviction drops a clean page
 * (the next touch refills it from the VMA), or, when it is dirty, writes it to a swap slot and leaves
 * PTE = slot | PTE_SWAPPED in every process that mapped it: a page shared copy-on-write shares its slot,
 * reference-counted. A frame read back from a slot keeps the slot as a clean copy (so evicting it again
 * without a write costs no disk write) and is the slot's swap cache entry: the other holders of the slot
 * map that frame instead of reading the disk again, so a shared page comes back shared. When the last
 * process mapping such a frame copies or unmaps it while others still hold the slot, the frame stays
 * resident, unmapped, as a cache entry that replacement can drop without a write. Whether a page is held
 * copy-on-write survives the trip (PTE_COW), so the first write after a fork is a copy-on-write fault
 * whatever happened to the page in between.
 *   frame.dirty     contents differ from what the VMA (or the frame's slot) would give back; OR-ed with
 *                   the D bits of its PTEs at eviction time. A frame with a slot is only ever writable
 *                   while nobody else holds the slot, so a dirty frame's slot is its own.
 *   slot_refs[s]    swap PTEs holding s + 1 if a frame keeps s (slot_frame[s] is that frame, or -1).
 *
 * Working-set minimum (kernel.h, WS_MIN): a process's last WS_MIN resolved faults pin their frames.
 *
 * Faults are counted in exactly one category each: minor (zero-fill, copy-on-write, swap-cache hit, A/D
 * update for harts without hardware A/D, spurious) or major (file read, swap-in); illegal ones are
 * bad_faults and kill the process. A write to a page that is not in memory and held copy-on-write is
 * two faults: the page comes back read-only (major), then the write copies (copy-on-write). page_faults
 * counts the faults the hart delivered; faults the kernel takes on behalf of a system call touching user
 * memory are sys_faults. So
 *     minor_faults + major_faults + bad_faults == page_faults + sys_faults. */
#include "frames.h"

extern char _end[];

/* ------------------------------------------------------------------------------------------------
 * Kernel page pool: a bump pointer over [end of image, KPOOL_END) plus a free list.
 * ---------------------------------------------------------------------------------------------- */
static uint64_t kpool_next;
static void* kfree_list;

static void kpool_start(void) {
  if (!kpool_next) kpool_next = PGUP((uint64_t)_end);
}

void* kalloc_boot(uint64_t bytes) {
  kpool_start();
  uint64_t p = kpool_next;
  kpool_next += PGUP(bytes);
  if (kpool_next > KPOOL_END) kpanic("kernel pool exhausted at boot (%lu bytes)", bytes);
  memset((void*)p, 0, PGUP(bytes));
  return (void*)p;
}

void* kalloc_page(void) {
  kpool_start();
  void* p = kfree_list;
  if (p) {
    kfree_list = *(void**)p;
  } else if (kpool_next < KPOOL_END) {
    p = (void*)kpool_next;
    kpool_next += PAGE_SIZE;
  } else {
    return 0;
  }
  memset(p, 0, PAGE_SIZE);
  return p;
}

void kfree_page(void* p) {
  *(void**)p = kfree_list;
  kfree_list = p;
}

/* ------------------------------------------------------------------------------------------------
 * Kernel mappings: RAM as one global gigapage, the PLIC (2 megapages: priorities/enables, S-context
 * claim) and the UART + virtio slots (1 megapage) as global megapages. Every address space has them.
 * ---------------------------------------------------------------------------------------------- */
#define SATP_SV39 (8UL << 60)
#define KERNEL_LEAF (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G)
static uint64_t *kroot, *kmmio_l1;
static const uint64_t kmmio[] = {0x0c000000UL, 0x0c200000UL, 0x10000000UL};
static uint64_t asid_bits;

static uint64_t satp_of(uint64_t* root, uint64_t asid) {
  return SATP_SV39 | (asid << 44) | ((uint64_t)root >> 12);
}

int va_reserved(uint64_t start, uint64_t end) {
  if (end > USER_VA_END || start > end) return 1;
  if (start < 0x0c400000UL && end > 0x0c000000UL) return 1;
  if (start < 0x10200000UL && end > 0x10000000UL) return 1;
  if (start < 0xc0000000UL && end > 0x80000000UL) return 1;
  return 0;
}

uint64_t vm_asid_bits(void) {
  return asid_bits;
}

static struct proc* loaded; /* whose root is in satp; NULL = kroot */
static uint64_t asid_gen = 1, asid_next = 1, asid_limit;

/* Called twice: before the boot arguments are read (paging for the device work) and after, to apply
 * asids= and asid_max=. */
void vm_init(void) {
  if (kroot) goto config;
  kroot = kalloc_page();
  kmmio_l1 = kalloc_page();
  kroot[2] = PA_PTE(RAM_BASE) | KERNEL_LEAF | PTE_X;
  for (unsigned i = 0; i < sizeof kmmio / sizeof kmmio[0]; i++)
    kmmio_l1[(kmmio[i] >> 21) & 511] = PA_PTE(kmmio[i]) | KERNEL_LEAF;
  kroot[0] = PA_PTE(kmmio_l1) | PTE_V;
  /* ASIDLEN: write all ones to satp.ASID and read back what sticks (privileged spec, satp). */
  write_csr(satp, satp_of(kroot, 0xffff));
  uint64_t a = (read_csr(satp) >> 44) & 0xffff;
  write_csr(satp, satp_of(kroot, 0));
  sfence_all();
  while (a & 1) asid_bits++, a >>= 1;
config:
  asid_limit = asid_bits ? (1UL << asid_bits) - 1 : 0;
  if (cfg.asid_max && cfg.asid_max < asid_limit) asid_limit = cfg.asid_max;
  if (!asid_limit) cfg.asids = 0;
}

/* Fence one page of p: by (va, asid) when p owns a live ASID; without ASIDs only if p's root is
 * loaded (every switch fences everything anyway). */
void tlb_flush_page(struct proc* p, uint64_t va) {
  if (cfg.asids) {
    if (p->asid_gen == asid_gen) sfence_va_asid(va, p->asid);
  } else if (p == loaded) {
    sfence_va_asid(va, 0);
  }
}

static void tlb_flush_proc(struct proc* p) {
  if (cfg.asids) {
    if (p->asid_gen == asid_gen) sfence_asid(p->asid);
  } else if (p == loaded) {
    sfence_all();
  }
}

void vm_load_satp(struct proc* p) {
  if (p == loaded) return;
  if (!p) {
    write_csr(satp, satp_of(kroot, 0));
    if (!cfg.asids) sfence_all();
  } else if (cfg.asids) {
    if (p->asid_gen != asid_gen) {
      if (asid_next > asid_limit) {
        /* Out of ASIDs: start a new generation. Everybody gets a fresh ASID at its next switch; the
         * full fence makes every old tag meaningless. */
        asid_gen++;
        asid_next = 1;
        sfence_all();
        STAT(ST_ASID_ROLL)++;
      }
      p->asid = asid_next++;
      p->asid_gen = asid_gen;
    }
    write_csr(satp, satp_of(p->root, p->asid));
  } else {
    write_csr(satp, satp_of(p->root, 0));
    sfence_all();
  }
  loaded = p;
}

/* The level-0 PTE slot for va, creating tables on the way if alloc. NULL if a table is missing (or
 * cannot be allocated) or a kernel superpage is in the way. */
uint64_t* walk(uint64_t* root, uint64_t va, int alloc) {
  uint64_t* t = root;
  for (int lvl = 2; lvl > 0; lvl--) {
    uint64_t* e = &t[(va >> (12 + 9 * lvl)) & 511];
    if (*e & PTE_V) {
      if (*e & (PTE_R | PTE_W | PTE_X)) return 0;
      t = (uint64_t*)PTE_PA(*e);
    } else {
      if (!alloc) return 0;
      uint64_t* n = kalloc_page();
      if (!n) return 0;
      *e = PA_PTE(n) | PTE_V;
      t = n;
    }
  }
  return &t[(va >> 12) & 511];
}

uint64_t* uvm_create(void) {
  uint64_t* root = kalloc_page();
  if (!root) return 0;
  uint64_t* l1 = kalloc_page();
  if (!l1) {
    kfree_page(root);
    return 0;
  }
  root[2] = kroot[2];
  for (unsigned i = 0; i < sizeof kmmio / sizeof kmmio[0]; i++) {
    unsigned idx = (kmmio[i] >> 21) & 511;
    l1[idx] = kmmio_l1[idx];
  }
  root[0] = PA_PTE(l1) | PTE_V;
  return root;
}

/* ------------------------------------------------------------------------------------------------
 * Page faults
 * ---------------------------------------------------------------------------------------------- */
enum {
  K_ZERO = MARK_FAULT_ZERO,
  K_COW = MARK_FAULT_COW,
  K_AD = MARK_FAULT_AD,
  K_SPURIOUS = MARK_FAULT_SPURIOUS,
  K_SWAPCACHE = MARK_FAULT_SWAPCACHE,
  K_FILE = MARK_FAULT_FILE,
  K_SWAPIN = MARK_FAULT_SWAPIN
};
static const char* const kind_name[] = {"zero-fill",  "copy-on-write", "a/d update", "spurious",
                                        "swap cache", "file read",     "swap-in"};

static void count_fault(struct proc* p, int kind, int from_kernel) {
  struct fault_counts* fc = &p->rec->fc;
  p->fault_kind = kind;
  if (kind >= K_FILE) {
    STAT(ST_MAJOR)++;
    fc->major++;
    if (kind == K_FILE) STAT(ST_FILE_READ)++;
    if (kind == K_SWAPIN) {
      STAT(ST_SWAP_IN)++;
      fc->swap_ins++;
    }
  } else {
    STAT(ST_MINOR)++;
    fc->minor++;
    if (kind == K_ZERO) {
      STAT(ST_ZERO)++;
      fc->zero_fills++;
    }
    if (kind == K_COW) {
      STAT(ST_COW)++;
      fc->cow++;
    }
    if (kind == K_AD) STAT(ST_AD_FAULTS)++;
    if (kind == K_SPURIOUS) STAT(ST_SPURIOUS)++;
    if (kind == K_SWAPCACHE) STAT(ST_SWAP_CACHE)++;
  }
  if (from_kernel) STAT(ST_SYS_FAULTS)++;
}

static int handle_fault(struct proc* p, uint64_t va, int acc, int from_kernel, const char** why);

/* Every fault handled is one fault_begin / fault_end pair of markers (kind: how it was resolved). */
int vm_fault(struct proc* p, uint64_t va, int acc, int from_kernel, const char** why) {
  mark(MARK_fault_begin, (uint64_t)p->pid, va, (uint64_t)acc);
  int r = handle_fault(p, va, acc, from_kernel, why);
  mark(MARK_fault_end, (uint64_t)p->pid, va, r < 0 ? MARK_FAULT_BAD : (uint64_t)p->fault_kind);
  return r;
}

static int handle_fault(struct proc* p, uint64_t va, int acc, int from_kernel, const char** why) {
  uint64_t page = PGDOWN(va);
  if (va >= USER_VA_END) {
    *why = "bad address";
    return -1;
  }
  if (va_reserved(page, page + PAGE_SIZE)) {
    *why = "kernel address";
    return -1;
  }
  struct vma* v = vma_find(p, va);
  if (!v) {
    *why = "bad address";
    return -1;
  }
  int need = acc == ACC_FETCH ? VMA_X : acc == ACC_LOAD ? VMA_R : VMA_W;
  if (!(v->prot & need)) {
    *why = acc == ACC_STORE ? "read-only" : acc == ACC_FETCH ? "no-exec" : "no-access";
    return -1;
  }
  uint64_t bits = PTE_R | ((v->prot & VMA_W) ? PTE_W : 0) | ((v->prot & VMA_X) ? PTE_X : 0);
  int32_t spare = -1; /* a frame in hand; any sleep getting it means the PTE is looked at again */
  int32_t got = -1;   /* the frame that resolved the fault */
  int kind;
  for (;;) {
    uint64_t* pte = walk(p->root, page, 1);
    if (!pte) {
      if (spare >= 0) frame_free(spare);
      *why = "out of kernel memory";
      return -1;
    }
    uint64_t e = *pte;
    if (e & PTE_V) {
      int32_t f = got = pa_frame(PTE_PA(e));
      struct frame* fr = &frames[f];
      if (acc == ACC_STORE && !(e & PTE_W)) {
        /* Copy-on-write (the VMA is writable, the PTE not: held copy-on-write since a fork). */
        kind = K_COW;
        if (fr->nmaps == 1 && (fr->slot < 0 || slot_refs[fr->slot] == 1)) {
          /* Nobody else sees this page any more (the others copied, exited or were never there): take
           * it. Its slot copy is about to be stale. */
          frame_drop_slot(fr);
          fr->dirty = 1;
          *pte = e | PTE_W | PTE_A | PTE_D;
          tlb_flush_page(p, page);
          break;
        }
        if (spare < 0) {
          spare = frame_alloc(p);
          continue;
        }
        memcpy((void*)frame_pa(spare), (void*)PTE_PA(e), PAGE_SIZE);
        frame_unmap(f, p);
        frames[spare].dirty = 1;
        frame_install(p, spare, page, pte, bits | PTE_D);
        got = spare;
        spare = -1;
        break;
      }
      /* Present and permitted: the hart wants A (or D) set by software, or the TLB was stale. */
      if (!(e & PTE_A) || (acc == ACC_STORE && !(e & PTE_D))) {
        kind = K_AD;
        *pte = e | PTE_A | (acc == ACC_STORE ? PTE_D : 0);
      } else {
        kind = K_SPURIOUS;
      }
      tlb_flush_page(p, page);
      break;
    }
    /* Only p changes its own non-present PTEs, so e still holds after the sleeps below. */
    if (e & PTE_COW) bits &= ~PTE_W;
    if (e & PTE_SWAPPED) {
      uint32_t slot = PTE_SLOT(e);
      int32_t c = slot_frame[slot];
      if (c >= 0 && frames[c].state != F_RESIDENT) {
        sleep_on(&frame_wait); /* another holder is reading the slot in: use its frame */
        continue;
      }
      if (c >= 0) {
        /* Swap cache hit: the page is shared again, no disk read. */
        kind = K_SWAPCACHE;
        struct frame* fr = &frames[c];
        if (fr->nmaps || slot_refs[slot] > 2) bits &= ~PTE_W; /* others hold it: never writable */
        rmap_add(fr, p);
        *pte = PA_PTE(frame_pa(c)) | bits | PTE_V | PTE_U | PTE_A |
               (acc == ACC_STORE && (bits & PTE_W) ? PTE_D : 0);
        tlb_flush_page(p, page);
        if (bits & PTE_X) __asm__ volatile("fence.i" ::: "memory");
        slot_put(slot); /* our PTE's reference; the frame keeps its own */
        got = c;
        break;
      }
    }
    if (spare < 0) {
      spare = frame_alloc(p);
      continue;
    }
    uint8_t* buf = (uint8_t*)frame_pa(spare);
    if (e & PTE_SWAPPED) {
      uint32_t slot = PTE_SLOT(e);
      kind = K_SWAPIN;
      /* Our PTE's reference becomes the frame's: the frame is the slot's clean copy and cache entry
       * (BUSY until installed: other holders wait for it). */
      frames[spare].slot = (int32_t)slot;
      frames[spare].dirty = 0;
      slot_frame[slot] = spare;
      mark(MARK_swap_submit, slot, 0, 0);
      disk_rw(slot_block(slot), buf, 0);
      mark(MARK_swap_complete, slot, 0, 0);
      if (slot_refs[slot] > 1) bits &= ~PTE_W; /* shared with fork relatives */
    } else {
      uint64_t off = page - v->start;
      frames[spare].dirty = 0;
      if (v->kind == VMA_FILE && off < v->file_bytes) {
        kind = K_FILE;
        disk_rw(v->file_block + off / PAGE_SIZE, buf, 0);
        if (v->file_bytes - off < PAGE_SIZE)
          memset(buf + (v->file_bytes - off), 0, PAGE_SIZE - (v->file_bytes - off));
      } else {
        kind = K_ZERO;
        memset(buf, 0, PAGE_SIZE);
      }
    }
    /* A store gets D only if the page is writable; else it faults again as copy-on-write. */
    frame_install(p, spare, page, pte, bits | (acc == ACC_STORE && (bits & PTE_W) ? PTE_D : 0));
    got = spare;
    spare = -1;
    break;
  }
  if (spare >= 0) frame_free(spare); /* the sleep for it resolved the fault some other way */
  pin(p, got);
  count_fault(p, kind, from_kernel);
  if (cfg.verbose)
    kprintf("[pf] pid %d %s 0x%lx: %s%s\n", p->pid,
            acc == ACC_FETCH  ? "fetch"
            : acc == ACC_LOAD ? "load"
                              : "store",
            va, kind_name[kind], from_kernel ? " (syscall)" : "");
  return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Address spaces: fork, unmap, free
 * ---------------------------------------------------------------------------------------------- */
/* Release what one user PTE holds. */
static void pte_release(struct proc* p, uint64_t e) {
  if (e & PTE_V)
    frame_unmap(pa_frame(PTE_PA(e)), p);
  else if (e & PTE_SWAPPED)
    slot_put(PTE_SLOT(e));
}

void uvm_unmap(struct proc* p, uint64_t start, uint64_t end) {
  for (uint64_t va = start; va < end;) {
    uint64_t* pte = walk(p->root, va, 0);
    if (!pte) { /* no level-0 table: skip to the next 2 MiB */
      va = ((va >> 21) + 1) << 21;
      continue;
    }
    if (*pte) {
      uint64_t e = *pte;
      *pte = 0;
      tlb_flush_page(p, va);
      pte_release(p, e);
    }
    va += PAGE_SIZE;
  }
}

/* Visit every user level-0 table of root (kernel superpages are leaves and are skipped). */
static void for_each_l0(uint64_t* root, void (*fn)(uint64_t* l0, uint64_t va, void* arg), void* arg,
                        int free_tables) {
  for (unsigned i = 0; i < 256; i++) {
    uint64_t e2 = root[i];
    if (!(e2 & PTE_V) || (e2 & (PTE_R | PTE_W | PTE_X))) continue;
    uint64_t* l1 = (uint64_t*)PTE_PA(e2);
    for (unsigned j = 0; j < 512; j++) {
      uint64_t e1 = l1[j];
      if (!(e1 & PTE_V) || (e1 & (PTE_R | PTE_W | PTE_X))) continue;
      uint64_t* l0 = (uint64_t*)PTE_PA(e1);
      fn(l0, ((uint64_t)i << 30) | ((uint64_t)j << 21), arg);
      if (free_tables) kfree_page(l0);
    }
    if (free_tables) kfree_page(l1);
  }
  if (free_tables) kfree_page(root);
}

static void free_l0(uint64_t* l0, uint64_t va, void* arg) {
  (void)va;
  for (unsigned k = 0; k < 512; k++)
    if (l0[k]) pte_release((struct proc*)arg, l0[k]);
}

void uvm_free(struct proc* p) {
  if (!p->root) return;
  if (loaded == p) vm_load_satp(0);
  for_each_l0(p->root, free_l0, p, 1);
  p->root = 0;
  /* The tables are free pages now. A VA-scoped fence need not drop cached pointers to them (page-walk
   * caches), so fence p's whole address space: rs1 = x0. The ASID itself is not handed out again before
   * a generation change, which fences everything. Without ASIDs, leaving p's root already fenced all. */
  if (cfg.asids && p->asid_gen == asid_gen) sfence_asid(p->asid);
}

struct fork_arg {
  struct proc *parent, *child;
  int failed;
};

static void fork_l0(uint64_t* l0, uint64_t va0, void* arg) {
  struct fork_arg* a = arg;
  for (unsigned k = 0; k < 512 && !a->failed; k++) {
    uint64_t e = l0[k];
    if (!e) continue;
    uint64_t va = va0 | ((uint64_t)k << 12);
    uint64_t* cpte = walk(a->child->root, va, 1);
    if (!cpte) {
      a->failed = 1;
      return;
    }
    if (e & PTE_V) {
      struct frame* fr = &frames[pa_frame(PTE_PA(e))];
      if (e & PTE_W) { /* writable: both sides read-only now, the first store copies */
        if (e & PTE_D) fr->dirty = 1;
        e &= ~(PTE_W | PTE_D);
        l0[k] = e;
      }
      rmap_add(fr, a->child);
    } else if (e & PTE_SWAPPED) {
      /* Out in swap: both sides now hold the slot copy-on-write. */
      slot_get(PTE_SLOT(e));
      e |= PTE_COW;
      l0[k] = e;
    }
    *cpte = e;
  }
}

int uvm_fork(struct proc* parent, struct proc* child) {
  struct fork_arg a = {parent, child, 0};
  for_each_l0(parent->root, fork_l0, &a, 0);
  tlb_flush_proc(parent); /* its writable pages just became read-only */
  return a.failed ? -1 : 0;
}

/* ------------------------------------------------------------------------------------------------
 * User memory from the kernel: through the direct map only, faulting pages in by hand.
 * ---------------------------------------------------------------------------------------------- */
static uint8_t* user_pa(struct proc* p, uint64_t va, int write) {
  for (;;) {
    if (va >= USER_VA_END || va_reserved(PGDOWN(va), PGDOWN(va) + PAGE_SIZE)) return 0;
    uint64_t* pte = walk(p->root, PGDOWN(va), 0);
    if (pte && (*pte & PTE_V) && (!write || (*pte & PTE_W))) {
      struct vma* v = vma_find(p, va);
      if (!v || !(v->prot & (write ? VMA_W : VMA_R))) return 0;
      *pte |= PTE_A;                                       /* referenced, for the clock */
      if (write) frames[pa_frame(PTE_PA(*pte))].dirty = 1; /* the hart will not see this store's D */
      return (uint8_t*)(PTE_PA(*pte) + (va & (PAGE_SIZE - 1)));
    }
    const char* why;
    if (vm_fault(p, va, write ? ACC_STORE : ACC_LOAD, 1, &why) < 0) return 0;
  }
}

static uint64_t chunk(uint64_t va, uint64_t len) {
  uint64_t room = PAGE_SIZE - (va & (PAGE_SIZE - 1));
  return len < room ? len : room;
}

int copyin(struct proc* p, void* dst, uint64_t src, uint64_t len) {
  while (len) {
    uint64_t n = chunk(src, len);
    uint8_t* s = user_pa(p, src, 0);
    if (!s) return -1;
    memcpy(dst, s, n);
    dst = (uint8_t*)dst + n;
    src += n;
    len -= n;
  }
  return 0;
}

int copyout(struct proc* p, uint64_t dst, const void* src, uint64_t len) {
  while (len) {
    uint64_t n = chunk(dst, len);
    uint8_t* d = user_pa(p, dst, 1);
    if (!d) return -1;
    memcpy(d, src, n);
    src = (const uint8_t*)src + n;
    dst += n;
    len -= n;
  }
  return 0;
}

int copyinstr(struct proc* p, char* dst, uint64_t src, uint64_t max) {
  for (uint64_t i = 0; i < max; i++) {
    const uint8_t* s = user_pa(p, src + i, 0);
    if (!s) return -1;
    dst[i] = (char)*s;
    if (!*s) return 0;
  }
  return -1;
}

int user_write_console(struct proc* p, uint64_t src, uint64_t len) {
  while (len) {
    uint64_t n = chunk(src, len);
    const uint8_t* s = user_pa(p, src, 0);
    if (!s) return -1;
    for (uint64_t i = 0; i < n; i++) rt_putc((char)s[i]);
    src += n;
    len -= n;
  }
  return 0;
}
