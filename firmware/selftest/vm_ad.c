// Sv39 A/D bits updated by hardware (privileged spec v1.12, 4.3.2 step 7, the Svadu-like choice; sv39sim's
// default `mmu.ad_update: hardware`, and QEMU 7.2's behaviour): a load or fetch sets A, a store or AMO
// sets A and D, in the PTE in memory; nothing else in the PTE changes; pointer PTEs are not touched; an
// access that faults sets nothing.
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false,svinval=false
#include "vm.h"

#define PG(n) (VM_WIN + (n) * VM_PAGE)
#define DOFF 0x30
#define DATA 0x0ad0ad0ad0ad0adUL
#define V2M (VM_WIN + 0x00200000UL)
#define V2M_MIS (VM_WIN + 0x00400000UL)
#define REGION 0x81000000UL

static uint64_t *frame;

enum { LD, ST, AMO, FX };

static long run_access(int priv, int kind, uint64_t page) {
  *(volatile uint64_t *)((uint8_t *)frame + DOFF) = DATA;
  vm_store_value = 3;
  switch (kind) {
    case LD: return vm_run(priv, vm_load, (long)(page + DOFF));
    case ST: return vm_run(priv, vm_store, (long)(page + DOFF));
    case AMO: return vm_run(priv, vm_amo, (long)(page + DOFF));
    default: return vm_run_fetch(priv, page + 0x200);
  }
}

/* Map page with `bits` (no A/D unless given), access it, expect success and the PTE = before | add. */
static void ad_ok(int code, int line, int priv, int kind, uint64_t page, uint64_t bits, uint64_t add) {
  volatile uint64_t *pte = vm_win_pte(page);
  *pte = vm_pte((uintptr_t)frame, PTE_V | bits);
  uint64_t before = *pte;
  long r = run_access(priv, kind, page);
  expect_no_trap_at(code, line, "access");
  priv_checks++;
  uint64_t want_r = kind == FX ? 0x5a : kind == ST ? 0 : DATA;
  if ((uint64_t)r != want_r || *pte != (before | add)) {
    rt_printf("FAIL case %d (line %d): access kind %d: a0 0x%lx (want 0x%lx), PTE 0x%lx (want 0x%lx)\n", code, line,
              kind, r, want_r, *pte, before | add);
    rt_exit(code);
  }
}
#define AD_OK(code, priv, kind, page, bits, add) ad_ok(code, __LINE__, priv, kind, page, bits, add)

static long load_then_store(long va) {
  uint64_t v = *(volatile uint64_t *)va;
  *(volatile uint64_t *)va = v + 1;
  return (long)v;
}

