// The Sdtrig Trigger Module on its own: match encodings (Debug Specification 1.0, mcontrol/mcontrol6
// "match"), which modes a trigger is armed in, and what tdata1 writes keep. Expected values are worked
// out from the spec's field definitions by hand.
#include <gtest/gtest.h>

#include "models/core/Triggers.h"

using namespace sv39sim;

namespace {

constexpr uint64_t kLoad = 1, kStore = 2, kExec = 4, kU = 8, kS = 16, kM = 64;
constexpr uint64_t type(uint64_t t) {
  return t << 60;
}
constexpr uint64_t match(uint64_t m) {
  return m << 7;
}

struct TriggersTest : ::testing::Test {
  Triggers t;
  TriggersTest() { t.reset(); }
  void set(unsigned i, uint64_t tdata1, uint64_t tdata2) {
    t.write_tselect(i);
    t.write_tdata1(tdata1);
    t.write_tdata2(tdata2);
  }
  bool load(uint64_t va, unsigned len, uint64_t* tval, Priv p = Priv::M) {
    return t.match_access(p, va, len, true, false, tval);
  }
};

TEST_F(TriggersTest, ResetTriggersMatchNothingAndArmNoMode) {
  uint64_t tval;
  EXPECT_EQ(t.armed_modes(), 0);
  for (unsigned i = 0; i < Triggers::kCount; ++i) {
    t.write_tselect(i);
    EXPECT_EQ(t.tdata1(), type(2));
    EXPECT_EQ(t.tdata2(), 0u);
  }
  EXPECT_FALSE(load(0, 8, &tval));
  EXPECT_FALSE(t.match_execute(Priv::M, 0, 0, &tval));
}

TEST_F(TriggersTest, ArmedModesFollowModeBitsOfTriggersWithAnAccessBit) {
  set(0, type(2) | kU | kS, 0x1000);  // no access bit: cannot fire
  EXPECT_EQ(t.armed_modes(), 0);
  set(1, type(6) | kS | kStore, 0x1000);
  EXPECT_EQ(t.armed_modes(), 1u << 1);
  set(2, type(2) | kM | kU | kExec, 0x1000);
  EXPECT_EQ(t.armed_modes(), (1u << 0) | (1u << 1) | (1u << 3));
  t.write_tselect(1);
  t.write_tdata1(0);
  EXPECT_EQ(t.tdata1(), type(15));
  EXPECT_EQ(t.armed_modes(), (1u << 0) | (1u << 3));
}

TEST_F(TriggersTest, EqualMatchesAnyAccessedByteAndReportsThatByte) {
  uint64_t tval = 0;
  set(0, type(6) | kM | kLoad, 0x8000'1003);
  EXPECT_TRUE(load(0x8000'1000, 4, &tval));  // bytes 1000..1003
  EXPECT_EQ(tval, 0x8000'1003u);
  EXPECT_FALSE(load(0x8000'0ffc, 4, &tval));  // bytes ffc..fff
  EXPECT_FALSE(load(0x8000'1004, 1, &tval));
  EXPECT_FALSE(t.match_access(Priv::M, 0x8000'1003, 1, false, true, &tval));  // a store
  EXPECT_FALSE(load(0x8000'1003, 1, &tval, Priv::S));                         // not enabled in S
}

TEST_F(TriggersTest, NegatedMatchFiresWhenNoByteMatches) {
  uint64_t tval = 0;
  set(0, type(2) | kM | kLoad | match(8), 0x2000);  // not equal
  EXPECT_FALSE(load(0x1ffe, 4, &tval));             // covers 0x2000
  EXPECT_TRUE(load(0x2001, 2, &tval));
  EXPECT_EQ(tval, 0x2001u);  // the access's lowest address
}

TEST_F(TriggersTest, NapotRangeIsSetByTheLowestZeroBit) {
  uint64_t tval = 0;
  // 0x4000 | 0x7ff: lowest zero at bit 11, so bits 63..12 compare: the 4 KiB page 0x4000..0x4fff.
  set(0, type(6) | kM | kLoad | match(1), 0x47ff);
  EXPECT_TRUE(load(0x4000, 1, &tval));
  EXPECT_TRUE(load(0x4ff8, 8, &tval));
  EXPECT_FALSE(load(0x5000, 1, &tval));
  EXPECT_FALSE(load(0x3ff8, 8, &tval));
  EXPECT_TRUE(load(0x3ffc, 8, &tval));  // bytes 3ffc..4003: 0x4000 is the first inside
  EXPECT_EQ(tval, 0x4000u);
  set(0, type(6) | kM | kLoad | match(9), 0x47ff);  // not NAPOT
  EXPECT_TRUE(load(0x5000, 1, &tval));
  EXPECT_FALSE(load(0x4800, 1, &tval));
}

TEST_F(TriggersTest, MaskLowAndMaskHighCompareHalvesUnderAMask) {
  uint64_t tval = 0;
  // mask low: value[31:0] & tdata2[63:32] == tdata2[31:0]. Mask 0xffff0000, compare 0x12340000.
  set(0, type(2) | kM | kLoad | match(4), 0xffff0000'12340000ull);
  EXPECT_TRUE(load(0x1234'5678, 1, &tval));
  EXPECT_TRUE(load(0x9'1234'0000ull, 1, &tval));  // upper half ignored
  EXPECT_FALSE(load(0x1235'0000, 1, &tval));
  // mask high: value[63:32] & tdata2[63:32] == tdata2[31:0]. Mask 0xf, compare 0x3.
  set(0, type(2) | kM | kLoad | match(5), 0x0000000f'00000003ull);
  EXPECT_TRUE(load(0x13'0000'0000ull, 1, &tval));
  EXPECT_FALSE(load(0x14'0000'0000ull, 1, &tval));
  set(0, type(2) | kM | kLoad | match(13), 0x0000000f'00000003ull);  // not mask high
  EXPECT_TRUE(load(0x14'0000'0000ull, 1, &tval));
}

TEST_F(TriggersTest, GreaterOrEqualAndLessThanAreUnsigned) {
  uint64_t tval = 0;
  set(0, type(2) | kM | kExec | match(2), 0x8000'0000);
  EXPECT_TRUE(t.match_execute(Priv::M, 0xffff'ffff'ffff'f000ull, 0, &tval));
  EXPECT_FALSE(t.match_execute(Priv::M, 0x7fff'fffe, 0, &tval));
  set(0, type(2) | kM | kExec | match(3), 0x8000'0000);
  EXPECT_TRUE(t.match_execute(Priv::M, 0x7fff'fffe, 0, &tval));
  EXPECT_EQ(tval, 0x7fff'fffeu);
}

TEST_F(TriggersTest, WritesKeepOnlyImplementedFields) {
  // hit (20), select (19), timing (18), action 1 (12), chain (11), dmode (59) and maskmax all read 0.
  const uint64_t extras = (1ull << 20) | (1ull << 19) | (1ull << 18) | (1ull << 12) | (1ull << 11) |
                          (1ull << 59) | (0x3full << 53);
  set(0, type(2) | kM | kLoad | extras, 0);
  EXPECT_EQ(t.tdata1(), type(2) | kM | kLoad);
  // mcontrol6: vs (24), vu (23), hit0 (22), hit1 (25), uncertain (26), uncertainen (5), select (21).
  const uint64_t extras6 =
      (1ull << 26) | (1ull << 25) | (1ull << 24) | (1ull << 23) | (1ull << 22) | (1ull << 21) | (1ull << 5);
  set(0, type(6) | kS | kStore | extras6, 0);
  EXPECT_EQ(t.tdata1(), type(6) | kS | kStore);
  set(0, type(2) | kM | kLoad | match(6), 0);  // reserved match value
  EXPECT_EQ(t.tdata1(), type(2) | kM | kLoad);
  t.write_tselect(Triggers::kCount);
  EXPECT_EQ(t.tselect(), 0u);
}

}  // namespace
