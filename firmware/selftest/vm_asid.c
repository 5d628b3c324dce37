// ASIDs isolate address spaces (privileged spec v1.12, 4.1.11 and 4.2.1): two address spaces map the
// same VA to different frames; switching satp between them, with no SFENCE.VMA after the one initial
// fence, gives each its own data, stores and code. A global mapping is shared by both. From S and U.
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false,svinval=false
//
// 1 satp keeps the Sv39 mode, ASIDs 1..4 and the root PPN. 2 loads alternate A/B/A/B. 3 a store in B lands
// in B's frame only. 4 the same VA holds different code in A and B (fetches alternate). 5 the global VA
// reads the same frame in A and B, and a store through it in A is seen in B. 6-8 = 2-4 from U with ASIDs 3/4
// (spaces AU/BU). 9-14 2-4 and 6-8 again, 15 one load per space: entries of four ASIDs coexist.
#include "vm.h"

#define V (VM_WIN + 0x5000UL)  /* per-space */
#define VC (VM_WIN + 0x6000UL) /* per-space code */
#define VG (VM_WIN + 0x7000UL) /* global */
#define DOFF 0x20
#define TAG_A 0xa1a1UL
#define TAG_B 0xb2b2UL
#define TAG_G 0x6767UL

enum { A, B, AU, BU, NSPACE };
static uint64_t *root[NSPACE];
static uint64_t frame[NSPACE], gframe;
static const uint64_t asid[NSPACE] = {1, 2, 3, 4};
static const char *const sname[NSPACE] = {"A", "B", "AU", "BU"};

static uint64_t satp_of(int s) { return vm_satp(root[s], asid[s]); }
static int prv_of(int s) { return s >= AU ? PRV_U : PRV_S; }
static volatile uint64_t *fdata(uint64_t f) { return (volatile uint64_t *)(f + DOFF); }

/* Switch to space s (satp write only) and run fn(arg) there. */
static long in(int s, long (*fn)(long), long arg) {
  write_csr(satp, satp_of(s));
  priv_trap_clear();
  return priv_run(prv_of(s), fn, arg);
}
static long fetch_in(int s, uint64_t va) {
  priv_m_resume = (uintptr_t)vm_fetch_resume;
  long r = in(s, vm_fetch, (long)va);
  priv_m_resume = 0;
  return r;
}

static void expect_load(int code, int line, int s, uint64_t va, uint64_t want) {
  long got = in(s, vm_load, (long)va);
  expect_no_trap_at(code, line, "load");
  priv_checks++;
  if ((uint64_t)got != want) {
    rt_printf("FAIL case %d (line %d): load 0x%lx in %s: 0x%lx, want 0x%lx\n", code, line, va, sname[s], got, want);
    rt_exit(code);
  }
}
#define EXPECT_LOAD(code, s, va, want) expect_load(code, __LINE__, s, va, want)
static void expect_fetch(int code, int line, int s, uint64_t va, uint64_t want) {
  long got = fetch_in(s, va);
  expect_no_trap_at(code, line, "fetch");
  priv_checks++;
  if ((uint64_t)got != want) {
    rt_printf("FAIL case %d (line %d): code at 0x%lx in %s returned 0x%lx, want 0x%lx\n", code, line, va, sname[s],
              got, want);
    rt_exit(code);
  }
}
#define EXPECT_FETCH(code, s, va, want) expect_fetch(code, __LINE__, s, va, want)

