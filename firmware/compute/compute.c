/* Compute-bound benchmark: linked lists, integer matrix multiply, CRC-32 and a DFA tokenizer.
 *
 * Deterministic (own xorshift64 PRNG), integer only, M-mode, no virtual memory. Prints one line per
 * kernel with a checksum and a final line; every kernel checks its own result against an independent
 * computation and main returns nonzero if any check failed.
 *
 * COMPUTE_SCALE selects the amount of work: one unit is about 8.4 million executed instructions
 * (rv64imac, -O2, counted with minstret under QEMU -icount shift=0), a quarter per kernel. The default
 * (48) is about 400 million; COMPUTE_SCALE=1 (the compute-small image) about 8.4 million. The
 * checksums depend on COMPUTE_SCALE. */
#include "runtime.h"

#ifndef COMPUTE_SCALE
#define COMPUTE_SCALE 48
#endif
#if COMPUTE_SCALE < 1
#error "COMPUTE_SCALE must be at least 1"
#endif

/* Repetitions per kernel: sized so each kernel is about a quarter of the executed instructions. */
#define LIST_ROUNDS (1 * COMPUTE_SCALE)
#define MAT_ROUNDS (1 * COMPUTE_SCALE)
#define CRC_ROUNDS (1 * COMPUTE_SCALE)
#define DFA_ROUNDS (1 * COMPUTE_SCALE)

static int failures;

static void check(int ok, const char *kernel, const char *what, uint64_t got, uint64_t want) {
  if (ok) return;
  failures++;
  rt_printf("CHECK FAILED %s: %s: got 0x%lx want 0x%lx\n", kernel, what, got, want);
}

/* ---- PRNG and checksum mixing ---------------------------------------------------------------- */
static uint64_t rng_state;

static void rng_seed(uint64_t s) { rng_state = s ? s : 0x9E3779B97F4A7C15ull; }

static uint64_t rng_next(void) { return xorshift64(&rng_state); }

/* rng value below bound (bound small, modulo bias irrelevant here). */
static uint32_t rng_below(uint32_t bound) { return (uint32_t)((rng_next() >> 16) % bound); }

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v;
  h *= 0x100000001B3ull;
  h ^= h >> 29;
  return h;
}

/* ---- 1. Linked lists: build in a shuffled static pool, reverse, merge-sort --------------------- */
#define LIST_NODES 8192

struct node {
  struct node *next;
  uint32_t key;
  uint32_t id;
};

static struct node pool[LIST_NODES];
static uint32_t perm[LIST_NODES];
static uint8_t seen[LIST_NODES];

/* Nodes come from the pool in a random order so traversals chase pointers all over it.
 * Pushing at the head leaves ids in descending order. */
