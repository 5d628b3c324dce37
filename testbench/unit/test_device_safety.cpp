// Device state that guest requests of any shape must leave consistent. (Guest-visible cases run as
// firmware self-tests: dev_virtio_reset, dev_clint_wrap; the rest are in testbench/fuzz.)
#include <gtest/gtest.h>

#include "models/devices/DiskTiming.h"

namespace sv39sim {
namespace {

// A virtio-blk request may carry no data (a header and a status descriptor only): it moves no sector, so
// the head stays on its track. The next request on that track then pays no seek, only rotation and transfer.
TEST(DiskTimingSafety, EmptyRequestLeavesTheHeadWhereItWas) {
  DiskTimingConfig c;
  disk_preset("hdd", &c);
  c.capacity_sectors = 1024ull * 1000;  // 1000 tracks of 1024 sectors
  DiskTiming hdd(c);
  hdd.service(0, 0, false, 0);
  // Sector 0 again, right at time 0 + rotation: the platter is back at angle 0, so no rotational wait.
  const uint64_t rotation = hdd.rotation_ps();
  const uint64_t transfer = 512ull * 1'000'000 / c.transfer_mbps;  // one sector at 150 MB/s
  EXPECT_EQ(hdd.service(0, 1, false, rotation), transfer) << "a seek was charged: the head moved";
}

}  // namespace
}  // namespace sv39sim
