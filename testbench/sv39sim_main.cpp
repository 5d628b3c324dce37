// sv39sim: the simulator's command line and its one sc_main (one platform).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <systemc>
#include <vector>

#include "models/config/Config.h"
#include "models/config/ModelConfig.h"
#include "models/platform/ElfLoader.h"
#include "models/platform/Platform.h"
#include "models/trace/WaveReader.h"
#include "testbench/RunStats.h"
#include "testbench/rtl/RtlCommand.h"
#include "testbench/sweep/SweepRun.h"

#ifndef SV39SIM_DEFAULT_ELF
#define SV39SIM_DEFAULT_ELF ""
#endif
#ifndef SV39SIM_VERSION
#define SV39SIM_VERSION "0"
#endif
#ifndef SV39SIM_SOURCE_DIR
#define SV39SIM_SOURCE_DIR "."
#endif

namespace {

using namespace sv39sim;

const char* const kUsage = R"(sv39sim - a RISC-V Sv39 memory-system model in SystemC

usage:
  sv39sim run [CONFIG.yaml] [options]    run firmware; guest console on stdout, stats in --out
  sv39sim config [CONFIG.yaml] [--set KEY=VALUE]...
                                         print the effective configuration (every key, its value
                                         and meaning) as YAML that `run` accepts back
  sv39sim config-reference               print every configuration key as a Markdown table
  sv39sim waves-events FILE.fst          print the events a waves.fst holds, one CSV line each
  sv39sim sweep SWEEP.yaml [options]     run every point of a sweep file, collect results.csv and
                                         plots (docs/sweeps.md)
  sv39sim rtl-check EVENTS.gz [--set KEY=VALUE]... [--out DIR]
                                         replay an event log (trace.events.enabled) against the RTL
                                         (docs/rtl-cross-check.md); waves of a mismatch go to DIR
                                         (default: rtl-mismatch)
  sv39sim --help | --version

options of run:
  --elf FILE               firmware ELF to run (sets sim.elf; default: the built-in hello firmware)
  --set KEY=VALUE          set one configuration key, after CONFIG.yaml (repeatable)
  --out DIR                directory for stats.json, stats.txt, waves.fst, timeline*.csv (default: out)
  --max-instructions N     stop after N instructions, retired or trapped (sets sim.max_instructions)
  --stdin FILE             feed FILE to the UART receiver (sets sim.stdin; default: stdin)
  --quiet                  do not print the one-line summary on stderr

options of sweep:
  -j, --jobs N             points run at once by the local backend (default: the number of CPUs)
  --out DIR                output folder (default: sweeps/<name>)
  --backend local|slurm    run the points here (default) or as one Slurm job array
  --dry-run                check the sweep file, list its points, run nothing
  --resume                 continue a sweep in DIR: points done with an unchanged config are kept
  --partition P, --account A, --time T, --mem-per-task M, --max-running N
                           Slurm: sbatch's options for each task; N tasks at most run at once

The guest console (UART and HTIF output) is the only thing written to stdout; sv39sim's own
messages go to stderr.

exit status:
  0  the guest passed (tohost = 1, or the test finisher wrote 0x5555)
  1  the guest reported failure; its code is printed
  2  bad input: arguments, config file, or ELF file
  3  a limit was reached (instructions, simulated time), or the hart went to sleep with nothing
     left to wake it
  4  internal error in sv39sim
  5  the RTL cross-check found a mismatch (rtl_check.enabled, or sv39sim rtl-check)
sweep: 0 every point ran (each point's exit status is in results.csv), 1 the plots failed (the results
  are complete), 2 bad input (nothing ran), 130 interrupted (finished points are kept for --resume)
)";

struct Options {
  std::string command;
  std::string config_path;
  std::vector<std::pair<std::string, std::string>> sets;  // key, value (origin "--set" or option)
  std::string out_dir = "out";
  bool quiet = false;
  std::vector<std::string> argv;  // the whole command line, for a re-run
};

// The options `run` and `config` share, as CLI11 collects them; to_options() puts them back in command-line
// order, which decides which of two settings of a key wins and the order problems are reported in.
struct RunArgs {
  std::string config_path;
  std::vector<std::string> sets, elf, max_instructions, stdin_file, out;
  bool quiet = false;
  CLI::Option *set_opt, *elf_opt, *max_opt, *stdin_opt, *out_opt;

  void add_to(CLI::App* cmd) {
    cmd->add_option("CONFIG", config_path);
    set_opt = cmd->add_option("--set", sets);
    elf_opt = cmd->add_option("--elf", elf);
    max_opt = cmd->add_option("--max-instructions", max_instructions);
    stdin_opt = cmd->add_option("--stdin", stdin_file);
    out_opt = cmd->add_option("--out", out);
    cmd->add_flag("--quiet", quiet);
  }

