// Every configuration key sv39sim knows, with its default and meaning. docs/config-reference.md is
// generated from this table (`sv39sim config-reference`), so the two cannot drift apart.
#include "models/config/Config.h"
#include "models/mem/Replacement.h"

namespace sv39sim {

namespace {

// The keys every TLB has, under mmu.<name>.
void add_tlb_keys(std::vector<ParamSpec>* out, const std::string& name, const std::string& what, const char* sets,
                  const char* ways, const char* latency) {
  const std::string p = "mmu." + name + ".";
  out->push_back({p + "sets", ParamKind::UInt, sets, what + " sets (power of two; 1 = fully associative).", {}, 1,
                  65536});
  out->push_back({p + "ways", ParamKind::UInt, ways, what + " ways.", {}, 1, 1024});
  out->push_back({p + "policy", ParamKind::Choice, "lru", what + " replacement: lru, plru (binary tree, "
                  "power-of-two ways), fifo, random (seeded by sim.seed).", replacement_policy_names()});
  out->push_back({p + "latency", ParamKind::UInt, latency, what + " lookup latency in cycles. A hit in an "
                  "L1 TLB is pipelined (no stall); the latency is paid when the lookup misses.", {}, 0, 1000});
  out->push_back({p + "superpages", ParamKind::Choice, "main", what + " superpages (2 MiB, 1 GiB): in the "
                  "main array (each size probed at its own index), in a separate fully associative array, or "
                  "splintered into 4 KiB entries.", {"main", "separate", "splinter"}});
  out->push_back({p + "superpage_entries", ParamKind::UInt, "8", what + " separate superpage array size "
                  "(superpages: separate).", {}, 1, 1024});
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
      {"sim.seed", ParamKind::UInt, "1", "Seed of every random replacement policy (each structure derives "
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
      {"mmu.ad_update", ParamKind::Choice, "hardware", "A/D bits: `hardware` sets them in the PTE atomically "
       "during the walk (Svadu behaviour); `fault` raises a page fault when A (or D for a store) is clear (Svade).",
       {"hardware", "fault"}},
      {"mmu.flush_on_satp_write", ParamKind::Bool, "false", "Flush every TLB and the page-walk cache on each satp "
       "write, modelling hardware without ASIDs (to measure the cost of a context switch)."},
      {"mmu.walker.step_cycles", ParamKind::UInt, "1", "Walker logic cycles per PTE step, on top of the memory "
       "access.", {}, 0, 1000},
      {"mmu.pwc.enabled", ParamKind::Bool, "true", "Page-walk cache of non-leaf PTEs."},
      {"mmu.pwc.per_level", ParamKind::Bool, "false", "Separate arrays for level-2 and level-1 pointers (each of "
       "sets x ways), or one array shared by both."},
      {"mmu.pwc.sets", ParamKind::UInt, "8", "Page-walk cache sets (power of two; 1 = fully associative).", {}, 1, 65536},
      {"mmu.pwc.ways", ParamKind::UInt, "4", "Page-walk cache ways.", {}, 1, 1024},
      {"mmu.pwc.policy", ParamKind::Choice, "lru", "Page-walk cache replacement.", replacement_policy_names()},
      {"mmu.l2tlb.enabled", ParamKind::Bool, "true", "Unified second-level TLB behind the I-TLB and D-TLB."},
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
  return schema;
}

}  // namespace

}  // namespace sv39sim
