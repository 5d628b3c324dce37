#include "models/devices/DiskTiming.h"

#include <algorithm>
#include <cmath>

namespace sv39sim {

bool disk_preset(const std::string& name, DiskTimingConfig* out) {
  DiskTimingConfig c;
  if (name == "nvme") {
    // DiskTimingConfig's defaults.
  } else if (name == "sata_ssd") {
    c.read_ps = 110'000'000;
    c.write_ps = 52'000'000;
    c.bandwidth_mbps = 550;
  } else if (name == "hdd") {
    c.hdd = true;  // 7200 rpm: seek 1 / 8.2 / 20 ms, half a rotation 4.17 ms, 150 MB/s
  } else {
    return false;
  }
  *out = c;
  return true;
}

DiskTiming::DiskTiming(const DiskTimingConfig& cfg) : cfg_(cfg) {
  rotation_ps_ = 60'000'000'000'000ull / std::max<uint64_t>(1, cfg.rpm);
  tracks_ = std::max<uint64_t>(1, (cfg.capacity_sectors + cfg.sectors_per_track - 1) / cfg.sectors_per_track);
  // seek(d) = t2t + (full - t2t) * (d / tracks)^p. For uniformly random start and end tracks the mean
  // of (d/tracks)^p is 2 / ((p+1)(p+2)); choose p so the mean seek is the configured average.
  const double t2t = static_cast<double>(cfg.track_to_track_ps);
  const double span = static_cast<double>(cfg.full_stroke_ps) - t2t;
  const double above = static_cast<double>(cfg.avg_seek_ps) - t2t;
  if (span > 0 && above > 0 && above < span) {
    const double k = 2.0 * span / above;  // (p+1)(p+2)
    seek_exponent_ = (-3.0 + std::sqrt(1.0 + 4.0 * k)) / 2.0;
  }
}

uint64_t DiskTiming::seek_ps(uint64_t tracks) const {
  if (tracks == 0) return 0;
  const double frac = std::min(1.0, static_cast<double>(tracks) / static_cast<double>(tracks_));
  const double span = static_cast<double>(cfg_.full_stroke_ps) - static_cast<double>(cfg_.track_to_track_ps);
  return cfg_.track_to_track_ps + static_cast<uint64_t>(std::max(0.0, span) * std::pow(frac, seek_exponent_));
}

uint64_t DiskTiming::service(uint64_t sector, uint64_t sectors, bool write, uint64_t start_ps) {
  const uint64_t bytes = sectors * 512;
  if (!cfg_.hdd) {
    const uint64_t base = write ? cfg_.write_ps : cfg_.read_ps;
    const uint64_t extra = bytes > 4096 ? bytes - 4096 : 0;
    return base + extra * 1'000'000ull / std::max<uint64_t>(1, cfg_.bandwidth_mbps);  // MB/s = bytes/us
  }
  const uint64_t track = sector / cfg_.sectors_per_track;
  const uint64_t distance = track > head_track_ ? track - head_track_ : head_track_ - track;
  const uint64_t seek = seek_ps(distance);
  // Wait for the first sector to come under the head: the platter's angle is a function of time.
  const uint64_t arrive = start_ps + seek;
  const uint64_t sector_ps = rotation_ps_ / cfg_.sectors_per_track;
  const uint64_t target = (sector % cfg_.sectors_per_track) * sector_ps;
  const uint64_t angle = arrive % rotation_ps_;
  const uint64_t rotate = (target + rotation_ps_ - angle) % rotation_ps_;
  const uint64_t transfer = bytes * 1'000'000ull / std::max<uint64_t>(1, cfg_.transfer_mbps);
  head_track_ = sectors ? (sector + sectors - 1) / cfg_.sectors_per_track : track;
  return seek + rotate + transfer;
}

}  // namespace sv39sim
