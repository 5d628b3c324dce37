// Disk service times against hand-computed figures (DESIGN.md: NVMe 85/20 us, SATA SSD 110/52 us per
// 4 KiB; 7200 rpm HDD with 1 / 8.2 / 20 ms seeks and 150 MB/s).
#include <gtest/gtest.h>

#include <cmath>

#include "models/devices/DiskTiming.h"

namespace sv39sim {
namespace {

DiskTimingConfig preset(const char* name) {
  DiskTimingConfig c;
  EXPECT_TRUE(disk_preset(name, &c));
  return c;
}

TEST(DiskTiming, FlashPresets) {
  DiskTiming nvme(preset("nvme"));
  EXPECT_EQ(nvme.service(1000, 8, false, 0), 85'000'000u);  // one 4 KiB read: 85 us
  EXPECT_EQ(nvme.service(7, 8, true, 0), 20'000'000u);      // one 4 KiB write: 20 us
  // 8 KiB read: 85 us + 4096 B at 3000 MB/s = 85 us + 1.365333 us -> 86 365 333 ps.
  EXPECT_EQ(nvme.service(0, 16, false, 0), 85'000'000u + 4096u * 1'000'000u / 3000u);
  DiskTiming ssd(preset("sata_ssd"));
  EXPECT_EQ(ssd.service(0, 8, false, 0), 110'000'000u);
  EXPECT_EQ(ssd.service(0, 8, true, 0), 52'000'000u);
  DiskTimingConfig unknown;
  EXPECT_FALSE(disk_preset("floppy", &unknown));
}

TEST(DiskTiming, HddSeekCurvePassesThroughItsThreeFigures) {
  DiskTimingConfig c = preset("hdd");
  c.capacity_sectors = 1024ull * 200000;  // 200 000 tracks, a realistic count
  DiskTiming hdd(c);
  EXPECT_EQ(hdd.seek_ps(0), 0u);
  EXPECT_NEAR(hdd.seek_ps(1) / 1e9, 1.0, 0.01);              // track to track ~1 ms
  EXPECT_NEAR(hdd.seek_ps(hdd.tracks()) / 1e9, 20.0, 1e-6);  // full stroke 20 ms
  // Mean over uniformly random start and end tracks must be the 8.2 ms average (numerically).
  const uint64_t n = hdd.tracks();
  double sum = 0;
  const int kSteps = 400;
  for (int i = 0; i < kSteps; ++i) {
    for (int j = 0; j < kSteps; ++j) {
      const uint64_t a = (2 * i + 1) * n / (2 * kSteps), b = (2 * j + 1) * n / (2 * kSteps);
      sum += hdd.seek_ps(a > b ? a - b : b - a);
    }
  }
  EXPECT_NEAR(sum / (kSteps * kSteps) / 1e9, 8.2, 0.15);
}

TEST(DiskTiming, HddRotationAndTransfer) {
  DiskTimingConfig c = preset("hdd");
  c.capacity_sectors = 1024 * 1000;  // 1000 tracks of 1024 sectors
  DiskTiming hdd(c);
  EXPECT_EQ(hdd.rotation_ps(), 60'000'000'000'000ull / 7200);  // 8.333 ms
  // Head on track 0, platter angle 0 at t=0: sector 0 is under the head, so a 4 KiB read costs only
  // the transfer: 4096 B at 150 MB/s = 27.306 us.
  EXPECT_EQ(hdd.service(0, 8, false, 0), 4096u * 1'000'000u / 150u);
  // Same track, sector 512 (half a revolution away), starting at t = 0 again: half a rotation + transfer.
  const uint64_t sector_ps = hdd.rotation_ps() / 1024;
  EXPECT_EQ(hdd.service(512, 8, false, 0), 512 * sector_ps + 4096u * 1'000'000u / 150u);
  // A seek of 500 tracks costs the curve's value, then rotation to the target angle, then transfer.
  const uint64_t start = 3'000'000'000;  // 3 ms
  const uint64_t seek = hdd.seek_ps(500 - 0);
  const uint64_t arrive = start + seek;
  const uint64_t target = 0;  // sector 500*1024 is at angle 0 of its track
  const uint64_t rotate = (target + hdd.rotation_ps() - arrive % hdd.rotation_ps()) % hdd.rotation_ps();
  EXPECT_EQ(hdd.service(500 * 1024, 8, false, start), seek + rotate + 4096u * 1'000'000u / 150u);
}

}  // namespace
}  // namespace sv39sim
