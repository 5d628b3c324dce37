// The seam between `sv39sim sweep` and the machinery that runs its points: the local process pool
// (LocalBackend) or a Slurm job array (SlurmBackend, helper "sls"). The sweep decides WHAT runs (which
// points, in which folder, with which command); a backend only decides WHERE and WHEN.
//
// Contract for every backend:
//  - Each PointJob is one `sv39sim run DIR/points/NNNN/config.yaml --out DIR/points/NNNN --quiet`; argv is
//    that command in full (argv[0] = the absolute path of this sv39sim executable). The job's stdout goes
//    to dir/console.log, its stderr to dir/stderr.log, and its exit code to dir/exit_status -- written
//    LAST and atomically (dir/exit_status.tmp, then rename), as decimal text plus '\n'. The presence of
//    exit_status means "done"; the sweep reads the results back from the point folders, never from the
//    backend, so both backends produce the same results.
//    A job killed by a signal S records 128+S.
//  - config.yaml and key are already in dir when run() is called; a backend must not touch them.
//  - run() returns when every job has an exit_status, or early when progress.stop_requested() turns true
//    (SIGINT/SIGTERM): then it stops launching, cancels what it started, removes the files of jobs that
//    did not finish (remove_partial_point below) and returns. Jobs that finished keep their folders (that is
//    what --resume reuses).
//  - It reports through progress: started(index) when a job begins running (or is queued, for Slurm),
//    finished(index, exit_status) when its exit_status exists. Calls come from the thread that called run().
//  - It throws SweepError (a message for the user, exit 2) for a problem it detects before launching
//    anything (e.g. sbatch missing), and std::runtime_error for anything else.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace sv39sim::sweep {

// A problem with the user's input or environment, reported as "sv39sim: error: ..." with exit 2.
struct SweepError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PointJob {
  size_t index = 0;               // the point's index in expansion order (NNNN)
  std::string dir;                // absolute path of DIR/points/NNNN
  std::vector<std::string> argv;  // the full command, argv[0] = absolute path of sv39sim
};

class SweepProgress {
 public:
  virtual ~SweepProgress() = default;
  virtual void started(size_t index) = 0;
  virtual void finished(size_t index, int exit_status) = 0;
  // True once SIGINT or SIGTERM arrived; backends poll it (at least every 200 ms).
  virtual bool stop_requested() const = 0;
};

class SweepBackend {
 public:
  virtual ~SweepBackend() = default;
  virtual void run(const std::vector<PointJob>& todo, SweepProgress& progress) = 0;
};

// Options of `sv39sim sweep` that only the Slurm backend reads (empty: not given, Slurm's default).
struct SlurmOptions {
  std::string partition;     // --partition
  std::string account;       // --account
  std::string time;          // --time (per task, sbatch's format)
  std::string mem_per_task;  // --mem-per-task (sbatch --mem)
  unsigned max_running = 0;  // --max-running N: the %N of --array (0: no limit)
  std::string out_dir;       // absolute DIR of the sweep (for the array script, logs)
};

// Defined in SlurmBackend.cpp (helper "sls"). CMake compiles testbench/sweep/SlurmBackend.cpp into sv39sim
// when the file exists and then defines SV39SIM_HAVE_SLURM=1; without it `--backend slurm` says so, exit 2.
std::unique_ptr<SweepBackend> make_slurm_backend(const SlurmOptions& options);

// Point-folder helpers shared by the backends (PointFiles.cpp).
// Writes dir/exit_status atomically (tmp + rename): the point's "done" mark.
void write_exit_status(const std::string& dir, int exit_status);
// Reads dir/exit_status; false if absent or malformed (the point is not done).
bool read_exit_status(const std::string& dir, int* exit_status);
// Removes what an unfinished run left (every file but config.yaml and key), so nothing looks finished.
void remove_partial_point(const std::string& dir);

}  // namespace sv39sim::sweep
