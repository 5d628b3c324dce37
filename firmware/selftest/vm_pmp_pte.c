// PMP checks the page-table walk's own PTE reads (privileged spec v1.12, 3.7.1 and 4.3.2 step 2): a PTE
// read PMP denies raises an ACCESS fault of the original access type (fetch 1, load 5, store 7) with
// mtval = the VA, not a page fault. Non-locked PMP entries bind S and U (and M with MPRV) only, so the
// accesses run in S/U. PMP entry 0 covers one page-table page (NAPOT, 4 KiB) with the permissions under
// test; entry 1 is the open RWX entry for everything else. SFENCE.VMA after every PMP change (3.7.2).
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false,svinval=false
//
// 1 entry 0 = R: everything works. 2-3 entry 0 = none: L0 table read denied, from S and U. 4 entry 0 = X
// (no R): still denied. 5 entry 0 = RW: works. 6 the window's level-1 table denied instead. 7 the data page
// itself denied (R only): loads work, stores/fetches access-fault. 8 M-mode with MPRV (MPP=S): the PTE
// read is checked as S: access fault. 9 entry 0 off again: works.
#include "vm.h"

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_NAPOT 0x18
#define DOFF 0x40
#define DATA 0x9e9e9e9e12345678UL
#define VS (VM_WIN + 0x00200000UL) /* S page, in the level-0 table T */
#define VU (VM_WIN + 0x00201000UL) /* U page, in T too */

static uint64_t *frame;
static volatile uint64_t *fdata;

