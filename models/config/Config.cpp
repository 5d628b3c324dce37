#include "models/config/Config.h"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

namespace sv39sim {

const char* param_kind_name(ParamKind k) {
  switch (k) {
    case ParamKind::Bool: return "bool";
    case ParamKind::UInt: return "integer";
    case ParamKind::Size: return "size";
    case ParamKind::Time: return "time";
    case ParamKind::String: return "string";
    case ParamKind::Choice: return "choice";
  }
  return "?";
}

bool parse_uint(const std::string& text, uint64_t* out) {
  if (text.empty() || text[0] == '-' || text[0] == '+' || std::isspace(static_cast<unsigned char>(text[0])))
    return false;
  errno = 0;
  char* end = nullptr;
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const unsigned long long v = std::strtoull(text.c_str(), &end, hex ? 16 : 10);
  if (errno != 0 || end == text.c_str() || *end != '\0') return false;
  *out = v;
  return true;
}

namespace {

// Splits "12.5MiB" into 12.5 and "MiB"; false if there is no leading number.
bool split_number(const std::string& text, double* number, std::string* unit) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) return false;
  char* end = nullptr;
  const std::string num = text.substr(0, i);
  *number = std::strtod(num.c_str(), &end);
  if (*end != '\0') return false;
  *unit = text.substr(i);
  while (!unit->empty() && unit->front() == ' ') unit->erase(unit->begin());
  return true;
}

// number * unit must be a whole count; decimal fractions like 1.001 ns are not exact in binary, so
// accept a product within a millionth of an integer.
bool scale(double number, double unit, uint64_t* out) {
  const double v = number * unit;
  const double whole = std::round(v);
  if (!(v >= 0) || v > 1.8e19 || std::fabs(v - whole) > 1e-6 * std::max(1.0, whole)) return false;
  *out = static_cast<uint64_t>(whole);
  return true;
}

}  // namespace

bool parse_size(const std::string& text, uint64_t* out) {
  if (parse_uint(text, out)) return true;
  double n;
  std::string unit;
  if (!split_number(text, &n, &unit)) return false;
  static const std::map<std::string, double> kUnits = {
      {"B", 1},           {"K", 1024.0},       {"KiB", 1024.0},      {"M", 1048576.0},
      {"MiB", 1048576.0}, {"G", 1073741824.0}, {"GiB", 1073741824.0}};
  const auto it = kUnits.find(unit);
  return it != kUnits.end() && scale(n, it->second, out);
}

bool parse_time_ps(const std::string& text, uint64_t* out) {
  if (text == "0") {
    *out = 0;
    return true;
  }
  double n;
  std::string unit;
  if (!split_number(text, &n, &unit)) return false;
  static const std::map<std::string, double> kUnits = {
      {"ps", 1}, {"ns", 1e3}, {"us", 1e6}, {"ms", 1e9}, {"s", 1e12}};
  const auto it = kUnits.find(unit);
  return it != kUnits.end() && scale(n, it->second, out);
}

Config::Config() {
  for (const auto& p : config_schema()) set(p.key, p.default_value, "default");
}

const ParamSpec& Config::spec(const std::string& key) const {
  for (const auto& p : config_schema())
    if (p.key == key) return p;
  // Suggest the keys of the same section so typos are easy to fix.
  const std::string section = key.substr(0, key.find('.'));
  std::string known;
  for (const auto& p : config_schema())
    if (p.key.compare(0, section.size() + 1, section + ".") == 0)
      known += (known.empty() ? "" : ", ") + p.key;
  if (known.empty()) {
    std::set<std::string> sections;
    for (const auto& p : config_schema()) sections.insert(p.key.substr(0, p.key.find('.')));
    for (const auto& s : sections) known += (known.empty() ? "" : ", ") + s;
    throw InputError("unknown key '" + key + "' (known sections: " + known + ")");
  }
  throw InputError("unknown key '" + key + "' (known keys in '" + section + "': " + known + ")");
}

void Config::set(const std::string& key, const std::string& text, const std::string& origin) {
  const ParamSpec* p;
  try {
    p = &spec(key);
  } catch (const InputError& e) {
    throw InputError(origin + ": " + e.what());
  }
  Value v;
  v.text = text;
  v.origin = origin;
  auto bad = [&](const std::string& expected) {
    return InputError(origin + ": " + key + ": expected " + expected + ", got '" + text + "'");
  };
  switch (p->kind) {
    case ParamKind::Bool:
      if (text == "true" || text == "yes" || text == "on" || text == "1")
        v.flag = true;
      else if (text == "false" || text == "no" || text == "off" || text == "0")
        v.flag = false;
      else
        throw bad("true or false");
      break;
    case ParamKind::UInt:
      if (!parse_uint(text, &v.number)) throw bad("a non-negative integer");
      break;
    case ParamKind::Size:
      if (!parse_size(text, &v.number)) throw bad("a size such as 4096, 0x1000, 64KiB, 128MiB or 4GiB");
      break;
    case ParamKind::Time:
      if (!parse_time_ps(text, &v.number)) throw bad("a time such as 100ns, 1us, 2.5ms or 1s");
      break;
    case ParamKind::Choice: {
      bool ok = false;
      std::string list;
      for (const auto& c : p->choices) {
        ok |= c == text;
        list += (list.empty() ? "" : " | ") + c;
      }
      if (!ok) throw bad("one of " + list);
      break;
    }
    case ParamKind::String: break;
  }
  if ((p->kind == ParamKind::UInt || p->kind == ParamKind::Size || p->kind == ParamKind::Time) &&
      (v.number < p->min || v.number > p->max)) {
    std::ostringstream range;
    range << "a value in [" << p->min << ", " << p->max << "]"
          << (p->kind == ParamKind::Time   ? " picoseconds"
              : p->kind == ParamKind::Size ? " bytes"
                                           : "");
    throw bad(range.str());
  }
  values_[key] = v;
}

