#!/usr/bin/env python3
"""Runs a corpus twice, with sim.fast_paths on and off, and compares the two stats.json field for field
(every field but host.*) and the console output. Used by test_fast_paths.sh; stdlib only.

usage: fast_paths_equiv.py SV39SIM FIRMWARE_DIR SOURCE_DIR WORK [--corpus full|small] [--jobs J]
                           [--only REGEX] [--list]
Each differing field is printed with both values. Exit 0: every pair identical; 1: a difference, a run
that did not end as its case expects or left no stats, or a COVERAGE statistic no compared run reaches.
"""
import argparse
import glob
import json
import os
import random
import re
import shlex
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

# The fuzzer's random streams (case i of a seed is the input `fuzz.py --kinds random,paging --seed S
# --case i` runs, options included), from a seed of our own: a fixed corpus, not the fuzz test's.
FUZZ_SEED = 11
# Any verdict but a rejected input: a random stream may fail its run (exit 1) or reach a limit (exit 3).
ANY_VERDICT = (0, 1, 3)

# Memory-system settings the fast paths must respect: replacement policies that are not LRU (the replays
# must update PLRU bits, FIFO order and the random stream exactly as a full lookup does), a missing cache
# level (nothing to replay), misaligned accesses that trap instead of splitting, no L2 TLB and splintered
# or separate superpages (different entries under the micro-TLB), TLBs and caches so small that entries
# and lines a replay remembers are evicted all the time, A/D bits that fault, TLB flushes on every satp
# write and no ASIDs, PTE reads from memory and no page-walk cache, and L1Is for the run loop's fetch window,
# which widens over neighbouring lines up to one L1I way: a direct-mapped one a page in size (other pages'
# code evicts the window's lines), one of two sets (loops span more than a way), and one with 128-byte lines
# and tree-PLRU; and for the run loop's data window, which keeps the newest line of each L1D set reached
# through the newest entry of its D-TLB set: an L1D of four sets of two ways under a D-TLB of two sets,
# where lines and entries displace each other all the time.
VARIANTS = {
    "policies": ["cache.l1i.policy=fifo", "cache.l1d.policy=plru", "cache.l2.policy=random",
                 "mmu.itlb.policy=plru", "mmu.dtlb.policy=random", "mmu.l2tlb.policy=fifo", "sim.seed=7"],
    "no-l1d": ["cache.l1d.enabled=false"],
    "no-caches": ["cache.l1i.enabled=false", "cache.l1d.enabled=false", "cache.l2.enabled=false"],
    "misaligned-trap": ["hart.misaligned=trap"],
    "no-l2tlb-splinter": ["mmu.l2tlb.enabled=false", "mmu.itlb.superpages=splinter",
                          "mmu.dtlb.superpages=splinter"],
    "superpages-separate": ["mmu.itlb.superpages=separate", "mmu.dtlb.superpages=separate",
                            "mmu.l2tlb.superpages=separate", "mmu.dtlb.superpage_entries=2"],
    "tiny-tlbs": ["mmu.itlb.sets=1", "mmu.itlb.ways=2", "mmu.dtlb.sets=2", "mmu.dtlb.ways=1",
                  "mmu.dtlb.policy=fifo", "mmu.l2tlb.sets=2", "mmu.l2tlb.ways=2"],
    "tiny-caches": ["cache.l1i.size=1KiB", "cache.l1i.ways=2", "cache.l1d.size=512", "cache.l1d.ways=1",
                    "cache.l1d.line=32", "cache.l2.size=4KiB", "cache.l2.ways=2", "cache.l1d.policy=random"],
    "l1i-page-direct": ["cache.l1i.size=4KiB", "cache.l1i.ways=1"],
    "l1i-two-sets": ["cache.l1i.size=512", "cache.l1i.ways=4"],
    "l1i-long-lines-plru": ["cache.l1i.size=16KiB", "cache.l1i.ways=2", "cache.l1i.line=128",
                            "cache.l2.line=128", "cache.l1i.policy=plru"],
    "ad-fault": ["mmu.ad_update=fault"],
    "satp-flush-no-asids": ["mmu.flush_on_satp_write=true", "mmu.asid_bits=0"],
    "pte-memory-no-pwc": ["mmu.walker.pte_source=memory", "mmu.pwc.enabled=false"],
    "l1d-four-sets": ["cache.l1d.size=512", "cache.l1d.ways=2", "mmu.dtlb.sets=2", "mmu.dtlb.ways=2"],
}
# Variants under which a known-good guest need not pass: it may rely on what the variant takes away
# (vm_asid on ASIDs, priv_misaligned on misaligned accesses that do not trap).
VARIANT_MAY_FAIL = {"misaligned-trap", "ad-fault", "satp-flush-no-asids"}


