// The device tree sv39sim boots kernels with (boot.mode=qemu), read back with libfdt and checked against
// the config it was built from and against QEMU 7.2's virt machine (its tree, dumped with
// `qemu-system-riscv64 -machine virt,dumpdtb=...`, and hw/riscv/boot.c's placement rule worked by hand).
#include <gtest/gtest.h>
#include <libfdt.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "models/config/Config.h"
#include "models/core/Hart.h"
#include "models/mmu/Mmu.h"
#include "models/platform/DeviceTree.h"
#include "models/platform/QemuBoot.h"

namespace sv39sim {
namespace {

class Tree {
 public:
  explicit Tree(const Config& cfg) : blob_(build_device_tree(cfg)) {}
  const void* fdt() const { return blob_.data(); }
  size_t size() const { return blob_.size(); }

  int node(const char* path) const {
    const int off = fdt_path_offset(fdt(), path);
    EXPECT_GE(off, 0) << path;
    return off;
  }
  std::string str(int node, const char* prop) const {
    int len = 0;
    const void* v = fdt_getprop(fdt(), node, prop, &len);
    return v ? std::string(static_cast<const char*>(v), strnlen(static_cast<const char*>(v), len)) : "<none>";
  }
  std::vector<uint32_t> cells(int node, const char* prop) const {
    int len = 0;
    const auto* v = static_cast<const fdt32_t*>(fdt_getprop(fdt(), node, prop, &len));
    std::vector<uint32_t> out;
    for (int i = 0; v && i < len / 4; ++i) out.push_back(fdt32_to_cpu(v[i]));
    return out;
  }
  uint32_t u32(int node, const char* prop) const {
    const auto c = cells(node, prop);
    EXPECT_EQ(c.size(), 1u) << prop;
    return c.empty() ? ~0u : c[0];
  }
  bool compatible(int node, const char* what) const {
    return fdt_node_check_compatible(fdt(), node, what) == 0;
  }

