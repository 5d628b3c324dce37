#include "models/mem/Ram.h"

#include <sys/mman.h>

#include <cstring>
#include <stdexcept>

namespace sv39sim {

namespace {
constexpr uintptr_t kHostPage = 4096;
}  // namespace

void zero_fill(uint8_t* host, uint64_t len) {
  // Whole host pages are handed back instead of written or read: private anonymous memory then reads as
  // zero and costs nothing until the guest touches it. Reading a page to see whether it is already zero is
  // no way out: some hosts back a page on a read as well.
  const auto first = reinterpret_cast<uintptr_t>(host);
  const uintptr_t lo = (first + kHostPage - 1) & ~(kHostPage - 1);
  const uintptr_t hi = (first + len) & ~(kHostPage - 1);
  if (hi > lo && ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED) == 0) {
    std::memset(host, 0, lo - first);
    std::memset(reinterpret_cast<uint8_t*>(hi), 0, first + len - hi);
    return;
  }
  std::memset(host, 0, len);
}

Ram::Ram(sc_core::sc_module_name name, uint64_t base, uint64_t size)
    : sc_module(name), socket("socket"), code_(base, size) {
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    throw std::runtime_error("cannot reserve " + std::to_string(size) + " bytes of guest RAM");
  window_ = {base, size, static_cast<uint8_t*>(p), &code_};
  socket.register_b_transport(this, &Ram::b_transport);
}

Ram::~Ram() {
  ::munmap(window_.host, window_.size);
}

void Ram::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time&) {
  const uint64_t off = p.get_address();
  const unsigned len = p.get_data_length();
  if (off >= window_.size || window_.size - off < len || p.get_byte_enable_ptr() != nullptr) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (p.is_read())
    std::memcpy(p.get_data_ptr(), window_.host + off, len);
  else {
    std::memcpy(window_.host + off, p.get_data_ptr(), len);
    code_.written(window_.base + off, len);
  }
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace sv39sim
