// Every configuration key sv39sim knows, with its default and meaning. docs/config-reference.md is
// generated from this table (`sv39sim config-reference`), so the two cannot drift apart.
//
// A key that fills a field of a model's config struct takes its default from that struct's member default
// (or the default preset), so the numbers live in one place and a default-constructed struct in a unit
// test is the machine `sv39sim run` simulates. Keys no struct holds have their default here.
#include "models/config/Config.h"
#include "models/core/HartModule.h"
#include "models/devices/DiskTiming.h"
#include "models/mem/MemoryHierarchy.h"
#include "models/mem/Replacement.h"
#include "models/mmu/Mmu.h"
#include "models/mmu/PageTableWalker.h"
#include "models/trace/Timeline.h"
#include "models/trace/WaveWindow.h"

namespace sv39sim {

namespace {

std::string num(uint64_t v) {
  return std::to_string(v);
}
std::string flag(bool b) {
  return b ? "true" : "false";
}

// 32768 -> "32KiB": in the largest binary unit that divides it.
std::string size_text(uint64_t bytes) {
  const struct {
    uint64_t unit;
    const char* name;
  } units[] = {{1ull << 30, "GiB"}, {1ull << 20, "MiB"}, {1ull << 10, "KiB"}};
  for (const auto& u : units)
    if (bytes != 0 && bytes % u.unit == 0) return num(bytes / u.unit) + u.name;
  return num(bytes);
}

// 7800000 -> "7.8us": in the largest unit in which it takes at most three decimals.
std::string time_text(uint64_t ps) {
  if (ps == 0) return "0";
  const struct {
    uint64_t unit;
    const char* name;
  } units[] = {{1000000000000ull, "s"}, {1000000000, "ms"}, {1000000, "us"}, {1000, "ns"}};
  for (const auto& u : units) {
    if (ps < u.unit || ps % (u.unit / 1000) != 0) continue;
    std::string frac = num(1000 + ps % u.unit / (u.unit / 1000)).substr(1);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return num(ps / u.unit) + (frac.empty() ? "" : "." + frac) + u.name;
  }
  return num(ps) + "ps";
}

const char* superpage_mode_name(SuperpageMode m) {
  return m == SuperpageMode::Separate ? "separate" : m == SuperpageMode::Splinter ? "splinter" : "main";
}

// The keys every TLB has, under mmu.<name>.
void add_tlb_keys(std::vector<ParamSpec>* out, const std::string& name, const std::string& what,
                  const TlbConfig& defaults) {
  const std::string p = "mmu." + name + ".";
  out->push_back({p + "sets",
                  ParamKind::UInt,
                  num(defaults.sets),
                  what + " sets (power of two; 1 = fully associative).",
                  {},
                  1,
                  65536});
  out->push_back({p + "ways", ParamKind::UInt, num(defaults.ways), what + " ways.", {}, 1, 1024});
  out->push_back({p + "policy", ParamKind::Choice, replacement_policy_name(defaults.policy),
                  what + " replacement: lru, plru (binary tree, "
                         "power-of-two ways), fifo, random (seeded by sim.seed).",
                  replacement_policy_names()});
  out->push_back({p + "latency",
                  ParamKind::UInt,
                  num(defaults.latency),
                  what + " lookup latency in cycles. A hit in an "
                         "L1 TLB is pipelined (no stall); the latency is paid when the lookup misses.",
                  {},
                  0,
                  1000});
  out->push_back(
      {p + "superpages",
       ParamKind::Choice,
       superpage_mode_name(defaults.superpages),
       what + " superpages (2 MiB, 1 GiB): in the "
              "main array (each size probed at its own index), in a separate fully associative array, or "
              "splintered into 4 KiB entries.",
       {"main", "separate", "splinter"}});
  out->push_back({p + "superpage_entries",
                  ParamKind::UInt,
                  num(defaults.superpage_entries),
                  what + " separate superpage array size "
                         "(superpages: separate).",
                  {},
                  1,
                  1024});
}

// The keys every cache has, under cache.<name>.
void add_cache_keys(std::vector<ParamSpec>* out, const std::string& name, const std::string& what,
                    const CacheConfig& defaults, const std::string& latency_note) {
  const std::string p = "cache." + name + ".";
  out->push_back({p + "enabled", ParamKind::Bool, flag(defaults.enabled),
                  what + " present; when disabled its requests go to the next level."});
  out->push_back({p + "size",
                  ParamKind::Size,
                  size_text(defaults.size),
                  what + " capacity in bytes; size / (ways x line) must be a power of two.",
                  {},
                  64,
                  1ull << 30});
  out->push_back({p + "ways", ParamKind::UInt, num(defaults.ways), what + " ways.", {}, 1, 1024});
  out->push_back({p + "line",
                  ParamKind::UInt,
                  num(defaults.line),
                  what + " line size in bytes (power of two).",
                  {},
                  4,
                  4096});
  out->push_back(
      {p + "policy", ParamKind::Choice, replacement_policy_name(defaults.policy),
       what + " replacement: lru, plru (binary tree, power-of-two ways), fifo, random (seeded by sim.seed).",
       replacement_policy_names()});
  out->push_back(
      {p + "latency",
       ParamKind::UInt,
       num(defaults.latency),
       what + " hit latency in hart cycles, also paid before a miss goes on to the next level" + latency_note,
       {},
       0,
       1000});
}

// DDR4 timing parameters in DRAM clock cycles (tCK); defaults are DDR4-3200AA.
void add_dram_cycle_key(std::vector<ParamSpec>* out, const char* name, unsigned value,
                        const std::string& what) {
  out->push_back({std::string("dram.") + name,
                  ParamKind::UInt,
                  num(value),
                  what + " in tCK cycles (default: the preset's value).",
                  {},
                  1,
                  1000000});
}

std::vector<ParamSpec> build_schema();

}  // namespace

const std::vector<ParamSpec>& config_schema() {
  static const std::vector<ParamSpec> kSchema = build_schema();
  return kSchema;
}

namespace {

std::vector<ParamSpec> build_schema() {
  const HartTiming hart;
  const MmuConfig mmu;
  const WalkerConfig walker;
  const MemoryHierarchyConfig mem;
  const DramConfig dram = ddr4_3200aa();
  const DramTimingParams& dt = dram.timing;
  DiskTimingConfig disk, ssd;
  const TimelineConfig timeline;
  const WaveWindowConfig waves;
  disk_preset("nvme", &disk);
  disk_preset("sata_ssd", &ssd);
  std::vector<ParamSpec> schema = {
      {"sim.elf", ParamKind::String, "",
       "Firmware ELF to run; empty runs the built-in hello firmware. "
       "A relative path is taken relative to the config file that sets it."},
      {"sim.max_instructions", ParamKind::UInt, num(hart.max_instructions),
       "Stop (exit 3) after this many instructions, retired or trapped (a hart stuck in a trap loop still "
       "reaches it); 0 = no limit."},
      {"sim.max_time", ParamKind::Time, time_text(hart.max_time_ps),
       "Stop (exit 3) when simulated time reaches this; 0 = no limit."},
      {"sim.quantum",
       ParamKind::Time,
       time_text(hart.quantum_ps),
       "Loosely-timed quantum: how far the hart may run ahead of "
       "SystemC time before it synchronises. Larger is faster; device events are seen at quantum edges.",
       {},
       1000,
       1000000000000ull},
      {"sim.fast_paths", ParamKind::Bool, flag(mmu.fast_paths),
       "false forces the slow, obviously-correct paths: every fetch, load and store translated in full "
       "and looked up in the caches in full, every instruction fetched from RAM and decoded. Statistics "
       "are identical either way (the equivalence test checks it); only host speed differs."},
      {"sim.seed", ParamKind::UInt, "1",
       "Seed of every random replacement policy (each structure derives "
       "its own stream from it)."},
      {"sim.stdin", ParamKind::String, "", "File fed to the UART receiver; empty reads the process's stdin."},
      {"hart.clock_mhz",
       ParamKind::UInt,
       num(1000000 / hart.clock_period_ps),
       "Hart clock in MHz (one instruction per cycle in Bare mode).",
       {},
       1,
       100000},
      {"hart.misaligned",
       ParamKind::Choice,
       mmu.trap_misaligned ? "trap" : "perform",
       "Misaligned loads/stores: perform them in hardware, "
       "or trap with address-misaligned (causes 4/6). AMOs and LR/SC always trap.",
       {"perform", "trap"}},
      {"hart.icache_coherent", ParamKind::Bool, flag(HartConfig{}.icache_coherent),
       "true: instruction fetches see every store and DMA write at once, as on QEMU and Spike (the decode "
       "cache stays invisible). false models a non-coherent instruction cache: a RAM page keeps the "
       "contents it had at its first fetch after FENCE.I until the next FENCE.I (at most 512 pages; "
       "beyond that it starts over as FENCE.I would)."},
      {"hart.sstc", ParamKind::Bool, flag(HartConfig{}.sstc),
       "The Sstc extension, as QEMU's virt machine has it: the stimecmp CSR (0x14d) and menvcfg.STCE, "
       "so S-mode programs its own timer interrupt (STIP follows time >= stimecmp while STCE=1). false "
       "makes stimecmp an illegal CSR and STCE read-only zero (QEMU's -cpu rv64,sstc=false)."},
      {"memory.ram_size",
       ParamKind::Size,
       "128MiB",
       "DRAM size at 0x80000000. Backed lazily: only touched "
       "pages take host memory.",
       {},
       4096,
       64ull << 30},
      {"clint.timebase_hz",
       ParamKind::UInt,
       "10000000",
       "CLINT mtime frequency (QEMU virt uses 10 MHz).",
       {},
       1,
       1000000000},
      {"mmu.ad_update",
       ParamKind::Choice,
       mmu.hardware_ad ? "hardware" : "fault",
       "A/D bits: `hardware` sets them in the PTE atomically "
       "during the walk (Svadu behaviour); `fault` raises a page fault when A (or D for a store) is clear "
       "(Svade).",
       {"hardware", "fault"}},
      {"mmu.asid_bits", ParamKind::UInt, num(mmu.asid_bits),
       "ASIDLEN: how many satp.ASID bits are writable (the others read as zero; 0 = no ASIDs). The pager "
       "kernel probes it, and with fewer bits rolls its ASIDs over (and flushes) sooner.",
       {}, 0, 16},
      {"mmu.flush_on_satp_write", ParamKind::Bool, flag(mmu.flush_on_satp_write),
       "Flush every TLB and the page-walk cache on each satp "
       "write, modelling hardware without ASIDs (to measure the cost of a context switch)."},
      {"mmu.walker.step_cycles",
       ParamKind::UInt,
       num(walker.step_cycles),
       "Walker logic cycles per PTE step, on top of the memory "
       "access.",
       {},
       0,
       1000},
      {"mmu.pwc.enabled", ParamKind::Bool, flag(walker.pwc_enabled), "Page-walk cache of non-leaf PTEs."},
      {"mmu.pwc.per_level", ParamKind::Bool, flag(walker.pwc_per_level),
       "Separate arrays for level-2 and level-1 pointers (each of "
       "sets x ways), or one array shared by both."},
      {"mmu.pwc.flush_on_va_fence", ParamKind::Bool, flag(walker.pwc_flush_on_va_fence),
       "An SFENCE.VMA with rs1 != x0 also drops the cached pointers on that address's path. The privileged "
       "spec requires such a fence to order only leaf PTEs (a kernel that frees page-table pages fences with "
       "rs1 = x0), so the default keeps them."},
      {"mmu.pwc.sets",
       ParamKind::UInt,
       num(walker.pwc_sets),
       "Page-walk cache sets (power of two; 1 = fully associative).",
       {},
       1,
       65536},
      {"mmu.pwc.ways", ParamKind::UInt, num(walker.pwc_ways), "Page-walk cache ways.", {}, 1, 1024},
      {"mmu.pwc.policy", ParamKind::Choice, replacement_policy_name(walker.pwc_policy),
       "Page-walk cache replacement.", replacement_policy_names()},
      {"mmu.l2tlb.enabled", ParamKind::Bool, flag(mmu.l2tlb_enabled),
       "Unified second-level TLB behind the I-TLB and D-TLB."},
      {"disk.image", ParamKind::String, "",
       "Disk image behind the virtio-blk device at 0x10001000 (PLIC irq 1); "
       "empty: the slot holds no device. Never modified: guest writes stay in memory. A relative path is "
       "taken relative to the config file that sets it."},
      {"disk.preset",
       ParamKind::Choice,
       "nvme",
       "Disk latency preset; the disk.* figures below default to it "
       "unless set.",
       {"nvme", "sata_ssd", "hdd"}},
      {"disk.read_latency", ParamKind::Time, time_text(disk.read_ps),
       "Flash: one 4 KiB random read (preset "
       "nvme " +
           time_text(disk.read_ps) + ", sata_ssd " + time_text(ssd.read_ps) + ")."},
      {"disk.write_latency", ParamKind::Time, time_text(disk.write_ps),
       "Flash: one 4 KiB random write (nvme " + time_text(disk.write_ps) + ", sata_ssd " +
           time_text(ssd.write_ps) + ")."},
      {"disk.bandwidth_mbps",
       ParamKind::UInt,
       num(disk.bandwidth_mbps),
       "Flash: MB/s for bytes beyond the "
       "first 4 KiB of a request (nvme " +
           num(disk.bandwidth_mbps) + ", sata_ssd " + num(ssd.bandwidth_mbps) + ").",
       {},
       1,
       1000000},
      {"disk.virtio.strict_features", ParamKind::Bool, "false",
       "true: the virtio-blk device refuses FEATURES_OK unless the driver accepted VIRTIO_F_VERSION_1 and "
       "no feature the device did not offer (virtio 1.1 allows a device to refuse). false: every feature "
       "set is accepted and bits not offered are dropped, as QEMU's modern virtio-mmio device does, so a "
       "driver that never acknowledges VERSION_1 still gets a working device."},
      {"disk.hdd.rpm", ParamKind::UInt, num(disk.rpm), "Hard disk spindle speed.", {}, 1, 100000},
      {"disk.hdd.track_to_track", ParamKind::Time, time_text(disk.track_to_track_ps),
       "Hard disk seek to the next track."},
      {"disk.hdd.avg_seek", ParamKind::Time, time_text(disk.avg_seek_ps),
       "Hard disk average seek between random tracks; with the "
       "other two seek figures it fixes the seek curve t2t + (full - t2t) * (d/tracks)^p."},
      {"disk.hdd.full_stroke", ParamKind::Time, time_text(disk.full_stroke_ps),
       "Hard disk seek across the whole disk."},
      {"disk.hdd.transfer_mbps",
       ParamKind::UInt,
       num(disk.transfer_mbps),
       "Hard disk media transfer rate (MB/s).",
       {},
       1,
       100000},
      {"disk.hdd.sectors_per_track",
       ParamKind::UInt,
       num(disk.sectors_per_track),
       "Hard disk 512-byte sectors per track.",
       {},
       1,
       1u << 24},
      {"workload.run", ParamKind::String, "",
       "Processes for the pager kernel: `prog args...; prog args...` "
       "(written into the disk's boot block as run=...); empty keeps the image's own arguments."},
      {"workload.frames",
       ParamKind::UInt,
       "512",
       "User frame pool of the pager kernel, in 4 KiB frames (the kernel's limits: 4 to 24576). At most "
       "(frames + 1) / 5 processes hold memory at once; the others wait their turn, and a fork beyond that "
       "fails, so every process can always get a frame.",
       {},
       4,
       24576},
      {"workload.replacement",
       ParamKind::Choice,
       "clock",
       "Pager page replacement: clock (second chance on A "
       "bits), fifo, random.",
       {"clock", "fifo", "random"}},
      {"workload.asids", ParamKind::Bool, "true",
       "Give each process its own ASID; false runs without ASIDs and "
       "flushes the TLBs on every switch."},
      {"workload.asid_max",
       ParamKind::UInt,
       "0",
       "Largest ASID the pager kernel hands out before recycling "
       "(flushing and starting over); 0 uses every ASID the hart has (16 bits). Small values exercise "
       "recycling.",
       {},
       0,
       65535},
      {"workload.timeslice",
       ParamKind::Time,
       "1ms",
       "Round-robin time slice of the pager kernel.",
       {},
       1000000,
       1000000000000ull},
      {"workload.seed", ParamKind::UInt, "1", "Seed of the pager kernel's random replacement."},
      {"workload.verbose", ParamKind::Bool, "false", "Pager kernel logs every fault."},
      {"trace.waves.enabled", ParamKind::Bool, "false",
       "Record the event stream as an FST waveform (GTKWave) in waves.fst of the output folder (--out)."},
      // Which part of the stream goes into waves.fst (models/trace/WaveWindow.h).
      {"trace.waves.start", ParamKind::Time, time_text(waves.start_ps),
       "Waves: write only events at or after this simulated time."},
      {"trace.waves.stop", ParamKind::Time, time_text(waves.stop_ps),
       "Waves: write only events before this simulated time; 0 = to the end."},
      {"trace.waves.start_instret", ParamKind::UInt, num(waves.start_instret),
       "Waves: write only events at or after this many retired instructions."},
      {"trace.waves.stop_instret", ParamKind::UInt, num(waves.stop_instret),
       "Waves: write only events before this many retired instructions; 0 = to the end."},
      {"trace.waves.trigger.fault", ParamKind::String, "",
       "Waves trigger: a fault of this cause. A hart exception by name (load_page_fault, store_page_fault, "
       "fetch_page_fault, load_access, illegal_instruction, ...) or number, seen as its Fault or TrapEnter "
       "event; or a pager fault kind (zero, cow, ad, spurious, swapcache, file, swapin, bad), seen as its "
       "fault_end marker. The window opens at the first event that meets every trace.waves.trigger.* "
       "criterion set (and lies within start/stop): nothing before it is written."},
      {"trace.waves.trigger.marker", ParamKind::String, "",
       "Waves trigger: a pager marker by name (firmware/kernel/abi.h: context_switch, fault_begin, "
       "fault_end, victim, swap_submit, swap_complete, process_create, process_exit, process_kill, "
       "syscall_enter, syscall_exit)."},
      {"trace.waves.trigger.pid", ParamKind::UInt, num(waves.pid),
       "Waves trigger: an event of this pager process, 0 = any: a marker with this pid, or any other "
       "event while the process runs (after a context_switch marker to it)."},
      {"trace.waves.trigger.va_lo", ParamKind::UInt, num(waves.va_lo),
       "Waves trigger: an event whose virtual address (TLB, page-walk cache, walker, fault, sfence, "
       "pager fault and victim markers) is at least this."},
      {"trace.waves.trigger.va_hi", ParamKind::UInt, num(waves.va_hi),
       "Waves trigger: ... and below this; 0 = no upper end (and with va_lo 0: no address criterion)."},
      {"trace.waves.trigger.duration", ParamKind::Time, time_text(waves.duration_ps),
       "Waves: how long the window stays open after the trigger; 0 = to the end."},
      {"trace.waves.flight_recorder", ParamKind::Time, time_text(waves.flight_recorder_ps),
       "Waves flight recorder: hold only the last this-long (simulated) of events in memory and write them "
       "when the run ends (see flight_recorder_when), or when it stops by an internal error; 0 = off. "
       "Memory: about 100 bytes per event, some 25MB per 100us of the pager kernel fully traced, and never "
       "more than trace.waves.max_bytes (the oldest events go first; a note in the file says where it "
       "starts)."},
      {"trace.waves.flight_recorder_when",
       ParamKind::Choice,
       waves.flight_recorder_failure_only ? "failure" : "always",
       "Waves flight recorder: write at every end, or only when the run failed (exit status not pass, "
       "or the pager killed a process).",
       {"always", "failure"}},
      {"trace.waves.max_bytes",
       ParamKind::Size,
       size_text(waves.max_bytes),
       "Waves: largest waves.fst. Once the file would pass it, recording stops with a warning, and the "
       "file's sv39sim.window signal says it was truncated. About 48KiB of it is kept for the file's own "
       "hierarchy and for closing it.",
       {},
       WaveWindowConfig::kMinMaxBytes,
       1ull << 40},
      {"trace.timeline.enabled", ParamKind::Bool, flag(timeline.enabled),
       "Write a vmstat-like time series of the run to timeline.csv (system totals per interval) and "
       "timeline_pid.csv (per interval and process) in the output folder (--out)."},
      {"trace.timeline.interval",
       ParamKind::Time,
       time_text(timeline.interval_ps),
       "Simulated time per row of the timeline (at least 1us: shorter would make millions of rows).",
       {},
       TimelineConfig::kMinIntervalPs,
       1000000000000000ull},
      {"trace.events.enabled", ParamKind::Bool, "false",
       "Write the MMU's event stream (TLB lookups, fills and drops; page-walk-cache probes, fills and drops; "
       "walks with their PTE reads and A/D writes; fences, satp writes, translations) with the effective "
       "config to events.gz in the output folder (--out), for `sv39sim rtl-check --replay`."},
      {"rtl_check.enabled", ParamKind::Bool, "false",
       "Check the RTL (hw/, or rtl_check.sources) against the model in lockstep during the run: every "
       "transaction, field by field; the run stops at the first mismatch with exit status 5 and a report "
       "(docs/rtl-cross-check.md). The RTL is built for this config's TLB and page-walk-cache keys."},
      {"rtl_check.sources", ParamKind::String, "",
       "RTL to check: SystemVerilog files separated by spaces, packages first; empty = the project's own "
       "(hw/common, hw/tlb, hw/walker, hw/top)."},
      {"rtl_check.top", ParamKind::String, "sv39_mmu", "RTL to check: its top module."},
      {"rtl_check.defines", ParamKind::String, "",
       "RTL to check: Verilog defines for its build, NAME or NAME=VALUE separated by spaces (hw/ has "
       "SV39_MUT_* defines that build deliberate bugs, for mutation tests)."},
      {"rtl_check.cache", ParamKind::String, "",
       "Folder of built RTL models (one per parameter set and source); empty = $SV39SIM_RTL_CACHE, else "
       "~/.cache/sv39sim/rtl."},
      {"rtl_check.context", ParamKind::UInt, "8",
       "RTL check: transactions listed before the mismatch in its report.", {}, 0, 1000},
      {"rtl_check.max_cycles", ParamKind::UInt, "10000",
       "RTL check: cycles the RTL may take for one transaction before it counts as hung.", {}, 1,
       1000000000},
      {"rtl_check.waves", ParamKind::Bool, "true",
       "RTL check: after a mismatch, run again to write waves of both sides around it (rtl.fst and "
       "model.fst in <out>/rtl-mismatch/)."},
      {"rtl_check.waves_before", ParamKind::UInt, "16",
       "RTL check: transactions before the mismatch that its waves show.", {}, 0, 1000000},
      {"rtl_check.trace_from", ParamKind::UInt, "0",
       "RTL check: write rtl.fst and model.fst into the output folder from this transaction on (1-based; "
       "0 = never). The re-run after a mismatch sets it."},
      {"boot.mode",
       ParamKind::Choice,
       "qemu",
       "How the hart starts. qemu: as QEMU's virt machine boots -bios none -kernel ELF: a device tree of "
       "this platform in RAM (2 MiB-aligned, 1 MiB or more below the end of RAM or of the first 3 GiB), the "
       "reset ROM at 0x1000, and at the ELF entry a0 = hart id (0), a1 = the device tree's address, a2 = the "
       "ROM's fw_dynamic_info, t0 = the entry. bare: no device tree and no ROM, every register zero.",
       {"qemu", "bare"}},
      {"boot.bootargs", ParamKind::String, "",
       "The device tree's /chosen bootargs (QEMU's -append); empty: no bootargs property."},
      {"plic.gateway",
       ParamKind::Choice,
       "qemu",
       "How a PLIC gateway turns a device's interrupt line into pending requests. qemu: as QEMU's PLIC, a "
       "source becomes pending each time its device asserts the line (raises it, or signals again while it "
       "is high: the 16550 does so when THR is written, RBR read or IER changed) and stops when the line "
       "drops or a claim takes it; a completion does not look at the line again. level: strict "
       "level-triggered gateways, a source pending whenever its line is high and it is not being serviced, "
       "so a completion with the line still high makes it pending again at once.",
       {"qemu", "level"}},
      {"uart.rx_poll",
       ParamKind::Time,
       "100us",
       "How often the UART receiver checks its input for new bytes.",
       {},
       1000000,
       1000000000000ull},
  };
  add_tlb_keys(&schema, "itlb", "I-TLB", mmu.itlb);
  add_tlb_keys(&schema, "dtlb", "D-TLB", mmu.dtlb);
  add_tlb_keys(&schema, "l2tlb", "L2 TLB", mmu.l2tlb);
  schema.push_back(
      {"mmu.walker.pte_source",
       ParamKind::Choice,
       mem.pte_source == PteSource::Memory ? "memory"
       : mem.pte_source == PteSource::L2   ? "l2"
                                           : "l1d",
       "Where page-table-walker PTE reads and updates enter the memory hierarchy: the L1 data cache, the L2, "
       "or the memory controller; a disabled cache passes them to the next level.",
       {"l1d", "l2", "memory"}});
  add_cache_keys(&schema, "l1i", "L1 instruction cache", mem.l1i,
                 " (1 = pipelined: a hit does not stall the hart).");
  add_cache_keys(&schema, "l1d", "L1 data cache", mem.l1d, ".");
  add_cache_keys(&schema, "l2", "Unified L2 cache (its line must be at least each enabled L1's)", mem.l2,
                 ".");
  schema.push_back(
      {"memory.controller.policy",
       ParamKind::Choice,
       mem.controller.policy == SchedulingPolicy::Fcfs ? "fcfs" : "frfcfs",
       "Memory request scheduling: fcfs (oldest first) or frfcfs (requests to open rows first, then oldest).",
       {"fcfs", "frfcfs"}});
  schema.push_back({"memory.controller.row_hit_cap",
                    ParamKind::UInt,
                    num(mem.controller.row_hit_cap),
                    "FR-FCFS: after this many consecutive row hits issued ahead of an older request, issue "
                    "the oldest; 0 = no cap.",
                    {},
                    0,
                    1024});
  schema.push_back({"memory.controller.write_watermark",
                    ParamKind::UInt,
                    num(mem.controller.write_watermark),
                    "Posted write-backs wait until this many are queued, then all queued writes compete with "
                    "reads until none is left; 1 = each write competes from its arrival.",
                    {},
                    1,
                    1024});
  schema.push_back({"dram.preset",
                    ParamKind::Choice,
                    "ddr4_3200aa",
                    "DRAM device whose geometry and timing every dram.* key defaults to; a dram.* key that "
                    "is set overrides the preset.",
                    {"ddr4_3200aa"}});
  schema.push_back({"dram.channels",
                    ParamKind::UInt,
                    num(dram.geometry.channels),
                    "DRAM channels (power of two).",
                    {},
                    1,
                    64});
  schema.push_back({"dram.ranks",
                    ParamKind::UInt,
                    num(dram.geometry.ranks),
                    "Ranks per channel (power of two).",
                    {},
                    1,
                    64});
  schema.push_back({"dram.bank_groups",
                    ParamKind::UInt,
                    num(dram.geometry.bank_groups),
                    "Bank groups per rank (power of two).",
                    {},
                    1,
                    64});
  schema.push_back({"dram.banks_per_group",
                    ParamKind::UInt,
                    num(dram.geometry.banks_per_group),
                    "Banks per bank group (power of two).",
                    {},
                    1,
                    64});
  schema.push_back({"dram.rows",
                    ParamKind::UInt,
                    num(dram.geometry.rows),
                    "Rows per bank (power of two).",
                    {},
                    1,
                    1u << 24});
  schema.push_back(
      {"dram.columns",
       ParamKind::UInt,
       num(dram.geometry.columns),
       "Columns per row (power of two; one column is one 8-byte beat, a 64-byte access is a burst of 8).",
       {},
       8,
       1u << 20});
  schema.push_back(
      {"dram.mapping", ParamKind::String, dram.geometry.mapping,
       "Physical-to-DRAM address mapping, fields from most to least significant: Ro row, Ba bank, Bg bank "
       "group (optional; without it the low Ba bits pick the group), Ra rank, Co column, Ch channel."});
  schema.push_back({"dram.page_policy",
                    ParamKind::Choice,
                    dram.row_policy == RowPolicy::Closed ? "closed" : "open",
                    "Row buffer policy: open (rows stay open until a conflict or refresh) or closed "
                    "(auto-precharge after every access).",
                    {"open", "closed"}});
  schema.push_back({"dram.tCK_ps",
                    ParamKind::UInt,
                    num(dt.tCK_ps),
                    "DRAM clock period in picoseconds (default: the preset's value).",
                    {},
                    1,
                    100000});
  add_dram_cycle_key(&schema, "CL", dt.CL, "CAS (read) latency");
  add_dram_cycle_key(&schema, "CWL", dt.CWL, "CAS write latency");
  add_dram_cycle_key(&schema, "tRCD", dt.tRCD, "ACT to RD/WR delay");
  add_dram_cycle_key(&schema, "tRP", dt.tRP, "PRE to ACT delay (row precharge)");
  add_dram_cycle_key(&schema, "tRAS", dt.tRAS, "ACT to PRE minimum");
  add_dram_cycle_key(&schema, "tRC", dt.tRC, "ACT to ACT minimum in one bank");
  add_dram_cycle_key(&schema, "tCCD_S", dt.tCCD_S, "Column to column delay, different bank groups");
  add_dram_cycle_key(&schema, "tCCD_L", dt.tCCD_L, "Column to column delay, same bank group");
  add_dram_cycle_key(&schema, "tRRD_S", dt.tRRD_S, "ACT to ACT delay, different bank groups");
  add_dram_cycle_key(&schema, "tRRD_L", dt.tRRD_L, "ACT to ACT delay, same bank group");
  add_dram_cycle_key(&schema, "tFAW", dt.tFAW, "Window in which at most four ACTs may issue");
  add_dram_cycle_key(&schema, "tWR", dt.tWR, "Write recovery, end of write data to PRE");
  add_dram_cycle_key(&schema, "tRTP", dt.tRTP, "RD to PRE delay");
  add_dram_cycle_key(&schema, "tWTR_S", dt.tWTR_S, "End of write data to RD, different bank groups");
  add_dram_cycle_key(&schema, "tWTR_L", dt.tWTR_L, "End of write data to RD, same bank group");
  schema.push_back({"dram.tRFC",
                    ParamKind::Time,
                    time_text(uint64_t{dt.tRFC} * dt.tCK_ps),
                    "Refresh cycle time: a rank is busy this long per REF (rounded up to whole tCK; default: "
                    "the preset's value).",
                    {},
                    1000,
                    100000000});
  schema.push_back(
      {"dram.tREFI",
       ParamKind::Time,
       time_text(uint64_t{dt.tREFI} * dt.tCK_ps),
       "Average refresh interval (rounded up to whole tCK; 0 = no refresh; default: the preset's value).",
       {},
       0,
       1000000000});
  return schema;
}

}  // namespace

}  // namespace sv39sim
