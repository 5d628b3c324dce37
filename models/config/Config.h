// Simulation parameters: one table of known keys (Schema.cpp) with defaults and descriptions, values from
// YAML files and --set overrides, each validated where it enters so errors name their origin.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/sim/InputError.h"

namespace sv39sim {

// Every problem found in an input, so that one run reports them all, in input order, rather than the first.
class Problems {
 public:
  void add(const InputError& e) { items_.push_back(e); }
  // Runs f(); an InputError it throws becomes one more problem instead of ending the check.
  template <typename F>
  void check(F&& f) {
    try {
      f();
    } catch (const InputError& e) {
      add(e);
    }
  }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  // Throws one InputError listing every problem, one per line in input order, if there is any.
  void raise() const;

 private:
  std::vector<InputError> items_;
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

// Parsers shared by config values and the command line; return false on malformed input and on a value
// that is not a whole number of bytes or picoseconds (0.3ns, 1.3KiB): nothing is ever rounded.
bool parse_uint(const std::string& text, uint64_t* out);
bool parse_size(const std::string& text, uint64_t* out);     // 4096, 0x1000, 64KiB, 128MiB, 4GiB
bool parse_time_ps(const std::string& text, uint64_t* out);  // 0, 100ns, 1us, 2.5ms, 1s

// Of `candidates`, the one `word` most likely misspells (at most a few edits away), or "" if none is close.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);
// `message`, plus " (did you mean 'x'?)" when closest_match finds an x.
std::string with_suggestion(const std::string& message, const std::string& word,
                            const std::vector<std::string>& candidates);

// The whole of a small input file (a config, a sweep file: at most 1 MiB), or an InputError naming the path
// and `what` it should have been.
std::string read_small_file(const std::string& path, const std::string& what);

class Config {
 public:
  Config();

  // Reads a YAML mapping; nested mappings form dotted keys (hart: {misaligned: trap} is hart.misaligned).
  // Every problem of the file (syntax, unknown or repeated keys, bad values) is added to `problems`, in
  // file order; the one-argument form throws them as one InputError.
  void load_yaml_file(const std::string& path, Problems* problems);
  void load_yaml_file(const std::string& path);
  // The same for YAML text (e.g. the config an event log carries); `name` stands for the file in messages.
  void load_yaml_text(const std::string& text, const std::string& name, Problems* problems);
  // Sets one key from text; `origin` names where it came from for error messages, `pos` orders them.
  void set(const std::string& key, const std::string& value, const std::string& origin, InputPos pos = {});

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
    return InputError(origin(key) + ": " + key + ": " + why, values_.at(key).pos);
  }

  // Every key with its value, origin and description, as YAML that load_yaml_file accepts back. Keys left
  // at their default are shown commented out, so loading the dump sets exactly what this config set.
  void dump(std::ostream& os) const;

 private:
  struct Value {
    std::string text;
    uint64_t number = 0;
    bool flag = false;
    std::string origin;
    InputPos pos;
  };
  const ParamSpec& spec(const std::string& key) const;
  void dump_key(std::ostream& os, const ParamSpec& p, const std::string& section) const;
  std::map<std::string, Value> values_;
};

}  // namespace sv39sim
