#include "models/devices/VirtioBlk.h"

#include <cstring>
#include <stdexcept>

#include "models/devices/VirtioMmioEmpty.h"
#include "models/mem/CodePages.h"
#include "models/sim/InputError.h"

namespace sv39sim {

namespace {
// virtio-mmio v2 register offsets.
constexpr uint64_t kMagic = 0x000, kVersion = 0x004, kDeviceId = 0x008, kVendorId = 0x00c;
constexpr uint64_t kDeviceFeatures = 0x010, kDeviceFeaturesSel = 0x014, kDriverFeatures = 0x020;
constexpr uint64_t kDriverFeaturesSel = 0x024, kQueueSel = 0x030, kQueueNumMax = 0x034, kQueueNum = 0x038;
constexpr uint64_t kQueueReady = 0x044, kQueueNotify = 0x050, kInterruptStatus = 0x060, kInterruptAck = 0x064;
constexpr uint64_t kStatus = 0x070, kQueueDescLow = 0x080, kQueueDescHigh = 0x084, kQueueDriverLow = 0x090;
constexpr uint64_t kQueueDriverHigh = 0x094, kQueueDeviceLow = 0x0a0, kQueueDeviceHigh = 0x0a4;
constexpr uint64_t kConfigGeneration = 0x0fc, kConfig = 0x100;
constexpr uint32_t kMagicValue = 0x74726976;  // "virt"
constexpr uint32_t kVendor = 0x554d4551;      // "QEMU", as QEMU's virtio-mmio reports it
constexpr uint64_t kFeatureVersion1 = 1ull << 32;
constexpr uint32_t kStatusFeaturesOk = 8, kStatusNeedsReset = 64;
constexpr uint16_t kDescNext = 1, kDescWrite = 2;
constexpr uint16_t kAvailNoInterrupt = 1;
constexpr uint32_t kBlkIn = 0, kBlkOut = 1, kBlkFlush = 4, kBlkGetId = 8;
constexpr uint8_t kBlkOk = 0, kBlkIoErr = 1, kBlkUnsupp = 2;
constexpr uint64_t kSector = 512;
}  // namespace

VirtioBlk::VirtioBlk(sc_core::sc_module_name name, const std::string& image_path,
                     const DiskTimingConfig& timing, const RamWindow& ram, InterruptSink& plic,
                     unsigned irq_line, bool strict_features)
    : MmioDevice(name, kSize),
      timing_(timing),
      ram_(ram),
      plic_(plic),
      irq_line_(irq_line),
      strict_features_(strict_features) {
  if (!image_path.empty()) {
    image_ = std::fopen(image_path.c_str(), "rb");
    if (!image_) throw InputError(image_path + ": cannot open disk image: " + std::strerror(errno));
    std::fseek(image_, 0, SEEK_END);
    image_bytes_ = static_cast<uint64_t>(std::ftell(image_));
    if (image_bytes_ == 0 || image_bytes_ % kSector != 0) {
      std::fclose(image_);
      image_ = nullptr;
      throw InputError(image_path + ": disk image size must be a positive multiple of 512 bytes");
    }
    capacity_sectors_ = image_bytes_ / kSector;
    DiskTimingConfig t = timing;
    t.capacity_sectors = capacity_sectors_;
    timing_ = DiskTiming(t);
  }
  SC_HAS_PROCESS(VirtioBlk);
  SC_THREAD(queue_thread);
}

VirtioBlk::~VirtioBlk() {
  if (image_) std::fclose(image_);
}

void VirtioBlk::overwrite(uint64_t offset, const void* data, uint64_t len) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  for (uint64_t done = 0; done < len;) {
    const uint64_t sector = (offset + done) / kSector, at = (offset + done) % kSector;
    const uint64_t n = std::min(len - done, kSector - at);
    std::vector<uint8_t> buf(kSector);
    read_sectors(sector, buf.data(), 1);
    std::memcpy(buf.data() + at, bytes + done, n);
    write_sectors(sector, buf.data(), 1);
    done += n;
  }
}