class Case:
    def __init__(self, name, argv, expect=(0,), files=None):
        self.name, self.argv, self.expect, self.files = name, argv, expect, files or {}


def sets(pairs):
    return [a for p in pairs for a in ("--set", p)]


def selftest_args(src, stem, fw):
    """The per-source `sv39sim-args:` lines, as testbench/CMakeLists.txt reads them (first 20 lines)."""
    for ext in (".c", ".S"):
        path = os.path.join(src, "firmware", "selftest", stem + ext)
        if os.path.exists(path):
            with open(path) as f:
                head = [next(f, "") for _ in range(20)]
            args = []
            for line in head:
                m = re.search(r"sv39sim-args:(.*)$", line)
                if m:
                    args += shlex.split(m.group(1).replace("@FIRMWARE_DIR@", fw))
            return args
    return []


def workload_runs(src):
    """One pager run per user program (firmware/user/*.c), with its defaults; twins runs as the pair it
    is meant to be, crasher once per kind of crash."""
    runs = {}
    for path in sorted(glob.glob(os.path.join(src, "firmware", "user", "*.c"))):
        prog = os.path.splitext(os.path.basename(path))[0]
        if prog == "twins":
            runs[prog] = "twins id=1; twins id=2"
        elif prog == "crasher":
            kinds = ["null", "kernel", "kernelhigh", "foreign", "illegal", "priv", "rodata", "text", "exec"]
            runs[prog] = "; ".join(f"crasher kind={k}" for k in kinds)
        else:
            runs[prog] = prog
    return runs


def fuzz_cases(src, fw, count):
    sys.path.insert(0, os.path.join(src, "testbench", "fuzz"))
    import fuzz  # noqa: E402  (the fuzzer's case maker: program, limits and random options)

    class Ctx:
        firmware = fw
    kinds = ["random", "paging"]
    cases = []
    for i in range(2 * count):
        kind = kinds[i % 2]
        files, argv = fuzz.make_case(kind, random.Random(f"{FUZZ_SEED}/{i}/{kind}"), Ctx)
        cases.append(Case(f"fuzz-{kind}-{i}", argv, ANY_VERDICT, files))
    return cases


def corpus(fw, src, size):
    """size 'small' (the sanitizer pass, some 5x slower): every self-test, the compute runs and the pager
    mix still, but only the quicker workloads, fewer random streams and fewer variant targets."""
    small = size == "small"
    pager_base = ["--set", f"sim.elf={fw}/kernel.elf", "--set", f"disk.image={fw}/disk.img"]
    default_yaml = os.path.join(src, "configs", "default.yaml")
    default_mix = Case("pager-default", [default_yaml] + pager_base)
    cases = []
    for elf in sorted(glob.glob(os.path.join(fw, "selftest-*.elf"))):
        stem = os.path.basename(elf)[len("selftest-"):-len(".elf")]
        cases.append(Case(f"selftest-{stem}", ["--elf", elf, "--max-instructions", "200000000"] +
                          selftest_args(src, stem, fw)))
    for prog in ("compute-small", "compute-vm-small"):
        cases.append(Case(prog, ["--elf", f"{fw}/{prog}.elf"]))
    cases.append(default_mix)
    quick = {"crasher", "forkcow", "lazy", "mmapfile", "thrash", "twins"}
    for prog, run in workload_runs(src).items():
        if not small or prog in quick:
            cases.append(Case(f"pager-{prog}", pager_base + sets(["sim.max_time=20s", f"workload.run={run}"])))
    if not small:
        # The pager's own policies: swapping with random replacement and no ASIDs; ASIDs recycled.
        cases.append(Case("pager-swap-random-noasid", [default_yaml] + pager_base +
                          sets(["workload.frames=24", "workload.replacement=random", "workload.asids=false"])))
        cases.append(Case("pager-asid-recycle", [default_yaml] + pager_base +
                          sets(["workload.asid_max=3", "workload.replacement=fifo"])))
    fuzz = fuzz_cases(src, fw, 40 if small else 150)
    cases += fuzz

    # Every variant on the pager mix, the Sv39 compute run, the self-tests that touch what the variants
    # change, and the first random streams of each kind.
    by_name = {c.name: c for c in cases}
    tests = ["vm_superpages", "vm_sfence"] + ([] if small else ["vm_ad", "vm_asid", "vm_pmp_pte", "priv_misaligned"])
    targets = ([] if small else [default_mix]) + [by_name["compute-small"], by_name["compute-vm-small"]]
    targets += [by_name[f"selftest-{t}"] for t in tests if f"selftest-{t}" in by_name]
    targets += fuzz[:4 if small else 16]
    for vname, pairs in VARIANTS.items():
        for t in targets:
            expect = ANY_VERDICT if vname in VARIANT_MAY_FAIL else t.expect
            cases.append(Case(f"{t.name}@{vname}", t.argv + sets(pairs), expect, t.files))
    return cases


