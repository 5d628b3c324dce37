// The RTL cross-check on the command line: live in `sv39sim run` (rtl_check.enabled) with the event log
// beside it (trace.events.enabled), and the replay of a log (`sv39sim rtl-check`).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/config/Config.h"
#include "models/sim/EventBus.h"
#include "models/trace/EventLog.h"
#include "testbench/rtl/RtlChecker.h"

namespace sv39sim {
class Platform;
}

namespace sv39sim::rtl {

// What `sv39sim run` adds to the event stream for the RTL: the event log and the live check.
class RunChecks {
 public:
  // Builds the RTL first if the check is on (InputError for a config it cannot build).
  // `argv` is the run's command line, replayed to write waves after a mismatch.
  RunChecks(const Config& cfg, const std::string& out_dir, const std::string& source_dir,
            const std::vector<std::string>& argv);
  ~RunChecks();
  std::vector<EventSink*> sinks();
  // The platform runs: the check reads PTEs from its RAM and stops it at a mismatch.
  void attach(Platform& platform);
  // After the run: the check's summary, or its report (also <out>/rtl-mismatch.txt) and the waves re-run.
  void finish();

 private:
  std::string out_dir_;
  std::vector<std::string> argv_;
  uint64_t waves_before_ = 0;
  bool rerun_for_waves_ = false;
  std::unique_ptr<EventLogWriter> log_;
  std::unique_ptr<RtlChecker> checker_;
};

struct ReplayOptions {
  std::string log;
  std::vector<std::pair<std::string, std::string>> sets;  // --set KEY=VALUE over the log's config
  std::string out_dir = "rtl-mismatch";                   // the waves after a mismatch
};

// `sv39sim rtl-check EVENTS.gz`: replays a log against the RTL. Exit 0 (no mismatch) or 5.
int replay(const ReplayOptions& o, const std::string& source_dir);

}  // namespace sv39sim::rtl
