/* Boot as QEMU's virt machine boots -bios none -kernel ELF: a0 = mhartid, a1 = the device tree (FDT),
 * a2 = the reset ROM's fw_dynamic_info. The tree is walked by hand (devicetree specification 0.4, 5.4:
 * big-endian tokens BEGIN_NODE 1, END_NODE 2, PROP 3, NOP 4, END 9) for what both machines must state:
 * the memory node (128 MiB at 0x80000000, both defaults), the 16550 (ns16550a at 0x10000000, irq 10),
 * eight virtio,mmio nodes (0x10001000 + i * 0x1000, irq i + 1), timebase 10 MHz, stdout-path.
 * Expected addresses are hw/riscv/boot.c's rules worked by hand: the tree at (0x88000000 - 1 MiB) rounded
 * down to 2 MiB = 0x87e00000; the ROM at 0x1000 of 10 words, so fw_dynamic_info at 0x1028. */
#include "runtime.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

extern char _start[];
static int checks;

/* The tree's structure: how many of these run depends on the machine's tree, so they are not counted. */
static void require(int ok, int n, const char* what) {
  if (!ok) {
    rt_printf("platform_boot_fdt: case %d failed: %s\n", n, what);
    rt_exit(n);
  }
}
static void check(int ok, int n, const char* what) {
  require(ok, n, what);
  checks++;
}