# What the corpus must exercise, as statistics some compared run has above zero: traps of each kind
# the fast paths decide on, A/D updates, every kind of fence and satp-write flushes, superpage hits,
# evictions from every TLB and cache level, write-backs and swapping. A corpus that stops reaching one
# of them (a renamed self-test, a generator change) fails the test instead of passing on less.
COVERAGE = ["hart.traps.illegal_instruction", "hart.traps.fetch_page_fault", "hart.traps.load_page_fault",
            "hart.traps.store_page_fault", "hart.traps.fetch_access", "hart.traps.load_access",
            "hart.traps.store_access", "hart.traps.misaligned_load", "hart.traps.misaligned_store",
            "hart.interrupts.mti", "hart.interrupts.sti", "mmu.walker.ad_updates", "mmu.fences.all",
            "mmu.fences.va", "mmu.fences.asid", "mmu.fences.va_asid", "mmu.fences.satp_write",
            "mmu.dtlb.hits.load.2m", "mmu.dtlb.hits.load.1g", "mmu.itlb.evictions", "mmu.dtlb.evictions",
            "mmu.l2tlb.evictions", "mmu.walker.pwc.hits.level1", "cache.l1i.evictions",
            "cache.l1d.evictions", "cache.l1d.writebacks", "cache.l2.evictions", "pager.swap_ins",
            "pager.swap_outs"]


def flatten(obj, prefix=""):
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            out.update(flatten(v, f"{prefix}{k}."))
        return out
    if isinstance(obj, list):
        out = {}
        for i, v in enumerate(obj):
            out.update(flatten(v, f"{prefix}{i}."))
        return out
    return {prefix[:-1]: obj}


def run(sim, case, mode, work, timeout):
    """One run: (exit status or a problem, {field: value} or None, console, host seconds, stderr, command)."""
    case_dir = os.path.join(work, re.sub(r"[^A-Za-z0-9_.@-]", "_", case.name))
    os.makedirs(case_dir, exist_ok=True)
    for fname, data in case.files.items():
        path = os.path.join(case_dir, fname)
        if not os.path.exists(path):
            with open(path + f".{mode}", "wb") as f:
                f.write(data)
            os.replace(path + f".{mode}", path)
    out = os.path.join(case_dir, mode)
    argv = [a.replace("{dir}", case_dir) for a in case.argv]
    cmd = [sim, "run"] + argv + ["--set", f"sim.fast_paths={'true' if mode == 'fast' else 'false'}",
                                 "--quiet", "--out", out]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        rc, console, err = p.returncode, p.stdout, p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        rc, console, err = f"timeout after {timeout} s", b"", ""
    seconds = time.monotonic() - start
    stats = None
    if os.path.exists(os.path.join(out, "stats.json")):
        with open(os.path.join(out, "stats.json")) as f:
            stats = flatten(json.load(f))
    return rc, stats, console, seconds, err, cmd


