// One plain memory access as a TLM-2.0 blocking transaction: what every initiator here (the hart's
// device port, the page-table walker) needs. An initiator keeps one PlainAccess and reuses its payload:
// constructing a tlm_generic_payload allocates its extension array, which cost more than a UART
// register write itself.
#pragma once

#include <cstdint>
#include <systemc>
#include <tlm>

namespace sv39sim {

class PlainAccess {
 public:
  // True when the target answered TLM_OK_RESPONSE.
  template <typename InitiatorSocket>
  bool issue(InitiatorSocket& socket, tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len,
             sc_core::sc_time& delay) {
    // A target that starts another access from the same initiator while serving this one gets a payload
    // of its own: the shared one is still in flight.
    if (busy_) {
      tlm::tlm_generic_payload nested;
      return run(nested, socket, cmd, addr, data, len, delay);
    }
    busy_ = true;
    const bool ok = run(payload_, socket, cmd, addr, data, len, delay);
    busy_ = false;
    return ok;
  }

 private:
  template <typename InitiatorSocket>
  static bool run(tlm::tlm_generic_payload& p, InitiatorSocket& socket, tlm::tlm_command cmd, uint64_t addr,
                  void* data, unsigned len, sc_core::sc_time& delay) {
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(static_cast<unsigned char*>(data));
    p.set_data_length(len);
    p.set_streaming_width(len);
    p.set_byte_enable_ptr(nullptr);
    p.set_byte_enable_length(0);
    p.set_dmi_allowed(false);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    socket->b_transport(p, delay);
    return p.get_response_status() == tlm::TLM_OK_RESPONSE;
  }

  tlm::tlm_generic_payload payload_;
  bool busy_ = false;
};

}  // namespace sv39sim