/* Entry 0 = NAPOT 4 KiB over page `pa` with perms (0xff: entry 0 off); entry 1 = everything RWX. */
static void pmp_set(uint64_t pa, unsigned perms) {
  write_csr(pmpcfg0, 0);
  write_csr(pmpaddr0, (pa >> 2) | 0x1ff);
  write_csr(pmpaddr1, ~0UL);
  unsigned cfg0 = perms == 0xff ? 0 : PMP_NAPOT | perms;
  write_csr(pmpcfg0, ((uint64_t)(PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 8) | cfg0);
  vm_sfence_all();
}

enum { LD, ST, FX };
static long run_access(int priv, int kind, uint64_t va) {
  *fdata = DATA;
  vm_store_value = 0x51;
  switch (kind) {
    case LD: return vm_run(priv, vm_load, (long)va);
    case ST: return vm_run(priv, vm_store, (long)va);
    default: return vm_run_fetch(priv, va);
  }
}
static uint64_t kva(int kind, uint64_t page) { return page + (kind == FX ? 0x100 : DOFF); }
static const uint64_t af[] = {CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS, CAUSE_FETCH_ACCESS};

static void acc_ok(int code, int line, int priv, int kind, uint64_t page) {
  long r = run_access(priv, kind, kva(kind, page));
  expect_no_trap_at(code, line, "access");
  uint64_t want = kind == LD ? DATA : kind == FX ? 0x77 : 0;
  priv_checks++;
  if ((uint64_t)r != want || (kind == ST && *fdata != 0x51)) {
    rt_printf("FAIL case %d (line %d): kind %d: a0 0x%lx (want 0x%lx), data 0x%lx\n", code, line, kind, r, want,
              *fdata);
    rt_exit(code);
  }
}
static void acc_fault(int code, int line, int priv, int kind, uint64_t page) {
  uint64_t va = kva(kind, page);
  long r = run_access(priv, kind, va);
  uint64_t pc = kind == LD ? (uintptr_t)vm_load_pc : kind == ST ? (uintptr_t)vm_store_pc : va;
  vm_expect_fault_at(code, line, af[kind], va, priv, pc);
  priv_checks++;
  if ((kind != ST && (uint64_t)r != VM_NOVAL) || *fdata != DATA) {
    rt_printf("FAIL case %d (line %d): kind %d: a0 0x%lx, data 0x%lx after the fault\n", code, line, kind, r, *fdata);
    rt_exit(code);
  }
}
#define ACC_OK(code, priv, kind, page) acc_ok(code, __LINE__, priv, kind, page)
#define ACC_FAULT(code, priv, kind, page) acc_fault(code, __LINE__, priv, kind, page)

static void all_ok(int code) {
  for (int k = LD; k <= FX; k++) {
    ACC_OK(code, PRV_S, k, VS);
    ACC_OK(code, PRV_U, k, VU);
  }
}

/* M-mode load with MPRV=1, MPP=S (a0 = VA): the value, or VM_NOVAL after a fault. */
extern char mprv_load_pc[];
long mprv_load(uint64_t va);
__asm__(".pushsection .text.mprv, \"ax\"\n.option push\n.option norvc\n"
        ".globl mprv_load\nmprv_load:\n"
        "  mv t0, a0\n"
        "  li a0, -1\n"
        "  li t2, 0x1800\n"
        "  csrc mstatus, t2\n"
        "  li t1, 0x20800\n" /* MPRV | MPP=S */
        "  csrs mstatus, t1\n"
        ".globl mprv_load_pc\nmprv_load_pc:\n"
        "  ld a0, 0(t0)\n"
        "  csrc mstatus, t1\n"
        "  ret\n"
        ".option pop\n.popsection\n");

int main(void) {
  priv_init();
  vm_std_setup();
  frame = vm_alloc_page();
  fdata = (volatile uint64_t *)((uint8_t *)frame + DOFF);
  vm_code(frame, 0x100, 0x77);
  vm_map_win(VS, (uintptr_t)frame, PTE_RWX | PTE_AD);
  vm_map_win(VU, (uintptr_t)frame, PTE_RWX | PTE_AD | PTE_U);
  uint64_t t0 = (uintptr_t)vm_pte_ptr(vm_root_s, VS, VM_LEVEL_4K) & ~(VM_PAGE - 1); /* level-0 table */
  uint64_t t1 = (uintptr_t)vm_pte_ptr(vm_root_s, VS, VM_LEVEL_2M) & ~(VM_PAGE - 1); /* window level-1 */

  /* 1: entry 0 = R over the level-0 table: the walk may read it. */
  pmp_set(t0, PMP_R);
  EXPECT_EQ(1, read_csr(pmpaddr0), (t0 >> 2) | 0x1ff, "pmpaddr0 (NAPOT 4 KiB) read back");
  all_ok(1);
  /* 2-3: entry 0 = no permissions: every access through the table is an access fault. */
  pmp_set(t0, 0);
  for (int k = LD; k <= FX; k++) {
    ACC_FAULT(2, PRV_S, k, VS);
    ACC_FAULT(3, PRV_U, k, VU);
  }
  /* 4: X but not R does not let the walk read the PTE. */
  pmp_set(t0, PMP_X);
  for (int k = LD; k <= FX; k++) {
    ACC_FAULT(4, PRV_S, k, VS);
    ACC_FAULT(4, PRV_U, k, VU);
  }
  /* 5: R|W: fine. */
  pmp_set(t0, PMP_R | PMP_W);
  all_ok(5);
  /* 6: the level-1 table denied (W|X, no R). */
  pmp_set(t1, PMP_W | PMP_X);
  for (int k = LD; k <= FX; k++) {
    ACC_FAULT(6, PRV_S, k, VS);
    ACC_FAULT(6, PRV_U, k, VU);
  }
  /* 7: the data page itself read-only by PMP: loads work, stores and fetches access-fault. */
  pmp_set((uintptr_t)frame, PMP_R);
  ACC_OK(7, PRV_S, LD, VS);
  ACC_OK(7, PRV_U, LD, VU);
  ACC_FAULT(7, PRV_S, ST, VS);
  ACC_FAULT(7, PRV_U, ST, VU);
  ACC_FAULT(7, PRV_S, FX, VS);
  ACC_FAULT(7, PRV_U, FX, VU);
  /* 8: M-mode with MPRV=1, MPP=S: the walk's PTE read is checked with S privilege. */
  write_csr(satp, vm_satp(vm_root_s, 0));
  pmp_set(t0, PMP_R);
  *fdata = DATA;
  priv_trap_clear();
  EXPECT_EQ(8, mprv_load(VS + DOFF), DATA, "MPRV load, PTE readable");
  expect_no_trap(8, "MPRV load, PTE readable");
  pmp_set(t0, 0);
  priv_trap_clear();
  EXPECT_EQ(8, mprv_load(VS + DOFF), VM_NOVAL, "a0 after the MPRV load fault");
  vm_expect_fault(8, CAUSE_LOAD_ACCESS, VS + DOFF, PRV_M, (uintptr_t)mprv_load_pc);
  EXPECT_EQ(8, read_csr(mstatus) & MSTATUS_MPRV, 0, "MPRV left set");
  /* ... while M-mode itself (no MPRV) reads the denied table freely: non-locked entries skip M. */
  EXPECT_EQ(8, *(volatile uint64_t *)(t0 + 8 * vm_vpn(VS, 0)), vm_pte((uintptr_t)frame, PTE_V | PTE_RWX | PTE_AD),
            "M reads the PMP-denied PTE");
  /* 9: entry 0 off: all works again. */
  pmp_set(t0, 0xff);
  all_ok(9);

  write_csr(satp, 0);
  priv_pass("vm_pmp_pte");
}