 private:
  std::vector<uint8_t> blob_;
};

std::vector<uint32_t> reg(uint64_t base, uint64_t size) {
  return {static_cast<uint32_t>(base >> 32), static_cast<uint32_t>(base), static_cast<uint32_t>(size >> 32),
          static_cast<uint32_t>(size)};
}

TEST(DeviceTree, IsAValidPackedTree) {
  const Tree t{Config{}};
  ASSERT_EQ(fdt_check_header(t.fdt()), 0);
  EXPECT_EQ(fdt_totalsize(t.fdt()), t.size());
  EXPECT_EQ(fdt_magic(t.fdt()), 0xd00dfeedu);
  EXPECT_EQ(fdt_num_mem_rsv(t.fdt()), 0);
  EXPECT_LT(t.size(), kFdtReserve);
  EXPECT_EQ(t.u32(0, "#address-cells"), 2u);
  EXPECT_EQ(t.u32(0, "#size-cells"), 2u);
  EXPECT_TRUE(t.compatible(0, "riscv-virtio"));
}

TEST(DeviceTree, MemoryTimebaseAndBootargsFollowTheConfig) {
  Config cfg;
  cfg.set("memory.ram_size", "256MiB", "--set");
  cfg.set("clint.timebase_hz", "1000000", "--set");
  cfg.set("boot.bootargs", "console=ttyS0 root=/dev/vda", "--set");
  const Tree t(cfg);
  const int mem = t.node("/memory@80000000");
  EXPECT_EQ(t.str(mem, "device_type"), "memory");
  EXPECT_EQ(t.cells(mem, "reg"), reg(0x80000000, 0x10000000));
  EXPECT_EQ(t.u32(t.node("/cpus"), "timebase-frequency"), 1000000u);
  EXPECT_EQ(t.str(t.node("/chosen"), "bootargs"), "console=ttyS0 root=/dev/vda");

  const Tree d{Config{}};
  EXPECT_EQ(d.cells(d.node("/memory@80000000"), "reg"), reg(0x80000000, 128u << 20));
  EXPECT_EQ(d.u32(d.node("/cpus"), "timebase-frequency"), 10000000u);  // QEMU's 10 MHz
  EXPECT_EQ(fdt_getprop(d.fdt(), d.node("/chosen"), "bootargs", nullptr), nullptr);
}

struct NoDevices : PhysicalMemory {
  bool read(uint64_t, void*, unsigned) override { return false; }
  bool write(uint64_t, const void*, unsigned) override { return false; }
};

TEST(DeviceTree, CpuStatesTheHartsIsaAndSv39) {
  const Tree t{Config{}};
  const int cpu = t.node("/cpus/cpu@0");
  EXPECT_EQ(t.str(cpu, "device_type"), "cpu");
  EXPECT_EQ(t.u32(cpu, "reg"), 0u);
  EXPECT_EQ(t.str(cpu, "mmu-type"), "riscv,sv39");
  EXPECT_EQ(t.str(cpu, "status"), "okay");
  // The single-letter extensions are exactly misa's, as the hart reports them (S and U are not ISA string
  // letters: the privileged modes are not stated there).
  NoDevices bus;
  Mmu mmu(bus);
  Hart hart(mmu, HartConfig{});
  uint64_t misa = 0;
  ASSERT_TRUE(hart.csr_read(csr::kMisa, &misa));
  const std::string isa = t.str(cpu, "riscv,isa");
  ASSERT_EQ(isa.substr(0, 4), "rv64");
  const std::string letters = isa.substr(4, isa.find('_') - 4);
  for (char e = 'a'; e <= 'z'; ++e) {
    if (e == 's' || e == 'u') continue;
    EXPECT_EQ(letters.find(e) != std::string::npos, ((misa >> (e - 'a')) & 1) != 0) << e;
  }
  EXPECT_NE(isa.find("_zicsr"), std::string::npos);
  EXPECT_NE(isa.find("_zifencei"), std::string::npos);
  const int intc = t.node("/cpus/cpu@0/interrupt-controller");
  EXPECT_TRUE(t.compatible(intc, "riscv,cpu-intc"));
  EXPECT_EQ(t.u32(intc, "#interrupt-cells"), 1u);
}

TEST(DeviceTree, DevicesAtQemuVirtAddressesWithTheirInterrupts) {
  const Tree t{Config{}};
  const uint32_t intc = t.u32(t.node("/cpus/cpu@0/interrupt-controller"), "phandle");
  const int plic = t.node("/soc/plic@c000000");
  const uint32_t plic_ph = t.u32(plic, "phandle");
  EXPECT_TRUE(t.compatible(plic, "sifive,plic-1.0.0"));
  EXPECT_EQ(t.u32(plic, "riscv,ndev"), 31u);  // sources 1..31
  // Context 0 = M-mode external (mip bit 11), context 1 = S-mode external (bit 9).
  EXPECT_EQ(t.cells(plic, "interrupts-extended"), (std::vector<uint32_t>{intc, 11, intc, 9}));

  const int clint = t.node("/soc/clint@2000000");
  EXPECT_TRUE(t.compatible(clint, "sifive,clint0"));
  EXPECT_EQ(t.cells(clint, "reg"), reg(0x2000000, 0x10000));
  EXPECT_EQ(t.cells(clint, "interrupts-extended"), (std::vector<uint32_t>{intc, 3, intc, 7}));  // MSI, MTI

  // stdout-path names the 16550: 3.6864 MHz clock as in QEMU's tree, PLIC source 10.
  const int uart = t.node(t.str(t.node("/chosen"), "stdout-path").c_str());
  EXPECT_TRUE(t.compatible(uart, "ns16550a"));
  EXPECT_EQ(t.cells(uart, "reg"), reg(0x10000000, 0x100));
  EXPECT_EQ(t.u32(uart, "interrupts"), 10u);
  EXPECT_EQ(t.u32(uart, "clock-frequency"), 3686400u);
  EXPECT_EQ(t.u32(uart, "interrupt-parent"), plic_ph);

  std::set<uint64_t> slots;
  for (int n = fdt_node_offset_by_compatible(t.fdt(), -1, "virtio,mmio"); n >= 0;
       n = fdt_node_offset_by_compatible(t.fdt(), n, "virtio,mmio")) {
    const auto r = t.cells(n, "reg");
    ASSERT_EQ(r.size(), 4u);
    const uint64_t base = uint64_t{r[0]} << 32 | r[1];
    EXPECT_EQ(r[3], 0x1000u);
    EXPECT_EQ(t.u32(n, "interrupts"), (base - 0x10001000) / 0x1000 + 1) << std::hex << base;
    EXPECT_EQ(t.u32(n, "interrupt-parent"), plic_ph);
    slots.insert(base);
  }
  EXPECT_EQ(slots, (std::set<uint64_t>{0x10001000, 0x10002000, 0x10003000, 0x10004000, 0x10005000, 0x10006000,
                                       0x10007000, 0x10008000}));

  const int test = t.node("/soc/test@100000");
  EXPECT_TRUE(t.compatible(test, "sifive,test0"));
  const int poweroff = t.node("/poweroff");
  EXPECT_TRUE(t.compatible(poweroff, "syscon-poweroff"));
  EXPECT_EQ(t.u32(poweroff, "regmap"), t.u32(test, "phandle"));
  EXPECT_EQ(t.u32(poweroff, "value"), 0x5555u);  // the finisher's pass code
}

// hw/riscv/boot.c: the tree goes at ALIGN_DOWN(min(RAM end, 3 GiB) - 1 MiB, 2 MiB), worked by hand.
TEST(QemuBoot, DeviceTreeAddressAsQemus) {
  EXPECT_EQ(fdt_address(0x80000000, 128ull << 20), 0x87e00000u);  // QEMU 7.2 passes this in a1 by default
  EXPECT_EQ(fdt_address(0x80000000, (128ull << 20) + (512 << 10)), 0x87e00000u);  // end 0x88080000
  EXPECT_EQ(fdt_address(0x80000000, 129ull << 20), 0x88000000u);                  // end 0x88100000
  EXPECT_EQ(fdt_address(0x80000000, 2ull << 30), 0xbfe00000u);  // 3 GiB cap (QEMU's overlap message)
  EXPECT_EQ(fdt_address(0x80000000, 4ull << 30), 0xbfe00000u);
  EXPECT_EQ(fdt_address(0x80000000, 3ull << 20), 0x80200000u);
}

TEST(QemuBoot, ResetRomLayout) {
  const std::vector<uint8_t> rom = reset_rom(0x80000000, 0x87e00000, 0x80000000);
  ASSERT_EQ(rom.size(), 40u + 48u);  // ten words, then six dwords of fw_dynamic_info
  auto dword = [&rom](size_t off) {
    uint64_t v;
    std::memcpy(&v, rom.data() + off, 8);
    return v;
  };
  uint32_t ld_a1;
  std::memcpy(&ld_a1, rom.data() + 12, 4);
  // ld a1, 32(t0): imm 32, rs1 x5, funct3 3, rd x11, opcode 0x03.
  EXPECT_EQ(ld_a1, (32u << 20) | (5u << 15) | (3u << 12) | (11u << 7) | 0x03u);
  EXPECT_EQ(dword(24), 0x80000000u);  // start
  EXPECT_EQ(dword(32), 0x87e00000u);  // fdt
  EXPECT_EQ(40u, kFwDynamicInfo - 0x1000);
  EXPECT_EQ(dword(40), 0x4942534fu);  // "OSBI" read as a little-endian word
  EXPECT_EQ(dword(48), 2u);
  EXPECT_EQ(dword(56), 0x80000000u);
  EXPECT_EQ(dword(64), 1u);  // S-mode
}

}  // namespace
}  // namespace sv39sim
