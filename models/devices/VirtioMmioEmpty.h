// A virtio-mmio transport with nothing plugged into it, as QEMU's virt machine presents its unused slots
// (hw/virtio/virtio-mmio.c with no backend): the magic value, version 2 (force-legacy=false) and vendor id
// read as on a populated slot, device id 0 tells drivers there is no device, every other register reads
// zero and writes are ignored. Reads of any width are answered the way QEMU's memory core splits them:
// 4-byte pieces, each the register at its exact offset (a byte read of the magic value gets its low byte,
// a read inside a register gets 0).
#pragma once

#include "models/devices/MmioDevice.h"

namespace sv39sim {

class VirtioMmioEmpty : public MmioDevice {
 public:
  static constexpr uint64_t kSize = 0x1000;
  explicit VirtioMmioEmpty(sc_core::sc_module_name name) : MmioDevice(name, kSize) {}

  // The register file of an empty transport, also VirtioBlk's when it has no disk image.
  static bool read_empty(uint64_t off, uint8_t* data, unsigned len) {
    if (off % len != 0) return false;  // unaligned: an access fault, as for the populated slot
    uint64_t v = reg(off);
    if (len == 8) v |= uint64_t{reg(off + 4)} << 32;
    from_value(v, data, len);
    return true;
  }
  static bool write_empty(uint64_t off, unsigned len) { return off % len == 0; }

 protected:
  bool read(uint64_t off, uint8_t* data, unsigned len, const sc_core::sc_time&) override {
    return read_empty(off, data, len);
  }
  bool write(uint64_t off, const uint8_t*, unsigned len, const sc_core::sc_time&) override {
    return write_empty(off, len);
  }

 private:
  static uint32_t reg(uint64_t off) {
    switch (off) {
      case 0x000: return 0x74726976;  // "virt"
      case 0x004: return 2;           // version: the modern (non-legacy) layout
      case 0x00c: return 0x554d4551;  // vendor id "QEMU"
      default: return 0;
    }
  }
};

}  // namespace sv39sim
