/* kvstore keys=K requests=N get=G theta=T vwords=W seed=S   (a memcached-like key-value store)
 * Items {chain link, id, version, W value words}: key k (0..K-1) has id k + 1; word j of version v holds
 * (id << 32) ^ (v << 8) ^ j. A chained hash table of B = 2^ceil(log2 K) bucket heads, bucket(id) = the
 * top log2 B bits of id * 0x9E3779B97F4A7C15 (B = 1: 0).
 * Load, x = S (0 -> 1): item i of the item array holds key perm[i] (suite_shuffle of K), version 0,
 * pushed on the head of its bucket's chain.
 * Requests: ranks 1..K are Zipf(T / 100)-distributed, rank r is key r - 1. Per request x1 = xorshift64(x)
 * picks a rank group, the first whose cumulative weight exceeds x1 % total; x2 = xorshift64(x) picks
 * rank = lo + x2 % width in it, and the operation: a get if (x2 >> 32) % 100 < G (reads the W words,
 * each must hold the item's version, and adds them to sum), else a set (version + 1, W words rewritten).
 * Rank groups: one per rank below 128, then 64 per octave, width 2^(floor(log2 lo) - 6); weight =
 * width * w(lo), w(r) = 2^32 * r^(-T/100) in integer fixed point (zipf_weight; no floating point).
 * Self-check: the same requests are replayed with a shadow version per key: the gets' values must sum
 * to sum again and every item must end at its shadow version.
 * Result: gets, sets, sum (mod 2^64). Defaults: K = 4096, N = 8 * K, G = 90, T = 99, W = 5 (64-byte
 * items). minflt/majflt count over the requests. */
#include "suite.h"

#define MAX_GROUPS 1280 /* 127 single ranks + 64 per octave up to 2^24 keys */

struct item {
  struct item* next;
  uint64_t id;
  uint64_t version;
  uint64_t value[];
};

static uint32_t group_lo[MAX_GROUPS + 1]; /* group g: ranks group_lo[g] .. group_lo[g + 1] - 1 */
static uint64_t group_cdf[MAX_GROUPS];    /* cumulative weight up to and including group g */
static uint64_t groups, total_weight;
static uint64_t half_root[33]; /* half_root[k] = 2^(-2^-k) in Q32 */

static uint64_t isqrt(uint64_t n) {
  uint64_t r = 0;
  for (uint64_t bit = 1ull << 62; bit; bit >>= 2)
    if (n >= r + bit) {
      n -= r + bit;
      r = (r >> 1) + bit;
    } else {
      r >>= 1;
    }
  return r;
}

/* log2(r) in Q32: the integer part from the top bit, the fraction bit by bit by squaring the mantissa. */
static uint64_t log2_q32(uint64_t r) {
  uint64_t n = 0;
  while ((r >> n) > 1) n++;
  uint64_t m = r << (31 - n), frac = 0; /* Q31, in [1, 2) */
  for (int k = 1; k <= 32; k++) {
    m = (m * m) >> 31;
    if (m >> 32) {
      m >>= 1;
      frac |= 1ull << (32 - k);
    }
  }
  return (n << 32) | frac;
}

/* 2^(-e) for e in Q32, as a Q32 fraction: one factor 2^(-2^-k) per set fraction bit. */
static uint64_t exp2neg_q32(uint64_t e) {
  if ((e >> 32) >= 32) return 0;
  uint64_t v = 1ull << 32;
  for (int k = 1; k <= 32; k++)
    if (e & (1ull << (32 - k))) v = (v * half_root[k]) >> 32;
  return v >> (e >> 32);
}

static uint64_t zipf_weight(uint64_t rank, uint64_t theta) {
  return exp2neg_q32(theta * log2_q32(rank) / 100);
}

static void zipf_init(uint64_t keys, uint64_t theta) {
  half_root[0] = 1ull << 31;
  for (int k = 1; k <= 32; k++) half_root[k] = isqrt(half_root[k - 1] << 32);
  groups = total_weight = 0;
  for (uint64_t lo = 1; lo <= keys;) {
    uint64_t width = 1;
    if (lo >= 128) width = (uint64_t)1 << ((log2_q32(lo) >> 32) - 6);
    uint64_t hi = lo + width > keys + 1 ? keys + 1 : lo + width;
    total_weight += (hi - lo) * zipf_weight(lo, theta);
    group_lo[groups] = (uint32_t)lo;
    group_cdf[groups++] = total_weight;
    lo = hi;
  }
  group_lo[groups] = (uint32_t)(keys + 1);
}

struct request {
  uint64_t key;
  int get;
};

static struct request next_request(uint64_t* x, uint64_t get_percent) {
  uint64_t u = xorshift64(x) % total_weight, lo = 0, hi = groups - 1;
  while (lo < hi) {
    uint64_t mid = (lo + hi) / 2;
    if (group_cdf[mid] > u)
      hi = mid;
    else
      lo = mid + 1;
  }
  uint64_t x2 = xorshift64(x);
  uint64_t rank = group_lo[lo] + x2 % (group_lo[lo + 1] - group_lo[lo]);
  return (struct request){rank - 1, (x2 >> 32) % 100 < get_percent};
}