void VirtioBlk::read_sectors(uint64_t sector, uint8_t* out, uint64_t count) {
  for (uint64_t i = 0; i < count; ++i) {
    const auto it = overlay_.find(sector + i);
    if (it != overlay_.end()) {
      std::memcpy(out + i * kSector, it->second.data(), kSector);
    } else if (image_ && std::fseek(image_, static_cast<long>((sector + i) * kSector), SEEK_SET) == 0 &&
               std::fread(out + i * kSector, 1, kSector, image_) == kSector) {
    } else {
      std::memset(out + i * kSector, 0, kSector);
    }
  }
}

void VirtioBlk::write_sectors(uint64_t sector, const uint8_t* in, uint64_t count) {
  for (uint64_t i = 0; i < count; ++i) overlay_[sector + i].assign(in + i * kSector, in + (i + 1) * kSector);
}

uint8_t* VirtioBlk::dma(uint64_t pa, uint64_t len) const {
  const uint64_t off = pa - ram_.base;
  if (pa < ram_.base || off > ram_.size || ram_.size - off < len) return nullptr;
  // The caller may write the buffer: any decoded instructions in it are dropped.
  if (ram_.code) ram_.code->written(pa, len);
  return ram_.host + off;
}

void VirtioBlk::reset_device() {
  device_features_sel_ = driver_features_sel_ = 0;
  driver_features_ = 0;
  queue_sel_ = queue_num_ = 0;
  queue_ready_ = false;
  desc_ = avail_ = used_ = 0;
  status_ = interrupt_status_ = 0;
  last_avail_ = used_idx_ = 0;
  ++generation_;
  pending_.clear();
  update_irq();
}

bool VirtioBlk::read(uint64_t off, uint8_t* data, unsigned len, const sc_core::sc_time&) {
  if (!image_) return VirtioMmioEmpty::read_empty(off, data, len);
  if (off >= kConfig) {
    // virtio_blk_config: capacity in 512-byte sectors first; everything else reads as zero.
    uint8_t cfg[64] = {};
    std::memcpy(cfg, &capacity_sectors_, 8);
    if (off - kConfig + len > sizeof cfg) {
      std::memset(data, 0, len);
      return true;
    }
    std::memcpy(data, cfg + (off - kConfig), len);
    return true;
  }
  if (len != 4 || (off & 3)) return false;
  uint32_t v = 0;
  switch (off) {
    case kMagic: v = kMagicValue; break;
    case kVersion: v = 2; break;
    case kDeviceId: v = image_ ? 2 : 0; break;
    case kVendorId: v = kVendor; break;
    case kDeviceFeatures:
      v = device_features_sel_ == 1 ? static_cast<uint32_t>(kFeatureVersion1 >> 32) : 0;
      break;
    case kQueueNumMax: v = queue_sel_ == 0 ? kQueueSize : 0; break;
    case kQueueReady: v = queue_sel_ == 0 && queue_ready_; break;
    case kInterruptStatus: v = interrupt_status_; break;
    case kStatus: v = status_; break;
    case kConfigGeneration: v = 0; break;
    default: break;
  }
  from_value(v, data, 4);
  return true;
}

bool VirtioBlk::write(uint64_t off, const uint8_t* data, unsigned len, const sc_core::sc_time& now) {
  if (!image_) return VirtioMmioEmpty::write_empty(off, len);
  if (off >= kConfig) return true;  // the block config is read-only for us
  if (len != 4 || (off & 3)) return false;
  const uint32_t v = static_cast<uint32_t>(to_value(data, 4));
  auto set_low = [v](uint64_t& r) { r = (r & ~0xffffffffull) | v; };
  auto set_high = [v](uint64_t& r) { r = (r & 0xffffffffull) | (uint64_t{v} << 32); };
  switch (off) {
    case kDeviceFeaturesSel: device_features_sel_ = v; break;
    case kDriverFeaturesSel: driver_features_sel_ = v; break;
    case kDriverFeatures:
      if (driver_features_sel_ < 2) {
        const unsigned shift = 32 * driver_features_sel_;
        driver_features_ = (driver_features_ & ~(0xffffffffull << shift)) | (uint64_t{v} << shift);
      }
      break;
    case kQueueSel: queue_sel_ = v; break;
    case kQueueNum:
      if (queue_sel_ == 0 && v <= kQueueSize && v > 0 && (v & (v - 1)) == 0) queue_num_ = v;
      break;
    case kQueueReady:
      if (queue_sel_ == 0) queue_ready_ = v & 1;
      break;
    case kQueueDescLow:
      if (queue_sel_ == 0) set_low(desc_);
      break;
    case kQueueDescHigh:
      if (queue_sel_ == 0) set_high(desc_);
      break;
    case kQueueDriverLow:
      if (queue_sel_ == 0) set_low(avail_);
      break;
    case kQueueDriverHigh:
      if (queue_sel_ == 0) set_high(avail_);
      break;
    case kQueueDeviceLow:
      if (queue_sel_ == 0) set_low(used_);
      break;
    case kQueueDeviceHigh:
      if (queue_sel_ == 0) set_high(used_);
      break;
    case kQueueNotify:
      if (v == 0 && queue_ready_ && image_) notify_event_.notify(now - sc_core::sc_time_stamp());
      break;
    case kInterruptAck:
      interrupt_status_ &= ~v;
      update_irq();
      break;
    case kStatus:
      if (v == 0) {
        reset_device();
        break;
      }
      if ((v & kStatusFeaturesOk) && !(status_ & kStatusFeaturesOk)) {
        if (strict_features_ && driver_features_ != kFeatureVersion1) {
          status_ = v & ~kStatusFeaturesOk;
          break;
        }
        // QEMU keeps only offered bits and serves a driver without VERSION_1 as a legacy one, which on a
        // little-endian guest with the version-2 queue registers works the same.
        driver_features_ &= kFeatureVersion1;
      }
      status_ = v;
      break;
    default: break;
  }
  return true;
}

