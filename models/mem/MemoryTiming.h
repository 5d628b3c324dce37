// The timing side of the memory system: who asks, for which physical line, and when the data is there.
// Data itself always comes from Ram; caches and DRAM here only decide time.
#pragma once

#include <cstdint>

#include "models/sim/Event.h"

namespace sv39sim {

enum class Requester : uint8_t { Fetch, Load, Store, Walker };

class MemoryTiming {
 public:
  virtual ~MemoryTiming() = default;
  // An access starting at `now_ps`; returns the time its data is available (reads) or accepted (writes).
  virtual uint64_t access(Requester who, uint64_t paddr, bool write, uint64_t now_ps) = 0;
  // Which level served the data of the last access (what a PTE read event reports).
  virtual ServedBy last_served() const { return ServedBy::Memory; }
};

// No memory-system timing: every access is instantaneous (Bare-mode foundation, unit tests).
class ZeroLatencyMemory : public MemoryTiming {
 public:
  uint64_t access(Requester, uint64_t, bool, uint64_t now_ps) override { return now_ps; }
};

}  // namespace sv39sim