static void round(int base, int sa, int sb) {
  /* loads alternate */
  *fdata(frame[sa]) = TAG_A;
  *fdata(frame[sb]) = TAG_B;
  EXPECT_LOAD(base, sa, V + DOFF, TAG_A);
  EXPECT_LOAD(base, sb, V + DOFF, TAG_B);
  EXPECT_LOAD(base, sa, V + DOFF, TAG_A);
  EXPECT_LOAD(base, sb, V + DOFF, TAG_B);
  /* a store in sb */
  vm_store_value = 0x5b5b;
  in(sb, vm_store, (long)(V + DOFF));
  expect_no_trap(base + 1, "store");
  EXPECT_EQ(base + 1, *fdata(frame[sb]), 0x5b5b, "B's frame after B's store");
  EXPECT_EQ(base + 1, *fdata(frame[sa]), TAG_A, "A's frame after B's store");
  EXPECT_LOAD(base + 1, sa, V + DOFF, TAG_A);
  EXPECT_LOAD(base + 1, sb, V + DOFF, 0x5b5b);
  /* code */
  EXPECT_FETCH(base + 2, sa, VC + 0x80, 0x11);
  EXPECT_FETCH(base + 2, sb, VC + 0x80, 0x22);
  EXPECT_FETCH(base + 2, sa, VC + 0x80, 0x11);
  EXPECT_FETCH(base + 2, sb, VC + 0x80, 0x22);
}

int main(void) {
  priv_init();

  /* 1: ASIDs 1..4 are writable (16-bit ASID on sv39sim and QEMU). */
  for (int s = 0; s < NSPACE; s++) {
    root[s] = vm_alloc_table();
    uint64_t ram = PTE_RWX | PTE_AD | (prv_of(s) == PRV_U ? PTE_U : 0);
    vm_map(root[s], VM_RAM_GIGA, VM_RAM_GIGA, VM_LEVEL_1G, ram);
    uint64_t *f = vm_alloc_page();
    frame[s] = (uintptr_t)f;
    uint64_t u = prv_of(s) == PRV_U ? PTE_U : 0;
    vm_map(root[s], V, frame[s], VM_LEVEL_4K, PTE_R | PTE_W | PTE_AD | u);
    uint64_t *code = vm_alloc_page();
    vm_code(code, 0x80, (s == A || s == AU) ? 0x11 : 0x22);
    vm_map(root[s], VC, (uintptr_t)code, VM_LEVEL_4K, PTE_R | PTE_X | PTE_AD | u);
  }
  gframe = (uintptr_t)vm_alloc_page();
  for (int s = 0; s < NSPACE; s++) vm_map(root[s], VG, gframe, VM_LEVEL_4K, PTE_R | PTE_W | PTE_AD | PTE_G);
  for (int s = 0; s < NSPACE; s++) {
    write_csr(satp, satp_of(s));
    EXPECT_EQ(1, read_csr(satp), satp_of(s), "satp read back");
  }
  vm_sfence_all(); /* the only fence of the test */

  /* 2-4: S-mode, spaces A and B. */
  round(2, A, B);

  /* 5: the global VA. */
  *fdata(gframe) = TAG_G;
  EXPECT_LOAD(5, A, VG + DOFF, TAG_G);
  EXPECT_LOAD(5, B, VG + DOFF, TAG_G);
  vm_store_value = 0x6868;
  in(A, vm_store, (long)(VG + DOFF));
  expect_no_trap(5, "store to the global page");
  EXPECT_EQ(5, *fdata(gframe), 0x6868, "global frame after the store in A");
  EXPECT_LOAD(5, B, VG + DOFF, 0x6868);

  /* 6-8: U-mode, spaces AU and BU. */
  round(6, AU, BU);

  /* 9-15: again, interleaving all four spaces (entries of four ASIDs coexist). */
  round(9, A, B);
  round(12, AU, BU);
  EXPECT_LOAD(15, A, V + DOFF, TAG_A);
  EXPECT_LOAD(15, AU, V + DOFF, TAG_A);
  EXPECT_LOAD(15, B, V + DOFF, 0x5b5b);
  EXPECT_LOAD(15, BU, V + DOFF, 0x5b5b);
  EXPECT_LOAD(15, B, VG + DOFF, 0x6868);

  write_csr(satp, 0);
  priv_pass("vm_asid");
}