void VirtioBlk::publish(EventKind kind, uint8_t op, uint64_t sector, uint64_t bytes, uint64_t time_ps,
                        uint64_t latency_ps) const {
  if (!events_ || !events_->wants(kind)) return;
  Event e;
  e.kind = kind;
  e.unit = Unit::Disk;
  e.time_ps = time_ps;
  e.outcome = op;
  e.aux = sector;
  e.data = bytes;
  e.latency_ps = latency_ps;
  events_->publish(e);
}

void VirtioBlk::poll_available(uint64_t now_ps) {
  const uint8_t* avail = dma(avail_, 4 + 2 * uint64_t{queue_num_});
  if (!avail || queue_num_ == 0) return;
  uint16_t idx;
  std::memcpy(&idx, avail + 2, 2);
  while (last_avail_ != idx) {
    uint16_t head;
    std::memcpy(&head, avail + 4 + 2 * (last_avail_ % queue_num_), 2);
    pending_.push_back({head, now_ps});
    ++last_avail_;
  }
}

void VirtioBlk::queue_thread() {
  for (;;) {
    wait(notify_event_);
    for (;;) {
      poll_available(sc_core::sc_time_stamp().value());
      if (pending_.empty() || !queue_ready_) break;
      const Request r = pending_.front();
      pending_.pop_front();
      serve(r);
    }
  }
}

