// A sweep file (docs/sweeps.md): which configurations to run -- a base config, fixed overrides, axes
// whose cartesian product makes the points, repeats with seeds -- what to collect from each (stats: names,
// globs, derived values) and which plots to draw. Everything here is checked before anything runs; each
// problem names the sweep file's line and column.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/config/Config.h"
#include "testbench/sweep/Expr.h"

namespace sv39sim::sweep {

// A stat pattern with wildcards (fnmatch), as opposed to one stat's name.
inline bool is_glob(const std::string& s) {
  return s.find_first_of("*?[") != std::string::npos;
}

inline std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

// A node's place in the sweep file, 1-based.
struct Mark {
  unsigned line = 0, column = 0;
};

// One config value as the file gives it.
struct SweepValue {
  std::string text;
  Mark mark;
};

struct Axis {
  std::string name;  // its column in the results
  Mark mark;
  bool zipped = false;
  std::vector<std::string> keys;  // one key, or the zipped keys in file order
  std::vector<Mark> key_marks;
  std::vector<std::vector<SweepValue>> steps;  // steps[i][k]: the value of keys[k] at step i
  std::vector<std::string> labels;             // the axis's value at each step, as the results show it
};

// An entry of `stats:`: a stat name, a glob over stat names, or a derived value {name, expr}.
struct StatRequest {
  std::string pattern;  // the name or glob; for a derived value its name
  std::string expr;     // "" unless derived
  Mark mark, expr_mark;
  bool derived() const { return !expr.empty(); }
};

struct PlotSpec {
  nlohmann::ordered_json spec;        // as given (results.json carries it to plot.py)
  Mark mark;                          // the plot's mapping
  std::map<std::string, Mark> marks;  // each field's value
};

struct SweepFile {
  std::string path;  // as the user gave it: messages name it so
  std::string name;
  std::string base;  // the base config's path ("" for none), relative to the sweep file already resolved
  Mark base_mark;
  std::vector<std::pair<std::string, SweepValue>> set;  // fixed overrides, in file order
  std::vector<Mark> set_key_marks;
  std::vector<Axis> axes;
  unsigned repeats = 1;
  Mark repeats_mark;
  std::vector<StatRequest> stats;
  std::vector<PlotSpec> plots;

  // "path:line:col"
  std::string where(const Mark& m) const;
  InputError error(const Mark& m, const std::string& why) const;
  size_t point_count() const;
};

// Reads the sweep file and checks its own structure and names (not yet the configs it makes).
SweepFile read_sweep_file(const std::string& path, Problems* problems);

// One run: a step of every axis (first axis slowest) and a repeat (innermost).
struct Point {
  size_t index = 0;
  std::vector<size_t> steps;  // per axis
  unsigned repeat = 0;
  uint64_t seed = 0;  // sim.seed of the run (set by point_configs)
};
std::vector<Point> expand_points(const SweepFile& sweep);

// The base config (base: file, else every default).
Config base_config(const SweepFile& sweep, Problems* problems);

// Each point's effective config: the base, then set:, then the point's axis values, then the repeat's seed
// (sim.seed = the config's seed + repeat, when repeats > 1). Values keep their sweep-file position as
// origin, so a bad value is reported at its node. Problems shared by many points are reported once.
std::vector<Config> point_configs(const SweepFile& sweep, const Config& base, std::vector<Point>& points,
                                  Problems* problems);

// A results column from stats:, in order: stat names, then each glob's matches in `known` order (each name
// once), derived values where they are listed.
struct StatColumn {
  std::string name;
  std::optional<Expr> expr;  // set for a derived value
};
// Resolves stats: against the names a run can report; unknown names, globs matching nothing and
// expressions naming unknown stats are problems.
std::vector<StatColumn> resolve_stats(const SweepFile& sweep, const std::vector<std::string>& known,
                                      Problems* problems);
// Plots must name axes (x, series, facets) and a stats column (y).
void check_plots(const SweepFile& sweep, const std::vector<StatColumn>& columns, Problems* problems);

// Column names the results always have, before the axes and after them.
extern const char* const kReservedColumns[4];  // point, repeat, seed, exit_status

}  // namespace sv39sim::sweep
