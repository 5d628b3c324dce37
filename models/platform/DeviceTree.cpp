#include "models/platform/DeviceTree.h"

#include <libfdt.h>

#include <initializer_list>
#include <stdexcept>
#include <string>

#include "models/devices/Clint.h"
#include "models/devices/Plic.h"
#include "models/devices/TestFinisher.h"
#include "models/devices/Uart16550.h"
#include "models/devices/VirtioMmioEmpty.h"
#include "models/platform/MemoryMap.h"

namespace sv39sim {

namespace {

// QEMU virt's phandles, so a tree dumped from either machine reads the same.
constexpr uint32_t kCpuPhandle = 1, kIntcPhandle = 2, kPlicPhandle = 3, kTestPhandle = 4;
// Interrupt numbers at the hart's local interrupt controller (mip bits).
constexpr uint32_t kMsi = 3, kMti = 7, kSei = 9, kMei = 11;

// libfdt's sequential-write calls, each checked: a failure means the buffer was too small, which
// the caller answers by retrying with a larger one.
class Writer {
 public:
  Writer(void* buf, int size) : buf_(buf) { check(fdt_create(buf, size)); }
  void check(int err) {
    if (err == -FDT_ERR_NOSPACE) throw NoSpace();
    if (err < 0) throw std::logic_error(std::string("device tree: ") + fdt_strerror(err));
  }
  void begin(const std::string& name) { check(fdt_begin_node(buf_, name.c_str())); }
  void end() { check(fdt_end_node(buf_)); }
  void str(const char* name, const std::string& v) { check(fdt_property_string(buf_, name, v.c_str())); }
  // A string list ("a\0b\0"): compatible values from the most to the least specific.
  void strs(const char* name, std::initializer_list<const char*> vs) {
    std::string all;
    for (const char* v : vs) all.append(v).push_back('\0');
    check(fdt_property(buf_, name, all.data(), static_cast<int>(all.size())));
  }
  void u32(const char* name, uint32_t v) { check(fdt_property_u32(buf_, name, v)); }
  void cells(const char* name, std::initializer_list<uint32_t> vs) {
    std::vector<fdt32_t> be;
    for (uint32_t v : vs) be.push_back(cpu_to_fdt32(v));
    check(fdt_property(buf_, name, be.data(), static_cast<int>(be.size() * sizeof(fdt32_t))));
  }
  // reg with #address-cells = #size-cells = 2.
  void reg(uint64_t base, uint64_t size) {
    cells("reg", {static_cast<uint32_t>(base >> 32), static_cast<uint32_t>(base),
                  static_cast<uint32_t>(size >> 32), static_cast<uint32_t>(size)});
  }
  void empty(const char* name) { check(fdt_property(buf_, name, nullptr, 0)); }
  struct NoSpace {};