  Options to_options(const CLI::App* cmd) const {
    Options o;
    o.command = cmd->get_name();
    o.config_path = config_path;
    o.quiet = quiet;
    // An empty file name would silently mean "the default" (the built-in firmware, the process's stdin).
    auto file = [](const char* opt, const std::string& f) {
      if (f.empty()) throw InputError(std::string(opt) + " needs a file name, got an empty string");
      return f;
    };
    std::map<const CLI::Option*, size_t> seen;  // occurrences of each option so far
    for (const CLI::Option* opt : cmd->parse_order()) {
      const size_t k = seen[opt]++;
      if (k >= opt->results().size()) continue;
      const std::string& v = opt->results()[k];
      if (opt == set_opt) {
        const size_t eq = v.find('=');
        if (eq == std::string::npos || eq == 0) throw InputError("--set " + v + ": expected KEY=VALUE");
        o.sets.emplace_back(v.substr(0, eq), v.substr(eq + 1));
      } else if (opt == elf_opt) {
        o.sets.emplace_back("sim.elf", file("--elf", v));
      } else if (opt == max_opt) {
        o.sets.emplace_back("sim.max_instructions", v);
      } else if (opt == stdin_opt) {
        o.sets.emplace_back("sim.stdin", file("--stdin", v));
      } else if (opt == out_opt) {
        o.out_dir = v;
        if (o.out_dir.empty()) throw InputError("--out needs a directory name");
      }
    }
    return o;
  }
};

// The file, then the options; every problem of either is reported, in that order, before anything runs.
Config build_config(const Options& o) {
  Config cfg;
  Problems problems;
  if (!o.config_path.empty()) cfg.load_yaml_file(o.config_path, &problems);
  for (size_t i = 0; i < o.sets.size(); ++i) {
    const auto& kv = o.sets[i];
    const bool is_option =
        kv.first == "sim.elf" || kv.first == "sim.max_instructions" || kv.first == "sim.stdin";
    problems.check([&] {
      cfg.set(kv.first, kv.second, is_option ? "command line" : "--set " + kv.first + "=" + kv.second,
              InputPos::command_line(static_cast<unsigned>(i)));
    });
  }
  check_config(cfg, &problems);
  problems.raise();
  return cfg;
}

const char* const kReferenceIntro = R"(# Configuration reference

A configuration is a YAML mapping of sections; nested keys join with dots (`hart: {misaligned: trap}`
sets `hart.misaligned`). Values given on the command line with `--set KEY=VALUE` apply after the file.
Unknown keys (with a suggestion for a near miss), malformed values, out-of-range values, a key given
twice and values that do not fit together are errors that name the file, line and column (or the
`--set` option), the key and what was expected; every error of a file is listed, in file order, and
`sv39sim` then exits with status 2 before running anything.

Units: sizes accept `4096`, `0x1000`, `64KiB`, `128MiB`, `4GiB`; times accept `0`, `100ns`, `1us`,
`2.5ms`, `1s`. A value must be a whole number of bytes or picoseconds (`1.5KiB` is, `1.3KiB` is not):
nothing is rounded. `sv39sim config [CONFIG.yaml]` prints the effective value of every key.

A key that configures a model defaults to that model's own default (the member defaults of its config
struct in models/, e.g. MmuConfig), so there is one place for each number and a unit test that builds a
model by default simulates this machine.

This file is generated by `sv39sim config-reference > docs/config-reference.md`; a test checks that
it matches the program.

)";

void print_reference() {
  std::cout << kReferenceIntro;
  std::cout << "| key | type | default | meaning |\n|---|---|---|---|\n";
  for (const auto& p : config_schema()) {
    std::string type = param_kind_name(p.kind);
    if (p.kind == ParamKind::Choice) {
      type.clear();
      for (const auto& c : p.choices) type += (type.empty() ? "" : " \\| ") + c;
    }
    std::cout << "| `" << p.key << "` | " << type << " | `"
              << (p.default_value.empty() ? "\"\"" : p.default_value) << "` | " << p.help;
    if (p.min != 0 || p.max != UINT64_MAX) {
      std::cout << " Range: " << p.min << " to " << p.max
                << (p.kind == ParamKind::Time   ? " ps"
                    : p.kind == ParamKind::Size ? " bytes"
                                                : "")
                << ".";
    }
    std::cout << " |\n";
  }
}

