// System interconnect: routes TLM transactions by physical address to RAM and device targets. An
// address nothing claims gets TLM_ADDRESS_ERROR_RESPONSE, which initiators turn into access faults.
#pragma once

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include <string>
#include <systemc>
#include <tlm>
#include <vector>

namespace sv39sim {

class Bus : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Bus> from_initiators;
  tlm_utils::multi_passthrough_initiator_socket<Bus> to_targets;

  explicit Bus(sc_core::sc_module_name name);

  // Binds a target and gives it [base, base + size). Overlaps are a platform-construction bug.
  void map(uint64_t base, uint64_t size, const std::string& name, tlm::tlm_target_socket<>& target);

  struct Range {
    uint64_t base, size;
    std::string name;
  };
  const std::vector<Range>& ranges() const { return ranges_; }

 private:
  void b_transport(int from, tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  std::vector<Range> ranges_;  // index = binding order on to_targets
  size_t last_ = 0;            // the range that served the last transaction
};

}  // namespace sv39sim
