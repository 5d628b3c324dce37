#include "models/mem/Cache.h"

#include <algorithm>
#include <stdexcept>

namespace sv39sim {

namespace {

bool is_pow2(uint64_t x) {
  return x != 0 && (x & (x - 1)) == 0;
}

unsigned log2_of(uint64_t x) {
  unsigned n = 0;
  while (x >>= 1) ++n;
  return n;
}

// The number of sets, after check_cache_geometry has passed; throws otherwise (the constructor's guard).
unsigned checked_sets(const CacheConfig& c) {
  const std::string error = check_cache_geometry(c);
  if (!error.empty()) throw std::invalid_argument(error);
  return static_cast<unsigned>(c.sets());
}

}  // namespace

const char* access_source_name(AccessSource s) {
  switch (s) {
    case AccessSource::Fetch: return "fetch";
    case AccessSource::Load: return "load";
    case AccessSource::Store: return "store";
    case AccessSource::Walker: return "walker";
    case AccessSource::Writeback: return "writeback";
  }
  return "?";
}

std::string check_cache_geometry(const CacheConfig& c) {
  if (!is_pow2(c.line) || c.line < 4)
    return "line size must be a power of two of at least 4 bytes, got " + std::to_string(c.line);
  if (c.ways == 0) return "ways must be at least 1";
  const uint64_t way_bytes = uint64_t{c.ways} * c.line;
  if (c.size < way_bytes || c.size % way_bytes != 0)
    return "size " + std::to_string(c.size) +
           " is not a whole number of sets of ways x line = " + std::to_string(c.ways) + " x " +
           std::to_string(c.line) + " bytes";
  const uint64_t sets = c.size / way_bytes;
  if (!is_pow2(sets))
    return "size / (ways x line) = " + std::to_string(c.size) + " / (" + std::to_string(c.ways) + " x " +
           std::to_string(c.line) + ") = " + std::to_string(sets) + " sets, not a power of two";
  return check_set_assoc_geometry(sets, c.ways, c.policy);
}

Cache::Cache(const CacheConfig& config)
    : config_(config),
      line_shift_(log2_of(config.line)),
      array_(checked_sets(config), config.ways, config.policy, config.seed) {
  size_t slots = 1;
  while (slots < array_.capacity() * 8 && slots < kMaxRecent) slots *= 2;
  recent_.assign(slots, Recent{});
  recent_mask_ = slots - 1;
}

bool Cache::contains(uint64_t paddr) const {
  const uint64_t tag = paddr >> line_shift_;
  return array_.find_tag(array_.set_index(tag), tag) >= 0;
}

bool Cache::invalidate(uint64_t paddr) {
  forget_last();
  const uint64_t tag = paddr >> line_shift_;
  const bool had_slot = forget_recent(tag);
  const unsigned set = array_.set_index(tag);
  const int way = array_.find_tag(set, tag);
  if (way < 0) return false;
  if (!had_slot) --orphans_;
  array_.invalidate(set, static_cast<unsigned>(way));
  ++invalidations_;
  return true;
}

void Cache::invalidate_all() {
  forget_last();
  std::fill(recent_.begin(), recent_.end(), Recent{});
  orphans_ = 0;
  invalidations_ += array_.count_valid();
  array_.reset();
}

}  // namespace sv39sim
