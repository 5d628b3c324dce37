#include "models/config/Config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>

namespace sv39sim {

void Problems::raise() const {
  if (items_.empty()) return;
  std::vector<InputError> sorted = items_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const InputError& a, const InputError& b) { return a.pos() < b.pos(); });
  std::string text;
  for (const InputError& e : sorted) text += (text.empty() ? "" : "\n") + std::string(e.what());
  throw InputError(text, sorted.front().pos());
}

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

enum class Scaled { Ok, Malformed, NotWhole };

// "12.5MiB" with MiB = 1048576 is 13107200: decimal digits times the unit in integer arithmetic, so a value
// is taken exactly or refused, never rounded (1.001ns is 1001 ps; 1.0005ns is not a whole picosecond).
Scaled scale_decimal(const std::string& text, const std::map<std::string, uint64_t>& units, uint64_t* out) {
  size_t i = 0;
  std::string whole, frac;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) whole += text[i++];
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) frac += text[i++];
  }
  if (whole.empty() && frac.empty()) return Scaled::Malformed;
  while (i < text.size() && text[i] == ' ') ++i;
  const auto unit = units.find(text.substr(i));
  if (unit == units.end()) return Scaled::Malformed;
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (whole.size() > 20 || frac.size() > 26) return Scaled::Malformed;  // beyond any representable value
  using u128 = unsigned __int128;
  u128 w = 0, f = 0, pow10 = 1;
  for (char c : whole) w = w * 10 + static_cast<unsigned>(c - '0');
  for (char c : frac) {
    f = f * 10 + static_cast<unsigned>(c - '0');
    pow10 *= 10;
  }
  const u128 frac_units = f * unit->second;  // < 10^26 * 2^40: fits
  if (frac_units % pow10 != 0) return Scaled::NotWhole;
  const u128 v = w * unit->second + frac_units / pow10;
  if (v > UINT64_MAX) return Scaled::Malformed;
  *out = static_cast<uint64_t>(v);
  return Scaled::Ok;
}

const std::map<std::string, uint64_t>& size_units() {
  static const std::map<std::string, uint64_t> kUnits = {
      {"B", 1},          {"K", 1ull << 10},  {"KiB", 1ull << 10}, {"M", 1ull << 20}, {"MiB", 1ull << 20},
      {"G", 1ull << 30}, {"GiB", 1ull << 30}};
  return kUnits;
}

const std::map<std::string, uint64_t>& time_units() {
  static const std::map<std::string, uint64_t> kUnits = {
      {"ps", 1}, {"ns", 1000}, {"us", 1000000}, {"ms", 1000000000}, {"s", 1000000000000}};
  return kUnits;
}

Scaled scale_size(const std::string& text, uint64_t* out) {
  if (parse_uint(text, out)) return Scaled::Ok;
  return scale_decimal(text, size_units(), out);
}

Scaled scale_time(const std::string& text, uint64_t* out) {
  if (text == "0") {
    *out = 0;
    return Scaled::Ok;
  }
  return scale_decimal(text, time_units(), out);
}

