"""Independent recomputation of the TLB-study workloads' result lines (firmware/user/{gups,graph,kvstore,
mcf}.c), from the formulas at the top of each source. Stdlib only; used by workloads.py. Written for
small parameters (the oracle runs in the test, not in the sweeps)."""
import bisect
import math
from collections import deque

MASK = (1 << 64) - 1


def xorshift64(x):
    x ^= (x << 13) & MASK
    x ^= x >> 7
    x ^= (x << 17) & MASK
    return x


class Rng:
    def __init__(self, seed):
        self.x = seed or 1

    def next(self):
        self.x = xorshift64(self.x)
        return self.x


def shuffle(n, rng):
    perm = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.next() % (i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    return perm


def gups(pages=64, updates=None, seed=1):
    words = pages * 512
    updates = 4 * words if updates is None else updates
    changed = {}
    x = seed or 1
    for _ in range(updates):
        x = xorshift64(x)
        i = x % words
        changed[i] = changed.get(i, i) ^ x
    total = words * (words - 1) // 2 + sum(v - i for i, v in changed.items())
    return {"sum": total & MASK}


def graph(vertices=4096, degree=8, roots=4, seed=1):
    rng = Rng(seed)
    scale = max(1, (vertices - 1).bit_length())
    edges = []
    for _ in range(vertices * degree):
        while True:
            u = v = 0
            for level in range(scale):
                if level % 8 == 0:
                    bits = rng.next()
                r = (bits >> (level % 8 * 8)) & 255
                u, v = 2 * u + (r >= 195), 2 * v + (146 <= r < 195 or r >= 244)
            if u < vertices and v < vertices:
                break
        edges.append((u, v))
    perm = shuffle(vertices, rng)
    adj = [[] for _ in range(vertices)]
    for u, v in edges:
        u, v = perm[u], perm[v]
        if u != v:
            adj[u].append(v)
            adj[v].append(u)
    reached = depth_sum = 0
    for _ in range(roots):
        s = rng.next() % vertices
        while not adj[s]:
            s = (s + 1) % vertices
        depth = {s: 0}
        queue = deque([s])
        while queue:
            u = queue.popleft()
            for w in adj[u]:
                if w not in depth:
                    depth[w] = depth[u] + 1
                    queue.append(w)
        reached += len(depth)
        depth_sum += sum(depth.values())
    return {"edges": sum(map(len, adj)), "reached": reached, "depth": depth_sum}


def zipf_groups(keys, theta):
    """(first ranks, cumulative weights) of the rank groups, in the source's Q32 fixed point."""
    def log2_q32(r):
        n = r.bit_length() - 1
        m, frac = r << (31 - n), 0
        for k in range(1, 33):
            m = (m * m) >> 31
            if m >> 32:
                m >>= 1
                frac |= 1 << (32 - k)
        return (n << 32) | frac

    half_root = [1 << 31]
    for _ in range(32):
        half_root.append(math.isqrt(half_root[-1] << 32))

    def weight(r):
        e = theta * log2_q32(r) // 100
        if e >> 32 >= 32:
            return 0
        v = 1 << 32
        for k in range(1, 33):
            if e & (1 << (32 - k)):
                v = (v * half_root[k]) >> 32
        return v >> (e >> 32)

    los, cdf, total, lo = [], [], 0, 1
    while lo <= keys:
        width = 1 if lo < 128 else 1 << (lo.bit_length() - 1 - 6)
        hi = min(lo + width, keys + 1)
        total += (hi - lo) * weight(lo)
        los.append(lo)
        cdf.append(total)
        lo = hi
    los.append(keys + 1)
    return los, cdf


def kvstore(keys=4096, requests=None, get=90, theta=99, vwords=5, seed=1):
    requests = 8 * keys if requests is None else requests
    rng = Rng(seed)
    shuffle(keys, rng)  # the load order: its draws come first
    los, cdf = zipf_groups(keys, theta)
    version = [0] * keys
    gets = total = 0
    for _ in range(requests):
        g = bisect.bisect_right(cdf, rng.next() % cdf[-1])
        x2 = rng.next()
        key = los[g] + x2 % (los[g + 1] - los[g]) - 1
        if (x2 >> 32) % 100 < get:
            gets += 1
            total += sum(((key + 1) << 32) ^ (version[key] << 8) ^ j for j in range(vwords))
        else:
            version[key] += 1
    return {"gets": gets, "sets": requests - gets, "sum": total & MASK}


def mcf(pages=256, fanout=4, rounds=4, seed=1):
    n = pages * 4096 // (64 + 32 * fanout)
    m = n * fanout
    rng = Rng(seed)
    shuffle(n, rng)  # placements: they change addresses, not the sums
    shuffle(m, rng)
    pred, tree_cost, arcs = [None] * n, [0] * n, []
    for i in range(1, n):
        x = rng.next()
        pred[i], tree_cost[i] = x % i, (x >> 32) % 1000 + 1
        arcs.append([pred[i], i, tree_cost[i]])
    for _ in range(n - 1, m):
        x1 = rng.next()
        arcs.append([x1 % n, (x1 >> 32) % n, rng.next() % 1000 + 1])
    potential = [0] * n
    for i in range(1, n):  # pred(i) < i: parents first
        potential[i] = potential[pred[i]] + tree_cost[i]
    negs = total = 0
    for _ in range(rounds):
        for arc in arcs:
            red = arc[2] + potential[arc[0]] - potential[arc[1]]
            if red < 0:
                negs += 1
                total += red
                arc[2] += 1
    return {"nodes": n, "arcs": m, "negs": negs, "sum": total, "potsum": sum(potential) if rounds else 0}


WORKLOADS = {"gups": gups, "graph": graph, "kvstore": kvstore, "mcf": mcf}
PARAMS = {"gups": ("pages", "updates", "seed"), "graph": ("vertices", "degree", "roots", "seed"),
          "kvstore": ("keys", "requests", "get", "theta", "vwords", "seed"),
          "mcf": ("pages", "fanout", "rounds", "seed")}
