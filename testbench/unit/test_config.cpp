// Config unit tests: schema defaults and the structs they come from, YAML loading with error positions
// (every problem of a file, in file order), --set overrides, the size and time parsers, near-miss
// suggestions, checks that involve several keys, path resolution and dump() round trips. YAML files are
// written to a fresh temp directory.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "models/config/Config.h"
#include "models/config/ModelConfig.h"

using namespace sv39sim;
namespace fs = std::filesystem;

namespace {

class ConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "sv39sim-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

  // Loads `text` from a file and returns the InputError message (fails the test if nothing is thrown).
  std::string load_error(const std::string& text, std::string* path_out = nullptr) {
    const std::string path = write("bad.yaml", text);
    if (path_out) *path_out = path;
    Config cfg;
    try {
      cfg.load_yaml_file(path);
    } catch (const InputError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no InputError for:\n" << text;
    return "";
  }

  fs::path dir_;
};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// True if `msg` contains "path:LINE:COL" for the given line and some column.
bool has_position(const std::string& msg, const std::string& path, int line) {
  const std::string prefix = path + ":" + std::to_string(line) + ":";
  const size_t at = msg.find(prefix);
  return at != std::string::npos && at + prefix.size() < msg.size() &&
         std::isdigit(static_cast<unsigned char>(msg[at + prefix.size()]));
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_TRUE(contains(haystack, needle)) \
      << "message: " << (haystack) << "\nexpected to contain: " << (needle)

}  // namespace

// ---- Defaults --------------------------------------------------------------------------------------------

TEST(Config, EverySchemaKeyHasAValidDefault) {
  const Config cfg;
  ASSERT_FALSE(config_schema().empty());
  for (const ParamSpec& p : config_schema()) {
    SCOPED_TRACE(p.key);
    EXPECT_EQ(cfg.origin(p.key), "default");
    EXPECT_EQ(cfg.get_string(p.key), p.default_value);
    EXPECT_FALSE(p.help.empty());
    EXPECT_NE(p.key.find('.'), std::string::npos) << "keys are section.name";
    if (p.kind == ParamKind::Choice) {
      bool listed = false;
      for (const auto& c : p.choices) listed |= c == p.default_value;
      EXPECT_TRUE(listed) << "default is one of the choices";
    }
  }
}

TEST(Config, DefaultValuesInTheirUnits) {
  const Config cfg;
  EXPECT_EQ(cfg.get_uint("memory.ram_size"), 128ull << 20);  // 128MiB
  EXPECT_EQ(cfg.get_uint("sim.quantum"), 1000000u);          // 1us in ps
  EXPECT_EQ(cfg.get_uint("uart.rx_poll"), 100000000u);       // 100us in ps
  EXPECT_EQ(cfg.get_uint("hart.clock_mhz"), 1000u);
  EXPECT_EQ(cfg.get_uint("clint.timebase_hz"), 10000000u);
  EXPECT_EQ(cfg.get_uint("sim.max_instructions"), 0u);
  EXPECT_EQ(cfg.get_uint("sim.max_time"), 0u);
  EXPECT_EQ(cfg.get_string("hart.misaligned"), "perform");
  EXPECT_EQ(cfg.get_string("sim.elf"), "");
}

// ---- Parsers ---------------------------------------------------------------------------------------------

TEST(ConfigParse, Sizes) {
  uint64_t v = 0;
  EXPECT_TRUE(parse_size("4096", &v));
  EXPECT_EQ(v, 4096u);
  EXPECT_TRUE(parse_size("0x1000", &v));
  EXPECT_EQ(v, 4096u);
  EXPECT_TRUE(parse_size("64KiB", &v));
  EXPECT_EQ(v, 65536u);
  EXPECT_TRUE(parse_size("128MiB", &v));
  EXPECT_EQ(v, 134217728u);
  EXPECT_TRUE(parse_size("4GiB", &v));
  EXPECT_EQ(v, 4294967296u);
  EXPECT_TRUE(parse_size("0.5KiB", &v));
  EXPECT_EQ(v, 512u);
  for (const char* bad : {"12XB", "", "KiB", "-1", "1 0", "0x", "0xfg", "4 GiB extra", "1e3"}) {
    EXPECT_FALSE(parse_size(bad, &v)) << "'" << bad << "'";
  }
}

TEST(ConfigParse, Times) {
  uint64_t v = 1;
  EXPECT_TRUE(parse_time_ps("0", &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(parse_time_ps("1us", &v));
  EXPECT_EQ(v, 1000000u);
  EXPECT_TRUE(parse_time_ps("2.5ms", &v));
  EXPECT_EQ(v, 2500000000u);
  EXPECT_TRUE(parse_time_ps("100ns", &v));
  EXPECT_EQ(v, 100000u);
  EXPECT_TRUE(parse_time_ps("1s", &v));
  EXPECT_EQ(v, 1000000000000u);
  EXPECT_TRUE(parse_time_ps("7ps", &v));
  EXPECT_EQ(v, 7u);
  for (const char* bad : {"5 parsecs", "", "us", "-1us", "1.5ps", "10", "1h"}) {
    EXPECT_FALSE(parse_time_ps(bad, &v)) << "'" << bad << "'";
  }
}

// Decimal fractions that name a whole number of picoseconds must parse exactly (1.001ns = 1001ps), even
// though 1.001 has no exact binary floating-point representation.
TEST(ConfigParse, DecimalTimesAreExact) {
  uint64_t v = 0;
  EXPECT_TRUE(parse_time_ps("1.001ns", &v));
  EXPECT_EQ(v, 1001u);
  EXPECT_TRUE(parse_time_ps("1.005ns", &v));
  EXPECT_EQ(v, 1005u);
  EXPECT_TRUE(parse_time_ps("0.25us", &v));
  EXPECT_EQ(v, 250000u);
}

// ---- set() and --set --------------------------------------------------------------------------------------

TEST(Config, SetRecordsOriginAndValidates) {
  Config cfg;
  cfg.set("hart.misaligned", "trap", "--set");
  EXPECT_EQ(cfg.get_string("hart.misaligned"), "trap");
  EXPECT_EQ(cfg.origin("hart.misaligned"), "--set");
  cfg.set("memory.ram_size", "64KiB", "--set");
  EXPECT_EQ(cfg.get_uint("memory.ram_size"), 65536u);
  cfg.set("sim.max_time", "2.5ms", "--set");
  EXPECT_EQ(cfg.get_uint("sim.max_time"), 2500000000u);

  try {
    cfg.set("hart.clock_mhz", "fast", "--set");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_CONTAINS(std::string(e.what()), "--set");
    EXPECT_CONTAINS(std::string(e.what()), "hart.clock_mhz");
    EXPECT_CONTAINS(std::string(e.what()), "fast");
    EXPECT_CONTAINS(std::string(e.what()), "integer");
  }
  EXPECT_EQ(cfg.get_uint("hart.clock_mhz"), 1000u) << "a rejected value leaves the old one";

  try {
    cfg.set("hart.clockmhz", "5", "--set");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_CONTAINS(std::string(e.what()), "--set");
    EXPECT_CONTAINS(std::string(e.what()), "hart.clockmhz");
    EXPECT_CONTAINS(std::string(e.what()), "hart.clock_mhz") << "suggests the keys of the section";
  }
  EXPECT_THROW(cfg.set("nosuchsection.key", "1", "--set"), InputError);
}

TEST(Config, RangeLimitsFromTheSchema) {
  Config cfg;
  EXPECT_THROW(cfg.set("hart.clock_mhz", "0", "--set"), InputError);
  EXPECT_THROW(cfg.set("hart.clock_mhz", "100001", "--set"), InputError);
  cfg.set("hart.clock_mhz", "100000", "--set");
  EXPECT_EQ(cfg.get_uint("hart.clock_mhz"), 100000u);
  EXPECT_THROW(cfg.set("memory.ram_size", "1KiB", "--set"), InputError);
  EXPECT_THROW(cfg.set("memory.ram_size", "65GiB", "--set"), InputError);
  EXPECT_THROW(cfg.set("sim.quantum", "999ps", "--set"), InputError);
  cfg.set("sim.quantum", "1ns", "--set");
  EXPECT_EQ(cfg.get_uint("sim.quantum"), 1000u);
  EXPECT_THROW(cfg.set("hart.misaligned", "Trap", "--set"), InputError);
}

// ---- YAML files ------------------------------------------------------------------------------------------

TEST_F(ConfigFiles, NestedSectionsSetDottedKeys) {
  const std::string path = write("cfg.yaml",
                                 "# comment\n"
                                 "hart:\n"
                                 "  misaligned: trap\n"
                                 "  clock_mhz: 250\n"
                                 "memory:\n"
                                 "  ram_size: 64KiB\n"
                                 "sim:\n"
                                 "  quantum: 2.5ms\n"
                                 "  max_instructions: 0x10\n");
  Config cfg;
  cfg.load_yaml_file(path);
  EXPECT_EQ(cfg.get_string("hart.misaligned"), "trap");
  EXPECT_EQ(cfg.get_uint("hart.clock_mhz"), 250u);
  EXPECT_EQ(cfg.get_uint("memory.ram_size"), 65536u);
  EXPECT_EQ(cfg.get_uint("sim.quantum"), 2500000000u);
  EXPECT_EQ(cfg.get_uint("sim.max_instructions"), 16u);
  EXPECT_EQ(cfg.origin("hart.misaligned"), path + ":3:3");
  EXPECT_EQ(cfg.origin("sim.max_instructions"), path + ":9:3");
  EXPECT_EQ(cfg.origin("clint.timebase_hz"), "default") << "untouched keys keep their defaults";
}

TEST_F(ConfigFiles, EmptyFileKeepsDefaults) {
  Config cfg;
  cfg.load_yaml_file(write("empty.yaml", ""));
  EXPECT_EQ(cfg.origin("hart.misaligned"), "default");
}

TEST_F(ConfigFiles, UnknownKeyNamesFileLineAndColumn) {
  std::string path;
  const std::string msg = load_error(
      "sim:\n"
      "  max_instructions: 5\n"
      "hart:\n"
      "    misalinged: trap\n",
      &path);
  EXPECT_CONTAINS(msg, path + ":4:5");
  EXPECT_CONTAINS(msg, "hart.misalinged");
  EXPECT_CONTAINS(msg, "hart.misaligned") << "lists the known keys of the section";
}

TEST_F(ConfigFiles, UnknownSectionNamesFileLineAndColumn) {
  std::string path;
  const std::string msg = load_error("hart:\n  misaligned: trap\ncpu:\n  cores: 4\n", &path);
  // Either the unknown section (3:1) or its first key (4:3) is a precise position.
  EXPECT_TRUE(contains(msg, path + ":3:1") || contains(msg, path + ":4:3")) << msg;
  EXPECT_CONTAINS(msg, "cpu");
}

TEST_F(ConfigFiles, WrongTypeNamesPositionKeyAndExpectation) {
  std::string path;
  const std::string msg = load_error("hart:\n  clock_mhz: fast\n", &path);
  // The position may be the key's (2:3) or the value's (2:14); both name the offending line.
  EXPECT_TRUE(contains(msg, path + ":2:3") || contains(msg, path + ":2:14")) << msg;
  EXPECT_CONTAINS(msg, "hart.clock_mhz");
  EXPECT_CONTAINS(msg, "integer");
  EXPECT_CONTAINS(msg, "fast");
}

TEST_F(ConfigFiles, OutOfRangeNamesPositionKeyAndRange) {
  std::string path;
  const std::string msg = load_error("sim:\n  max_time: 0\nhart:\n  clock_mhz: 200000\n", &path);
  EXPECT_TRUE(contains(msg, path + ":4:3") || contains(msg, path + ":4:14")) << msg;
  EXPECT_CONTAINS(msg, "hart.clock_mhz");
  EXPECT_CONTAINS(msg, "100000");  // the schema's maximum

  const std::string small = load_error("memory:\n  ram_size: 1KiB\n", &path);
  EXPECT_TRUE(contains(small, path + ":2:3") || contains(small, path + ":2:13")) << small;
  EXPECT_CONTAINS(small, "memory.ram_size");
  EXPECT_CONTAINS(small, "4096");  // the schema's minimum
}

TEST_F(ConfigFiles, BadChoiceListsTheChoices) {
  std::string path;
  const std::string msg = load_error("hart:\n  misaligned: sometimes\n", &path);
  EXPECT_TRUE(contains(msg, path + ":2:3") || contains(msg, path + ":2:15")) << msg;
  EXPECT_CONTAINS(msg, "hart.misaligned");
  EXPECT_CONTAINS(msg, "perform");
  EXPECT_CONTAINS(msg, "trap");
  EXPECT_CONTAINS(msg, "sometimes");
}

TEST_F(ConfigFiles, BadSizeAndTime) {
  std::string path;
  const std::string size = load_error("memory:\n  ram_size: 12XB\n", &path);
  EXPECT_CONTAINS(size, path + ":2:");
  EXPECT_CONTAINS(size, "memory.ram_size");
  EXPECT_CONTAINS(size, "12XB");
  const std::string time = load_error("sim:\n  quantum: 5 parsecs\n", &path);
  EXPECT_CONTAINS(time, path + ":2:");
  EXPECT_CONTAINS(time, "sim.quantum");
  EXPECT_CONTAINS(time, "5 parsecs");
}

TEST_F(ConfigFiles, NonScalarValueIsRejected) {
  std::string path;
  const std::string msg = load_error("hart:\n  misaligned: [perform, trap]\n", &path);
  EXPECT_CONTAINS(msg, path + ":2:");
  EXPECT_CONTAINS(msg, "hart.misaligned");
}

TEST_F(ConfigFiles, TopLevelMustBeAMapping) {
  std::string path;
  const std::string msg = load_error("- hart\n- sim\n", &path);
  EXPECT_CONTAINS(msg, path + ":1:1");
}

TEST_F(ConfigFiles, YamlSyntaxErrorHasPosition) {
  std::string path;
  // The flow sequence opened with '[' at line 2, column 15 is wrongly closed by '}' at column 20.
  const std::string msg = load_error("hart:\n  misaligned: [trap}\n", &path);
  EXPECT_TRUE(has_position(msg, path, 2)) << msg;
  EXPECT_CONTAINS(msg, path + ":2:20");
  // A tab may not indent a block mapping (line 3).
  const std::string tabs = load_error("hart:\n  misaligned: trap\n\tclock_mhz: 5\n", &path);
  EXPECT_TRUE(has_position(tabs, path, 3)) << tabs;
  EXPECT_CONTAINS(tabs, path + ":3:1");
}

TEST_F(ConfigFiles, MissingFileNamesThePath) {
  const std::string path = (dir_ / "does-not-exist.yaml").string();
  Config cfg;
  try {
    cfg.load_yaml_file(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_CONTAINS(std::string(e.what()), path);
  }
}

TEST_F(ConfigFiles, RelativePathsResolveAgainstTheConfigDirectory) {
  const std::string path = write("sub/dir/cfg.yaml", "sim:\n  elf: fw/hello.elf\n  stdin: input.txt\n");
  Config cfg;
  cfg.load_yaml_file(path);
  EXPECT_EQ(fs::path(cfg.get_string("sim.elf")).lexically_normal(),
            (dir_ / "sub/dir/fw/hello.elf").lexically_normal());
  EXPECT_EQ(fs::path(cfg.get_string("sim.stdin")).lexically_normal(),
            (dir_ / "sub/dir/input.txt").lexically_normal());

  const std::string abs = write("abs.yaml", "sim:\n  elf: /opt/fw/x.elf\n");
  cfg.load_yaml_file(abs);
  EXPECT_EQ(cfg.get_string("sim.elf"), "/opt/fw/x.elf");
}

TEST_F(ConfigFiles, LaterSourcesOverrideEarlierOnes) {
  Config cfg;
  cfg.load_yaml_file(write("a.yaml", "hart:\n  clock_mhz: 10\n"));
  cfg.set("hart.clock_mhz", "20", "--set");
  EXPECT_EQ(cfg.get_uint("hart.clock_mhz"), 20u);
  EXPECT_EQ(cfg.origin("hart.clock_mhz"), "--set");
}

TEST_F(ConfigFiles, DumpLoadsBackToTheSameValues) {
  Config cfg;
  cfg.set("hart.misaligned", "trap", "--set");
  cfg.set("memory.ram_size", "0x100000", "--set");
  cfg.set("sim.quantum", "2.5ms", "--set");
  cfg.set("sim.max_instructions", "123456", "--set");
  cfg.set("sim.elf", (dir_ / "fw.elf").string(), "--set");
  cfg.set("uart.rx_poll", "1ms", "--set");
  std::ostringstream os;
  cfg.dump(os);
  const std::string path = write("dump.yaml", os.str());

  Config back;
  back.load_yaml_file(path);
  for (const ParamSpec& p : config_schema()) {
    SCOPED_TRACE(p.key);
    EXPECT_EQ(back.get_string(p.key), cfg.get_string(p.key));
    if (p.kind == ParamKind::UInt || p.kind == ParamKind::Size || p.kind == ParamKind::Time) {
      EXPECT_EQ(back.get_uint(p.key), cfg.get_uint(p.key));
    }
  }
  EXPECT_EQ(back.get_uint("memory.ram_size"), 0x100000u);
}

// A default that depends on another key stays a default through a dump: the disk.* figures follow
// disk.preset (sata_ssd: 110 us reads, 52 us writes, 550 MB/s) unless set, and the dump must not pin them
// to the nvme figures the schema shows as defaults.
TEST_F(ConfigFiles, DumpKeepsPresetDefaultsFollowingThePreset) {
  Config cfg;
  cfg.set("disk.preset", "sata_ssd", "--set");
  std::ostringstream os;
  cfg.dump(os);
  Config back;
  back.load_yaml_file(write("dump.yaml", os.str()));
  EXPECT_FALSE(back.was_set("disk.read_latency"));
  EXPECT_TRUE(back.was_set("disk.preset"));
  const DiskTimingConfig d = disk_timing_config(back);
  EXPECT_EQ(d.read_ps, 110'000'000u);
  EXPECT_EQ(d.write_ps, 52'000'000u);
  EXPECT_EQ(d.bandwidth_mbps, 550u);
  for (const ParamSpec& p : config_schema()) EXPECT_EQ(back.was_set(p.key), cfg.was_set(p.key)) << p.key;
}

// A string value that needs YAML escaping (a path with a double quote or a backslash) must survive dump().
TEST_F(ConfigFiles, DumpEscapesStrings) {
  Config cfg;
  const std::string odd = (dir_ / "we\"ird\\name #1.txt").string();
  cfg.set("sim.stdin", odd, "--set");
  std::ostringstream os;
  cfg.dump(os);
  const std::string path = write("dump.yaml", os.str());
  Config back;
  try {
    back.load_yaml_file(path);
  } catch (const InputError& e) {
    FAIL() << "dump() output does not load: " << e.what() << "\n" << os.str();
  }
  EXPECT_EQ(back.get_string("sim.stdin"), odd);
}

// ---- Bad input: every problem, where it is, which key
// ------------------------------------------------------

namespace {

// The lines of a multi-problem message.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The InputError check_config reports for `cfg` ("" if none).
std::string check_error(const Config& cfg) {
  Problems problems;
  check_config(cfg, &problems);
  try {
    problems.raise();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// check_config's verdict on the defaults with `key` set to `value` from a file position.
std::string check_error(const std::string& key, const std::string& value) {
  Config cfg;
  cfg.set(key, value, "t.yaml:3:7", InputPos::file(3, 7));
  return check_error(cfg);
}

}  // namespace

// YAML forbids a key twice in one mapping, but yaml-cpp 0.7 keeps both: the second must be an error at its
// own position, not a silent override.
TEST_F(ConfigFiles, DuplicateKeyIsReportedAtTheSecond) {
  std::string path;
  const std::string msg = load_error("hart:\n  clock_mhz: 10\n  clock_mhz: 20\n", &path);
  EXPECT_CONTAINS(msg, path + ":3:3: hart.clock_mhz: duplicate key (first at line 2:3)");
  const std::string section =
      load_error("hart:\n  clock_mhz: 10\nsim:\n  seed: 2\nhart:\n  misaligned: trap\n");
  EXPECT_CONTAINS(section, ":5:1: hart: duplicate key (first at line 1:1)");
  // The same key by two spellings, nested and dotted.
  const std::string spelt = load_error("hart:\n  clock_mhz: 10\nhart.clock_mhz: 20\n", &path);
  EXPECT_CONTAINS(spelt, path + ":3:1: hart.clock_mhz: set twice (first at line 2:3)");
}

TEST_F(ConfigFiles, SecondDocumentIsAnError) {
  std::string path;
  const std::string msg = load_error("hart:\n  clock_mhz: 10\n---\nsim:\n  seed: 2\n", &path);
  EXPECT_CONTAINS(msg, path + ":4:1: a second YAML document");
}

TEST_F(ConfigFiles, NulInsideAValueNamesTheKey) {
  std::string path;
  // Written as a YAML escape...
  const std::string escaped = load_error("sim:\n  seed: 1\n  elf: \"fw\\0.elf\"\n", &path);
  EXPECT_CONTAINS(escaped, path + ":3:3: sim.elf: the value contains a NUL character");
  // ...and as a raw byte, which yaml-cpp alone would misread.
  const std::string raw = load_error(std::string("sim:\n  stdin: in\0put\n", 20), &path);
  EXPECT_CONTAINS(raw, path + ":2:3: sim.stdin: the value contains a NUL character");
  const std::string comment = load_error(std::string("sim:\n  seed: 1 # a\0b\n", 21), &path);
  EXPECT_CONTAINS(comment, path + ":2:14: NUL character in the file");
}

// A YAML alias may name its own parent, making the tree a cycle: reported, not walked forever.
TEST_F(ConfigFiles, AliasCycleEnds) {
  std::string path;
  const std::string msg = load_error("mmu: &m\n  itlb: *m\n", &path);
  EXPECT_CONTAINS(msg,
                  path + ":2:3: unknown section 'mmu.itlb.itlb' (known keys in 'mmu.itlb': mmu.itlb.sets");
}

TEST_F(ConfigFiles, DirectoryIsNotAConfigFile) {
  Config cfg;
  try {
    cfg.load_yaml_file(dir_.string());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), dir_.string() + ": is a directory, not a config file");
  }
}

// A directory named where a file is expected (sim.elf, sim.stdin, disk.image) is reported against the key
// and the line that set it.
TEST_F(ConfigFiles, DirectoryAsAnInputFileNamesTheKey) {
  const std::string path = write("cfg.yaml", "sim:\n  seed: 1\n  elf: " + dir_.string() + "\n");
  Config cfg;
  cfg.load_yaml_file(path);
  EXPECT_EQ(check_error(cfg), path + ":3:3: sim.elf: " + dir_.string() + " is a directory, not a file");
  EXPECT_EQ(check_error("disk.image", dir_.string()),
            "t.yaml:3:7: disk.image: " + dir_.string() + " is a directory, not a file");
}

// Each problem of a file is listed, one per line, in file order, whatever kind it is: a bad value, an unknown
// key, a duplicate, and a problem between keys (found after the whole file is read).
TEST_F(ConfigFiles, EveryProblemOfAFileInFileOrder) {
  const std::string path = write("many.yaml",
                                 "dram:\n"
                                 "  tRAS: 80\n"  // 2: tRC < tRAS + tRP, found by check_config
                                 "hart:\n"
                                 "  clock_mhz: fast\n"   // 4: not a number
                                 "  misalinged: trap\n"  // 5: unknown key
                                 "mmu:\n"
                                 "  dtlb:\n"
                                 "    sets: 3\n"     // 8: not a power of two, found by check_config
                                 "  dtlb.sets: 4\n"  // 9: set twice
                                 "sim:\n"
                                 "  quantum: 1.5ps\n");  // 11: not whole picoseconds
  Config cfg;
  Problems problems;
  cfg.load_yaml_file(path, &problems);
  check_config(cfg, &problems);
  std::string msg;
  try {
    problems.raise();
  } catch (const InputError& e) {
    msg = e.what();
  }
  const std::vector<std::string> lines = lines_of(msg);
  ASSERT_EQ(lines.size(), 6u) << msg;
  const char* const expected[] = {
      ":2:3: dram.tRAS: ",     ":4:3: hart.clock_mhz: ",         ":5:3: unknown key 'hart.misalinged'",
      ":8:5: mmu.dtlb.sets: ", ":9:3: mmu.dtlb.sets: set twice", ":11:3: sim.quantum: "};
  for (size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i].rfind(path + expected[i], 0), 0u) << lines[i];
}

TEST(ConfigSuggest, NearMissKeysAndChoices) {
  Config cfg;
  auto error = [&](const std::string& key, const std::string& value) {
    try {
      cfg.set(key, value, "--set");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("mmu.itlb.set", "4"), "--set: unknown key 'mmu.itlb.set' (did you mean 'mmu.itlb.sets'?)");
  EXPECT_CONTAINS(error("hart.misalinged", "trap"),
                  "(did you mean 'hart.misaligned'?)");  // transposed letters
  EXPECT_CONTAINS(error("Hart.Clock_MHz", "5"), "(did you mean 'hart.clock_mhz'?)");
  EXPECT_CONTAINS(error("itlb.sets", "4"), "(did you mean 'mmu.itlb.sets'?)");  // section left out
  EXPECT_CONTAINS(error("mmu.l2tlb.policy", "lur"), "got 'lur' (did you mean 'lru'?)");
  // Far from every key: no guess, the section's keys instead.
  const std::string far = error("hart.frequency", "5");
  EXPECT_EQ(far.find("did you mean"), std::string::npos) << far;
  EXPECT_CONTAINS(far, "known keys in 'hart'");
  EXPECT_EQ(closest_match("sets", {"ways", "policy"}), "");
  EXPECT_EQ(closest_match("wyas", {"ways", "policy"}), "ways");
}

// A value is taken exactly or refused: 1.0000001 ns is no whole number of picoseconds, even though it is
// within floating-point noise of 1000 ps.
TEST(ConfigParse, InexactValuesAreRefusedNotRounded) {
  uint64_t v = 0;
  EXPECT_FALSE(parse_time_ps("1.0000001ns", &v));
  EXPECT_FALSE(parse_time_ps("1.0005ns", &v));
  EXPECT_FALSE(parse_size("1.3KiB", &v));
  EXPECT_FALSE(parse_size("0.0001B", &v));
  EXPECT_TRUE(parse_time_ps("1.000000000000000000000000000000ns", &v));  // trailing zeros are exact
  EXPECT_EQ(v, 1000u);
  EXPECT_TRUE(parse_size("1.25KiB", &v));
  EXPECT_EQ(v, 1280u);
  Config cfg;
  cfg.set("sim.quantum", "1.0005us", "--set");  // 1000500 ps: whole
  EXPECT_EQ(cfg.get_uint("sim.quantum"), 1000500u);
  try {
    cfg.set("sim.quantum", "1.0000005us", "--set");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "--set: sim.quantum: expected a whole number of picoseconds, got '1.0000005us'");
  }
  try {
    cfg.set("cache.l2.size", "1.3KiB", "--set");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "--set: cache.l2.size: expected a whole number of bytes, got '1.3KiB'");
  }
}

// Values that parse but do not divide as the model needs them.
TEST(ConfigCheck, SizesThatDoNotDivideExactly) {
  EXPECT_EQ(check_error("memory.ram_size", "5000"),
            "t.yaml:3:7: memory.ram_size: expected a whole number of 4 KiB pages, got 5000 bytes");
  EXPECT_EQ(check_error("workload.timeslice", "1500ns"),
            "t.yaml:3:7: workload.timeslice: expected a whole number of microseconds, got 1500ns");
  EXPECT_EQ(check_error("cache.l1d.size", "40KiB").rfind("t.yaml:3:7: cache.l1d.size: ", 0), 0u);
  EXPECT_EQ(check_error("hart.clock_mhz", "3").rfind("t.yaml:3:7: hart.clock_mhz: ", 0), 0u);
  EXPECT_EQ(check_error(Config()), "") << "the defaults are consistent";
}

// Timing parameters that no DDR device has (JESD79-4 relations) are refused, blamed on the key the user set.
TEST(ConfigCheck, InconsistentDramTiming) {
  EXPECT_EQ(
      check_error("dram.tRAS", "80"),
      "t.yaml:3:7: dram.tRAS: tRC = 74 is less than tRAS + tRP = 80 + 22 (a row stays open at least tRAS "
      "and is precharged in tRP before the bank's next ACT)");
  EXPECT_EQ(check_error("dram.tRC", "60").rfind("t.yaml:3:7: dram.tRC: tRC = 60 is less than tRAS + tRP", 0),
            0u);
  EXPECT_EQ(check_error("dram.tRP", "30").rfind("t.yaml:3:7: dram.tRP: tRC = 74 is less than", 0), 0u);
  EXPECT_EQ(
      check_error("dram.tRCD", "60").rfind("t.yaml:3:7: dram.tRCD: tRAS = 52 is less than tRCD = 60", 0), 0u);
  EXPECT_EQ(
      check_error("dram.tCCD_L", "2").rfind("t.yaml:3:7: dram.tCCD_L: tCCD_L = 2 is less than tCCD_S", 0),
      0u);
  EXPECT_EQ(check_error("dram.tRRD_S", "9").rfind("t.yaml:3:7: dram.tRRD_S: tRRD_L = 8 is less than", 0), 0u);
  EXPECT_EQ(check_error("dram.tWTR_L", "3").rfind("t.yaml:3:7: dram.tWTR_L: tWTR_L = 3 is less than", 0), 0u);
  EXPECT_EQ(
      check_error("dram.tCCD_S", "2").rfind("t.yaml:3:7: dram.tCCD_S: tCCD_S = 2 is less than one burst", 0),
      0u);
  // Consistent changes pass: a slower part with every relation kept.
  Config slow;
  slow.set("dram.tRAS", "60", "--set");
  slow.set("dram.tRC", "90", "--set");
  EXPECT_EQ(check_error(slow), "");
  // Two problems, two lines.
  Config two;
  two.set("dram.tRAS", "80", "a.yaml:1:1", InputPos::file(1, 1));
  two.set("dram.tWTR_L", "3", "a.yaml:2:1", InputPos::file(2, 1));
  EXPECT_EQ(lines_of(check_error(two)).size(), 2u);
}

// A problem between several keys names the one the user set, not a default that happens to be involved.
TEST(ConfigCheck, BlameTheKeyTheUserSet) {
  Config cfg;
  cfg.set("disk.preset", "hdd", "--set");
  cfg.set("disk.hdd.full_stroke", "5ms", "f.yaml:9:3", InputPos::file(9, 3));
  EXPECT_EQ(check_error(cfg),
            "f.yaml:9:3: disk.hdd.full_stroke: expected disk.hdd.track_to_track < avg_seek < full_stroke");
}

// ---- One source of defaults
// -------------------------------------------------------------------------------- The structs' member
// defaults are the model's defaults and the schema takes its defaults from them, so the struct a unit test
// constructs by default is the machine a default `sv39sim run` builds from the schema. Seeds are not
// compared: each structure's is drawn from sim.seed.

namespace {

void expect_same(const TlbConfig& a, const TlbConfig& b) {
  SCOPED_TRACE(b.name);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.sets, b.sets);
  EXPECT_EQ(a.ways, b.ways);
  EXPECT_EQ(a.policy, b.policy);
  EXPECT_EQ(a.latency, b.latency);
  EXPECT_EQ(a.superpages, b.superpages);
  EXPECT_EQ(a.superpage_entries, b.superpage_entries);
}

void expect_same(const CacheConfig& a, const CacheConfig& b) {
  EXPECT_EQ(a.enabled, b.enabled);
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.ways, b.ways);
  EXPECT_EQ(a.line, b.line);
  EXPECT_EQ(a.policy, b.policy);
  EXPECT_EQ(a.latency, b.latency);
}

}  // namespace