// SystemC's reports go to stderr so stdout carries nothing but the guest console.
void report_to_stderr(const sc_core::sc_report& rep, const sc_core::sc_actions& actions) {
  // Informational reports (e.g. "stopped by user" after sc_stop) are noise for a command-line tool.
  if ((actions & sc_core::SC_DISPLAY) && rep.get_severity() != sc_core::SC_INFO)
    std::cerr << "sv39sim: systemc: " << rep.get_msg() << "\n";
  if (actions & sc_core::SC_THROW) throw rep;
  if (actions & (sc_core::SC_STOP | sc_core::SC_ABORT)) sc_core::sc_stop();
}

const char* const kReportFiles[] = {"stats.json", "stats.txt", "waves.fst", "timeline.csv",
                                    "timeline_pid.csv", "events.gz", "rtl-mismatch.txt", "rtl.fst", "model.fst"};

// The output directory, created if needed, must take the report: checked before the run, not after it.
void prepare_out_dir(const std::string& dir) {
  auto fail = [&](const std::string& why) {
    throw InputError(dir + ": cannot create or write the output directory (--out): " + why);
  };
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i != dir.size() && dir[i] != '/') continue;
    const std::string partial = dir.substr(0, i);
    if (!partial.empty() && ::mkdir(partial.c_str(), 0777) != 0 && errno != EEXIST)
      fail(partial + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) fail(std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) fail("not a directory");
  for (const char* name : kReportFiles) {
    const std::string path = dir + "/" + name;
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
      fail(path + " exists and is not a regular file");
  }
  // Stats::write puts each file next to its final name and renames it: try exactly that.
  const std::string probe = dir + "/stats.json.tmp";
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) fail(std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
}

// A previous run's report must not pass for this one's if this run stops early; nor may a half-written one
// stay behind. Only files go: a directory by that name is the user's and is reported by prepare_out_dir.
void remove_reports(const std::string& dir) {
  for (const char* name : kReportFiles) {
    for (const std::string& path : {dir + "/" + name, dir + "/" + name + ".tmp"}) {
      struct stat st {};
      if (::lstat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) ::unlink(path.c_str());
    }
  }
}

int run_firmware(const Options& o) {
  remove_reports(o.out_dir);
  Config cfg = build_config(o);
  prepare_out_dir(o.out_dir);
  std::string elf = cfg.get_string("sim.elf");
  if (elf.empty()) elf = SV39SIM_DEFAULT_ELF;
  const ElfImage image = read_elf(elf);

  int input_fd = STDIN_FILENO;
  const std::string& in_path = cfg.get_string("sim.stdin");
  if (!in_path.empty()) {
    input_fd = ::open(in_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (input_fd < 0)
      throw cfg.error("sim.stdin", in_path + ": cannot open UART input: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(input_fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(input_fd);
      throw cfg.error("sim.stdin", in_path + " is a directory, not a file");
    }
  }

  const std::string waves = cfg.get_bool("trace.waves.enabled") ? o.out_dir + "/waves.fst" : "";
  const bool timeline = cfg.get_bool("trace.timeline.enabled");
  rtl::RunChecks checks(cfg, o.out_dir, SV39SIM_SOURCE_DIR, o.argv);
  Platform platform(cfg, image, stdout, input_fd, waves, timeline ? o.out_dir + "/timeline.csv" : "",
                    timeline ? o.out_dir + "/timeline_pid.csv" : "", checks.sinks());
  checks.attach(platform);
  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double host_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fflush(stdout);

  platform.finish();
  SimControl& ctl = platform.control();
  if (!ctl.finished()) {
    ctl.finish(RunStatus::Idle, 0, "the hart sleeps in WFI and no event is left that could wake it");
  }
  Stats& stats = platform.stats();
  const uint64_t instructions = platform.hart().hart().instret();
  register_run_stats(stats, ctl, instructions, host_seconds);
  try {
    stats.write(o.out_dir);
  } catch (const std::exception&) {
    remove_reports(o.out_dir);  // no half a report
    throw;
  }

  const int code = run_status_exit_code(ctl.status());
  if (!o.quiet || code != 0) {
    std::fprintf(stderr, "sv39sim: %s (%s)%s: %llu instructions, %.6f s simulated, %.3f host s, %.1f MIPS\n",
                 run_status_name(ctl.status()), ctl.reason().c_str(),
                 ctl.status() == RunStatus::Fail ? (" code " + std::to_string(ctl.code())).c_str() : "",
                 static_cast<unsigned long long>(instructions), platform.simulated_seconds(), host_seconds,
                 host_seconds > 0 ? instructions / host_seconds / 1e6 : 0.0);
    // The guest's own account of why it failed (the pager kernel's verdict), if it gave one.
    if (!platform.guest_verdict().empty())
      std::fprintf(stderr, "sv39sim: guest verdict: %s\n", platform.guest_verdict().c_str());
  }
  checks.finish();
  if (input_fd != STDIN_FILENO) ::close(input_fd);
  return code;
}

}  // namespace

