// The flattened device tree (FDT, devicetree specification 0.4) describing the platform sv39sim builds
// from a Config, laid out as QEMU 7.2's virt machine lays out its own (node names, phandles, properties),
// for the devices sv39sim has. A kernel finds it through a1 at boot (QemuBoot.h).
#pragma once

#include <cstdint>
#include <vector>

#include "models/config/Config.h"

namespace sv39sim {

// The hart's ISA as the device tree's riscv,isa states it: misa's letters (HartCsr.cpp) and the
// Z extensions the hart executes.
constexpr const char* kDeviceTreeIsa = "rv64imac_zicsr_zifencei_zihintpause";

// The blob, packed (its header's totalsize is its length).
std::vector<uint8_t> build_device_tree(const Config& cfg);

}  // namespace sv39sim
