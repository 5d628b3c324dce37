#include "testbench/rtl/RtlBuild.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "models/config/ModelConfig.h"
#include "models/sim/InputError.h"
#include "testbench/rtl/RtlAbi.h"

namespace sv39sim::rtl {

namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read RTL source");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// 64-bit FNV-1a: the cache key of a parameter set and the sources' contents.
uint64_t fnv(const std::string& s, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

void mkdirs(const std::string& dir) {
  for (size_t i = 1; i <= dir.size(); ++i)
    if (i == dir.size() || dir[i] == '/') ::mkdir(dir.substr(0, i).c_str(), 0777);
}

// Runs argv with stdout and stderr into `log`; returns the exit status.
int run_logged(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    std::FILE* f = std::fopen(log.c_str(), "a");
    if (f) {
      ::dup2(fileno(f), STDOUT_FILENO);
      ::dup2(fileno(f), STDERR_FILENO);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::_Exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string tail(const std::string& path, unsigned lines) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string l; std::getline(in, l);) all.push_back(l);
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
    out += "  " + all[i] + "\n";
  return out;
}

}  // namespace

RtlSource project_rtl(const std::string& source_dir) {
  RtlSource s;
  for (const char* f : {"hw/common/sv39_pkg.sv", "hw/common/sv39_repl.sv", "hw/tlb/sv39_tlb.sv",
                        "hw/walker/sv39_pwc.sv", "hw/walker/sv39_ptw.sv", "hw/top/sv39_mmu.sv"})
    s.files.push_back(source_dir + "/" + f);
  return s;
}

std::vector<std::string> rtl_parameters(const Config& cfg, RtlGeometry* g) {
  const MmuConfig mmu = mmu_config(cfg);
  const WalkerConfig walker = walker_config(cfg);
  Problems problems;
  std::vector<std::string> params;
  auto policy = [&](const std::string& key, ReplacementPolicy p) -> unsigned {
    switch (p) {
      case ReplacementPolicy::Lru: return 0;
      case ReplacementPolicy::TreePlru: return 1;
      case ReplacementPolicy::Fifo: return 2;
      case ReplacementPolicy::Random: break;
    }
    problems.add(cfg.error(key,
                           "the RTL (hw/) has no random replacement: use lru, plru or fifo for the "
                           "RTL cross-check"));
    return 0;
  };
  auto tlb = [&](const char* prefix, const char* key, const TlbConfig& t) {
    const std::string k = std::string("mmu.") + key + ".";
    if (t.sets > 65536 || t.ways > 65536 || t.superpage_entries > 65536)
      problems.add(
          cfg.error(k + "sets", "the RTL cross-check reports sets and ways in 16 bits: at most 65536"));
    params.push_back(std::string("-G") + prefix + "Sets=" + std::to_string(t.sets));
    params.push_back(std::string("-G") + prefix + "Ways=" + std::to_string(t.ways));
    params.push_back(std::string("-G") + prefix + "Policy=" + std::to_string(policy(k + "policy", t.policy)));
    params.push_back(std::string("-G") + prefix +
                     "Superpages=" + std::to_string(static_cast<unsigned>(t.superpages)));
    params.push_back(std::string("-G") + prefix +
                     "SpEntries=" + std::to_string(t.superpage_entries ? t.superpage_entries : 1));
  };
  tlb("Itlb", "itlb", mmu.itlb);
  tlb("Dtlb", "dtlb", mmu.dtlb);
  auto bit = [](bool b) { return b ? std::string("1'b1") : std::string("1'b0"); };
  params.push_back("-GL2En=" + bit(mmu.l2tlb_enabled));
  if (mmu.l2tlb_enabled) tlb("L2", "l2tlb", mmu.l2tlb);
  params.push_back("-GPwcEn=" + bit(walker.pwc_enabled));
  if (walker.pwc_enabled) {
    params.push_back("-GPwcPerLevel=" + bit(walker.pwc_per_level));
    params.push_back("-GPwcSets=" + std::to_string(walker.pwc_sets));
    params.push_back("-GPwcWays=" + std::to_string(walker.pwc_ways));
    params.push_back("-GPwcPolicy=" + std::to_string(policy("mmu.pwc.policy", walker.pwc_policy)));
    params.push_back("-GPwcFlushOnVaFence=" + bit(walker.pwc_flush_on_va_fence));
  }
  params.push_back("-GAsidBits=" + std::to_string(mmu.asid_bits));
  problems.raise();
  g->itlb_ways = mmu.itlb.ways;
  g->dtlb_ways = mmu.dtlb.ways;
  g->l2tlb_ways = mmu.l2tlb.ways;
  g->l2tlb = mmu.l2tlb_enabled;
  return params;
}

std::string rtl_cache_dir(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* env = std::getenv("SV39SIM_RTL_CACHE"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.cache/sv39sim/rtl";
}

std::string build_rtl(const RtlSource& src, const std::vector<std::string>& params,
                      const std::string& cache_dir, const std::string& source_dir) {
  if (src.files.empty()) throw InputError("rtl_check.sources: no RTL source files");
  std::string key_text = src.top + "\n" + std::to_string(SV39SIM_RTL_ABI) + "\n";
  for (const std::string& p : params) key_text += p + "\n";
  for (const std::string& f : src.files) {
    if (!exists(f)) throw InputError(f + ": RTL source file not found");
    key_text += f + "\n" + read_all(f);
  }
  // The shim is part of what is built.
  for (const char* f : {"/testbench/rtl/shim/CMakeLists.txt", "/testbench/rtl/shim/RtlShim.cpp",
                        "/testbench/rtl/shim/gen_ports.py", "/testbench/rtl/RtlAbi.h"})
    key_text += read_all(source_dir + f);
  char key[17];
  std::snprintf(key, sizeof key, "%016llx", static_cast<unsigned long long>(fnv(key_text)));
  const std::string dir = cache_dir + "/" + key;
  const std::string so = dir + "/rtl.so";
  if (exists(so)) return so;

  mkdirs(dir);
  // Another sv39sim (a parallel test, a sweep point) may be building the same model: one builds, the
  // others wait for it and then find it built.
  const int lock = ::open((dir + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (lock < 0) throw InputError(dir + ": cannot use the RTL cache folder (rtl_check.cache)");
  struct Unlock {
    int fd;
    ~Unlock() { ::close(fd); }
  } unlock{lock};
  while (::flock(lock, LOCK_EX) != 0)
    if (errno != EINTR) throw InputError(dir + ": cannot lock the RTL cache folder (rtl_check.cache)");
  if (exists(so)) return so;
  const std::string log = dir + "/build.log";
  std::string files, args;
  for (const std::string& f : src.files) files += (files.empty() ? "" : ";") + f;
  for (const std::string& p : params) args += (args.empty() ? "" : ";") + p;
  std::fprintf(stderr, "sv39sim: building the RTL (%s, %zu parameters) into %s ...\n", src.top.c_str(),
               params.size(), dir.c_str());
  const std::string bdir = dir + "/build";
  int rc =
      run_logged({"cmake", "-S", source_dir + "/testbench/rtl/shim", "-B", bdir, "-DRTL_SOURCES=" + files,
                  "-DRTL_TOP=" + src.top, "-DRTL_ARGS=" + args, "-DSV39SIM_SOURCE_DIR=" + source_dir},
                 log);
  if (rc == 0) rc = run_logged({"cmake", "--build", bdir, "-j", "2"}, log);
  if (rc != 0 || !exists(bdir + "/rtl.so"))
    throw InputError("building the RTL failed (log: " + log + "):\n" + tail(log, 15));
  // Renamed into place last: a half-built object is never found as built.
  if (std::rename((bdir + "/rtl.so").c_str(), so.c_str()) != 0)
    throw InputError(so + ": cannot move the built RTL into the cache");
  return so;
}

}  // namespace sv39sim::rtl