// `sv39sim waves-events FILE.fst`: the waveform's events as CSV (fields per kind: models/sim/Event.h).
int waves_events(const std::string& path) {
  bool header = false;  // printed once the file reads as waves
  auto print_header = [&header] {
    if (header) return;
    std::printf(
        "seq,time_ps,instret,unit,kind,access,level,outcome,priv,priv_to,asid,victim_asid,set,way,va,pa,"
        "data,aux,victim_va,latency_ps\n");
    header = true;
  };
  read_waves(path, [&](const Event& e) {
    print_header();
    std::printf("%llu,%llu,%llu,%s,%s,%u,%u,%u,%u,%u,%u,%u,%u,%u,0x%llx,0x%llx,0x%llx,0x%llx,0x%llx,%llu\n",
                static_cast<unsigned long long>(e.seq), static_cast<unsigned long long>(e.time_ps),
                static_cast<unsigned long long>(e.instret), unit_name(e.unit), event_kind_name(e.kind),
                e.access, e.level, e.outcome, e.priv, e.priv_to, e.asid, e.victim_asid, e.set, e.way,
                static_cast<unsigned long long>(e.va), static_cast<unsigned long long>(e.pa),
                static_cast<unsigned long long>(e.data), static_cast<unsigned long long>(e.aux),
                static_cast<unsigned long long>(e.victim_va), static_cast<unsigned long long>(e.latency_ps));
  });
  print_header();
  std::fflush(stdout);
  return 0;
}

// The first argument CLI11 left over (unknown to a command) as the message the command line always gave.
void reject_extras(const CLI::App* cmd, const std::string& positional_error) {
  const std::vector<std::string> rest = cmd->remaining();
  if (rest.empty()) return;
  if (rest[0].size() > 1 && rest[0][0] == '-')
    throw InputError("unknown option '" + rest[0] + "' (try: sv39sim --help)");
  throw InputError(positional_error.empty()
                       ? "unexpected argument '" + rest[0] + "'"
                       : positional_error + " '" + rest[0] + "'" +
                             (positional_error == "unexpected argument" ? " (one config file at most)" : ""));
}

unsigned parse_count(const std::string& opt, const std::string& text, unsigned min) {
  uint64_t n = 0;
  if (!parse_uint(text, &n) || n < min || n > 65536)
    throw InputError(opt + ": expected a whole number from " + std::to_string(min) + " to 65536, got '" +
                     text + "'");
  return static_cast<unsigned>(n);
}

