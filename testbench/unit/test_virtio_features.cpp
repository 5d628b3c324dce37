// virtio-blk identity and feature negotiation: QEMU's (the default) and spec-strict
// (disk.virtio.strict_features). Expected values come from the virtio 1.1 spec (3.1.1 device
// initialisation, 4.2.2 MMIO registers, 6.1) and QEMU's behaviour as the dev_virtio_qemu_identity self-test
// observes it on QEMU.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "models/devices/VirtioBlk.h"

namespace sv39sim {
namespace {

std::string fresh(const char* stem) {
  static int n = 0;
  return stem + std::to_string(n++);
}

struct NoLines : InterruptSink {
  void set_interrupt(unsigned, bool) override {}
};

// A one-sector disk image: without an image the slot is an empty transport (NoImageIsAnEmptyTransport below).
// Named by process (ctest runs each test of this file as a process of its own, several at once) and
// removed when the process ends.
std::string one_sector_image() {
  const std::string path = ::testing::TempDir() + "virtio_features." + std::to_string(::getpid()) + ".img";
  static const struct RemovedAtExit {
    std::string path;
    ~RemovedAtExit() { std::remove(path.c_str()); }
  } image{path};
  std::FILE* f = std::fopen(path.c_str(), "wb");
  EXPECT_NE(f, nullptr);
  const std::vector<uint8_t> sector(512);
  if (f) std::fwrite(sector.data(), 1, sector.size(), f), std::fclose(f);
  return path;
}

// virtio-blk feature negotiation.
struct TestVirtio : VirtioBlk {
  TestVirtio(NoLines& plic, bool strict, const std::string& image = one_sector_image())
      : VirtioBlk(fresh("virtio").c_str(), image, DiskTimingConfig{}, RamWindow{}, plic, 1, strict) {}
  uint32_t rd(uint64_t off) {
    uint8_t b[4];
    EXPECT_TRUE(read(off, b, 4, sc_core::SC_ZERO_TIME));
    uint32_t v;
    std::memcpy(&v, b, 4);
    return v;
  }
  void wr(uint64_t off, uint32_t v) {
    EXPECT_TRUE(write(off, reinterpret_cast<uint8_t*>(&v), 4, sc_core::SC_ZERO_TIME));
  }
  // Reset, ACKNOWLEDGE, DRIVER, driver features (word 0, word 1), FEATURES_OK; the status read back.
  uint32_t negotiate(uint32_t word0, uint32_t word1) {
    wr(0x070, 0);
    wr(0x070, 1);
    wr(0x070, 3);
    wr(0x024, 0);
    wr(0x020, word0);
    wr(0x024, 1);
    wr(0x020, word1);
    wr(0x070, 11);
    return rd(0x070);
  }
};

TEST(VirtioFeatures, IdentityIsQemus) {
  NoLines plic;
  TestVirtio d(plic, false);
  EXPECT_EQ(d.rd(0x000), 0x74726976u);  // "virt"
  EXPECT_EQ(d.rd(0x004), 2u);
  EXPECT_EQ(d.rd(0x008), 2u);           // block device
  EXPECT_EQ(d.rd(0x00c), 0x554d4551u);  // "QEMU"
}

// Without a disk image the slot reads as QEMU's empty transports do (virtio-mmio.c with no backend):
// the identity with device id 0, every other register 0, writes ignored.
TEST(VirtioFeatures, NoImageIsAnEmptyTransport) {
  NoLines plic;
  TestVirtio d(plic, false, "");
  EXPECT_EQ(d.rd(0x000), 0x74726976u);
  EXPECT_EQ(d.rd(0x004), 2u);
  EXPECT_EQ(d.rd(0x008), 0u);
  EXPECT_EQ(d.rd(0x00c), 0x554d4551u);
  EXPECT_EQ(d.rd(0x034), 0u);  // QueueNumMax: no queue
  EXPECT_EQ(d.negotiate(0, 1), 0u);
}

TEST(VirtioFeatures, StrictRefusesFeaturesOkWithoutVersion1OrWithBitsNotOffered) {
  NoLines plic;
  TestVirtio d(plic, true);
  EXPECT_EQ(d.negotiate(0, 1), 11u);        // VERSION_1 only: accepted
  EXPECT_EQ(d.negotiate(0, 0), 3u);         // no VERSION_1: FEATURES_OK stays clear
  EXPECT_EQ(d.negotiate(1u << 28, 1), 3u);  // INDIRECT_DESC was not offered
}

TEST(VirtioFeatures, DefaultAcceptsWhatQemuAccepts) {
  NoLines plic;
  TestVirtio d(plic, false);
  EXPECT_EQ(d.negotiate(0, 1), 11u);
  EXPECT_EQ(d.negotiate(0, 0), 11u);
  EXPECT_EQ(d.negotiate(1u << 28, 1), 11u);
}

}  // namespace
}  // namespace sv39sim
