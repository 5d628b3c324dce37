// Which 4 KiB RAM pages hold instructions the hart has decoded. The hart's decode cache is a host-side
// accelerator and must never be visible to software: every writer of RAM (the hart's stores, the walker's
// A/D updates, device DMA) reports what it wrote, and a write to a page with decoded instructions drops
// them (the listener, the hart, forgets that page) before they run again.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>

namespace sv39sim {

class CodePages {
 public:
  CodePages(uint64_t base, uint64_t size)
      : base_(base),
        pages_((size + 0xfff) >> 12),
        flags_(static_cast<uint8_t*>(std::calloc(pages_ ? pages_ : 1, 1))) {
    if (!flags_) throw std::bad_alloc();
  }

  // One flag byte per page (calloc: a large RAM's untouched flags cost no host memory); for inline checks.
  const uint8_t* flags() const { return flags_.get(); }
  bool has_code(uint64_t pa) const {
    const uint64_t page = (pa - base_) >> 12;
    return page < pages_ && flags_[page];
  }
  void mark(uint64_t pa) {
    const uint64_t page = (pa - base_) >> 12;
    if (page < pages_) flags_[page] = 1;
  }
  void set_listener(std::function<void(uint64_t page_pa)> listener) { listener_ = std::move(listener); }

  // [pa, pa + len) was written: each page of it with decoded code is unmarked and reported.
  void written(uint64_t pa, uint64_t len) {
    if (len == 0) return;
    const uint64_t first = (pa - base_) >> 12, last = (pa + len - 1 - base_) >> 12;
    for (uint64_t page = first; page <= last && page < pages_; ++page) {
      if (!flags_[page]) continue;
      flags_[page] = 0;
      if (listener_) listener_(base_ + (page << 12));
    }
  }

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  uint64_t base_;
  uint64_t pages_;
  std::unique_ptr<uint8_t[], Free> flags_;
  std::function<void(uint64_t)> listener_;
};

}  // namespace sv39sim
