// An interrupt taken into M-mode while S-mode polls a line through Sv39: the handler's first instruction
// loads from that line, untranslated (privileged spec v1.12, 3.1.6.3: M-mode accesses are not translated
// unless MPRV; 4.1.11: satp applies below M), then stores to it to end the poll. The load must be an M-mode
// access of its own, with no D-TLB hit: what the fast-path equivalence test compares against the slow paths
// (a data window left open across the trap would count one).
// qemu-args: -cpu rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false,svinval=false
#include "vm.h"

static volatile uint64_t line[8] __attribute__((aligned(64)));
static volatile uint64_t mtimecmp_addr = CLINT_MTIMECMP;

// irqwin_poll(a0 = &line): S-mode, loads line[0] until it is nonzero (returns &line) or a million polls
// pass (returns 0). irqwin_mvec: the M trap vector for the test; an interrupt copies line[1] to line[0] and
// lowers MTIP, anything else (priv_run's way back) goes to priv.h's vector. a0 holds &line in both.
__asm__(
    ".text\n"
    ".balign 4\n"
    ".globl irqwin_poll\n"
    "irqwin_poll:\n"
    "  li t3, 1000000\n"
    "1:\n"
    "  ld t0, 0(a0)\n"
    "  bnez t0, 2f\n"
    "  addi t3, t3, -1\n"
    "  bnez t3, 1b\n"
    "  li a0, 0\n"
    "2:\n"
    "  ret\n"
    ".balign 4\n"
    ".globl irqwin_mvec\n"
    "irqwin_mvec:\n"
    "  ld t1, 8(a0)\n"
    "  csrr t2, mcause\n"
    "  bgez t2, 3f\n"
    "  sd t1, 0(a0)\n"
    "  la t2, mtimecmp_addr\n"
    "  ld t2, 0(t2)\n"
    "  li t1, -1\n"
    "  sd t1, 0(t2)\n"
    "  mret\n"
    "3:\n"
    "  j priv_mtrap_entry\n");
extern char irqwin_mvec[];
long irqwin_poll(long line_addr);

int main(void) {
  priv_init();
  vm_std_setup();
  // Two rounds: in the second the vector's instructions are decoded already, as they are in a handler
  // that has run before.
  for (uint64_t round = 0; round < 2; round++) {
    line[0] = 0;
    line[1] = 0x1234 + round;
    write_csr(mtvec, (uintptr_t)irqwin_mvec);
    set_csr(mie, MIP_MTIP);
    clint_set_mtimecmp(clint_mtime() + 100);  // 10 us: well inside the poll
    const long r = vm_run(PRV_S, irqwin_poll, (long)(uintptr_t)line);
    clear_csr(mie, MIP_MTIP);
    write_csr(mtvec, (uintptr_t)priv_mtrap_entry);
    EXPECT_EQ(1 + round, r, (long)(uintptr_t)line, "the S-mode poll ended by the interrupt's store");
    EXPECT_EQ(1 + round, line[0], 0x1234 + round, "line[0] after the handler copied line[1]");
  }
  write_csr(satp, 0);
  priv_pass("vm_irq_mmode_load");
}
