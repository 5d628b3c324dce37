// `sv39sim sweep SWEEP.yaml`: check every point, then run those not done yet on a backend, then collect
// the results and draw the plots.
#pragma once

#include <string>

#include "testbench/sweep/SweepBackend.h"

namespace sv39sim::sweep {

struct SweepOptions {
  std::string file;
  unsigned jobs = 0;  // 0: the number of CPUs
  std::string out;    // "" : sweeps/<name>
  std::string backend = "local";
  bool dry_run = false, resume = false;
  SlurmOptions slurm;
  std::string default_elf;  // what runs when sim.elf is empty
  std::string plot_script;  // testbench/sweep/plot.py of the source tree
};

// Exit status: 0 every point ran (whatever each exited: see exit_status in results.csv), 1 the plots
// failed (results are complete), 2 bad input (nothing ran), 130 interrupted. Throws InputError for bad
// input; std::exception for internal errors.
int run_sweep(const SweepOptions& options);

}  // namespace sv39sim::sweep
