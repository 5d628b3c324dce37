/* mcf pages=P fanout=F rounds=R seed=S   (pointer chasing in the manner of SPEC mcf's network simplex)
 * 64-byte nodes and 32-byte arcs: N = P * 4096 / (64 + 32 F) nodes and M = N * F arcs fill P pages.
 * x = S (0 -> 1). Placement: logical node i sits in slot nperm[i] of the node array, logical arc a in
 * slot aperm[a] of the arc array (suite_shuffle of N, then of M), so neighbours are pages apart.
 * Spanning tree: for i = 1..N-1, x = xorshift64(x): pred(i) = x % i, tree arc i - 1 = pred(i) -> i with
 * cost (x >> 32) % 1000 + 1; node 0 is the root. Arcs a = N-1..M-1: x1 = xorshift64(x), tail = x1 % N,
 * head = (x1 >> 32) % N, cost = xorshift64(x) % 1000 + 1. Arc a goes on the head of its tail's out-list
 * (a ascending), node i on the head of pred(i)'s child list (i ascending).
 * Each round r = 1..R: refresh_potential as mcf does it, a walk of the tree over child / sibling / pred
 * pointers: potential(i) = potential(pred(i)) + cost(tree arc of i), root 0, each node stamped r. Then
 * pricing as mcf's primal_bea_mpp, a scan of the arc array in memory order: red = cost + potential(tail)
 * - potential(head); an arc with red < 0 counts in negs, adds red to sum, gets flow + 1 and cost + 1.
 * Self-check per round, before pricing: in node-array order, every node carries stamp r and its pred's
 * potential plus its tree arc's cost; the negative reduced costs summed node by node along the out-lists
 * equal what the pricing scan then finds (another order, another path to the same arcs).
 * Result: nodes = N, arcs = M, negs, sum (signed, over all rounds), potsum = Σ potentials.
 * Defaults: P = 256, F = 4, R = 4. minflt/majflt count over the rounds. */
#include "suite.h"

struct arc;
struct node {
  struct node* pred;
  struct node* child;
  struct node* sibling;
  struct arc* basic_arc; /* the tree arc pred -> this node */
  struct arc* firstout;
  int64_t potential;
  uint64_t stamp;
  uint64_t id;
};

struct arc {
  struct node* tail;
  struct node* head;
  struct arc* nextout;
  int32_t cost;
  uint32_t flow;
};

_Static_assert(sizeof(struct node) == 64 && sizeof(struct arc) == 32, "the footprint formula assumes these");

static void refresh_potential(struct node* root, uint64_t round) {
  root->potential = 0;
  root->stamp = round;
  struct node *node = root->child, *last = root;
  while (node != root) {
    while (node) {
      node->potential = node->pred->potential + node->basic_arc->cost;
      node->stamp = round;
      last = node;
      node = node->child;
    }
    node = last;
    while (node->pred) {
      if (node->sibling) {
        node = node->sibling;
        break;
      }
      node = node->pred;
    }
  }
}

static int64_t price(struct arc* arcs, uint64_t m, uint64_t* negs) {
  int64_t sum = 0;
  for (struct arc* a = arcs; a < arcs + m; a++) {
    int64_t red = a->cost + a->tail->potential - a->head->potential;
    if (red < 0) {
      sum += red;
      ++*negs;
      a->flow++;
      a->cost++;
    }
  }
  return sum;
}

static int64_t check_round(struct node* nodes, uint64_t n, uint64_t round) {
  int64_t sum = 0;
  for (struct node* v = nodes; v < nodes + n; v++) {
    if (v->stamp != round) fail("mcf", "round %lu: node %lu was not visited", round, v->id);
    if (v->pred && v->potential != v->pred->potential + v->basic_arc->cost)
      fail("mcf", "round %lu: node %lu has potential %ld, its pred %ld + cost %d", round, v->id, v->potential,
           v->pred->potential, v->basic_arc->cost);
    for (struct arc* a = v->firstout; a; a = a->nextout) {
      int64_t red = a->cost + v->potential - a->head->potential;
      if (red < 0) sum += red;
    }
  }
  return sum;
}

