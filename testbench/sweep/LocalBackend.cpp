#include "testbench/sweep/LocalBackend.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>

extern char** environ;

namespace sv39sim::sweep {

unsigned available_cpus() {
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return static_cast<unsigned>(CPU_COUNT(&set));
  const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : 1;
}

namespace {

// Starts one point: stdin from /dev/null (the children must not share the terminal), stdout and stderr
// into the point's logs, default signal dispositions, its own process group.
pid_t spawn(const PointJob& job) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  const std::string out = job.dir + "/console.log", err = job.dir + "/stderr.log";
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv;
  for (const std::string& a : job.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("cannot start " + job.argv[0] + ": " + std::strerror(rc));
  return pid;
}

int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

void LocalBackend::run(const std::vector<PointJob>& todo, SweepProgress& progress) {
  std::map<pid_t, const PointJob*> running;
  size_t next = 0;
  // Stops every running point: their process groups get SIGKILL (a simulator holds nothing worth a
  // clean shutdown), and what they wrote goes, so no folder looks finished.
  auto stop_all = [&] {
    for (const auto& r : running) ::kill(-r.first, SIGKILL);
    for (const auto& r : running) {
      int status;
      while (::waitpid(r.first, &status, 0) < 0 && errno == EINTR) {
      }
      remove_partial_point(r.second->dir);
    }
    running.clear();
  };
  try {
    while (next < todo.size() || !running.empty()) {
      if (progress.stop_requested()) return stop_all();
      while (running.size() < jobs_ && next < todo.size()) {
        const PointJob& job = todo[next++];
        running.emplace(spawn(job), &job);
        progress.started(job.index);
      }
      int status = 0;
      const pid_t pid = ::waitpid(-1, &status, WNOHANG);
      if (pid > 0) {
        const auto it = running.find(pid);
        if (it == running.end()) continue;  // not a point (cannot happen: we start nothing else)
        const PointJob& job = *it->second;
        running.erase(it);
        write_exit_status(job.dir, exit_code(status));
        progress.finished(job.index, exit_code(status));
        continue;
      }
      if (pid < 0 && errno != EINTR && errno != ECHILD)
        throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
      // Nothing ended: wait a little (a signal ends the sleep early).
      const timespec pause{0, 20 * 1000 * 1000};
      ::nanosleep(&pause, nullptr);
    }
  } catch (...) {
    stop_all();
    throw;
  }
}

}  // namespace sv39sim::sweep
