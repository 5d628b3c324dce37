// Linked into the sv39sim executable only: operator new and new[] map large blocks in one system call.
//
// Why: libsystemc's static initialisers allocate a 3 MiB temporary heap with new[] and zero it, before
// main, and the caches' tag, stamp and recent-line arrays (some 700 KiB by default) are zeroed as they are
// built. Writing fresh anonymous memory takes one page fault per 4 KiB page (about 900 here), and on the
// virtual machines we measure each costs microseconds, even a first write to a page already mapped: some
// 8 ms of every run's start-up, over a third of a sweep point (docs/performance.md, start-up). So blocks
// of 64 KiB and more are mapped at once (madvise MADV_POPULATE_WRITE), and blocks of 1 MiB and more are
// 2 MiB-aligned whole transparent huge pages (MADV_HUGEPAGE) first: one mapping per 2 MiB. The contents
// and lifetimes are unchanged (the blocks come from malloc or aligned_alloc and go back to free); a kernel
// without these advices (MADV_POPULATE_WRITE needs Linux 5.14; huge pages may be off) refuses them and
// the pages fault as before. Sanitizer builds keep the sanitizers' own operators, which check how blocks
// are paired.
#if !defined(__SANITIZE_ADDRESS__)

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

// Linux 5.14's value (asm-generic/mman-common.h), for older headers; older kernels refuse it.
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

namespace {

constexpr std::size_t kPrefaultFrom = std::size_t{1} << 16;
constexpr std::size_t kHugeFrom = std::size_t{1} << 20;
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::uintptr_t kPageMask = 4095;

void* allocate(std::size_t bytes) {
  if (bytes >= kHugeFrom) {
    // Whole huge pages, so that every 2 MiB is one mapping: the rounding is host memory too (at most
    // 2 MiB a block; these blocks are few: the SystemC heap, the L2's arrays of a large L2).
    const std::size_t rounded = (bytes + kHugePage - 1) & ~(kHugePage - 1);
    if (void* block = std::aligned_alloc(kHugePage, rounded)) {
      madvise(block, rounded, MADV_HUGEPAGE);
      madvise(block, rounded, MADV_POPULATE_WRITE);
      return block;
    }
  }
  void* block = nullptr;
  while ((block = std::malloc(bytes != 0 ? bytes : 1)) == nullptr) {
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
  if (bytes >= kPrefaultFrom) {
    // Only whole pages inside the block: the pages it shares with malloc's neighbours are already mapped.
    const auto first = (reinterpret_cast<std::uintptr_t>(block) + kPageMask) & ~kPageMask;
    const auto last = (reinterpret_cast<std::uintptr_t>(block) + bytes) & ~kPageMask;
    if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE);
  }
  return block;
}

}  // namespace

// The replaceable forms every other allocation function reaches (nothrow and sized forms included).
void* operator new(std::size_t bytes) {
  return allocate(bytes);
}
void* operator new[](std::size_t bytes) {
  return allocate(bytes);
}
void operator delete(void* block) noexcept {
  std::free(block);
}
void operator delete[](void* block) noexcept {
  std::free(block);
}
void operator delete(void* block, std::size_t) noexcept {
  std::free(block);
}
void operator delete[](void* block, std::size_t) noexcept {
  std::free(block);
}

#endif
