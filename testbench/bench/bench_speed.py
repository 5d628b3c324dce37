#!/usr/bin/env python3
"""Speed benchmark of sv39sim (issue 11): figures only, nothing about speed is asserted.

Run through testbench/bench/bench_speed.sh, which documents the usage. For each workload (compute.elf
Bare, compute-vm.elf Sv39, the default pager run, and the kernel-style byte loops memloop-O0/O1/O2.elf)
it prints the guest instructions, callgrind's host
instructions per guest instruction (the whole process, start-up included), the wall time and MIPS of
N runs with their median, and QEMU's wall time for the same ELF in the same benchmark, runs
interleaved with sv39sim's so both see the same load; then the start-up time of a minimal run (median
of 21); the machine's load average before and after, its CPU, the date and the git commit.

The sv39sim binary and the firmware it runs are copied first (once the build has stopped writing them),
so a rebuild of the build folder during the benchmark changes none of the figures.
Exit status: 0, or 1 if a run failed (unexpected exit code, timeout, missing stats.json, instruction
counts that differ between runs of one workload), 2 on bad usage. Python 3 standard library only.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# The compute firmware ends through the SiFive test finisher, which QEMU's virt machine has too; rv64
# without F/D because the firmware, like sv39sim's hart, is rv64imac (as in compare_with_qemu.sh).
QEMU_BASE = ["-machine", "virt", "-bios", "none", "-display", "none", "-serial", "stdio", "-monitor", "none"]
QEMU_CPU = ["-cpu", "rv64,f=false,d=false"]
# The pager kernel as firmware/tools/run-qemu.sh runs it: the extensions the kernel must not see off,
# the clock tied to executed instructions (its time slice and disk waits are then deterministic), and
# the disk on a virtio-mmio slot.
QEMU_PAGER = ["-cpu", "rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false",
              "-icount", "shift=0,sleep=off", "-global", "virtio-mmio.force-legacy=false"]
SIM_TIMEOUT = 900
CALLGRIND_TIMEOUT = 7200
QEMU_TIMEOUT = 300
STARTUP_LIMIT_MS = 20.0


class Run:
    """One measured process: exit code (None on timeout), wall seconds, CPU seconds, its output files."""

    def __init__(self, rc, wall, cpu, stdout, stderr):
        self.rc, self.wall, self.cpu = rc, wall, cpu
        self.stdout, self.stderr = stdout, stderr


def run_measured(cmd, timeout, stdout_path=None, stderr_path=None):
    """Runs cmd with stdin closed; the clock runs from just before the fork to the child's reaping.

    os.wait4 gives the rusage of this one child (and its waited-for descendants), so CPU time is that of
    the measured program. Its ru_maxrss is not: the child starts as a copy of this Python process, whose
    size it keeps until exec; peak_rss_kib() measures the program alone."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    err = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
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
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # keeps Popen from waiting again
    finally:
        for f in (out, err):
            if f is not subprocess.DEVNULL:
                f.close()
    rc = None if timed_out.is_set() else proc.returncode
    return Run(rc, wall, usage.ru_utime + usage.ru_stime, stdout_path, stderr_path)


def peak_rss_kib(cmd, timeout):
    """Peak RSS of cmd in KiB from one run under GNU time (a small C program: what it reports is the
    measured program's), or None without /usr/bin/time."""
    if not os.access("/usr/bin/time", os.X_OK):
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as f:
        run = run_measured(["/usr/bin/time", "-f", "%M", "-o", f.name] + cmd, timeout)
        if run.rc is None:
            return None
        try:
            return int(f.read().strip().splitlines()[-1])
        except (ValueError, IndexError):
            return None


def describe_rc(rc):
    if rc is None:
        return "timeout"
    return f"killed by signal {-rc}" if rc < 0 else f"exit {rc}"


def tail(path, lines=15):
    if not path or not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace").splitlines()[-lines:]


def read_console(path):
    with open(path, "rb") as f:
        return f.read().replace(b"\r", b"")


def median(values):
    return statistics.median(values) if values else None


def fmt(value, spec, none="-"):
    return none if value is None else format(value, spec)


def series(values, spec):
    return ", ".join(format(v, spec) for v in values)


