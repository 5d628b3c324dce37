// Code written by stores runs as written, with no FENCE.I, when the stores go through a different virtual
// mapping than the fetches (issue 12 item 3; QEMU and Spike behave so, and kernels that copy programs rely
// on it). One frame is mapped twice in the test window: read-execute at X and read-write at Y (and again
// with U set, at XU and YU). Its old code has run before each rewrite, so a cached decode of it exists.
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false,svinval=false
//
// 1 S fetches X: the code M wrote (with FENCE.I). 2 S stores new code through Y, calls X: the new code.
// 3 U calls XU (the code of case 2), then stores new code through YU and calls XU. 4 M stores through the
// physical address, S calls X. 5 in one S run, eight rewrites through Y each followed by a call of X. 6 a
// page of 32 "addi a0, a0, 1" runs, then only the 17th instruction is rewritten through Y to "addi a0, a0,
// 100": the sum shows it changed and its neighbours did not.
#include "vm.h"

#define X (VM_WIN + 0x1000UL)
#define Y (VM_WIN + 0x5000UL)
#define XU (VM_WIN + 0x8000UL)
#define YU (VM_WIN + 0x9000UL)
#define INSN_ADDI_A0_A0(imm) ((uint32_t)(((uint32_t)(imm) << 20) | (10u << 15) | (10u << 7) | 0x13))
#define RUN 32

static uint64_t frame;

static void expect_value(int code, int line, long got, long want) {
  expect_no_trap_at(code, line, "run");
  priv_checks++;
  if (got != want) {
    rt_printf("FAIL case %d (line %d): the code returned %ld, want %ld\n", code, line, got, want);
    rt_exit(code);
  }
}
#define EXPECT_VALUE(code, got, want) expect_value(code, __LINE__, got, want)

/* "li a0, arg; ret" stored through the writable alias w, then a call of the executable alias x. */
static long rewrite_and_call(uint64_t w, uint64_t x, long value) {
  volatile uint32_t* p = (volatile uint32_t*)w;
  p[0] = INSN_LI_A0((uint32_t)value);
  p[1] = INSN_RET;
  return ((long (*)(void))x)();
}
static long rewrite_s(long value) {
  return rewrite_and_call(Y, X, value);
}
static long rewrite_u(long value) {
  return rewrite_and_call(YU, XU, value);
}

static long rewrite_loop(long rounds) {
  long ok = 0;
  for (long i = 1; i <= rounds; i++) ok += rewrite_and_call(Y, X, 100 + i) == 100 + i;
  return ok;
}

/* The code at X (or XU) with a0 = arg on entry. */
static long call_x(long arg) {
  return ((long (*)(long))X)(arg);
}
static long call_xu(long arg) {
  return ((long (*)(long))XU)(arg);
}

static long patch_middle(long unused) {
  (void)unused;
  ((volatile uint32_t*)Y)[RUN / 2] = INSN_ADDI_A0_A0(100);
  return ((long (*)(long))X)(0);
}

int main(void) {
  priv_init();
  vm_std_setup();
  frame = (uintptr_t)vm_alloc_page();
  vm_map_win(X, frame, PTE_R | PTE_X | PTE_AD);
  vm_map_win(Y, frame, PTE_R | PTE_W | PTE_AD);
  vm_map_win(XU, frame, PTE_R | PTE_X | PTE_U | PTE_AD);
  vm_map_win(YU, frame, PTE_R | PTE_W | PTE_U | PTE_AD);

  vm_code((void*)frame, 0, 1);
  EXPECT_VALUE(1, vm_run(PRV_S, call_x, 0), 1);
  EXPECT_VALUE(2, vm_run(PRV_S, rewrite_s, 2), 2);
  EXPECT_VALUE(3, vm_run(PRV_U, call_xu, 0), 2);
  EXPECT_VALUE(3, vm_run(PRV_U, rewrite_u, 3), 3);

  volatile uint32_t* phys = (volatile uint32_t*)frame;
  phys[0] = INSN_LI_A0(4u); /* M: no translation, no FENCE.I */
  EXPECT_VALUE(4, vm_run(PRV_S, call_x, 0), 4);

  EXPECT_VALUE(5, vm_run(PRV_S, rewrite_loop, 8), 8);

  for (int i = 0; i < RUN; i++) phys[i] = INSN_ADDI_A0_A0(1);
  phys[RUN] = INSN_RET;
  __asm__ volatile("fence.i" ::: "memory");
  EXPECT_VALUE(6, vm_run(PRV_S, call_x, 0), RUN);
  EXPECT_VALUE(6, vm_run(PRV_S, patch_middle, 0), RUN - 1 + 100);
  priv_pass("vm_smc_alias");
}
