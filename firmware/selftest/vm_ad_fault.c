// Sv39 A/D bits under the fault policy (privileged spec v1.12, 4.3.2 step 7, first option; Svade):
// A=0 -> page fault of the access type; a store or AMO with D=0 -> store/AMO page fault; the PTE in
// memory is never written. From S and U, 4 KiB and 2 MiB leaves.
// sv39sim-args: --set mmu.ad_update=fault
// qemu: skip
// QEMU 7.2 always updates A/D in hardware (see vm_ad.c).
//
// 1 A=0: load/store/AMO/fetch fault. 2 A=1 D=0: load/fetch work, store/AMO fault. 3 A=1 D=1: all work.
// 4 a load, then a store in the same run (the clean translation may be cached): the store faults.
// 11-14 the same from U. 21 a 2 MiB leaf with A=0 / D=0.
#include "vm.h"

#define PG(n) (VM_WIN + (n) * VM_PAGE)
#define DOFF 0x30
#define DATA 0x0ad0ad0ad0ad0adUL
#define V2M (VM_WIN + 0x00200000UL)
#define REGION 0x81000000UL

static uint64_t *frame;
static volatile uint64_t *fdata;

enum { LD, ST, AMO, FX };
static const uint64_t pf[] = {CAUSE_LOAD_PAGE_FAULT, CAUSE_STORE_PAGE_FAULT, CAUSE_STORE_PAGE_FAULT,
                              CAUSE_FETCH_PAGE_FAULT};

static long run_access(int priv, int kind, uint64_t va) {
  *fdata = DATA;
  vm_store_value = 3;
  switch (kind) {
    case LD: return vm_run(priv, vm_load, (long)va);
    case ST: return vm_run(priv, vm_store, (long)va);
    case AMO: return vm_run(priv, vm_amo, (long)va);
    default: return vm_run_fetch(priv, va);
  }
}
static uint64_t kva(int kind, uint64_t page) { return page + (kind == FX ? 0x200 : DOFF); }
static uint64_t kpc(int kind, uint64_t va) {
  return kind == LD ? (uintptr_t)vm_load_pc : kind == ST ? (uintptr_t)vm_store_pc : kind == AMO ? (uintptr_t)vm_amo_pc : va;
}

/* Access page (whose PTE is *pte) and expect a page fault with nothing written to the PTE or the frame. */
static void ad_fault(int code, int line, int priv, int kind, uint64_t page, volatile uint64_t *pte) {
  uint64_t before = *pte, va = kva(kind, page);
  run_access(priv, kind, va);
  vm_expect_fault_at(code, line, pf[kind], va, priv, kpc(kind, va));
  priv_checks++;
  if (*pte != before || *fdata != DATA) {
    rt_printf("FAIL case %d (line %d): PTE 0x%lx (was 0x%lx), data 0x%lx after the fault\n", code, line, *pte, before,
              *fdata);
    rt_exit(code);
  }
}
static void ad_ok(int code, int line, int priv, int kind, uint64_t page, volatile uint64_t *pte) {
  uint64_t before = *pte, va = kva(kind, page);
  long r = run_access(priv, kind, va);
  expect_no_trap_at(code, line, "access");
  uint64_t want = kind == FX ? 0x5a : kind == ST ? 0 : DATA;
  priv_checks++;
  if ((uint64_t)r != want || *pte != before) {
    rt_printf("FAIL case %d (line %d): a0 0x%lx (want 0x%lx), PTE 0x%lx (was 0x%lx)\n", code, line, r, want, *pte,
              before);
    rt_exit(code);
  }
}
#define AD_FAULT(code, priv, kind, page, pte) ad_fault(code, __LINE__, priv, kind, page, pte)
#define AD_OK(code, priv, kind, page, pte) ad_ok(code, __LINE__, priv, kind, page, pte)

static long load_then_store(long va) {
  uint64_t v = *(volatile uint64_t *)va;
  *(volatile uint64_t *)va = v + 1;
  return (long)v;
}

