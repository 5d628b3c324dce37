// PlainAccess (models/sim/TlmAccess.h): one reused TLM payload per initiator. Expected values are the
// TLM-2.0 base protocol's: the target sees the command, address, data and length the initiator gave,
// with no byte enables, and the initiator's answer is the response status the target set.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "models/sim/TlmAccess.h"

namespace sv39sim {
namespace {

// What a socket's operator-> hands back: a target that records each transaction and may start another
// access from the same initiator while serving one (as a device whose register write triggers DMA might).
struct RecordingTarget {
  struct Seen {
    tlm::tlm_command cmd;
    uint64_t addr;
    unsigned len;
    bool byte_enables;
  };
  std::vector<Seen> seen;
  PlainAccess* reenter = nullptr;  // the initiator's accessor, to issue a nested access through
  uint64_t nested_addr = 0;
  bool nested_ok = false;

  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
};

struct FakeSocket {
  RecordingTarget* target;
  RecordingTarget* operator->() { return target; }
};

void RecordingTarget::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  seen.push_back({p.get_command(), p.get_address(), p.get_data_length(), p.get_byte_enable_ptr() != nullptr});
  if (reenter) {
    PlainAccess* inner = reenter;
    reenter = nullptr;
    FakeSocket self{this};
    uint32_t word = 0;
    nested_ok = inner->issue(self, tlm::TLM_READ_COMMAND, nested_addr, &word, 4, delay);
  }
  // An odd address is refused: the initiator must see the status of its own transaction.
  p.set_response_status(p.get_address() & 1 ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_OK_RESPONSE);
}

TEST(PlainAccess, EachAccessCarriesItsOwnFieldsAndAnswer) {
  RecordingTarget target;
  FakeSocket socket{&target};
  PlainAccess access;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  uint64_t data = 0;
  EXPECT_TRUE(access.issue(socket, tlm::TLM_WRITE_COMMAND, 0x1000, &data, 8, delay));
  EXPECT_FALSE(access.issue(socket, tlm::TLM_READ_COMMAND, 0x1001, &data, 1, delay));
  EXPECT_TRUE(access.issue(socket, tlm::TLM_READ_COMMAND, 0x2000, &data, 4, delay));
  ASSERT_EQ(target.seen.size(), 3u);
  EXPECT_EQ(target.seen[0].cmd, tlm::TLM_WRITE_COMMAND);
  EXPECT_EQ(target.seen[1].addr, 0x1001u);
  EXPECT_EQ(target.seen[1].len, 1u);
  EXPECT_EQ(target.seen[2].cmd, tlm::TLM_READ_COMMAND);
  EXPECT_EQ(target.seen[2].len, 4u);
  for (const auto& s : target.seen) EXPECT_FALSE(s.byte_enables);
}

TEST(PlainAccess, AnAccessStartedWhileOneIsInFlightDoesNotDisturbIt) {
  RecordingTarget target;
  FakeSocket socket{&target};
  PlainAccess access;
  target.reenter = &access;
  target.nested_addr = 0x3001;  // refused: its status must not leak into the outer access
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  uint64_t data = 0;
  EXPECT_TRUE(access.issue(socket, tlm::TLM_WRITE_COMMAND, 0x4000, &data, 8, delay));
  EXPECT_FALSE(target.nested_ok);
  ASSERT_EQ(target.seen.size(), 2u);
  EXPECT_EQ(target.seen[0].addr, 0x4000u);
  EXPECT_EQ(target.seen[1].addr, 0x3001u);
  // The accessor is free again afterwards.
  EXPECT_TRUE(access.issue(socket, tlm::TLM_READ_COMMAND, 0x5000, &data, 2, delay));
}

}  // namespace
}  // namespace sv39sim
