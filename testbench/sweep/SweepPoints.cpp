// A sweep's points: the cartesian product of its axes with repeats innermost, and each point's effective
// config (declared in SweepFile.h).
#include <set>

#include "models/config/ModelConfig.h"
#include "testbench/sweep/SweepFile.h"

namespace sv39sim::sweep {

std::vector<Point> expand_points(const SweepFile& sweep) {
  std::vector<Point> points;
  const size_t n = sweep.point_count();
  points.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Point p;
    p.index = i;
    p.repeat = static_cast<unsigned>(i % sweep.repeats);
    p.steps.resize(sweep.axes.size());
    size_t rest = i / sweep.repeats;
    for (size_t a = sweep.axes.size(); a-- > 0;) {
      p.steps[a] = rest % sweep.axes[a].steps.size();
      rest /= sweep.axes[a].steps.size();
    }
    points.push_back(p);
  }
  return points;
}

Config base_config(const SweepFile& sweep, Problems* problems) {
  Config cfg;
  if (!sweep.base.empty()) cfg.load_yaml_file(sweep.base, problems);
  return cfg;
}

std::vector<Config> point_configs(const SweepFile& sweep, const Config& base, std::vector<Point>& points,
                                  Problems* problems) {
  std::vector<Config> configs;
  configs.reserve(points.size());
  std::set<std::string> reported;  // many points share a bad value: say it once
  auto report = [&](const InputError& e) {
    const std::string text = e.what();
    size_t at = 0;
    // check_config may list several problems in one error, one per line.
    for (;;) {
      const size_t nl = text.find('\n', at);
      const std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
      if (reported.insert(line).second) problems->add(InputError(line, e.pos()));
      if (nl == std::string::npos) break;
      at = nl + 1;
    }
  };
  auto set = [&](Config& cfg, const std::string& key, const SweepValue& v) {
    cfg.set(key, v.text, sweep.where(v.mark), InputPos::file(v.mark.line, v.mark.column));
  };
  for (Point& p : points) {
    Config cfg = base;
    Problems mine;
    for (const auto& kv : sweep.set) mine.check([&] { set(cfg, kv.first, kv.second); });
    for (size_t a = 0; a < sweep.axes.size(); ++a) {
      const Axis& axis = sweep.axes[a];
      for (size_t k = 0; k < axis.keys.size(); ++k)
        mine.check([&] { set(cfg, axis.keys[k], axis.steps[p.steps[a]][k]); });
    }
    if (mine.empty()) {
      p.seed = cfg.get_uint("sim.seed") + p.repeat;
      if (sweep.repeats > 1) {
        const Mark& m = sweep.repeats_mark;
        mine.check([&] {
          cfg.set("sim.seed", std::to_string(p.seed),
                  sweep.where(m) + " (repeat " + std::to_string(p.repeat) + ")",
                  InputPos::file(m.line, m.column));
        });
      }
      check_config(cfg, &mine);
    }
    try {
      mine.raise();
    } catch (const InputError& e) {
      report(e);
    }
    configs.push_back(std::move(cfg));
  }
  return configs;
}

}  // namespace sv39sim::sweep