static inline uint64_t value_word(uint64_t id, uint64_t version, uint64_t j) {
  return (id << 32) ^ (version << 8) ^ j;
}

int main(int argc, char** argv) {
  uint64_t keys = arg_u64(argc, argv, "keys", 4096), requests = arg_u64(argc, argv, "requests", 8 * keys);
  uint64_t get = arg_u64(argc, argv, "get", 90), theta = arg_u64(argc, argv, "theta", 99);
  uint64_t vwords = arg_u64(argc, argv, "vwords", 5), seed = arg_u64(argc, argv, "seed", 1);
  if (keys == 0 || keys > (1u << 24)) fail("kvstore", "keys=%lu: must be in 1..2^24", keys);
  if (get > 100) fail("kvstore", "get=%lu: a percentage, 0..100", get);
  if (theta > 400) fail("kvstore", "theta=%lu: hundredths, 0..400 (99 = 0.99)", theta);
  if (vwords == 0 || vwords > 256) fail("kvstore", "vwords=%lu: must be in 1..256", vwords);
  uint64_t log2b = 0;
  while ((1ull << log2b) < keys) log2b++;
  uint64_t item_bytes = sizeof(struct item) + vwords * 8;
  uint64_t footprint = suite_pages(8ull << log2b) + suite_pages(keys * item_bytes) + suite_pages(keys * 4);
  if (footprint > SUITE_MAX_PAGES)
    fail("kvstore", "keys=%lu vwords=%lu need %lu pages, more than %lu", keys, vwords, footprint,
         SUITE_MAX_PAGES);

  struct item** table = suite_alloc("kvstore", 8ull << log2b);
  char* items = suite_alloc("kvstore", keys * item_bytes);
  uint32_t* perm = suite_alloc("kvstore", keys * 4);
#define BUCKET(id) (log2b ? ((id)*0x9E3779B97F4A7C15ull) >> (64 - log2b) : 0)
#define ITEM(i) ((struct item*)(items + (i)*item_bytes))
  uint64_t x = seed ? seed : 1;
  suite_shuffle(perm, keys, &x);
  for (uint64_t i = 0; i < keys; i++) {
    struct item* it = ITEM(i);
    it->id = perm[i] + 1ull;
    it->version = 0;
    for (uint64_t j = 0; j < vwords; j++) it->value[j] = value_word(it->id, 0, j);
    it->next = table[BUCKET(it->id)];
    table[BUCKET(it->id)] = it;
  }
  zipf_init(keys, theta);

  uint64_t start = x, gets = 0, sum = 0;
  struct fault_counts before, after;
  faults_snapshot(&before);
  for (uint64_t n = 0; n < requests; n++) {
    struct request rq = next_request(&x, get);
    uint64_t id = rq.key + 1;
    struct item* it = table[BUCKET(id)];
    while (it && it->id != id) it = it->next;
    if (!it) fail("kvstore", "request %lu: key %lu not found", n, rq.key);
    if (rq.get) {
      gets++;
      for (uint64_t j = 0; j < vwords; j++) {
        if (it->value[j] != value_word(id, it->version, j))
          fail("kvstore", "get of key %lu: word %lu is 0x%lx, expected 0x%lx", rq.key, j, it->value[j],
               value_word(id, it->version, j));
        sum += it->value[j];
      }
    } else {
      it->version++;
      for (uint64_t j = 0; j < vwords; j++) it->value[j] = value_word(id, it->version, j);
    }
  }
  faults_snapshot(&after);

  uint32_t* shadow = perm; /* the load order is no longer needed */
  memset(shadow, 0, keys * 4);
  uint64_t replay_sum = 0;
  x = start;
  for (uint64_t n = 0; n < requests; n++) {
    struct request rq = next_request(&x, get);
    if (!rq.get)
      shadow[rq.key]++;
    else
      for (uint64_t j = 0; j < vwords; j++) replay_sum += value_word(rq.key + 1, shadow[rq.key], j);
  }
  if (replay_sum != sum)
    fail("kvstore", "gets read values summing to 0x%lx, expected 0x%lx", sum, replay_sum);
  for (uint64_t i = 0; i < keys; i++)
    if (ITEM(i)->version != shadow[ITEM(i)->id - 1])
      fail("kvstore", "key %lu ends at version %lu, expected %u", ITEM(i)->id - 1, ITEM(i)->version,
           shadow[ITEM(i)->id - 1]);
  printf(
      "kvstore: keys=%lu requests=%lu get=%lu theta=%lu vwords=%lu seed=%lu gets=%lu sets=%lu sum=0x%016lx "
      "minflt=%lu majflt=%lu PASS\n",
      keys, requests, get, theta, vwords, seed, gets, requests - gets, sum, after.minor - before.minor,
      after.major - before.major);
  return 0;
}
