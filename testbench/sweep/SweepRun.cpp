#include "testbench/sweep/SweepRun.h"

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "testbench/sweep/LocalBackend.h"
#include "testbench/sweep/PointKey.h"
#include "testbench/sweep/Progress.h"
#include "testbench/sweep/Results.h"
#include "testbench/sweep/StatNames.h"
#include "testbench/sweep/SweepFile.h"

extern char** environ;

namespace sv39sim::sweep {

namespace {

volatile std::sig_atomic_t g_stop = 0;  // the signal that asked the sweep to stop, 0 if none
void on_stop_signal(int signo) {
  g_stop = signo;
}

// SIGINT and SIGTERM set g_stop while the points run; the previous handlers come back afterwards.
class StopSignals {
 public:
  StopSignals() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a backend's sleep ends at once
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

// Everything checked, nothing run yet.
struct Plan {
  SweepFile sweep;
  std::vector<Point> points;
  std::vector<Config> configs;
  std::vector<StatColumn> columns;
};

void raise_all(const std::vector<const Problems*>& groups) {
  std::string text;
  for (const Problems* p : groups) {
    try {
      p->raise();
    } catch (const InputError& e) {
      text += (text.empty() ? "" : "\n") + std::string(e.what());
    }
  }
  if (!text.empty()) throw InputError(text);
}

Plan check(const SweepOptions& o) {
  Plan plan;
  Problems file_problems, base_problems;
  plan.sweep = read_sweep_file(o.file, &file_problems);
  Config base;
  if (file_problems.empty()) base = base_config(plan.sweep, &base_problems);
  raise_all({&base_problems, &file_problems});

  plan.points = expand_points(plan.sweep);
  Problems point_problems;
  plan.configs = point_configs(plan.sweep, base, plan.points, &point_problems);
  raise_all({&point_problems});

  // The stats a point can report depend on its config (an L2 TLB or not, the pager kernel or not): a name
  // is known if some point reports it. Points that differ only in seed build the same platform.
  std::vector<std::string> known;
  std::set<std::string> known_set, tried, reported;
  Problems platform_problems;
  for (size_t i = 0; i < plan.configs.size(); ++i) {
    Config c = plan.configs[i];
    c.set("sim.seed", "0", "any seed");
    if (!tried.insert(canonical_config_text(c)).second) continue;
    c = plan.configs[i];
    try {
      for (std::string& n : stat_names(c, o.default_elf))
        if (known_set.insert(n).second) known.push_back(std::move(n));
    } catch (const InputError& e) {
      if (reported.insert(e.what()).second) platform_problems.add(e);
    }
  }
  raise_all({&platform_problems});

  Problems stat_problems;
  plan.columns = resolve_stats(plan.sweep, known, &stat_problems);
  check_plots(plan.sweep, plan.columns, &stat_problems);
  raise_all({&stat_problems});
  return plan;
}

void print_points(const Plan& plan) {
  const SweepFile& s = plan.sweep;
  std::printf("sweep %s: %zu points\n", s.name.c_str(), plan.points.size());
  std::vector<std::string> head = {"point"};
  for (const Axis& a : s.axes) head.push_back(a.name);
  head.push_back("repeat");
  head.push_back("seed");
  std::vector<std::vector<std::string>> rows = {head};
  for (const Point& p : plan.points) {
    std::vector<std::string> row = {std::to_string(p.index)};
    for (size_t a = 0; a < s.axes.size(); ++a) row.push_back(s.axes[a].labels[p.steps[a]]);
    row.push_back(std::to_string(p.repeat));
    row.push_back(std::to_string(p.seed));
    rows.push_back(row);
  }
  std::vector<size_t> width(head.size(), 0);
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c)
      line += r[c] + (c + 1 < r.size() ? std::string(width[c] - r[c].size() + 2, ' ') : "");
    std::printf("%s\n", line.c_str());
  }
}

std::string absolute(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char cwd[4096];
  if (!::getcwd(cwd, sizeof cwd)) throw std::runtime_error(std::string("getcwd: ") + std::strerror(errno));
  return std::string(cwd) + "/" + path;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

void make_dirs(const std::string& dir) {
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i != dir.size() && dir[i] != '/') continue;
    const std::string partial = dir.substr(0, i);
    if (::mkdir(partial.c_str(), 0777) != 0 && errno != EEXIST)
      throw InputError(partial + ": cannot create the output directory (--out): " + std::strerror(errno));
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw InputError(dir + ": cannot create the output directory (--out): not a directory");
}

// The files of `dir` (not its subfolders).
void remove_files(const std::string& dir, const std::function<bool(const std::string&)>& which) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> doomed;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != ".." && which(name)) doomed.push_back(dir + "/" + name);
  }
  ::closedir(d);
  for (const std::string& p : doomed) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) ::unlink(p.c_str());
  }
}

std::string read_small_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error(path + ": cannot write: " + std::strerror(errno));
}

std::string self_exe() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0)
    throw std::runtime_error(std::string("cannot find the sv39sim executable: ") + std::strerror(errno));
  return std::string(buf, static_cast<size_t>(n));
}

std::unique_ptr<SweepBackend> make_backend(const SweepOptions& o, const std::string& out_dir) {
  if (o.backend == "local") return std::make_unique<LocalBackend>(o.jobs ? o.jobs : available_cpus());
  if (o.backend == "slurm") {
#ifdef SV39SIM_HAVE_SLURM
    SlurmOptions s = o.slurm;
    s.out_dir = out_dir;
    return make_slurm_backend(s);
#else
    (void)out_dir;
    throw InputError(
        "--backend slurm: this sv39sim was built without the Slurm backend "
        "(testbench/sweep/SlurmBackend.cpp)");
#endif
  }
  throw InputError("--backend: expected local or slurm, got '" + o.backend + "'");
}

