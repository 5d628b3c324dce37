// The statistics `sv39sim run` adds to the platform's own once the run is over: how it ended and how fast
// the host simulated. One place, so `sv39sim sweep` knows their names without running anything.
#pragma once

#include <cstdint>

#include "models/sim/SimControl.h"
#include "models/sim/Stats.h"

namespace sv39sim {

void register_run_stats(Stats& stats, const SimControl& ctl, uint64_t instructions, double host_seconds);

}  // namespace sv39sim