int main(void) {
  priv_init();
  vm_std_setup();
  frame = vm_alloc_page();
  vm_code(frame, 0x200, 0x5a);
  const uint64_t RW = PTE_R | PTE_W, RX = PTE_R | PTE_X, RWX = PTE_RWX;
  static const int prvs[2] = {PRV_S, PRV_U};

  for (int p = 0; p < 2; p++) {
    int prv = prvs[p];
    uint64_t u = prv == PRV_U ? PTE_U : 0;
    int c = p * 10; /* U cases are the S cases + 10 */
    /* 1: load sets A only. */
    AD_OK(1 + c, prv, LD, PG(0), RW | u, PTE_A);
    AD_OK(1 + c, prv, LD, PG(1), RWX | u | PTE_G, PTE_A);
    /* 2: store sets A and D. */
    AD_OK(2 + c, prv, ST, PG(2), RW | u, PTE_A | PTE_D);
    /* 3: AMO sets A and D. */
    AD_OK(3 + c, prv, AMO, PG(3), RW | u, PTE_A | PTE_D);
    /* 4: fetch sets A only. */
    AD_OK(4 + c, prv, FX, PG(4), RX | u, PTE_A);
    AD_OK(4 + c, prv, FX, PG(5), PTE_X | u, PTE_A);
    /* 5: A already set: a store adds D; a load changes nothing; D already set: nothing. */
    AD_OK(5 + c, prv, ST, PG(6), RW | u | PTE_A, PTE_D);
    AD_OK(5 + c, prv, LD, PG(7), RW | u | PTE_A, 0);
    AD_OK(5 + c, prv, ST, PG(8), RW | u | PTE_A | PTE_D, 0);
    AD_OK(5 + c, prv, LD, PG(9), RW | u | PTE_D, PTE_A); /* D=1 A=0: a load sets A, D stays */
    /* 6: a store after a load in the same run (a clean translation may be cached) still sets D. */
    volatile uint64_t *pte = vm_win_pte(PG(10));
    *pte = vm_pte((uintptr_t)frame, PTE_V | RW | u);
    *(volatile uint64_t *)((uint8_t *)frame + DOFF) = DATA;
    long r = vm_run(prv, load_then_store, (long)(PG(10) + DOFF));
    expect_no_trap(6 + c, "load then store");
    EXPECT_EQ(6 + c, r, DATA, "load then store: loaded value");
    EXPECT_EQ(6 + c, *(volatile uint64_t *)((uint8_t *)frame + DOFF), DATA + 1, "load then store: memory");
    EXPECT_EQ(6 + c, *pte, vm_pte((uintptr_t)frame, PTE_V | RW | u | PTE_A | PTE_D), "PTE after load then store");
  }

  /* 21: the window's pointer PTEs (root slot 1 and the level-1 slot) are left alone. */
  uint64_t root_slot = vm_root_s[vm_vpn(VM_WIN, 2)];
  EXPECT_EQ(21, root_slot & 0x3ff, PTE_V, "root pointer PTE flags");
  EXPECT_EQ(21, *vm_pte_ptr(vm_root_s, VM_WIN, VM_LEVEL_2M) & 0x3ff, PTE_V, "level-1 pointer PTE flags");

  /* 22: a 2 MiB leaf: its level-1 PTE gets A, then D. */
  volatile uint64_t *l1 = vm_pte_ptr(vm_root_s, V2M, VM_LEVEL_2M);
  *l1 = vm_pte(REGION, PTE_V | RW);
  *(volatile uint64_t *)(REGION + 0x123450) = 0x2222;
  EXPECT_EQ(22, vm_run(PRV_S, vm_load, (long)(V2M + 0x123450)), 0x2222, "load through the 2 MiB leaf");
  EXPECT_EQ(22, *l1, vm_pte(REGION, PTE_V | RW | PTE_A), "2 MiB PTE after a load");
  vm_store_value = 0x3333;
  vm_run(PRV_S, vm_store, (long)(V2M + 0x1ffff8));
  expect_no_trap(22, "store through the 2 MiB leaf");
  EXPECT_EQ(22, *l1, vm_pte(REGION, PTE_V | RW | PTE_A | PTE_D), "2 MiB PTE after a store");

  /* 23-26: faulting accesses update nothing: no permission (store to RX, U page from S without SUM,
     S page from U), a misaligned superpage. */
  static const struct {
    int code, prv, kind;
    uint64_t bits;
  } bad[] = {
      {23, PRV_S, ST, RX}, {23, PRV_U, ST, RX | PTE_U}, {23, PRV_S, FX, RW},
      {24, PRV_S, LD, RW | PTE_U}, {24, PRV_S, ST, RW | PTE_U}, {24, PRV_S, FX, RWX | PTE_U},
      {25, PRV_U, LD, RW}, {25, PRV_U, ST, RW},
  };
  for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    volatile uint64_t *pte = vm_win_pte(PG(20));
    uint64_t before = vm_pte((uintptr_t)frame, PTE_V | bad[i].bits);
    *pte = before;
    run_access(bad[i].prv, bad[i].kind, PG(20));
    EXPECT_EQ(bad[i].code, priv_mtrap.count, 1, "faults taken");
    EXPECT_EQ(bad[i].code, *pte, before, "PTE after a faulting access");
  }
  volatile uint64_t *mis = vm_pte_ptr(vm_root_s, V2M_MIS, VM_LEVEL_2M);
  *mis = vm_pte(REGION + 0x1000, PTE_V | RW);
  vm_store_value = 1;
  vm_run(PRV_S, vm_store, (long)(V2M_MIS + 8));
  vm_expect_fault(26, CAUSE_STORE_PAGE_FAULT, V2M_MIS + 8, PRV_S, (uintptr_t)vm_store_pc);
  EXPECT_EQ(26, *mis, vm_pte(REGION + 0x1000, PTE_V | RW), "misaligned superpage PTE after the fault");

  write_csr(satp, 0);
  priv_pass("vm_ad");
}