TEST(ConfigDefaults, StructDefaultsAreTheSchemaDefaults) {
  const Config cfg;
  {
    const MmuConfig built = mmu_config(cfg), plain;
    expect_same(built.itlb, plain.itlb);
    expect_same(built.dtlb, plain.dtlb);
    expect_same(built.l2tlb, plain.l2tlb);
    EXPECT_EQ(built.l2tlb_enabled, plain.l2tlb_enabled);
    EXPECT_EQ(built.hardware_ad, plain.hardware_ad);
    EXPECT_EQ(built.flush_on_satp_write, plain.flush_on_satp_write);
    EXPECT_EQ(built.trap_misaligned, plain.trap_misaligned);
  }
  {
    const WalkerConfig built = walker_config(cfg), plain;
    EXPECT_EQ(built.pwc_enabled, plain.pwc_enabled);
    EXPECT_EQ(built.pwc_per_level, plain.pwc_per_level);
    EXPECT_EQ(built.pwc_flush_on_va_fence, plain.pwc_flush_on_va_fence);
    EXPECT_EQ(built.pwc_sets, plain.pwc_sets);
    EXPECT_EQ(built.pwc_ways, plain.pwc_ways);
    EXPECT_EQ(built.pwc_policy, plain.pwc_policy);
    EXPECT_EQ(built.step_cycles, plain.step_cycles);
  }
  {
    const MemoryHierarchyConfig built = memory_hierarchy_config(cfg), plain;
    expect_same(built.l1i, plain.l1i);
    expect_same(built.l1d, plain.l1d);
    expect_same(built.l2, plain.l2);
    EXPECT_EQ(built.pte_source, plain.pte_source);
    EXPECT_EQ(built.controller.policy, plain.controller.policy);
    EXPECT_EQ(built.controller.row_hit_cap, plain.controller.row_hit_cap);
    EXPECT_EQ(built.controller.write_watermark, plain.controller.write_watermark);
    const DramGeometry &g = built.dram.geometry, &pg = plain.dram.geometry;
    EXPECT_EQ(g.channels, pg.channels);
    EXPECT_EQ(g.ranks, pg.ranks);
    EXPECT_EQ(g.bank_groups, pg.bank_groups);
    EXPECT_EQ(g.banks_per_group, pg.banks_per_group);
    EXPECT_EQ(g.rows, pg.rows);
    EXPECT_EQ(g.columns, pg.columns);
    EXPECT_EQ(g.bus_bits, pg.bus_bits);
    EXPECT_EQ(g.burst_length, pg.burst_length);
    EXPECT_EQ(g.mapping, pg.mapping);
    EXPECT_EQ(built.dram.row_policy, plain.dram.row_policy);
    const DramTimingParams &t = built.dram.timing, &pt = plain.dram.timing;
    EXPECT_EQ(t.tCK_ps, pt.tCK_ps);
    for (auto f :
         {&DramTimingParams::CL, &DramTimingParams::CWL, &DramTimingParams::tRCD, &DramTimingParams::tRP,
          &DramTimingParams::tRAS, &DramTimingParams::tRC, &DramTimingParams::tCCD_S,
          &DramTimingParams::tCCD_L, &DramTimingParams::tRRD_S, &DramTimingParams::tRRD_L,
          &DramTimingParams::tFAW, &DramTimingParams::tWR, &DramTimingParams::tRTP, &DramTimingParams::tWTR_S,
          &DramTimingParams::tWTR_L, &DramTimingParams::tRFC, &DramTimingParams::tREFI})
      EXPECT_EQ(t.*f, pt.*f);
  }
  {
    const DiskTimingConfig built = disk_timing_config(cfg), plain;
    EXPECT_EQ(built.hdd, plain.hdd);
    for (auto f :
         {&DiskTimingConfig::read_ps, &DiskTimingConfig::write_ps, &DiskTimingConfig::bandwidth_mbps,
          &DiskTimingConfig::rpm, &DiskTimingConfig::track_to_track_ps, &DiskTimingConfig::avg_seek_ps,
          &DiskTimingConfig::full_stroke_ps, &DiskTimingConfig::transfer_mbps,
          &DiskTimingConfig::sectors_per_track, &DiskTimingConfig::capacity_sectors})
      EXPECT_EQ(built.*f, plain.*f);
  }
  {
    const HartTiming built = hart_timing(cfg), plain;
    EXPECT_EQ(built.clock_period_ps, plain.clock_period_ps);
    EXPECT_EQ(built.quantum_ps, plain.quantum_ps);
    EXPECT_EQ(built.max_instructions, plain.max_instructions);
    EXPECT_EQ(built.max_time_ps, plain.max_time_ps);
  }
}

