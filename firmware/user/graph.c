/* graph vertices=V degree=D roots=R seed=S   (breadth-first search in the manner of GAP's bfs)
 * An R-MAT graph (Graph500 / GAP's a=.57 b=.19 c=.19 d=.05, in 256ths: 146 49 49 12), x = S (0 -> 1):
 *   k = ceil(log2 V) (at least 1). Each of the E = V * D edges: u = v = 0, then for level l = 0..k-1:
 *   r = byte l % 8 (from the low end) of a draw, a new draw = xorshift64(x) for l = 0, 8, 16, ...;
 *   u <<= 1, v <<= 1, r < 146: -, r < 195: v++, r < 244: u++, else u++ and v++. An edge with u or v
 *   >= V is drawn again (whole). Then vertex ids are permuted (suite_shuffle of V, as GAP's PermuteIDs):
 *   u = perm[u], v = perm[v]. Self-loops are dropped, duplicate edges kept; the graph is undirected.
 * CSR: offsets[V + 1] and adjacency[] (u32), each edge stored both ways, in edge order.
 * R searches: s = xorshift64(x) % V, moved on to s + 1, s + 2, ... (mod V) until it has neighbours;
 * a top-down, queue-based BFS from s fills parent[].
 * Self-check per search: an independent bottom-up, level-by-level pass computes every vertex's depth;
 * a vertex is reached exactly when it has a parent, and each parent is a neighbour one level closer.
 * Result: edges = adjacency entries (2 x edges without self-loops), reached = Σ reached vertices,
 * depth = Σ depths over the R searches. minflt/majflt count over the searches (not their checks). */
#include "suite.h"

#define NONE 0xffffffffu

struct graph {
  uint64_t vertices;
  uint32_t* offsets; /* vertex v's neighbours: adjacency[offsets[v] .. offsets[v + 1]) */
  uint32_t* adjacency;
};

static void rmat_edges(uint32_t* edges, uint64_t vertices, uint64_t count, uint64_t* x) {
  unsigned scale = 1;
  while ((1ull << scale) < vertices) scale++;
  for (uint64_t e = 0; e < count; e++) {
    uint64_t u, v;
    do {
      uint64_t bits = 0;
      u = v = 0;
      for (unsigned level = 0; level < scale; level++) {
        if (level % 8 == 0) bits = xorshift64(x);
        uint64_t r = (bits >> (level % 8 * 8)) & 255;
        u <<= 1;
        v <<= 1;
        if (r >= 244)
          u++, v++;
        else if (r >= 195)
          u++;
        else if (r >= 146)
          v++;
      }
    } while (u >= vertices || v >= vertices);
    edges[2 * e] = (uint32_t)u;
    edges[2 * e + 1] = (uint32_t)v;
  }
}

static uint64_t build_csr(struct graph* g, uint32_t* edges, uint64_t count, uint32_t* cursor) {
  uint64_t n = g->vertices;
  memset(g->offsets, 0, (n + 1) * sizeof *g->offsets);
  for (uint64_t e = 0; e < count; e++)
    if (edges[2 * e] != edges[2 * e + 1]) g->offsets[edges[2 * e] + 1]++, g->offsets[edges[2 * e + 1] + 1]++;
  for (uint64_t v = 0; v < n; v++) g->offsets[v + 1] += g->offsets[v];
  for (uint64_t v = 0; v < n; v++) cursor[v] = g->offsets[v];
  for (uint64_t e = 0; e < count; e++) {
    uint32_t u = edges[2 * e], v = edges[2 * e + 1];
    if (u == v) continue;
    g->adjacency[cursor[u]++] = v;
    g->adjacency[cursor[v]++] = u;
  }
  return g->offsets[n];
}

static void bfs(const struct graph* g, uint32_t source, uint32_t* parent, uint32_t* queue) {
  for (uint64_t v = 0; v < g->vertices; v++) parent[v] = NONE;
  parent[source] = source;
  uint64_t head = 0, tail = 0;
  queue[tail++] = source;
  while (head < tail) {
    uint32_t u = queue[head++];
    for (uint32_t i = g->offsets[u]; i < g->offsets[u + 1]; i++) {
      uint32_t v = g->adjacency[i];
      if (parent[v] == NONE) {
        parent[v] = u;
        queue[tail++] = v;
      }
    }
  }
}

/* Depths found without parents or a queue: level by level, each unreached vertex joins level L + 1 if
 * any neighbour is on level L. Returns the number of levels. */
