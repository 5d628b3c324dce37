/* Sv39 helpers for the virtual-memory self-tests (vm_*.c). Header-only, like priv.h (which it includes):
 * every selftest .c file is its own ELF, so this header is included by exactly one translation unit.
 *
 * What it gives a test (privileged spec v1.12, 4.3 "Sv32" / 4.4 "Sv39"):
 *   PTE_V .. PTE_D, vm_pte(pa, bits)    PTE encodings; VM_LEVEL_4K / 2M / 1G = 0 / 1 / 2
 *   vm_alloc_page()                     a zeroed 4 KiB-aligned page from a static bump pool (page tables
 *                                       and test frames alike)
 *   vm_pte_ptr(root, va, level)         the PTE slot for va at `level`, creating pointer tables on the way
 *   vm_map(root, va, pa, level, bits)   leaf (or anything) = ppn(pa) | bits | V at that level
 *   vm_satp(root, asid)                 (8 << 60) | asid << 44 | root >> 12
 *   vm_sfence_all / _asid / _va / _va_asid   the four SFENCE.VMA operand cases (usable in M and S)
 *   vm_std_setup()                      two roots sharing one test window (VM_WIN..+1 GiB, one L1 table):
 *                                       vm_root_s maps RAM 1:1 as a supervisor gigapage, vm_root_u as a
 *                                       user gigapage (so U-mode code, data and stack are reachable)
 *   vm_run(priv, fn, arg)               satp = the root for priv (vm_root_u for U, else vm_root_s), full
 *                                       fence, clear the trap records, priv_run
 *   vm_load / vm_store / vm_amo / vm_fetch   one access at a VA from the current privilege (fn for
 *                                       priv_run). A faulting load/AMO/fetch leaves a0 = VM_NOVAL. The
 * faulting instruction sits at vm_load_pc etc. vm_fetch calls the VA; the fetch-fault path resumes at
 * vm_fetch_resume (priv_m_resume), since the M handler cannot read the faulting instruction. vm_code(page,
 * off, value)           "li a0, value; ret" at page+off (physical), then fence.i All traps go to M (priv_init
 * leaves medeleg = 0) unless a test delegates; M never translates.
 */
#ifndef SV39SIM_VM_H
#define SV39SIM_VM_H

#include "priv.h"
#include "pte.h"
#define PTE_AD (PTE_A | PTE_D)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)

#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT 13
#define CAUSE_STORE_PAGE_FAULT 15

#define VM_LEVEL_4K 0
#define VM_LEVEL_2M 1
#define VM_LEVEL_1G 2
#define VM_PAGE 4096UL
#define VM_SATP_SV39 (8UL << 60)

/* Test window: VA 0x4000_0000..0x7fff_ffff (root index 1). No physical memory lives there on either
 * platform's RAM map, so a VA in it never happens to equal a usable PA. */
#define VM_WIN 0x40000000UL
#define VM_RAM_GIGA 0x80000000UL

/* a0 after an access that faulted (the handler skipped it). Test data never uses this value. */
#define VM_NOVAL (~0UL)

#ifndef VM_POOL_PAGES
#define VM_POOL_PAGES 64
#endif
__attribute__((aligned(4096))) static uint64_t vm_pool[VM_POOL_PAGES][512];
static unsigned vm_pool_used;

static inline void* vm_alloc_page(void) {
  if (vm_pool_used >= VM_POOL_PAGES) {
    rt_printf("vm_alloc_page: pool of %d pages exhausted\n", VM_POOL_PAGES);
    rt_exit(253);
  }
  uint64_t* p = vm_pool[vm_pool_used++];
  memset(p, 0, VM_PAGE);
  return p;
}
static inline uint64_t* vm_alloc_table(void) {
  return (uint64_t*)vm_alloc_page();
}

