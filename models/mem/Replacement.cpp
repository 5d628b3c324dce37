#include "models/mem/Replacement.h"

#include <algorithm>
#include <stdexcept>

namespace sv39sim {

namespace {

// Keeps every array's host memory sane (a 1M-entry TLB takes ~50 MB and its first fills ~0.2 s; 2^26 took
// 2.7 GB and 9 s) while allowing 64 MiB caches of 64-byte lines, and every index inside `unsigned`.
constexpr uint64_t kMaxEntries = uint64_t{1} << 20;

bool is_pow2(uint64_t x) {
  return x != 0 && (x & (x - 1)) == 0;
}

// Spreads any seed, 0 included, over the generator's state; xorshift must never start at 0.
uint64_t seed_state(uint64_t seed) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return z ? z : 0x9e3779b97f4a7c15ull;
}

}  // namespace

const char* replacement_policy_name(ReplacementPolicy p) {
  switch (p) {
    case ReplacementPolicy::Lru: return "lru";
    case ReplacementPolicy::TreePlru: return "plru";
    case ReplacementPolicy::Fifo: return "fifo";
    case ReplacementPolicy::Random: return "random";
  }
  return "?";
}

const std::vector<std::string>& replacement_policy_names() {
  static const std::vector<std::string> names = {"lru", "plru", "fifo", "random"};
  return names;
}

bool parse_replacement_policy(const std::string& name, ReplacementPolicy* out) {
  for (auto p : {ReplacementPolicy::Lru, ReplacementPolicy::TreePlru, ReplacementPolicy::Fifo,
                 ReplacementPolicy::Random}) {
    if (name == replacement_policy_name(p)) {
      *out = p;
      return true;
    }
  }
  return false;
}

std::string check_set_assoc_geometry(uint64_t sets, uint64_t ways, ReplacementPolicy policy) {
  if (!is_pow2(sets))
    return "sets must be a power of two (1 = fully associative), got " + std::to_string(sets);
  if (ways == 0) return "ways must be at least 1";
  if (ways > kMaxEntries || sets * ways > kMaxEntries)
    return "sets x ways must be at most " + std::to_string(kMaxEntries) + ", got " + std::to_string(sets) +
           " x " + std::to_string(ways);
  if (policy == ReplacementPolicy::TreePlru && !is_pow2(ways))
    return "plru (tree pseudo-LRU) needs a power-of-two number of ways, got " + std::to_string(ways);
  return "";
}

Replacement::Replacement(unsigned sets, unsigned ways, ReplacementPolicy policy, uint64_t seed)
    : sets_(sets),
      ways_(ways),
      policy_(policy),
      seed_(seed),
      stamps_(policy == ReplacementPolicy::Lru || policy == ReplacementPolicy::Fifo) {
  const std::string error = check_set_assoc_geometry(sets, ways, policy);
  if (!error.empty()) throw std::invalid_argument(error);
  unsigned way_bits = 0;
  while ((uint64_t{1} << way_bits) < ways) ++way_bits;
  clock_step_ = uint64_t{1} << way_bits;
  way_mask_ = clock_step_ - 1;
  last_clock_ = ~way_mask_;
  reset();
}

void Replacement::renumber() {
  // Within each set only the order of the stamps matters: rank them (a way's rank + 1 as its clock) and
  // restart the clock above every rank.
  std::vector<uint64_t> order(ways_);
  for (size_t base = 0; base < stamp_.all.size(); base += ways_) {
    std::copy(stamp_.all.begin() + base, stamp_.all.begin() + base + ways_, order.begin());
    std::sort(order.begin(), order.end());
    for (unsigned rank = 0; rank < ways_; ++rank) {
      const uint64_t way = order[rank] & way_mask_;
      stamp_.all[base + way] = (rank + 1) * clock_step_ | way;
    }
  }
  clock_ = ways_ * clock_step_;
}

void Replacement::reset() {
  rng_ = seed_state(seed_);
  clock_ = 0;
  stamp_.all.clear();
  plru_.clear();
  if (stamps_) {
    stamp_.all.resize(size_t{sets_} * ways_);
    for (size_t i = 0; i < stamp_.all.size(); ++i) stamp_.all[i] = i % ways_;  // clock 0, the way below
  }
  stamp_.lru = policy_ == ReplacementPolicy::Lru ? stamp_.all.data() : nullptr;
  if (policy_ == ReplacementPolicy::TreePlru) plru_.assign(size_t{sets_} * (ways_ - 1), 0);
}

uint64_t Replacement::next_random() {
  // xorshift64* (Vigna): small, fast, and the same sequence on every host.
  rng_ ^= rng_ >> 12;
  rng_ ^= rng_ << 25;
  rng_ ^= rng_ >> 27;
  return rng_ * 0x2545f4914f6cdd1dull;
}

unsigned Replacement::other_victim(unsigned set) {
  switch (policy_) {
    case ReplacementPolicy::Lru:
    case ReplacementPolicy::Fifo: break;  // victim() handles these
    case ReplacementPolicy::TreePlru: {
      const uint8_t* bits = plru_.data() + size_t{set} * (ways_ - 1);  // none when ways == 1
      unsigned n = 0;
      while (n < ways_ - 1) n = 2 * n + 1 + bits[n];
      return n - (ways_ - 1);
    }
    case ReplacementPolicy::Random:
      // The high half is the better-mixed part of xorshift64*'s output.
      return static_cast<unsigned>((next_random() >> 32) % ways_);
  }
  return 0;
}

}  // namespace sv39sim
