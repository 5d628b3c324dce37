// Sweep files (testbench/sweep/SweepFile.h): the order points expand in, ranges, zipped axes, labels,
// repeats and their seeds, paths relative to the sweep file, and every validation error with the line
// and column of the node it blames. Expected values are written out by hand from the sweep files below.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "testbench/sweep/Expr.h"
#include "testbench/sweep/PointKey.h"
#include "testbench/sweep/SweepFile.h"

using namespace sv39sim;
using namespace sv39sim::sweep;
namespace fs = std::filesystem;

namespace {

class SweepFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "sv39sim-sweep-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "s.yaml").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

  // Reads a sweep that must be free of problems.
  SweepFile read_ok(const std::string& text) {
    Problems problems;
    SweepFile s = read_sweep_file(write("s.yaml", text), &problems);
    EXPECT_NO_THROW(problems.raise());
    return s;
  }

  // Every problem of the sweep (file, points' configs, stats against `known`, plots), one per line.
  std::string errors(const std::string& text, const std::vector<std::string>& known = {}) {
    write("s.yaml", text);
    Problems problems;
    SweepFile s = read_sweep_file(path_, &problems);
    if (problems.empty()) {
      std::vector<Point> points = expand_points(s);
      point_configs(s, base_config(s, &problems), points, &problems);
      check_plots(s, resolve_stats(s, known, &problems), &problems);
    }
    try {
      problems.raise();
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  // "PATH:" prefix of messages about s.yaml.
  std::string at(int line, int column) const {
    return path_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  }

  fs::path dir_;
  std::string path_;
};

std::vector<std::string> labels_of(const SweepFile& s, const Point& p) {
  std::vector<std::string> v;
  for (size_t a = 0; a < s.axes.size(); ++a) v.push_back(s.axes[a].labels[p.steps[a]]);
  return v;
}

TEST_F(SweepFiles, FirstAxisVariesSlowestRepeatsInnermost) {
  const SweepFile s = read_ok(
      "axes:\n"
      "  - {name: ways, key: mmu.dtlb.ways, values: [2, 4, 8]}\n"
      "  - {key: mmu.dtlb.policy, values: [lru, fifo]}\n"
      "repeats: 2\n");
  const std::vector<Point> points = expand_points(s);
  ASSERT_EQ(points.size(), 12u);
  const std::vector<std::vector<std::string>> want = {
      {"2", "lru"},  {"2", "lru"},  {"2", "fifo"}, {"2", "fifo"}, {"4", "lru"},  {"4", "lru"},
      {"4", "fifo"}, {"4", "fifo"}, {"8", "lru"},  {"8", "lru"},  {"8", "fifo"}, {"8", "fifo"}};
  for (size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(points[i].index, i);
    EXPECT_EQ(labels_of(s, points[i]), want[i]) << "point " << i;
    EXPECT_EQ(points[i].repeat, i % 2) << "point " << i;
  }
  // An axis without a name is named by its key.
  EXPECT_EQ(s.axes[1].name, "mmu.dtlb.policy");
}

TEST_F(SweepFiles, PointConfigsCarryTheAxisValues) {
  SweepFile s = read_ok(
      "set: {mmu.dtlb.sets: 2}\n"
      "axes:\n"
      "  - {key: mmu.dtlb.ways, values: [2, 4]}\n"
      "  - {key: mmu.dtlb.policy, values: [lru, fifo]}\n");
  std::vector<Point> points = expand_points(s);
  Problems problems;
  const std::vector<Config> cfgs = point_configs(s, base_config(s, &problems), points, &problems);
  ASSERT_TRUE(problems.empty());
  ASSERT_EQ(cfgs.size(), 4u);
  EXPECT_EQ(cfgs[0].get_uint("mmu.dtlb.ways"), 2u);
  EXPECT_EQ(cfgs[0].get_string("mmu.dtlb.policy"), "lru");
  EXPECT_EQ(cfgs[1].get_string("mmu.dtlb.policy"), "fifo");
  EXPECT_EQ(cfgs[3].get_uint("mmu.dtlb.ways"), 4u);
  EXPECT_EQ(cfgs[3].get_string("mmu.dtlb.policy"), "fifo");
  for (const Config& c : cfgs) EXPECT_EQ(c.get_uint("mmu.dtlb.sets"), 2u);
  // Each value keeps the sweep file's position as its origin (line 3, the list's second item at column 38).
  EXPECT_EQ(cfgs[3].origin("mmu.dtlb.ways"), s.path + ":3:38");
}

TEST_F(SweepFiles, Ranges) {
  const SweepFile s = read_ok(
      "axes:\n"
      "  - {name: a, key: mmu.dtlb.ways, range: {from: 1, to: 64, times: 2}}\n"
      "  - {name: b, key: mmu.itlb.ways, range: {from: 4, to: 20, step: 8}}\n"
      "  - {name: c, key: mmu.l2tlb.ways, range: {from: 3, to: 40, times: 3}}\n"
      "  - {name: d, key: cache.l1d.size, range: {from: 4KiB, to: 16KiB, times: 2}}\n"
      "  - {name: e, key: mmu.pwc.ways, range: {from: 5, to: 5, step: 1}}\n");
  EXPECT_EQ(s.axes[0].labels, (std::vector<std::string>{"1", "2", "4", "8", "16", "32", "64"}));
  EXPECT_EQ(s.axes[1].labels, (std::vector<std::string>{"4", "12", "20"}));
  EXPECT_EQ(s.axes[2].labels, (std::vector<std::string>{"3", "9", "27"}));
  EXPECT_EQ(s.axes[3].labels, (std::vector<std::string>{"4096", "8192", "16384"}));
  EXPECT_EQ(s.axes[4].labels, (std::vector<std::string>{"5"}));
  EXPECT_EQ(s.point_count(), 7u * 3 * 3 * 3 * 1);
}

TEST_F(SweepFiles, ZippedAxesAndLabels) {
  const SweepFile s = read_ok(
      "set: {disk.image: disk.img}\n"  // workload.run needs a disk for the boot arguments
      "axes:\n"
      "  - name: geometry\n"
      "    zip:\n"
      "      mmu.dtlb.sets: [1, 4, 16]\n"
      "      mmu.dtlb.ways: [16, 4, 1]\n"
      "  - name: shape\n"
      "    zip: {mmu.itlb.sets: [1, 2], mmu.itlb.ways: [8, 4]}\n"
      "    labels: [fa, 2way]\n"
      "  - key: workload.run\n"
      "    values: [\"thrash pages=64\", \"seqscan pages=64\"]\n"
      "    labels: [thrash, seqscan]\n");
  ASSERT_EQ(s.axes.size(), 3u);
  EXPECT_EQ(s.axes[0].keys, (std::vector<std::string>{"mmu.dtlb.sets", "mmu.dtlb.ways"}));
  EXPECT_EQ(s.axes[0].labels, (std::vector<std::string>{"1/16", "4/4", "16/1"}));
  EXPECT_EQ(s.axes[1].labels, (std::vector<std::string>{"fa", "2way"}));
  EXPECT_EQ(s.axes[2].labels, (std::vector<std::string>{"thrash", "seqscan"}));
  std::vector<Point> points = expand_points(s);
  ASSERT_EQ(points.size(), 12u);
  Problems problems;
  const std::vector<Config> cfgs = point_configs(s, base_config(s, &problems), points, &problems);
  ASSERT_TRUE(problems.empty());
  // Point 4: geometry step 1 (4 x 4), shape step 0 (1 x 8), workload step 0.
  EXPECT_EQ(labels_of(s, points[4]), (std::vector<std::string>{"4/4", "fa", "thrash"}));
  EXPECT_EQ(cfgs[4].get_uint("mmu.dtlb.sets"), 4u);
  EXPECT_EQ(cfgs[4].get_uint("mmu.dtlb.ways"), 4u);
  EXPECT_EQ(cfgs[4].get_uint("mmu.itlb.ways"), 8u);
  EXPECT_EQ(cfgs[4].get_string("workload.run"), "thrash pages=64");
  // Point 11: the last of everything.
  EXPECT_EQ(cfgs[11].get_uint("mmu.dtlb.sets"), 16u);
  EXPECT_EQ(cfgs[11].get_uint("mmu.itlb.sets"), 2u);
  EXPECT_EQ(cfgs[11].get_string("workload.run"), "seqscan pages=64");
}

TEST_F(SweepFiles, RepeatsCountSeedsFromTheConfigsSeed) {
  SweepFile s = read_ok(
      "set: {sim.seed: 10}\n"
      "axes: [{key: mmu.dtlb.policy, values: [random, lru]}]\n"
      "repeats: 3\n");
  std::vector<Point> points = expand_points(s);
  Problems problems;
  const std::vector<Config> cfgs = point_configs(s, base_config(s, &problems), points, &problems);
  ASSERT_TRUE(problems.empty());
  const uint64_t want[] = {10, 11, 12, 10, 11, 12};
  ASSERT_EQ(points.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(points[i].seed, want[i]) << "point " << i;
    EXPECT_EQ(cfgs[i].get_uint("sim.seed"), want[i]) << "point " << i;
  }
  // Without repeats the seed is the config's own, untouched (the default is 1).
  SweepFile once = read_ok("axes: [{key: mmu.dtlb.ways, values: [1]}]\n");
  std::vector<Point> one = expand_points(once);
  const std::vector<Config> c1 = point_configs(once, base_config(once, &problems), one, &problems);
  EXPECT_EQ(one[0].seed, 1u);
  EXPECT_EQ(c1[0].origin("sim.seed"), "default");
}

TEST_F(SweepFiles, PathsAreRelativeToTheSweepFileAndBaseConfigApplies) {
  write("base.yaml", "hart:\n  clock_mhz: 500\n");
  SweepFile s = read_ok(
      "base: base.yaml\n"
      "set: {sim.stdin: input.txt}\n"
      "axes: [{key: sim.elf, values: [a.elf, /abs/b.elf]}]\n");
  EXPECT_EQ(s.name, "s");  // the file's stem
  std::vector<Point> points = expand_points(s);
  Problems problems;
  const std::vector<Config> cfgs = point_configs(s, base_config(s, &problems), points, &problems);
  ASSERT_TRUE(problems.empty());
  EXPECT_EQ(cfgs[0].get_uint("hart.clock_mhz"), 500u);
  EXPECT_EQ(cfgs[0].get_string("sim.stdin"), (dir_ / "input.txt").string());
  EXPECT_EQ(cfgs[0].get_string("sim.elf"), (dir_ / "a.elf").string());
  EXPECT_EQ(cfgs[1].get_string("sim.elf"), "/abs/b.elf");
}

// --- each validation error, with the line:column of the node it blames ---

TEST_F(SweepFiles, UnknownKeysWithSuggestions) {
  EXPECT_EQ(errors("axes: []\nplots: []\nrepeat: 2\n"),
            at(3, 1) +
                "unknown key 'repeat' (known: name, base, set, axes, repeats, stats, plots) (did you mean "
                "'repeats'?)");
  EXPECT_EQ(errors("set:\n  sim.seed: 2\n  mmu.dtlb.wyas: 4\n"),
            at(3, 3) + "unknown key 'mmu.dtlb.wyas' (did you mean 'mmu.dtlb.ways'?)");
  EXPECT_EQ(errors("axes:\n  - key: mmu.dtlb.set\n    values: [1]\n"),
            at(2, 10) + "unknown key 'mmu.dtlb.set' (did you mean 'mmu.dtlb.sets'?)");
  EXPECT_EQ(errors("axes:\n  - key: mmu.dtlb.ways\n    vals: [1]\n"),
            at(2, 10) + "axis mmu.dtlb.ways: needs values: or range:\n" + at(3, 5) +
                "axis: unknown key 'vals' (known: name, key, values, range, zip, labels)");
  EXPECT_EQ(errors("axes:\n  - key: mmu.dtlb.ways\n    values: [1]\n    key: mmu.dtlb.sets\n"),
            at(4, 5) + "key: duplicate key (first at line 2:5)");
}

TEST_F(SweepFiles, BadValuesAtTheirNode) {
  EXPECT_EQ(errors("axes:\n  - key: mmu.dtlb.ways\n    values: [4, lots]\n"),
            at(3, 17) + "mmu.dtlb.ways: expected a non-negative integer, got 'lots'");
  EXPECT_EQ(
      errors("set:\n  mmu.dtlb.policy: lur\n"),
      at(2, 20) +
          "mmu.dtlb.policy: expected one of lru | plru | fifo | random, got 'lur' (did you mean 'lru'?)");
  // A value that is wrong only with another key's: blamed on the value that was set.
  EXPECT_EQ(errors("set: {mmu.dtlb.policy: plru}\naxes:\n  - {key: mmu.dtlb.ways, values: [4, 3]}\n"),
            at(3, 38) + "mmu.dtlb.ways: plru (tree pseudo-LRU) needs a power-of-two number of ways, got 3");
}

TEST_F(SweepFiles, AxisStructure) {
  EXPECT_EQ(errors("axes:\n  - {key: mmu.dtlb.ways, values: [1]}\n  - {key: mmu.dtlb.ways, values: [2]}\n"),
            at(3, 5) + "axis name 'mmu.dtlb.ways' is used twice (first at line 2)\n" + at(3, 11) +
                "mmu.dtlb.ways: already set or swept at line 2:11; a key takes one place");
  EXPECT_EQ(errors("set: {mmu.dtlb.ways: 2}\naxes:\n  - {name: w, key: mmu.dtlb.ways, values: [1]}\n"),
            at(3, 20) + "mmu.dtlb.ways: already set or swept at line 1:7; a key takes one place");
  EXPECT_EQ(errors("axes:\n  - {key: mmu.dtlb.ways, values: []}\n"),
            at(2, 34) + "values: expected a non-empty list");
  EXPECT_EQ(errors("axes:\n  - {name: point, key: mmu.dtlb.ways, values: [1]}\n"),
            at(2, 5) + "axis name 'point' is reserved for a results column");
  EXPECT_EQ(errors("axes:\n  - zip: {mmu.dtlb.sets: [1, 2], mmu.dtlb.ways: [2, 1]}\n"),
            at(2, 5) + "axis: a zipped axis needs a name:");
  EXPECT_EQ(
      errors("axes:\n  - name: g\n    zip:\n      mmu.dtlb.sets: [1, 2]\n      mmu.dtlb.ways: [2]\n"),
      at(5, 22) +
          "zip: mmu.dtlb.ways has 1 values, mmu.dtlb.sets has 2: zipped keys need one value each per step");
  EXPECT_EQ(errors("axes:\n  - {key: mmu.dtlb.ways, values: [1, 2], labels: [one]}\n"),
            at(2, 50) + "labels: expected a list of 2 labels, one per value");
  EXPECT_EQ(errors("axes:\n  - {key: mmu.dtlb.ways, values: [1, 2], labels: [x, x]}\n"),
            at(2, 54) + "labels: 'x' is used twice (labels tell the points apart)");
}

TEST_F(SweepFiles, RangeErrors) {
  EXPECT_EQ(errors("axes:\n  - {key: mmu.dtlb.ways, range: {from: 8, to: 4, times: 2}}\n"),
            at(2, 47) + "range: to: 4 is less than from: 8");
  EXPECT_EQ(errors("axes:\n  - {key: mmu.dtlb.ways, range: {from: 1, to: 4, times: 1}}\n"),
            at(2, 57) + "range: times: expected 2 or more");
  EXPECT_EQ(errors("axes:\n  - {key: mmu.dtlb.ways, range: {from: 1, to: 4, times: 2, step: 1}}\n"),
            at(2, 33) + "range: expected from:, to: and one of times: or step:");
  EXPECT_EQ(errors("axes:\n  - {key: mmu.dtlb.ways, range: {from: one, to: 4, step: 1}}\n"),
            at(2, 40) + "range: from: expected a whole number (or a size such as 4KiB), got 'one'");
}

TEST_F(SweepFiles, FileLevelErrors) {
  EXPECT_EQ(errors("axes: [\n"), at(2, 1) + "YAML syntax error: end of sequence flow not found");
  EXPECT_EQ(errors("repeats: 0\n"), at(1, 10) + "repeats: expected a whole number from 1 to 10000, got '0'");
  EXPECT_EQ(
      errors("name: a/b\n"),
      at(1, 7) + "name: expected letters, digits, '.', '_' or '-' (it names the output folder), got 'a/b'");
  EXPECT_EQ(errors("base: nowhere.yaml\n"), at(1, 7) + "base: " + (dir_ / "nowhere.yaml").string() +
                                                ": cannot open config file: No such file or directory");
}

TEST_F(SweepFiles, StatsAgainstKnownNames) {
  const std::vector<std::string> known = {"sim.instructions", "mmu.dtlb.misses", "mmu.walker.walks",
                                          "mmu.walker.memory_reads", "host.seconds"};
  EXPECT_EQ(errors("stats:\n  - mmu.dtlb.mises\n", known),
            at(2, 5) + "stats: unknown stat 'mmu.dtlb.mises' (did you mean 'mmu.dtlb.misses'?)");
  EXPECT_EQ(errors("stats:\n  - \"pager.*\"\n", known), at(2, 5) + "stats: 'pager.*' matches no stat");
  EXPECT_EQ(errors("stats:\n  - {name: r, expr: \"1000 * mmu.walker.reads / sim.instructions\"}\n", known),
            at(2, 21) + "expr: unknown stat 'mmu.walker.reads'");
  EXPECT_EQ(errors("stats:\n  - {name: r, expr: \"1000 * / 2\"}\n", known),
            at(2, 21) + "expr: unexpected '/' at character 8");
  EXPECT_EQ(
      errors("axes: [{name: w, key: mmu.dtlb.ways, values: [1]}]\nstats: [{name: w, expr: \"1\"}]\n", known),
      at(2, 16) + "stat 'w' has the name of an axis (a results column each)");

  // Resolution: names, then each glob's matches in the known order, derived values where listed.
  path_ = write(
      "s.yaml",
      "stats:\n  - sim.instructions\n  - \"mmu.walker.*\"\n  - {name: mpki, expr: \"1000 * mmu.dtlb.misses / "
      "sim.instructions\"}\n  - mmu.walker.walks\n");
  Problems problems;
  const SweepFile s = read_sweep_file(path_, &problems);
  const std::vector<StatColumn> cols = resolve_stats(s, known, &problems);
  ASSERT_TRUE(problems.empty());
  std::vector<std::string> names;
  for (const auto& c : cols) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"sim.instructions", "mmu.walker.walks",
                                             "mmu.walker.memory_reads", "mpki"}));
  ASSERT_TRUE(cols[3].expr);
  EXPECT_EQ(cols[3].expr->eval([](const std::string& n) -> std::optional<double> {
    return n == "mmu.dtlb.misses" ? 50.0 : 20000.0;
  }),
            2.5);
}

