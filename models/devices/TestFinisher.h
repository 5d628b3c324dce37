// SiFive test finisher (QEMU virt's "sifive_test" at 0x100000): firmware ends the run by writing
// 0x5555 (pass) or (code << 16) | 0x3333 (fail with code).
#pragma once

#include "models/devices/MmioDevice.h"
#include "models/sim/SimControl.h"

namespace sv39sim {

class TestFinisher : public MmioDevice {
 public:
  static constexpr uint64_t kSize = 0x1000;
  TestFinisher(sc_core::sc_module_name name, SimControl& control)
      : MmioDevice(name, kSize), control_(control) {}

 protected:
  bool read(uint64_t, uint8_t* data, unsigned len, const sc_core::sc_time&) override {
    std::memset(data, 0, len);
    return true;
  }
  bool write(uint64_t off, const uint8_t* data, unsigned len, const sc_core::sc_time&) override {
    if (off != 0 || len != 4) return false;
    const uint32_t v = static_cast<uint32_t>(to_value(data, 4));
    switch (v & 0xffff) {
      case 0x5555: control_.finish(RunStatus::Pass, 0, "test finisher: pass"); break;
      case 0x3333: control_.finish(RunStatus::Fail, v >> 16, "test finisher: fail"); break;
      case 0x7777:
        control_.finish(RunStatus::Fail, 0, "test finisher: reset requested (not modelled)");
        break;
      default: break;  // QEMU ignores other values too
    }
    return true;
  }

 private:
  SimControl& control_;
};

}  // namespace sv39sim