int main(void) {
  priv_init();
  vm_std_setup(); /* the RAM gigapages have A and D set */
  frame = vm_alloc_page();
  fdata = (volatile uint64_t *)((uint8_t *)frame + DOFF);
  vm_code(frame, 0x200, 0x5a);
  uint64_t f = (uintptr_t)frame;
  static const int prvs[2] = {PRV_S, PRV_U};

  for (int p = 0; p < 2; p++) {
    int prv = prvs[p];
    uint64_t u = prv == PRV_U ? PTE_U : 0;
    int c = p * 10;
    volatile uint64_t *a0 = vm_win_pte(PG(0)), *d0 = vm_win_pte(PG(1)), *ad = vm_win_pte(PG(2));
    *a0 = vm_pte(f, PTE_V | PTE_RWX | u);
    *d0 = vm_pte(f, PTE_V | PTE_RWX | u | PTE_A);
    *ad = vm_pte(f, PTE_V | PTE_RWX | u | PTE_A | PTE_D);
    for (int k = LD; k <= FX; k++) AD_FAULT(1 + c, prv, k, PG(0), a0);
    *a0 = vm_pte(f, PTE_V | PTE_RWX | u | PTE_D); /* D=1 does not make up for A=0 */
    for (int k = LD; k <= FX; k++) AD_FAULT(1 + c, prv, k, PG(0), a0);
    AD_OK(2 + c, prv, LD, PG(1), d0);
    AD_OK(2 + c, prv, FX, PG(1), d0);
    AD_FAULT(2 + c, prv, ST, PG(1), d0);
    AD_FAULT(2 + c, prv, AMO, PG(1), d0);
    for (int k = LD; k <= FX; k++) AD_OK(3 + c, prv, k, PG(2), ad);
    /* 4: load then store through a clean page in one run: the store faults, the load result stands. */
    *fdata = DATA;
    long r = vm_run(prv, load_then_store, (long)(PG(1) + DOFF));
    EXPECT_EQ(4 + c, r, DATA, "load then store: loaded value");
    EXPECT_EQ(4 + c, priv_mtrap.count, 1, "load then store: faults taken");
    EXPECT_EQ(4 + c, priv_mtrap.cause, CAUSE_STORE_PAGE_FAULT, "load then store: cause");
    EXPECT_EQ(4 + c, priv_mtrap.tval, PG(1) + DOFF, "load then store: mtval");
    EXPECT_EQ(4 + c, *fdata, DATA, "load then store: memory");
    EXPECT_EQ(4 + c, *d0, vm_pte(f, PTE_V | PTE_RWX | u | PTE_A), "load then store: PTE");
  }

  /* 21: a 2 MiB leaf. */
  volatile uint64_t *l1 = vm_pte_ptr(vm_root_s, V2M, VM_LEVEL_2M);
  *l1 = vm_pte(REGION, PTE_V | PTE_R | PTE_W);
  uint64_t va = V2M + 0x123450;
  vm_run(PRV_S, vm_load, (long)va);
  vm_expect_fault(21, CAUSE_LOAD_PAGE_FAULT, va, PRV_S, (uintptr_t)vm_load_pc);
  EXPECT_EQ(21, *l1, vm_pte(REGION, PTE_V | PTE_R | PTE_W), "2 MiB PTE after the fault");
  *l1 = vm_pte(REGION, PTE_V | PTE_R | PTE_W | PTE_A);
  *(volatile uint64_t *)(REGION + 0x123450) = 0x2222;
  EXPECT_EQ(21, vm_run(PRV_S, vm_load, (long)va), 0x2222, "load through the 2 MiB leaf with A=1");
  expect_no_trap(21, "load through the 2 MiB leaf with A=1");
  vm_store_value = 0x3333;
  vm_run(PRV_S, vm_store, (long)va);
  vm_expect_fault(21, CAUSE_STORE_PAGE_FAULT, va, PRV_S, (uintptr_t)vm_store_pc);
  EXPECT_EQ(21, *(volatile uint64_t *)(REGION + 0x123450), 0x2222, "memory after the faulting store");
  EXPECT_EQ(21, *l1, vm_pte(REGION, PTE_V | PTE_R | PTE_W | PTE_A), "2 MiB PTE after the store fault");

  write_csr(satp, 0);
  priv_pass("vm_ad_fault");
}
