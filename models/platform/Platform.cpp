#include "models/platform/Platform.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "firmware/kernel/abi.h"
#include "models/platform/QemuBoot.h"

namespace sv39sim {

// The pager kernel reads its workload from the boot block (firmware/kernel/abi.h): `key=value` lines at
// byte 512 of the disk. A config with workload.run rewrites them; otherwise the image's own stand.
void Platform::write_boot_args(const Config& cfg) {
  std::string text = boot_args(cfg);
  if (text.empty()) return;
  // Where the trace-marker device is (abi.h): the kernel writes markers only when told.
  text += "marker=" + std::to_string(memmap::kTraceMarker) + "\n";
  if (text.size() + 1 > kBootArgsSize)
    throw cfg.error("workload.run", "the boot arguments do not fit the boot block with marker=");
  std::string block(kBootArgsSize, '\0');
  block.replace(0, text.size(), text);
  disk_->overwrite(kBootArgsOffset, block.data(), block.size());
}

namespace {
// The pager kernel's marker names, from its one list (firmware/kernel/abi.h).
std::vector<std::string> marker_names() {
  std::vector<std::string> names(MARK_COUNT);
#define SV39SIM_MARKER_NAME(name, value, args) names.at(value) = #name;
  PAGER_MARKERS(SV39SIM_MARKER_NAME)
#undef SV39SIM_MARKER_NAME
  return names;
}
}  // namespace

Platform::Platform(const Config& cfg, const ElfImage& image, std::FILE* console, int input_fd,
                   const std::string& waves_path, const std::string& timeline_path,
                   const std::string& timeline_pid_path, const std::vector<EventSink*>& sinks) {
  const HartTiming timing = hart_timing(cfg);
  for (EventSink* s : sinks) events_.subscribe_ordered(s);
  clock_period_ps_ = timing.clock_period_ps;
  if (!waves_path.empty()) {
    waves_ = std::make_unique<WaveRecorder>(waves_path, marker_names());
    // A run that has not finished when the stream ends is asleep for good: exit 3, a failure too.
    wave_window_ = std::make_unique<WaveWindow>(wave_window_config(cfg), *waves_,
                                                [this] { return control_.status() != RunStatus::Pass; });
    events_.subscribe_ordered(wave_window_.get());
  }
  if (!timeline_path.empty()) {
    // The hart is built below; the timeline reads its final instret only when the stream ends.
    timeline_ =
        std::make_unique<Timeline>(timeline_path, timeline_pid_path, cfg.get_uint("trace.timeline.interval"),
                                   [this] { return hart_->hart().instret(); });
    events_.subscribe_ordered(timeline_.get());
  }

  bus_ = std::make_unique<Bus>("bus");
  ram_ = std::make_unique<Ram>("ram", memmap::kRam, cfg.get_uint("memory.ram_size"));
  load_elf(image, ram_->window());
  std::optional<QemuBoot> boot;
  if (cfg.get_string("boot.mode") == "qemu") boot = prepare_qemu_boot(cfg, image, ram_->window());

  const MmuConfig mmu_cfg = mmu_config(cfg);
  const WalkerConfig walker_cfg = walker_config(cfg);
  mmu_stats_ = std::make_unique<MmuStats>(clock_period_ps_);
  mmu_stats_->subscribe(events_);
  try {
    memory_ = std::make_unique<MemoryHierarchy>(memory_hierarchy_config(cfg), clock_period_ps_);
  } catch (const std::invalid_argument& e) {
    throw InputError(std::string("memory system: ") + e.what());
  }

  HartConfig hart_cfg;
  hart_cfg.icache_coherent = cfg.get_bool("hart.icache_coherent");
  hart_cfg.sstc = cfg.get_bool("hart.sstc");
  hart_ = std::make_unique<HartModule>("hart0", hart_cfg, timing, control_);
  hart_->bus.bind(bus_->from_initiators);
  hart_->set_ram(ram_->window());
  walker_ = std::make_unique<PageTableWalker>("walker", walker_cfg, hart_->mmu().pmp(), *memory_, &events_,
                                              clock_period_ps_);
  walker_->mem.bind(bus_->from_initiators);
  hart_->mmu().configure(mmu_cfg, walker_.get(), &events_, clock_period_ps_);
  hart_->mmu().set_memory_hierarchy(memory_.get());
  memory_->set_event_bus(&events_, [this] { return static_cast<uint64_t>(hart_->local_time().value()); });
  hart_->hart().reset(image.entry);
  if (boot) {
    // What QEMU's reset vector leaves in the registers when it jumps (QemuBoot.h); hart id 0.
    Hart& h = hart_->hart();
    h.set_reg(11, boot->fdt_addr);  // a1
    h.set_reg(12, kFwDynamicInfo);  // a2
    h.set_reg(5, image.entry);      // t0
  }
  // Events become final once both the hart (ahead of SystemC within a quantum) and SystemC time have
  // passed them; the hart releases them at each quantum sync.
  const Hart& h = hart_->hart();
  events_.set_instret_source(&h.instret_ref());
  events_.add_horizon([this] { return static_cast<uint64_t>(hart_->local_time().value()); });
  events_.add_horizon([] { return static_cast<uint64_t>(sc_core::sc_time_stamp().value()); });
  hart_->set_event_bus(&events_);

  clint_ = std::make_unique<Clint>("clint", cfg.get_uint("clint.timebase_hz"), *hart_);
  hart_->set_clint(clint_.get());
  const bool level_gateways = cfg.get_string("plic.gateway") == "level";
  plic_ = std::make_unique<Plic>("plic", *hart_, level_gateways ? Plic::Gateway::Level : Plic::Gateway::Qemu);
  uart_ = std::make_unique<Uart16550>("uart0", console, input_fd,
                                      sc_core::sc_time::from_value(cfg.get_uint("uart.rx_poll")), *plic_,
                                      memmap::kUartIrq);
  finisher_ = std::make_unique<TestFinisher>("test_finisher", control_);
  marker_ = std::make_unique<TraceMarker>("trace_marker", events_);
  disk_ = std::make_unique<VirtioBlk>("virtio_blk", cfg.get_string("disk.image"), disk_timing_config(cfg),
                                      ram_->window(), *plic_, memmap::kVirtioIrq,
                                      cfg.get_bool("disk.virtio.strict_features"));
  disk_->set_event_bus(&events_);
  write_boot_args(cfg);
  pager_stats_addr_ = image.pager_stats;

  bus_->map(memmap::kTestFinisher, TestFinisher::kSize, "test_finisher", finisher_->socket);
  bus_->map(memmap::kClint, Clint::kSize, "clint", clint_->socket);
  bus_->map(memmap::kPlic, Plic::kSize, "plic", plic_->socket);
  bus_->map(memmap::kUart, Uart16550::kSize, "uart0", uart_->socket);
  bus_->map(memmap::kVirtio, VirtioBlk::kSize, "virtio_blk", disk_->socket);
  bus_->map(memmap::kTraceMarker, TraceMarker::kSize, "trace_marker", marker_->socket);
  bus_->map(memmap::kRam, ram_->window().size, "ram", ram_->socket);
  // After RAM, so that the bus's linear search finds the devices that were there before as fast as before.
  for (unsigned i = 1; i < memmap::kVirtioSlots; ++i) {
    empty_slots_.push_back(std::make_unique<VirtioMmioEmpty>(("virtio_mmio" + std::to_string(i)).c_str()));
    bus_->map(memmap::kVirtio + i * memmap::kVirtioStride, VirtioMmioEmpty::kSize,
              "virtio_mmio" + std::to_string(i), empty_slots_.back()->socket);
  }
  if (boot) {
    boot_rom_ = std::make_unique<BootRom>("boot_rom", memmap::kBootRomSize, boot->rom);
    bus_->map(memmap::kBootRom, memmap::kBootRomSize, "boot_rom", boot_rom_->socket);
  }

  if (image.tohost) {
    htif_ = std::make_unique<Htif>(*image.tohost, ram_->window(), control_, console);
    hart_->set_store_watch(*image.tohost, 8);
    hart_->set_store_watch_hook([this] { htif_->on_tohost_store(); });
  }
  control_.set_on_finish([this] {
    hart_->hart().stop();
    sc_core::sc_stop();
  });
  register_stats();
}

void Platform::finish() {
  const uint64_t end_ps = hart_->hart().cycles() * clock_period_ps_;
  memory_->finish(end_ps);
  events_.end(end_ps);
  publish_pager_stats();
  // Each walk is caused by one counted miss of the last TLB level (Mmu::translate_page): if the counts
  // disagree, a miss went uncounted or a walk went unseen, and no number of this run can be trusted.
  Mmu& mmu = hart_->mmu();
  const uint64_t last_level_misses =
      mmu.l2tlb() ? mmu.l2tlb()->misses() : mmu.itlb()->misses() + mmu.dtlb()->misses();
  if (mmu_stats_->walks() != last_level_misses) {
    throw std::logic_error("mmu.walker.walks (" + std::to_string(mmu_stats_->walks()) +
                           ") != misses of the last TLB level (" + std::to_string(last_level_misses) + ")");
  }
}

// The pager kernel's own counters (struct pager_stats_table in firmware/kernel/abi.h), read from guest
// RAM at the end of the run and published as pager.<name>, and its verdict text.
void Platform::publish_pager_stats() {
  if (!pager_stats_addr_) return;
  const RamWindow& ram = ram_->window();
  constexpr uint64_t kEntries = 32, kEntrySize = 32, kVerdictSize = 256;
  constexpr uint64_t kTableSize = 16 + kEntries * kEntrySize + kVerdictSize;
  const uint64_t off = *pager_stats_addr_ - ram.base;
  if (*pager_stats_addr_ < ram.base || off > ram.size || ram.size - off < kTableSize) return;
  const uint8_t* t = ram.host + off;
  if (std::memcmp(t, "PGSTATS2", 8) != 0) return;  // not a pager kernel's table
  // Guest text bound for the host's stderr: printable ASCII only.
  const char* verdict = reinterpret_cast<const char*>(t + 16 + kEntries * kEntrySize);
  for (size_t i = 0; i < strnlen(verdict, kVerdictSize); ++i)
    guest_verdict_ += verdict[i] >= ' ' && verdict[i] <= '~' ? verdict[i] : '?';
  uint64_t count;
  std::memcpy(&count, t + 8, 8);
  for (uint64_t i = 0; i < std::min(count, kEntries); ++i) {
    const uint8_t* e = t + 16 + i * kEntrySize;
    const std::string name(reinterpret_cast<const char*>(e), strnlen(reinterpret_cast<const char*>(e), 24));
    bool clean = !name.empty();
    for (char c : name) clean &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!clean) continue;
    uint64_t value;
    std::memcpy(&value, e + 24, 8);
    stats_.add_counter(
        "pager." + name, [value] { return value; }, "pager kernel: " + name);
  }
}

