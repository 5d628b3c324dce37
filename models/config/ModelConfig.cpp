#include "models/config/ModelConfig.h"

#include <sys/stat.h>

#include <algorithm>
#include <functional>

#include "models/arch/Csr.h"

namespace sv39sim {

namespace {

ReplacementPolicy policy_of(const Config& cfg, const std::string& key) {
  ReplacementPolicy p = ReplacementPolicy::Lru;
  parse_replacement_policy(cfg.get_string(key), &p);  // the schema only admits valid names
  return p;
}

// Each structure draws its own random stream from sim.seed.
uint64_t seed_for(const Config& cfg, unsigned stream) {
  return cfg.get_uint("sim.seed") * 8 + stream;
}

// Runs build(problems) and throws what it found, if anything.
template <typename T>
T built(const std::function<T(Problems*)>& build) {
  Problems problems;
  T t = build(&problems);
  problems.raise();
  return t;
}

// Geometry errors are config errors: reported against the first of `keys` the user set.
void check_geometry(const Config& cfg, const std::vector<std::string>& keys, unsigned sets, unsigned ways,
                    ReplacementPolicy p, Problems* problems) {
  const std::string why = check_set_assoc_geometry(sets, ways, p);
  if (!why.empty()) problems->add(cfg.error(cfg.blame(keys), why));
}

HartTiming build_hart_timing(const Config& cfg, Problems* problems) {
  HartTiming t;
  const uint64_t mhz = cfg.get_uint("hart.clock_mhz");
  t.clock_period_ps = 1000000 / mhz;
  if (t.clock_period_ps * mhz != 1000000) {
    problems->add(cfg.error("hart.clock_mhz",
                            "expected a frequency whose period is a whole number of "
                            "picoseconds (e.g. 1000, 2000, 500), got " +
                                std::to_string(mhz)));
  }
  t.quantum_ps = cfg.get_uint("sim.quantum");
  t.max_instructions = cfg.get_uint("sim.max_instructions");
  t.max_time_ps = cfg.get_uint("sim.max_time");
  return t;
}

TlbConfig build_tlb(const Config& cfg, const std::string& name, uint64_t seed, Problems* problems) {
  const std::string p = "mmu." + name + ".";
  TlbConfig t;
  t.name = name;
  t.sets = static_cast<unsigned>(cfg.get_uint(p + "sets"));
  t.ways = static_cast<unsigned>(cfg.get_uint(p + "ways"));
  t.policy = policy_of(cfg, p + "policy");
  t.seed = seed;
  t.latency = static_cast<unsigned>(cfg.get_uint(p + "latency"));
  const std::string& sp = cfg.get_string(p + "superpages");
  t.superpages = sp == "separate"   ? SuperpageMode::Separate
                 : sp == "splinter" ? SuperpageMode::Splinter
                                    : SuperpageMode::Main;
  t.superpage_entries = static_cast<unsigned>(cfg.get_uint(p + "superpage_entries"));
  check_geometry(cfg, {p + "sets", p + "ways", p + "policy"}, t.sets, t.ways, t.policy, problems);
  if (t.superpages == SuperpageMode::Separate)
    check_geometry(cfg, {p + "superpage_entries", p + "policy"}, 1, t.superpage_entries, t.policy, problems);
  return t;
}

MmuConfig build_mmu(const Config& cfg, Problems* problems) {
  MmuConfig m;
  m.itlb = build_tlb(cfg, "itlb", seed_for(cfg, 1), problems);
  m.dtlb = build_tlb(cfg, "dtlb", seed_for(cfg, 2), problems);
  m.l2tlb_enabled = cfg.get_bool("mmu.l2tlb.enabled");
  m.l2tlb = build_tlb(cfg, "l2tlb", seed_for(cfg, 3), problems);
  m.hardware_ad = cfg.get_string("mmu.ad_update") == "hardware";
  m.flush_on_satp_write = cfg.get_bool("mmu.flush_on_satp_write");
  m.asid_bits = static_cast<unsigned>(cfg.get_uint("mmu.asid_bits"));
  m.trap_misaligned = cfg.get_string("hart.misaligned") == "trap";
  m.fast_paths = cfg.get_bool("sim.fast_paths");
  return m;
}

WalkerConfig build_walker(const Config& cfg, Problems* problems) {
  WalkerConfig w;
  w.pwc_enabled = cfg.get_bool("mmu.pwc.enabled");
  w.pwc_per_level = cfg.get_bool("mmu.pwc.per_level");
  w.pwc_flush_on_va_fence = cfg.get_bool("mmu.pwc.flush_on_va_fence");
  w.pwc_sets = static_cast<unsigned>(cfg.get_uint("mmu.pwc.sets"));
  w.pwc_ways = static_cast<unsigned>(cfg.get_uint("mmu.pwc.ways"));
  w.pwc_policy = policy_of(cfg, "mmu.pwc.policy");
  w.pwc_seed = seed_for(cfg, 4);
  w.step_cycles = static_cast<unsigned>(cfg.get_uint("mmu.walker.step_cycles"));
  if (w.pwc_enabled) {
    check_geometry(cfg, {"mmu.pwc.sets", "mmu.pwc.ways", "mmu.pwc.policy"}, w.pwc_sets, w.pwc_ways,
                   w.pwc_policy, problems);
  }
  return w;
}

CacheConfig build_cache(const Config& cfg, const std::string& name, uint64_t seed, Problems* problems) {
  const std::string p = "cache." + name + ".";
  CacheConfig c;
  c.enabled = cfg.get_bool(p + "enabled");
  c.size = cfg.get_uint(p + "size");
  c.ways = static_cast<unsigned>(cfg.get_uint(p + "ways"));
  c.line = static_cast<unsigned>(cfg.get_uint(p + "line"));
  c.policy = policy_of(cfg, p + "policy");
  c.latency = static_cast<unsigned>(cfg.get_uint(p + "latency"));
  c.seed = seed;
  if (c.enabled) {
    const std::string why = check_cache_geometry(c);
    if (!why.empty())
      problems->add(cfg.error(cfg.blame({p + "size", p + "ways", p + "line", p + "policy"}), why));
  }
  return c;
}

struct TimingKey {
  const char* key;
  unsigned DramTimingParams::*field;
};
constexpr TimingKey kTimingKeys[] = {
    {"dram.CL", &DramTimingParams::CL},         {"dram.CWL", &DramTimingParams::CWL},
    {"dram.tRCD", &DramTimingParams::tRCD},     {"dram.tRP", &DramTimingParams::tRP},
    {"dram.tRAS", &DramTimingParams::tRAS},     {"dram.tRC", &DramTimingParams::tRC},
    {"dram.tCCD_S", &DramTimingParams::tCCD_S}, {"dram.tCCD_L", &DramTimingParams::tCCD_L},
    {"dram.tRRD_S", &DramTimingParams::tRRD_S}, {"dram.tRRD_L", &DramTimingParams::tRRD_L},
    {"dram.tFAW", &DramTimingParams::tFAW},     {"dram.tWR", &DramTimingParams::tWR},
    {"dram.tRTP", &DramTimingParams::tRTP},     {"dram.tWTR_S", &DramTimingParams::tWTR_S},
    {"dram.tWTR_L", &DramTimingParams::tWTR_L},
};

struct GeometryKey {
  const char* name;  // as validate() spells it, and the key's last part
  unsigned DramGeometry::*field;
};
constexpr GeometryKey kGeometryKeys[] = {
    {"channels", &DramGeometry::channels},
    {"ranks", &DramGeometry::ranks},
    {"bank_groups", &DramGeometry::bank_groups},
    {"banks_per_group", &DramGeometry::banks_per_group},
    {"rows", &DramGeometry::rows},
    {"columns", &DramGeometry::columns},
};

// Relations between DDR timing parameters that hold for every device (JEDEC DDR4, JESD79-4): a set of
// values that breaks one describes no DRAM, and the model's command scheduling would be meaningless.
void check_dram_relations(const Config& cfg, const DramConfig& d, Problems* problems) {
  const DramTimingParams& t = d.timing;
  auto rule = [&](bool holds, std::vector<std::string> keys, const std::string& why) {
    if (!holds) problems->add(cfg.error(cfg.blame(keys), why));
  };
  auto n = [](uint64_t v) { return std::to_string(v); };
  rule(t.tRC >= uint64_t{t.tRAS} + t.tRP, {"dram.tRAS", "dram.tRP", "dram.tRC"},
       "tRC = " + n(t.tRC) + " is less than tRAS + tRP = " + n(t.tRAS) + " + " + n(t.tRP) +
           " (a row stays open at least tRAS and is precharged in tRP before the bank's next ACT)");
  rule(t.tRAS >= t.tRCD, {"dram.tRCD", "dram.tRAS"},
       "tRAS = " + n(t.tRAS) + " is less than tRCD = " + n(t.tRCD) +
           " (a row cannot be closed before it can be read)");
  rule(t.tCCD_L >= t.tCCD_S, {"dram.tCCD_S", "dram.tCCD_L"},
       "tCCD_L = " + n(t.tCCD_L) + " is less than tCCD_S = " + n(t.tCCD_S) +
           " (the same bank group is never faster than another)");
  rule(t.tRRD_L >= t.tRRD_S, {"dram.tRRD_S", "dram.tRRD_L"},
       "tRRD_L = " + n(t.tRRD_L) + " is less than tRRD_S = " + n(t.tRRD_S) +
           " (the same bank group is never faster than another)");
  rule(t.tWTR_L >= t.tWTR_S, {"dram.tWTR_S", "dram.tWTR_L"},
       "tWTR_L = " + n(t.tWTR_L) + " is less than tWTR_S = " + n(t.tWTR_S) +
           " (the same bank group is never faster than another)");
  const unsigned burst_cycles = d.geometry.burst_length / 2;  // two beats per clock
  rule(t.tCCD_S >= burst_cycles, {"dram.tCCD_S"},
       "tCCD_S = " + n(t.tCCD_S) + " is less than one burst (BL" + n(d.geometry.burst_length) + " = " +
           n(burst_cycles) + " cycles on the data bus)");
}

// The preset supplies every value; a key the user set (origin other than "default") overrides it. The
// schema's defaults are the default preset's values, so with that preset both readings agree.
DramConfig build_dram(const Config& cfg, Problems* problems) {
  const std::string& preset = cfg.get_string("dram.preset");
  DramConfig d;
  if (preset != "ddr4_3200aa" || !dram_preset("DDR4_3200AA", &d)) {
    problems->add(cfg.error("dram.preset", "unknown preset"));
    return d;
  }
  const DramConfig base = d;
  auto set = [&cfg](const std::string& key) { return cfg.was_set(key); };
  for (const GeometryKey& g : kGeometryKeys) {
    const std::string key = std::string("dram.") + g.name;
    if (set(key)) d.geometry.*g.field = static_cast<unsigned>(cfg.get_uint(key));
  }
  if (set("dram.mapping")) d.geometry.mapping = cfg.get_string("dram.mapping");
  if (set("dram.page_policy")) parse_row_policy(cfg.get_string("dram.page_policy"), &d.row_policy);
  if (set("dram.tCK_ps")) d.timing.tCK_ps = cfg.get_uint("dram.tCK_ps");
  for (const TimingKey& t : kTimingKeys)
    if (set(t.key)) d.timing.*t.field = static_cast<unsigned>(cfg.get_uint(t.key));
  // tRFC and tREFI are datasheet times: convert them with the final tCK.
  const uint64_t trfc_ps =
      set("dram.tRFC") ? cfg.get_uint("dram.tRFC") : base.timing.tRFC * base.timing.tCK_ps;
  const uint64_t trefi_ps =
      set("dram.tREFI") ? cfg.get_uint("dram.tREFI") : base.timing.tREFI * base.timing.tCK_ps;
  d.timing.tRFC = ps_to_cycles(trfc_ps, d.timing.tCK_ps);
  d.timing.tREFI = ps_to_cycles(trefi_ps, d.timing.tCK_ps);

  const size_t before = problems->size();
  check_dram_relations(cfg, d, problems);
  if (problems->size() != before) return d;  // validate() would trip over the same values
  const std::string why = validate(d);
  if (!why.empty()) {
    std::string key = "dram.preset";
    for (const GeometryKey& g : kGeometryKeys)
      if (why.rfind(std::string("dram ") + g.name + " ", 0) == 0) key = std::string("dram.") + g.name;
    if (why.find("mapping") != std::string::npos) key = "dram.mapping";
    if (why.find("tREFI") != std::string::npos) key = cfg.blame({"dram.tREFI", "dram.tRFC", "dram.tCK_ps"});
    if (why.find("tCK") != std::string::npos) key = "dram.tCK_ps";
    problems->add(cfg.error(key, why));
  }
  return d;
}

MemoryHierarchyConfig build_memory_hierarchy(const Config& cfg, Problems* problems) {
  MemoryHierarchyConfig m;
  m.l1i = build_cache(cfg, "l1i", seed_for(cfg, 5), problems);
  m.l1d = build_cache(cfg, "l1d", seed_for(cfg, 6), problems);
  m.l2 = build_cache(cfg, "l2", seed_for(cfg, 7), problems);
  if (m.l2.enabled) {
    for (const CacheConfig* l1 : {&m.l1i, &m.l1d}) {
      if (l1->enabled && l1->line > m.l2.line) {
        problems->add(cfg.error(cfg.blame({"cache.l2.line", "cache.l1i.line", "cache.l1d.line"}),
                                "the L2 line (" + std::to_string(m.l2.line) +
                                    " bytes) must be at least the line of every enabled L1 (here " +
                                    std::to_string(l1->line) + " bytes)"));
        break;
      }
    }
  }
  m.controller.policy = cfg.get_string("memory.controller.policy") == "fcfs" ? SchedulingPolicy::Fcfs
                                                                             : SchedulingPolicy::FrFcfs;
  m.controller.row_hit_cap = static_cast<unsigned>(cfg.get_uint("memory.controller.row_hit_cap"));
  m.controller.write_watermark = static_cast<unsigned>(cfg.get_uint("memory.controller.write_watermark"));
  m.dram = build_dram(cfg, problems);
  const std::string& src = cfg.get_string("mmu.walker.pte_source");
  m.pte_source = src == "memory" ? PteSource::Memory : src == "l2" ? PteSource::L2 : PteSource::L1d;
  return m;
}

DiskTimingConfig build_disk_timing(const Config& cfg, Problems* problems) {
  DiskTimingConfig d;
  disk_preset(cfg.get_string("disk.preset"), &d);
  // A figure the user set wins over the preset; the rest come from the preset.
  auto take = [&](const char* key, uint64_t* field) {
    if (cfg.was_set(key)) *field = cfg.get_uint(key);
  };
  take("disk.read_latency", &d.read_ps);
  take("disk.write_latency", &d.write_ps);
  take("disk.bandwidth_mbps", &d.bandwidth_mbps);
  take("disk.hdd.rpm", &d.rpm);
  take("disk.hdd.track_to_track", &d.track_to_track_ps);
  take("disk.hdd.avg_seek", &d.avg_seek_ps);
  take("disk.hdd.full_stroke", &d.full_stroke_ps);
  take("disk.hdd.transfer_mbps", &d.transfer_mbps);
  take("disk.hdd.sectors_per_track", &d.sectors_per_track);
  if (d.hdd && !(d.track_to_track_ps < d.avg_seek_ps && d.avg_seek_ps < d.full_stroke_ps)) {
    problems->add(
        cfg.error(cfg.blame({"disk.hdd.avg_seek", "disk.hdd.track_to_track", "disk.hdd.full_stroke"}),
                  "expected disk.hdd.track_to_track < avg_seek < full_stroke"));
  }
  return d;
}

std::string build_boot_args(const Config& cfg, Problems* problems) {
  // The kernel takes its time slice in whole microseconds.
  const uint64_t slice_ps = cfg.get_uint("workload.timeslice");
  if (slice_ps % 1000000 != 0) {
    problems->add(cfg.error("workload.timeslice", "expected a whole number of microseconds, got " +
                                                      cfg.get_string("workload.timeslice")));
  }
  if (cfg.get_string("workload.run").empty()) return "";
  if (cfg.get_string("disk.image").empty())
    problems->add(cfg.error("workload.run", "needs a disk image (disk.image) to carry the boot arguments"));
  std::string text = "run=" + cfg.get_string("workload.run") + "\n";
  text += "frames=" + std::to_string(cfg.get_uint("workload.frames")) + "\n";
  text += "replacement=" + cfg.get_string("workload.replacement") + "\n";
  text += std::string("asids=") + (cfg.get_bool("workload.asids") ? "on" : "off") + "\n";
  if (cfg.get_uint("workload.asid_max") != 0)
    text += "asid_max=" + std::to_string(cfg.get_uint("workload.asid_max")) + "\n";
  text += "timeslice_us=" + std::to_string(slice_ps / 1000000) + "\n";
  text += "seed=" + std::to_string(cfg.get_uint("workload.seed")) + "\n";
  text += std::string("verbose=") + (cfg.get_bool("workload.verbose") ? "1" : "0") + "\n";
  if (text.size() + 1 > kBootArgsSize) {
    problems->add(cfg.error("workload.run", "the boot arguments take " + std::to_string(text.size() + 1) +
                                                " bytes; the boot block holds " +
                                                std::to_string(kBootArgsSize)));
  }
  return text;
}

// trace.waves.*: the window, its trigger (names resolved to codes here, so a typo fails before the run),
// the flight recorder and the size bound.
WaveWindowConfig build_wave_window(const Config& cfg, Problems* problems) {
  const std::string p = "trace.waves.";
  WaveWindowConfig w;
  w.start_ps = cfg.get_uint(p + "start");
  w.stop_ps = cfg.get_uint(p + "stop");
  w.start_instret = cfg.get_uint(p + "start_instret");
  w.stop_instret = cfg.get_uint(p + "stop_instret");
  if (w.stop_ps && w.stop_ps <= w.start_ps) {
    problems->add(cfg.error(p + "stop", "the window must end after it starts: " + cfg.get_string(p + "stop") +
                                            " is not after trace.waves.start (" +
                                            cfg.get_string(p + "start") + ")"));
  }
  if (w.stop_instret && w.stop_instret <= w.start_instret) {
    problems->add(cfg.error(p + "stop_instret",
                            "the window must end after it starts: " + cfg.get_string(p + "stop_instret") +
                                " is not above trace.waves.start_instret (" +
                                cfg.get_string(p + "start_instret") + ")"));
  }

  const std::string& fault = cfg.get_string(p + "trigger.fault");
  if (!fault.empty()) {
    std::vector<std::string> exceptions;  // index = cause; reserved codes stay empty
    for (uint64_t c = 0; c < 16; ++c) {
      const std::string name = cause::name(c);
      exceptions.push_back(name.rfind("reserved", 0) == 0 ? "" : name);
    }
    const std::vector<std::string>& kinds = pager_fault_kind_names();
    uint64_t n = 0;
    const auto exception = std::find(exceptions.begin(), exceptions.end(), fault);
    const auto kind = std::find(kinds.begin(), kinds.end(), fault);
    if (parse_uint(fault, &n) && n < exceptions.size() && !exceptions[n].empty()) {
      w.fault_cause = n;
    } else if (exception != exceptions.end()) {
      w.fault_cause = static_cast<uint64_t>(exception - exceptions.begin());
    } else if (kind != kinds.end()) {
      w.fault_kind = static_cast<uint8_t>(kind - kinds.begin());
    } else {
      std::vector<std::string> all;
      std::string list;
      for (const auto& names : {exceptions, kinds}) {
        for (const std::string& name : names) {
          if (name.empty()) continue;
          all.push_back(name);
          list += (list.empty() ? "" : ", ") + name;
        }
      }
      problems->add(cfg.error(p + "trigger.fault",
                              with_suggestion("unknown fault '" + fault + "'", fault, all) +
                                  "; expected an exception cause (0-15 but 10, 14) or one of " + list));
    }
  }
  const std::string& marker = cfg.get_string(p + "trigger.marker");
  if (!marker.empty()) {
    const std::vector<std::string>& names = pager_marker_names();
    const auto it = std::find(names.begin(), names.end(), marker);
    if (it != names.end()) {
      w.marker = static_cast<uint8_t>(it - names.begin());
    } else {
      std::string list;
      for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
      problems->add(cfg.error(p + "trigger.marker",
                              with_suggestion("unknown pager marker '" + marker + "'", marker, names) +
                                  "; expected one of " + list));
    }
    if (!fault.empty()) {
      problems->add(cfg.error(p + "trigger.marker",
                              "cannot be combined with trace.waves.trigger.fault: a fault "
                              "is its own event (a pager fault kind is a fault_end marker)"));
    }
  }
  w.pid = cfg.get_uint(p + "trigger.pid");
  w.va_lo = cfg.get_uint(p + "trigger.va_lo");
  w.va_hi = cfg.get_uint(p + "trigger.va_hi");
  if (w.va_hi && w.va_lo >= w.va_hi) {
    problems->add(cfg.error(
        cfg.blame({p + "trigger.va_hi", p + "trigger.va_lo"}),
        "empty address range: trace.waves.trigger.va_lo (" + cfg.get_string(p + "trigger.va_lo") +
            ") must be below trace.waves.trigger.va_hi (" + cfg.get_string(p + "trigger.va_hi") + ")"));
  }
  for (const char* key : {"fault", "marker", "pid", "va_lo", "va_hi"}) {
    const std::string k = p + "trigger." + key;
    if (cfg.was_set(k) && cfg.get_string(k) != "" && cfg.get_string(k) != "0")
      w.trigger_text += (w.trigger_text.empty() ? "" : ", ") + std::string(key) + "=" + cfg.get_string(k);
  }
  w.duration_ps = cfg.get_uint(p + "trigger.duration");
  if (w.duration_ps && !w.has_trigger()) {
    problems->add(cfg.error(p + "trigger.duration",
                            "there is no trigger to time: set trace.waves.trigger.fault, "
                            ".marker, .pid or .va_lo/.va_hi"));
  }

  w.flight_recorder_ps = cfg.get_uint(p + "flight_recorder");
  w.flight_recorder_failure_only = cfg.get_string(p + "flight_recorder_when") == "failure";
  if (w.flight_recorder_failure_only && !w.flight_recorder_ps) {
    problems->add(cfg.error(p + "flight_recorder_when",
                            "applies to the flight recorder, which is off: set "
                            "trace.waves.flight_recorder (e.g. 100us)"));
  }
  w.max_bytes = cfg.get_uint(p + "max_bytes");
  return w;
}

// Guest RAM is handed out in 4 KiB pages.
void check_ram_size(const Config& cfg, Problems* problems) {
  const uint64_t size = cfg.get_uint("memory.ram_size");
  if (size % 4096 != 0) {
    problems->add(cfg.error(
        "memory.ram_size", "expected a whole number of 4 KiB pages, got " + std::to_string(size) + " bytes"));
  }
}

// A directory where a file is expected opens without error on Linux and fails only when read.
void check_input_files(const Config& cfg, Problems* problems) {
  for (const char* key : {"sim.elf", "sim.stdin", "disk.image"}) {
    const std::string& path = cfg.get_string(key);
    struct stat st {};
    if (!path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      problems->add(cfg.error(key, path + " is a directory, not a file"));
  }
}

}  // namespace

HartTiming hart_timing(const Config& cfg) {
  return built<HartTiming>([&](Problems* p) { return build_hart_timing(cfg, p); });
}
MmuConfig mmu_config(const Config& cfg) {
  return built<MmuConfig>([&](Problems* p) { return build_mmu(cfg, p); });
}
WalkerConfig walker_config(const Config& cfg) {
  return built<WalkerConfig>([&](Problems* p) { return build_walker(cfg, p); });
}
MemoryHierarchyConfig memory_hierarchy_config(const Config& cfg) {
  return built<MemoryHierarchyConfig>([&](Problems* p) { return build_memory_hierarchy(cfg, p); });
}
DiskTimingConfig disk_timing_config(const Config& cfg) {
  return built<DiskTimingConfig>([&](Problems* p) { return build_disk_timing(cfg, p); });
}
WaveWindowConfig wave_window_config(const Config& cfg) {
  return built<WaveWindowConfig>([&](Problems* p) { return build_wave_window(cfg, p); });
}
std::string boot_args(const Config& cfg) {
  return built<std::string>([&](Problems* p) { return build_boot_args(cfg, p); });
}

void check_config(const Config& cfg, Problems* problems) {
  build_hart_timing(cfg, problems);
  check_ram_size(cfg, problems);
  build_mmu(cfg, problems);
  build_walker(cfg, problems);
  build_memory_hierarchy(cfg, problems);
  build_disk_timing(cfg, problems);
  build_boot_args(cfg, problems);
  build_wave_window(cfg, problems);
  check_input_files(cfg, problems);
}

}  // namespace sv39sim
