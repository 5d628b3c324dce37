/* Shared page set-up and access helpers of vm_faults.c (QEMU-checked) and vm_faults_strict.c (the cases
 * QEMU 7.2 gets wrong). Header-only: included by exactly one translation unit per image. */
#ifndef SV39SIM_VM_FAULTS_H
#define SV39SIM_VM_FAULTS_H

#include "vm.h"

#define UNMAPPED_PA 0x00200000UL
#define DATA 0x1122334455667788UL
#define STORED 0x0badc0ffee000001UL
#define DOFF 0x10  /* data offset used in every page */
#define COFF 0x100 /* code offset: "li a0, CVAL; ret" */
#define CVAL 0x123

enum { LD, ST, AMO, FX };
static const char *const kind_name[] = {"load", "store", "amo", "fetch"};
static const uint64_t pf_cause[] = {CAUSE_LOAD_PAGE_FAULT, CAUSE_STORE_PAGE_FAULT, CAUSE_STORE_PAGE_FAULT,
                                    CAUSE_FETCH_PAGE_FAULT};
static const uint64_t af_cause[] = {CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS, CAUSE_STORE_ACCESS, CAUSE_FETCH_ACCESS};

static uint64_t *frame; /* the data/code frame most pages map */

static void frame_reset(void) {
  *(volatile uint64_t *)((uint8_t *)frame + DOFF) = DATA;
  vm_code(frame, COFF, CVAL);
}

/* The VA the access of `kind` uses within page va. */
static uint64_t kva(int kind, uint64_t page) { return page + (kind == FX ? COFF : DOFF); }

static long do_access(int priv, int kind, uint64_t va) {
  vm_store_value = STORED;
  switch (kind) {
    case LD: return vm_run(priv, vm_load, (long)va);
    case ST: return vm_run(priv, vm_store, (long)va);
    case AMO: return vm_run(priv, vm_amo, (long)va);
    default: return vm_run_fetch(priv, va);
  }
}

static uint64_t kind_pc(int kind, uint64_t va) {
  switch (kind) {
    case LD: return (uintptr_t)vm_load_pc;
    case ST: return (uintptr_t)vm_store_pc;
    case AMO: return (uintptr_t)vm_amo_pc;
    default: return va;
  }
}

/* The access faults with `cause`, tval = tval, from priv, mepc = the instruction; the frame is untouched. */
static void fault_tval(int code, int line, int priv, int kind, uint64_t va, uint64_t cause, uint64_t tval) {
  frame_reset();
  long r = do_access(priv, kind, va);
  vm_expect_fault_at(code, line, cause, tval, priv, kind_pc(kind, va));
  EXPECT(code, kind == ST || (uint64_t)r == VM_NOVAL, "%s at 0x%lx from %d: a0 = 0x%lx after the fault", kind_name[kind], va,
         priv, r);
  EXPECT(code, *(volatile uint64_t *)((uint8_t *)frame + DOFF) == DATA, "%s at 0x%lx from %d changed memory",
         kind_name[kind], va, priv);
}
#define FAULT(code, priv, kind, va, cause) fault_tval(code, __LINE__, priv, kind, va, cause, va)
#define PF(code, priv, kind, page) FAULT(code, priv, kind, kva(kind, page), pf_cause[kind])

/* The access works (on a page mapping `frame`). */
__attribute__((unused)) static void ok_at(int code, int line, int priv, int kind, uint64_t page) {
  frame_reset();
  uint64_t va = kva(kind, page);
  long r = do_access(priv, kind, va);
  if (priv_mtrap.count || priv_strap.count) {
    rt_printf("line %d: %s at 0x%lx from %d\n", line, kind_name[kind], va, priv);
    expect_no_trap_at(code, line, kind_name[kind]);
  }
  volatile uint64_t *d = (volatile uint64_t *)((uint8_t *)frame + DOFF);
  switch (kind) {
    case LD: EXPECT_EQ(code, r, DATA, "loaded value"); break;
    case ST: EXPECT_EQ(code, *d, STORED, "stored value"); break;
    case AMO:
      EXPECT_EQ(code, r, DATA, "amoadd old value");
      EXPECT_EQ(code, *d, DATA + STORED, "amoadd result");
      break;
    default: EXPECT_EQ(code, r, CVAL, "fetched code's result"); break;
  }
}
#define OK(code, priv, kind, page) ok_at(code, __LINE__, priv, kind, page)

