#include "testbench/RunStats.h"

namespace sv39sim {

void register_run_stats(Stats& stats, const SimControl& ctl, uint64_t instructions, double host_seconds) {
  stats.add_text(
      "sim.exit_status", [&ctl] { return run_status_name(ctl.status()); },
      "pass | fail | instruction_limit | time_limit | idle");
  stats.add_counter(
      "sim.exit_code", [&ctl] { return ctl.code(); }, "guest's failure code (0 on pass)");
  stats.add_real(
      "host.seconds", [host_seconds] { return host_seconds; }, "host wall-clock seconds simulating");
  stats.add_real(
      "host.mips", [=] { return host_seconds > 0 ? instructions / host_seconds / 1e6 : 0.0; },
      "simulated instructions per host second, in millions");
}

}  // namespace sv39sim
