#include "testbench/sweep/Results.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "testbench/sweep/SweepBackend.h"

namespace sv39sim::sweep {

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// A cell: numbers as JSON writes them (integers exactly, reals shortest round-trip), text as is.
std::string cell(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

void write_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw std::runtime_error(tmp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(path + ": cannot write: " + std::strerror(err));
  }
}

std::optional<double> as_number(const nlohmann::ordered_json& v) {
  if (v.is_number()) return v.get<double>();
  return std::nullopt;
}

}  // namespace

nlohmann::ordered_json label_json(const std::string& label) {
  if (label.empty()) return label;
  uint64_t u = 0;
  if (label.find_first_not_of("0123456789") == std::string::npos && parse_uint(label, &u) &&
      std::to_string(u) == label)
    return u;
  char* end = nullptr;
  const double d = std::strtod(label.c_str(), &end);
  // Plain decimals only: "0x10", "inf" or "1e3" stay text, as the user wrote them.
  if (*end == '\0' && std::isfinite(d) && label.find_first_not_of("-.0123456789") == std::string::npos)
    return d;
  return label;
}

Results::Results(const SweepFile& sweep, const std::vector<Point>& points,
                 const std::vector<StatColumn>& columns, const std::vector<std::string>& point_dirs)
    : sweep_(sweep), points_(points), columns_(columns), dirs_(point_dirs) {
  for (size_t i = 0; i < points.size(); ++i) {
    PointResult r;
    if (!read_exit_status(dirs_[i], &r.exit_status))
      throw std::runtime_error(dirs_[i] + ": no exit_status: the point did not run");
    nlohmann::ordered_json stats = nlohmann::ordered_json::object();
    if (r.exit_status == 0) {
      std::ifstream in(dirs_[i] + "/stats.json");
      try {
        stats = nlohmann::ordered_json::parse(in);
      } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(dirs_[i] + "/stats.json: " + e.what());
      }
    }
    r.stats = nlohmann::ordered_json::object();
    for (const StatColumn& c : columns_) {
      if (c.expr) {
        const std::optional<double> v = c.expr->eval([&](const std::string& name) -> std::optional<double> {
          return stats.contains(name) ? as_number(stats[name]) : std::nullopt;
        });
        r.stats[c.name] = v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
      } else {
        r.stats[c.name] = stats.contains(c.name) ? stats[c.name] : nlohmann::ordered_json();
      }
    }
    results_.push_back(std::move(r));
  }
}

std::string Results::csv() const {
  std::string out = "point";
  for (const Axis& a : sweep_.axes) out += "," + csv_field(a.name);
  out += ",repeat,seed,exit_status";
  for (const StatColumn& c : columns_) out += "," + csv_field(c.name);
  out += "\n";
  for (size_t i = 0; i < points_.size(); ++i) {
    const Point& p = points_[i];
    out += std::to_string(p.index);
    for (size_t a = 0; a < sweep_.axes.size(); ++a) out += "," + csv_field(sweep_.axes[a].labels[p.steps[a]]);
    out += "," + std::to_string(p.repeat) + "," + std::to_string(p.seed) + "," +
           std::to_string(results_[i].exit_status);
    for (const auto& kv : results_[i].stats.items()) out += "," + csv_field(cell(kv.value()));
    out += "\n";
  }
  return out;
}

