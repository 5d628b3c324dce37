/* The user frame pool with its reverse maps and working-set pins, the swap slots and swap cache, and
 * replacement (clock, FIFO, random). The design (frame states, backing, slot sharing) is described at the
 * top of vm.c. */
#include "frames.h"

/* ------------------------------------------------------------------------------------------------
 * Frames and reverse maps
 * ---------------------------------------------------------------------------------------------- */
struct frame* frames;
uint64_t frames_total, frames_free_count;
static int32_t free_head = -1, res_head = -1, res_tail = -1;
static uint64_t clock_hand, rng_state;
static struct rmap* rmap_free;
int frame_wait; /* channel: a frame settled (became free or resident) */

uint64_t frame_pa(int32_t f) {
  return UFRAMES_BASE + (uint64_t)f * PAGE_SIZE;
}
int32_t pa_frame(uint64_t pa) {
  return (int32_t)((pa - UFRAMES_BASE) >> PAGE_SHIFT);
}

void frames_init(uint64_t n) {
  cfg.frames = frames_total = n;
  frames = kalloc_boot(n * sizeof *frames);
  for (int32_t i = (int32_t)n - 1; i >= 0; i--) {
    frames[i].state = F_FREE;
    frames[i].slot = -1;
    frames[i].next = free_head;
    free_head = i;
  }
  frames_free_count = n;
  rng_state = cfg.seed ? cfg.seed : 1;
}

/* ---- Working-set minimum: p->pins holds frame + 1, oldest first ---- */
static void unpin(struct proc* p, int32_t f) {
  for (int i = 0; i < WS_MIN; i++) {
    if (p->pins[i] != f + 1) continue;
    frames[f].pins--;
    for (; i > 0; i--) p->pins[i] = p->pins[i - 1];
    p->pins[0] = 0;
    return;
  }
}

/* f becomes p's newest pin; the oldest goes if there is no room. */
void pin(struct proc* p, int32_t f) {
  int i = 0;
  while (i < WS_MIN && p->pins[i] != f + 1) i++;
  if (i == WS_MIN) {
    i = 0;
    if (p->pins[0]) frames[p->pins[0] - 1].pins--;
    frames[f].pins++;
  }
  for (; i + 1 < WS_MIN; i++) p->pins[i] = p->pins[i + 1];
  p->pins[WS_MIN - 1] = f + 1;
}

/* Before p takes a frame: its oldest pin goes now rather than at the install, so a pool of
 * WS_MIN frames is enough for one process (WS_PROCS counts on this). */
static void pin_make_room(struct proc* p) {
  if (p->pins[0]) unpin(p, p->pins[0] - 1);
}

/* At a system call the instruction (ecall) has completed: the faults before it served it or earlier ones,
 * so a process sleeping in the kernel (wait, disk) does not keep frames from the others. */
void pins_release(struct proc* p) {
  for (int i = 0; i < WS_MIN; i++)
    if (p->pins[i]) unpin(p, p->pins[i] - 1);
}

static struct rmap* rmap_alloc(void) {
  if (!rmap_free) {
    struct rmap* page = kalloc_page();
    if (!page) kpanic("kernel pool exhausted (reverse maps)");
    for (unsigned i = 0; i < PAGE_SIZE / sizeof *page; i++) {
      page[i].next = rmap_free;
      rmap_free = &page[i];
    }
  }
  struct rmap* r = rmap_free;
  rmap_free = r->next;
  return r;
}

void rmap_add(struct frame* fr, struct proc* p) {
  struct rmap* r = rmap_alloc();
  r->p = p;
  r->next = fr->maps;
  fr->maps = r;
  fr->nmaps++;
}

static void rmap_del(struct frame* fr, struct proc* p) {
  unpin(p, (int32_t)(fr - frames));
  for (struct rmap** pp = &fr->maps; *pp; pp = &(*pp)->next) {
    if ((*pp)->p == p) {
      struct rmap* r = *pp;
      *pp = r->next;
      r->next = rmap_free;
      rmap_free = r;
      fr->nmaps--;
      return;
    }
  }
  kpanic("rmap: frame %ld has no mapping for pid %d", (long)(fr - frames), p->pid);
}

static void res_append(int32_t f) {
  frames[f].next = -1;
  frames[f].prev = res_tail;
  if (res_tail >= 0)
    frames[res_tail].next = f;
  else
    res_head = f;
  res_tail = f;
}

static void res_remove(int32_t f) {
  struct frame* fr = &frames[f];
  if (fr->prev >= 0)
    frames[fr->prev].next = fr->next;
  else
    res_head = fr->next;
  if (fr->next >= 0)
    frames[fr->next].prev = fr->prev;
  else
    res_tail = fr->prev;
  fr->next = fr->prev = -1;
}

