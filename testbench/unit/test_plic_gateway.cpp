// PLIC gateways: QEMU's (the default) and strict level-triggered ones (plic.gateway=level), and the UART
// signalling its line where QEMU's serial model does. Expected values come from the RISC-V PLIC spec 1.0.0
// (gateways, claim/complete) and QEMU's behaviour as the dev_uart_irq_qemu self-test observes it on QEMU.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "models/arch/Csr.h"
#include "models/devices/Plic.h"
#include "models/devices/Uart16550.h"

namespace sv39sim {
namespace {

std::string fresh(const char* stem) {
  static int n = 0;
  return stem + std::to_string(n++);
}

// The hart's mip inputs, or a PLIC's source lines, as last driven; and every call, for the UART.
struct Lines : InterruptSink {
  void set_interrupt(unsigned line, bool level) override {
    if (line < 64) levels[line] = level;
    calls.push_back(level);
  }
  bool levels[64] = {};
  std::vector<bool> calls;
};

// Registers reached directly, as the bus would, without running SystemC.
struct TestPlic : Plic {
  TestPlic(Lines& hart, Gateway g) : Plic(fresh("plic").c_str(), hart, g) {}
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
};

constexpr uint64_t kPending = 0x1000, kEnable0 = 0x2000, kThreshold0 = 0x200000, kClaim0 = 0x200004;
constexpr unsigned kSrc = 10;

void route(TestPlic& p) {
  p.wr(4 * kSrc, 1);  // priority 1
  p.wr(kEnable0, 1u << kSrc);
  p.wr(kThreshold0, 0);
}

// A level-triggered gateway: after completion with the line still high the source is pending again and
// the context's interrupt is asserted at once (PLIC spec: the gateway sends a new request).
TEST(PlicGateway, LevelRepostsAfterCompletionWhileTheLineIsHigh) {
  Lines hart;
  TestPlic p(hart, Plic::Gateway::Level);
  route(p);
  p.set_interrupt(kSrc, true);
  EXPECT_TRUE(hart.levels[irq::kMei]);
  EXPECT_EQ(p.rd(kClaim0), kSrc);
  EXPECT_FALSE(hart.levels[irq::kMei]);
  EXPECT_EQ(p.rd(kPending), 0u) << "in service: no second request before completion";
  p.set_interrupt(kSrc, true);  // the device signals again while in service
  EXPECT_EQ(p.rd(kPending), 0u);
  p.wr(kClaim0, kSrc);  // complete
  EXPECT_EQ(p.rd(kPending), 1u << kSrc);
  EXPECT_TRUE(hart.levels[irq::kMei]);
  EXPECT_EQ(p.rd(kClaim0), kSrc);
  p.set_interrupt(kSrc, false);
  p.wr(kClaim0, kSrc);
  EXPECT_EQ(p.rd(kPending), 0u);
  EXPECT_FALSE(hart.levels[irq::kMei]);
}

// QEMU's gateway: completion does not sample the line; the next request is the device's next signal, which
// counts even while the source is in service and becomes claimable on completion.
TEST(PlicGateway, QemuPendsOnEachSignalNotOnCompletion) {
  Lines hart;
  TestPlic p(hart, Plic::Gateway::Qemu);
  route(p);
  p.set_interrupt(kSrc, true);
  EXPECT_TRUE(hart.levels[irq::kMei]);
  EXPECT_EQ(p.rd(kClaim0), kSrc);
  p.wr(kClaim0, kSrc);
  EXPECT_EQ(p.rd(kPending), 0u) << "the line is still high, but nothing new was signalled";
  EXPECT_FALSE(hart.levels[irq::kMei]);
  EXPECT_EQ(p.rd(kClaim0), 0u);
  p.set_interrupt(kSrc, true);
  EXPECT_EQ(p.rd(kClaim0), kSrc);
  p.set_interrupt(kSrc, true);  // signalled while in service: pending, not claimable, no interrupt yet
  EXPECT_EQ(p.rd(kPending), 1u << kSrc);
  EXPECT_FALSE(hart.levels[irq::kMei]);
  EXPECT_EQ(p.rd(kClaim0), 0u);
  p.wr(kClaim0, kSrc);
  EXPECT_TRUE(hart.levels[irq::kMei]);
  EXPECT_EQ(p.rd(kClaim0), kSrc);
  p.wr(kClaim0, kSrc);
  p.set_interrupt(kSrc, true);
  p.set_interrupt(kSrc, false);  // a dropped line withdraws the request
  EXPECT_EQ(p.rd(kPending), 0u);
  EXPECT_FALSE(hart.levels[irq::kMei]);
}

// The UART signals its line only where QEMU's model does: a driver polling LSR adds no request, and with a
// level gateway its standing THR-empty condition interrupts again after every completion.
struct TestUart : Uart16550 {
  explicit TestUart(InterruptSink& plic)
      : Uart16550(fresh("uart").c_str(), sink(), -1, sc_core::sc_time(100, sc_core::SC_US), plic, kSrc) {}
  static std::FILE* sink() {
    static std::FILE* f = std::fopen("/dev/null", "w");
    return f;
  }
  uint8_t rd(uint64_t off) {
    uint8_t v = 0;
    EXPECT_TRUE(read(off, &v, 1, sc_core::SC_ZERO_TIME));
    return v;
  }
  void wr(uint64_t off, uint8_t v) { EXPECT_TRUE(write(off, &v, 1, sc_core::SC_ZERO_TIME)); }
};

// The context outputs are levels (PLIC spec: a context's interrupt is asserted while an enabled pending
// source has a priority above its threshold). The hart is told of each change once: a driven level that
// did not change would only stop its run loop.
TEST(PlicOutputs, TheHartHearsOfEachChangeOnce) {
  Lines hart;
  TestPlic p(hart, Plic::Gateway::Qemu);
  route(p);
  EXPECT_TRUE(hart.calls.empty()) << "routing with nothing pending leaves MEIP low";
  p.set_interrupt(kSrc, true);
  ASSERT_EQ(hart.calls.size(), 1u);
  EXPECT_TRUE(hart.levels[irq::kMei]);
  p.set_interrupt(kSrc, true);  // another request from the same source: still pending
  p.wr(4 * kSrc, 3);            // a higher priority: still above the threshold
  EXPECT_EQ(hart.calls.size(), 1u);
  p.wr(kThreshold0, 3);  // priority 3 is not above threshold 3
  ASSERT_EQ(hart.calls.size(), 2u);
  EXPECT_FALSE(hart.levels[irq::kMei]);
  p.wr(kThreshold0, 2);
  ASSERT_EQ(hart.calls.size(), 3u);
  EXPECT_TRUE(hart.levels[irq::kMei]);
  EXPECT_EQ(p.rd(kClaim0), kSrc);  // claimed: no longer pending
  ASSERT_EQ(hart.calls.size(), 4u);
  EXPECT_FALSE(hart.levels[irq::kMei]);
  EXPECT_FALSE(hart.levels[irq::kSei]) << "context 1 has nothing enabled";
}

TEST(UartSignals, ThrEmptyIsSignalledOnEventsOnly) {
  Lines line;
  TestUart u(line);
  u.wr(1, 0x02);  // IER: THR empty
  EXPECT_EQ(line.calls, std::vector<bool>({true}));
  u.wr(1, 0x02);  // unchanged IER: no signal
  u.rd(5);        // LSR: no signal
  u.rd(0);        // RBR read: QEMU updates the line here
  EXPECT_EQ(line.calls, std::vector<bool>({true, true}));
  u.wr(0, 'x');  // THR: THR empty cleared (line low), then set again as the byte leaves
  EXPECT_EQ(line.calls, std::vector<bool>({true, true, false, true}));
  EXPECT_EQ(u.rd(2), 0x02);  // IIR shows THR empty, and the read clears it
  EXPECT_EQ(line.calls.back(), false);
  EXPECT_EQ(u.rd(2), 0x01);
}

TEST(UartSignals, WithALevelGatewayTheStandingThrEmptyConditionInterruptsAfterEveryCompletion) {
  Lines hart;
  TestPlic p(hart, Plic::Gateway::Level);
  route(p);
  TestUart u(p);
  u.wr(1, 0x02);
  for (int i = 0; i < 3; i++) {  // an xv6-style handler: claim, read LSR (nothing received), complete
    ASSERT_TRUE(hart.levels[irq::kMei]);
    EXPECT_EQ(p.rd(kClaim0), kSrc);
    u.rd(5);
    p.wr(kClaim0, kSrc);
  }
  EXPECT_TRUE(hart.levels[irq::kMei]) << "a level gateway keeps interrupting";
  TestPlic q(hart, Plic::Gateway::Qemu);
  route(q);
  TestUart v(q);
  v.wr(1, 0x02);
  EXPECT_EQ(q.rd(kClaim0), kSrc);
  v.rd(5);
  q.wr(kClaim0, kSrc);
  EXPECT_FALSE(hart.levels[irq::kMei]) << "QEMU's gateway: one interrupt for one event";
}

}  // namespace
}  // namespace sv39sim
