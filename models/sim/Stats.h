// One registry of named statistics. Modules register counters (read when the report is written);
// the report is stats.json (flat "name": value, for scripts) and stats.txt (gem5-style
// `name value # description`).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sv39sim {

class Stats {
 public:
  void add_counter(const std::string& name, std::function<uint64_t()> read, const std::string& description);
  void add_real(const std::string& name, std::function<double()> read, const std::string& description);
  void add_text(const std::string& name, std::function<std::string()> read, const std::string& description);

  // Writes DIR/stats.json and DIR/stats.txt, each through a temporary file renamed into place so a
  // reader never sees half a report. Throws std::runtime_error naming the file on I/O failure.
  void write(const std::string& dir) const;
  std::string json() const;
  std::string text() const;

 private:
  enum class Kind { Counter, Real, Text };
  struct Entry {
    std::string name;
    std::string description;
    Kind kind;
    std::function<uint64_t()> counter;
    std::function<double()> real;
    std::function<std::string()> str;
  };
  std::string value_text(const Entry& e, bool json) const;
  std::vector<Entry> entries_;
};

}  // namespace sv39sim
