// Runs a sweep's points on this machine: up to `jobs` `sv39sim run` children at once, each in a process
// group of its own (so the terminal's Ctrl-C reaches only `sv39sim sweep`, which stops them itself).
#pragma once

#include "testbench/sweep/SweepBackend.h"

namespace sv39sim::sweep {

class LocalBackend : public SweepBackend {
 public:
  explicit LocalBackend(unsigned jobs) : jobs_(jobs ? jobs : 1) {}
  void run(const std::vector<PointJob>& todo, SweepProgress& progress) override;

 private:
  unsigned jobs_;
};

// The number of CPUs this process may run on (the default -j).
unsigned available_cpus();

}  // namespace sv39sim::sweep
