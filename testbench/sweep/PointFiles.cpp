// The point folder's "done" mark and its cleanup (declared in SweepBackend.h, shared by the backends).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "testbench/sweep/SweepBackend.h"

namespace sv39sim::sweep {

void write_exit_status(const std::string& dir, int exit_status) {
  const std::string path = dir + "/exit_status", tmp = path + ".tmp";
  const std::string text = std::to_string(exit_status) + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw std::runtime_error(tmp + ": " + std::strerror(errno));
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  // fsync: the mark must not reach the disk before the results it vouches for.
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || !synced || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw std::runtime_error(path + ": cannot write: " + std::strerror(errno));
  }
}

bool read_exit_status(const std::string& dir, int* exit_status) {
  std::FILE* f = std::fopen((dir + "/exit_status").c_str(), "re");
  if (!f) return false;
  char buf[32] = {};
  const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  char* end = nullptr;
  const long v = std::strtol(buf, &end, 10);
  if (n == 0 || end == buf || (*end != '\n' && *end != '\0') || v < 0 || v > 255) return false;
  *exit_status = static_cast<int>(v);
  return true;
}

void remove_partial_point(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> doomed;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == ".." || name == "config.yaml" || name == "key") continue;
    doomed.push_back(dir + "/" + name);
  }
  ::closedir(d);
  for (const std::string& path : doomed) {
    struct stat st {};
    // Only files: a run writes nothing else there.
    if (::lstat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) ::unlink(path.c_str());
  }
}

}  // namespace sv39sim::sweep