TEST_F(SweepFiles, PlotErrors) {
  const std::vector<std::string> known = {"mmu.dtlb.misses"};
  const std::string head =
      "axes: [{name: w, key: mmu.dtlb.ways, values: [1]}]\nstats: [mmu.dtlb.misses]\nplots:\n";
  EXPECT_EQ(errors(head + "  - {name: p, x: entries, y: mmu.dtlb.misses}\n", known),
            at(4, 18) + "plot 'p': x: unknown axis 'entries' (axes: w)");
  EXPECT_EQ(errors(head + "  - {name: p, x: w, y: mmu.dtlb.mises}\n", known),
            at(4, 24) +
                "plot 'p': y: 'mmu.dtlb.mises' is not a column that stats: makes (did you mean "
                "'mmu.dtlb.misses'?)");
  EXPECT_EQ(errors(head + "  - {name: p, x: w, y: mmu.dtlb.misses, logx: maybe}\n", known),
            at(4, 47) + "plot: logx: expected true or false, got 'maybe'");
  EXPECT_EQ(errors(head + "  - {name: p, x: w}\n", known), at(4, 5) + "plot: needs y:");
  // An axis of several values the plot does not show would have its points averaged together.
  EXPECT_EQ(
      errors(
          "axes:\n  - {name: w, key: mmu.dtlb.ways, values: [1, 2]}\n  - {name: pol, key: mmu.dtlb.policy, "
          "values: [lru, fifo]}\nstats: [mmu.dtlb.misses]\nplots:\n  - {name: p, x: w, y: mmu.dtlb.misses}\n",
          known),
      at(6, 5) +
          "plot 'p': axis 'pol' has 2 values but is not x, series or facets: the plot would mix its points");
}