static inline uint64_t vm_pte(uint64_t pa, uint64_t bits) {
  return ((pa >> 12) << PTE_PPN_SHIFT) | bits;
}
static inline uint64_t vm_pte_pa(uint64_t pte) {
  return ((pte >> PTE_PPN_SHIFT) & ((1UL << 44) - 1)) << 12;
}
static inline unsigned vm_vpn(uint64_t va, int level) {
  return (unsigned)((va >> (12 + 9 * level)) & 0x1ff);
}
static inline uint64_t vm_level_size(int level) {
  return VM_PAGE << (9 * level);
}

/* The PTE slot for va at `level` (2 = root). Missing pointer PTEs on the way are created (V only); a leaf
 * or an invalid-but-nonzero PTE on the way is a test bug. */
static inline volatile uint64_t* vm_pte_ptr(uint64_t* root, uint64_t va, int level) {
  uint64_t* table = root;
  for (int i = 2; i > level; i--) {
    volatile uint64_t* slot = &table[vm_vpn(va, i)];
    if (*slot == 0) {
      uint64_t* next = vm_alloc_table();
      *slot = vm_pte((uintptr_t)next, PTE_V);
    } else if ((*slot & (PTE_V | PTE_RWX)) != PTE_V) {
      rt_printf("vm_pte_ptr: va 0x%lx level %d: PTE 0x%lx in the way\n", va, i, *slot);
      rt_exit(253);
    }
    table = (uint64_t*)(uintptr_t)vm_pte_pa(*slot);
  }
  return &table[vm_vpn(va, level)];
}

static inline void vm_map(uint64_t* root, uint64_t va, uint64_t pa, int level, uint64_t bits) {
  *vm_pte_ptr(root, va, level) = vm_pte(pa, bits | PTE_V);
}

static inline uint64_t vm_satp(uint64_t* root, uint64_t asid) {
  return VM_SATP_SV39 | (asid << 44) | ((uintptr_t)root >> 12);
}

/* The four SFENCE.VMA operand cases. "r" never allocates x0, so a zero asid is still "rs2 != x0". */
static inline void vm_sfence_all(void) {
  __asm__ volatile("sfence.vma zero, zero" ::: "memory");
}
static inline void vm_sfence_asid(uint64_t asid) {
  __asm__ volatile("sfence.vma zero, %0" ::"r"(asid) : "memory");
}
static inline void vm_sfence_va(uint64_t va) {
  __asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
}
static inline void vm_sfence_va_asid(uint64_t va, uint64_t asid) {
  __asm__ volatile("sfence.vma %0, %1" ::"r"(va), "r"(asid) : "memory");
}

/* ---- The standard pair of address spaces ---- */
static uint64_t *vm_root_s, *vm_root_u;

static inline void vm_std_setup(void) {
  vm_root_s = vm_alloc_table();
  vm_root_u = vm_alloc_table();
  uint64_t* win = vm_alloc_table();
  vm_root_s[vm_vpn(VM_WIN, 2)] = vm_root_u[vm_vpn(VM_WIN, 2)] = vm_pte((uintptr_t)win, PTE_V);
  vm_map(vm_root_s, VM_RAM_GIGA, VM_RAM_GIGA, VM_LEVEL_1G, PTE_RWX | PTE_AD);
  vm_map(vm_root_u, VM_RAM_GIGA, VM_RAM_GIGA, VM_LEVEL_1G, PTE_RWX | PTE_AD | PTE_U);
}

/* Map one 4 KiB page of the shared window (seen through both roots). */
static inline void vm_map_win(uint64_t va, uint64_t pa, uint64_t bits) {
  vm_map(vm_root_s, va, pa, VM_LEVEL_4K, bits);
}
static inline volatile uint64_t* vm_win_pte(uint64_t va) {
  return vm_pte_ptr(vm_root_s, va, VM_LEVEL_4K);
}

static inline long vm_run_satp(int priv, uint64_t satp, long (*fn)(long), long arg) {
  write_csr(satp, satp);
  vm_sfence_all();
  priv_trap_clear();
  return priv_run(priv, fn, arg);
}
static inline long vm_run(int priv, long (*fn)(long), long arg) {
  return vm_run_satp(priv, vm_satp(priv == PRV_U ? vm_root_u : vm_root_s, 0), fn, arg);
}

