#include "models/platform/QemuBoot.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "models/platform/DeviceTree.h"

namespace sv39sim {

namespace {

std::string hex(uint64_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}

void put32(std::vector<uint8_t>* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void put64(std::vector<uint8_t>* out, uint64_t v) {
  put32(out, static_cast<uint32_t>(v));
  put32(out, static_cast<uint32_t>(v >> 32));
}

}  // namespace

uint64_t fdt_address(uint64_t ram_base, uint64_t ram_size) {
  constexpr uint64_t k3GiB = 3ull << 30, k2MiB = 2ull << 20;
  const uint64_t end = ram_base + ram_size;
  // Below 3 GiB so that a 32-bit kernel can reach it, when the RAM starts low enough to allow that.
  const uint64_t top = ram_base < k3GiB ? std::min(end, k3GiB) : end;
  return (top - kFdtReserve) & ~(k2MiB - 1);
}

std::vector<uint8_t> reset_rom(uint64_t start, uint64_t fdt_addr, uint64_t kernel_entry) {
  std::vector<uint8_t> rom;
  put32(&rom, 0x00000297);  // 1: auipc t0, %pcrel_hi(fw_dyn)
  put32(&rom, 0x02828613);  //    addi  a2, t0, %pcrel_lo(1b)
  put32(&rom, 0xf1402573);  //    csrr  a0, mhartid
  put32(&rom, 0x0202b583);  //    ld    a1, 32(t0)
  put32(&rom, 0x0182b283);  //    ld    t0, 24(t0)
  put32(&rom, 0x00028067);  //    jr    t0
  put64(&rom, start);       // start: .dword
  put64(&rom, fdt_addr);    // fdt_laddr: .dword
  // fw_dyn: struct fw_dynamic_info, RV64 (OpenSBI's include/sbi/fw_dynamic.h).
  put64(&rom, 0x4942534f);  // magic "OSBI"
  put64(&rom, 2);           // version
  put64(&rom, kernel_entry);
  put64(&rom, 1);  // next_mode: S
  put64(&rom, 0);  // options
  put64(&rom, 0);  // boot_hart
  return rom;
}

QemuBoot prepare_qemu_boot(const Config& cfg, const ElfImage& image, const RamWindow& ram) {
  QemuBoot boot;
  boot.fdt_addr = fdt_address(ram.base, ram.size);
  if (ram.size < kFdtReserve)
    throw cfg.error("memory.ram_size", "boot.mode=qemu needs at least 1MiB of RAM for the device tree");
  const uint64_t fdt_end = boot.fdt_addr + kFdtReserve;
  for (const auto& seg : image.segments) {
    if (seg.paddr < fdt_end && boot.fdt_addr < seg.paddr + seg.memsz) {
      throw InputError(image.path + ": segment [" + hex(seg.paddr) + ", " + hex(seg.paddr + seg.memsz) +
                       ") overlaps the device tree's place [" + hex(boot.fdt_addr) + ", " + hex(fdt_end) +
                       ") (QEMU's virt machine refuses this image too); set boot.mode=bare to boot "
                       "without a device tree");
    }
  }
  const std::vector<uint8_t> tree = build_device_tree(cfg);
  // The tree is a few KiB; the reservation is what QEMU keeps free for it.
  std::memcpy(ram.host + (boot.fdt_addr - ram.base), tree.data(), tree.size());
  boot.rom = reset_rom(image.entry, boot.fdt_addr, image.entry);
  return boot;
}

}  // namespace sv39sim
