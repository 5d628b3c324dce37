/* Sv39 page tables: the kernel's (devices and RAM mapped at their physical addresses, kernel text
 * read-execute) and one per process (user pages at USER_BASE, the trap frame, the trampoline). */
#include "kernel.h"

extern char etext[], trampoline[];
pagetable_t kernel_pagetable;

#define PX(level, va) (((uint64_t)(va) >> (12 + 9 * (level))) & 0x1ff)
#define PTE2PA(pte) (((pte) >> 10) << 12)
#define PA2PTE(pa) (((uint64_t)(pa) >> 12) << 10)

/* The level-0 PTE for va, creating the tables on the way when alloc is set. */
static pte_t* walk(pagetable_t pt, uint64_t va, int alloc) {
  if (va >= MAXVA) panic("walk: address beyond Sv39");
  for (int level = 2; level > 0; level--) {
    pte_t* pte = &pt[PX(level, va)];
    if (*pte & PTE_V) {
      pt = (pagetable_t)PTE2PA(*pte);
    } else {
      if (!alloc || !(pt = kalloc())) return 0;
      memset(pt, 0, PGSIZE);
      *pte = PA2PTE(pt) | PTE_V;
    }
  }
  return &pt[PX(0, va)];
}

uint64_t walkaddr(pagetable_t pt, uint64_t va) {
  if (va >= MAXVA) return 0;
  pte_t* pte = walk(pt, va, 0);
  if (!pte || !(*pte & PTE_V) || !(*pte & PTE_U)) return 0;
  return PTE2PA(*pte);
}

int mappages(pagetable_t pt, uint64_t va, uint64_t size, uint64_t pa, int perm) {
  for (uint64_t a = PGROUNDDOWN(va); a < va + size; a += PGSIZE, pa += PGSIZE) {
    pte_t* pte = walk(pt, a, 1);
    if (!pte) return -1;
    if (*pte & PTE_V) panic("mappages: remap");
    *pte = PA2PTE(pa) | perm | PTE_V;
  }
  return 0;
}

static void kvmmap(uint64_t va, uint64_t pa, uint64_t size, int perm) {
  if (mappages(kernel_pagetable, va, size, pa, perm)) panic("kvmmap");
}

void kvminit(void) {
  kernel_pagetable = kalloc();
  memset(kernel_pagetable, 0, PGSIZE);
  kvmmap(TEST_FINISHER_BASE, TEST_FINISHER_BASE, PGSIZE, PTE_R | PTE_W);
  kvmmap(UART_BASE, UART_BASE, PGSIZE, PTE_R | PTE_W);
  kvmmap(VIRTIO_BLK_BASE, VIRTIO_BLK_BASE, PGSIZE, PTE_R | PTE_W);
  kvmmap(PLIC_BASE, PLIC_BASE, 0x400000, PTE_R | PTE_W);
  kvmmap(RAM_BASE, RAM_BASE, (uint64_t)etext - RAM_BASE, PTE_R | PTE_X);
  kvmmap((uint64_t)etext, (uint64_t)etext, PHYSTOP - (uint64_t)etext, PTE_R | PTE_W);
  kvmmap(TRAMPOLINE, (uint64_t)trampoline, PGSIZE, PTE_R | PTE_X);
}

void kvminithart(void) {
  __asm__ volatile("sfence.vma zero, zero");
  __asm__ volatile("csrw satp, %0" ::"r"(MAKE_SATP(kernel_pagetable)));
  __asm__ volatile("sfence.vma zero, zero");
}

pagetable_t uvmcreate(uint64_t trapframe_pa) {
  pagetable_t pt = kalloc();
  if (!pt) return 0;
  memset(pt, 0, PGSIZE);
  if (mappages(pt, TRAMPOLINE, PGSIZE, (uint64_t)trampoline, PTE_R | PTE_X) ||
      mappages(pt, TRAPFRAME, PGSIZE, trapframe_pa, PTE_R | PTE_W))
    panic("uvmcreate");
  return pt;
}

static void freewalk(pagetable_t pt, int level) {
  for (int i = 0; i < 512; i++) {
    pte_t pte = pt[i];
    if ((pte & PTE_V) && level > 0) freewalk((pagetable_t)PTE2PA(pte), level - 1);
  }
  kfree(pt);
}

/* Frees the page-table pages, then the user pages from the highest address down, so the LIFO allocator
 * hands out the lowest user page (the first code page) first to the next program. */
void uvmfree(pagetable_t pt, uint64_t user_pages) {
  uint64_t pages[64];
  uint64_t n = 0;
  for (uint64_t va = USER_BASE; n < user_pages; va += PGSIZE) {
    pte_t* pte = walk(pt, va, 0);
    if (pte && (*pte & PTE_V)) pages[n++] = PTE2PA(*pte);
    if (va > USER_BASE + 64 * PGSIZE) panic("uvmfree: lost pages");
  }
  freewalk(pt, 2);
  while (n) kfree((void*)pages[--n]);
}

int copyin(pagetable_t pt, void* dst, uint64_t srcva, uint64_t len) {
  while (len) {
    uint64_t base = PGROUNDDOWN(srcva);
    uint64_t pa = walkaddr(pt, base);
    if (!pa) return -1;
    uint64_t n = PGSIZE - (srcva - base);
    if (n > len) n = len;
    memcpy(dst, (void*)(pa + (srcva - base)), n);
    len -= n;
    dst = (char*)dst + n;
    srcva += n;
  }
  return 0;
}

int copyout(pagetable_t pt, uint64_t dstva, const void* src, uint64_t len) {
  while (len) {
    uint64_t base = PGROUNDDOWN(dstva);
    uint64_t pa = walkaddr(pt, base);
    if (!pa) return -1;
    uint64_t n = PGSIZE - (dstva - base);
    if (n > len) n = len;
    memcpy((void*)(pa + (dstva - base)), src, n);
    len -= n;
    src = (const char*)src + n;
    dstva += n;
  }
  return 0;
}
