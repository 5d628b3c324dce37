// The sv39sim platform: QEMU virt's memory map (finisher, CLINT, PLIC, UART, RAM) around one hart,
// built from a Config. Ownership and wiring only; behaviour lives in the modules.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "models/config/Config.h"
#include "models/config/ModelConfig.h"
#include "models/core/HartModule.h"
#include "models/devices/BootRom.h"
#include "models/devices/Clint.h"
#include "models/devices/Htif.h"
#include "models/devices/Plic.h"
#include "models/devices/TestFinisher.h"
#include "models/devices/TraceMarker.h"
#include "models/devices/Uart16550.h"
#include "models/devices/VirtioBlk.h"
#include "models/devices/VirtioMmioEmpty.h"
#include "models/mem/MemoryHierarchy.h"
#include "models/mem/Ram.h"
#include "models/mmu/PageTableWalker.h"
#include "models/platform/Bus.h"
#include "models/platform/ElfLoader.h"
#include "models/platform/MemoryMap.h"
#include "models/sim/SimControl.h"
#include "models/sim/Stats.h"
#include "models/trace/MmuStats.h"
#include "models/trace/Timeline.h"
#include "models/trace/WaveRecorder.h"

namespace sv39sim {

class Platform {
 public:
  // console: where guest output goes; input_fd: UART receive source (-1 for none); waves_path: the FST
  // file to record the event stream into (empty: none); timeline_path, timeline_pid_path: the timeline's
  // CSV files (Timeline.h; empty: none), one row per trace.timeline.interval.
  // `sinks` see the event stream in time order (an event log, the RTL cross-check); they are subscribed
  // before the MMU picks its fast paths.
  Platform(const Config& cfg, const ElfImage& image, std::FILE* console, int input_fd,
           const std::string& waves_path = "", const std::string& timeline_path = "",
           const std::string& timeline_pid_path = "", const std::vector<EventSink*>& sinks = {});

  SimControl& control() { return control_; }
  const RamWindow& ram() const { return ram_->window(); }
  HartModule& hart() { return *hart_; }
  Stats& stats() { return stats_; }
  // Simulated time at which the hart stopped.
  double simulated_seconds() const;
  EventBus& events() { return events_; }
  // End of run: drains what the memory controller still holds so its counts are complete, and ends the
  // event stream (the waveform file is complete after this).
  void finish();
  // Why the pager kernel failed the run (its pager_stats verdict), after finish(); empty if none.
  const std::string& guest_verdict() const { return guest_verdict_; }

 private:
  void register_stats();
  void write_boot_args(const Config& cfg);
  void publish_pager_stats();
  std::optional<uint64_t> pager_stats_addr_;
  std::string guest_verdict_;

  SimControl control_;
  Stats stats_;
  EventBus events_;
  std::unique_ptr<WaveRecorder> waves_;
  // Between the bus and waves_ (trace.waves.*); declared after it so that it is destroyed first: on an
  // exception its destructor still writes what it holds into waves_.
  std::unique_ptr<WaveWindow> wave_window_;
  std::unique_ptr<Timeline> timeline_;
  std::unique_ptr<MmuStats> mmu_stats_;
  std::unique_ptr<MemoryHierarchy> memory_;
  std::unique_ptr<PageTableWalker> walker_;
  std::unique_ptr<Bus> bus_;
  std::unique_ptr<Ram> ram_;
  std::unique_ptr<HartModule> hart_;
  std::unique_ptr<Clint> clint_;
  std::unique_ptr<Plic> plic_;
  std::unique_ptr<Uart16550> uart_;
  std::unique_ptr<TestFinisher> finisher_;
  std::unique_ptr<TraceMarker> marker_;
  std::unique_ptr<VirtioBlk> disk_;
  std::vector<std::unique_ptr<VirtioMmioEmpty>> empty_slots_;  // virtio-mmio slots 1..7
  std::unique_ptr<BootRom> boot_rom_;                          // boot.mode=qemu only
  std::unique_ptr<Htif> htif_;
  uint64_t clock_period_ps_;
};

}  // namespace sv39sim