// The default machine, as docs/config-reference.md states it (DESIGN.md's figures): a change of a struct's
// default shows up here and in the reference together.
TEST(ConfigDefaults, TheDocumentedMachine) {
  const MmuConfig m;
  EXPECT_EQ(m.itlb.sets * m.itlb.ways, 64u);  // 16 x 4
  EXPECT_EQ(m.l2tlb.sets, 128u);
  EXPECT_EQ(m.l2tlb.ways, 12u);
  EXPECT_EQ(m.l2tlb.latency, 8u);
  const WalkerConfig w;
  EXPECT_EQ(w.pwc_sets * w.pwc_ways, 32u);  // 8 x 4
  const MemoryHierarchyConfig h;
  EXPECT_EQ(h.l1d.size, 32u * 1024);
  EXPECT_EQ(h.l2.size, 1024u * 1024);
  const Config cfg;
  EXPECT_EQ(cfg.get_string("mmu.itlb.sets"), "16");
  EXPECT_EQ(cfg.get_string("cache.l2.size"), "1MiB");
  EXPECT_EQ(cfg.get_string("dram.tREFI"), "7.8us");
  EXPECT_EQ(cfg.get_string("disk.hdd.avg_seek"), "8.2ms");
  EXPECT_EQ(cfg.get_uint("dram.tRFC"), 350000u);
}
