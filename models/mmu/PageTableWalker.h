// The page-table walker: a SystemC module with its own memory port (PTE data over TLM, timing through
// the memory system at the level the config names), an optional page-walk cache of non-leaf PTEs, and
// one walk at a time — a request that arrives while a walk is in flight waits its turn. Everything it
// does — PWC lookups, fills and invalidations, walk start and end, every PTE read and A/D write with
// where it was served and how long it took — is published on the EventBus (statistics count from there).
#pragma once

#include <tlm_utils/simple_initiator_socket.h>

#include <array>
#include <memory>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/mem/MemoryTiming.h"
#include "models/mem/SetAssocArray.h"
#include "models/mmu/Pmp.h"
#include "models/mmu/Sv39.h"
#include "models/mmu/Tlb.h"
#include "models/sim/EventBus.h"
#include "models/sim/TlmAccess.h"

namespace sv39sim {

// The member defaults are the model's: the config schema takes its defaults from them (seed aside).
struct WalkerConfig {
  bool pwc_enabled = true;
  bool pwc_per_level = false;  // separate arrays for level-2 and level-1 pointers, or one shared
  // SFENCE.VMA with rs1 != x0 need only order leaf PTEs (privileged spec); dropping the cached pointers on
  // that VA's path as well is a stricter implementation choice.
  bool pwc_flush_on_va_fence = false;
  unsigned pwc_sets = 8, pwc_ways = 4;
  ReplacementPolicy pwc_policy = ReplacementPolicy::Lru;
  uint64_t pwc_seed = 7;
  unsigned step_cycles = 1;  // walker logic per PTE step, beyond the memory read
};

struct PwcEntry {
  uint64_t tag = 0;    // VPN bits above the level this pointer translates
  uint64_t table = 0;  // physical address of the next-level table
  uint16_t asid = 0;
  uint8_t level = 0;  // level of the pointer PTE (2 or 1)
  bool global = false;
};

class PageTableWalker : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<PageTableWalker> mem;

  struct Request {
    uint64_t va = 0;
    Access access = Access::Load;
    sv39::AccessRights rights;
    uint64_t satp = 0;
    bool hardware_ad = true;
    uint64_t now_ps = 0;
  };
  struct Result {
    sv39::WalkResult walk;
    uint64_t done_ps = 0;
  };

  PageTableWalker(sc_core::sc_module_name name, const WalkerConfig& cfg, Pmp& pmp, MemoryTiming& timing,
                  EventBus* events, uint64_t clock_period_ps);

  Result walk(const Request& req);
  void flush(const SfenceReq& req, uint64_t now_ps);
  void reset();
  const WalkerConfig& config() const { return cfg_; }

 private:
  class Port;  // the walk's view of memory: PMP, data over TLM, time through MemoryTiming
  SetAssocArray<PwcEntry>* pwc_for(unsigned level);
  bool pwc_lookup(uint64_t va, uint16_t asid, sv39::WalkStart* start, uint64_t now_ps);
  void pwc_fill(const sv39::WalkResult& w, uint64_t va, uint16_t asid, const sv39::WalkStart& start,
                uint64_t now_ps);
  void publish_drop(const PwcEntry& x, unsigned set, unsigned way, uint64_t now_ps) const;
  bool wants(EventKind k) const { return events_ && events_->wants(k); }
  void publish(const Event& e) const { events_->publish(e); }
  bool transport(tlm::tlm_command cmd, uint64_t pa, uint64_t* data);

  WalkerConfig cfg_;
  Pmp& pmp_;
  MemoryTiming& timing_;
  EventBus* events_;
  uint64_t period_ps_;
  std::unique_ptr<SetAssocArray<PwcEntry>> pwc_shared_, pwc_l2_, pwc_l1_;
  uint64_t busy_until_ps_ = 0;
  Event probes_[sv39::kLevels - 1];  // one walk's PWC lookup events, per level probed
  unsigned n_probes_ = 0;
  PlainAccess mem_access_;
};

}  // namespace sv39sim
