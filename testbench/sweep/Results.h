// A finished sweep's results, read back from the point folders (so both backends give the same):
// results.csv (one row per point, what pandas or R read with no options), results.json (the same plus the
// axes and plots, for plot.py) and a short summary table on the terminal.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testbench/sweep/SweepFile.h"

namespace sv39sim::sweep {

struct PointResult {
  int exit_status = -1;
  nlohmann::ordered_json stats;  // column -> value (null where the point has none)
};

class Results {
 public:
  // Reads DIR/points/<dirs[i]>/{exit_status,stats.json} of every point. A point's stat cells are filled
  // only if it exited 0: a failed run's counts describe a run that did not do what was asked.
  Results(const SweepFile& sweep, const std::vector<Point>& points, const std::vector<StatColumn>& columns,
          const std::vector<std::string>& point_dirs);

  // DIR/results.csv and DIR/results.json, each written next to its name and renamed into place.
  void write(const std::string& dir) const;
  // Points, failures and a table of the first stat columns, on stderr.
  void print_summary(const std::string& dir, double seconds, size_t reused) const;

  std::string csv() const;
  nlohmann::ordered_json json() const;

 private:
  const SweepFile& sweep_;
  const std::vector<Point>& points_;
  const std::vector<StatColumn>& columns_;
  const std::vector<std::string>& dirs_;
  std::vector<PointResult> results_;
};

// An axis label as JSON: a number if it reads as one, else the text.
nlohmann::ordered_json label_json(const std::string& label);

}  // namespace sv39sim::sweep