// Edit distance with adjacent transpositions (optimal string alignment), ignoring case.
size_t edit_distance(const std::string& a, const std::string& b) {
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

bool parse_size(const std::string& text, uint64_t* out) {
  return scale_size(text, out) == Scaled::Ok;
}

bool parse_time_ps(const std::string& text, uint64_t* out) {
  return scale_time(text, out) == Scaled::Ok;
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  // A key given without its section ("itlb.sets") is a near miss however many characters are missing.
  for (const std::string& c : candidates)
    if (c.size() > word.size() && c.compare(c.size() - word.size(), word.size(), word) == 0 &&
        c[c.size() - word.size() - 1] == '.')
      return c;
  const size_t limit = std::max<size_t>(1, std::min<size_t>(3, word.size() / 4));
  std::string best;
  size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string with_suggestion(const std::string& message, const std::string& word,
                            const std::vector<std::string>& candidates) {
  const std::string guess = closest_match(word, candidates);
  return guess.empty() ? message : message + " (did you mean '" + guess + "'?)";
}

// Input files (configs, sweep files) are small; anything larger (say /dev/zero) is not one, and must not be
// read to the end.
constexpr size_t kMaxInputFileBytes = 1 << 20;

std::string read_small_file(const std::string& path, const std::string& what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": cannot open " + what + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw InputError(path + ": is a directory, not a " + what);
  }
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw InputError(path + ": cannot read " + what + ": " + std::strerror(err));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > kMaxInputFileBytes) {
      ::close(fd);
      throw InputError(path + ": larger than " + std::to_string(kMaxInputFileBytes >> 10) + " KiB: not a " +
                       what);
    }
  }
  ::close(fd);
  return text;
}

Config::Config() {
  for (const auto& p : config_schema()) set(p.key, p.default_value, "default");
}

namespace {

std::vector<std::string> schema_keys() {
  std::vector<std::string> keys;
  for (const auto& p : config_schema()) keys.push_back(p.key);
  return keys;
}

// "mmu", "mmu.itlb", ...: every dotted prefix of a key, the names a nested mapping may have.
std::vector<std::string> schema_sections() {
  std::vector<std::string> sections;
  for (const auto& p : config_schema()) {
    for (size_t dot = p.key.find('.'); dot != std::string::npos; dot = p.key.find('.', dot + 1)) {
      const std::string s = p.key.substr(0, dot);
      if (std::find(sections.begin(), sections.end(), s) == sections.end()) sections.push_back(s);
    }
  }
  return sections;
}

bool is_section(const std::string& name) {
  const std::vector<std::string> sections = schema_sections();
  return std::find(sections.begin(), sections.end(), name) != sections.end();
}

std::string unknown_key_message(const std::string& key, bool as_section) {
  const std::string guess = closest_match(key, as_section ? schema_sections() : schema_keys());
  const std::string what = as_section ? "unknown section '" : "unknown key '";
  if (!guess.empty()) return what + key + "' (did you mean '" + guess + "'?)";
  // No near miss: list the keys of the innermost known section so the right one is easy to find.
  std::string section = key;
  while (section.find('.') != std::string::npos && !is_section(section)) section.erase(section.rfind('.'));
  std::string known;
  if (is_section(section)) {
    for (const auto& p : config_schema())
      if (p.key.compare(0, section.size() + 1, section + ".") == 0)
        known += (known.empty() ? "" : ", ") + p.key;
    return what + key + "' (known keys in '" + section + "': " + known + ")";
  }
  std::set<std::string> sections;
  for (const auto& p : config_schema()) sections.insert(p.key.substr(0, p.key.find('.')));
  for (const auto& s : sections) known += (known.empty() ? "" : ", ") + s;
  return what + key + "' (known sections: " + known + ")";
}

}  // namespace

const ParamSpec& Config::spec(const std::string& key) const {
  for (const auto& p : config_schema())
    if (p.key == key) return p;
  throw InputError(unknown_key_message(key, false));
}

