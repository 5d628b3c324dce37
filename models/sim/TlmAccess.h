// One plain memory access as a TLM-2.0 blocking transaction: what every initiator here (the hart's
// device port, the page-table walker) needs. True when the target answered TLM_OK_RESPONSE.
#pragma once

#include <cstdint>
#include <systemc>
#include <tlm>

namespace sv39sim {

template <typename InitiatorSocket>
bool tlm_access(InitiatorSocket& socket, tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len,
                sc_core::sc_time& delay) {
  tlm::tlm_generic_payload p;
  p.set_command(cmd);
  p.set_address(addr);
  p.set_data_ptr(static_cast<unsigned char*>(data));
  p.set_data_length(len);
  p.set_streaming_width(len);
  p.set_byte_enable_ptr(nullptr);
  p.set_dmi_allowed(false);
  p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  socket->b_transport(p, delay);
  return p.get_response_status() == tlm::TLM_OK_RESPONSE;
}

}  // namespace sv39sim
