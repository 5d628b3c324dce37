#!/usr/bin/env python3
"""Benchmark the compute firmware on sv39sim and on QEMU and print a small table of figures.

usage: bench_compute.py SV39SIM ELF [--out DIR] [--qemu QEMU] [--timeout S] [--sv39 ELF2]

Runs `SV39SIM run --elf ELF --out DIR`, reads DIR/stats.json ("sim.instructions", "host.seconds",
"host.mips"), measures the wall time and peak RSS of the sv39sim process, then runs the same ELF on
qemu-system-riscv64 (virt, -bios none) and measures its wall time. Prints figures only: nothing is
asserted about speed. Exits 1 if a run fails (nonzero exit, timeout, missing stats.json), else 0.

With --sv39 ELF2 (the same kernels under Sv39, e.g. compute-vm.elf), also runs ELF2 on sv39sim and
prints both runs' instructions and MIPS, the ratio (Sv39 MIPS / bare MIPS), whether the two consoles
match, and ELF2's TLB and walker counters. Without it the behaviour is unchanged.
Python 3 standard library only.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time


def run_measured(cmd, stdout_path, stderr_path, timeout):
    """Runs cmd; returns (exit code or None on timeout, wall seconds, peak RSS in KiB).

    os.wait4 gives the rusage of this one child (including its waited-for descendants), so the
    peak RSS is that of the simulator and not of anything else this script started."""
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    start_new_session=True)
        except OSError as e:
            raise SystemExit(f"bench_compute: error: cannot start {cmd[0]}: {e}")
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    rc = None if timed_out.is_set() else proc.returncode
    return rc, seconds, usage.ru_maxrss  # ru_maxrss is in KiB on Linux


def stat_value(stats, name):
    """Looks a counter up as a flat dotted key or as nested objects; unwraps {"value": ...}."""
    node = stats.get(name) if isinstance(stats, dict) else None
    if node is None:
        node = stats
        for part in name.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
    if isinstance(node, dict) and "value" in node:
        node = node["value"]
    return node if isinstance(node, (int, float)) and not isinstance(node, bool) else None


def describe_rc(rc, timeout):
    if rc is None:
        return f"timeout ({timeout:g} s)"
    if rc < 0:
        return f"killed by signal {-rc}"
    return str(rc)


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def read_stats(path):
    """Returns (stats dict, error message or None)."""
    try:
        with open(path) as f:
            return json.load(f), None
    except (OSError, ValueError) as e:
        return {}, f"cannot read {path}: {e}"


def bench_sv39(args, sim, tmp, bare_console, bare_insns, bare_mips):
    """Runs the Sv39 variant on sv39sim, prints its figures next to the bare run's; returns problems."""
    out_dir = os.path.abspath(args.out) + "-sv39" if args.out else os.path.join(tmp, "sim-sv39-out")
    console_path, stderr_path = os.path.join(tmp, "sv39.stdout"), os.path.join(tmp, "sv39.stderr")
    rc, wall, rss = run_measured([sim, "run", "--elf", args.sv39, "--out", out_dir], console_path, stderr_path,
                                 args.timeout)
    stats_path = os.path.join(out_dir, "stats.json")
    stats, stats_error = read_stats(stats_path)
    insns = stat_value(stats, "sim.instructions")
    host_s = stat_value(stats, "host.seconds")
    mips = stat_value(stats, "host.mips")
    if mips is None and insns and host_s:
        mips = insns / host_s / 1e6
    with open(console_path, "rb") as f:
        console = f.read().replace(b"\r", b"")

    def count(name):
        v = stat_value(stats, name)
        return fmt(v, ",d") if isinstance(v, int) else fmt(v, ",.2f")

    print(f"bench_compute: Sv39 variant {os.path.basename(args.sv39)}")
    print(f"  {'':28} {'bare':>16} {'sv39':>16}")
    print(f"  {'instructions (stats.json)':28} {fmt(bare_insns, ',d') if isinstance(bare_insns, int) else '-':>16} "
          f"{fmt(insns, ',d') if isinstance(insns, int) else '-':>16}")
    print(f"  {'MIPS (stats.json)':28} {fmt(bare_mips, '.2f'):>16} {fmt(mips, '.2f'):>16}")
    print(f"  {'wall seconds (measured)':28} {'-':>16} {fmt(wall, '.3f'):>16}")
    print(f"  {'peak RSS MiB':28} {'-':>16} {fmt(rss / 1024, '.1f'):>16}")
    ratio = mips / bare_mips if mips and bare_mips else None
    print(f"  MIPS ratio sv39 / bare: {fmt(ratio, '.3f')}")
    print(f"  console output identical to the bare run: {'yes' if console == bare_console else 'NO'}")
    for name in ("mmu.itlb.accesses", "mmu.itlb.misses", "mmu.dtlb.accesses", "mmu.dtlb.misses",
                 "mmu.l2tlb.accesses", "mmu.l2tlb.misses", "mmu.walker.walks", "mmu.walker.pwc.misses",
                 "mmu.walker.pwc.hits.level2", "mmu.walker.pwc.hits.level1", "mmu.walker.ad_updates"):
        print(f"  {name:28} {'':>16} {count(name):>16}")

    problems = []
    if rc != 0:
        problems.append(f"sv39sim exit code {describe_rc(rc, args.timeout)} on {args.sv39}")
        with open(stderr_path, "rb") as f:
            tail = f.read().decode("utf-8", "replace").splitlines()[-20:]
        problems.extend(f"  sv39sim stderr| {line}" for line in tail)
    if stats_error:
        problems.append(stats_error)
    elif insns is None or host_s is None:
        problems.append(f"{stats_path} lacks sim.instructions or host.seconds")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sim", metavar="SV39SIM", help="the sv39sim binary")
    ap.add_argument("elf", metavar="ELF", help="the compute firmware (e.g. compute.elf)")
    ap.add_argument("--out", help="sv39sim output folder (default: a temporary folder, removed after)")
    ap.add_argument("--qemu", default="qemu-system-riscv64", help="QEMU binary (default: %(default)s)")
    ap.add_argument("--timeout", type=float, default=1800, help="per-run timeout in s (default: %(default)s)")
    ap.add_argument("--sv39", metavar="ELF2",
                    help="also run this Sv39 variant of ELF (e.g. compute-vm.elf) and print the MIPS ratio")
    args = ap.parse_args()

    if not os.path.isfile(args.elf):
        ap.error(f"ELF '{args.elf}' not found")
    if args.sv39 and not os.path.isfile(args.sv39):
        ap.error(f"ELF '{args.sv39}' not found")
    sim = shutil.which(args.sim) if os.sep not in args.sim else args.sim
    if not sim or not os.access(sim, os.X_OK) or os.path.isdir(sim):
        ap.error(f"sv39sim binary '{args.sim}' not found or not executable")
    qemu = shutil.which(args.qemu)

    tmp = tempfile.mkdtemp(prefix="bench_compute.")
    try:
        out_dir = os.path.abspath(args.out) if args.out else os.path.join(tmp, "sim-out")
        sim_console = os.path.join(tmp, "sim.stdout")
        sim_rc, sim_wall, sim_rss = run_measured(
            [sim, "run", "--elf", args.elf, "--out", out_dir], sim_console,
            os.path.join(tmp, "sim.stderr"), args.timeout)

        stats_path = os.path.join(out_dir, "stats.json")
        stats, stats_error = {}, None
        try:
            with open(stats_path) as f:
                stats = json.load(f)
        except (OSError, ValueError) as e:
            stats_error = f"cannot read {stats_path}: {e}"
        insns = stat_value(stats, "sim.instructions")
        host_s = stat_value(stats, "host.seconds")
        mips = stat_value(stats, "host.mips")
        if mips is None and insns and host_s:
            mips = insns / host_s / 1e6

        qemu_rc = qemu_wall = qemu_rss = None
        qemu_console = os.path.join(tmp, "qemu.stdout")
        if qemu:
            qemu_rc, qemu_wall, qemu_rss = run_measured(
                [qemu, "-machine", "virt", "-cpu", "rv64,f=false,d=false", "-bios", "none", "-display", "none",
                 "-serial", "stdio", "-monitor", "none", "-kernel", args.elf], qemu_console,
                os.path.join(tmp, "qemu.stderr"), args.timeout)

        def console(path):
            with open(path, "rb") as f:
                return f.read().replace(b"\r", b"")

        sim_out = console(sim_console)
        same = None if not qemu else sim_out == console(qemu_console)

        print(f"bench_compute: {os.path.basename(args.elf)}")
        for line in sim_out.decode("utf-8", "replace").splitlines():
            print(f"  guest| {line}")
        rows = [
            ("instructions (stats.json)", fmt(insns, ",d") if isinstance(insns, int) else fmt(insns, ",.0f"), "-"),
            ("host seconds (stats.json)", fmt(host_s, ".3f"), "-"),
            ("wall seconds (measured)", fmt(sim_wall, ".3f"), fmt(qemu_wall, ".3f")),
            ("MIPS (stats.json)", fmt(mips, ".2f"), "-"),
            ("MIPS (instructions / wall)", fmt(insns / sim_wall / 1e6 if insns else None, ".2f"),
             fmt(insns / qemu_wall / 1e6 if insns and qemu_wall else None, ".2f")),
            ("peak RSS MiB", fmt(sim_rss / 1024, ".1f"), fmt(qemu_rss / 1024 if qemu_rss else None, ".1f")),
            ("exit code", describe_rc(sim_rc, args.timeout),
             describe_rc(qemu_rc, args.timeout) if qemu else "not run"),
        ]
        print(f"  {'':28} {'sv39sim':>16} {'qemu':>16}")
        for name, a, b in rows:
            print(f"  {name:28} {a:>16} {b:>16}")
        if qemu_wall and insns:
            print("  (qemu MIPS uses sv39sim's instruction count: the same deterministic program)")
        if same is not None:
            print(f"  console output identical: {'yes' if same else 'NO'}")
        if args.out:
            print(f"  sv39sim output folder: {out_dir}")

        problems = []
        if args.sv39:
            problems.extend(bench_sv39(args, sim, tmp, sim_out, insns, mips))
        if sim_rc != 0:
            problems.append(f"sv39sim exit code {describe_rc(sim_rc, args.timeout)}")
            with open(os.path.join(tmp, "sim.stderr"), "rb") as f:
                tail = f.read().decode("utf-8", "replace").splitlines()[-20:]
            problems.extend(f"  sv39sim stderr| {line}" for line in tail)
        if stats_error:
            problems.append(stats_error)
        elif insns is None or host_s is None:
            problems.append(f"{stats_path} lacks sim.instructions or host.seconds")
        if not qemu:
            problems.append(f"'{args.qemu}' not found: QEMU not run")
        elif qemu_rc != 0:
            problems.append(f"qemu exit code {describe_rc(qemu_rc, args.timeout)}")
        for p in problems:
            print(f"bench_compute: {p}", file=sys.stderr)
        return 1 if problems else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