double Platform::simulated_seconds() const {
  return static_cast<double>(hart_->hart().cycles()) * static_cast<double>(clock_period_ps_) * 1e-12;
}

void Platform::register_stats() {
  Hart& h = hart_->hart();
  stats_.add_counter(
      "sim.instructions", [&h] { return h.instret(); }, "instructions retired");
  stats_.add_counter(
      "sim.cycles", [&h] { return h.cycles(); }, "hart clock cycles, including time asleep in WFI");
  stats_.add_real(
      "sim.seconds", [this] { return simulated_seconds(); }, "simulated time (s)");
  stats_.add_counter(
      "hart.wfi_sleeps", [this] { return hart_->wfi_sleeps(); }, "times the hart slept in WFI");
  for (uint64_t c = 0; c < 16; ++c) {
    if (c == 10 || c == 14) continue;
    stats_.add_counter(
        std::string("hart.traps.") + cause::name(c), [&h, c] { return h.trap_counts()[c]; },
        "exceptions taken: cause " + std::to_string(c));
  }
  for (unsigned i : {irq::kSsi, irq::kMsi, irq::kSti, irq::kMti, irq::kSei, irq::kMei}) {
    stats_.add_counter(
        std::string("hart.interrupts.") + cause::name(cause::kInterrupt | i),
        [&h, i] { return h.trap_counts()[64 + i]; }, "interrupts taken: cause " + std::to_string(i));
  }
  auto instructions = [&h] { return h.instret(); };
  Mmu& mmu = hart_->mmu();
  mmu_stats_->register_tlb(stats_, "itlb", mmu.itlb(), instructions);
  mmu_stats_->register_tlb(stats_, "dtlb", mmu.dtlb(), instructions);
  mmu_stats_->register_tlb(stats_, "l2tlb", mmu.l2tlb(), instructions);
  mmu_stats_->register_walker(stats_);
  memory_->register_stats(stats_);
  const VirtioBlk* disk = disk_.get();
  stats_.add_counter(
      "disk.reads", [disk] { return disk->counters().reads; }, "virtio-blk read requests");
  stats_.add_counter(
      "disk.writes", [disk] { return disk->counters().writes; }, "virtio-blk write requests");
  stats_.add_counter(
      "disk.sectors_read", [disk] { return disk->counters().sectors_read; }, "512-byte sectors read");
  stats_.add_counter(
      "disk.sectors_written", [disk] { return disk->counters().sectors_written; },
      "512-byte sectors written");
  stats_.add_counter(
      "disk.errors", [disk] { return disk->counters().errors; }, "requests that failed");
  stats_.add_real(
      "disk.busy_seconds", [disk] { return disk->counters().busy_ps * 1e-12; },
      "simulated seconds the disk spent serving requests");
  stats_.add_real(
      "disk.queued_seconds", [disk] { return disk->counters().queued_ps * 1e-12; },
      "simulated seconds requests waited for the disk");
  stats_.add_counter(
      "uart.tx_bytes", [this] { return uart_->tx_bytes(); }, "bytes written to the UART");
  stats_.add_counter(
      "uart.rx_bytes", [this] { return uart_->rx_bytes(); }, "bytes the guest read from the UART");
}

}  // namespace sv39sim
