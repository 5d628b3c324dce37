#include "testbench/sweep/PointKey.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <vector>

namespace sv39sim::sweep {

void Fnv1a::add(const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) {
    h_ ^= p[i];
    h_ *= 1099511628211ull;
  }
}

std::string canonical_config_text(const Config& cfg) {
  std::ostringstream dump;
  cfg.dump(dump);
  std::istringstream in(dump.str());
  std::string line, out;
  while (std::getline(in, line)) {
    const size_t first = line.find_first_not_of(' ');
    if (first == std::string::npos || line[first] == '#') continue;
    // `key: "value"  # from ...`: keep up to the value's closing quote (quotes inside are escaped).
    const size_t open = line.find(": \"");
    if (open != std::string::npos) {
      size_t at = open + 3;
      while (at < line.size() && line[at] != '"') at += line[at] == '\\' ? 2 : 1;
      line.resize(std::min(at + 1, line.size()));
    }
    out += line + "\n";
  }
  return out;
}

uint64_t PointKeys::file_hash(const std::string& path) {
  const auto it = files_.find(path);
  if (it != files_.end()) return it->second;
  Fnv1a h;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    h.add(std::string("cannot open: ") + std::strerror(errno));
  } else {
    std::vector<unsigned char> buf(1 << 20);
    for (;;) {
      const ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        h.add(std::string("cannot read: ") + std::strerror(errno));
        break;
      }
      if (n == 0) break;
      h.add(buf.data(), static_cast<size_t>(n));
    }
    ::close(fd);
  }
  files_[path] = h.value();
  return h.value();
}

std::string PointKeys::key(const Config& cfg) {
  Fnv1a h;
  h.add(canonical_config_text(cfg));
  std::string elf = cfg.get_string("sim.elf");
  if (elf.empty()) elf = default_elf_;
  for (const std::string& path : {elf, cfg.get_string("disk.image"), cfg.get_string("sim.stdin")}) {
    h.add(path);
    if (path.empty()) continue;
    const uint64_t f = file_hash(path);
    h.add(&f, sizeof f);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h.value()));
  return hex;
}

}  // namespace sv39sim::sweep