// One request: header descriptor, data descriptors, status descriptor. Guest memory is read when the
// request starts (as the device's DMA would) and written when it completes.
void VirtioBlk::serve(const Request& r) {
  if (queue_num_ == 0) return;
  const uint64_t generation = generation_;
  const uint64_t start = sc_core::sc_time_stamp().value();
  counters_.queued_ps += start - r.arrival_ps;
  std::vector<Desc>& chain = chain_;
  chain.clear();
  uint16_t i = r.head;
  bool bad = false;
  for (unsigned n = 0; n < queue_num_; ++n) {
    const uint8_t* d = dma(desc_ + 16 * uint64_t{i % queue_num_}, 16);
    if (!d) {
      bad = true;
      break;
    }
    Desc desc;
    std::memcpy(&desc.addr, d, 8);
    std::memcpy(&desc.len, d + 8, 4);
    std::memcpy(&desc.flags, d + 12, 2);
    std::memcpy(&desc.next, d + 14, 2);
    chain.push_back(desc);
    if (!(desc.flags & kDescNext)) break;
    i = desc.next;
  }
  uint8_t* status = nullptr;
  if (!bad && chain.size() >= 2 && (chain.back().flags & kDescWrite) && chain.back().len >= 1)
    status = dma(chain.back().addr, 1);
  const uint8_t* header = !bad && chain.size() >= 2 && chain[0].len >= 16 && !(chain[0].flags & kDescWrite)
                              ? dma(chain[0].addr, 16)
                              : nullptr;
  uint32_t used_len = 0;
  if (!status || !header) {
    // Nowhere to report the error: the device needs a reset, as the spec allows.
    ++counters_.errors;
    status_ |= kStatusNeedsReset;
  } else {
    uint32_t type;
    uint64_t sector;
    std::memcpy(&type, header, 4);
    std::memcpy(&sector, header + 8, 8);
    uint64_t bytes = 0;
    bool ok = true;
    const bool into_guest = type == kBlkIn || type == kBlkGetId;
    for (size_t k = 1; k + 1 < chain.size(); ++k) {
      bytes += chain[k].len;
      ok &= dma(chain[k].addr, chain[k].len) != nullptr && ((chain[k].flags & kDescWrite) != 0) == into_guest;
    }
    uint8_t result = kBlkOk;
    const uint8_t op = type == kBlkIn ? 0 : type == kBlkOut ? 1 : 2;
    publish(EventKind::DiskRequest, op, sector, bytes, start, 0);
    if (type == kBlkIn || type == kBlkOut) {
      const uint64_t sectors = bytes / kSector;
      if (!ok || bytes % kSector != 0 || sector > capacity_sectors_ || capacity_sectors_ - sector < sectors) {
        result = kBlkIoErr;
      } else {
        std::vector<uint8_t>& buf = buf_;
        buf.resize(bytes);
        if (type == kBlkOut) {
          uint64_t at = 0;
          for (size_t k = 1; k + 1 < chain.size(); ++k) {
            std::memcpy(buf.data() + at, dma(chain[k].addr, chain[k].len), chain[k].len);
            at += chain[k].len;
          }
        }
        const uint64_t service = timing_.service(sector, sectors, type == kBlkOut, start);
        wait(sc_core::sc_time::from_value(service));
        counters_.busy_ps += service;
        // The driver reset the device meanwhile: the request was dropped with its queue, and the guest
        // memory it named may already be reused.
        if (generation != generation_) {
          const uint64_t end = sc_core::sc_time_stamp().value();
          publish(EventKind::DiskComplete, op, sector, bytes, end, end - r.arrival_ps);
          return;
        }
        if (type == kBlkOut) {
          write_sectors(sector, buf.data(), sectors);
          ++counters_.writes;
          counters_.sectors_written += sectors;
        } else {
          read_sectors(sector, buf.data(), sectors);
          uint64_t at = 0;
          for (size_t k = 1; k + 1 < chain.size(); ++k) {
            std::memcpy(dma(chain[k].addr, chain[k].len), buf.data() + at, chain[k].len);
            at += chain[k].len;
          }
          used_len = static_cast<uint32_t>(bytes);
          ++counters_.reads;
          counters_.sectors_read += sectors;
        }
      }
    } else if (type == kBlkFlush) {
      ++counters_.flushes;  // the overlay is the medium: nothing is cached in front of it
    } else if (type == kBlkGetId && ok && chain.size() > 2) {
      const char id[20] = "sv39sim-virtio-blk";
      const uint64_t n = std::min<uint64_t>(20, chain[1].len);
      std::memcpy(dma(chain[1].addr, n), id, n);
      used_len = static_cast<uint32_t>(n);
    } else {
      result = kBlkUnsupp;
    }
    if (result != kBlkOk) ++counters_.errors;
    *status = result;
    used_len += 1;
    const uint64_t end = sc_core::sc_time_stamp().value();
    publish(EventKind::DiskComplete, op, sector, bytes, end, end - r.arrival_ps);
  }
  // Publish in the used ring, then interrupt unless the driver asked not to be.
  uint8_t* used = dma(used_, 4 + 8 * uint64_t{queue_num_});
  const uint8_t* avail = dma(avail_, 2);
  if (!used) {
    status_ |= kStatusNeedsReset;
    return;
  }
  const uint32_t id = r.head;
  std::memcpy(used + 4 + 8 * (used_idx_ % queue_num_), &id, 4);
  std::memcpy(used + 8 + 8 * (used_idx_ % queue_num_), &used_len, 4);
  ++used_idx_;
  std::memcpy(used + 2, &used_idx_, 2);
  uint16_t avail_flags = 0;
  if (avail) std::memcpy(&avail_flags, avail, 2);
  if (!(avail_flags & kAvailNoInterrupt)) {
    interrupt_status_ |= 1;
    update_irq();
  }
}

}  // namespace sv39sim