static uint32_t be32(const void* p) {
  const uint8_t* b = p;
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
static uint64_t be64(const void* p) {
  return (uint64_t)be32(p) << 32 | be32((const uint8_t*)p + 4);
}
static int streq(const char* a, const char* b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}
static int starts(const char* s, const char* prefix) {
  while (*prefix)
    if (*s++ != *prefix++) return 0;
  return 1;
}
/* Whether a string-list property (compatible) holds `want`. */
static int has_string(const char* list, uint32_t len, const char* want) {
  for (uint32_t at = 0; at < len; at += 1) {
    const char* s = list + at;
    if (streq(s, want)) return 1;
    while (at < len && list[at]) at++;
  }
  return 0;
}

/* What one node states, gathered while its properties go by. */
struct node {
  const char* name;
  const char* compat;
  uint32_t compat_len;
  const uint8_t* reg;
  uint32_t reg_len;
  int interrupts;
};

static int memory_ok, uart_ok, chosen_ok, timebase_ok, isa_ok;
static unsigned virtio_seen; /* bit i: slot i's node found with its irq */

static void node_done(const struct node* n, int depth) {
  if (depth == 2 && starts(n->name, "memory@") && n->reg_len == 16)
    memory_ok = be64(n->reg) == 0x80000000UL && be64(n->reg + 8) == 128UL << 20;
  if (n->compat && has_string(n->compat, n->compat_len, "ns16550a") && n->reg_len == 16)
    uart_ok = be64(n->reg) == 0x10000000UL && n->interrupts == 10;
  if (n->compat && has_string(n->compat, n->compat_len, "virtio,mmio") && n->reg_len == 16) {
    const uint64_t base = be64(n->reg);
    const uint64_t slot = (base - 0x10001000UL) / 0x1000;
    if (base >= 0x10001000UL && slot < 8 && base % 0x1000 == 0 && be64(n->reg + 8) == 0x1000 &&
        n->interrupts == (int)slot + 1)
      virtio_seen |= 1u << slot;
  }
}

static void walk(const uint8_t* fdt) {
  const uint8_t* p = fdt + be32(fdt + 8);
  const char* strings = (const char*)fdt + be32(fdt + 12);
  struct node stack[8];
  int depth = 0;
  for (int steps = 0; steps < 10000; steps++) {
    const uint32_t token = be32(p);
    p += 4;
    if (token == FDT_BEGIN_NODE) {
      require(depth < 8, 20, "nodes nest at most 8 deep");
      struct node* n = &stack[depth++];
      n->name = (const char*)p;
      n->compat = 0, n->compat_len = 0, n->reg = 0, n->reg_len = 0, n->interrupts = -1;
      while (*p) p++;
      p = (const uint8_t*)(((uintptr_t)p + 4) & ~3UL);
    } else if (token == FDT_PROP) {
      require(depth > 0, 21, "property inside a node");
      const uint32_t len = be32(p), nameoff = be32(p + 4);
      const uint8_t* val = p + 8;
      const char* name = strings + nameoff;
      struct node* n = &stack[depth - 1];
      if (streq(name, "compatible")) n->compat = (const char*)val, n->compat_len = len;
      if (streq(name, "reg")) n->reg = val, n->reg_len = len;
      if (streq(name, "interrupts") && len == 4) n->interrupts = (int)be32(val);
      if (depth == 2 && streq(n->name, "chosen") && streq(name, "stdout-path"))
        chosen_ok = streq((const char*)val, "/soc/serial@10000000");
      if (depth == 2 && streq(n->name, "cpus") && streq(name, "timebase-frequency") && len == 4)
        timebase_ok = be32(val) == 10000000;
      if (depth == 3 && starts(n->name, "cpu@0") && streq(name, "riscv,isa"))
        isa_ok = starts((const char*)val, "rv64imac");
      if (depth == 1) {
        if (streq(name, "#address-cells")) require(be32(val) == 2, 22, "root #address-cells 2");
        if (streq(name, "#size-cells")) require(be32(val) == 2, 23, "root #size-cells 2");
      }
      p = val + ((len + 3) & ~3u);
    } else if (token == FDT_END_NODE) {
      require(depth > 0, 24, "END_NODE matches a BEGIN_NODE");
      node_done(&stack[depth - 1], depth);
      depth--;
    } else if (token == FDT_NOP) {
      continue;
    } else {
      require(token == FDT_END && depth == 0, 25, "the structure block ends with END after the root");
      return;
    }
  }
  require(0, 26, "the structure block ends");
}

int main(uint64_t hartid, uint64_t fdt, uint64_t fw_dyn) {
  check(hartid == read_csr(mhartid), 1, "a0 = mhartid");
  check(fdt == 0x87e00000UL, 2, "a1 = 0x87e00000, QEMU's place for 128 MiB of RAM");
  const uint8_t* tree = (const uint8_t*)(uintptr_t)fdt;
  check(be32(tree) == FDT_MAGIC, 3, "FDT magic 0xd00dfeed, big-endian");
  check(be32(tree + 4) < (1u << 20), 4, "totalsize under the 1 MiB QEMU reserves");
  check(be32(tree + 20) == 17 && be32(tree + 24) == 16, 5, "version 17, last compatible version 16");
  check(be32(tree + 28) == 0, 6, "boot_cpuid_phys 0");
  walk(tree);
  check(memory_ok, 7, "/memory@...: reg <0x80000000 128 MiB>");
  check(uart_ok, 8, "an ns16550a node: reg 0x10000000, interrupts 10");
  check(virtio_seen == 0xff, 9, "eight virtio,mmio nodes at 0x10001000 + i*0x1000, interrupts i + 1");
  check(chosen_ok, 10, "/chosen stdout-path = /soc/serial@10000000");
  check(timebase_ok, 11, "/cpus timebase-frequency 10 MHz");
  check(isa_ok, 12, "cpu@0 riscv,isa starts rv64imac");

  /* The reset ROM and its fw_dynamic_info (OpenSBI's struct: magic "OSBI", version 2, next_addr, next_mode
   * S = 1, options, boot_hart). */
  check(fw_dyn == 0x1028, 13, "a2 = 0x1028");
  const volatile uint64_t* info = (const volatile uint64_t*)(uintptr_t)fw_dyn;
  check(info[0] == 0x4942534f && info[1] == 2, 14, "fw_dynamic_info magic and version");
  check(info[2] == (uintptr_t)_start && info[3] == 1, 15, "fw_dynamic_info next_addr = entry, mode S");
  check(info[4] == 0 && info[5] == 0, 16, "fw_dynamic_info options 0, boot_hart 0");
  check(MMIO32(0x1000) == 0x00000297, 17, "the ROM starts with auipc t0, 0");
  check(MMIO64(0x1018) == (uintptr_t)_start && MMIO64(0x1020) == fdt, 18, "the ROM's start and fdt dwords");
  MMIO32(0x1000) = 0x12345678;
  check(MMIO32(0x1000) == 0x00000297, 19, "a store to the ROM changes nothing and does not fault");

  rt_printf("platform_boot_fdt: %d checks passed\n", checks);
  return 0;
}