/* ------------------------------------------------------------------------------------------------
 * Swap slots (the disk's swap area) and the swap cache
 * ---------------------------------------------------------------------------------------------- */
uint16_t* slot_refs;
int32_t* slot_frame;
static uint32_t slot_hint, slots_used;
void frame_free(int32_t f);

void swap_init(void) {
  if (!disk_hdr.swap_blocks) return;
  slot_refs = kalloc_boot(disk_hdr.swap_blocks * sizeof *slot_refs);
  slot_frame = kalloc_boot(disk_hdr.swap_blocks * sizeof *slot_frame);
  for (uint32_t s = 0; s < disk_hdr.swap_blocks; s++) slot_frame[s] = -1;
}

uint64_t swap_used(void) {
  return slots_used;
}

static int32_t slot_alloc(void) {
  for (uint32_t i = 0; i < disk_hdr.swap_blocks; i++) {
    uint32_t s = (slot_hint + i) % disk_hdr.swap_blocks;
    if (!slot_refs[s]) {
      slot_refs[s] = 1;
      slot_hint = s + 1;
      slots_used++;
      return (int32_t)s;
    }
  }
  kpanic("out of swap (%u blocks)", disk_hdr.swap_blocks);
}

void slot_get(uint32_t s) {
  if (slot_refs[s] == 0xffff) kpanic("swap slot %u: too many references", s);
  slot_refs[s]++;
}

void slot_put(uint32_t s) {
  if (!slot_refs[s]) kpanic("swap slot %u released twice", s);
  if (--slot_refs[s] == 0) slots_used--;
  /* A cache entry that nobody maps and no PTE will ask for any more is just a free frame. */
  int32_t f = slot_frame[s];
  if (slot_refs[s] == 1 && f >= 0 && frames[f].state == F_RESIDENT && !frames[f].nmaps) frame_free(f);
}

/* The frame stops being a copy of its slot (it is about to be written, freed or reused). */
void frame_drop_slot(struct frame* fr) {
  if (fr->slot < 0) return;
  uint32_t s = (uint32_t)fr->slot;
  fr->slot = -1;
  slot_frame[s] = -1;
  slot_put(s);
}

uint64_t slot_block(uint32_t s) {
  return disk_hdr.swap_start + s;
}

/* ------------------------------------------------------------------------------------------------
 * Replacement: choose a resident frame that no working-set minimum holds, take it off the resident
 * list and mark it BUSY.
 * ---------------------------------------------------------------------------------------------- */
static int referenced_and_clear(struct frame* fr) {
  int ref = 0;
  for (struct rmap* m = fr->maps; m; m = m->next) {
    uint64_t* pte = walk(m->p->root, fr->va, 0);
    if (pte && (*pte & PTE_A)) {
      ref = 1;
      *pte &= ~PTE_A;
      /* The hart must see A = 0 again to set it (or fault, without hardware A/D) on the next access. */
      tlb_flush_page(m->p, fr->va);
      STAT(ST_ACLEAR)++;
    }
  }
  return ref;
}

static uint64_t rng_next(void) { return xorshift64(&rng_state); }

static int evictable(int32_t f) {
  return frames[f].state == F_RESIDENT && !frames[f].pins;
}

static int32_t pick_victim(void) {
  int32_t f = -1;
  if (cfg.replacement == REPL_FIFO) {
    for (int32_t c = res_head; c >= 0 && f < 0; c = frames[c].next)
      if (evictable(c)) f = c;
  } else if (cfg.replacement == REPL_RANDOM) {
    uint64_t start = rng_next() % frames_total;
    for (uint64_t i = 0; i < frames_total && f < 0; i++) {
      uint64_t c = (start + i) % frames_total;
      if (evictable((int32_t)c)) f = (int32_t)c;
    }
  } else {
    /* Clock: second chance on the A bits. Two sweeps always find a victim if there is one. */
    for (uint64_t i = 0; i < 2 * frames_total + 1 && f < 0; i++) {
      uint64_t c = clock_hand;
      clock_hand = (clock_hand + 1) % frames_total;
      if (!evictable((int32_t)c)) continue;
      if (!referenced_and_clear(&frames[c])) f = (int32_t)c;
    }
  }
  if (f < 0) return -1;
  res_remove(f);
  frames[f].state = F_BUSY;
  return f;
}

/* Take a victim away from every process mapping it; write it to swap when dirty. Returns the frame,
 * BUSY and empty, for the caller to reuse; -1 if nothing is evictable (every frame busy or pinned). */
