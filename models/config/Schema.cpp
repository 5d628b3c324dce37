// Every configuration key sv39sim knows, with its default and meaning. docs/config-reference.md is
// generated from this table (`sv39sim config-reference`), so the two cannot drift apart.
#include "models/config/Config.h"
#include "models/mem/Replacement.h"

namespace sv39sim {

namespace {

// The keys every TLB has, under mmu.<name>.
void add_tlb_keys(std::vector<ParamSpec>* out, const std::string& name, const std::string& what,
                  const char* sets, const char* ways, const char* latency) {
  const std::string p = "mmu." + name + ".";
  out->push_back({p + "sets",
                  ParamKind::UInt,
                  sets,
                  what + " sets (power of two; 1 = fully associative).",
                  {},
                  1,
                  65536});
  out->push_back({p + "ways", ParamKind::UInt, ways, what + " ways.", {}, 1, 1024});
  out->push_back({p + "policy", ParamKind::Choice, "lru",
                  what + " replacement: lru, plru (binary tree, "
                         "power-of-two ways), fifo, random (seeded by sim.seed).",
                  replacement_policy_names()});
  out->push_back({p + "latency",
                  ParamKind::UInt,
                  latency,
                  what + " lookup latency in cycles. A hit in an "
                         "L1 TLB is pipelined (no stall); the latency is paid when the lookup misses.",
                  {},
                  0,
                  1000});
  out->push_back(
      {p + "superpages",
       ParamKind::Choice,
       "main",
       what + " superpages (2 MiB, 1 GiB): in the "
              "main array (each size probed at its own index), in a separate fully associative array, or "
              "splintered into 4 KiB entries.",
       {"main", "separate", "splinter"}});
  out->push_back({p + "superpage_entries",
                  ParamKind::UInt,
                  "8",
                  what + " separate superpage array size "
                         "(superpages: separate).",
                  {},
                  1,
                  1024});
}

// The keys every cache has, under cache.<name>.
void add_cache_keys(std::vector<ParamSpec>* out, const std::string& name, const std::string& what,
                    const char* size, const char* ways, const char* latency,
                    const std::string& latency_note) {
  const std::string p = "cache." + name + ".";
  out->push_back({p + "enabled", ParamKind::Bool, "true",
                  what + " present; when disabled its requests go to the next level."});
  out->push_back({p + "size",
                  ParamKind::Size,
                  size,
                  what + " capacity in bytes; size / (ways x line) must be a power of two.",
                  {},
                  64,
                  1ull << 30});
  out->push_back({p + "ways", ParamKind::UInt, ways, what + " ways.", {}, 1, 1024});
  out->push_back(
      {p + "line", ParamKind::UInt, "64", what + " line size in bytes (power of two).", {}, 4, 4096});
  out->push_back(
      {p + "policy", ParamKind::Choice, "lru",
       what + " replacement: lru, plru (binary tree, power-of-two ways), fifo, random (seeded by sim.seed).",
       replacement_policy_names()});
  out->push_back(
      {p + "latency",
       ParamKind::UInt,
       latency,
       what + " hit latency in hart cycles, also paid before a miss goes on to the next level" + latency_note,
       {},
       0,
       1000});
}

// DDR4 timing parameters in DRAM clock cycles (tCK); defaults are DDR4-3200AA.
void add_dram_cycle_key(std::vector<ParamSpec>* out, const char* name, const char* value,
                        const std::string& what) {
  out->push_back({std::string("dram.") + name,
                  ParamKind::UInt,
                  value,
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
  std::vector<ParamSpec> schema = {
      {"sim.elf", ParamKind::String, "",
       "Firmware ELF to run; empty runs the built-in hello firmware. "
       "A relative path is taken relative to the config file that sets it."},
      {"sim.max_instructions", ParamKind::UInt, "0",
       "Stop (exit 3) after this many retired instructions; 0 = no limit."},
      {"sim.max_time", ParamKind::Time, "0", "Stop (exit 3) when simulated time reaches this; 0 = no limit."},
      {"sim.quantum",
       ParamKind::Time,
       "1us",
       "Loosely-timed quantum: how far the hart may run ahead of "
       "SystemC time before it synchronises. Larger is faster; device events are seen at quantum edges.",
       {},
       1000,
       1000000000000ull},
      {"sim.seed", ParamKind::UInt, "1",
       "Seed of every random replacement policy (each structure derives "
       "its own stream from it)."},
      {"sim.stdin", ParamKind::String, "", "File fed to the UART receiver; empty reads the process's stdin."},
      {"hart.clock_mhz",
       ParamKind::UInt,
       "1000",
       "Hart clock in MHz (one instruction per cycle in Bare mode).",
       {},
       1,
       100000},
      {"hart.misaligned",
       ParamKind::Choice,
       "perform",
       "Misaligned loads/stores: perform them in hardware, "
       "or trap with address-misaligned (causes 4/6). AMOs and LR/SC always trap.",
       {"perform", "trap"}},
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
       "hardware",
       "A/D bits: `hardware` sets them in the PTE atomically "
       "during the walk (Svadu behaviour); `fault` raises a page fault when A (or D for a store) is clear "
       "(Svade).",
       {"hardware", "fault"}},
      {"mmu.flush_on_satp_write", ParamKind::Bool, "false",
       "Flush every TLB and the page-walk cache on each satp "
       "write, modelling hardware without ASIDs (to measure the cost of a context switch)."},
      {"mmu.walker.step_cycles",
       ParamKind::UInt,
       "1",
       "Walker logic cycles per PTE step, on top of the memory "
       "access.",
       {},
       0,
       1000},
      {"mmu.pwc.enabled", ParamKind::Bool, "true", "Page-walk cache of non-leaf PTEs."},
      {"mmu.pwc.per_level", ParamKind::Bool, "false",
       "Separate arrays for level-2 and level-1 pointers (each of "
       "sets x ways), or one array shared by both."},
      {"mmu.pwc.sets",
       ParamKind::UInt,
       "8",
       "Page-walk cache sets (power of two; 1 = fully associative).",
       {},
       1,
       65536},
      {"mmu.pwc.ways", ParamKind::UInt, "4", "Page-walk cache ways.", {}, 1, 1024},
      {"mmu.pwc.policy", ParamKind::Choice, "lru", "Page-walk cache replacement.",
       replacement_policy_names()},
      {"mmu.l2tlb.enabled", ParamKind::Bool, "true", "Unified second-level TLB behind the I-TLB and D-TLB."},
      {"disk.image", ParamKind::String, "", "Disk image behind the virtio-blk device at 0x10001000 (PLIC irq 1); "
       "empty: the slot holds no device. Never modified: guest writes stay in memory. A relative path is "
       "taken relative to the config file that sets it."},
      {"disk.preset", ParamKind::Choice, "nvme", "Disk latency preset; the disk.* figures below default to it "
       "unless set.", {"nvme", "sata_ssd", "hdd"}},
      {"disk.read_latency", ParamKind::Time, "85us", "Flash: one 4 KiB random read (preset nvme 85us, sata_ssd "
       "110us)."},
      {"disk.write_latency", ParamKind::Time, "20us", "Flash: one 4 KiB random write (nvme 20us, sata_ssd 52us)."},
      {"disk.bandwidth_mbps", ParamKind::UInt, "3000", "Flash: MB/s for bytes beyond the first 4 KiB of a "
       "request (nvme 3000, sata_ssd 550).", {}, 1, 1000000},
      {"disk.hdd.rpm", ParamKind::UInt, "7200", "Hard disk spindle speed.", {}, 1, 100000},
      {"disk.hdd.track_to_track", ParamKind::Time, "1ms", "Hard disk seek to the next track."},
      {"disk.hdd.avg_seek", ParamKind::Time, "8.2ms", "Hard disk average seek between random tracks; with the "
       "other two seek figures it fixes the seek curve t2t + (full - t2t) * (d/tracks)^p."},
      {"disk.hdd.full_stroke", ParamKind::Time, "20ms", "Hard disk seek across the whole disk."},
      {"disk.hdd.transfer_mbps", ParamKind::UInt, "150", "Hard disk media transfer rate (MB/s).", {}, 1, 100000},
      {"disk.hdd.sectors_per_track", ParamKind::UInt, "1024", "Hard disk 512-byte sectors per track.", {}, 1,
       1u << 24},
      {"workload.run", ParamKind::String, "", "Processes for the pager kernel: `prog args...; prog args...` "
       "(written into the disk's boot block as run=...); empty keeps the image's own arguments."},
      {"workload.frames", ParamKind::UInt, "512", "User frame pool of the pager kernel, in 4 KiB frames.", {}, 4,
       1u << 24},
      {"workload.replacement", ParamKind::Choice, "clock", "Pager page replacement: clock (second chance on A "
       "bits), fifo, random.", {"clock", "fifo", "random"}},
      {"workload.asids", ParamKind::Bool, "true", "Give each process its own ASID; false runs without ASIDs and "
       "flushes the TLBs on every switch."},
      {"workload.asid_max", ParamKind::UInt, "0", "Largest ASID the pager kernel hands out before recycling "
       "(flushing and starting over); 0 uses every ASID the hart has (16 bits). Small values exercise "
       "recycling.", {}, 0, 65535},
      {"workload.timeslice", ParamKind::Time, "1ms", "Round-robin time slice of the pager kernel.", {}, 1000000,
       1000000000000ull},
      {"workload.seed", ParamKind::UInt, "1", "Seed of the pager kernel's random replacement."},
      {"workload.verbose", ParamKind::Bool, "false", "Pager kernel logs every fault."},
      {"uart.rx_poll",
       ParamKind::Time,
       "100us",
       "How often the UART receiver checks its input for new bytes.",
       {},
       1000000,
       1000000000000ull},
  };
  add_tlb_keys(&schema, "itlb", "I-TLB", "16", "4", "1");
  add_tlb_keys(&schema, "dtlb", "D-TLB", "16", "4", "1");
  add_tlb_keys(&schema, "l2tlb", "L2 TLB", "128", "12", "8");
  schema.push_back(
      {"mmu.walker.pte_source",
       ParamKind::Choice,
       "l1d",
       "Where page-table-walker PTE reads and updates enter the memory hierarchy: the L1 data cache, the L2, "
       "or the memory controller; a disabled cache passes them to the next level.",
       {"l1d", "l2", "memory"}});
  add_cache_keys(&schema, "l1i", "L1 instruction cache", "32KiB", "8", "1",
                 " (1 = pipelined: a hit does not stall the hart).");
  add_cache_keys(&schema, "l1d", "L1 data cache", "32KiB", "8", "4", ".");
  add_cache_keys(&schema, "l2", "Unified L2 cache (its line must be at least each enabled L1's)", "1MiB",
                 "16", "12", ".");
  schema.push_back(
      {"memory.controller.policy",
       ParamKind::Choice,
       "frfcfs",
       "Memory request scheduling: fcfs (oldest first) or frfcfs (requests to open rows first, then oldest).",
       {"fcfs", "frfcfs"}});
  schema.push_back({"memory.controller.row_hit_cap",
                    ParamKind::UInt,
                    "4",
                    "FR-FCFS: after this many consecutive row hits issued ahead of an older request, issue "
                    "the oldest; 0 = no cap.",
                    {},
                    0,
                    1024});
  schema.push_back({"memory.controller.write_watermark",
                    ParamKind::UInt,
                    "1",
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
  schema.push_back({"dram.channels", ParamKind::UInt, "1", "DRAM channels (power of two).", {}, 1, 64});
  schema.push_back({"dram.ranks", ParamKind::UInt, "1", "Ranks per channel (power of two).", {}, 1, 64});
  schema.push_back(
      {"dram.bank_groups", ParamKind::UInt, "4", "Bank groups per rank (power of two).", {}, 1, 64});
  schema.push_back(
      {"dram.banks_per_group", ParamKind::UInt, "4", "Banks per bank group (power of two).", {}, 1, 64});
  schema.push_back({"dram.rows", ParamKind::UInt, "65536", "Rows per bank (power of two).", {}, 1, 1u << 24});
  schema.push_back(
      {"dram.columns",
       ParamKind::UInt,
       "1024",
       "Columns per row (power of two; one column is one 8-byte beat, a 64-byte access is a burst of 8).",
       {},
       8,
       1u << 20});
  schema.push_back(
      {"dram.mapping", ParamKind::String, "RoBaRaCoCh",
       "Physical-to-DRAM address mapping, fields from most to least significant: Ro row, Ba bank, Bg bank "
       "group (optional; without it the low Ba bits pick the group), Ra rank, Co column, Ch channel."});
  schema.push_back({"dram.page_policy",
                    ParamKind::Choice,
                    "open",
                    "Row buffer policy: open (rows stay open until a conflict or refresh) or closed "
                    "(auto-precharge after every access).",
                    {"open", "closed"}});
  schema.push_back({"dram.tCK_ps",
                    ParamKind::UInt,
                    "625",
                    "DRAM clock period in picoseconds (default: the preset's value).",
                    {},
                    1,
                    100000});
  add_dram_cycle_key(&schema, "CL", "22", "CAS (read) latency");
  add_dram_cycle_key(&schema, "CWL", "16", "CAS write latency");
  add_dram_cycle_key(&schema, "tRCD", "22", "ACT to RD/WR delay");
  add_dram_cycle_key(&schema, "tRP", "22", "PRE to ACT delay (row precharge)");
  add_dram_cycle_key(&schema, "tRAS", "52", "ACT to PRE minimum");
  add_dram_cycle_key(&schema, "tRC", "74", "ACT to ACT minimum in one bank");
  add_dram_cycle_key(&schema, "tCCD_S", "4", "Column to column delay, different bank groups");
  add_dram_cycle_key(&schema, "tCCD_L", "8", "Column to column delay, same bank group");
  add_dram_cycle_key(&schema, "tRRD_S", "4", "ACT to ACT delay, different bank groups");
  add_dram_cycle_key(&schema, "tRRD_L", "8", "ACT to ACT delay, same bank group");
  add_dram_cycle_key(&schema, "tFAW", "34", "Window in which at most four ACTs may issue");
  add_dram_cycle_key(&schema, "tWR", "24", "Write recovery, end of write data to PRE");
  add_dram_cycle_key(&schema, "tRTP", "12", "RD to PRE delay");
  add_dram_cycle_key(&schema, "tWTR_S", "4", "End of write data to RD, different bank groups");
  add_dram_cycle_key(&schema, "tWTR_L", "12", "End of write data to RD, same bank group");
  schema.push_back({"dram.tRFC",
                    ParamKind::Time,
                    "350ns",
                    "Refresh cycle time: a rank is busy this long per REF (rounded up to whole tCK; default: "
                    "the preset's value).",
                    {},
                    1000,
                    100000000});
  schema.push_back(
      {"dram.tREFI",
       ParamKind::Time,
       "7.8us",
       "Average refresh interval (rounded up to whole tCK; 0 = no refresh; default: the preset's value).",
       {},
       0,
       1000000000});
  return schema;
}

}  // namespace

}  // namespace sv39sim
