#include "testbench/sweep/SlurmBackend.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

extern char** environ;

namespace sv39sim::sweep {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// After the array has left the queue, how long an exit_status may take to show up here: on NFS a file
// another node created can stay invisible for up to the directory attribute cache time (acdirmax, 60 s).
constexpr auto kSharedFsGrace = 60s;
// How long Ctrl-C waits for Slurm to end the cancelled tasks (it sends SIGTERM, then SIGKILL after KillWait).
constexpr auto kCancelWait = 120s;

struct CommandResult {
  int status = -1;  // exit code; 128+S if killed by signal S; -1 if it could not start
  std::string out, err;
};

// A word quoted for a POSIX shell, as array-K.list holds it ('...' unless it is plainly safe).
std::string shell_quote(const std::string& word) {
  auto plain = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || strchr("_-./=:,+@%", c); };
  if (!word.empty() && std::all_of(word.begin(), word.end(), plain)) return word;
  std::string q = "'";
  for (char c : word) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + shell_quote(w);
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t b = 0;
  while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  return s.substr(b);
}

// Runs a Slurm client command and captures both streams. It gets a process group of its own, so the
// Ctrl-C meant for the sweep does not kill the scancel that the sweep runs because of it.
CommandResult run_command(const std::vector<std::string>& argv) {
  CommandResult r;
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return r;
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]), close(out_pipe[1]);
    return r;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out_pipe[1]), close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]), close(err_pipe[0]);
    r.err = argv[0] + ": " + std::strerror(rc);
    return r;
  }
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[4096];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, n);
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  return r;
}

bool on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && access((fs::path(dir) / name).c_str(), X_OK) == 0) return true;
  return false;
}

// What squeue says about the array: which tasks run, or that none is left in the queue.
struct QueueState {
  bool answered = false;  // false: squeue failed (the controller may be busy); ask again later
  bool gone = false;      // no task of the array is pending or running any more
  std::vector<size_t> running;
};

QueueState query_queue(const std::string& job_id) {
  QueueState q;
  CommandResult r = run_command({"squeue", "--noheader", "--array", "--jobs=" + job_id, "--format=%K %t"});
  if (r.status != 0) {
    // A job the controller has already forgotten (MinJobAge after its end) is "invalid".
    q.answered = q.gone = r.err.find("Invalid job id") != std::string::npos;
    return q;
  }
  q.answered = true;
  std::istringstream lines(r.out);
  std::string task, state;
  bool any = false;
  while (lines >> task >> state) {
    any = true;
    if (state == "R" || state == "CG") {
      char* end = nullptr;
      unsigned long t = std::strtoul(task.c_str(), &end, 10);
      if (end && *end == '\0') q.running.push_back(t);
    }
  }
  q.gone = !any;
  return q;
}

// Task index -> Slurm's state for it (TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, ...), while the controller still
// remembers the job; empty if it does not.
std::map<size_t, std::string> task_states(const std::string& job_id) {
  std::map<size_t, std::string> states;
  CommandResult r = run_command({"scontrol", "--oneliner", "show", "job", job_id});
  if (r.status != 0) return states;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    auto field = [&](const std::string& name) -> std::string {
      size_t at = line.find(" " + name + "=");
      if (at == std::string::npos) return "";
      at += name.size() + 2;
      return line.substr(at, line.find(' ', at) - at);
    };
    std::string task = field("ArrayTaskId"), state = field("JobState");
    if (!task.empty() && std::all_of(task.begin(), task.end(), ::isdigit)) states[std::stoul(task)] = state;
  }
  return states;
}

// The next free K for DIR/slurm/array-K.*: an array still running from an earlier submission keeps
// reading its own list.
unsigned next_submission(const fs::path& slurm_dir) {
  unsigned k = 1;
  while (fs::exists(slurm_dir / ("array-" + std::to_string(k) + ".list"))) ++k;
  return k;
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::trunc);
  f << text;
  f.close();
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

std::string point_name(const PointJob& job) {
  return fs::path(job.dir).filename().string();
}

// The batch script every task of the array runs: it reads line SLURM_ARRAY_TASK_ID+1 of the list.
std::string slurm_batch_script(const std::string& list_path, const std::string& submit_command) {
  return R"(#!/bin/bash
# Generated by `sv39sim sweep --backend slurm`. Array task i runs line i+1 of the list: the point folder, then
# its command -- the same command, and the same files, as the local backend. Submitted as:
#   )" + submit_command +
         R"(
list=)" + shell_quote(list_path) +
         R"(