nlohmann::ordered_json Results::json() const {
  using J = nlohmann::ordered_json;
  J j = J::object();
  j["name"] = sweep_.name;
  j["axes"] = J::array();
  for (const Axis& a : sweep_.axes) {
    J axis = {{"name", a.name}, {"keys", a.keys}, {"values", J::array()}};
    for (const std::string& l : a.labels) axis["values"].push_back(label_json(l));
    j["axes"].push_back(axis);
  }
  j["repeats"] = sweep_.repeats;
  j["stats"] = J::array();
  for (const StatColumn& c : columns_) j["stats"].push_back(c.name);
  j["points"] = J::array();
  for (size_t i = 0; i < points_.size(); ++i) {
    const Point& p = points_[i];
    J axes = J::object();
    for (size_t a = 0; a < sweep_.axes.size(); ++a)
      axes[sweep_.axes[a].name] = label_json(sweep_.axes[a].labels[p.steps[a]]);
    j["points"].push_back({{"point", p.index},
                           {"axes", axes},
                           {"repeat", p.repeat},
                           {"seed", p.seed},
                           {"exit_status", results_[i].exit_status},
                           {"stats", results_[i].stats}});
  }
  j["plots"] = J::array();
  for (const PlotSpec& p : sweep_.plots) j["plots"].push_back(p.spec);
  return j;
}

void Results::write(const std::string& dir) const {
  write_atomically(dir + "/results.csv", csv());
  write_atomically(dir + "/results.json", json().dump(1) + "\n");
}

void Results::print_summary(const std::string& dir, double seconds, size_t reused) const {
  size_t failed = 0;
  for (const PointResult& r : results_) failed += r.exit_status != 0;
  std::fprintf(
      stderr, "sv39sim: sweep %s: %zu points (%zu run, %zu reused), %zu failed, %.1f s; results in %s\n",
      sweep_.name.c_str(), points_.size(), points_.size() - reused, reused, failed, seconds, dir.c_str());
  // The table: point, axes, repeat (if any), exit, and the first few stat columns.
  constexpr size_t kStatColumns = 3, kRows = 40;
  std::vector<std::string> head = {"point"};
  for (const Axis& a : sweep_.axes) head.push_back(a.name);
  if (sweep_.repeats > 1) head.push_back("repeat");
  head.push_back("exit");
  for (size_t c = 0; c < std::min(kStatColumns, columns_.size()); ++c) head.push_back(columns_[c].name);
  std::vector<std::vector<std::string>> rows = {head};
  for (size_t i = 0; i < points_.size() && i < kRows; ++i) {
    const Point& p = points_[i];
    std::vector<std::string> row = {std::to_string(p.index)};
    for (size_t a = 0; a < sweep_.axes.size(); ++a) row.push_back(sweep_.axes[a].labels[p.steps[a]]);
    if (sweep_.repeats > 1) row.push_back(std::to_string(p.repeat));
    row.push_back(std::to_string(results_[i].exit_status));
    for (size_t c = 0; c < std::min(kStatColumns, columns_.size()); ++c) {
      const auto& v = results_[i].stats[columns_[c].name];
      char buf[64];
      if (v.is_number_float()) {
        std::snprintf(buf, sizeof buf, "%.6g", v.get<double>());
        row.push_back(buf);
      } else {
        row.push_back(v.is_null() ? "-" : cell(v));
      }
    }
    rows.push_back(row);
  }
  std::vector<size_t> width(head.size(), 0);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], std::min<size_t>(row[c].size(), 40));
  for (const auto& row : rows) {
    std::string line = " ";
    for (size_t c = 0; c < row.size(); ++c) {
      std::string text = row[c].size() > 40 ? row[c].substr(0, 37) + "..." : row[c];
      line += " " + text + std::string(width[c] - text.size(), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  if (points_.size() > kRows) std::fprintf(stderr, "  ... %zu more in results.csv\n", points_.size() - kRows);
  constexpr size_t kFailuresListed = 20;
  size_t listed = 0;
  for (size_t i = 0; i < points_.size(); ++i) {
    if (results_[i].exit_status == 0) continue;
    if (listed++ == kFailuresListed) {
      std::fprintf(stderr, "sv39sim: ... %zu more failed points: see exit_status in results.csv\n",
                   failed - kFailuresListed);
      break;
    }
    std::fprintf(stderr, "sv39sim: failed: point %zu (exit %d), see %s/stderr.log\n", points_[i].index,
                 results_[i].exit_status, dirs_[i].c_str());
  }
}

}  // namespace sv39sim::sweep
