#!/usr/bin/env python3
"""Independent recomputation of the pager-OS workloads' result lines (firmware/user/*.c). Stdlib only.

  workloads.py check LOG...      find every result line in console logs (or '-' for stdin) and check
                                 its sum/trace/last/checksum against the formula; exit 1 on a mismatch
  workloads.py expect NAME key=value...   print the values the workload must report

As a module: parse(line) -> (name, {key: value}) and expected(name, params) -> {key: value}.
The formulas are documented at the top of each workload's source; this file mirrors them.
"""
import re
import sys

MASK = (1 << 64) - 1


def xorshift64(x):
    x ^= (x << 13) & MASK
    x ^= x >> 7
    x ^= (x << 17) & MASK
    return x


def seqscan(pages=64, rounds=2):
    s = 0
    for r in range(rounds):
        for p in range(pages):
            s += (((p + 1) * 0x9E3779B97F4A7C15) & MASK) ^ r
    return {"sum": s & MASK}


def randaccess(pages=64, accesses=None, seed=1):
    accesses = pages * 4 if accesses is None else accesses
    x, s = seed or 1, 0
    for _ in range(accesses):
        x = xorshift64(x)
        s += x
    return {"sum": s & MASK}


def strided(pages=64, stride=8, rounds=2):
    s = sum(rounds * (p + 1) + rounds * (rounds - 1) // 2 for p in range(pages))
    return {"sum": s & MASK, "visits": pages * rounds}


def ptrchase(pages=64, steps=None, seed=1):
    steps = pages * 4 if steps is None else steps
    perm = list(range(pages))
    x = seed or 1
    for i in range(pages - 1, 0, -1):
        x = xorshift64(x)
        j = x % (i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    full, rest = divmod(steps, pages)
    s = full * sum(perm) + sum(perm[:rest])
    return {"sum": s & MASK, "last": perm[steps % pages]}


def matmul(n=32):
    a = [[(i * n + j) % 97 + 1 for j in range(n)] for i in range(n)]
    b = [[(3 * i + 5 * j) % 89 + 1 for j in range(n)] for i in range(n)]
    col = [sum(a[i][k] for i in range(n)) for k in range(n)]
    row = [sum(b[k]) for k in range(n)]
    trace = sum(sum(a[i][k] * b[k][i] for k in range(n)) for i in range(n))
    return {"sum": sum(c * r for c, r in zip(col, row)) & MASK, "trace": trace & MASK}


def thrash(pages=128, rounds=4):
    s = sum(((p << 32) * 512 + 511 * 512 // 2) for p in range(pages)) + pages * rounds
    return {"sum": s & MASK}


def twins(id, pages=8, rounds=8, hint=0x40000000):
    s = sum((id << 48) | (p << 16) | r for r in range(rounds) for p in range(pages))
    return {"sum": s & MASK, "addr": hint}


def lazy(pages=16):
    # One zero-fill per fresh page, whatever else a small frame pool makes the process fault on.
    return {"zero": pages}


def mmapfile(size=None, **_):
    return {}  # checked by the program itself (checksum == stored); see check_line


WORKLOADS = {"seqscan": seqscan, "randaccess": randaccess, "strided": strided, "ptrchase": ptrchase,
             "matmul": matmul, "thrash": thrash, "twins": twins, "lazy": lazy}
# Keys of a result line that are parameters (the rest are results or fault counts).
PARAMS = {"seqscan": ("pages", "rounds"), "randaccess": ("pages", "accesses", "seed"),
          "strided": ("pages", "stride", "rounds"), "ptrchase": ("pages", "steps", "seed"), "matmul": ("n",),
          "thrash": ("pages", "rounds"), "twins": ("id", "pages", "rounds"), "lazy": ("pages",)}
# ---- TLB-study workloads (gups, graph, kvstore, mcf): their formulas live in suite_oracle.py ----
sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
import suite_oracle  # noqa: E402

WORKLOADS.update(suite_oracle.WORKLOADS)
PARAMS.update(suite_oracle.PARAMS)
# ---- end of TLB-study workloads ----
NAMES = list(WORKLOADS) + ["forkcow", "mmapfile", "crasher"]
LINE_RE = re.compile(r"^(%s): (.*)$" % "|".join(NAMES))


def num(v):
    return int(v, 0)


def parse(line):
    """'seqscan: pages=64 ... sum=0x..' -> ('seqscan', {'pages': 64, ..., 'sum': ...}); None if no match."""
    m = LINE_RE.match(line.strip())
    if not m:
        return None
    kv = {}
    for word in m.group(2).split():
        if "=" not in word:
            continue
        k, v = word.split("=", 1)
        try:
            kv[k] = num(v)
        except ValueError:
            kv[k] = v
    return m.group(1), kv


def expected(name, params):
    return WORKLOADS[name](**{k: params[k] for k in PARAMS[name] if k in params})


def check_line(line):
    """None if the line is not a result line, else a list of mismatch messages (empty = good)."""
    parsed = parse(line)
    if not parsed or " FAIL" in line:
        return ["self-reported failure: " + line.strip()] if parsed and " FAIL" in line else None
    name, kv = parsed
    if name == "crasher":
        return None  # "faulting now" is announced; the kernel's kill is checked by the test
    if name == "forkcow":
        # Each side's N writes are first writes to pages it holds copy-on-write: N copy-on-write faults,
        # whether or not the pages went to swap in between.
        if kv.get("cow") != kv.get("pages"):
            return ["forkcow: cow=%s for pages=%s" % (kv.get("cow"), kv.get("pages"))]
        return []
    if name == "mmapfile":
        return [] if kv.get("checksum") == kv.get("stored") else ["mmapfile checksum mismatch"]
    if name not in WORKLOADS:
        return []
    want = expected(name, kv)
    return ["%s: %s=%s, expected %s" % (name, k, hex(kv.get(k)) if isinstance(kv.get(k), int) else kv.get(k), hex(v))
            for k, v in want.items() if kv.get(k) != v]


def main(argv):
    if len(argv) >= 2 and argv[0] == "expect":
        params = {k: num(v) for k, v in (a.split("=", 1) for a in argv[2:])}
        for k, v in expected(argv[1], params).items():
            print("%s=0x%016x" % (k, v) if k in ("sum", "trace") else "%s=%d" % (k, v))
        return 0
    if len(argv) >= 2 and argv[0] == "check":
        bad = checked = 0
        for path in argv[1:]:
            text = sys.stdin.read() if path == "-" else open(path, errors="replace").read()
            for line in text.splitlines():
                res = check_line(line)
                if res is None:
                    continue
                checked += 1
                for msg in res:
                    print("MISMATCH " + msg)
                    bad += 1
        print("%d result lines checked, %d mismatches" % (checked, bad))
        return 1 if bad or not checked else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
