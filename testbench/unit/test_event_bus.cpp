// The event bus: counters see every event at once; ordered sinks see the stream in time order, numbered,
// and only once no module can still publish earlier (the horizons); a module that breaks its horizon is an
// internal error, never a stream that goes back in time.
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "models/sim/EventBus.h"

namespace sv39sim {
namespace {

class Recorder : public EventSink {
 public:
  void on_event(const Event& e) override { events.push_back(e); }
  void on_end(uint64_t t) override { ended_at = t; }
  std::vector<Event> events;
  uint64_t ended_at = 0;
};

Event at(uint64_t ps, EventKind k = EventKind::TlbLookup) {
  Event e;
  e.time_ps = ps;
  e.kind = k;
  return e;
}

TEST(EventBus, CountersSeeEventsAtOnceOrderedSinksInTimeOrder) {
  EventBus bus;
  Recorder counter, ordered;
  bus.subscribe_counter(&counter, {EventKind::TlbLookup});
  bus.subscribe_ordered(&ordered);
  EXPECT_TRUE(bus.wants(EventKind::PagerMarker));  // an ordered sink takes every kind
  EXPECT_TRUE(bus.wants(EventKind::Translation));
  uint64_t hart_ps = 0, device_ps = 0, instret = 7;
  bus.add_horizon([&] { return hart_ps; });
  bus.add_horizon([&] { return device_ps; });
  bus.set_instret_source(&instret);

  hart_ps = 3000;  // the hart ran ahead to 3 ns and published at 1 and 2 ns
  bus.publish(at(1000));
  bus.publish(at(2000, EventKind::WalkEnd));
  device_ps = 1500;  // a device, behind the hart, publishes at 1.5 ns
  bus.publish(at(1500, EventKind::DiskComplete));
  EXPECT_EQ(counter.events.size(), 3u);
  EXPECT_EQ(counter.events[2].kind, EventKind::DiskComplete);  // publication order
  EXPECT_EQ(counter.events[0].instret, 7u);

  bus.release();  // final: everything before min(3000, 1500)
  ASSERT_EQ(ordered.events.size(), 1u);
  EXPECT_EQ(ordered.events[0].time_ps, 1000u);

  device_ps = 2500;
  bus.release();
  ASSERT_EQ(ordered.events.size(), 3u);
  EXPECT_EQ(ordered.events[1].kind, EventKind::DiskComplete);  // 1.5 ns before 2 ns
  EXPECT_EQ(ordered.events[2].kind, EventKind::WalkEnd);
  for (uint64_t i = 0; i < 3; ++i) EXPECT_EQ(ordered.events[i].seq, i);

  bus.publish(at(2600));
  bus.end(9000);
  ASSERT_EQ(ordered.events.size(), 4u);
  EXPECT_EQ(ordered.events[3].seq, 3u);
  EXPECT_EQ(ordered.ended_at, 9000u);
}

TEST(EventBus, SameTimeKeepsPublicationOrder) {
  EventBus bus;
  Recorder ordered;
  bus.subscribe_ordered(&ordered);
  for (auto k : {EventKind::WalkStart, EventKind::PteRead, EventKind::PteRead, EventKind::WalkEnd})
    bus.publish(at(500, k));
  bus.end(500);
  ASSERT_EQ(ordered.events.size(), 4u);
  EXPECT_EQ(ordered.events[0].kind, EventKind::WalkStart);
  EXPECT_EQ(ordered.events[3].kind, EventKind::WalkEnd);
}

TEST(EventBus, PublishingBehindTheReleasedStreamIsAnInternalError) {
  EventBus bus;
  Recorder ordered;
  bus.subscribe_ordered(&ordered);
  uint64_t horizon = 5000;
  bus.add_horizon([&] { return horizon; });
  bus.publish(at(4000));
  bus.release();
  bus.publish(at(3000));  // earlier than what was already delivered
  EXPECT_THROW(bus.end(6000), std::logic_error);
}

TEST(EventBus, NothingHeldWithoutOrderedSinks) {
  EventBus bus;
  Recorder counter;
  bus.subscribe_counter(&counter, {EventKind::TlbLookup});
  EXPECT_FALSE(bus.wants_every_event());
  // A counter's kinds are wanted, no others (an ordered sink wants them all: see the test above).
  EXPECT_TRUE(bus.wants(EventKind::TlbLookup));
  EXPECT_FALSE(bus.wants(EventKind::WalkEnd));
  EXPECT_FALSE(bus.wants(EventKind::PagerMarker));
  bus.publish(at(10));
  bus.release();
  bus.end(20);
  EXPECT_EQ(counter.events.size(), 1u);
  EXPECT_EQ(bus.delivered(), 0u);
}

TEST(EventBus, Names) {
  EXPECT_STREQ(unit_name(Unit::L2tlb), "l2tlb");
  EXPECT_STREQ(unit_name(Unit::Pager), "pager");
  EXPECT_STREQ(event_kind_name(EventKind::TlbLookup), "tlb_lookup");
  EXPECT_STREQ(event_kind_name(EventKind::PagerMarker), "pager_marker");
  EXPECT_STREQ(event_kind_name(EventKind::DramAccess), "dram_access");
}

}  // namespace
}  // namespace sv39sim
