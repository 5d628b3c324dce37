// Where the platform's devices sit: QEMU virt's memory map (hw/riscv/virt.c in QEMU 7.2), for the devices
// sv39sim models, plus its own trace marker.
#pragma once

#include <cstdint>

namespace sv39sim::memmap {

// QEMU's MROM: the reset vector and the fw_dynamic_info block after it (QemuBoot.h).
constexpr uint64_t kBootRom = 0x1000, kBootRomSize = 0xf000;
constexpr uint64_t kTestFinisher = 0x00100000, kClint = 0x02000000, kPlic = 0x0c000000;
constexpr uint64_t kUart = 0x10000000, kRam = 0x80000000;
// Eight virtio-mmio transports, slot i at kVirtio + i * kVirtioStride on PLIC source kVirtioIrq + i. The
// disk (disk.image) is in slot 0; the others are empty, as QEMU's are when no device is plugged into them.
constexpr uint64_t kVirtio = 0x10001000, kVirtioStride = 0x1000;
constexpr unsigned kVirtioSlots = 8;
// Not in QEMU virt: a hole between its virtio-mmio slots (0x10001000..0x10008fff) and fw_cfg
// (0x10100000), inside the pager kernel's MMIO megapage at 0x10000000 (firmware/kernel/vm.c, kmmio).
constexpr uint64_t kTraceMarker = 0x10010000;
constexpr unsigned kUartIrq = 10, kVirtioIrq = 1;
// The 16550's input clock as QEMU's device tree states it (clock-frequency of serial@10000000).
constexpr uint32_t kUartClockHz = 3686400;

}  // namespace sv39sim::memmap
