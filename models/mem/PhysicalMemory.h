// The narrow physical-memory interface below the Mmu (riscv-vp style): everything that is not a plain
// RAM access — device registers, the HTIF mailbox, addresses nothing answers — goes through it.
#pragma once

#include <cstdint>

namespace sv39sim {

class PhysicalMemory {
 public:
  virtual ~PhysicalMemory() = default;
  // false means no device answered (or it refused the access): the caller raises an access fault.
  virtual bool read(uint64_t paddr, void* data, unsigned len) = 0;
  virtual bool write(uint64_t paddr, const void* data, unsigned len) = 0;
};

class CodePages;

// A host view of guest RAM, handed to the Mmu so plain RAM accesses skip the bus (TLM DMI in spirit).
// Whoever writes through `host` reports the write to `code` (if set): see CodePages.h.
struct RamWindow {
  uint64_t base = 0;
  uint64_t size = 0;
  uint8_t* host = nullptr;
  CodePages* code = nullptr;
};

}  // namespace sv39sim
