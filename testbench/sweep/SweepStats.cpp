// The columns a sweep's stats: make, checked against the stats a run reports, and its plots against its
// axes and columns (declared in SweepFile.h).
#include <fnmatch.h>

#include <algorithm>
#include <set>

#include "testbench/sweep/SweepFile.h"

namespace sv39sim::sweep {

std::vector<StatColumn> resolve_stats(const SweepFile& sweep, const std::vector<std::string>& known,
                                      Problems* problems) {
  std::vector<StatColumn> columns;
  std::set<std::string> taken;
  for (const char* r : kReservedColumns) taken.insert(r);
  std::set<std::string> axis_names;
  for (const Axis& a : sweep.axes) axis_names.insert(a.name);
  const std::set<std::string> known_set(known.begin(), known.end());
  // False if `name` is a column already (an axis's is a problem; a stat's twice is not).
  auto add = [&](const std::string& name, const Mark& m) {
    if (axis_names.count(name)) {
      problems->add(sweep.error(m, "stat '" + name + "' has the name of an axis (a results column each)"));
      return false;
    }
    return taken.insert(name).second;
  };
  for (const StatRequest& r : sweep.stats) {
    if (r.derived()) {
      if (known_set.count(r.pattern)) {
        problems->add(sweep.error(r.mark, "derived value '" + r.pattern + "' has the name of a stat"));
        continue;
      }
      std::string why;
      std::optional<Expr> e = Expr::parse(r.expr, &why);
      if (!e) {
        problems->add(sweep.error(r.expr_mark, "expr: " + why));
        continue;
      }
      bool ok = true;
      for (const std::string& n : e->names()) {
        if (known_set.count(n)) continue;
        problems->add(sweep.error(r.expr_mark, with_suggestion("expr: unknown stat '" + n + "'", n, known)));
        ok = false;
      }
      if (!ok) continue;
      if (!axis_names.count(r.pattern) && taken.count(r.pattern)) {
        problems->add(sweep.error(r.mark, "stats: '" + r.pattern + "' is a column already"));
        continue;
      }
      if (!add(r.pattern, r.mark)) continue;
      columns.push_back({r.pattern, std::move(e)});
    } else if (is_glob(r.pattern)) {
      bool any = false;
      for (const std::string& n : known) {
        if (::fnmatch(r.pattern.c_str(), n.c_str(), 0) != 0) continue;
        any = true;
        if (add(n, r.mark)) columns.push_back({n, std::nullopt});
      }
      if (!any) problems->add(sweep.error(r.mark, "stats: '" + r.pattern + "' matches no stat"));
    } else if (!known_set.count(r.pattern)) {
      problems->add(
          sweep.error(r.mark, with_suggestion("stats: unknown stat '" + r.pattern + "'", r.pattern, known)));
    } else if (add(r.pattern, r.mark)) {
      columns.push_back({r.pattern, std::nullopt});
    }
  }
  return columns;
}

void check_plots(const SweepFile& sweep, const std::vector<StatColumn>& columns, Problems* problems) {
  std::vector<std::string> axes, stats;
  for (const Axis& a : sweep.axes) axes.push_back(a.name);
  for (const StatColumn& c : columns) stats.push_back(c.name);
  for (const PlotSpec& p : sweep.plots) {
    const std::string prefix = "plot '" + p.spec["name"].get<std::string>() + "': ";
    std::set<std::string> used;
    for (const char* field : {"x", "series", "facets"}) {
      if (!p.spec.contains(field)) continue;
      const std::string axis = p.spec[field];
      const Mark& m = p.marks.at(field);
      if (std::find(axes.begin(), axes.end(), axis) == axes.end()) {
        problems->add(
            sweep.error(m, with_suggestion(prefix + field + ": unknown axis '" + axis +
                                               "' (axes: " + (axes.empty() ? "none" : join(axes, ", ")) + ")",
                                           axis, axes)));
      } else if (!used.insert(axis).second) {
        problems->add(sweep.error(m, prefix + field + ": axis '" + axis + "' is used twice in the plot"));
      }
    }
    // plot.py aggregates only over repeats: points that differ in an axis the plot does not show would
    // be mixed into one value.
    for (const Axis& a : sweep.axes) {
      if (a.steps.size() > 1 && !used.count(a.name))
        problems->add(
            sweep.error(p.mark, prefix + "axis '" + a.name + "' has " + std::to_string(a.steps.size()) +
                                    " values but is not x, series or facets: the plot would mix its points"));
    }
    const std::string y = p.spec["y"];
    // A derived value whose expr was bad has been reported already.
    const bool requested = std::any_of(sweep.stats.begin(), sweep.stats.end(),
                                       [&](const StatRequest& r) { return r.derived() && r.pattern == y; });
    if (!requested && std::find(stats.begin(), stats.end(), y) == stats.end())
      problems->add(sweep.error(
          p.marks.at("y"),
          with_suggestion(prefix + "y: '" + y + "' is not a column that stats: makes", y, stats)));
  }
}

}  // namespace sv39sim::sweep