void Config::set(const std::string& key, const std::string& text, const std::string& origin, InputPos pos) {
  const ParamSpec* p;
  try {
    p = &spec(key);
  } catch (const InputError& e) {
    throw InputError(origin + ": " + e.what(), pos);
  }
  Value v;
  v.text = text;
  v.origin = origin;
  v.pos = pos;
  auto bad = [&](const std::string& expected) {
    return InputError(origin + ": " + key + ": expected " + expected + ", got '" + text + "'", pos);
  };
  if (text.find('\0') != std::string::npos)
    throw InputError(origin + ": " + key + ": the value contains a NUL character (\\0)", pos);
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
      switch (scale_size(text, &v.number)) {
        case Scaled::Ok: break;
        case Scaled::NotWhole: throw bad("a whole number of bytes");
        case Scaled::Malformed: throw bad("a size such as 4096, 0x1000, 64KiB, 128MiB or 4GiB");
      }
      break;
    case ParamKind::Time:
      switch (scale_time(text, &v.number)) {
        case Scaled::Ok: break;
        case Scaled::NotWhole: throw bad("a whole number of picoseconds");
        case Scaled::Malformed: throw bad("a time such as 100ns, 1us, 2.5ms or 1s");
      }
      break;
    case ParamKind::Choice: {
      std::string list;
      for (const auto& c : p->choices) list += (list.empty() ? "" : " | ") + c;
      if (std::find(p->choices.begin(), p->choices.end(), text) == p->choices.end()) {
        throw InputError(with_suggestion(bad("one of " + list).what(), text, p->choices), pos);
      }
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

// U+FFFD REPLACEMENT CHARACTER stands for a NUL byte while yaml-cpp parses the file.
const char* const kNulStandIn = "\xEF\xBF\xBD";

std::string with_nuls(std::string s) {
  for (size_t at = s.find(kNulStandIn); at != std::string::npos; at = s.find(kNulStandIn, at + 1))
    s.replace(at, 3, 1, '\0');
  return s;
}

struct YamlLoader {
  Config& cfg;
  const std::string& path;
  std::string dir;
  Problems& problems;
  std::map<std::string, YAML::Mark> first_set;  // full key -> where the file set it first

  InputPos pos(const YAML::Mark& m) const {
    return InputPos::file(static_cast<unsigned>(m.line + 1), static_cast<unsigned>(m.column + 1));
  }
  std::string where(const YAML::Mark& m) const {
    return path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
  }
  void problem(const YAML::Mark& m, const std::string& why) {
    problems.add(InputError(where(m) + ": " + why, pos(m)));
  }

  // One mapping of the file, in file order; `prefix` is the dotted path to it ("" or "mmu.itlb.").
  void load_mapping(const YAML::Node& node, const std::string& prefix) {
    std::map<std::string, YAML::Mark> seen;  // this mapping's keys: YAML forbids repeating one
    for (const auto& kv : node) {
      const YAML::Mark mark = kv.first.Mark();
      if (!kv.first.IsScalar()) {
        problem(mark, "expected a key name");
        continue;
      }
      const std::string name = with_nuls(kv.first.Scalar());
      if (name.find('\0') != std::string::npos) {
        problem(mark, "a key name may not contain a NUL character");
        continue;
      }
      const auto dup = seen.find(name);
      if (dup != seen.end()) {
        problem(mark, (prefix + name) + ": duplicate key (first at line " +
                          std::to_string(dup->second.line + 1) + ":" +
                          std::to_string(dup->second.column + 1) + ")");
        continue;
      }
      seen.emplace(name, mark);
      const std::string key = prefix + name;
      const YAML::Node& value = kv.second;
      bool known = false;
      for (const auto& p : config_schema()) known |= p.key == key;
      // Only descend into mappings that lead to keys: anything else is misspelt (and a YAML alias to an
      // enclosing node, which makes the tree a cycle, ends here too).
      if (value.IsMap() && is_section(key)) {
        load_mapping(value, key + ".");
        continue;
      }
      if (!value.IsScalar()) {
        // Unknown keys are reported before complaining about the shape of their value.
        if (known)
          problem(value.Mark(), key + ": expected a single value");
        else
          problem(mark, unknown_key_message(key, value.IsMap()));
        continue;
      }
      // The same key spelt twice (hart: {clock_mhz: 1} and hart.clock_mhz: 2) is as ambiguous as a repeat.
      const auto again = first_set.find(key);
      if (again != first_set.end()) {
        problem(mark, key + ": set twice (first at line " + std::to_string(again->second.line + 1) + ":" +
                          std::to_string(again->second.column + 1) + ")");
        continue;
      }
      first_set.emplace(key, mark);
      std::string text = with_nuls(value.Scalar());
      // Paths in a config file are relative to the file, so configs can be run from anywhere.
      if (is_path_key(key) && !text.empty() && text[0] != '/' && text.find('\0') == std::string::npos)
        text = dir + text;
      problems.check([&] { cfg.set(key, text, where(mark), pos(mark)); });
    }
  }
};

}  // namespace

void Config::load_yaml_file(const std::string& path, Problems* problems) {
  std::string text;
  try {
    text = read_small_file(path, "config file");
  } catch (const InputError& e) {
    problems->add(e);
    return;
  }
  // A NUL byte cannot be part of YAML text and yaml-cpp misreads what follows it. Parse with a stand-in
  // that is valid YAML text, then turn it back into NUL in keys and values: set() names the key that holds
  // it. Only when the stand-in was in the file already, or the NUL is in no key or value (a comment), is
  // the byte's own position all there is to report.
  const size_t first_nul = text.find('\0');
  if (first_nul != std::string::npos) {
    const size_t before = problems->size();
    if (text.find(kNulStandIn) == std::string::npos) {
      for (size_t at = text.find('\0'); at != std::string::npos; at = text.find('\0', at))
        text.replace(at, 1, kNulStandIn);
      load_yaml_text(text, path, problems);
    }
    if (problems->size() == before) {
      const size_t line_start = text.rfind('\n', first_nul);
      const size_t line = std::count(text.begin(), text.begin() + first_nul, '\n') + 1;
      const size_t col = first_nul - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
      problems->add(InputError(path + ":" + std::to_string(line) + ":" + std::to_string(col) +
                                   ": NUL character in the file (a config is text)",
                               InputPos::file(static_cast<unsigned>(line), static_cast<unsigned>(col))));
    }
    return;
  }
  load_yaml_text(text, path, problems);
}

void Config::load_yaml_text(const std::string& text, const std::string& path, Problems* problems) {
  std::vector<YAML::Node> docs;
  YamlLoader loader{*this, path, "", *problems, {}};
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::ParserException& e) {
    loader.problem(e.mark, "YAML syntax error: " + e.msg);
    return;
  } catch (const YAML::Exception& e) {
    loader.problem(e.mark, std::string("YAML error: ") + e.what());
    return;
  }
  if (docs.empty() || docs[0].IsNull()) {
    if (docs.size() > 1) loader.problem(docs[1].Mark(), "a second YAML document; a config file holds one");
    return;  // an empty file keeps every default
  }
  const YAML::Node& root = docs[0];
  if (!root.IsMap()) {
    loader.problem(root.Mark(), "expected a mapping of sections (e.g. hart:)");
    return;
  }
  loader.dir = path.find('/') == std::string::npos ? "" : path.substr(0, path.rfind('/') + 1);
  loader.load_mapping(root, "");
  if (docs.size() > 1) loader.problem(docs[1].Mark(), "a second YAML document; a config file holds one");
}

void Config::load_yaml_file(const std::string& path) {
  Problems problems;
  load_yaml_file(path, &problems);
  problems.raise();
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
  // A default is shown but not set (commented out): loaded back, the dump sets exactly the keys this config
  // set, so a default that depends on another key (the disk.* figures on disk.preset) stays a default.
  for (const auto& sec : sections) {
    bool any_set = false;
    for (const auto& p : config_schema())
      if (p.key.compare(0, sec.size() + 1, sec + ".") == 0) any_set |= was_set(p.key);
    os << (any_set ? "" : "# ") << sec << ":\n";
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
  if (v.origin == "default") {
    os << "  # " << p.key.substr(sec.size() + 1) << ": \"" << quoted << "\"  (default)\n";
    return;
  }
  os << "  " << p.key.substr(sec.size() + 1) << ": \"" << quoted << "\"  # from " << v.origin << "\n";
}

}  // namespace sv39sim
