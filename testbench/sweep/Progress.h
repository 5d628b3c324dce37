// How a running sweep looks on the terminal: one progress line (done / failed / running, ETA) redrawn in
// place when stderr is a terminal, a plain line every 10 s otherwise (logs, CI). Also where the backends
// learn that SIGINT or SIGTERM arrived.
#pragma once

#include <chrono>
#include <csignal>
#include <string>
#include <vector>

#include "testbench/sweep/SweepBackend.h"

namespace sv39sim::sweep {

class Progress : public SweepProgress {
 public:
  // `total` points of which `reused` are done already; `stop` is set by the signal handler.
  Progress(std::string name, size_t total, size_t reused, const volatile std::sig_atomic_t* stop,
           std::vector<std::string> point_dirs);
  void started(size_t index) override;
  void finished(size_t index, int exit_status) override;
  // Polled often by the backends: also redraws the line (the ETA moves while nothing finishes).
  bool stop_requested() const override;
  // Clears the progress line; the last state stays printed as a plain line.
  void end();

  size_t done() const { return done_; }
  size_t failed() const { return failed_; }

 private:
  std::string line() const;
  void draw(bool force) const;

  std::string name_;
  size_t total_, reused_, done_ = 0, failed_ = 0, running_ = 0;
  const volatile std::sig_atomic_t* stop_;
  std::vector<std::string> point_dirs_;  // by point index: named in the line about a failed point
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  mutable std::chrono::steady_clock::time_point last_draw_;
  mutable bool drawn_ = false;
};

}  // namespace sv39sim::sweep