def snapshot(src, dst, settle=2.0, attempts=60):
    """Copies src to dst once nothing is writing it: a file a build is relinking is either missing,
    changing size or freshly modified, so wait until it is at least `settle` s old and unchanged
    across the copy."""
    for _ in range(attempts):
        try:
            before = os.stat(src)
            if time.time() - before.st_mtime >= settle:
                shutil.copy2(src, dst)
                after = os.stat(src)
                if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns):
                    return
        except FileNotFoundError:
            pass
        time.sleep(settle)
    raise SystemExit(f"bench_speed: error: {src} kept changing (is the build still relinking it?)")


def sha256_prefix(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:12]


def first_line(cmd):
    try:
        out = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
        text = (out.stdout or out.stderr).strip()
        return text.splitlines()[0] if text else "?"
    except (OSError, subprocess.TimeoutExpired):
        return None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def memory_gib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / (1 << 20)
    except OSError:
        pass
    return None


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def git_describe():
    try:
        out = subprocess.run(["git", "-C", REPO, "describe", "--always", "--dirty"], capture_output=True,
                             text=True, timeout=30)
        return out.stdout.strip() or "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def parse_callgrind(stderr_path, out_file):
    """Host instructions of the whole run: valgrind's "Collected : N" line, else the out file's totals."""
    for line in tail(stderr_path, 200):
        m = re.search(r"Collected\s*:\s*(\d+)", line)
        if m:
            return int(m.group(1))
    try:
        with open(out_file) as f:
            for line in f:
                m = re.match(r"(?:summary|totals):\s*(\d+)", line)
                if m:
                    return int(m.group(1))
    except OSError:
        pass
    return None


def effective_workload_args(sim, config, sets):
    """The boot arguments sv39sim writes into the disk image for a config (ModelConfig.cpp
    build_boot_args), read from `sv39sim config`, so that QEMU's kernel runs the same processes."""
    text = subprocess.run([sim, "config", config] + sets, capture_output=True, text=True, check=True).stdout
    keys, section = {}, None
    for line in text.splitlines():
        m = re.match(r"^(?:# )?([a-z_]+):\s*$", line)
        if m:
            section = m.group(1)
            continue
        m = re.match(r"^\s+(?:# )?([a-z_.]+):\s*\"(.*)\"", line)
        if m and section == "workload":
            keys[m.group(1)] = m.group(2)
    units = {"us": 1, "ms": 1000, "s": 1000000}
    m = re.fullmatch(r"(\d+)\s*(us|ms|s)", keys.get("timeslice", ""))
    if not keys.get("run") or not m:
        return None
    args = [f"run={keys['run']}", f"frames={keys['frames']}", f"replacement={keys['replacement']}",
            f"asids={'on' if keys.get('asids') == 'true' else 'off'}"]
    if keys.get("asid_max", "0") != "0":
        args.append(f"asid_max={keys['asid_max']}")
    args += [f"timeslice_us={int(m.group(1)) * units[m.group(2)]}", f"seed={keys.get('seed', '1')}",
             f"verbose={'1' if keys.get('verbose') == 'true' else '0'}"]
    return args


class Bench:
    def __init__(self, args):
        self.args = args
        self.problems = []
        self.warnings = []

    def problem(self, text, stderr_path=None):
        self.problems.append(text)
        print(f"  FAILED: {text}")
        for line in tail(stderr_path):
            print(f"    stderr| {line}")

    def check(self, run, what, expected=(0,)):
        if run.rc in expected:
            return True
        self.problem(f"{what}: {describe_rc(run.rc)} (expected {' or '.join(map(str, expected))})", run.stderr)
        return False

    def sim_run(self, sim_args, out_dir, label, expected=(0,)):
        """One timed sv39sim run; returns (Run, stats dict or None)."""
        os.makedirs(out_dir, exist_ok=True)
        run = run_measured([self.sim] + sim_args + ["--out", out_dir], SIM_TIMEOUT,
                           os.path.join(out_dir, "console.txt"), os.path.join(out_dir, "stderr.txt"))
        stats = None
        if self.check(run, label, expected):
            try:
                with open(os.path.join(out_dir, "stats.json")) as f:
                    stats = json.load(f)
            except (OSError, ValueError) as e:
                self.problem(f"{label}: cannot read stats.json: {e}")
        return run, stats


