#include "testbench/rtl/RtlCommand.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "models/config/ModelConfig.h"
#include "models/platform/Platform.h"
#include "models/sim/InputError.h"
#include "testbench/rtl/RtlBuild.h"

namespace sv39sim::rtl {

namespace {

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// Everything the check takes from a configuration; builds the RTL.
RtlCheckConfig check_config(const Config& cfg, const std::string& source_dir) {
  RtlSource src = project_rtl(source_dir);
  if (!cfg.get_string("rtl_check.sources").empty()) {
    src.files = split_words(cfg.get_string("rtl_check.sources"));
    src.top = cfg.get_string("rtl_check.top");
  } else if (cfg.get_string("rtl_check.top") != src.top) {
    throw cfg.error("rtl_check.top", "names a top other than the project's (" + src.top +
                                         ") but rtl_check.sources is empty: name its files too");
  }
  RtlCheckConfig c;
  std::vector<std::string> params = rtl_parameters(cfg, &c.geometry);
  for (const std::string& d : split_words(cfg.get_string("rtl_check.defines"))) {
    if (d.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_=") !=
            std::string::npos ||
        d[0] == '=' || (d[0] >= '0' && d[0] <= '9'))
      throw cfg.error("rtl_check.defines", "'" + d + "' is not a define: expected NAME or NAME=VALUE");
    params.push_back("+define+" + d);
  }
  c.so_path = build_rtl(src, params, rtl_cache_dir(cfg.get_string("rtl_check.cache")), source_dir);
  c.period_ps = hart_timing(cfg).clock_period_ps;
  c.hardware_ad = mmu_config(cfg).hardware_ad;
  c.context = static_cast<unsigned>(cfg.get_uint("rtl_check.context"));
  c.max_cycles = cfg.get_uint("rtl_check.max_cycles");
  c.trace_from = cfg.get_uint("rtl_check.trace_from");
  return c;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

uint64_t waves_start(uint64_t mismatch, uint64_t before) {
  return mismatch > before ? mismatch - before : 1;
}

}  // namespace

RunChecks::RunChecks(const Config& cfg, const std::string& out_dir, const std::string& source_dir,
                     const std::vector<std::string>& argv)
    : out_dir_(out_dir), argv_(argv) {
  if (cfg.get_bool("trace.events.enabled")) {
    std::ostringstream text;
    cfg.dump(text);
    log_ = std::make_unique<EventLogWriter>(out_dir + "/events.gz", text.str());
  }
  if (cfg.get_bool("rtl_check.enabled")) {
    RtlCheckConfig c = check_config(cfg, source_dir);
    c.trace_dir = out_dir;
    waves_before_ = cfg.get_uint("rtl_check.waves_before");
    rerun_for_waves_ = cfg.get_bool("rtl_check.waves") && c.trace_from == 0;
    checker_ = std::make_unique<RtlChecker>(c);
  }
}

RunChecks::~RunChecks() = default;

std::vector<EventSink*> RunChecks::sinks() {
  std::vector<EventSink*> s;
  if (log_) s.push_back(log_.get());
  if (checker_) s.push_back(checker_.get());
  return s;
}

void RunChecks::attach(Platform& platform) {
  if (!checker_) return;
  const RamWindow ram = platform.ram();
  checker_->set_read_ram([ram](uint64_t pa, uint64_t* value) {
    if (pa - ram.base >= ram.size || ram.size - (pa - ram.base) < 8) return false;
    std::copy_n(ram.host + (pa - ram.base), 8, reinterpret_cast<uint8_t*>(value));
    return true;
  });
  SimControl& ctl = platform.control();
  checker_->set_on_mismatch(
      [&ctl] { ctl.finish(RunStatus::RtlMismatch, 0, "the RTL differs from the model"); });
}

void RunChecks::finish() {
  if (!checker_) return;
  std::fflush(stdout);
  std::fprintf(stderr, "sv39sim: %s\n", checker_->summary().c_str());
  if (!checker_->failed()) return;
  const std::string report_path = out_dir_ + "/rtl-mismatch.txt";
  write_text(report_path, checker_->report());
  std::fprintf(stderr, "%s  report: %s\n", checker_->report().c_str(), report_path.c_str());
  if (!rerun_for_waves_) return;
  // The run is deterministic: the same command again, tracing both sides from a few transactions before
  // the mismatch, stops at the same place.
  const std::string dir = out_dir_ + "/rtl-mismatch";
  const uint64_t from = waves_start(checker_->mismatch_transaction(), waves_before_);
  std::vector<std::string> args = argv_;
  for (const std::string& a :
       {std::string("--set"), "rtl_check.trace_from=" + std::to_string(from), std::string("--set"),
        std::string("rtl_check.waves=false"), std::string("--out"), dir, std::string("--quiet")})
    args.push_back(a);
  std::fprintf(stderr, "sv39sim: running again to write the waves around it (transactions %llu..%llu) ...\n",
               static_cast<unsigned long long>(from),
               static_cast<unsigned long long>(checker_->mismatch_transaction()));
  std::fflush(stderr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::mkdir(dir.c_str(), 0777);
    std::FILE* console = std::fopen((dir + "/console.log").c_str(), "w");
    if (console) ::dup2(fileno(console), STDOUT_FILENO);
    std::FILE* err = std::fopen((dir + "/stderr.log").c_str(), "w");
    if (err) ::dup2(fileno(err), STDERR_FILENO);
    std::vector<char*> a;
    for (std::string& s : args) a.push_back(s.data());
    a.push_back(nullptr);
    ::execv("/proc/self/exe", a.data());
    std::_Exit(127);
  }
  int status = 0;
  while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const bool ok = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == kExitRtlMismatch;
  std::fprintf(stderr,
               ok ? "sv39sim: waves: %s/rtl.fst (RTL), %s/model.fst (model)\n"
                  : "sv39sim: the re-run for waves did not end at the mismatch: see %s/stderr.log%s\n",
               dir.c_str(), ok ? dir.c_str() : "");
}

int replay(const ReplayOptions& o, const std::string& source_dir) {
  // The log's config, then the user's overrides (e.g. another rtl_check.sources).
  Config cfg;
  bool config_read = false;
  auto read_config = [&](const std::string& text) {
    if (config_read) return;
    config_read = true;
    Problems problems;
    cfg.load_yaml_text(text, o.log + " (its config)", &problems);
    unsigned i = 0;
    for (const auto& [key, value] : o.sets)
      problems.check([&] { cfg.set(key, value, "--set", InputPos::command_line(i++)); });
    problems.raise();
  };
  // First pass: the config (the log's first bytes), to build the RTL.
  read_event_log(o.log, read_config, [](const Event&) { return false; });
  RtlCheckConfig c = check_config(cfg, source_dir);
  c.trace_from = 0;
  auto pass = [&](RtlCheckConfig pc) {
    auto checker = std::make_unique<RtlChecker>(pc);
    uint64_t end = 0;
    read_event_log(
        o.log, [](const std::string&) {},
        [&](const Event& e) {
          end = e.time_ps;
          checker->on_event(e);
          return !checker->failed();
        });
    checker->on_end(end);
    return checker;
  };
  // One Verilated model at a time in a process: the first pass's is gone before the waves pass builds its.
  std::string summary, report;
  uint64_t mismatch = 0;
  {
    const std::unique_ptr<RtlChecker> checker = pass(c);
    summary = checker->summary();
    report = checker->report();
    mismatch = checker->mismatch_transaction();
  }
  std::fprintf(stderr, "sv39sim: %s\n", summary.c_str());
  if (report.empty()) return 0;
  std::fprintf(stderr, "%s", report.c_str());
  if (cfg.get_bool("rtl_check.waves")) {
    ::mkdir(o.out_dir.c_str(), 0777);
    c.trace_dir = o.out_dir;
    c.trace_from = waves_start(mismatch, cfg.get_uint("rtl_check.waves_before"));
    pass(c);
    write_text(o.out_dir + "/rtl-mismatch.txt", report);
    std::fprintf(stderr,
                 "sv39sim: waves: %s/rtl.fst (RTL), %s/model.fst (model); report: %s/rtl-mismatch.txt\n",
                 o.out_dir.c_str(), o.out_dir.c_str(), o.out_dir.c_str());
  }
  return kExitRtlMismatch;
}

}  // namespace sv39sim::rtl