/* ---- Single accesses (run in any privilege; a0 = VA) ---- */
extern char vm_load_pc[], vm_store_pc[], vm_amo_pc[], vm_fetch_resume[];
long vm_load(long va);  /* ld: the doubleword, or VM_NOVAL */
long vm_store(long va); /* sd vm_store_value; returns 0 (the trap record tells whether it faulted) */
long vm_amo(long va);   /* amoadd.d with vm_store_value: old value, or VM_NOVAL */
long vm_fetch(long va); /* jalr to va: whatever the code there returns in a0, or VM_NOVAL */
__attribute__((used)) volatile uint64_t vm_store_value;

__asm__(
    ".pushsection .text.vm, \"ax\"\n"
    ".option push\n"
    ".option norvc\n"
    ".balign 4\n"
    ".globl vm_load\nvm_load:\n"
    "  mv t0, a0\n"
    "  li a0, -1\n"
    ".globl vm_load_pc\nvm_load_pc:\n"
    "  ld a0, 0(t0)\n"
    "  ret\n"
    ".globl vm_store\nvm_store:\n"
    "  la t1, vm_store_value\n"
    "  ld t1, 0(t1)\n"
    "  mv t0, a0\n"
    ".globl vm_store_pc\nvm_store_pc:\n"
    "  sd t1, 0(t0)\n"
    "  li a0, 0\n"
    "  ret\n"
    ".globl vm_amo\nvm_amo:\n"
    "  la t1, vm_store_value\n"
    "  ld t1, 0(t1)\n"
    "  mv t0, a0\n"
    "  li a0, -1\n"
    ".globl vm_amo_pc\nvm_amo_pc:\n"
    "  amoadd.d a0, t1, (t0)\n"
    "  ret\n"
    ".globl vm_fetch\nvm_fetch:\n"
    "  addi sp, sp, -16\n"
    "  sd ra, 0(sp)\n"
    "  mv t0, a0\n"
    "  li a0, -1\n"
    "  jalr ra, 0(t0)\n"
    ".globl vm_fetch_resume\nvm_fetch_resume:\n"
    "  ld ra, 0(sp)\n"
    "  addi sp, sp, 16\n"
    "  ret\n"
    ".option pop\n"
    ".popsection\n");

/* Run a fetch of va in priv (M-handled faults resume at vm_fetch_resume). */
static inline long vm_run_fetch(int priv, uint64_t va) {
  priv_m_resume = (uintptr_t)vm_fetch_resume;
  long r = vm_run(priv, vm_fetch, (long)va);
  priv_m_resume = 0;
  return r;
}
static inline long vm_run_fetch_satp(int priv, uint64_t satp, uint64_t va) {
  priv_m_resume = (uintptr_t)vm_fetch_resume;
  long r = vm_run_satp(priv, satp, vm_fetch, (long)va);
  priv_m_resume = 0;
  return r;
}

#define INSN_LI_A0(v) INSN_ADDI_A0((v)&0xfff)
/* "addi a0, x0, value; ret" at page + off (value a 12-bit signed immediate), then fence.i. */
static inline void vm_code(void* page, uint64_t off, int value) {
  volatile uint32_t* p = (volatile uint32_t*)((uint8_t*)page + off);
  p[0] = INSN_LI_A0((uint32_t)value);
  p[1] = INSN_RET;
  __asm__ volatile("fence.i" ::: "memory");
}

/* One trap into M from `from` with this cause and tval, and mepc = epc (skip the epc check with 0). */
static inline void vm_expect_fault_at(int code, int line, uint64_t cause, uint64_t tval, int from,
                                      uint64_t epc) {
  expect_trap_at(code, line, &priv_mtrap, cause, tval, from);
  priv_checks++;
  if (epc && priv_mtrap.epc != epc) {
    rt_printf("FAIL case %d (line %d): mepc 0x%lx, want 0x%lx\n", code, line, priv_mtrap.epc, epc);
    rt_exit(code);
  }
}
#define vm_expect_fault(code, cause, tval, from, epc) \
  vm_expect_fault_at(code, __LINE__, cause, tval, from, epc)

#endif
