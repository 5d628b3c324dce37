#include "models/mmu/Mmu.h"

namespace sv39sim {

void Mmu::set_context(Priv /*priv*/, uint64_t /*mstatus*/, uint64_t /*satp*/) {
  // Bare only until the Sv39 memory system lands; the hart already reports every change here.
}

bool Mmu::phys_read(uint64_t pa, void* data, unsigned len, uint64_t access_fault, uint64_t va) {
  device_access_ = true;
  if (mem_.read(pa, data, len)) return true;
  return fail(access_fault, va);
}

bool Mmu::phys_write(uint64_t pa, const void* data, unsigned len, uint64_t access_fault, uint64_t va) {
  device_access_ = true;
  if (mem_.write(pa, data, len)) return true;
  return fail(access_fault, va);
}

}  // namespace sv39sim
