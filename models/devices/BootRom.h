// QEMU virt's MROM at 0x1000: read-only bytes (the reset vector and the firmware information after it,
// QemuBoot.h), zero beyond them. Stores are dropped without a fault, as QEMU drops stores to ROM.
#pragma once

#include <algorithm>
#include <vector>

#include "models/devices/MmioDevice.h"

namespace sv39sim {

class BootRom : public MmioDevice {
 public:
  BootRom(sc_core::sc_module_name name, uint64_t size, std::vector<uint8_t> contents)
      : MmioDevice(name, size), contents_(std::move(contents)) {
    contents_.resize(std::min<uint64_t>(contents_.size(), size));
  }

 protected:
  bool read(uint64_t off, uint8_t* data, unsigned len, const sc_core::sc_time&) override {
    for (unsigned i = 0; i < len; ++i) data[i] = off + i < contents_.size() ? contents_[off + i] : 0;
    return true;
  }
  bool write(uint64_t, const uint8_t*, unsigned, const sc_core::sc_time&) override { return true; }

 private:
  std::vector<uint8_t> contents_;
};

}  // namespace sv39sim