static uint32_t depths(const struct graph* g, uint32_t source, uint32_t* depth) {
  for (uint64_t v = 0; v < g->vertices; v++) depth[v] = NONE;
  depth[source] = 0;
  uint32_t level = 0;
  for (int grew = 1; grew; level++) {
    grew = 0;
    for (uint64_t v = 0; v < g->vertices; v++) {
      if (depth[v] != NONE) continue;
      for (uint32_t i = g->offsets[v]; i < g->offsets[v + 1]; i++)
        if (depth[g->adjacency[i]] == level) {
          depth[v] = level + 1;
          grew = 1;
          break;
        }
    }
  }
  return level;
}

static int adjacent(const struct graph* g, uint32_t u, uint32_t v) {
  for (uint32_t i = g->offsets[u]; i < g->offsets[u + 1]; i++)
    if (g->adjacency[i] == v) return 1;
  return 0;
}

int main(int argc, char** argv) {
  uint64_t vertices = arg_u64(argc, argv, "vertices", 4096), degree = arg_u64(argc, argv, "degree", 8);
  uint64_t roots = arg_u64(argc, argv, "roots", 4), seed = arg_u64(argc, argv, "seed", 1);
  if (vertices < 2 || vertices > (1u << 24) || degree == 0 || degree > 1024)
    fail("graph", "vertices=%lu degree=%lu: need vertices in 2..2^24, degree in 1..1024", vertices, degree);
  uint64_t count = vertices * degree;
  uint64_t footprint = 2 * suite_pages(count * 8) + 5 * suite_pages((vertices + 1) * 4);
  if (footprint > SUITE_MAX_PAGES)
    fail("graph", "vertices=%lu degree=%lu need %lu pages, more than %lu", vertices, degree, footprint,
         SUITE_MAX_PAGES);

  uint32_t* edges = suite_alloc("graph", count * 8);
  uint32_t* perm = suite_alloc("graph", vertices * 4);
  struct graph g = {vertices, suite_alloc("graph", (vertices + 1) * 4), suite_alloc("graph", count * 8)};
  uint32_t* parent = suite_alloc("graph", vertices * 4);
  uint32_t* queue = suite_alloc("graph", vertices * 4);
  uint32_t* depth = suite_alloc("graph", vertices * 4);

  uint64_t x = seed ? seed : 1;
  rmat_edges(edges, vertices, count, &x);
  suite_shuffle(perm, vertices, &x);
  for (uint64_t i = 0; i < 2 * count; i++) edges[i] = perm[edges[i]];
  uint64_t entries = build_csr(&g, edges, count, queue); /* the queue is free until the searches */
  if (entries == 0) fail("graph", "vertices=%lu degree=%lu: the graph has no edges", vertices, degree);

  uint64_t reached = 0, depth_sum = 0, minflt = 0, majflt = 0;
  for (uint64_t r = 0; r < roots; r++) {
    uint32_t s = (uint32_t)(xorshift64(&x) % vertices);
    while (g.offsets[s] == g.offsets[s + 1]) s = (uint32_t)((s + 1) % vertices);
    struct fault_counts before, after;
    faults_snapshot(&before);
    bfs(&g, s, parent, queue);
    faults_snapshot(&after);
    minflt += after.minor - before.minor;
    majflt += after.major - before.major;
    depths(&g, s, depth);
    if (parent[s] != s) fail("graph", "root %u: parent %u, expected itself", s, parent[s]);
    for (uint32_t v = 0; v < vertices; v++) {
      if ((parent[v] == NONE) != (depth[v] == NONE))
        fail("graph", "root %u: vertex %u has parent %d but depth %d", s, v, (int)parent[v], (int)depth[v]);
      if (depth[v] == NONE) continue;
      reached++;
      depth_sum += depth[v];
      if (v != s && (depth[parent[v]] + 1 != depth[v] || !adjacent(&g, v, parent[v])))
        fail("graph", "root %u: vertex %u (depth %u) has parent %u (depth %u)", s, v, depth[v], parent[v],
             depth[parent[v]]);
    }
  }
  printf(
      "graph: vertices=%lu degree=%lu roots=%lu seed=%lu edges=%lu reached=%lu depth=%lu minflt=%lu "
      "majflt=%lu PASS\n",
      vertices, degree, roots, seed, entries, reached, depth_sum, minflt, majflt);
  return 0;
}