 private:
  void* buf_;
};

std::string hex_name(const char* node, uint64_t addr) {
  char text[64];
  std::snprintf(text, sizeof text, "%s@%llx", node, static_cast<unsigned long long>(addr));
  return text;
}

void write_tree(Writer& w, void* buf, const Config& cfg) {
  w.check(fdt_finish_reservemap(buf));
  w.begin("");
  w.u32("#address-cells", 2);
  w.u32("#size-cells", 2);
  w.str("compatible", "riscv-virtio");
  w.str("model", "riscv-virtio,sv39sim");

  w.begin("chosen");
  const std::string& bootargs = cfg.get_string("boot.bootargs");
  if (!bootargs.empty()) w.str("bootargs", bootargs);
  w.str("stdout-path", hex_name("/soc/serial", memmap::kUart));
  w.end();

  // The test finisher's codes as syscon drivers use them (TestFinisher.h).
  w.begin("poweroff");
  w.u32("value", 0x5555);
  w.u32("offset", 0);
  w.u32("regmap", kTestPhandle);
  w.str("compatible", "syscon-poweroff");
  w.end();
  w.begin("reboot");
  w.u32("value", 0x7777);
  w.u32("offset", 0);
  w.u32("regmap", kTestPhandle);
  w.str("compatible", "syscon-reboot");
  w.end();

  w.begin(hex_name("memory", memmap::kRam));
  w.str("device_type", "memory");
  w.reg(memmap::kRam, cfg.get_uint("memory.ram_size"));
  w.end();

  w.begin("cpus");
  w.u32("#address-cells", 1);
  w.u32("#size-cells", 0);
  w.u32("timebase-frequency", static_cast<uint32_t>(cfg.get_uint("clint.timebase_hz")));
  w.begin("cpu@0");
  w.u32("phandle", kCpuPhandle);
  w.str("device_type", "cpu");
  w.u32("reg", 0);
  w.str("status", "okay");
  w.str("compatible", "riscv");
  w.str("riscv,isa", kDeviceTreeIsa);
  w.str("mmu-type", "riscv,sv39");
  w.begin("interrupt-controller");
  w.u32("#interrupt-cells", 1);
  w.empty("interrupt-controller");
  w.str("compatible", "riscv,cpu-intc");
  w.u32("phandle", kIntcPhandle);
  w.end();
  w.end();
  w.begin("cpu-map");
  w.begin("cluster0");
  w.begin("core0");
  w.u32("cpu", kCpuPhandle);
  w.end();
  w.end();
  w.end();
  w.end();

  w.begin("soc");
  w.u32("#address-cells", 2);
  w.u32("#size-cells", 2);
  w.str("compatible", "simple-bus");
  w.empty("ranges");

  w.begin(hex_name("serial", memmap::kUart));
  w.u32("interrupts", memmap::kUartIrq);
  w.u32("interrupt-parent", kPlicPhandle);
  w.u32("clock-frequency", memmap::kUartClockHz);
  w.reg(memmap::kUart, Uart16550::kSize);
  w.str("compatible", "ns16550a");
  w.end();

  w.begin(hex_name("test", memmap::kTestFinisher));
  w.u32("phandle", kTestPhandle);
  w.reg(memmap::kTestFinisher, TestFinisher::kSize);
  w.strs("compatible", {"sifive,test1", "sifive,test0", "syscon"});
  w.end();

  // Highest slot first, as in QEMU's tree: Linux probes in tree order, so QEMU's first -device (which
  // goes to the last slot) is found first.
  for (unsigned i = memmap::kVirtioSlots; i-- > 0;) {
    const uint64_t base = memmap::kVirtio + i * memmap::kVirtioStride;
    w.begin(hex_name("virtio_mmio", base));
    w.u32("interrupts", memmap::kVirtioIrq + i);
    w.u32("interrupt-parent", kPlicPhandle);
    w.reg(base, VirtioMmioEmpty::kSize);
    w.str("compatible", "virtio,mmio");
    w.end();
  }

  // Context 0 is M-mode (MEIP), context 1 S-mode (SEIP): Plic.h.
  w.begin(hex_name("plic", memmap::kPlic));
  w.u32("phandle", kPlicPhandle);
  w.u32("riscv,ndev", Plic::kSources - 1);
  w.reg(memmap::kPlic, Plic::kSize);
  w.cells("interrupts-extended", {kIntcPhandle, kMei, kIntcPhandle, kSei});
  w.empty("interrupt-controller");
  w.strs("compatible", {"sifive,plic-1.0.0", "riscv,plic0"});
  w.u32("#address-cells", 0);
  w.u32("#interrupt-cells", 1);
  w.end();

  w.begin(hex_name("clint", memmap::kClint));
  w.cells("interrupts-extended", {kIntcPhandle, kMsi, kIntcPhandle, kMti});
  w.reg(memmap::kClint, Clint::kSize);
  w.strs("compatible", {"sifive,clint0", "riscv,clint0"});
  w.end();

  w.end();  // soc
  w.end();  // root
  w.check(fdt_finish(buf));
}

}  // namespace

std::vector<uint8_t> build_device_tree(const Config& cfg) {
  // bootargs is the only part of unbounded size.
  for (size_t size = 8192 + cfg.get_string("boot.bootargs").size();; size *= 2) {
    std::vector<uint8_t> buf(size);
    try {
      Writer w(buf.data(), static_cast<int>(buf.size()));
      write_tree(w, buf.data(), cfg);
    } catch (const Writer::NoSpace&) {
      continue;
    }
    buf.resize(fdt_totalsize(buf.data()));
    return buf;
  }
}

}  // namespace sv39sim
