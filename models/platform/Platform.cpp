#include "models/platform/Platform.h"

#include <algorithm>
#include <cstring>

namespace sv39sim {

namespace {

ReplacementPolicy policy_of(const Config& cfg, const std::string& key) {
  ReplacementPolicy p = ReplacementPolicy::Lru;
  parse_replacement_policy(cfg.get_string(key), &p);  // the schema only admits valid names
  return p;
}

// Geometry errors are config errors: reported against the first of `keys` the user set.
void check_geometry(const Config& cfg, const std::vector<std::string>& keys, unsigned sets, unsigned ways,
                    ReplacementPolicy p) {
  const std::string why = check_set_assoc_geometry(sets, ways, p);
  if (!why.empty()) throw cfg.error(cfg.blame(keys), why);
}

TlbConfig tlb_config(const Config& cfg, const std::string& name, uint64_t seed) {
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
  check_geometry(cfg, {p + "sets", p + "ways", p + "policy"}, t.sets, t.ways, t.policy);
  if (t.superpages == SuperpageMode::Separate)
    check_geometry(cfg, {p + "superpage_entries", p + "policy"}, 1, t.superpage_entries, t.policy);
  return t;
}

}  // namespace

MmuConfig Platform::mmu_config(const Config& cfg) const {
  const uint64_t seed = cfg.get_uint("sim.seed");
  MmuConfig m;
  m.itlb = tlb_config(cfg, "itlb", seed * 8 + 1);
  m.dtlb = tlb_config(cfg, "dtlb", seed * 8 + 2);
  m.l2tlb_enabled = cfg.get_bool("mmu.l2tlb.enabled");
  m.l2tlb = tlb_config(cfg, "l2tlb", seed * 8 + 3);
  m.hardware_ad = cfg.get_string("mmu.ad_update") == "hardware";
  m.flush_on_satp_write = cfg.get_bool("mmu.flush_on_satp_write");
  m.trap_misaligned = cfg.get_string("hart.misaligned") == "trap";
  return m;
}

DiskTimingConfig Platform::disk_timing(const Config& cfg) const {
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
    throw InputError(cfg.origin("disk.hdd.avg_seek") +
                     ": disk.hdd.*: expected track_to_track < avg_seek < full_stroke");
  }
  return d;
}

// The pager kernel reads its workload from the boot block (firmware/kernel/abi.h): `key=value` lines at
// byte 512 of the disk. A config with workload.run rewrites them; otherwise the image's own stand.
void Platform::write_boot_args(const Config& cfg) {
  if (cfg.get_string("workload.run").empty()) return;
  std::string text = "run=" + cfg.get_string("workload.run") + "\n";
  text += "frames=" + std::to_string(cfg.get_uint("workload.frames")) + "\n";
  text += "replacement=" + cfg.get_string("workload.replacement") + "\n";
  text += std::string("asids=") + (cfg.get_bool("workload.asids") ? "on" : "off") + "\n";
  if (cfg.get_uint("workload.asid_max") != 0)
    text += "asid_max=" + std::to_string(cfg.get_uint("workload.asid_max")) + "\n";
  text += "timeslice_us=" + std::to_string(cfg.get_uint("workload.timeslice") / 1000000) + "\n";
  text += "seed=" + std::to_string(cfg.get_uint("workload.seed")) + "\n";
  text += std::string("verbose=") + (cfg.get_bool("workload.verbose") ? "1" : "0") + "\n";
  constexpr uint64_t kArgsOffset = 512, kArgsSize = 4096 - 512;
  if (text.size() + 1 > kArgsSize) {
    throw InputError(cfg.origin("workload.run") + ": workload: the boot arguments take " +
                     std::to_string(text.size() + 1) + " bytes; the boot block holds " +
                     std::to_string(kArgsSize));
  }
  std::string block(kArgsSize, '\0');
  block.replace(0, text.size(), text);
  disk_->overwrite(kArgsOffset, block.data(), block.size());
}

WalkerConfig Platform::walker_config(const Config& cfg) const {
  WalkerConfig w;
  w.pwc_enabled = cfg.get_bool("mmu.pwc.enabled");
  w.pwc_per_level = cfg.get_bool("mmu.pwc.per_level");
  w.pwc_sets = static_cast<unsigned>(cfg.get_uint("mmu.pwc.sets"));
  w.pwc_ways = static_cast<unsigned>(cfg.get_uint("mmu.pwc.ways"));
  w.pwc_policy = policy_of(cfg, "mmu.pwc.policy");
  w.pwc_seed = cfg.get_uint("sim.seed") * 8 + 4;
  w.step_cycles = static_cast<unsigned>(cfg.get_uint("mmu.walker.step_cycles"));
  if (w.pwc_enabled)
    check_geometry(cfg, {"mmu.pwc.sets", "mmu.pwc.ways", "mmu.pwc.policy"}, w.pwc_sets, w.pwc_ways,
                   w.pwc_policy);
  return w;
}