namespace {

// Keys naming files: relative paths in a config file are relative to that file.
bool is_path_key(const std::string& key) {
  return key == "sim.elf" || key == "sim.stdin" || key == "disk.image";
}

std::string where(const std::string& file, const YAML::Mark& m) {
  return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

}  // namespace

void Config::load_yaml_file(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw InputError(path + ": cannot open config file");
  } catch (const YAML::ParserException& e) {
    throw InputError(where(path, e.mark) + ": YAML syntax error: " + e.msg);
  }
  if (root.IsNull()) return;  // an empty file keeps every default
  if (!root.IsMap())
    throw InputError(where(path, root.Mark()) + ": expected a mapping of sections (e.g. hart:)");
  const std::string dir = path.find('/') == std::string::npos ? "" : path.substr(0, path.rfind('/') + 1);
  // Walk nested mappings; leaves must be scalars.
  struct Item {
    YAML::Node node;
    std::string prefix;
  };
  std::vector<Item> stack{{root, ""}};
  while (!stack.empty()) {
    Item item = stack.back();
    stack.pop_back();
    for (auto it = item.node.begin(); it != item.node.end(); ++it) {
      const std::string loc = where(path, it->first.Mark());
      if (!it->first.IsScalar()) throw InputError(loc + ": expected a key name");
      const std::string key = item.prefix + it->first.Scalar();
      const YAML::Node& value = it->second;
      if (value.IsMap()) {
        stack.push_back({value, key + "."});
        continue;
      }
      if (!value.IsScalar()) {
        // Unknown keys are reported before complaining about the shape of their value.
        try {
          spec(key);
        } catch (const InputError& e) {
          throw InputError(loc + ": " + e.what());
        }
        throw InputError(where(path, value.Mark()) + ": " + key + ": expected a single value");
      }
      std::string text = value.Scalar();
      // Paths in a config file are relative to the file, so configs can be run from anywhere.
      if (is_path_key(key)) {
        if (!text.empty() && text[0] != '/') text = dir + text;
      }
      set(key, text, loc);
    }
  }
}

std::string Config::blame(const std::vector<std::string>& keys) const {
  for (const std::string& k : keys)
    if (was_set(k)) return k;
  return keys.front();
}

bool Config::get_bool(const std::string& key) const {
  return values_.at(key).flag;
}
uint64_t Config::get_uint(const std::string& key) const {
  return values_.at(key).number;
}
const std::string& Config::get_string(const std::string& key) const {
  return values_.at(key).text;
}
const std::string& Config::origin(const std::string& key) const {
  return values_.at(key).origin;
}

void Config::dump(std::ostream& os) const {
  // One mapping per section, sections in order of first appearance in the schema.
  std::vector<std::string> sections;
  for (const auto& p : config_schema()) {
    const std::string sec = p.key.substr(0, p.key.find('.'));
    if (std::find(sections.begin(), sections.end(), sec) == sections.end()) sections.push_back(sec);
  }
  for (const auto& sec : sections) {
    os << sec << ":\n";
    for (const auto& p : config_schema()) {
      if (p.key.compare(0, sec.size() + 1, sec + ".") != 0) continue;
      dump_key(os, p, sec);
    }
  }
}

void Config::dump_key(std::ostream& os, const ParamSpec& p, const std::string& sec) const {
  const Value& v = values_.at(p.key);
  os << "  # " << p.help << "\n";
  std::string text = v.text;
  // Paths given relative to the working directory must still name the same file when the dump is
  // loaded from elsewhere (config-file paths are relative to the file).
  if (is_path_key(p.key) && !text.empty() && text[0] != '/') {
    char cwd[4096];
    if (::getcwd(cwd, sizeof cwd)) text = std::string(cwd) + "/" + text;
  }
  std::string quoted;
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  os << "  " << p.key.substr(sec.size() + 1) << ": \"" << quoted << "\"";
  if (v.origin != "default") os << "  # from " << v.origin;
  os << "\n";
}

}  // namespace sv39sim
