// Simulation parameters: one table of known keys (Schema.cpp) with defaults and descriptions, values from
// YAML files and --set overrides, each validated where it enters so errors name their origin.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace sv39sim {

// Bad input from the user (config, arguments, ELF): reported with exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ParamKind { Bool, UInt, Size, Time, String, Choice };

struct ParamSpec {
  std::string key;
  ParamKind kind;
  std::string default_value;
  std::string help;
  std::vector<std::string> choices;    // for Choice
  uint64_t min = 0, max = UINT64_MAX;  // for UInt/Size/Time (Time in picoseconds)
};

const std::vector<ParamSpec>& config_schema();
const char* param_kind_name(ParamKind k);

// Parsers shared by config values and the command line; return false on malformed input.
bool parse_uint(const std::string& text, uint64_t* out);
bool parse_size(const std::string& text, uint64_t* out);     // 4096, 0x1000, 64KiB, 128MiB, 4GiB
bool parse_time_ps(const std::string& text, uint64_t* out);  // 0, 100ns, 1us, 2.5ms, 1s

class Config {
 public:
  Config();

  // Reads a YAML mapping; nested mappings form dotted keys (hart: {misaligned: trap} is hart.misaligned).
  void load_yaml_file(const std::string& path);
  // Sets one key from text; `origin` names where it came from for error messages.
  void set(const std::string& key, const std::string& value, const std::string& origin);

  bool get_bool(const std::string& key) const;
  uint64_t get_uint(const std::string& key) const;  // UInt, Size (bytes), Time (picoseconds)
  const std::string& get_string(const std::string& key) const;
  const std::string& origin(const std::string& key) const;
  // Whether anything (file or --set) set the key, rather than it being at its default.
  bool was_set(const std::string& key) const { return origin(key) != "default"; }
  // The first of `keys` the user set, else the first: the one to blame for a problem involving several.
  std::string blame(const std::vector<std::string>& keys) const;
  // An InputError about `key`, naming where it was set: "<origin>: <key>: <why>".
  InputError error(const std::string& key, const std::string& why) const {
    return InputError(origin(key) + ": " + key + ": " + why);
  }

  // Every key with its value, origin and description, as YAML that load_yaml_file accepts back.
  void dump(std::ostream& os) const;

 private:
  struct Value {
    std::string text;
    uint64_t number = 0;
    bool flag = false;
    std::string origin;
  };
  const ParamSpec& spec(const std::string& key) const;
  void dump_key(std::ostream& os, const ParamSpec& p, const std::string& section) const;
  std::map<std::string, Value> values_;
};

}  // namespace sv39sim
