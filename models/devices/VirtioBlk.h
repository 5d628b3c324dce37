// virtio-blk over virtio-mmio version 2 (the register layout QEMU uses with force-legacy=false), one
// split virtqueue, a PLIC interrupt, and a disk image file underneath. The identity registers read as
// QEMU's, vendor id "QEMU" included, so drivers written for QEMU's virt machine find the device. The image is
// never modified: writes land in an in-memory overlay, so runs are repeatable and the image can be shared.
// Requests are served one at a time in arrival order, each taking the DiskTiming service time.
#pragma once

#include <cstdio>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/devices/DiskTiming.h"
#include "models/devices/Interrupts.h"
#include "models/devices/MmioDevice.h"
#include "models/mem/PhysicalMemory.h"
#include "models/sim/EventBus.h"

namespace sv39sim {

class VirtioBlk : public MmioDevice {
 public:
  static constexpr uint64_t kSize = 0x1000;
  static constexpr unsigned kQueueSize = 128;

  // image_path empty: the slot is present but holds no device, an empty transport as on QEMU
  // (VirtioMmioEmpty.h).
  // strict_features: FEATURES_OK is refused unless the driver accepted VIRTIO_F_VERSION_1 and nothing
  // the device did not offer (virtio 1.1 sections 2.2.1 and 6.1 let a device refuse); otherwise every
  // feature set is accepted, bits not offered dropped, as QEMU's modern virtio-mmio device does.
  VirtioBlk(sc_core::sc_module_name name, const std::string& image_path, const DiskTimingConfig& timing,
            const RamWindow& ram, InterruptSink& plic, unsigned irq_line, bool strict_features = false);
  ~VirtioBlk() override;

  // Replaces bytes of the disk as the guest will see them (the boot arguments), without touching the file.
  void overwrite(uint64_t offset, const void* data, uint64_t len);
  uint64_t capacity_sectors() const { return capacity_sectors_; }
  // Publishes DiskRequest (when a request's service starts) and DiskComplete events.
  void set_event_bus(EventBus* events) { events_ = events; }

  struct Counters {
    uint64_t reads = 0, writes = 0, flushes = 0, errors = 0;
    uint64_t sectors_read = 0, sectors_written = 0;
    uint64_t busy_ps = 0, queued_ps = 0;
  };
  const Counters& counters() const { return counters_; }

 protected:
  bool read(uint64_t offset, uint8_t* data, unsigned len, const sc_core::sc_time& now) override;
  bool write(uint64_t offset, const uint8_t* data, unsigned len, const sc_core::sc_time& now) override;

 private:
  struct Request {
    uint16_t head = 0;
    uint64_t arrival_ps = 0;
  };
  struct Desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
  };
  void queue_thread();
  void serve(const Request& r);
  void reset_device();
  void poll_available(uint64_t now_ps);
  void publish(EventKind kind, uint8_t op, uint64_t sector, uint64_t bytes, uint64_t time_ps,
               uint64_t latency_ps) const;
  void read_sectors(uint64_t sector, uint8_t* out, uint64_t count);
  void write_sectors(uint64_t sector, const uint8_t* in, uint64_t count);
  // Guest memory for DMA; null when [pa, pa+len) is not RAM.
  uint8_t* dma(uint64_t pa, uint64_t len) const;
  void update_irq() { plic_.set_interrupt(irq_line_, interrupt_status_ != 0); }

  std::FILE* image_ = nullptr;
  uint64_t image_bytes_ = 0;
  uint64_t capacity_sectors_ = 0;
  std::unordered_map<uint64_t, std::vector<uint8_t>> overlay_;  // sector -> 512 bytes
  DiskTiming timing_;
  RamWindow ram_;
  InterruptSink& plic_;
  unsigned irq_line_;
  bool strict_features_;

  // virtio-mmio registers.
  uint32_t device_features_sel_ = 0, driver_features_sel_ = 0;
  uint64_t driver_features_ = 0;
  uint32_t queue_sel_ = 0, queue_num_ = 0;
  bool queue_ready_ = false;
  uint64_t desc_ = 0, avail_ = 0, used_ = 0;
  uint32_t status_ = 0, interrupt_status_ = 0;
  uint16_t last_avail_ = 0, used_idx_ = 0;
  // Counts device resets: a request whose service spans a reset belongs to a queue that no longer exists.
  uint64_t generation_ = 0;

  std::deque<Request> pending_;
  EventBus* events_ = nullptr;
  // The request in service. Members, not locals of serve(): the run may end while queue_thread waits
  // inside serve(), and SystemC never unwinds a suspended thread's stack (its locals would leak).
  std::vector<Desc> chain_;
  std::vector<uint8_t> buf_;
  sc_core::sc_event notify_event_;
  Counters counters_;
};

}  // namespace sv39sim
