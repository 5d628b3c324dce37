// The statistics a run reports (the keys of its stats.json), found without running it, so that a sweep's
// stats: are checked before anything runs.
#pragma once

#include <string>
#include <vector>

#include "models/config/Config.h"

namespace sv39sim::sweep {

// Every stat name a run of `cfg` reports, in stats.json order: the platform's (a Platform is built for
// the config -- elaborated, never started), the pager kernel's table as its ELF declares it, and those
// `sv39sim run` adds at the end (testbench/RunStats.h). `default_elf` runs when sim.elf is empty.
// Building the platform also finds what only the platform checks (an ELF outside RAM, boot arguments
// that do not fit): those throw InputError naming the key's origin.
std::vector<std::string> stat_names(const Config& cfg, const std::string& default_elf);

}  // namespace sv39sim::sweep