def main():
    ap = argparse.ArgumentParser(prog="bench_speed.sh", description=__doc__.split("\n\n")[0])
    ap.add_argument("sim", nargs="?", metavar="SV39SIM", help="the sv39sim binary (default: <repo>/build/sv39sim)")
    ap.add_argument("build", nargs="?", metavar="BUILD_DIR",
                    help="the build folder whose firmware/ holds the ELFs and disk.img (default: SV39SIM's folder)")
    ap.add_argument("--quick", action="store_true",
                    help="compute-small.elf and compute-vm-small.elf instead of compute.elf and compute-vm.elf")
    ap.add_argument("--runs", type=int, default=5, metavar="N", help="timed runs per workload (default: 5)")
    ap.add_argument("--startup-runs", type=int, default=21, metavar="N",
                    help="runs of each start-up measurement (default: 21)")
    ap.add_argument("--no-callgrind", action="store_true", help="skip the callgrind runs")
    ap.add_argument("--no-qemu", action="store_true", help="skip the QEMU runs")
    ap.add_argument("--qemu", default="qemu-system-riscv64", help="QEMU binary (default: %(default)s)")
    ap.add_argument("--out", metavar="DIR", help="keep every run's stats.json, console, stderr and callgrind "
                    "output in DIR (default: a temporary folder, removed at the end)")
    args = ap.parse_args()
    if args.runs < 1 or args.startup_runs < 1:
        ap.error("--runs and --startup-runs need at least 1")

    sim_src = os.path.abspath(args.sim or os.path.join(REPO, "build", "sv39sim"))
    build = os.path.abspath(args.build or os.path.dirname(sim_src))
    fw_src = os.path.join(build, "firmware")
    small = "-small" if args.quick else ""
    memloops = [f"memloop-O{opt}.elf" for opt in (0, 1, 2)]
    inputs = [f"compute{small}.elf", f"compute-vm{small}.elf", "kernel.elf", "disk.img", "hello.elf"] + memloops
    if not os.path.isfile(sim_src) or not os.access(sim_src, os.X_OK):
        ap.error(f"sv39sim binary '{sim_src}' not found or not executable")
    for name in inputs:
        if not os.path.isfile(os.path.join(fw_src, name)):
            ap.error(f"{os.path.join(fw_src, name)} not found (build the firmware: ninja -C {build} firmware)")
    config = os.path.join(REPO, "configs", "default.yaml")

    qemu = None if args.no_qemu else shutil.which(args.qemu)
    qemu_missing = "--no-qemu" if args.no_qemu else f"'{args.qemu}' not found"
    valgrind = None if args.no_callgrind else shutil.which("valgrind")
    valgrind_missing = "--no-callgrind" if args.no_callgrind else "valgrind not found"

    tmp = tempfile.mkdtemp(prefix="bench_speed.")
    out = os.path.abspath(args.out) if args.out else os.path.join(tmp, "out")
    os.makedirs(out, exist_ok=True)
    bench = Bench(args)
    started = time.time()
    try:
        # Snapshot: the figures are of one binary and one firmware build even if build/ is rebuilt meanwhile.
        snap = os.path.join(tmp, "snapshot")
        os.makedirs(snap)
        sim_mtime = os.stat(sim_src).st_mtime
        snapshot(sim_src, os.path.join(snap, "sv39sim"))
        fw = os.path.join(snap, "firmware")
        os.makedirs(fw)
        for name in inputs:
            snapshot(os.path.join(fw_src, name), os.path.join(fw, name))
        bench.sim = os.path.join(snap, "sv39sim")
        version = first_line([bench.sim, "--version"])
        if version is None:
            raise SystemExit(f"bench_speed: error: the copy of {sim_src} does not run")

        print("sv39sim speed benchmark (testbench/bench/bench_speed.sh)")
        print(f"  command:      {' '.join(['testbench/bench/bench_speed.sh'] + sys.argv[1:])}")
        print(f"  date:         {time.strftime('%Y-%m-%d %H:%M:%S %Z', time.localtime(started))}")
        print(f"  git:          {git_describe()}  ({REPO})")
        print(f"  sv39sim:      {sim_src}, built {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(sim_mtime))},"
              f" sha256 {sha256_prefix(bench.sim)}, {version}")
        print(f"  firmware:     {fw_src}")
        print(f"  host CPU:     {cpu_model()}, {os.cpu_count()} CPUs, {fmt(memory_gib(), '.1f')} GiB")
        print(f"  QEMU:         {first_line([qemu, '--version']) if qemu else 'not run (' + qemu_missing + ')'}")
        print(f"  valgrind:     {first_line([valgrind, '--version']) if valgrind else 'not run (' + valgrind_missing + ')'}")
        print(f"  load average before: {loadavg()}")
        print(f"  runs per workload: {args.runs} (sv39sim and QEMU alternating); start-up: {args.startup_runs}")
        print(f"  raw outputs:  {out if args.out else 'not kept (use --out DIR)'}")

        pager_sets = ["--set", f"sim.elf={fw}/kernel.elf", "--set", f"disk.image={fw}/disk.img"]
        workloads = [
            dict(name=f"compute{small}", title=f"compute{small}.elf, Bare (M-mode)",
                 sim=["run", "--elf", f"{fw}/compute{small}.elf", "--quiet"],
                 shown=f"sv39sim run --elf {fw_src}/compute{small}.elf --quiet",
                 qemu=QEMU_BASE + QEMU_CPU + ["-kernel", f"{fw}/compute{small}.elf"], compare_console=True),
            dict(name=f"compute-vm{small}", title=f"compute-vm{small}.elf, Sv39 (S-mode, TLBs, PWC)",
                 sim=["run", "--elf", f"{fw}/compute-vm{small}.elf", "--quiet"],
                 shown=f"sv39sim run --elf {fw_src}/compute-vm{small}.elf --quiet",
                 qemu=QEMU_BASE + QEMU_CPU + ["-kernel", f"{fw}/compute-vm{small}.elf"], compare_console=True),
            dict(name="pager", title="configs/default.yaml, the pager kernel with its disk image",
                 sim=["run", config] + pager_sets + ["--quiet"],
                 shown=f"sv39sim run configs/default.yaml --set sim.elf={fw_src}/kernel.elf "
                       f"--set disk.image={fw_src}/disk.img --quiet",
                 qemu=None, compare_console=False),
        ]
        # Kernel-style byte loops (issue 12): page clearing and copying at each optimisation level.
        for elf in memloops:
            name = elf[:-len(".elf")]
            workloads.append(dict(name=name, title=f"{elf}, Bare (M-mode): byte-wise memset/memmove of 16 pages",
                                  sim=["run", "--elf", f"{fw}/{elf}", "--quiet"],
                                  shown=f"sv39sim run --elf {fw_src}/{elf} --quiet",
                                  qemu=QEMU_BASE + QEMU_CPU + ["-kernel", f"{fw}/{elf}"], compare_console=True))
        if qemu:
            boot_args = effective_workload_args(bench.sim, config, pager_sets)
            if boot_args:
                # The build's disk.img carries its own arguments; sv39sim replaces them from the config in
                # memory, so QEMU gets a copy with the same arguments written in (run-qemu.sh's way).
                pager_img = os.path.join(tmp, "pager-disk.img")
                subprocess.run([sys.executable, os.path.join(REPO, "firmware", "tools", "mkdisk.py"), "set-args",
                                pager_img, "--from", f"{fw}/disk.img"] + boot_args, check=True,
                               stdout=subprocess.DEVNULL)
                workloads[2]["qemu"] = QEMU_BASE + QEMU_PAGER + [
                    "-drive", f"file={pager_img},if=none,format=raw,id=hd0", "-device", "virtio-blk-device,drive=hd0",
                    "-kernel", f"{fw}/kernel.elf"]
                workloads[2]["qemu_image"] = pager_img
                workloads[2]["qemu_note"] = (
                    "QEMU runs the same kernel, processes and boot arguments (" + ", ".join(boot_args[1:]) +
                    ") with -icount shift=0 as firmware/tools/run-qemu.sh does. Its timer and disk timing "
                    "differ from sv39sim's, so it runs a different number of guest instructions (switches, "
                    "faults): the ratio compares the same job, not the same instruction stream. QEMU completes "
                    "disk requests in host time, so its run varies run to run: the kernel's final mtime "
                    "(10 MHz ticks) is printed per run.")
            else:
                workloads[2]["qemu_missing"] = "cannot read the workload keys from `sv39sim config`"

        results = {}
        for w in workloads:
            results[w["name"]] = bench_workload(bench, w, out, qemu, qemu_missing, valgrind, valgrind_missing)
        sv39_vs_bare(results, f"compute{small}", f"compute-vm{small}")
        bench_startup(bench, out, config, pager_sets, fw)

        if os.path.exists(sim_src) and os.stat(sim_src).st_mtime != sim_mtime:
            bench.warnings.append(f"{sim_src} was rebuilt during the benchmark; figures are of the copy taken "
                                  f"at the start (sha256 {sha256_prefix(bench.sim)})")
        print()
        print(f"load average after: {loadavg()}  (benchmark took {(time.time() - started) / 60:.1f} min)")
        for w in bench.warnings:
            print(f"warning: {w}")
        if bench.problems:
            print(f"{len(bench.problems)} run(s) failed:")
            for p in bench.problems:
                print(f"  {p}")
            return 1
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_workload(bench, w, out, qemu, qemu_missing, valgrind, valgrind_missing):
    print()
    print(f"== {w['title']} ==")
    print(f"  command: {w['shown']}")
    wdir = os.path.join(out, w["name"])
    os.makedirs(wdir, exist_ok=True)
    label = f"sv39sim {w['name']}"

    runs, mips_stats, insns = [], [], set()
    qemu_runs = []
    qemu_args = w.get("qemu") if qemu else None
    consoles_differ = 0
    stats = None
    for i in range(bench.args.runs):
        run, st = bench.sim_run(w["sim"], os.path.join(wdir, f"run{i + 1}"), f"{label} run {i + 1}")
        if st is not None:
            stats = st
            runs.append(run)
            insns.add(st.get("sim.instructions"))
            mips_stats.append(st.get("host.mips"))
        if qemu_args:
            if "qemu_image" in w:
                # QEMU writes swap blocks into the image: every run starts from the same bytes.
                shutil.copyfile(w["qemu_image"], w["qemu_image"] + ".run")
                qargs = [a.replace(w["qemu_image"], w["qemu_image"] + ".run") for a in qemu_args]
            else:
                qargs = qemu_args
            qrun = run_measured([qemu] + qargs, QEMU_TIMEOUT, os.path.join(wdir, f"qemu{i + 1}.console.txt"),
                                os.path.join(wdir, f"qemu{i + 1}.stderr.txt"))
            if bench.check(qrun, f"qemu {w['name']} run {i + 1}"):
                qemu_runs.append(qrun)
                if w["compare_console"] and run.rc == 0 and read_console(qrun.stdout) != read_console(run.stdout):
                    consoles_differ += 1
    if len(insns) > 1:
        bench.problem(f"{label}: sim.instructions differ between runs: {sorted(insns)}")

    guest = stats.get("sim.instructions") if stats else None
    print(f"  guest instructions (stats.json sim.instructions): {fmt(guest, ',d')}")

    host_insns = None
    if valgrind:
        cg_dir = os.path.join(wdir, "callgrind")
        os.makedirs(cg_dir, exist_ok=True)
        cg_file = os.path.join(cg_dir, "callgrind.out")
        cg = run_measured([valgrind, "--tool=callgrind", f"--callgrind-out-file={cg_file}", bench.sim] + w["sim"] +
                          ["--out", os.path.join(cg_dir, "sim-out")], CALLGRIND_TIMEOUT,
                          os.path.join(cg_dir, "console.txt"), os.path.join(cg_dir, "valgrind.txt"))
        if bench.check(cg, f"callgrind {w['name']}"):
            host_insns = parse_callgrind(cg.stderr, cg_file)
            try:
                with open(os.path.join(cg_dir, "sim-out", "stats.json")) as f:
                    cg_guest = json.load(f).get("sim.instructions")
            except (OSError, ValueError):
                cg_guest = None
            if host_insns is None:
                bench.problem(f"callgrind {w['name']}: no \"Collected\" line in {cg.stderr}")
            elif guest is not None and cg_guest != guest:
                bench.problem(f"callgrind {w['name']}: {cg_guest} guest instructions under valgrind, {guest} without")
            with open(os.path.join(cg_dir, "summary.txt"), "w") as f:
                f.write(f"collected {host_insns}\nguest_instructions {cg_guest}\nwall_seconds {cg.wall:.3f}\n")
        per = host_insns / guest if host_insns and guest else None
        print(f"  callgrind host instructions (\"Collected\", whole process): {fmt(host_insns, ',d')}"
              f"  per guest instruction: {fmt(per, '.1f')}  (valgrind run {cg.wall:.0f} s)")
    else:
        print(f"  callgrind: n/a ({valgrind_missing})")

    walls = [r.wall for r in runs]
    print(f"  sv39sim wall s (process, start-up included): {series(walls, '.3f')}  median {fmt(median(walls), '.3f')}")
    if all(m is not None for m in mips_stats) and mips_stats:
        print(f"  MIPS, stats.json host.mips (sc_start only): {series(mips_stats, '.1f')}"
              f"  median {median(mips_stats):.1f}")
    proc_mips = [guest / r.wall / 1e6 for r in runs] if guest else []
    print(f"  MIPS, sim.instructions / process wall time: {series(proc_mips, '.1f')}"
          f"  median {fmt(median(proc_mips), '.1f')}")
    cpu_mips = [guest / r.cpu / 1e6 for r in runs if r.cpu > 0] if guest else []
    print(f"  MIPS, sim.instructions / process CPU time (user+sys; less load-dependent): "
          f"{series(cpu_mips, '.1f')}  median {fmt(median(cpu_mips), '.1f')}")
    sim_rss = peak_rss_kib([bench.sim] + w["sim"] + ["--out", os.path.join(wdir, "rss")], SIM_TIMEOUT)
    print(f"  sv39sim CPU s (user+sys): median {fmt(median([r.cpu for r in runs]), '.3f')};"
          f" peak RSS {fmt(sim_rss, ',d')} KiB (GNU time, one more run)")

    if qemu_args:
        qwalls = [r.wall for r in qemu_runs]
        qemu_rss = peak_rss_kib([qemu] + qargs, QEMU_TIMEOUT) if qemu_runs else None
        print(f"  QEMU wall s: {series(qwalls, '.3f')}  median {fmt(median(qwalls), '.3f')};"
              f" peak RSS {fmt(qemu_rss, ',d')} KiB (GNU time, one more run)")
        print(f"  QEMU CPU s (user+sys): {series([r.cpu for r in qemu_runs], '.3f')}"
              f"  median {fmt(median([r.cpu for r in qemu_runs]), '.3f')}")
        if "qemu_image" in w:
            ticks = [re.findall(rb"\bmtime (\d+)", read_console(r.stdout)) for r in qemu_runs]
            own = re.findall(rb"\bmtime (\d+)", read_console(runs[0].stdout)) if runs else []
            print(f"  guest mtime at the end (10 MHz ticks): QEMU {', '.join(t[-1].decode() if t else '?' for t in ticks)};"
                  f" sv39sim {own[-1].decode() if own else '?'}")
        ratio = median(walls) / median(qwalls) if walls and qwalls else None
        print(f"  ratio sv39sim / QEMU (median wall times): {fmt(ratio, '.2f')}"
              + (f"  (QEMU at {guest / median(qwalls) / 1e6:,.0f} MIPS on sv39sim's instruction count)"
                 if w["compare_console"] and guest and qwalls else ""))
        if w["compare_console"]:
            print(f"  guest console identical to QEMU's: {'yes' if not consoles_differ else 'NO'}"
                  f" ({len(qemu_runs)} pairs compared)")
            if consoles_differ:
                bench.warnings.append(f"{w['name']}: the guest console differs from QEMU's in {consoles_differ} run(s)")
        if w.get("qemu_note"):
            print(textwrap.fill(w["qemu_note"], width=110, initial_indent="  note: ", subsequent_indent="        "))
    else:
        print(f"  QEMU: n/a ({w.get('qemu_missing', qemu_missing)})")

    walks = stats.get("mmu.walker.walks") if stats else None
    if walks:
        rows = (("TLB accesses/misses", ("mmu.itlb.accesses", "mmu.itlb.misses", "mmu.dtlb.accesses",
                                         "mmu.dtlb.misses", "mmu.l2tlb.accesses", "mmu.l2tlb.misses")),
                ("walker", ("mmu.walker.walks", "mmu.walker.pwc.misses", "mmu.walker.pwc.hits.level2",
                            "mmu.walker.pwc.hits.level1", "mmu.walker.ad_updates")))
        for title, names in rows:
            print(f"  MMU {title}: " + ", ".join(f"{n.split('.', 2 if 'walker' in n else 1)[-1]} "
                                                  f"{fmt(stats.get(n), ',')}" for n in names))
    return dict(mips=median(mips_stats) if mips_stats and None not in mips_stats else None,
                proc_mips=median(proc_mips))


