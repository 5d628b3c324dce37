// `sv39sim sweep --backend slurm`: the points that still have to run go out as ONE Slurm job array
// (`sbatch --array=0-(n-1)%N`). Task i of the array runs the i-th of them with the same command, and writes
// the same files, as the local backend; the sweep then reads the results back from the point folders, so
// both backends produce the same results. What the array needs lives in DIR/slurm/: array-K.sh (the batch
// script), array-K.list (task index -> point folder and command; K counts the submissions of this output
// folder) and logs/JOB_TASK.out (each task's own Slurm log).
//
// The sweep's output folder and the sv39sim executable must be visible under the same paths on the compute
// nodes (a shared filesystem): sbatch runs there, not here. See docs/sweeps.md, "Running on a Slurm cluster".
#pragma once

#include <utility>
#include <vector>

#include "testbench/sweep/SweepBackend.h"

namespace sv39sim::sweep {

class SlurmBackend : public SweepBackend {
 public:
  explicit SlurmBackend(SlurmOptions options) : options_(std::move(options)) {}
  void run(const std::vector<PointJob>& todo, SweepProgress& progress) override;

 private:
  SlurmOptions options_;
};

}  // namespace sv39sim::sweep
