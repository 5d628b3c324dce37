// The single translation entry point: every fetch, load, store and AMO of the hart comes through here.
// The hot path (inline below) handles untranslated RAM accesses; everything else takes the slow path in
// Mmu.cpp. Sv39 translation, TLBs and PMP plug in behind translate() without touching the hart.
#pragma once

#include <cstdint>
#include <cstring>

#include "models/core/Csr.h"
#include "models/mem/PhysicalMemory.h"

namespace sv39sim {

enum class Access : uint8_t { Fetch, Load, Store };

struct MemFault {
  uint64_t cause = 0;
  uint64_t tval = 0;
};

class Mmu {
 public:
  explicit Mmu(PhysicalMemory& mem) : mem_(mem) {}

  void set_ram(const RamWindow& ram) { ram_ = ram; }
  // Stores into [addr, addr+len) leave the fast path so the platform sees them (HTIF tohost).
  void set_store_watch(uint64_t addr, uint64_t len) {
    watch_lo_ = addr - 7;  // any store of up to 8 bytes that overlaps the window
    watch_len_ = len + 7;
  }
  void set_trap_misaligned(bool trap) { trap_misaligned_ = trap; }

  // Called by the hart whenever privilege, mstatus or satp change.
  void set_context(Priv priv, uint64_t mstatus, uint64_t satp);

  template <typename T>
  bool load(uint64_t va, T* out) {
    if ((va & (sizeof(T) - 1)) && trap_misaligned_) return fail(cause::kMisalignedLoad, va);
    const uint64_t pa = va;  // Bare: the only mode so far
    const uint64_t off = pa - ram_.base;
    if (off < ram_.size && ram_.size - off >= sizeof(T)) {
      std::memcpy(out, ram_.host + off, sizeof(T));
      return true;
    }
    return phys_read(pa, out, sizeof(T), cause::kLoadAccess, va);
  }

  template <typename T>
  bool store(uint64_t va, T value) {
    if ((va & (sizeof(T) - 1)) && trap_misaligned_) return fail(cause::kMisalignedStore, va);
    const uint64_t pa = va;
    const uint64_t off = pa - ram_.base;
    if (off < ram_.size && ram_.size - off >= sizeof(T) && pa - watch_lo_ >= watch_len_) {
      std::memcpy(ram_.host + off, &value, sizeof(T));
      return true;
    }
    return phys_write(pa, &value, sizeof(T), cause::kStoreAccess, va);
  }

  // Read-modify-write for AMOs and SC: translated as a store (AMOs need write permission and raise
  // store/AMO faults), alignment already checked by the hart.
  template <typename T, typename F>
  bool amo(uint64_t va, T* old, F&& modify) {
    const uint64_t pa = va;
    const uint64_t off = pa - ram_.base;
    if (off < ram_.size && ram_.size - off >= sizeof(T) && pa - watch_lo_ >= watch_len_) {
      std::memcpy(old, ram_.host + off, sizeof(T));
      const T updated = modify(*old);
      std::memcpy(ram_.host + off, &updated, sizeof(T));
      return true;
    }
    if (!phys_read(pa, old, sizeof(T), cause::kStoreAccess, va)) return false;
    const T updated = modify(*old);
    return phys_write(pa, &updated, sizeof(T), cause::kStoreAccess, va);
  }

  // Translates the fetch address `va`; on success *pa is where the instruction's first parcel lives.
  bool translate_fetch(uint64_t va, uint64_t* pa) {
    *pa = va;
    return true;
  }
  // Reads an instruction parcel (16 bits) at a translated fetch address; tval names `va`.
  bool fetch_parcel(uint64_t pa, uint64_t va, uint16_t* parcel) {
    const uint64_t off = pa - ram_.base;
    if (off < ram_.size && ram_.size - off >= 2) {
      std::memcpy(parcel, ram_.host + off, 2);
      return true;
    }
    // Instructions come from RAM only; executing device registers is an access fault.
    return fail(cause::kFetchAccess, va);
  }

  const MemFault& fault() const { return fault_; }
  // True after an access left the fast path for a device: the hart ends its batch so interrupts raised
  // by that access are seen at once.
  bool take_device_access() {
    const bool d = device_access_;
    device_access_ = false;
    return d;
  }

 private:
  bool fail(uint64_t cause, uint64_t tval) {
    fault_.cause = cause;
    fault_.tval = tval;
    return false;
  }
  bool phys_read(uint64_t pa, void* data, unsigned len, uint64_t access_fault, uint64_t va);
  bool phys_write(uint64_t pa, const void* data, unsigned len, uint64_t access_fault, uint64_t va);

  PhysicalMemory& mem_;
  RamWindow ram_;
  uint64_t watch_lo_ = 0;
  uint64_t watch_len_ = 0;
  bool trap_misaligned_ = false;
  bool device_access_ = false;
  MemFault fault_;
};

}  // namespace sv39sim