// Runs argv (argv[0] looked up in PATH); its exit code, or -1 if it could not start. `quiet`: output to
// /dev/null.
int run_program(std::vector<std::string> args, bool quiet) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  }
  pid_t pid;
  const int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// python3 plot.py DIR/results.json DIR/plots; true if it succeeded. The python3 on PATH may be one of its
// own (pyenv, a venv) that does not see Debian's python3-matplotlib: then Debian's python3 draws.
bool draw_plots(const std::string& script, const std::string& dir) {
  if (!exists(script)) {
    std::fprintf(stderr, "sv39sim: error: cannot draw the plots: %s not found\n", script.c_str());
    return false;
  }
  std::string python;
  for (const char* candidate : {"python3", "/usr/bin/python3"}) {
    if (run_program({candidate, "-c", "import matplotlib"}, true) == 0) {
      python = candidate;
      break;
    }
  }
  if (python.empty()) {
    std::fprintf(stderr,
                 "sv39sim: error: cannot draw the plots: no python3 with matplotlib (Debian package "
                 "python3-matplotlib)\n");
    return false;
  }
  const int rc = run_program({python, script, dir + "/results.json", dir + "/plots"}, false);
  if (rc == 0) return true;
  std::fprintf(stderr, "sv39sim: error: plotting failed (%s %s exited %d)\n", python.c_str(), script.c_str(),
               rc);
  return false;
}

}  // namespace

int run_sweep(const SweepOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  Plan plan = check(o);
  if (o.dry_run) {
    print_points(plan);
    return 0;
  }
  const SweepFile& s = plan.sweep;
  const std::string dir = absolute(o.out.empty() ? "sweeps/" + s.name : o.out);
  std::unique_ptr<SweepBackend> backend = make_backend(o, dir);

  // An earlier sweep's folder is continued only when asked: mixing two sweeps' points would pass for one.
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) throw InputError(dir + ": exists and is not a directory (--out)");
    if (!o.resume &&
        (exists(dir + "/points") || exists(dir + "/results.csv") || exists(dir + "/results.json")))
      throw InputError(dir + ": holds an earlier sweep; --resume continues it, or choose another --out");
  }
  const StopSignals signals;
  g_stop = 0;
  make_dirs(dir + "/points");
  // Nothing that looks finished may stay from before: results and plots come back only when every point is
  // done.
  remove_files(dir, [](const std::string& n) { return n.rfind("results.", 0) == 0; });
  remove_files(dir + "/plots", [](const std::string&) { return true; });

  const size_t width = std::max<size_t>(4, std::to_string(plan.points.size() - 1).size());
  std::vector<std::string> point_dirs;
  std::set<std::string> names;
  for (const Point& p : plan.points) {
    std::string n = std::to_string(p.index);
    n = std::string(width - std::min(width, n.size()), '0') + n;
    names.insert(n);
    point_dirs.push_back(dir + "/points/" + n);
  }
  // Folders of points this sweep no longer has (it shrank since the run resumed) are not its results.
  {
    DIR* d = ::opendir((dir + "/points").c_str());
    std::vector<std::string> stale;
    while (const dirent* e = d ? ::readdir(d) : nullptr) {
      const std::string n = e->d_name;
      if (n != "." && n != ".." && !names.count(n)) stale.push_back(dir + "/points/" + n);
    }
    if (d) ::closedir(d);
    for (const std::string& p : stale) {
      remove_files(p, [](const std::string&) { return true; });
      ::rmdir(p.c_str());
    }
  }

  PointKeys keys(o.default_elf);
  const std::string exe = self_exe();
  std::vector<PointJob> todo;
  size_t reused = 0;
  for (size_t i = 0; i < plan.points.size(); ++i) {
    const std::string& pd = point_dirs[i];
    const std::string key = keys.key(plan.configs[i]) + "\n";
    int status;
    if (o.resume && read_exit_status(pd, &status) && read_small_file(pd + "/key") == key) {
      ++reused;
      continue;
    }
    make_dirs(pd);
    remove_partial_point(pd);
    std::ostringstream cfg;
    plan.configs[i].dump(cfg);
    write_file(pd + "/config.yaml", cfg.str());
    write_file(pd + "/key", key);
    todo.push_back({plan.points[i].index, pd, {exe, "run", pd + "/config.yaml", "--out", pd, "--quiet"}});
  }

  Progress progress(s.name, plan.points.size(), reused, &g_stop, point_dirs);
  if (!todo.empty() && !g_stop) backend->run(todo, progress);
  progress.end();
  if (g_stop) {
    for (const PointJob& j : todo) {
      int status;
      if (!read_exit_status(j.dir, &status)) remove_partial_point(j.dir);
    }
    std::fprintf(stderr,
                 "sv39sim: sweep interrupted (%s): %zu of %zu points done, kept in %s/points; "
                 "`sv39sim sweep %s%s --resume` runs the rest\n",
                 g_stop == SIGTERM ? "SIGTERM" : "SIGINT", progress.done(), plan.points.size(), dir.c_str(),
                 o.file.c_str(), o.out.empty() ? "" : (" --out " + o.out).c_str());
    return 130;
  }

  const Results results(s, plan.points, plan.columns, point_dirs);
  results.write(dir);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  results.print_summary(dir, seconds, reused);
  if (!s.plots.empty() && !draw_plots(o.plot_script, dir)) return 1;
  return 0;
}

}  // namespace sv39sim::sweep
