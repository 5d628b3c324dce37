// A vmstat-like time series of a run, as an ordered sink of the EventBus: per interval of simulated time,
// what the hart, the MMU, the disk and the pager kernel did. Two CSV files that a CSV reader takes with no
// options (a header row, one number per cell, units in the column names):
//
//   timeline.csv      one row per interval, system totals:
//     start_us, end_us     the interval [start, end) in simulated microseconds (the last one ends with the
//     run) instructions         retired (see below) itlb_misses, dtlb_misses, l2tlb_misses   TLB lookups that
//     missed or were denied (mmu.<tlb>.misses) walks, pwc_hits      page-table walks started; page-walk-cache
//     lookups that hit minor_faults, major_faults, bad_faults   the pager's faults by how they ended
//     (fault_end markers):
//                          major = the fault read the disk (file read, swap-in), minor = served from memory
//                          (zero-fill, copy-on-write, A/D update, spurious, swap-cache hit), bad = the
//                          process was killed
//     swap_ins, swap_outs  swap reads and writes completed (swap_complete markers)
//     disk_busy_us         time in the interval with at least one disk request outstanding
//     context_switches     the pager's context_switch markers
//   timeline_pid.csv  the same interval with a pid column, one row per pid that did something in it:
//     start_us, end_us, pid, instructions, minor_faults, major_faults, bad_faults, swap_ins, swap_outs,
//     context_switches (times it was switched in)
//
// Pids: a fault belongs to the pid its markers name. Instructions and swap I/O belong to the process that
// runs: the pid of the latest context_switch, until that process exits or is killed. Instructions the
// kernel retires before the first switch or after an exit belong to no pid; they are in timeline.csv only.
//
// Instructions: each event carries the hart's instret when it was published; the instructions retired
// since the previous event count in the interval of the event that shows them, so the split at a boundary
// is as fine as the stream is dense. Events of the memory controller, DRAM and disk are published at
// SystemC time, behind the hart, with the hart's current instret: they do not count. The instructions after
// the last event come from `instret_at_end`, read when the stream ends, so the column sums to the run's
// total.
//
// Each file is written as <path>.tmp and renamed when the stream ends, so a file by its own name is whole.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "models/sim/EventBus.h"

namespace sv39sim {

struct TimelineConfig {
  bool enabled = false;
  uint64_t interval_ps = 100'000'000;  // 100 us: a few hundred rows for a typical pager run
  // Below this a long run makes millions of rows, and a row holds only a handful of instructions.
  static constexpr uint64_t kMinIntervalPs = 1'000'000;  // 1 us
};

class Timeline : public EventSink {
 public:
  // Creates both files (throws InputError naming the one that cannot be written). interval_ps > 0.
  Timeline(const std::string& path, const std::string& pid_path, uint64_t interval_ps,
           std::function<uint64_t()> instret_at_end = {});
  ~Timeline() override;
  Timeline(const Timeline&) = delete;
  Timeline& operator=(const Timeline&) = delete;

  void on_event(const Event& e) override;
  // Writes the last, partial interval (up to `time_ps`) and renames the files into place; later events
  // are ignored. Throws InputError naming a file that could not be written.
  void on_end(uint64_t time_ps) override;

 private:
  struct Counts {
    uint64_t instructions = 0, itlb_misses = 0, dtlb_misses = 0, l2tlb_misses = 0, walks = 0, pwc_hits = 0;
    uint64_t minor_faults = 0, major_faults = 0, bad_faults = 0, swap_ins = 0, swap_outs = 0;
    uint64_t disk_busy_ps = 0, context_switches = 0;
  };
  struct PidCounts {
    uint64_t instructions = 0, minor_faults = 0, major_faults = 0, bad_faults = 0, swap_ins = 0,
             swap_outs = 0, context_switches = 0;
    bool any() const {
      return instructions || minor_faults || major_faults || bad_faults || swap_ins || swap_outs ||
             context_switches;
    }
  };
  struct File {
    std::string path;
    std::FILE* f = nullptr;
  };

  uint64_t interval_start() const { return index_ * interval_ps_; }
  uint64_t interval_end() const { return (index_ + 1) * interval_ps_; }
  void close_interval(uint64_t end_ps);
  void retire_to(uint64_t instret);
  void charge_running_pid();
  void on_marker(const Event& e);
  void finish_file(File& file);

  File out_, pid_out_;
  uint64_t interval_ps_;
  std::function<uint64_t()> instret_at_end_;
  bool ended_ = false;

  uint64_t index_ = 0;  // the open interval: [index_ * interval, (index_ + 1) * interval)
  Counts counts_;
  std::map<uint64_t, PidCounts> pids_;  // by pid, so rows come out sorted

  uint64_t instret_ = 0;             // the latest instret seen
  uint64_t pid_instret_ = 0;         // instret up to which instructions were charged to a pid (or to none)
  std::optional<uint64_t> running_;  // pid of the running process, if the pager said
  unsigned disk_outstanding_ = 0;
  uint64_t disk_busy_from_ = 0;  // while outstanding: busy time from here is not yet counted
};

}  // namespace sv39sim
