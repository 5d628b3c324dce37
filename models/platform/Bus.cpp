#include "models/platform/Bus.h"

#include <algorithm>
#include <stdexcept>

namespace sv39sim {

Bus::Bus(sc_core::sc_module_name name)
    : sc_module(name), from_initiators("from_initiators"), to_targets("to_targets") {
  from_initiators.register_b_transport(this, &Bus::b_transport);
}

void Bus::map(uint64_t base, uint64_t size, const std::string& name, tlm::tlm_target_socket<>& target) {
  for (const auto& r : ranges_) {
    if (base < r.base + r.size && r.base < base + size) throw std::logic_error(name + " overlaps " + r.name);
  }
  to_targets.bind(target);
  ranges_.push_back({base, size, name});
}

// The range that served the last transaction is tried first: device accesses come in runs (a driver
// polling one register, a string written to the UART).
void Bus::b_transport(int, tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  const uint64_t addr = p.get_address();
  const uint64_t len = p.get_data_length();
  const auto serves = [addr, len](const Range& r) {
    return addr - r.base < r.size && r.size - (addr - r.base) >= len;
  };
  if (last_ >= ranges_.size() || !serves(ranges_[last_])) {
    const auto it = std::find_if(ranges_.begin(), ranges_.end(), serves);
    if (it == ranges_.end()) {
      p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    last_ = static_cast<size_t>(it - ranges_.begin());
  }
  const size_t i = last_;
  p.set_address(addr - ranges_[i].base);
  to_targets[static_cast<int>(i)]->b_transport(p, delay);
  p.set_address(addr);
}

}  // namespace sv39sim