static int32_t evict_one(void) {
  int32_t f = pick_victim();
  if (f < 0) return -1;
  struct frame* fr = &frames[f];
  int dirty = fr->dirty;
  for (struct rmap* m = fr->maps; m; m = m->next) {
    uint64_t* pte = walk(m->p->root, fr->va, 0);
    if (!pte || !(*pte & PTE_V)) kpanic("evict: frame %d not mapped at 0x%lx", f, fr->va);
    if (*pte & PTE_D) dirty = 1;
  }
  mark(MARK_victim, fr->maps ? (uint64_t)fr->maps->p->pid : 0, fr->va, (uint64_t)dirty);
  /* From here on a fault on the slot reads the disk (after this write: requests are served in order). */
  if (fr->slot >= 0) slot_frame[fr->slot] = -1;
  if (dirty && fr->slot >= 0 && slot_refs[fr->slot] > 1) {
    /* Others still expect the slot's old contents (cannot happen if only sole holders write). */
    slot_put((uint32_t)fr->slot);
    fr->slot = -1;
  }
  if (dirty && fr->slot < 0) fr->slot = slot_alloc(); /* the frame holds this reference */
  while (fr->maps) {
    struct rmap* m = fr->maps;
    uint64_t* pte = walk(m->p->root, fr->va, 0);
    /* Read-only in a writable VMA means held copy-on-write; in a read-only VMA PTE_COW changes nothing. */
    uint64_t cow = (*pte & PTE_W) ? 0 : PTE_COW;
    if (fr->slot >= 0) {
      *pte = ((uint64_t)fr->slot << 10) | PTE_SWAPPED | cow;
      slot_get((uint32_t)fr->slot);
    } else {
      *pte = cow;
    }
    tlb_flush_page(m->p, fr->va);
    if (dirty) m->p->rec->fc.swap_outs++;
    if (cfg.verbose)
      kprintf("[pager] evict pid %d va 0x%lx frame %d%s\n", m->p->pid, fr->va, f,
              dirty ? " -> swap" : " (clean)");
    rmap_del(fr, m->p);
  }
  STAT(ST_EVICT)++;
  if (dirty) {
    STAT(ST_SWAP_OUT)++;
    mark(MARK_swap_submit, (uint64_t)fr->slot, 1, 0);
    disk_rw(slot_block((uint32_t)fr->slot), (void*)frame_pa(f), 1); /* sleeps; the frame stays BUSY */
    mark(MARK_swap_complete, (uint64_t)fr->slot, 1, 0);
  }
  if (fr->slot >= 0) slot_put((uint32_t)fr->slot);
  fr->slot = -1;
  fr->dirty = 0;
  return f;
}

/* A frame for p's fault: a free one, else a victim. May sleep. */
int32_t frame_alloc(struct proc* p) {
  pin_make_room(p);
  for (;;) {
    if (free_head >= 0) {
      int32_t f = free_head;
      free_head = frames[f].next;
      frames[f].state = F_BUSY;
      frames[f].next = frames[f].prev = -1;
      frames_free_count--;
      return f;
    }
    int32_t f = evict_one();
    if (f >= 0) return f;
    sleep_on(&frame_wait); /* every frame is in flight: wait for one to settle */
  }
}

void frame_free(int32_t f) {
  struct frame* fr = &frames[f];
  if (fr->pins) kpanic("frame %d freed while a working-set minimum holds it", f);
  if (fr->state == F_RESIDENT) res_remove(f);
  fr->state = F_FREE; /* before the slot goes: slot_put must not free it again */
  frame_drop_slot(fr);
  fr->dirty = 0;
  fr->next = free_head;
  free_head = f;
  frames_free_count++;
  wakeup(&frame_wait);
}

/* p stops mapping frame f. The last one out frees it, unless it is a clean copy of a slot that other
 * PTEs still hold: then it stays as their swap cache entry. */
void frame_unmap(int32_t f, struct proc* p) {
  struct frame* fr = &frames[f];
  rmap_del(fr, p);
  if (fr->nmaps) return;
  if (fr->slot >= 0 && !fr->dirty && slot_refs[fr->slot] > 1) return;
  frame_free(f);
}

void frame_install(struct proc* p, int32_t f, uint64_t va, uint64_t* pte, uint64_t bits) {
  struct frame* fr = &frames[f];
  fr->va = va;
  rmap_add(fr, p);
  fr->state = F_RESIDENT;
  res_append(f);
  *pte = PA_PTE(frame_pa(f)) | bits | PTE_V | PTE_U | PTE_A;
  /* Hardware may keep the old (invalid or read-only) translation: fence this page in p's ASID. */
  tlb_flush_page(p, va);
  if (bits & PTE_X) __asm__ volatile("fence.i" ::: "memory");
  wakeup(&frame_wait);
}
