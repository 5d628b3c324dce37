// Base of memory-mapped devices: a TLM-2.0 target whose b_transport is reduced to register reads and
// writes at an offset. `now` is the initiator's local time (sc_time_stamp() + annotated delay).
#pragma once

#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <cstring>
#include <systemc>
#include <tlm>

namespace sv39sim {

class MmioDevice : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<MmioDevice> socket;

  MmioDevice(sc_core::sc_module_name name, uint64_t size) : sc_module(name), socket("socket"), size_(size) {
    socket.register_b_transport(this, &MmioDevice::b_transport);
  }
  uint64_t size() const { return size_; }

 protected:
  // false = the device refuses the access (bad offset or width): the bus reports an address error.
  virtual bool read(uint64_t offset, uint8_t* data, unsigned len, const sc_core::sc_time& now) = 0;
  virtual bool write(uint64_t offset, const uint8_t* data, unsigned len, const sc_core::sc_time& now) = 0;

  // Little-endian helpers for registers accessed with any width inside their span.
  static uint64_t to_value(const uint8_t* data, unsigned len) {
    uint64_t v = 0;
    std::memcpy(&v, data, len);
    return v;
  }
  static void from_value(uint64_t v, uint8_t* data, unsigned len) { std::memcpy(data, &v, len); }

 private:
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    const unsigned len = p.get_data_length();
    const uint64_t off = p.get_address();
    const sc_core::sc_time now = sc_core::sc_time_stamp() + delay;
    bool ok = false;
    if (len >= 1 && len <= 8 && off + len <= size_ && p.get_byte_enable_ptr() == nullptr) {
      ok = p.is_read() ? read(off, p.get_data_ptr(), len, now) : write(off, p.get_data_ptr(), len, now);
    }
    p.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }

  uint64_t size_;
};

}  // namespace sv39sim
