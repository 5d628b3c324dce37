// Every configuration key sv39sim knows, with its default and meaning. docs/config-reference.md is
// generated from this table (`sv39sim config-reference`), so the two cannot drift apart.
#include "models/config/Config.h"

namespace sv39sim {

const std::vector<ParamSpec>& config_schema() {
  static const std::vector<ParamSpec> kSchema = {
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
      {"uart.rx_poll",
       ParamKind::Time,
       "100us",
       "How often the UART receiver checks its input for new bytes.",
       {},
       1000000,
       1000000000000ull},
  };
  return kSchema;
}

}  // namespace sv39sim
