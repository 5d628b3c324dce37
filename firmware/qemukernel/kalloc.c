/* Physical page allocator: a LIFO free list of 4 KiB pages between the kernel image and PHYSTOP. Freed
 * pages are filled with junk byte by byte (the way small kernels catch use-after-free), so the next
 * owner never sees the previous one's bytes by accident. Also remembers which pages have held code a
 * process executed, so the loader can report that it writes new code over old. */
#include "kernel.h"

extern char _end[];

struct run {
  struct run* next;
};
static struct run* freelist;
static uint8_t executed[(PHYSTOP - RAM_BASE) / PGSIZE];

static void check_page(uint64_t pa) {
  if (pa % PGSIZE || pa < PGROUNDUP((uint64_t)_end) || pa >= PHYSTOP) panic("kfree: bad page");
}

void kinit(void) {
  for (uint64_t pa = PGROUNDUP((uint64_t)_end); pa + PGSIZE <= PHYSTOP; pa += PGSIZE) kfree((void*)pa);
}

void kfree(void* p) {
  uint64_t pa = (uint64_t)p;
  check_page(pa);
  memset(p, 1, PGSIZE);
  struct run* r = p;
  r->next = freelist;
  freelist = r;
}

void* kalloc(void) {
  struct run* r = freelist;
  if (!r) return 0;
  freelist = r->next;
  memset(r, 5, PGSIZE);
  return r;
}

void mark_executed(uint64_t pa) {
  check_page(pa);
  executed[(pa - RAM_BASE) / PGSIZE] = 1;
}

int held_executed_code(uint64_t pa) {
  check_page(pa);
  return executed[(pa - RAM_BASE) / PGSIZE];
}
