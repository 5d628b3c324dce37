#include "testbench/sweep/SweepFile.h"

#include <fcntl.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <sstream>

#include "models/config/ModelConfig.h"

namespace sv39sim::sweep {

const char* const kReservedColumns[4] = {"point", "repeat", "seed", "exit_status"};

std::string SweepFile::where(const Mark& m) const {
  return path + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

InputError SweepFile::error(const Mark& m, const std::string& why) const {
  return InputError(where(m) + ": " + why, InputPos::file(m.line, m.column));
}

size_t SweepFile::point_count() const {
  size_t n = repeats;
  for (const Axis& a : axes) n *= a.steps.size();
  return n;
}

namespace {

// Limits that keep a typo (a range to 10^9) from expanding into something no machine runs.
constexpr size_t kMaxSteps = 10000, kMaxPoints = 1000000;
constexpr unsigned kMaxRepeats = 10000;

// The keys Config reads as file names (Config.cpp): relative paths in a sweep file are relative to it,
// as in a config file.
bool is_path_key(const std::string& key) {
  return key == "sim.elf" || key == "sim.stdin" || key == "disk.image";
}

std::vector<std::string> schema_keys() {
  std::vector<std::string> keys;
  for (const auto& p : config_schema()) keys.push_back(p.key);
  return keys;
}


class Reader {
 public:
  Reader(SweepFile& sweep, Problems& problems) : s_(sweep), problems_(problems), keys_(schema_keys()) {
    const size_t slash = s_.path.rfind('/');
    dir_ = slash == std::string::npos ? "" : s_.path.substr(0, slash + 1);
  }

  void read(const YAML::Node& root) {
    if (!root.IsMap()) return problem(root, "expected a mapping (name:, base:, set:, axes:, stats:, plots:)");
    static const std::vector<std::string> known = {"name",    "base",  "set",  "axes",
                                                   "repeats", "stats", "plots"};
    for (const auto& kv : mapping(root, "the sweep file")) {
      const std::string& k = kv.first;
      const YAML::Node& v = kv.second.second;
      if (k == "name")
        read_name(v);
      else if (k == "base")
        read_base(v);
      else if (k == "set")
        read_set(v, "");
      else if (k == "axes")
        read_axes(v);
      else if (k == "repeats")
        read_repeats(v);
      else if (k == "stats")
        read_stats(v);
      else if (k == "plots")
        read_plots(v);
      else
        problem(kv.second.first,
                with_suggestion("unknown key '" + k + "' (known: " + join(known, ", ") + ")", k, known));
    }
    check_axis_names_and_keys();
  }

 private:
  static Mark mark(const YAML::Node& n) {
    return {static_cast<unsigned>(n.Mark().line + 1), static_cast<unsigned>(n.Mark().column + 1)};
  }
  void problem(const Mark& m, const std::string& why) { problems_.add(s_.error(m, why)); }
  void problem(const YAML::Node& n, const std::string& why) { problem(mark(n), why); }

  // A mapping's entries in file order (key -> (key node, value node)); repeated keys are problems.
  std::vector<std::pair<std::string, std::pair<YAML::Node, YAML::Node>>> mapping(const YAML::Node& n,
                                                                                 const std::string& what) {
    std::vector<std::pair<std::string, std::pair<YAML::Node, YAML::Node>>> out;
    std::map<std::string, Mark> seen;
    for (const auto& kv : n) {
      if (!kv.first.IsScalar()) {
        problem(kv.first, "expected a key name in " + what);
        continue;
      }
      const std::string k = kv.first.Scalar();
      const Mark m = mark(kv.first);
      const auto dup = seen.find(k);
      if (dup != seen.end()) {
        problem(m, k + ": duplicate key (first at line " + std::to_string(dup->second.line) + ":" +
                       std::to_string(dup->second.column) + ")");
        continue;
      }
      seen.emplace(k, m);
      out.push_back({k, {kv.first, kv.second}});
    }
    return out;
  }

  bool scalar(const YAML::Node& n, const std::string& what, std::string* out) {
    if (!n.IsScalar()) {
      problem(n, what + ": expected a single value");
      return false;
    }
    *out = n.Scalar();
    return true;
  }

  bool config_key(const YAML::Node& n, std::string* key) {
    if (!scalar(n, "key", key)) return false;
    if (std::find(keys_.begin(), keys_.end(), *key) != keys_.end()) return true;
    problem(n, with_suggestion("unknown key '" + *key + "'", *key, keys_));
    return false;
  }

  // A config value; `key` decides whether it is a path relative to the sweep file.
  // A value that is bad for its key alone (not a number, not a choice) is reported here, with the file's
  // other problems; what depends on other keys waits for the points' configs.
  bool value(const YAML::Node& n, const std::string& key, SweepValue* out) {
    if (!scalar(n, key, &out->text)) return false;
    if (is_path_key(key) && !out->text.empty() && out->text[0] != '/') out->text = dir_ + out->text;
    out->mark = mark(n);
    const size_t before = problems_.size();
    problems_.check([&] {
      scratch_.set(key, out->text, s_.where(out->mark), InputPos::file(out->mark.line, out->mark.column));
    });
    return problems_.size() == before;
  }

  void read_name(const YAML::Node& v) {
    std::string name;
    if (!scalar(v, "name", &name)) return;
    const bool ok =
        !name.empty() && name != "." && name != ".." &&
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
            std::string::npos;
    if (!ok)
      return problem(
          v,
          "name: expected letters, digits, '.', '_' or '-' (it names the output folder), got '" + name + "'");
    s_.name = name;
  }

  void read_base(const YAML::Node& v) {
    std::string base;
    if (!scalar(v, "base", &base)) return;
    if (base.empty()) return;
    s_.base = base[0] == '/' ? base : dir_ + base;
    s_.base_mark = mark(v);
    const int fd = ::open(s_.base.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return problem(v, "base: " + s_.base + ": cannot open config file: " + std::strerror(errno));
    ::close(fd);
  }

  // set: {key: value} with dotted keys or nested sections, as in a config file.
  void read_set(const YAML::Node& v, const std::string& prefix) {
    if (!v.IsMap()) return problem(v, "set: expected a mapping of config keys to values");
    for (const auto& kv : mapping(v, "set")) {
      const std::string key = prefix + kv.first;
      const YAML::Node& val = kv.second.second;
      if (val.IsMap()) {
        read_set(val, key + ".");
        continue;
      }
      if (std::find(keys_.begin(), keys_.end(), key) == keys_.end()) {
        problem(kv.second.first, with_suggestion("unknown key '" + key + "'", key, keys_));
        continue;
      }
      SweepValue sv;
      if (!value(val, key, &sv)) continue;
      s_.set.emplace_back(key, sv);
      s_.set_key_marks.push_back(mark(kv.second.first));
    }
  }

  void read_repeats(const YAML::Node& v) {
    std::string text;
    uint64_t n = 0;
    if (!scalar(v, "repeats", &text)) return;
    if (!parse_uint(text, &n) || n < 1 || n > kMaxRepeats)
      return problem(v, "repeats: expected a whole number from 1 to " + std::to_string(kMaxRepeats) +
                            ", got '" + text + "'");
    s_.repeats = static_cast<unsigned>(n);
    s_.repeats_mark = mark(v);
  }

  void read_axes(const YAML::Node& v) {
    if (!v.IsSequence()) return problem(v, "axes: expected a list of axes");
    for (const auto& a : v) read_axis(a);
  }

  void read_axis(const YAML::Node& n) {
    if (!n.IsMap())
      return problem(n, "axis: expected a mapping (name:, key: with values: or range:, or zip:)");
    static const std::vector<std::string> known = {"name", "key", "values", "range", "zip", "labels"};
    Axis axis;
    axis.mark = mark(n);
    std::optional<YAML::Node> name, key, values, range, zip, labels;  // present or not
    for (const auto& kv : mapping(n, "an axis")) {
      const std::string& k = kv.first;
      const YAML::Node& val = kv.second.second;
      if (k == "name")
        name = val;
      else if (k == "key")
        key = val;
      else if (k == "values")
        values = val;
      else if (k == "range")
        range = val;
      else if (k == "zip")
        zip = val;
      else if (k == "labels")
        labels = val;
      else
        problem(
            kv.second.first,
            with_suggestion("axis: unknown key '" + k + "' (known: " + join(known, ", ") + ")", k, known));
    }
    bool ok = true;
    if (zip) {
      if (key || values || range) {
        problem(*zip, "axis: zip: replaces key:, values: and range:; give one or the other");
        return;
      }
      ok = read_zip(*zip, &axis);
    } else if (!key) {
      return problem(n, "axis: needs key: with values: or range:, or zip:");
    } else {
      std::string k;
      if (!config_key(*key, &k)) return;
      axis.keys = {k};
      axis.key_marks = {mark(*key)};
      if (values && range) return problem(*range, "axis: give values: or range:, not both");
      if (!values && !range) return problem(*key, "axis " + k + ": needs values: or range:");
      ok = values ? read_values(*values, k, &axis) : read_range(*range, k, &axis);
    }
    if (!ok) return;
    if (name) {
      if (!scalar(*name, "name", &axis.name)) return;
      if (axis.name.empty()) return problem(*name, "axis: name: must not be empty");
    } else if (axis.zipped) {
      return problem(n, "axis: a zipped axis needs a name:");
    } else {
      axis.name = axis.keys[0];
    }
    if (labels) {
      if (!read_labels(*labels, &axis)) return;
    } else {
      for (const auto& step : axis.steps) {
        std::vector<std::string> parts;
        for (const auto& sv : step) parts.push_back(sv.text);
        axis.labels.push_back(join(parts, "/"));
      }
    }
    s_.axes.push_back(std::move(axis));
  }

  bool read_values(const YAML::Node& v, const std::string& key, Axis* axis) {
    if (!v.IsSequence() || v.size() == 0) {
      problem(v, "values: expected a non-empty list");
      return false;
    }
    for (const auto& x : v) {
      SweepValue sv;
      if (!value(x, key, &sv)) return false;
      axis->steps.push_back({sv});
    }
    return true;
  }

  // range: {from: A, to: B, times: K} (A, A*K, ... <= B) or {from: A, to: B, step: S} (A, A+S, ... <= B).
  bool read_range(const YAML::Node& v, const std::string& key, Axis* axis) {
    if (!v.IsMap()) {
      problem(v, "range: expected {from: A, to: B, times: K} or {from: A, to: B, step: S}");
      return false;
    }
    static const std::vector<std::string> known = {"from", "to", "times", "step"};
    std::map<std::string, std::pair<uint64_t, YAML::Node>> got;
    bool ok = true;
    for (const auto& kv : mapping(v, "range")) {
      if (std::find(known.begin(), known.end(), kv.first) == known.end()) {
        problem(kv.second.first,
                with_suggestion("range: unknown key '" + kv.first + "' (known: from, to, times, step)",
                                kv.first, known));
        ok = false;
        continue;
      }
      std::string text;
      uint64_t n = 0;
      if (!scalar(kv.second.second, "range: " + kv.first, &text)) {
        ok = false;
        continue;
      }
      if (!parse_uint(text, &n) && !parse_size(text, &n)) {
        problem(
            kv.second.second,
            "range: " + kv.first + ": expected a whole number (or a size such as 4KiB), got '" + text + "'");
        ok = false;
        continue;
      }
      got[kv.first] = {n, kv.second.second};
    }
    if (!ok) return false;
    if (!got.count("from") || !got.count("to") || got.count("times") == got.count("step")) {
      problem(v, "range: expected from:, to: and one of times: or step:");
      return false;
    }
    const uint64_t from = got["from"].first, to = got["to"].first;
    if (from > to) {
      problem(got["to"].second,
              "range: to: " + std::to_string(to) + " is less than from: " + std::to_string(from));
      return false;
    }
    const bool geometric = got.count("times");
    const auto& by = got[geometric ? "times" : "step"];
    if (geometric ? by.first < 2 : by.first < 1) {
      problem(by.second, geometric ? "range: times: expected 2 or more" : "range: step: expected 1 or more");
      return false;
    }
    if (geometric && from == 0) {
      problem(got["from"].second, "range: from: a geometric range (times:) must start above 0");
      return false;
    }
    for (uint64_t x = from; x <= to;) {
      if (axis->steps.size() >= kMaxSteps) {
        problem(v, "range: more than " + std::to_string(kMaxSteps) + " values");
        return false;
      }
      axis->steps.push_back({SweepValue{std::to_string(x), mark(v)}});
      const uint64_t next = geometric ? x * by.first : x + by.first;
      if ((geometric && next / by.first != x) || next < x) break;  // overflow: past any `to`
      x = next;
    }
    (void)key;
    return true;
  }

  // zip: {key: [values...], key: [values...]}: the keys move together, one value of each per step.
  bool read_zip(const YAML::Node& v, Axis* axis) {
    axis->zipped = true;
    if (!v.IsMap() || v.size() == 0) {
      problem(v, "zip: expected a mapping of config keys to lists of values");
      return false;
    }
    size_t steps = 0;
    std::string first_key;
    for (const auto& kv : mapping(v, "zip")) {
      std::string key;
      if (!config_key(kv.second.first, &key)) return false;
      const YAML::Node& list = kv.second.second;
      if (!list.IsSequence() || list.size() == 0) {
        problem(list, "zip: " + key + ": expected a non-empty list");
        return false;
      }
      if (axis->keys.empty()) {
        steps = list.size();
        first_key = key;
        axis->steps.resize(steps);
      } else if (list.size() != steps) {
        problem(list, "zip: " + key + " has " + std::to_string(list.size()) + " values, " + first_key +
                          " has " + std::to_string(steps) + ": zipped keys need one value each per step");
        return false;
      }
      axis->keys.push_back(key);
      axis->key_marks.push_back(mark(kv.second.first));
      for (size_t i = 0; i < steps; ++i) {
        SweepValue sv;
        if (!value(list[i], key, &sv)) return false;
        axis->steps[i].push_back(sv);
      }
    }
    return true;
  }

  bool read_labels(const YAML::Node& v, Axis* axis) {
    if (!v.IsSequence() || v.size() != axis->steps.size()) {
      problem(v,
              "labels: expected a list of " + std::to_string(axis->steps.size()) + " labels, one per value");
      return false;
    }
    std::set<std::string> seen;
    for (const auto& l : v) {
      std::string text;
      if (!scalar(l, "labels", &text)) return false;
      if (!seen.insert(text).second) {
        problem(l, "labels: '" + text + "' is used twice (labels tell the points apart)");
        return false;
      }
      axis->labels.push_back(text);
    }
    return true;
  }

  // Names are columns of the results, so they must be unique; a key swept twice (or swept and set) would
  // leave one of the two values unused.
  void check_axis_names_and_keys() {
    std::map<std::string, const Axis*> names;
    std::map<std::string, Mark> keys;  // key -> where it was first given
    for (size_t i = 0; i < s_.set.size(); ++i) keys.emplace(s_.set[i].first, s_.set_key_marks[i]);
    for (const Axis& a : s_.axes) {
      for (const char* r : kReservedColumns) {
        if (a.name == r) problem(a.mark, "axis name '" + a.name + "' is reserved for a results column");
      }
      if (!names.emplace(a.name, &a).second)
        problem(a.mark, "axis name '" + a.name + "' is used twice (first at line " +
                            std::to_string(names[a.name]->mark.line) + ")");
      for (size_t k = 0; k < a.keys.size(); ++k) {
        const auto [it, fresh] = keys.emplace(a.keys[k], a.key_marks[k]);
        if (!fresh)
          problem(a.key_marks[k], a.keys[k] + ": already set or swept at line " +
                                      std::to_string(it->second.line) + ":" +
                                      std::to_string(it->second.column) + "; a key takes one place");
      }
    }
    if (s_.axes.size() > 0 && s_.point_count() > kMaxPoints)
      problem(s_.axes.front().mark, "the axes make " + std::to_string(s_.point_count()) +
                                        " points, more than " + std::to_string(kMaxPoints));
  }

  void read_stats(const YAML::Node& v) {
    if (!v.IsSequence()) return problem(v, "stats: expected a list of stat names, globs or {name:, expr:}");
    for (const auto& x : v) {
      StatRequest r;
      r.mark = mark(x);
      if (x.IsScalar()) {
        r.pattern = x.Scalar();
        if (r.pattern.empty()) {
          problem(x, "stats: empty stat name");
          continue;
        }
      } else if (x.IsMap()) {
        std::optional<YAML::Node> name, expr;
        for (const auto& kv : mapping(x, "a derived value")) {
          if (kv.first == "name")
            name = kv.second.second;
          else if (kv.first == "expr")
            expr = kv.second.second;
          else
            problem(kv.second.first,
                    "stats: unknown key '" + kv.first + "' (a derived value has name: and expr:)");
        }
        if (!name || !expr) {
          problem(x, "stats: a derived value needs name: and expr:");
          continue;
        }
        if (!scalar(*name, "name", &r.pattern) || !scalar(*expr, "expr", &r.expr)) continue;
        r.mark = mark(*name);
        r.expr_mark = mark(*expr);
        if (r.pattern.empty() || is_glob(r.pattern)) {
          problem(*name, "stats: name: '" + r.pattern + "' is not a column name");
          continue;
        }
        if (r.expr.empty()) {
          problem(*expr, "stats: expr: empty");
          continue;
        }
      } else {
        problem(x, "stats: expected a stat name, a glob or {name:, expr:}");
        continue;
      }
      s_.stats.push_back(r);
    }
  }

  void read_plots(const YAML::Node& v) {
    if (!v.IsSequence()) return problem(v, "plots: expected a list of plots");
    static const std::vector<std::string> known = {"name", "x",    "y",     "series",   "facets",
                                                   "logx", "logy", "title", "aggregate"};
    std::map<std::string, Mark> names;
    for (const auto& p : v) {
      if (!p.IsMap()) {
        problem(p, "plots: expected a mapping (name:, x:, y:, ...)");
        continue;
      }
      PlotSpec plot;
      plot.mark = mark(p);
      plot.spec = nlohmann::ordered_json::object();
      bool ok = true;
      for (const auto& kv : mapping(p, "a plot")) {
        const std::string& k = kv.first;
        if (std::find(known.begin(), known.end(), k) == known.end()) {
          problem(
              kv.second.first,
              with_suggestion("plot: unknown key '" + k + "' (known: " + join(known, ", ") + ")", k, known));
          ok = false;
          continue;
        }
        std::string text;
        if (!scalar(kv.second.second, "plot: " + k, &text)) {
          ok = false;
          continue;
        }
        plot.marks[k] = mark(kv.second.second);
        if (k == "logx" || k == "logy") {
          if (text != "true" && text != "false") {
            problem(kv.second.second, "plot: " + k + ": expected true or false, got '" + text + "'");
            ok = false;
            continue;
          }
          plot.spec[k] = text == "true";
        } else if (k == "aggregate" && text != "mean" && text != "median" && text != "min" && text != "max") {
          problem(kv.second.second,
                  "plot: aggregate: expected one of mean | median | min | max, got '" + text + "'");
          ok = false;
        } else {
          plot.spec[k] = text;
        }
      }
      if (!ok) continue;
      for (const char* required : {"name", "x", "y"}) {
        if (!plot.spec.contains(required)) {
          problem(p, std::string("plot: needs ") + required + ":");
          ok = false;
        }
      }
      if (!ok) continue;
      const std::string name = plot.spec["name"];
      if (name.empty() ||
          name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
              std::string::npos) {
        problem(
            plot.marks["name"],
            "plot: name: expected letters, digits, '.', '_' or '-' (it names the files), got '" + name + "'");
        continue;
      }
      if (!names.emplace(name, plot.marks["name"]).second) {
        problem(plot.marks["name"], "plot: name '" + name + "' is used twice");
        continue;
      }
      s_.plots.push_back(std::move(plot));
    }
  }

  SweepFile& s_;
  Problems& problems_;
  std::vector<std::string> keys_;
  std::string dir_;
  Config scratch_;  // where each value is tried on its own
};


}  // namespace

SweepFile read_sweep_file(const std::string& path, Problems* problems) {
  SweepFile s;
  s.path = path;
  {
    // Default name: the file's stem.
    std::string stem = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    if (stem.size() > 5 && stem.compare(stem.size() - 5, 5, ".yaml") == 0)
      stem.resize(stem.size() - 5);
    else if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, ".yml") == 0)
      stem.resize(stem.size() - 4);
    s.name = stem;
  }
  std::string text;
  try {
    text = read_small_file(path, "sweep file");
  } catch (const InputError& e) {
    problems->add(e);
    return s;
  }
  YAML::Node root;
  try {
    const std::vector<YAML::Node> docs = YAML::LoadAll(text);
    if (docs.empty() || docs[0].IsNull()) {
      problems->add(InputError(path + ": empty sweep file"));
      return s;
    }
    if (docs.size() > 1) {
      const auto m = docs[1].Mark();
      problems->add(s.error({static_cast<unsigned>(m.line + 1), static_cast<unsigned>(m.column + 1)},
                            "a second YAML document; a sweep file holds one"));
    }
    root = docs[0];
  } catch (const YAML::Exception& e) {
    problems->add(s.error({static_cast<unsigned>(e.mark.line + 1), static_cast<unsigned>(e.mark.column + 1)},
                          "YAML syntax error: " + e.msg));
    return s;
  }
  Reader(s, *problems).read(root);
  return s;
}

}  // namespace sv39sim::sweep
