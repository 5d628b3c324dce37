// From a configuration to a loadable RTL model: the RTL's parameters come from the same keys as the model's
// (mmu.itlb.*, mmu.dtlb.*, mmu.l2tlb.*, mmu.pwc.*), a configuration the RTL cannot build is rejected naming
// the key, and the Verilated top is built once per parameter set and RTL source into a cache folder
// (shim/CMakeLists.txt: find_package(verilator) and verilate()), then reused.
#pragma once

#include <string>
#include <vector>

#include "models/config/Config.h"

namespace sv39sim::rtl {

struct RtlSource {
  std::vector<std::string> files;  // SystemVerilog sources, package files first
  std::string top = "sv39_mmu";
};

// The project's own RTL (hw/), in compile order.
RtlSource project_rtl(const std::string& source_dir);

// What the harness must know of the geometry to name events as the model does.
struct RtlGeometry {
  unsigned itlb_ways = 0, dtlb_ways = 0, l2tlb_ways = 0;  // separate-array ways are numbered after these
  bool l2tlb = false;
};

// The -G parameter overrides for `cfg`; throws InputError (naming the key) for what the RTL cannot build.
std::vector<std::string> rtl_parameters(const Config& cfg, RtlGeometry* geometry);

// Builds (or finds in `cache_dir`) the shared object for `src` with `params`; returns its path. Progress
// and the build log's tail go to stderr; a failed build throws InputError with the log's path.
std::string build_rtl(const RtlSource& src, const std::vector<std::string>& params,
                      const std::string& cache_dir, const std::string& source_dir);

// The cache folder: `configured` if not empty, else $SV39SIM_RTL_CACHE, else ~/.cache/sv39sim/rtl.
std::string rtl_cache_dir(const std::string& configured);

}  // namespace sv39sim::rtl
