/* Code written by stores, run without FENCE.I (Zifencei; shared by code_coherent.c and
 * code_noncoherent.c, which set SMC_COHERENT). Each case runs code from a page (fetching, and so
 * decoding, it), writes other instructions over it, and runs it again without FENCE.I, then after one:
 *   coherent (hart.icache_coherent = true, the default, and QEMU): the new instructions run at once;
 *   non-coherent (false): the old ones run until FENCE.I, the new ones after it.
 * A page not fetched from since the last FENCE.I runs what was last written in both modes (its first
 * fetch fills the instruction cache). Cases: 1-3 in M-mode through the physical address; 4-6 in S-mode,
 * the store through another virtual mapping of the page than the fetch (Sv39), the FENCE.I in S-mode. */
#ifndef SV39SIM_SMC_H
#define SV39SIM_SMC_H

#include "vm.h"

#define VA_X VM_WIN             /* the page mapped R X */
#define VA_W (VM_WIN + VM_PAGE) /* the same page mapped R W */
#define OLD_OR_NEW(o, n) (SMC_COHERENT ? (n) : (o))

long smc_fence_i(long a);
__asm__(".pushsection .text.smc, \"ax\"\n.globl smc_fence_i\nsmc_fence_i:\n  fence.i\n  ret\n.popsection\n");

/* "li a0, value; ret" as one doubleword, for a single store. */
static uint64_t code_word(int value) {
  return ((uint64_t)INSN_RET << 32) | INSN_LI_A0((uint32_t)value);
}

static long call(void* code) {
  return ((long (*)(void))(uintptr_t)code)();
}

__attribute__((noreturn)) static void smc_main(const char* name) {
  priv_init();
  vm_std_setup();

  /* 1-3: M-mode, physical. */
  void* page = vm_alloc_page();
  vm_code(page, 0, 1); /* fence.i */
  EXPECT_EQ(1, call(page), 1, "first run");
  *(volatile uint64_t*)page = code_word(2);
  EXPECT_EQ(2, call(page), OLD_OR_NEW(1, 2), "run after a store, no FENCE.I");
  __asm__ volatile("fence.i" ::: "memory");
  EXPECT_EQ(3, call(page), 2, "run after FENCE.I");
  /* A page first fetched after the store: its new contents. */
  void* fresh = vm_alloc_page();
  *(volatile uint64_t*)fresh = code_word(3);
  EXPECT_EQ(3, call(fresh), 3, "first run of code stored since the last FENCE.I");

  /* 4-6: S-mode, executed through VA_X, written through VA_W. */
  void* shared = vm_alloc_page();
  vm_map_win(VA_X, (uintptr_t)shared, PTE_R | PTE_X | PTE_AD);
  vm_map_win(VA_W, (uintptr_t)shared, PTE_R | PTE_W | PTE_AD);
  vm_code(shared, 0, 5); /* fence.i */
  long r = vm_run_fetch(PRV_S, VA_X);
  expect_no_trap(4, "S-mode run through VA_X");
  EXPECT_EQ(4, r, 5, "first run in S");
  vm_store_value = code_word(6);
  vm_run(PRV_S, vm_store, VA_W);
  expect_no_trap(5, "store through VA_W");
  r = vm_run_fetch(PRV_S, VA_X);
  EXPECT_EQ(5, r, OLD_OR_NEW(5, 6), "S-mode run after a store through another mapping, no FENCE.I");
  vm_run(PRV_S, smc_fence_i, 0);
  r = vm_run_fetch(PRV_S, VA_X);
  EXPECT_EQ(6, r, 6, "S-mode run after FENCE.I in S");
  expect_no_trap(6, "S-mode runs");

  priv_pass(name);
}

#endif
