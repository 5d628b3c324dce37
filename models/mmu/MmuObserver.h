// One observer interface for everything the memory system does: translations, walk steps, TLB fills,
// evictions, fences and faults, each with its simulated time (ps). Statistics subscribe now; waveforms
// and the RTL cross-check subscribe the same way without touching the models.
#pragma once

#include <cstdint>
#include <vector>

#include "models/mmu/Sv39.h"

namespace sv39sim {

struct TlbEntry;
struct SfenceReq;
enum class FlushKind : uint8_t;

enum class XlateSource : uint8_t { Bare, L1Tlb, L2Tlb, Walk };

// One translation, as the DESIGN's XlateReq/XlateRsp pair.
struct XlateEvent {
  uint64_t seq = 0;
  uint64_t va = 0;
  Access access = Access::Load;
  Priv eff_priv = Priv::M;
  bool sum = false, mxr = false;
  uint64_t satp = 0;
  uint64_t paddr = 0;
  unsigned page_level = 0;
  XlateSource source = XlateSource::Bare;
  bool fault = false;
  uint64_t cause = 0;
  uint64_t time_ps = 0;
};

struct WalkEvent {
  uint64_t seq = 0;
  uint64_t va = 0;
  Access access = Access::Load;
  bool ok = false;
  uint64_t cause = 0;
  unsigned level = 0;          // leaf level when ok
  unsigned pwc_hit_level = 0;  // 0: no PWC hit; else the level the walk started at + 1
  unsigned memory_reads = 0;
  bool ad_updated = false;
  uint64_t start_ps = 0, end_ps = 0, queued_ps = 0;
};

class MmuObserver {
 public:
  virtual ~MmuObserver() = default;
  virtual void on_translation(const XlateEvent&) {}
  virtual void on_walk_step(const sv39::PteRead&, uint64_t /*time_ps*/) {}
  virtual void on_walk(const WalkEvent&) {}
  virtual void on_tlb_fill(const char* /*tlb*/, const TlbEntry&, uint64_t /*time_ps*/) {}
  virtual void on_tlb_evict(const char* /*tlb*/, const TlbEntry&, uint64_t /*time_ps*/) {}
  virtual void on_fence(const SfenceReq&, FlushKind, unsigned /*entries*/, uint64_t /*time_ps*/) {}
  virtual void on_fault(uint64_t /*cause*/, uint64_t /*tval*/, uint64_t /*time_ps*/) {}
  // Per-translation events cost a call on the hot path; only subscribers that need them say so.
  virtual bool wants_translations() const { return false; }
};

// Fans every event out to the subscribers.
class MmuObservers : public MmuObserver {
 public:
  void subscribe(MmuObserver* o) {
    list_.push_back(o);
    wants_translations_ |= o->wants_translations();
  }
  bool wants_translations() const override { return wants_translations_; }
  void on_translation(const XlateEvent& e) override {
    for (auto* o : list_) o->on_translation(e);
  }
  void on_walk_step(const sv39::PteRead& r, uint64_t t) override {
    for (auto* o : list_) o->on_walk_step(r, t);
  }
  void on_walk(const WalkEvent& e) override {
    for (auto* o : list_) o->on_walk(e);
  }
  void on_tlb_fill(const char* tlb, const TlbEntry& e, uint64_t t) override {
    for (auto* o : list_) o->on_tlb_fill(tlb, e, t);
  }
  void on_tlb_evict(const char* tlb, const TlbEntry& e, uint64_t t) override {
    for (auto* o : list_) o->on_tlb_evict(tlb, e, t);
  }
  void on_fence(const SfenceReq& r, FlushKind k, unsigned n, uint64_t t) override {
    for (auto* o : list_) o->on_fence(r, k, n, t);
  }
  void on_fault(uint64_t c, uint64_t v, uint64_t t) override {
    for (auto* o : list_) o->on_fault(c, v, t);
  }

 private:
  std::vector<MmuObserver*> list_;
  bool wants_translations_ = false;
};

}  // namespace sv39sim
