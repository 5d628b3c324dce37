#include "models/mem/Ram.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace sv39sim {

namespace {
constexpr uint64_t kHostPage = 4096;

bool all_zero(const uint8_t* p, uint64_t len) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < len; i += 8) {
    uint64_t w = 0;
    std::memcpy(&w, p + i, std::min<uint64_t>(8, len - i));
    acc |= w;
  }
  return acc == 0;
}
}  // namespace

void zero_fill(uint8_t* host, uint64_t len) {
  // Page by page, aligned to host pages, so a page is either read (and left alone) or written whole.
  while (len > 0) {
    const uint64_t in_page = kHostPage - reinterpret_cast<uintptr_t>(host) % kHostPage;
    const uint64_t n = std::min(len, in_page);
    if (!all_zero(host, n)) std::memset(host, 0, n);
    host += n;
    len -= n;
  }
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
