// Loads ELF64 RISC-V executables: PT_LOAD segments by physical address, the entry point, and the HTIF
// symbols. Every malformed input is an InputError saying what is wrong with which file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/mem/PhysicalMemory.h"

namespace sv39sim {

struct ElfImage {
  struct Segment {
    uint64_t paddr = 0;
    uint64_t memsz = 0;
    std::vector<uint8_t> bytes;  // file contents; the rest of memsz is zero
  };
  std::string path;
  uint64_t entry = 0;
  std::optional<uint64_t> tohost, fromhost;
  std::optional<uint64_t> pager_stats;  // the pager kernel's statistics table (firmware/kernel/abi.h)
  std::vector<Segment> segments;
};

ElfImage read_elf(const std::string& path);
// Copies the segments into RAM; a segment outside RAM is an InputError naming its range.
void load_elf(const ElfImage& image, const RamWindow& ram);

}  // namespace sv39sim
