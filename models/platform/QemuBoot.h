// Booting the way QEMU 7.2's virt machine boots `-bios none -kernel ELF` (hw/riscv/boot.c): the MROM at
// 0x1000 holds a reset vector that sets a0 = mhartid, a1 = the device tree's address, a2 = the address
// of a fw_dynamic_info block (OpenSBI's) after the vector, t0 = where it jumps, and jumps there; the
// device tree sits 2 MiB-aligned at least 1 MiB below the end of RAM (or of the first 3 GiB).
//
// sv39sim does not execute the vector: the hart starts at the ELF entry with the registers the vector
// would have left, so a run executes the same instructions with or without it (boot.mode=bare: no device
// tree, no ROM, every register zero).
#pragma once

#include <cstdint>
#include <vector>

#include "models/config/Config.h"
#include "models/mem/PhysicalMemory.h"
#include "models/platform/ElfLoader.h"
#include "models/platform/MemoryMap.h"

namespace sv39sim {

// QEMU builds its tree in a buffer of this size and reserves that much RAM for it, whatever the tree's
// packed size: a segment overlapping the reservation makes QEMU refuse the image.
constexpr uint64_t kFdtReserve = 1ull << 20;
// The reset vector is ten 32-bit words; the fw_dynamic_info block follows it.
constexpr uint64_t kFwDynamicInfo = memmap::kBootRom + 40;

// Where QEMU puts the device tree for RAM [ram_base, ram_base + ram_size); below ram_base when the RAM
// is smaller than kFdtReserve.
uint64_t fdt_address(uint64_t ram_base, uint64_t ram_size);

// The MROM's bytes: the reset vector jumping to `start` with a1 = fdt_addr, then fw_dynamic_info
// (magic "OSBI", version 2, next_addr = kernel_entry, next mode S, no options, boot hart 0).
std::vector<uint8_t> reset_rom(uint64_t start, uint64_t fdt_addr, uint64_t kernel_entry);

struct QemuBoot {
  uint64_t fdt_addr = 0;
  std::vector<uint8_t> rom;
};
// Builds the device tree for `cfg` and writes it into RAM at fdt_address(); an image segment overlapping
// the reservation, or RAM too small to hold it, is an InputError.
QemuBoot prepare_qemu_boot(const Config& cfg, const ElfImage& image, const RamWindow& ram);

}  // namespace sv39sim