def sv39_vs_bare(results, bare, sv39):
    b, s = results.get(bare), results.get(sv39)
    if b and s and b["mips"] and s["mips"]:
        print()
        print(f"Sv39 / Bare MIPS (medians, stats.json host.mips): {s['mips'] / b['mips']:.3f}")


def bench_startup(bench, out, config, pager_sets, fw):
    """Start-up of one sweep point: process start, config, ELF and disk image load, nearly no guest work.
    The kinds alternate run by run, so load changes hit all of them alike; one warm-up round goes first
    (page cache, dynamic loader) and is not counted."""
    sdir = os.path.join(out, "startup")
    kinds = [
        ("sv39sim --version (process start, shared libraries)", ["--version"], (0,), False),
        ("run configs/default.yaml --set sim.max_instructions=1 (config, kernel ELF, disk image)",
         ["run", config] + pager_sets + ["--set", "sim.max_instructions=1", "--quiet"], (3,), True),
        ("run --elf hello.elf (the whole hello firmware)", ["run", "--elf", f"{fw}/hello.elf", "--quiet"], (0,), True),
    ]
    times = {k[0]: [] for k in kinds}
    cpus = {k[0]: [] for k in kinds}
    guest = {}
    for i in range(bench.args.startup_runs + 1):
        for title, argv, expected, is_run in kinds:
            d = os.path.join(sdir, f"{kinds.index((title, argv, expected, is_run))}-{i}")
            os.makedirs(d, exist_ok=True)
            cmd = [bench.sim] + argv + (["--out", d] if is_run else [])
            r = run_measured(cmd, SIM_TIMEOUT, os.path.join(d, "console.txt"), os.path.join(d, "stderr.txt"))
            if not bench.check(r, f"start-up: sv39sim {' '.join(argv[:2])}", expected):
                continue
            if is_run and title not in guest:
                try:
                    with open(os.path.join(d, "stats.json")) as f:
                        guest[title] = json.load(f).get("sim.instructions")
                except (OSError, ValueError) as e:
                    bench.problem(f"start-up: cannot read {d}/stats.json: {e}")
            if i > 0:
                times[title].append(r.wall * 1000)
                cpus[title].append(r.cpu * 1000)
    print()
    print(f"== start-up, {bench.args.startup_runs} runs each (wall ms from fork to exit, time.perf_counter;"
          f" target < {STARTUP_LIMIT_MS:g} ms) ==")
    for title, argv, expected, is_run in kinds:
        t = times[title]
        if not t:
            print(f"  {title}: no successful run")
            continue
        m = median(t)
        extra = f"; sim.instructions {guest[title]:,}" if title in guest else ""
        verdict = "" if not is_run else ("  under 20 ms" if m < STARTUP_LIMIT_MS else "  OVER 20 ms")
        print(f"  {title}{extra}")
        print(f"    median {m:.1f} ms (min {min(t):.1f}, max {max(t):.1f}); CPU user+sys median "
              f"{median(cpus[title]):.1f} ms{verdict}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
