// Config unit tests: schema defaults, YAML loading with error positions, --set overrides, the size and
// time parsers, path resolution and dump() round trips. YAML files are written to a fresh temp directory.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "models/config/Config.h"

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
