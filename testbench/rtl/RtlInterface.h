// The cross-check's port interface of an RTL MMU top (docs/rtl-cross-check.md; hw/top/sv39_mmu.sv is the
// project's own top): driving a translation request, a fence and the walker's memory port, and turning
// what the obs_* ports report in a cycle into the model's event records (models/sim/Event.h), so both
// sides are compared as the same kind of thing.
#pragma once

#include <cstdint>
#include <vector>

#include "models/sim/Event.h"
#include "testbench/rtl/RtlBuild.h"
#include "testbench/rtl/RtlTop.h"

namespace sv39sim::rtl {

// A translation request as the RTL takes it.
struct RtlRequest {
  uint64_t va = 0;
  uint8_t access = 0;  // Access
  uint8_t priv = 1;    // Priv
  bool sum = false, mxr = false;
  uint64_t satp = 0;
  bool hardware_ad = true;
};

// A fence as the RTL takes it (the Sfence event's operands).
struct RtlFence {
  bool has_va = false, has_asid = false, satp_write = false;
  uint64_t va = 0;
  uint16_t asid = 0;
};

class RtlInterface {
 public:
  RtlInterface(RtlTop& top, const RtlGeometry& geometry);

  // Inputs.
  void drive_request(bool valid, const RtlRequest& r);
  void drive_fence(bool valid, const RtlFence& f);
  void drive_memory_response(bool valid, uint64_t data, bool err, bool changed);
  bool request_ready() const { return req_ready_.get() != 0; }
  bool fence_done() const { return fence_done_.get() != 0; }

  // The walker's memory request this cycle, if any (mem_req_ready_i is always 1).
  struct MemRequest {
    bool valid = false, cas = false;
    uint64_t addr = 0, expected = 0, desired = 0;
    unsigned level = 0;
  };
  MemRequest memory_request() const;

  // The response this cycle, as a Translation event (va, access, asid from `r`), if rsp_valid_o.
  bool response(const RtlRequest& r, Event* out) const;

  // Appends the events the obs_* ports report this cycle (for request `r`; during a fence, r is the last
  // request and only invalidations are reported). Walker PTE reads and writes are made by the checker from
  // the memory port, since only it knows the response.
  void observe(const RtlRequest& r, std::vector<Event>* out) const;

 private:
  struct TlbPorts {
    Unit unit;
    unsigned ways;
    RtlTop::Port lookup, found, hit, set, way, entry;
    RtlTop::Port fill, fill_set, fill_way, fill_entry, fill_evict, fill_victim;
    RtlTop::Port inv, inv_reason, inv_set, inv_super, inv_ways, inv_entries;
  };
  TlbPorts tlb_ports(const char* name, Unit unit, unsigned ways) const;
  void observe_tlb(const TlbPorts& t, const RtlRequest& r, std::vector<Event>* out) const;

  RtlTop& top_;
  TlbPorts tlbs_[3];
  unsigned n_tlbs_ = 0;
  RtlTop::Port req_valid_, req_ready_, req_va_, req_access_, req_priv_, req_sum_, req_mxr_, req_satp_,
      req_hw_ad_;
  RtlTop::Port rsp_valid_, rsp_fault_, rsp_cause_, rsp_pa_, rsp_level_, rsp_source_;
  RtlTop::Port fence_valid_, fence_req_, fence_done_;
  RtlTop::Port mem_req_valid_, mem_req_ready_, mem_req_cas_, mem_req_addr_, mem_req_level_, mem_req_expected_,
      mem_req_desired_, mem_rsp_valid_, mem_rsp_rdata_, mem_rsp_err_, mem_rsp_changed_;
  RtlTop::Port walk_start_, walk_start_level_, walk_end_, walk_ok_, walk_cause_, walk_level_, walk_pa_;
  RtlTop::Port pwc_probe_, pwc_probe_level_, pwc_probe_set_, pwc_probe_way_, pwc_probe_hit_, pwc_probe_table_;
  RtlTop::Port pwc_fill_, pwc_fill_level_, pwc_fill_set_, pwc_fill_way_, pwc_fill_table_, pwc_fill_evict_,
      pwc_fill_victim_tag_, pwc_fill_victim_level_;
  RtlTop::Port pwc_inv_, pwc_inv_set_, pwc_inv_ways_, pwc_inv_tags_, pwc_inv_asids_, pwc_inv_levels_;
};

}  // namespace sv39sim::rtl