int main(int argc, char** argv) {
  uint64_t pages = arg_u64(argc, argv, "pages", 256), fanout = arg_u64(argc, argv, "fanout", 4);
  uint64_t rounds = arg_u64(argc, argv, "rounds", 4), seed = arg_u64(argc, argv, "seed", 1);
  if (fanout == 0 || fanout > 64) fail("mcf", "fanout=%lu: must be in 1..64", fanout);
  if (pages > SUITE_MAX_PAGES) fail("mcf", "pages=%lu: more than %lu", pages, SUITE_MAX_PAGES);
  uint64_t n = pages * PAGE_SIZE / (64 + 32 * fanout), m = n * fanout;
  if (n < 2) fail("mcf", "pages=%lu fanout=%lu: %lu nodes, need at least 2", pages, fanout, n);
  /* the placement permutations come on top of the P pages */
  uint64_t footprint = pages + suite_pages(n * 4) + suite_pages(m * 4) + 2;
  if (footprint > SUITE_MAX_PAGES)
    fail("mcf", "pages=%lu fanout=%lu need %lu pages, more than %lu", pages, fanout, footprint,
         SUITE_MAX_PAGES);
  struct node* nodes = suite_alloc("mcf", n * sizeof(struct node));
  struct arc* arcs = suite_alloc("mcf", m * sizeof(struct arc));
  uint32_t* nperm = suite_alloc("mcf", n * 4);
  uint32_t* aperm = suite_alloc("mcf", m * 4);

  uint64_t x = seed ? seed : 1;
  suite_shuffle(nperm, n, &x);
  suite_shuffle(aperm, m, &x);
  for (uint64_t i = 0; i < n; i++) nodes[nperm[i]].id = i;
  for (uint64_t a = 0; a < m; a++) {
    struct arc* arc = &arcs[aperm[a]];
    uint64_t tail, head, cost;
    if (a + 1 < n) {
      xorshift64(&x);
      head = a + 1;
      tail = x % head;
      cost = (x >> 32) % 1000 + 1;
      struct node* child = &nodes[nperm[head]];
      child->pred = &nodes[nperm[tail]];
      child->basic_arc = arc;
      child->sibling = child->pred->child;
      child->pred->child = child;
    } else {
      uint64_t x1 = xorshift64(&x);
      tail = x1 % n;
      head = (x1 >> 32) % n;
      cost = xorshift64(&x) % 1000 + 1;
    }
    arc->tail = &nodes[nperm[tail]];
    arc->head = &nodes[nperm[head]];
    arc->cost = (int32_t)cost;
    arc->nextout = arc->tail->firstout;
    arc->tail->firstout = arc;
  }

  struct node* root = &nodes[nperm[0]];
  int64_t sum = 0;
  uint64_t negs = 0;
  struct fault_counts before, after;
  faults_snapshot(&before);
  for (uint64_t r = 1; r <= rounds; r++) {
    refresh_potential(root, r);
    int64_t expect = check_round(nodes, n, r);
    int64_t found = price(arcs, m, &negs);
    if (found != expect)
      fail("mcf", "round %lu: pricing found reduced costs summing to %ld, the out-lists %ld", r, found,
           expect);
    sum += found;
  }
  faults_snapshot(&after);
  int64_t potsum = 0;
  for (uint64_t i = 0; i < n; i++) potsum += nodes[i].potential;
  printf(
      "mcf: pages=%lu fanout=%lu rounds=%lu seed=%lu nodes=%lu arcs=%lu negs=%lu sum=%ld potsum=%ld "
      "minflt=%lu "
      "majflt=%lu PASS\n",
      pages, fanout, rounds, seed, n, m, negs, sum, potsum, after.minor - before.minor,
      after.major - before.major);
  return 0;
}