Platform::Platform(const Config& cfg, const ElfImage& image, std::FILE* console, int input_fd) {
  const uint64_t mhz = cfg.get_uint("hart.clock_mhz");
  clock_period_ps_ = 1000000 / mhz;
  if (clock_period_ps_ * mhz != 1000000) {
    throw InputError(cfg.origin("hart.clock_mhz") +
                     ": hart.clock_mhz: expected a frequency whose period is a whole "
                     "number of picoseconds (e.g. 1000, 2000, 500), got " +
                     std::to_string(mhz));
  }
  HartTiming timing;
  timing.clock_period_ps = clock_period_ps_;
  timing.quantum_ps = cfg.get_uint("sim.quantum");
  timing.max_instructions = cfg.get_uint("sim.max_instructions");
  timing.max_time_ps = cfg.get_uint("sim.max_time");

  bus_ = std::make_unique<Bus>("bus");
  ram_ = std::make_unique<Ram>("ram", memmap::kRam, cfg.get_uint("memory.ram_size"));
  load_elf(image, ram_->window());

  const MmuConfig mmu_cfg = mmu_config(cfg);
  const WalkerConfig walker_cfg = walker_config(cfg);
  mmu_stats_ = std::make_unique<MmuStats>(clock_period_ps_);
  observers_.subscribe(mmu_stats_.get());
  try {
    memory_ = std::make_unique<MemoryHierarchy>(MemoryHierarchyConfig::from_config(cfg), clock_period_ps_);
  } catch (const std::invalid_argument& e) {
    throw InputError(std::string("memory system: ") + e.what());
  }

  hart_ = std::make_unique<HartModule>("hart0", HartConfig{}, timing, control_);
  hart_->bus.bind(bus_->from_initiators);
  hart_->set_ram(ram_->window());
  walker_ = std::make_unique<PageTableWalker>("walker", walker_cfg, hart_->mmu().pmp(), *memory_, &observers_,
                                              clock_period_ps_);
  walker_->mem.bind(bus_->from_initiators);
  hart_->mmu().configure(mmu_cfg, walker_.get(), &observers_, clock_period_ps_);
  hart_->mmu().set_memory_hierarchy(memory_.get());
  hart_->hart().reset(image.entry);

  clint_ = std::make_unique<Clint>("clint", cfg.get_uint("clint.timebase_hz"), *hart_);
  hart_->set_clint(clint_.get());
  plic_ = std::make_unique<Plic>("plic", *hart_);
  uart_ = std::make_unique<Uart16550>("uart0", console, input_fd,
                                      sc_core::sc_time::from_value(cfg.get_uint("uart.rx_poll")), *plic_,
                                      memmap::kUartIrq);
  finisher_ = std::make_unique<TestFinisher>("test_finisher", control_);
  disk_ = std::make_unique<VirtioBlk>("virtio_blk", cfg.get_string("disk.image"), disk_timing(cfg),
                                      ram_->window(), *plic_, memmap::kVirtioIrq);
  if (!cfg.get_string("workload.run").empty() && cfg.get_string("disk.image").empty()) {
    throw InputError(cfg.origin("workload.run") + ": workload.run needs a disk image (disk.image)");
  }
  write_boot_args(cfg);
  pager_stats_addr_ = image.pager_stats;

  bus_->map(memmap::kTestFinisher, TestFinisher::kSize, "test_finisher", finisher_->socket);
  bus_->map(memmap::kClint, Clint::kSize, "clint", clint_->socket);
  bus_->map(memmap::kPlic, Plic::kSize, "plic", plic_->socket);
  bus_->map(memmap::kUart, Uart16550::kSize, "uart0", uart_->socket);
  bus_->map(memmap::kVirtio, VirtioBlk::kSize, "virtio_blk", disk_->socket);
  bus_->map(memmap::kRam, ram_->window().size, "ram", ram_->socket);

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
  memory_->finish(hart_->hart().cycles() * clock_period_ps_);
  publish_pager_stats();
}

// The pager kernel's own counters (struct pager_stats_table in firmware/kernel/abi.h), read from guest
// RAM at the end of the run and published as pager.<name>.
void Platform::publish_pager_stats() {
  if (!pager_stats_addr_) return;
  const RamWindow& ram = ram_->window();
  constexpr uint64_t kEntries = 32, kEntrySize = 32, kTableSize = 16 + kEntries * kEntrySize;
  const uint64_t off = *pager_stats_addr_ - ram.base;
  if (*pager_stats_addr_ < ram.base || off > ram.size || ram.size - off < kTableSize) return;
  const uint8_t* t = ram.host + off;
  if (std::memcmp(t, "PGSTATS1", 8) != 0) return;  // not a pager kernel's table
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
  for (Tlb* t : {mmu.itlb(), mmu.dtlb(), mmu.l2tlb()})
    if (t) mmu_stats_->register_tlb(stats_, *t, instructions);
  mmu_stats_->register_walker(stats_, *walker_);
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
