#!/usr/bin/env python3
"""Robustness fuzzer for sv39sim: whatever the input, the run ends with exit 0, 1, 2 or 3.

Cases, each from its own seeded generator (case i of seed s is always the same input):
  random   a random instruction stream in M-mode, behind a trap handler that skips faulting slots
  paging   a random stream in S or U mode under random Sv39 page tables
  devices  random register traffic to the UART, PLIC, CLINT, virtio-blk and test finisher, with random
           virtio rings and descriptors in RAM
  elf      a firmware ELF with mutated headers, segments and symbol tables
  config   a configuration file with mutated keys, values and YAML structure
A case fails on a crash (signal), exit 4 (internal error), a hang (timeout), a sanitizer report, a
rejected input (exit 2) without an error message, or a stats file left behind by a rejected input.
Failing cases are kept (input files and the command) under --work/failures for reproduction.

usage: fuzz.py SV39SIM FIRMWARE_DIR [--cases N] [--seed S] [--jobs J] [--timeout SEC] [--work DIR]
               [--kinds random,paging,...] [--case I]
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_inputs  # noqa: E402
import gen_programs  # noqa: E402

KINDS = ["random", "paging", "devices", "elf", "config"]
SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:")
# Bounds for every program run: short, yet long enough for a stream to do plenty.
LIMITS = ["--max-instructions", "300000", "--set", "sim.max_time=50ms"]


def make_case(kind, rng, ctx):
    """Returns (files {name: bytes}, argv after `sv39sim run`, with {dir} for the case folder)."""
    if kind in ("random", "paging", "devices"):
        args = ["--elf", "{dir}/prog.elf"] + LIMITS
        if kind == "devices" or rng.random() < 0.3:
            args += ["--set", f"disk.image={ctx.firmware}/testdisk.img",
                     "--set", "disk.preset=" + rng.choice(["nvme", "sata_ssd", "hdd"])]
        if rng.random() < 0.3:
            args += ["--set", "hart.misaligned=trap"]
        if rng.random() < 0.3:
            args += ["--set", "mmu.ad_update=fault"]
        return {"prog.elf": gen_programs.program(rng, kind)}, args
    if kind == "elf":
        base = rng.choice(ctx.elfs)
        elf = gen_inputs.mutate_elf(rng, open(base, "rb").read())
        args = ["--elf", "{dir}/mutated.elf"] + LIMITS
        if os.path.basename(base) == "kernel.elf":
            args += ["--set", f"disk.image={ctx.firmware}/disk.img"]
        return {"mutated.elf": elf}, args
    base = rng.choice(ctx.configs)
    text = gen_inputs.mutate_config(rng, base, ctx.keys)
    # The file may set any limit; these come after it and keep every run short.
    return {"config.yaml": text}, ["{dir}/config.yaml", "--max-instructions", "2000000",
                                   "--set", "sim.max_time=200ms"]


class Context:
    def __init__(self, sim, firmware):
        self.sim, self.firmware = sim, firmware
        self.elfs = sorted(os.path.join(firmware, f) for f in os.listdir(firmware) if f.endswith(".elf"))
        if not self.elfs:
            sys.exit(f"fuzz: no ELF files in {firmware}")
        dump = subprocess.run([sim, "config"], capture_output=True, text=True, check=True).stdout
        self.keys = gen_inputs.config_keys(dump)
        pager = (f"sim:\n  elf: {firmware}/kernel.elf\n  max_time: 10s\ndisk:\n  image: {firmware}/disk.img\n"
                 "  preset: nvme\nworkload:\n  run: \"seqscan pages=16 rounds=1; forkcow pages=4; hello\"\n"
                 "  frames: 16\n  timeslice: 200us\n")
        self.configs = [dump.encode(), pager.encode(), b"sim:\n  max_time: 1ms\n"]


def verdict(proc_rc, stderr, out_dir):
    """None if the run ended as sv39sim promises, else what went wrong."""
    if proc_rc == "timeout":
        return "hang (timeout)"
    if SANITIZER.search(stderr):
        return "sanitizer report"
    if proc_rc < 0:
        return f"killed by signal {-proc_rc}"
    if proc_rc == 4:
        return "internal error (exit 4)"
    if proc_rc not in (0, 1, 2, 3):
        return f"unexpected exit status {proc_rc}"
    if proc_rc == 2:
        if "sv39sim: error:" not in stderr:
            return "exit 2 without an error message"
        if os.path.exists(os.path.join(out_dir, "stats.json")) or os.path.exists(os.path.join(out_dir, "stats.txt")):
            return "exit 2 left a stats file behind"
    return None


def run_case(ctx, args, index):
    kind = args.kinds[index % len(args.kinds)]
    rng = random.Random(f"{args.seed}/{index}/{kind}")
    files, argv = make_case(kind, rng, ctx)
    case_dir = tempfile.mkdtemp(prefix=f"case{index}-", dir=args.work)
    for name, data in files.items():
        with open(os.path.join(case_dir, name), "wb") as f:
            f.write(data)
    cmd = [ctx.sim, "run"] + [a.replace("{dir}", case_dir) for a in argv] + ["--out", f"{case_dir}/out"]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=args.timeout)
        rc, stderr = p.returncode, p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        rc, stderr = "timeout", (e.stderr or b"").decode(errors="replace")
    seconds = time.monotonic() - start
    problem = verdict(rc, stderr, os.path.join(case_dir, "out"))
    if args.verbose:
        last = stderr.strip().splitlines()[-1:] or [""]
        print(f"case {index} ({kind}): exit {rc}, {seconds:.2f} s: {last[0][:150]}", flush=True)
    if problem is None:
        shutil.rmtree(case_dir, ignore_errors=True)
        return index, kind, rc, seconds, None
    keep = os.path.join(args.work, "failures", f"case{index}-{kind}")
    shutil.rmtree(keep, ignore_errors=True)
    os.makedirs(os.path.dirname(keep), exist_ok=True)
    shutil.move(case_dir, keep)
    cmd = [a.replace(case_dir, keep) for a in cmd]
    with open(os.path.join(keep, "command"), "w") as f:
        f.write(" ".join(cmd) + "\n")
    with open(os.path.join(keep, "stderr"), "w") as f:
        f.write(stderr)
    report = f"case {index} ({kind}): {problem}\n  reproduce: {' '.join(cmd)}\n" + \
        "".join("  | " + line + "\n" for line in stderr.splitlines()[-25:])
    return index, kind, rc, seconds, report


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sim")
    ap.add_argument("firmware")
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--work", default=None, help="folder for case files and kept failures (default: a temp dir)")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--case", type=int, default=None, help="run only this case index")
    ap.add_argument("--verbose", action="store_true", help="one line per case: exit status and last message")
    args = ap.parse_args()
    args.kinds = args.kinds.split(",")
    for k in args.kinds:
        if k not in KINDS:
            ap.error(f"unknown kind '{k}' (kinds: {', '.join(KINDS)})")
    temp_work = args.work is None
    args.work = tempfile.mkdtemp(prefix="sv39sim-fuzz-") if temp_work else os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    shutil.rmtree(os.path.join(args.work, "failures"), ignore_errors=True)
    ctx = Context(os.path.abspath(args.sim), os.path.abspath(args.firmware))

    indices = [args.case] if args.case is not None else range(args.cases)
    start = time.monotonic()
    results = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for r in pool.map(lambda i: run_case(ctx, args, i), indices):
            results.append(r)
            if r[4]:
                print(r[4], end="", flush=True)
    failures = [r for r in results if r[4]]
    by_kind = {}
    for _, kind, rc, seconds, _ in results:
        k = by_kind.setdefault(kind, {"n": 0, "s": 0.0, "rc": {}})
        k["n"] += 1
        k["s"] += seconds
        k["rc"][str(rc)] = k["rc"].get(str(rc), 0) + 1
    for kind, k in by_kind.items():
        codes = " ".join(f"exit {c}: {n}" for c, n in sorted(k["rc"].items()))
        print(f"fuzz: {kind:8} {k['n']:4} cases, {k['s']:6.1f} s  ({codes})")
    print(f"fuzz: {len(results)} cases, seed {args.seed}, {time.monotonic() - start:.1f} s wall, "
          f"{len(failures)} failed" + (f" (kept in {args.work}/failures)" if failures else ""))
    if temp_work and not failures:
        shutil.rmtree(args.work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
