// How long a disk takes to serve a request. Flash (NVMe, SATA SSD): a fixed latency per 4 KiB access,
// read or write, plus bandwidth for anything larger. Hard disk: seek along a curve through the
// track-to-track, average and full-stroke figures, rotational latency from the platter's position
// (which turns with simulated time, so it is deterministic), then transfer at the media rate.
#pragma once

#include <cstdint>
#include <string>

namespace sv39sim {

// The defaults are the nvme preset and, for the hdd preset, a 7200 rpm disk (DESIGN.md); the config
// schema's disk.* defaults come from here.
struct DiskTimingConfig {
  bool hdd = false;
  // Flash.
  uint64_t read_ps = 85'000'000;   // one 4 KiB random read
  uint64_t write_ps = 20'000'000;  // one 4 KiB random write
  uint64_t bandwidth_mbps = 3000;  // beyond the first 4 KiB
  // Hard disk.
  uint64_t rpm = 7200;
  uint64_t track_to_track_ps = 1'000'000'000;
  uint64_t avg_seek_ps = 8'200'000'000;
  uint64_t full_stroke_ps = 20'000'000'000;
  uint64_t transfer_mbps = 150;
  uint64_t sectors_per_track = 1024;
  uint64_t capacity_sectors = 1 << 20;
};

// Presets from DESIGN.md's sourced figures: "nvme", "sata_ssd", "hdd". False for an unknown name.
bool disk_preset(const std::string& name, DiskTimingConfig* out);

class DiskTiming {
 public:
  explicit DiskTiming(const DiskTimingConfig& cfg);

  // Service time of a request of `sectors` 512-byte sectors starting at `sector`, begun at `start_ps`.
  // Moves the head (hard disk).
  uint64_t service(uint64_t sector, uint64_t sectors, bool write, uint64_t start_ps);

  // The seek part alone, for a head move of `tracks` tracks (0 for none).
  uint64_t seek_ps(uint64_t tracks) const;
  uint64_t rotation_ps() const { return rotation_ps_; }
  uint64_t tracks() const { return tracks_; }
  const DiskTimingConfig& config() const { return cfg_; }

 private:
  DiskTimingConfig cfg_;
  uint64_t rotation_ps_ = 0;
  uint64_t tracks_ = 1;
  double seek_exponent_ = 0.5;
  uint64_t head_track_ = 0;
};

}  // namespace sv39sim
