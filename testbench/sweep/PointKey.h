// A point's key: what decides whether its results can be reused (--resume). A hash of the effective
// config (its values, not the comments that say where each came from) and of the bytes of every file the
// run reads: the ELF, the disk image and the UART input.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "models/config/Config.h"

namespace sv39sim::sweep {

// FNV-1a, 64 bits: no cryptographic strength needed, only that a changed input changes the key.
class Fnv1a {
 public:
  void add(const void* data, size_t n);
  void add(const std::string& s) { add(s.data(), s.size() + 1); }  // with its NUL: "ab"+"c" != "a"+"bc"
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 14695981039346656037ull;
};

// The config as `sv39sim config` dumps it, minus the comments: the text that decides the run.
std::string canonical_config_text(const Config& cfg);

class PointKeys {
 public:
  explicit PointKeys(std::string default_elf) : default_elf_(std::move(default_elf)) {}
  // 16 hex digits. A file that cannot be read hashes as its error message: the run will fail on it too.
  std::string key(const Config& cfg);

 private:
  uint64_t file_hash(const std::string& path);
  std::string default_elf_;
  std::map<std::string, uint64_t> files_;  // each file is read once per sweep
};

}  // namespace sv39sim::sweep