int command_line(int argc, char** argv) {
  if (argc < 2) throw InputError("missing command (try: sv39sim --help)");
  CLI::App app{"sv39sim"};
  // Usage and errors are ours (kUsage, "sv39sim: error: ..."); CLI11 only splits the arguments.
  app.set_help_flag();
  app.allow_extras();
  bool help = false, version = false;
  app.add_flag("-h,--help", help);
  app.add_flag("--version", version);
  auto command = [&app, &help](const char* name) {
    CLI::App* c = app.add_subcommand(name);
    c->allow_extras();
    c->add_flag("-h,--help", help);
    return c;
  };
  CLI::App* help_cmd = command("help");
  RunArgs run_args, config_args;
  CLI::App* run_cmd = command("run");
  run_args.add_to(run_cmd);
  CLI::App* config_cmd = command("config");
  config_args.add_to(config_cmd);
  CLI::App* reference_cmd = command("config-reference");
  CLI::App* waves_cmd = command("waves-events");
  std::string waves_file;
  waves_cmd->add_option("FILE", waves_file);

  sweep::SweepOptions so;
  std::string jobs, max_running;
  CLI::App* sweep_cmd = command("sweep");
  sweep_cmd->add_option("SWEEP", so.file);
  sweep_cmd->add_option("-j,--jobs", jobs);
  sweep_cmd->add_option("--out", so.out);
  sweep_cmd->add_option("--backend", so.backend);
  sweep_cmd->add_flag("--dry-run", so.dry_run);
  sweep_cmd->add_flag("--resume", so.resume);
  sweep_cmd->add_option("--partition", so.slurm.partition);
  sweep_cmd->add_option("--account", so.slurm.account);
  sweep_cmd->add_option("--time", so.slurm.time);
  sweep_cmd->add_option("--mem-per-task", so.slurm.mem_per_task);
  sweep_cmd->add_option("--max-running", max_running);
  for (CLI::Option* o : sweep_cmd->get_options()) o->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  rtl::ReplayOptions ro;
  std::vector<std::string> replay_sets, replay_out;
  CLI::App* rtl_cmd = command("rtl-check");
  rtl_cmd->add_option("EVENTS", ro.log);
  rtl_cmd->add_option("--set", replay_sets);
  rtl_cmd->add_option("--out", replay_out);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ArgumentMismatch& e) {
    // "--elf: 1 required TEXT missing"
    const std::string what = e.what();
    throw InputError(what.substr(0, what.find(':')) + " needs a value");
  } catch (const CLI::ParseError& e) {
    throw InputError(e.what());
  }
  if (help || help_cmd->parsed()) {
    std::cout << kUsage;
    return 0;
  }
  if (version) {
    std::cout << "sv39sim " << SV39SIM_VERSION << "\n";
    return 0;
  }
  const std::vector<std::string> rest = app.remaining();
  if (!rest.empty()) {
    if (rest[0].size() > 1 && rest[0][0] == '-')
      throw InputError("unknown option '" + rest[0] + "' (try: sv39sim --help)");
    throw InputError("unknown command '" + rest[0] + "' (try: sv39sim --help)");
  }
  if (run_cmd->parsed() || config_cmd->parsed()) {
    const bool run = run_cmd->parsed();
    reject_extras(run ? run_cmd : config_cmd, "unexpected argument");
    Options o = (run ? run_args : config_args).to_options(run ? run_cmd : config_cmd);
    o.argv.assign(argv, argv + argc);
    if (run) return run_firmware(o);
    build_config(o).dump(std::cout);
    return 0;
  }
  if (reference_cmd->parsed()) {
    reject_extras(reference_cmd, "");
    print_reference();
    return 0;
  }
  if (waves_cmd->parsed()) {
    if (waves_file.empty() || !waves_cmd->remaining().empty())
      throw InputError("usage: sv39sim waves-events FILE.fst");
    return waves_events(waves_file);
  }
  if (sweep_cmd->parsed()) {
    reject_extras(sweep_cmd, "");
    if (so.file.empty()) throw InputError("usage: sv39sim sweep SWEEP.yaml [options] (try: sv39sim --help)");
    if (!jobs.empty()) so.jobs = parse_count("-j", jobs, 1);
    if (!max_running.empty()) so.slurm.max_running = parse_count("--max-running", max_running, 1);
    if (so.out.empty() && !sweep_cmd->get_option("--out")->empty())
      throw InputError("--out needs a directory name");
    so.default_elf = SV39SIM_DEFAULT_ELF;
    so.plot_script = SV39SIM_SOURCE_DIR "/testbench/sweep/plot.py";
    return sweep::run_sweep(so);
  }
  if (rtl_cmd->parsed()) {
    reject_extras(rtl_cmd, "");
    if (ro.log.empty()) throw InputError("usage: sv39sim rtl-check EVENTS.gz [--set KEY=VALUE]... [--out DIR]");
    for (const std::string& kv : replay_sets) {
      const size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) throw InputError("--set: expected KEY=VALUE, got '" + kv + "'");
      ro.sets.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    if (!replay_out.empty()) ro.out_dir = replay_out.back();
    if (ro.out_dir.empty()) throw InputError("--out needs a directory name");
    return rtl::replay(ro, SV39SIM_SOURCE_DIR);
  }
  throw InputError("missing command (try: sv39sim --help)");
}

// One line per problem, each with the same prefix.
int bad_input(const std::string& text) {
  std::fflush(stdout);
  for (size_t at = 0; at <= text.size();) {
    const size_t nl = std::min(text.find('\n', at), text.size());
    std::fprintf(stderr, "sv39sim: error: %s\n", text.substr(at, nl - at).c_str());
    at = nl + 1;
  }
  return kExitBadInput;
}

int sc_main(int argc, char** argv) {
  // Every model reads sc_time::value() as picoseconds.
  sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
  std::setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
  sc_core::sc_report_handler::set_handler(report_to_stderr);
  try {
    return command_line(argc, argv);
  } catch (const InputError& e) {
    return bad_input(e.what());
  } catch (const sweep::SweepError& e) {
    return bad_input(e.what());
  } catch (const sc_core::sc_report& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "sv39sim: internal error (SystemC): %s\n", e.what());
    return kExitInternal;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "sv39sim: internal error: %s\n", e.what());
    return kExitInternal;
  }
}

// Our own main only to silence SystemC's banner, which the library decides on before sc_main runs.
int main(int argc, char** argv) {
  // A closed console pipe (`sv39sim run | head`) must not kill the run with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
