// PMP rules of the privileged spec ("Physical Memory Protection"), with hand-computed ranges.
#include <gtest/gtest.h>

#include "models/mmu/Pmp.h"

namespace sv39sim {
namespace {

constexpr uint8_t R = Pmp::kR, W = Pmp::kW, X = Pmp::kX, L = Pmp::kL;

// Writes entry i's cfg byte into the right pmpcfg register (entries 0-7 in pmpcfg0, 8-15 in pmpcfg2).
void set_cfg(Pmp& p, unsigned i, uint8_t cfg) {
  const unsigned reg = i < 8 ? 0 : 2;
  uint64_t v = p.read_cfg(reg);
  const unsigned shift = 8 * (i % 8);
  v = (v & ~(0xffull << shift)) | (uint64_t{cfg} << shift);
  p.write_cfg(reg, v);
}

TEST(Pmp, NoEntryMatchesMeansOnlyMachineModeSucceeds) {
  Pmp p;
  EXPECT_TRUE(p.allows(0x80000000, 8, Access::Load, Priv::M));
  EXPECT_FALSE(p.allows(0x80000000, 8, Access::Load, Priv::S));
  EXPECT_FALSE(p.allows(0x80000000, 4, Access::Fetch, Priv::U));
}

TEST(Pmp, NapotRangeFromTrailingOnes) {
  Pmp p;
  // 0x8000_0000 .. +64 KiB: pmpaddr = (base >> 2) | (size/8 - 1) = 0x2000_0000 | 0x1fff.
  p.write_addr(0, (0x80000000ull >> 2) | 0x1fff);
  set_cfg(p, 0, Pmp::kNapot | R);
  EXPECT_TRUE(p.allows(0x80000000, 8, Access::Load, Priv::S));
  EXPECT_TRUE(p.allows(0x8000fff8, 8, Access::Load, Priv::S));
  EXPECT_FALSE(p.allows(0x80010000, 8, Access::Load, Priv::S));   // one past the end
  EXPECT_FALSE(p.allows(0x80000000, 8, Access::Store, Priv::S));  // no W
  EXPECT_FALSE(p.allows(0x8000fffc, 8, Access::Load, Priv::S));   // straddles the end: partial match fails
  EXPECT_TRUE(p.allows(0x80000000, 8, Access::Store, Priv::M));   // unlocked: M ignores it
}

TEST(Pmp, TorUsesThePreviousAddressAsLowerBound) {
  Pmp p;
  p.write_addr(0, 0x1000 >> 2);
  p.write_addr(1, 0x3000 >> 2);
  set_cfg(p, 1, Pmp::kTor | R | W | X);  // [0x1000, 0x3000)
  EXPECT_FALSE(p.allows(0x0ffc, 4, Access::Load, Priv::U));
  EXPECT_TRUE(p.allows(0x1000, 4, Access::Load, Priv::U));
  EXPECT_TRUE(p.allows(0x2ffc, 4, Access::Fetch, Priv::U));
  EXPECT_FALSE(p.allows(0x3000, 4, Access::Load, Priv::U));
  // Entry 0 as TOR covers [0, pmpaddr0 << 2).
  set_cfg(p, 0, Pmp::kTor | R);
  EXPECT_TRUE(p.allows(0x0, 8, Access::Load, Priv::S));
  EXPECT_FALSE(p.allows(0x0, 8, Access::Store, Priv::S));
}

TEST(Pmp, Na4AndPriorityOfTheLowestEntry) {
  Pmp p;
  p.write_addr(0, 0x2000 >> 2);
  set_cfg(p, 0, Pmp::kNa4);  // [0x2000, 0x2004), no permissions
  p.write_addr(1, ~0ull);
  set_cfg(p, 1, Pmp::kNapot | R | W | X);                    // everything
  EXPECT_FALSE(p.allows(0x2000, 4, Access::Load, Priv::S));  // entry 0 wins
  EXPECT_TRUE(p.allows(0x2004, 4, Access::Load, Priv::S));   // only entry 1 matches
  EXPECT_FALSE(p.allows(0x1ffe, 4, Access::Load, Priv::S));  // touches entry 0's range partly
}

TEST(Pmp, LockedEntriesBindMachineModeAndIgnoreWrites) {
  Pmp p;
  p.write_addr(0, (0x80000000ull >> 2) | 0x1ff);  // 4 KiB NAPOT
  set_cfg(p, 0, Pmp::kNapot | R | L);
  EXPECT_FALSE(p.allows(0x80000000, 8, Access::Store, Priv::M));
  EXPECT_TRUE(p.allows(0x80000000, 8, Access::Load, Priv::M));
  p.write_addr(0, 0);
  set_cfg(p, 0, Pmp::kNapot | R | W | X);
  EXPECT_EQ(p.read_addr(0), (0x80000000ull >> 2) | 0x1ff);
  EXPECT_EQ(p.read_cfg(0) & 0xff, Pmp::kNapot | R | L);
  // A locked TOR entry locks the address register below it too.
  p.write_addr(2, 0x4000 >> 2);
  set_cfg(p, 3, Pmp::kTor | R | L);
  p.write_addr(2, 0x8000 >> 2);
  EXPECT_EQ(p.read_addr(2), 0x4000u >> 2);
}

TEST(Pmp, WarlRules) {
  Pmp p;
  set_cfg(p, 0, Pmp::kNapot | W);  // W without R is reserved
  EXPECT_EQ(p.read_cfg(0) & 0xff, Pmp::kNapot);
  p.write_addr(1, ~0ull);
  EXPECT_EQ(p.read_addr(1), (1ull << 54) - 1);  // pmpaddr holds bits 55:2 only
}

TEST(Pmp, PagePermissionsAreUniformOrUnknown) {
  Pmp p;
  p.write_addr(0, ~0ull);
  set_cfg(p, 0, Pmp::kNapot | R | X);
  EXPECT_EQ(p.page_permissions(0x80000000, Priv::S), R | X);
  // A 4-byte hole inside the page makes the page non-uniform.
  Pmp q;
  q.write_addr(0, 0x80000800 >> 2);
  set_cfg(q, 0, Pmp::kNa4);
  q.write_addr(1, ~0ull);
  set_cfg(q, 1, Pmp::kNapot | R | W | X);
  EXPECT_EQ(q.page_permissions(0x80000000, Priv::S), -1);
  EXPECT_EQ(q.page_permissions(0x80001000, Priv::S), R | W | X);
  // No entry at all: S gets nothing anywhere, uniformly.
  Pmp empty;
  EXPECT_EQ(empty.page_permissions(0x80000000, Priv::U), 0);
}

}  // namespace
}  // namespace sv39sim