TEST(SweepExpr, ArithmeticAndMissingValues) {
  std::string why;
  auto value = [](const std::string& n) -> std::optional<double> {
    if (n == "a.b") return 6.0;
    if (n == "c.4k") return 4.0;
    if (n == "zero") return 0.0;
    return std::nullopt;
  };
  EXPECT_EQ(Expr::parse("1 + 2 * 3", &why)->eval(value), 7.0);
  EXPECT_EQ(Expr::parse("(1 + 2) * 3", &why)->eval(value), 9.0);
  EXPECT_EQ(Expr::parse("-(a.b - c.4k) / 4", &why)->eval(value), -0.5);
  EXPECT_EQ(Expr::parse("10 - 4 - 3", &why)->eval(value), 3.0);  // left to right
  EXPECT_EQ(Expr::parse("1e3 * a.b", &why)->eval(value), 6000.0);
  EXPECT_EQ(Expr::parse("a.b / zero", &why)->eval(value), std::nullopt);
  EXPECT_EQ(Expr::parse("a.b + missing", &why)->eval(value), std::nullopt);
  EXPECT_EQ(Expr::parse("a.b * a.b + c.4k", &why)->names(), (std::vector<std::string>{"a.b", "c.4k"}));
  EXPECT_FALSE(Expr::parse("(1 + 2", &why));
  EXPECT_EQ(why, "expected ')' at character 7");
  EXPECT_FALSE(Expr::parse("2 $ 3", &why));
  EXPECT_EQ(why, "unexpected '$' at character 3");
}

TEST(SweepPointKey, ValuesDecideNotWhereTheyCameFrom) {
  Config a, b, c;
  a.set("mmu.dtlb.ways", "8", "one.yaml:3:5");
  b.set("mmu.dtlb.ways", "8", "--set mmu.dtlb.ways=8");
  c.set("mmu.dtlb.ways", "16", "one.yaml:3:5");
  EXPECT_EQ(canonical_config_text(a), canonical_config_text(b));
  EXPECT_NE(canonical_config_text(a), canonical_config_text(c));
  EXPECT_EQ(canonical_config_text(a).find('#'), std::string::npos);
  PointKeys keys("/nonexistent/hello.elf");
  EXPECT_EQ(keys.key(a), keys.key(b));
  EXPECT_NE(keys.key(a), keys.key(c));
  EXPECT_EQ(keys.key(a).size(), 16u);
  // FNV-1a 64 of "a" (published test vector): af63dc4c8601ec8c.
  Fnv1a h;
  h.add("a", 1);
  EXPECT_EQ(h.value(), 0xaf63dc4c8601ec8cull);
}

}  // namespace