#define PG(n) (VM_WIN + (n) * VM_PAGE)
/* Window pages */
#define P_S PG(0)         /* RWX, supervisor */
#define P_U PG(1)         /* RWX, user */
#define P_INVALID PG(2)   /* RWX|AD but V=0 */
#define P_W PG(3)         /* W only: R=0 W=1 reserved */
#define P_WX PG(4)        /* W|X: R=0 W=1 reserved */
#define P_RSV54 PG(5)     /* RWX + bit 54 */
#define P_RSV60 PG(6)     /* RWX + bit 60 */
#define P_RSV63 PG(7)     /* RWX + bit 63 */
#define P_PTR0 PG(8)      /* pointer PTE at level 0 */
#define P_RW PG(9)        /* no X */
#define P_X PG(10)        /* X only: no R */
#define P_RX PG(11)       /* no W */
#define P_BADPA PG(12)    /* RWX -> unmapped PA */
#define P_BADPA_U PG(13)  /* RWXU -> unmapped PA */
#define P_URW PG(14)      /* user RW, no X */
#define P_UX PG(15)       /* user X only */
#define P_URX PG(16)      /* user RX, no W */
#define P_RSV54_U PG(17)  /* RWXU + bit 54 */
#define P_W_U PG(18)      /* W|U */
#define P_INVALID_U PG(19)
#define P_PTR0_U PG(20)
#define P_CROSS PG(32)    /* X page, next one (33) invalid */
#define P_CROSS_OK PG(34) /* X page, next one (35) X */
#define P_CROSS_U PG(36)  /* user X page, next one (37) invalid */
/* Level-1 slots of the window (each covers 2 MiB) */
#define L1_INVALID (VM_WIN + 0x00400000UL)   /* V=0 at level 1 */
#define L1_W (VM_WIN + 0x00600000UL)         /* R=0 W=1 at level 1 */
#define L1_RSV (VM_WIN + 0x00800000UL)       /* pointer with bit 60 set */
#define L1_BADPTR (VM_WIN + 0x00a00000UL)    /* pointer to an unmapped PA (the L0 read faults) */
/* Root slots */
#define ROOT_EMPTY 0x0000000000001000UL      /* root index 0: never mapped */
#define ROOT_BADPTR 0x00000000c0000000UL     /* root index 3: pointer to an unmapped PA (L1 read faults) */
#define ROOT_RSV 0x0000000100000000UL        /* root index 4: pointer with bit 54 set */