line=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" "$list")
if [ -z "$line" ]; then
  echo "sv39sim sweep: $list has no line for array task $SLURM_ARRAY_TASK_ID" >&2
  exit 3
fi
eval "set -- $line"
dir=$1
shift
# Slurm ends a task (scancel, time limit) with SIGTERM to all its processes: then the point has not
# finished, and no exit_status may say it has. Slurm signals them one by one, so when the command died
# of a signal this shell's own SIGTERM may still be on its way: give it a moment.
cancelled=
trap 'cancelled=1' TERM INT
"$@" >"$dir/console.log" 2>"$dir/stderr.log" </dev/null
status=$?
[ "$status" -le 128 ] || sleep 1
[ -z "$cancelled" ] || exit 143
printf '%d\n' "$status" >"$dir/exit_status.tmp" || exit 1
# The mark reaches the disk before it is in place (an old coreutils' sync takes no file: then no matter).
sync "$dir/exit_status.tmp" 2>/dev/null
mv -f "$dir/exit_status.tmp" "$dir/exit_status"
)";
}

}  // namespace

void SlurmBackend::run(const std::vector<PointJob>& todo, SweepProgress& progress) {
  if (todo.empty()) return;
  for (const char* tool : {"sbatch", "squeue", "scancel"})
    if (!on_path(tool))
      throw SweepError(std::string("--backend slurm: ") + tool +
                       " not found on PATH (run the sweep where Slurm's client commands are, e.g. a login "
                       "node; Debian package: slurm-client)");
  const fs::path out_dir = options_.out_dir;
  const fs::path slurm_dir = out_dir / "slurm";
  fs::create_directories(slurm_dir / "logs");

  const unsigned k = next_submission(slurm_dir);
  const fs::path list_path = slurm_dir / ("array-" + std::to_string(k) + ".list");
  const fs::path script_path = slurm_dir / ("array-" + std::to_string(k) + ".sh");
  std::string list;
  for (const auto& job : todo) {
    std::string line = shell_quote(job.dir) + " " + join(job.argv);
    if (line.find('\n') != std::string::npos)
      throw SweepError("--backend slurm: a point's folder or command contains a newline: " + job.dir);
    list += line + "\n";
    // A point to run starts clean: nothing of an earlier run may look like this run's result.
    remove_partial_point(job.dir);
  }
  write_text(list_path, list);

  std::string array = "--array=0-" + std::to_string(todo.size() - 1);
  if (options_.max_running > 0) array += "%" + std::to_string(options_.max_running);
  std::vector<std::string> sbatch = {"sbatch",
                                     "--parsable",
                                     array,
                                     "--job-name=sv39sim-" + out_dir.filename().string(),
                                     "--output=" + (slurm_dir / "logs" / "%A_%a.out").string(),
                                     "--chdir=" + fs::current_path().string(),
                                     "--ntasks=1"};
  if (!options_.partition.empty()) sbatch.push_back("--partition=" + options_.partition);
  if (!options_.account.empty()) sbatch.push_back("--account=" + options_.account);
  if (!options_.time.empty()) sbatch.push_back("--time=" + options_.time);
  if (!options_.mem_per_task.empty()) sbatch.push_back("--mem=" + options_.mem_per_task);
  sbatch.push_back(script_path.string());
  write_text(script_path, slurm_batch_script(list_path.string(), join(sbatch)));

  CommandResult submitted = run_command(sbatch);
  const std::string job_id = trim(submitted.out.substr(0, submitted.out.find(';')));
  if (submitted.status != 0 || job_id.empty() || !std::all_of(job_id.begin(), job_id.end(), ::isdigit)) {
    std::string why = trim(submitted.err.empty() ? submitted.out : submitted.err);
    if (todo.size() > 1000 && why.find("array") != std::string::npos)
      why += "\n(the cluster's MaxArraySize may be below " + std::to_string(todo.size()) +
             " tasks: see `scontrol show config | grep MaxArraySize`)";
    throw SweepError("sbatch rejected the job array:\n  " + join(sbatch) + "\n" + why);
  }
  write_text(slurm_dir / ("array-" + std::to_string(k) + ".job"), job_id + "\n");
  std::cerr << "sv39sim sweep: submitted Slurm job array " << job_id << " (" << todo.size() << " points"
            << (options_.max_running ? ", at most " + std::to_string(options_.max_running) + " at once" : "")
            << "); task logs in " << (slurm_dir / "logs").string() << "\n";

  std::vector<bool> started(todo.size()), done(todo.size());
  size_t done_count = 0;
  auto start = [&](size_t task) {
    if (task < todo.size() && !started[task]) {
      started[task] = true;
      progress.started(todo[task].index);
    }
  };
  // The point folders tell the progress first hand: a task has started when its console.log exists.
  auto collect = [&] {
    for (size_t i = 0; i < todo.size(); ++i) {
      int status = 0;
      if (!started[i] && access((todo[i].dir + "/console.log").c_str(), F_OK) == 0) start(i);
      if (done[i] || !read_exit_status(todo[i].dir, &status)) continue;
      start(i);
      done[i] = true;
      ++done_count;
      progress.finished(todo[i].index, status);
    }
  };

  auto next_collect = Clock::now(), next_query = Clock::now() + 1s;
  auto query_interval = 1s;
  std::optional<Clock::time_point> gone_at;
  unsigned failed_queries = 0;
  while (true) {
    if (progress.stop_requested()) {
      CommandResult c = run_command({"scancel", job_id});
      if (c.status != 0)
        std::cerr << "sv39sim sweep: warning: scancel " << job_id << " failed: " << trim(c.err)
                  << "\n  cancel the job array yourself: scancel " << job_id << "\n";
      std::cerr << "sv39sim sweep: cancelled Slurm job array " << job_id
                << "; waiting for its tasks to end\n";
      // The tasks must have ended before their folders are cleaned, or one could still write into them.
      for (auto until = Clock::now() + kCancelWait; Clock::now() < until; std::this_thread::sleep_for(500ms))
        if (query_queue(job_id).gone) break;
      collect();
      for (size_t i = 0; i < todo.size(); ++i)
        if (!done[i]) remove_partial_point(todo[i].dir);
      return;
    }
    const auto now = Clock::now();
    if (now >= next_collect) {
      collect();
      if (done_count == todo.size()) return;
      next_collect = now + 500ms;
    }
    if (now >= next_query && !gone_at) {
      QueueState q = query_queue(job_id);
      failed_queries = q.answered ? 0 : failed_queries + 1;
      if (failed_queries >= 30)
        throw SweepError("squeue keeps failing for job array " + job_id +
                         "; the array may still be running (scancel " + job_id + ")");
      for (size_t task : q.running) start(task);
      if (q.gone) {
        gone_at = now;
        std::cerr << "sv39sim sweep: job array " << job_id << " has left the queue; waiting up to "
                  << kSharedFsGrace.count() << " s for the last exit statuses to show up here\n";
      }
      query_interval = std::min<std::chrono::seconds>(query_interval * 2, 10s);
      next_query = now + query_interval;
    }
    if (gone_at && now - *gone_at > kSharedFsGrace) break;
    std::this_thread::sleep_for(100ms);
  }

  // The array has ended, but some tasks left no exit_status: Slurm ended them (time limit, memory, node
  // failure) or they could not reach their folders. Nothing is made up for them: --resume runs them again.
  auto states = task_states(job_id);
  std::ostringstream why;
  size_t missing = 0;
  for (size_t i = 0; i < todo.size(); ++i) {
    if (done[i]) continue;
    remove_partial_point(todo[i].dir);
    if (++missing <= 10)
      why << "\n  point " << point_name(todo[i]) << ": task " << job_id << "_" << i << " ("
          << (states.count(i) ? states[i] : "no state: cancelled before it started?") << "), log "
          << (slurm_dir / "logs" / (job_id + "_" + std::to_string(i) + ".out")).string();
  }
  if (missing > 10) why << "\n  ... and " << missing - 10 << " more";
  // A SweepError (exit 2, "sv39sim: error: ..."): the cause lies with the options or the cluster.
  throw SweepError("Slurm job array " + job_id + " ended, but " + std::to_string(missing) +
                   " point(s) have no exit status:" + why.str() +
                   "\nFix the cause (--time, --mem-per-task; the output folder and sv39sim must be on a "
                   "filesystem the compute nodes share) and run the sweep again with --resume.");
}

std::unique_ptr<SweepBackend> make_slurm_backend(const SlurmOptions& options) {
  return std::make_unique<SlurmBackend>(options);
}

}  // namespace sv39sim::sweep
