// The models' configuration structs built from a Config: the one mapping from keys to struct fields, used
// by the platform and by unit tests alike. Every problem that involves more than one key (geometry,
// timing relations, values that must divide exactly) is found here and blamed on a key the user set.
//
// The structs' member defaults are the model's defaults; the schema takes its defaults from them
// (Schema.cpp), so a struct built from a default Config equals the default-constructed struct (seeds
// aside: each structure draws its own stream from sim.seed).
#pragma once

#include <string>

#include "models/config/Config.h"
#include "models/core/HartModule.h"
#include "models/devices/DiskTiming.h"
#include "models/mem/MemoryHierarchy.h"
#include "models/mmu/Mmu.h"
#include "models/mmu/PageTableWalker.h"
#include "models/trace/WaveWindow.h"

namespace sv39sim {

// Each throws an InputError listing every problem it finds.
HartTiming hart_timing(const Config& cfg);
MmuConfig mmu_config(const Config& cfg);
WalkerConfig walker_config(const Config& cfg);
MemoryHierarchyConfig memory_hierarchy_config(const Config& cfg);
DiskTimingConfig disk_timing_config(const Config& cfg);
// Which part of the event stream waves.fst gets (trace.waves.*).
WaveWindowConfig wave_window_config(const Config& cfg);
// The pager kernel's boot arguments (`key=value` lines, firmware/kernel/abi.h); "" if workload.run is empty.
std::string boot_args(const Config& cfg);
constexpr uint64_t kBootArgsOffset = 512, kBootArgsSize = 4096 - 512;  // where they go on the disk

// Adds every problem any of the above would throw, and input files that are directories, to `problems`.
void check_config(const Config& cfg, Problems* problems);

}  // namespace sv39sim