static void setup(void) {
  vm_std_setup();
  frame = vm_alloc_page();
  uint64_t f = (uintptr_t)frame;
  vm_map_win(P_S, f, PTE_RWX | PTE_AD);
  vm_map_win(P_U, f, PTE_RWX | PTE_AD | PTE_U);
  *vm_win_pte(P_INVALID) = vm_pte(f, PTE_RWX | PTE_AD);
  vm_map_win(P_W, f, PTE_W | PTE_AD);
  vm_map_win(P_WX, f, PTE_W | PTE_X | PTE_AD);
  vm_map_win(P_RSV54, f, PTE_RWX | PTE_AD | (1UL << 54));
  vm_map_win(P_RSV60, f, PTE_RWX | PTE_AD | (1UL << 60));
  vm_map_win(P_RSV63, f, PTE_RWX | PTE_AD | (1UL << 63));
  *vm_win_pte(P_PTR0) = vm_pte(f, PTE_V);
  vm_map_win(P_RW, f, PTE_R | PTE_W | PTE_AD);
  vm_map_win(P_X, f, PTE_X | PTE_AD);
  vm_map_win(P_RX, f, PTE_R | PTE_X | PTE_AD);
  vm_map_win(P_BADPA, UNMAPPED_PA, PTE_RWX | PTE_AD);
  vm_map_win(P_BADPA_U, UNMAPPED_PA, PTE_RWX | PTE_AD | PTE_U);
  vm_map_win(P_URW, f, PTE_R | PTE_W | PTE_AD | PTE_U);
  vm_map_win(P_UX, f, PTE_X | PTE_AD | PTE_U);
  vm_map_win(P_URX, f, PTE_R | PTE_X | PTE_AD | PTE_U);
  vm_map_win(P_RSV54_U, f, PTE_RWX | PTE_AD | PTE_U | (1UL << 54));
  vm_map_win(P_W_U, f, PTE_W | PTE_AD | PTE_U);
  *vm_win_pte(P_INVALID_U) = vm_pte(f, PTE_RWX | PTE_AD | PTE_U);
  *vm_win_pte(P_PTR0_U) = vm_pte(f, PTE_V | PTE_U);

  /* Straddling instructions: a 32-bit "addi a0, x0, 0x55" whose low half is the last parcel of page 32/34/36
     and whose high half is the first parcel of page 33/35/37; then "ret" at 35+2. */
  uint32_t addi = INSN_LI_A0(0x55);
  uint16_t *cross = vm_alloc_page(), *cross2 = vm_alloc_page();
  cross[2047] = (uint16_t)addi;
  cross2[0] = (uint16_t)(addi >> 16);
  cross2[1] = (uint16_t)INSN_RET;
  cross2[2] = (uint16_t)(INSN_RET >> 16);
  __asm__ volatile("fence.i" ::: "memory");
  vm_map_win(P_CROSS, (uintptr_t)cross, PTE_R | PTE_X | PTE_AD);
  *vm_win_pte(P_CROSS + VM_PAGE) = vm_pte((uintptr_t)cross2, PTE_R | PTE_X | PTE_AD); /* V=0 */
  vm_map_win(P_CROSS_OK, (uintptr_t)cross, PTE_R | PTE_X | PTE_AD);
  vm_map_win(P_CROSS_OK + VM_PAGE, (uintptr_t)cross2, PTE_R | PTE_X | PTE_AD);
  vm_map_win(P_CROSS_U, (uintptr_t)cross, PTE_R | PTE_X | PTE_AD | PTE_U);
  *vm_win_pte(P_CROSS_U + VM_PAGE) = 0;

  /* Level-1 failures (the window's L1 table is shared by both roots). */
  uint64_t *l0 = vm_alloc_table(); /* a good L0 table mapping every page to `frame` */
  for (int i = 0; i < 512; i++) l0[i] = vm_pte(f, PTE_V | PTE_RWX | PTE_AD | PTE_U);
  *vm_pte_ptr(vm_root_s, L1_INVALID, VM_LEVEL_2M) = vm_pte((uintptr_t)l0, 0);
  *vm_pte_ptr(vm_root_s, L1_W, VM_LEVEL_2M) = vm_pte((uintptr_t)l0, PTE_V | PTE_W);
  *vm_pte_ptr(vm_root_s, L1_RSV, VM_LEVEL_2M) = vm_pte((uintptr_t)l0, PTE_V | (1UL << 60));
  *vm_pte_ptr(vm_root_s, L1_BADPTR, VM_LEVEL_2M) = vm_pte(UNMAPPED_PA, PTE_V);
  /* Root-level failures, in both roots. */
  uint64_t *l1 = vm_alloc_table();
  for (int i = 0; i < 512; i++) l1[i] = vm_pte((uintptr_t)l0, PTE_V);
  uint64_t *roots[2] = {vm_root_s, vm_root_u};
  for (int r = 0; r < 2; r++) {
    roots[r][vm_vpn(ROOT_BADPTR, 2)] = vm_pte(UNMAPPED_PA, PTE_V);
    roots[r][vm_vpn(ROOT_RSV, 2)] = vm_pte((uintptr_t)l1, PTE_V | (1UL << 54));
  }
}

static const int prvs[2] = {PRV_S, PRV_U};

#endif