static struct node *list_build(uint32_t n) {
  for (uint32_t i = 0; i < n; i++) perm[i] = i;
  for (uint32_t i = n - 1; i > 0; i--) {
    uint32_t j = rng_below(i + 1);
    uint32_t t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  struct node *head = NULL;
  for (uint32_t i = 0; i < n; i++) {
    struct node *nd = &pool[perm[i]];
    nd->key = (uint32_t)rng_next() & 0xFFFF; /* small range: plenty of equal keys to test stability */
    nd->id = i;
    nd->next = head;
    head = nd;
  }
  return head;
}

static struct node *list_reverse(struct node *head) {
  struct node *prev = NULL;
  while (head) {
    struct node *next = head->next;
    head->next = prev;
    prev = head;
    head = next;
  }
  return prev;
}

/* Bottom-up, stable merge sort of a singly linked list (no recursion, no extra memory). */
static struct node *list_sort(struct node *list) {
  if (!list) return NULL;
  for (uint32_t insize = 1;; insize *= 2) {
    struct node *p = list, *tail = NULL;
    uint32_t nmerges = 0;
    list = NULL;
    while (p) {
      nmerges++;
      struct node *q = p;
      uint32_t psize = 0;
      for (uint32_t i = 0; i < insize && q; i++) {
        psize++;
        q = q->next;
      }
      uint32_t qsize = insize;
      while (psize > 0 || (qsize > 0 && q)) {
        struct node *e;
        if (psize == 0) {
          e = q, q = q->next, qsize--;
        } else if (qsize == 0 || !q) {
          e = p, p = p->next, psize--;
        } else if (p->key <= q->key) {
          e = p, p = p->next, psize--;
        } else {
          e = q, q = q->next, qsize--;
        }
        if (tail)
          tail->next = e;
        else
          list = e;
        tail = e;
      }
      p = q;
    }
    tail->next = NULL;
    if (nmerges <= 1) return list;
  }
}

static uint64_t kernel_list(void) {
  static const char K[] = "list";
  uint64_t h = 0;
  for (uint32_t r = 0; r < LIST_ROUNDS; r++) {
    rng_seed(0x11570000ull + r);
    uint32_t n = LIST_NODES - (r % 7) * 97; /* vary the length a little so merges end unevenly */
    struct node *head = list_build(n);

    /* Reverse: ids must now run 0, 1, ..., n-1. */
    head = list_reverse(head);
    uint32_t idx = 0, bad = 0;
    for (struct node *p = head; p; p = p->next, idx++)
      if (p->id != idx) bad++;
    check(bad == 0 && idx == n, K, "reversed order", bad, 0);

    /* Sort by key. The input is in id order, so a stable sort is fully determined: keys
     * nondecreasing, ids increasing among equal keys, and every node exactly once. */
    head = list_sort(head);
    memset(seen, 0, sizeof seen);
    idx = 0, bad = 0;
    const struct node *prev = NULL;
    for (const struct node *p = head; p; p = p->next, idx++) {
      if (p < pool || p >= pool + n || p->id >= n || seen[p->id] || &pool[perm[p->id]] != p) {
        bad++;
        break;
      }
      seen[p->id] = 1;
      if (prev && (prev->key > p->key || (prev->key == p->key && prev->id > p->id))) bad++;
      h = mix(h, ((uint64_t)p->key << 32) | p->id);
      prev = p;
    }
    check(bad == 0 && idx == n, K, "sorted order", bad, 0);
  }
  return h;
}

/* ---- 2. Integer matrix multiply, checked against a differently ordered multiply ---------------- */
#define MAT_N 48

static int32_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N], mc[MAT_N][MAT_N], md[MAT_N][MAT_N];

static uint64_t kernel_matmul(void) {
  static const char K[] = "matmul";
  uint64_t h = 0;
  for (uint32_t r = 0; r < MAT_ROUNDS; r++) {
    rng_seed(0x3A7000ull + r);
    for (int i = 0; i < MAT_N; i++)
      for (int j = 0; j < MAT_N; j++) {
        ma[i][j] = (int32_t)rng_below(2001) - 1000;
        mb[i][j] = (int32_t)rng_below(2001) - 1000;
      }
    /* i-j-k: one dot product per element (|sum| <= 48e6, no overflow). */
    for (int i = 0; i < MAT_N; i++)
      for (int j = 0; j < MAT_N; j++) {
        int32_t s = 0;
        for (int k = 0; k < MAT_N; k++) s += ma[i][k] * mb[k][j];
        mc[i][j] = s;
      }
    /* k-i-j: rank-one updates, a different order of the same sums. */
    memset(md, 0, sizeof md);
    for (int k = MAT_N - 1; k >= 0; k--)
      for (int i = 0; i < MAT_N; i++) {
        int32_t a = ma[i][k];
        for (int j = 0; j < MAT_N; j++) md[i][j] += a * mb[k][j];
      }
    uint32_t bad = 0;
    for (int i = 0; i < MAT_N; i++)
      for (int j = 0; j < MAT_N; j++) {
        if (mc[i][j] != md[i][j]) bad++;
        h = mix(h, (uint32_t)mc[i][j]);
      }
    check(bad == 0, K, "ijk vs kij mismatches", bad, 0);
  }
  return h;
}

/* ---- 3. CRC-32 (IEEE 802.3, reflected 0xEDB88320): bitwise and table-driven ------------------- */
#define CRC_BUF_BYTES 24576

static uint8_t crc_buf[CRC_BUF_BYTES];
static uint32_t crc_table[256];

