// Sstc in the hart alone: the supervisor timer interrupt is taken right after the instruction whose cycle
// brings time to stimecmp, with no per-instruction test (the deadline bounds the run loop), and
// hart.sstc = false removes stimecmp and menvcfg.STCE. The time source is a fake with a hand-checkable
// rate: mtime = cycle / 100 (10 MHz at 1 GHz).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "models/core/Hart.h"
#include "models/mem/PhysicalMemory.h"
#include "models/mmu/Mmu.h"

using namespace sv39sim;

namespace {

class NoDevices : public PhysicalMemory {
 public:
  bool read(uint64_t, void*, unsigned) override { return false; }
  bool write(uint64_t, const void*, unsigned) override { return false; }
};

class HundredCyclesPerTick : public TimeSource {
 public:
  uint64_t mtime_at_cycle(uint64_t cycle) override { return cycle / 100; }
  uint64_t cycle_at_mtime(uint64_t mtime, uint64_t) override { return mtime * 100; }
};

constexpr uint64_t kRamBase = 0x80000000, kRamSize = 0x10000;
constexpr uint64_t kSHandler = kRamBase + 0x8000;
constexpr uint32_t kAddiX5 = 0x00128293;     // addi x5, x5, 1
constexpr uint32_t kJumpBack4 = 0xffdff06f;  // jal x0, -4
constexpr uint32_t kJumpSelf = 0x0000006f;   // jal x0, 0
constexpr uint32_t kMret = 0x30200073;

class SstcTest : public ::testing::Test {
 protected:
  explicit SstcTest(bool sstc = true) : ram_(kRamSize), mmu_(devices_), hart_(mmu_, config(sstc)) {
    mmu_.set_ram(RamWindow{kRamBase, kRamSize, ram_.data()});
    hart_.set_time_source(&time_);
  }
  static HartConfig config(bool sstc) {
    HartConfig c;
    c.sstc = sstc;
    return c;
  }
  void put32(uint64_t addr, uint32_t v) { std::memcpy(&ram_[addr - kRamBase], &v, 4); }
  uint64_t csr(uint16_t num) {
    uint64_t v = 0;
    EXPECT_TRUE(hart_.csr_read(num, &v)) << std::hex << "csr 0x" << num;
    return v;
  }
  void set_csr(uint16_t num, uint64_t v) {
    EXPECT_TRUE(hart_.csr_write(num, v)) << std::hex << "csr 0x" << num;
  }

  // M-mode: mret into S at a counting loop (addi x5; j back), with the S timer delegated and enabled.
  void enter_counting_loop_in_s() {
    put32(kRamBase, kMret);
    put32(kRamBase + 4, kAddiX5);
    put32(kRamBase + 8, kJumpBack4);
    put32(kSHandler, kJumpSelf);
    hart_.reset(kRamBase);
    set_csr(csr::kPmpaddr0, ~0ull);
    set_csr(csr::kPmpcfg0, 0x1f);
    set_csr(csr::kStvec, kSHandler);
    set_csr(csr::kMideleg, irq::kStip);
    set_csr(csr::kMie, irq::kStip);
    set_csr(csr::kMstatus, (1ull << mstatus::kMppShift) | mstatus::kSie);
    set_csr(csr::kMepc, kRamBase + 4);
    set_csr(csr::kMcounteren, counteren::kTm);
    set_csr(csr::kMenvcfg, envcfg::kStce);
    hart_.run(1);
    ASSERT_EQ(hart_.priv(), Priv::S);
  }

  std::vector<uint8_t> ram_;
  NoDevices devices_;
  Mmu mmu_;
  Hart hart_;
  HundredCyclesPerTick time_;
};

TEST_F(SstcTest, TimerInterruptFollowsTheInstructionThatReachesStimecmp) {
  enter_counting_loop_in_s();
  set_csr(csr::kStimecmp, 50);  // time 50 = cycle 5000
  EXPECT_EQ(hart_.timer_deadline(), 5000u);
  // One call up to cycle 4999, as a driver's quantum would: nothing is pending yet.
  hart_.run(4999 - hart_.cycles());
  EXPECT_EQ(hart_.cycles(), 4999u);
  EXPECT_EQ(hart_.priv(), Priv::S);
  EXPECT_EQ(csr(csr::kSip) & irq::kStip, 0u);
  // The instruction at cycle 5000 sees time = 50; the interrupt comes before the next one, in one call.
  hart_.run(1000);
  EXPECT_EQ(hart_.pc(), kSHandler);
  EXPECT_EQ(csr(csr::kScause), (1ull << 63) | irq::kSti);
  // mret ran at cycle 1, then addi at every even cycle: the last one at 5000, so sepc is the jump after it.
  EXPECT_EQ(hart_.reg(5), 2500u);
  EXPECT_EQ(csr(csr::kSepc), kRamBase + 8);
  EXPECT_NE(csr(csr::kSip) & irq::kStip, 0u);
}

TEST_F(SstcTest, StipIsReadOnlyWhileStceIsSet) {
  enter_counting_loop_in_s();
  set_csr(csr::kStimecmp, ~0ull);
  set_csr(csr::kMip, irq::kStip);
  EXPECT_EQ(csr(csr::kMip) & irq::kStip, 0u) << "M cannot raise STIP with STCE=1";
  set_csr(csr::kStimecmp, 0);
  set_csr(csr::kMip, 0);
  EXPECT_NE(csr(csr::kMip) & irq::kStip, 0u) << "time >= stimecmp=0: M cannot lower it";
  set_csr(csr::kMenvcfg, 0);
  set_csr(csr::kMip, 0);
  EXPECT_EQ(csr(csr::kMip) & irq::kStip, 0u) << "STCE=0: STIP is M's bit again";
  EXPECT_EQ(hart_.timer_deadline(), UINT64_MAX);
}

TEST_F(SstcTest, MenvcfgKeepsOnlyImplementedFields) {
  hart_.reset(kRamBase);
  set_csr(csr::kMenvcfg, ~0ull);
  EXPECT_EQ(csr(csr::kMenvcfg), envcfg::kStce | envcfg::kFiom) << "no Svpbmt, Zicbom or Zicboz fields";
  set_csr(csr::kSenvcfg, ~0ull);
  EXPECT_EQ(csr(csr::kSenvcfg), envcfg::kFiom);
}

class SstcOffTest : public SstcTest {
 protected:
  SstcOffTest() : SstcTest(false) {}
};

TEST_F(SstcOffTest, StimecmpIsIllegalAndStceReadOnlyZero) {
  hart_.reset(kRamBase);
  uint64_t v = 0;
  EXPECT_FALSE(hart_.csr_read(csr::kStimecmp, &v)) << "no stimecmp even for M";
  EXPECT_FALSE(hart_.csr_write(csr::kStimecmp, 0));
  set_csr(csr::kMenvcfg, ~0ull);
  EXPECT_EQ(csr(csr::kMenvcfg), envcfg::kFiom);
  set_csr(csr::kMip, irq::kStip);
  EXPECT_NE(csr(csr::kMip) & irq::kStip, 0u) << "STIP stays M's writable bit";
}

}  // namespace
