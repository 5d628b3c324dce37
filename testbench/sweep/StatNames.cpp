#include "testbench/sweep/StatNames.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "firmware/kernel/abi.h"
#include "models/platform/ElfLoader.h"
#include "models/platform/Platform.h"
#include "testbench/RunStats.h"

namespace sv39sim::sweep {

namespace {

// The pager kernel publishes its table as pager.<name> at the end of a run (Platform::publish_pager_stats);
// the names are in the table from the start, statically initialised in the ELF's data.
std::vector<std::string> pager_stat_names(const ElfImage& image) {
  if (!image.pager_stats || !image.fd) return {};
  const uint64_t addr = *image.pager_stats;
  for (const auto& seg : image.segments) {
    if (addr < seg.paddr || addr - seg.paddr + sizeof(pager_stats_table) > seg.filesz) continue;
    pager_stats_table table;
    const ssize_t n =
        ::pread(*image.fd, &table, sizeof table, static_cast<off_t>(seg.offset + (addr - seg.paddr)));
    if (n != static_cast<ssize_t>(sizeof table) || std::memcmp(table.magic, PAGER_STATS_MAGIC, 8) != 0)
      return {};
    std::vector<std::string> names;
    for (uint64_t i = 0; i < std::min<uint64_t>(table.count, PAGER_STATS_MAX); ++i) {
      const std::string name(table.entries[i].name,
                             strnlen(table.entries[i].name, sizeof table.entries[i].name));
      if (!name.empty()) names.push_back("pager." + name);
    }
    return names;
  }
  return {};
}

// In the process that builds the platform.
std::vector<std::string> probe(const Config& cfg, const std::string& default_elf) {
  std::string elf = cfg.get_string("sim.elf");
  if (elf.empty()) elf = default_elf;
  ElfImage image;
  try {
    image = read_elf(elf);
  } catch (const InputError& e) {
    throw cfg.error("sim.elf", e.what());
  }
  // The files a run opens, checked here so the message names the sweep file's line (the platform's own
  // message names only the file).
  for (const char* key : {"disk.image", "sim.stdin"}) {
    const std::string& path = cfg.get_string(key);
    if (path.empty()) continue;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw cfg.error(key, path + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    const bool dir = ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
    ::close(fd);
    if (dir) throw cfg.error(key, path + " is a directory, not a file");
  }
  // A registry lists its names only in its report.
  std::vector<std::string> names;
  auto add_names = [&names](const Stats& stats) {
    const nlohmann::ordered_json report = nlohmann::ordered_json::parse(stats.json());
    for (const auto& kv : report.items()) names.push_back(kv.key());
  };
  {
    Platform platform(cfg, image, stdout, -1, "", "", "");
    add_names(platform.stats());
  }
  for (std::string& n : pager_stat_names(image)) names.push_back(std::move(n));
  Stats run_stats;
  SimControl ended;
  register_run_stats(run_stats, ended, 0, 0);
  add_names(run_stats);
  return names;
}

}  // namespace

// SystemC keeps every process a module ever declared (it cannot be torn down before sc_start), so a
// second platform in one process is renamed and warned about: each platform is built in a child process.
// The child answers on a pipe: "N" and the names, one a line, or "E source line column" and the
// InputError's text.
std::vector<std::string> stat_names(const Config& cfg, const std::string& default_elf) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(fds[0]);
    std::string out;
    try {
      out = "N";
      for (const std::string& n : probe(cfg, default_elf)) out += "\n" + n;
    } catch (const InputError& e) {
      out = "E " + std::to_string(e.pos().source) + " " + std::to_string(e.pos().line) + " " +
            std::to_string(e.pos().column) + "\n" + e.what();
    } catch (const std::exception& e) {
      out = std::string("X\n") + e.what();
    }
    for (size_t done = 0; done < out.size();) {
      const ssize_t n = ::write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0 && errno != EINTR) break;
      if (n > 0) done += static_cast<size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string in;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const size_t nl = std::min(in.find('\n'), in.size());
  const std::string head = in.substr(0, nl), body = nl < in.size() ? in.substr(nl + 1) : "";
  if (head == "N") {
    std::vector<std::string> names;
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);) names.push_back(line);
    return names;
  }
  if (head.rfind("E ", 0) == 0) {
    unsigned source = 0, line = 0, column = 0;
    std::istringstream(head.substr(2)) >> source >> line >> column;
    InputPos pos;
    pos.source = static_cast<InputPos::Source>(source);
    pos.line = line;
    pos.column = column;
    throw InputError(body, pos);
  }
  if (head == "X") throw std::runtime_error("building the platform: " + body);
  throw std::runtime_error("building the platform to list its stats: the process ended with status " +
                           std::to_string(status));
}

}  // namespace sv39sim::sweep