def compare(case, fast, slow):
    """Problems of one case (empty: identical) and the number of fields compared."""
    problems = []
    for mode, (rc, stats, _, _, err, cmd) in (("fast", fast), ("slow", slow)):
        if rc not in case.expect or stats is None:
            tail = " | ".join(err.strip().splitlines()[-3:])
            problems.append(f"{mode} run: exit {rc} (expected {' or '.join(map(str, case.expect))})"
                            f"{'' if stats is not None else ', no stats.json'}: {tail}\n"
                            f"    command: {' '.join(shlex.quote(a) for a in cmd)}")
    if problems:
        return problems, 0
    if fast[0] != slow[0]:
        problems.append(f"exit status: fast={fast[0]} slow={slow[0]}")
    a = {k: v for k, v in fast[1].items() if not k.startswith("host.")}
    b = {k: v for k, v in slow[1].items() if not k.startswith("host.")}
    for key in sorted(a.keys() | b.keys()):
        if key not in b:
            problems.append(f"{key}: fast={a[key]!r} slow=(missing)")
        elif key not in a:
            problems.append(f"{key}: fast=(missing) slow={b[key]!r}")
        elif a[key] != b[key] or type(a[key]) is not type(b[key]):
            problems.append(f"{key}: fast={a[key]!r} slow={b[key]!r}")
    if fast[2] != slow[2]:
        fl, sl = fast[2].decode(errors="replace").splitlines(), slow[2].decode(errors="replace").splitlines()
        n = next((i for i, (x, y) in enumerate(zip(fl, sl)) if x != y), min(len(fl), len(sl)))
        problems.append(f"console output differs at line {n + 1}: fast={fl[n] if n < len(fl) else '(end)'!r} "
                        f"slow={sl[n] if n < len(sl) else '(end)'!r}")
    return problems, len(a.keys() | b.keys())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sim")
    ap.add_argument("firmware")
    ap.add_argument("source")
    ap.add_argument("work")
    ap.add_argument("--corpus", choices=["full", "small"], default="full")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--only", default=None, help="run only the cases whose name matches this regex")
    ap.add_argument("--list", action="store_true", help="print the cases and their arguments, run nothing")
    args = ap.parse_args()
    sim, fw, src = (os.path.abspath(p) for p in (args.sim, args.firmware, args.source))

    cases = corpus(fw, src, args.corpus)
    if args.only:
        cases = [c for c in cases if re.search(args.only, c.name)]
    if args.list:
        for c in cases:
            print(c.name, " ".join(shlex.quote(a) for a in c.argv))
        return 0
    if not cases:
        print("fast_paths: no cases")
        return 1

    start = time.monotonic()
    jobs = [(c, m) for c in cases for m in ("fast", "slow")]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda j: run(sim, j[0], j[1], args.work, args.timeout), jobs))
    failed, differences, fields, host, seen = 0, 0, [], {"fast": 0.0, "slow": 0.0}, {}
    for i, case in enumerate(cases):
        fast, slow = results[2 * i], results[2 * i + 1]
        host["fast"] += fast[3]
        host["slow"] += slow[3]
        problems, n = compare(case, fast, slow)
        if problems:
            failed += 1
            differences += len(problems)
            print(f"DIFF {case.name}: {len(problems)} difference(s)")
            for p in problems:
                print(f"  {p}")
            print(f"  reproduce: {' '.join(shlex.quote(a) for a in fast[5])}  (and sim.fast_paths=false)")
        else:
            fields.append(n)
            for key in COVERAGE:
                if fast[1].get(key, 0):
                    seen[key] = seen.get(key, 0) + 1
    missing = [k for k in COVERAGE if k not in seen]
    for key in missing:
        print(f"CORPUS: no compared run has {key} > 0")
    groups = {}
    for i, c in enumerate(cases):
        g = groups.setdefault(c.name.split("@")[1] if "@" in c.name else c.name.split("-")[0], [0, 0.0])
        g[0] += 1
        g[1] += results[2 * i][3] + results[2 * i + 1][3]
    print(f"fast_paths: {args.corpus} corpus, cases (host seconds): " +
          ", ".join(f"{k} {n} ({s:.1f})" for k, (n, s) in groups.items()))
    print(f"fast_paths: {len(COVERAGE) - len(missing)} of {len(COVERAGE)} coverage statistics above zero; "
          f"host time fast paths {host['fast']:.1f} s, slow paths {host['slow']:.1f} s; "
          f"{time.monotonic() - start:.1f} s wall, {args.jobs} jobs")
    fmin, fmax = (min(fields), max(fields)) if fields else (0, 0)
    print(f"fast_paths: {2 * len(cases)} runs compared in {len(cases)} pairs (fast paths on / off), "
          f"{fmin}-{fmax} fields each (host.* excluded; {sum(fields)} fields in the {len(fields)} identical "
          f"pairs): {differences} difference(s)" + (f" in {failed} pair(s)" if failed else ""))
    failed += len(missing)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
