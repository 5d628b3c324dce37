// Loads ELF64 RISC-V executables: PT_LOAD segments by physical address, the entry point, and the HTIF
// symbols. Every malformed input is an InputError saying what is wrong with which file.
//
// The file is read piece by piece (headers, symbols, then each segment straight into guest RAM), never
// whole: host memory stays bounded by what the image puts into RAM, whatever the file's size.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/mem/PhysicalMemory.h"

namespace sv39sim {

struct ElfImage {
  struct Segment {
    unsigned index = 0;  // program header number, for messages
    uint64_t paddr = 0;
    uint64_t memsz = 0;
    uint64_t offset = 0;  // file bytes [offset, offset + filesz) land at paddr; the rest of memsz is zero
    uint64_t filesz = 0;
  };
  std::string path;
  uint64_t entry = 0;
  std::optional<uint64_t> tohost, fromhost;
  std::optional<uint64_t> pager_stats;  // the pager kernel's statistics table (firmware/kernel/abi.h)
  std::vector<Segment> segments;        // sorted by paddr, never overlapping
  std::shared_ptr<const int> fd;        // the open file, read again by load_elf
};

ElfImage read_elf(const std::string& path);
// Copies the segments into RAM; a segment, entry point or tohost outside RAM is an InputError naming it,
// raised before anything is written.
void load_elf(const ElfImage& image, const RamWindow& ram);

}  // namespace sv39sim