static uint32_t crc32_bitwise(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  while (n--) {
    c ^= *p++;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static void crc32_make_table(void) {
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
}

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n) {
  uint32_t c = ~crc;
  while (n--) c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
  return ~c;
}

static uint64_t kernel_crc(void) {
  static const char K[] = "crc32";
  static const char check_str[] = "123456789";
  crc32_make_table();
  check(crc_table[1] == 0x77073096u, K, "table[1]", crc_table[1], 0x77073096u);
  check(crc_table[255] == 0x2D02EF8Du, K, "table[255]", crc_table[255], 0x2D02EF8Du);
  uint32_t c = crc32_bitwise((const uint8_t *)check_str, 9);
  check(c == 0xCBF43926u, K, "bitwise(\"123456789\")", c, 0xCBF43926u);
  c = crc32_update(0, (const uint8_t *)check_str, 9);
  check(c == 0xCBF43926u, K, "table(\"123456789\")", c, 0xCBF43926u);

  uint64_t h = 0;
  for (uint32_t r = 0; r < CRC_ROUNDS; r++) {
    rng_seed(0xC3C0000ull + r);
    for (uint32_t i = 0; i < CRC_BUF_BYTES; i += 8) {
      uint64_t v = rng_next();
      for (int b = 0; b < 8; b++) crc_buf[i + b] = (uint8_t)(v >> (8 * b));
    }
    uint32_t bit = crc32_bitwise(crc_buf, CRC_BUF_BYTES);
    /* Table-driven in two uneven pieces, which also exercises the running-CRC interface. */
    uint32_t split = 1 + rng_below(CRC_BUF_BYTES - 1);
    uint32_t tab = crc32_update(crc32_update(0, crc_buf, split), crc_buf + split, CRC_BUF_BYTES - split);
    check(bit == tab, K, "bitwise vs table", bit, tab);
    h = mix(h, bit);
  }
  return h;
}

/* ---- 4. State machine: table-driven DFA tokenizer vs a hand-written scanner --------------------- */
#define TEXT_BYTES 32768

enum { K_WS, K_NL, K_IDENT, K_NUMBER, K_STRING, K_COMMENT, K_OP, K_ERR, K_COUNT };
enum { C_OTHER, C_SPACE, C_NL, C_ALPHA, C_DIGIT, C_QUOTE, C_HASH, C_OP, C_EQ, C_CMP, C_COUNT };
enum { S_STOP, S_START, S_WS, S_NL, S_IDENT, S_NUMBER, S_STR, S_STR_END, S_COMMENT, S_OP1, S_OPEQ, S_OP2,
       S_BAD, S_COUNT };

static char text[TEXT_BYTES];
static uint8_t char_class[256];
static uint8_t dfa[S_COUNT][C_COUNT];
static const uint8_t accept_kind[S_COUNT] = {
    [S_STOP] = K_ERR,   [S_START] = K_ERR, [S_WS] = K_WS,         [S_NL] = K_NL,  [S_IDENT] = K_IDENT,
    [S_NUMBER] = K_NUMBER, [S_STR] = K_ERR, [S_STR_END] = K_STRING, [S_COMMENT] = K_COMMENT,
    [S_OP1] = K_OP,     [S_OPEQ] = K_OP,   [S_OP2] = K_OP,         [S_BAD] = K_ERR,
};

struct tok_result {
  uint32_t count[K_COUNT];
  uint64_t hash;
};

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_one_of(int c, const char *set) {
  for (; *set; set++)
    if (c == *set) return 1;
  return 0;
}

static void dfa_init(void) {
  for (int c = 0; c < 256; c++) {
    uint8_t k = C_OTHER;
    if (c == ' ' || c == '\t') k = C_SPACE;
    else if (c == '\n') k = C_NL;
    else if (is_alpha(c)) k = C_ALPHA;
    else if (is_digit(c)) k = C_DIGIT;
    else if (c == '"') k = C_QUOTE;
    else if (c == '#') k = C_HASH;
    else if (c == '=') k = C_EQ;
    else if (c == '<' || c == '>' || c == '!') k = C_CMP;
    else if (is_one_of(c, "+-*/();,")) k = C_OP;
    char_class[c] = k;
  }
  memset(dfa, S_STOP, sizeof dfa);
  static const uint8_t from_start[C_COUNT] = {
      [C_OTHER] = S_BAD,   [C_SPACE] = S_WS,    [C_NL] = S_NL,     [C_ALPHA] = S_IDENT, [C_DIGIT] = S_NUMBER,
      [C_QUOTE] = S_STR,   [C_HASH] = S_COMMENT, [C_OP] = S_OP1,   [C_EQ] = S_OPEQ,     [C_CMP] = S_OPEQ,
  };
  memcpy(dfa[S_START], from_start, sizeof from_start);
  dfa[S_WS][C_SPACE] = S_WS;
  dfa[S_IDENT][C_ALPHA] = dfa[S_IDENT][C_DIGIT] = S_IDENT;
  dfa[S_NUMBER][C_DIGIT] = S_NUMBER;
  for (int k = 0; k < C_COUNT; k++) {
    dfa[S_STR][k] = k == C_QUOTE ? S_STR_END : k == C_NL ? S_STOP : S_STR;
    dfa[S_COMMENT][k] = k == C_NL ? S_STOP : S_COMMENT;
  }
  dfa[S_OPEQ][C_EQ] = S_OP2;
}

static void emit(struct tok_result *res, int kind, uint32_t len, uint8_t first) {
  res->count[kind]++;
  res->hash = mix(res->hash, (uint64_t)kind | (uint64_t)len << 8 | (uint64_t)first << 40);
}

/* Maximal munch: run the DFA until it has no transition, emit the kind of the state reached. */
static void tokenize_dfa(const char *t, uint32_t n, struct tok_result *res) {
  memset(res, 0, sizeof *res);
  uint32_t pos = 0;
  while (pos < n) {
    uint32_t start = pos;
    uint8_t state = S_START;
    while (pos < n) {
      uint8_t next = dfa[state][char_class[(uint8_t)t[pos]]];
      if (next == S_STOP) break;
      state = next;
      pos++;
    }
    emit(res, accept_kind[state], pos - start, (uint8_t)t[start]);
  }
}

/* The same language written as ordinary code, as the independent reference. */
static void tokenize_plain(const char *t, uint32_t n, struct tok_result *res) {
  memset(res, 0, sizeof *res);
  uint32_t i = 0;
  while (i < n) {
    uint32_t start = i;
    int c = (uint8_t)t[i], kind;
    if (c == ' ' || c == '\t') {
      while (i < n && (t[i] == ' ' || t[i] == '\t')) i++;
      kind = K_WS;
    } else if (c == '\n') {
      i++;
      kind = K_NL;
    } else if (is_alpha(c)) {
      while (i < n && (is_alpha(t[i]) || is_digit(t[i]))) i++;
      kind = K_IDENT;
    } else if (is_digit(c)) {
      while (i < n && is_digit(t[i])) i++;
      kind = K_NUMBER;
    } else if (c == '"') {
      i++;
      while (i < n && t[i] != '"' && t[i] != '\n') i++;
      if (i < n && t[i] == '"') {
        i++;
        kind = K_STRING;
      } else {
        kind = K_ERR;
      }
    } else if (c == '#') {
      while (i < n && t[i] != '\n') i++;
      kind = K_COMMENT;
    } else if (c == '=' || c == '<' || c == '>' || c == '!') {
      i++;
      if (i < n && t[i] == '=') i++;
      kind = K_OP;
    } else if (is_one_of(c, "+-*/();,")) {
      i++;
      kind = K_OP;
    } else {
      i++;
      kind = K_ERR;
    }
    emit(res, kind, i - start, (uint8_t)c);
  }
}

static const char ident_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
static const char *const ops[] = {"+", "-", "*", "/", "(", ")", ";", ",", "=", "==", "<", "<=", ">", ">=", "!", "!="};
/* Printable characters for strings and comments: no quote, no newline, a few odd ones (@ $ ~). */
static const char free_chars[] = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789+-*/=<>!#@$~.;,()";

/* Program-like text; tokens are sometimes glued together, so the scanners must agree on munching. */
static uint32_t generate_text(char *t, uint32_t cap) {
  uint32_t n = 0;
  while (n + 48 < cap) {
    uint32_t r = rng_below(20);
    if (r < 6) {
      uint32_t len = 1 + rng_below(12);
      t[n++] = ident_chars[rng_below(53)]; /* letter or underscore first */
      while (--len) t[n++] = ident_chars[rng_below(sizeof ident_chars - 1)];
    } else if (r < 9) {
      uint32_t len = 1 + rng_below(8);
      while (len--) t[n++] = (char)('0' + rng_below(10));
    } else if (r < 14) {
      const char *op = ops[rng_below(sizeof ops / sizeof ops[0])];
      while (*op) t[n++] = *op++;
    } else if (r < 15) {
      uint32_t len = rng_below(16);
      t[n++] = '"';
      while (len--) t[n++] = free_chars[rng_below(sizeof free_chars - 1)];
      if (rng_below(64) != 0) t[n++] = '"'; /* now and then an unterminated string */
    } else if (r < 16) {
      uint32_t len = rng_below(30);
      t[n++] = '#';
      while (len--) t[n++] = free_chars[rng_below(sizeof free_chars - 1)];
      t[n++] = '\n';
    } else if (r < 19) {
      uint32_t len = 1 + rng_below(3);
      while (len--) t[n++] = rng_below(8) ? ' ' : '\t';
    } else {
      t[n++] = rng_below(32) ? '\n' : (char)(0x80 + rng_below(128)); /* rare stray byte */
    }
    if (rng_below(3) == 0) t[n++] = ' ';
  }
  return n;
}

static int same_result(const struct tok_result *a, const struct tok_result *b) {
  return memcmp(a->count, b->count, sizeof a->count) == 0 && a->hash == b->hash;
}

static uint64_t kernel_dfa(void) {
  static const char K[] = "dfa";
  dfa_init();

  /* Known input with known token counts. */
  static const char sample[] = "x1 = foo(42, \"hi\") >= 7!=y # c\n\"open";
  static const uint32_t want[K_COUNT] = {
      [K_WS] = 6, [K_NL] = 1, [K_IDENT] = 3, [K_NUMBER] = 2, [K_STRING] = 1, [K_COMMENT] = 1, [K_OP] = 6, [K_ERR] = 1,
  };
  struct tok_result a, b;
  tokenize_dfa(sample, sizeof sample - 1, &a);
  for (int k = 0; k < K_COUNT; k++) check(a.count[k] == want[k], K, "sample token count", a.count[k], want[k]);

  uint64_t h = 0, tokens = 0;
  for (uint32_t r = 0; r < DFA_ROUNDS; r++) {
    rng_seed(0xDFA00000ull + r);
    uint32_t n = generate_text(text, TEXT_BYTES);
    tokenize_dfa(text, n, &a);
    tokenize_plain(text, n, &b);
    check(same_result(&a, &b), K, "dfa vs plain scanner hash", a.hash, b.hash);
    for (int k = 0; k < K_COUNT; k++) tokens += a.count[k];
    h = mix(h, a.hash);
  }
  return mix(h, tokens);
}

/* ---- main --------------------------------------------------------------------------------------- */
int main(void) {
  rt_printf("compute: scale %d\n", COMPUTE_SCALE);
  uint64_t total = 0, cs;

  cs = kernel_list();
  rt_printf("list    rounds %4d  checksum 0x%016lx\n", LIST_ROUNDS, cs);
  total = mix(total, cs);

  cs = kernel_matmul();
  rt_printf("matmul  rounds %4d  checksum 0x%016lx\n", MAT_ROUNDS, cs);
  total = mix(total, cs);

  cs = kernel_crc();
  rt_printf("crc32   rounds %4d  checksum 0x%016lx\n", CRC_ROUNDS, cs);
  total = mix(total, cs);

  cs = kernel_dfa();
  rt_printf("dfa     rounds %4d  checksum 0x%016lx\n", DFA_ROUNDS, cs);
  total = mix(total, cs);

  if (failures) {
    rt_printf("compute: FAIL, %d checks failed, checksum 0x%016lx\n", failures, total);
    return 1;
  }
  rt_printf("compute: PASS, checksum 0x%016lx\n", total);
  return 0;
}
