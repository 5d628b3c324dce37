#!/usr/bin/env bash
# Command-line contract of `sv39sim run`: exit codes 0/1/2/3, error messages that name the file and the
# problem, no stats left behind by a run that failed on bad input, UART input, HTIF console.
# usage: test_cli.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 passes=0

# expect NAME CODE PATTERN -- ARGS...: exit code CODE and stderr matching the extended regex PATTERN.
expect() {
  local name=$1 code=$2 pattern=$3
  shift 4
  "$sim" "$@" >"$work/stdout" 2>"$work/stderr"
  local rc=$?
  if [ "$rc" -ne "$code" ] || { [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$work/stderr"; }; then
    echo "FAIL $name: exit $rc (want $code), stderr:"; sed 's/^/    /' "$work/stderr"
    echo "    (wanted /$pattern/)"
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}
# no_stats NAME DIR: a run rejected for bad input leaves no report in DIR.
no_stats() {
  if [ -e "$2/stats.json" ] || [ -e "$2/stats.txt" ]; then
    echo "FAIL $1: stats left in $2"; failures=$((failures + 1))
  else passes=$((passes + 1)); fi
}
stdout_is() {
  if [ "$(cat "$work/stdout")" != "$2" ]; then
    echo "FAIL $1: stdout was:"; sed 's/^/    /' "$work/stdout"; failures=$((failures + 1))
  else passes=$((passes + 1)); fi
}
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# --- ELF problems (exit 2) ---
out=$work/out-bad
mkdir -p "$out" && echo stale >"$out/stats.json"
expect missing-elf 2 "$work/nope.elf: cannot open ELF file" -- run --elf "$work/nope.elf" --out "$out"
no_stats missing-elf-stale-report-removed "$out"
echo "just text" >"$work/text.elf"
expect not-elf 2 "text.elf: not an ELF file" -- run --elf "$work/text.elf" --out "$out"
: >"$work/empty.elf"
expect empty-elf 2 "empty.elf: not an ELF file" -- run --elf "$work/empty.elf" --out "$out"
python3 - "$fw/hello.elf" "$work" <<'PY'
import struct, sys
src, work = sys.argv[1], sys.argv[2]
data = bytearray(open(src, 'rb').read())
h32 = bytearray(data[:64]); h32[4] = 1                      # EI_CLASS = ELFCLASS32
open(work + '/rv32.elf', 'wb').write(h32)
x86 = bytearray(data); struct.pack_into('<H', x86, 18, 62)  # e_machine = EM_X86_64
open(work + '/x86.elf', 'wb').write(x86)
open(work + '/truncated.elf', 'wb').write(data[:100])       # header survives, program headers do not
phoff, = struct.unpack_from('<Q', data, 32)
far = bytearray(data)
for i in range(struct.unpack_from('<H', data, 56)[0]):      # first PT_LOAD's paddr -> 0x1000
    off = phoff + i * 56
    if struct.unpack_from('<I', far, off)[0] == 1:
        struct.pack_into('<Q', far, off + 24, 0x1000); break
open(work + '/lowseg.elf', 'wb').write(far)
PY
expect elf-32bit 2 "rv32.elf: 32-bit ELF" -- run --elf "$work/rv32.elf" --out "$out"
expect elf-not-riscv 2 "x86.elf: not a RISC-V ELF \(e_machine 62" -- run --elf "$work/x86.elf" --out "$out"
expect elf-truncated 2 "truncated.elf: truncated ELF file" -- run --elf "$work/truncated.elf" --out "$out"
expect elf-outside-ram 2 "lowseg.elf: segment \[0x1000, .*\) lies outside RAM \[0x80000000, 0x88000000\)" \
  -- run --elf "$work/lowseg.elf" --out "$out"
no_stats elf-errors "$out"

# --- config and argument problems (exit 2) ---
printf 'sim:\n  max_instructions: 10\nhart:\n  misalinged: trap\n' >"$work/typo.yaml"
expect config-unknown-key 2 "typo.yaml:4:3: unknown key 'hart.misalinged' \(did you mean 'hart.misaligned'\?\)" \
  -- run "$work/typo.yaml" --out "$out"
printf 'hart:\n  misaligned: sometimes\n' >"$work/badchoice.yaml"
expect config-bad-choice 2 "badchoice.yaml:2:3: hart.misaligned: expected one of perform \| trap, got 'sometimes'" \
  -- run "$work/badchoice.yaml" --out "$out"
printf 'memory:\n  ram_size: lots\n' >"$work/badsize.yaml"
expect config-bad-size 2 "badsize.yaml:2:3: memory.ram_size: expected a size" -- run "$work/badsize.yaml" --out "$out"
printf 'sim: [1, 2\n' >"$work/syntax.yaml"
expect config-syntax 2 "syntax.yaml:[0-9]+:[0-9]+: YAML syntax error" -- run "$work/syntax.yaml" --out "$out"
printf 'nonsense: 1\n' >"$work/section.yaml"
expect config-unknown-section 2 "section.yaml:1:1: unknown key 'nonsense' \(known sections: " -- run "$work/section.yaml" --out "$out"
expect config-missing 2 "$work/none.yaml: cannot open config file" -- run "$work/none.yaml" --out "$out"
expect set-unknown 2 "--set hart.speed=3: unknown key 'hart.speed'" -- run --set hart.speed=3 --out "$out"
expect set-malformed 2 "--set hart.clock_mhz: expected KEY=VALUE" -- run --set hart.clock_mhz --out "$out"
expect set-range 2 "hart.clock_mhz: expected a value in \[1, 100000\]" -- run --set hart.clock_mhz=0 --out "$out"
expect max-instr-bad 2 "sim.max_instructions: expected a non-negative integer, got '-5'" -- run --max-instructions -5 --out "$out"
expect unknown-option 2 "unknown option '--fast'" -- run --fast
expect unknown-command 2 "unknown command 'walk'" -- walk
expect no-command 2 "missing command" --
expect option-needs-value 2 "--elf needs a value" -- run --elf
expect tlb-geometry 2 "--set mmu.dtlb.ways=3: mmu.dtlb.ways: plru .*needs a power-of-two number of ways, got 3" \
  -- run --set mmu.dtlb.policy=plru --set mmu.dtlb.ways=3 --out "$out"
expect pwc-geometry 2 "--set mmu.pwc.ways=3: mmu.pwc.ways: plru .*got 3" \
  -- run --set mmu.pwc.policy=plru --set mmu.pwc.ways=3 --out "$out"
expect superpage-array 2 "mmu.itlb.superpage_entries: plru .*got 6" -- run --set mmu.itlb.superpages=separate \
  --set mmu.itlb.superpage_entries=6 --set mmu.itlb.policy=plru --out "$out"
expect tlb-sets 2 "mmu.dtlb.sets: sets must be a power of two" -- run --set mmu.dtlb.sets=3 --out "$out"
expect cache-geometry 2 "cache.l1d.ways: size 32768 is not a whole number of sets" -- run --set cache.l1d.ways=3 --out "$out"
expect dram-mapping 2 "dram.mapping: address mapping \"RoXx\": unknown field \"Xx\"" -- run --set dram.mapping=RoXx --out "$out"
expect out-not-dir 2 "text.elf/sub: cannot create or write the output directory" -- run --out "$work/text.elf/sub"
no_stats config-errors "$out"

# --- bad input of every kind: exit 2 before anything runs (no console output), naming the file, line and
# column or the option, and the key; no report left behind ---
bo=$work/out-input
# bad NAME PATTERN ARGS...: `run ARGS --out $bo` exits 2 with PATTERN on stderr, an empty stdout, no stats.
bad() {
  local name=$1 pattern=$2
  shift 2
  rm -rf "$bo"
  expect "$name" 2 "$pattern" -- run "$@" --out "$bo"
  [ -s "$work/stdout" ] && { echo "FAIL $name: the guest ran:"; sed 's/^/    /' "$work/stdout"; failures=$((failures + 1)); }
  no_stats "$name" "$bo"
}
mkdir -p "$work/adir"
bad config-is-dir "$work/adir: is a directory, not a config file" "$work/adir"
bad elf-is-dir "command line: sim.elf: $work/adir is a directory, not a file" --elf "$work/adir"
printf 'sim:\n  seed: 3\n  elf: adir\n' >"$work/elfdir.yaml"
bad elf-is-dir-in-config "elfdir.yaml:3:3: sim.elf: $work/adir is a directory, not a file" "$work/elfdir.yaml"
bad stdin-is-dir "command line: sim.stdin: $work/adir is a directory, not a file" --elf "$fw/echo.elf" --stdin "$work/adir"
bad elf-empty "--elf needs a file name, got an empty string" --elf ""
bad stdin-empty "--stdin needs a file name, got an empty string" --stdin ""
printf 'hart:\n  clock_mhz: 500\n  clock_mhz: 250\n' >"$work/dupkey.yaml"
bad duplicate-key "dupkey.yaml:3:3: hart.clock_mhz: duplicate key \(first at line 2:3\)" "$work/dupkey.yaml"
printf 'hart:\n  clock_mhz: 500\nhart.clock_mhz: 250\n' >"$work/twice.yaml"
bad key-set-twice "twice.yaml:3:1: hart.clock_mhz: set twice \(first at line 2:3\)" "$work/twice.yaml"
printf 'hart:\n  clock_mhz: 500\n---\nsim:\n  seed: 2\n' >"$work/twodocs.yaml"
bad second-document "twodocs.yaml:4:1: a second YAML document" "$work/twodocs.yaml"
printf 'sim:\n  seed: 3\n  stdin: "in\\0put"\n' >"$work/nulesc.yaml"
bad nul-escaped "nulesc.yaml:3:3: sim.stdin: the value contains a NUL character" "$work/nulesc.yaml"
printf 'sim:\n  stdin: in\0put\n' >"$work/nulraw.yaml"
bad nul-raw "nulraw.yaml:2:3: sim.stdin: the value contains a NUL character" "$work/nulraw.yaml"
bad time-not-whole-ps "--set sim.quantum=1.0000005us: sim.quantum: expected a whole number of picoseconds" \
  --set sim.quantum=1.0000005us
printf 'cache:\n  l1d:\n    size: 1.3KiB\n' >"$work/inexact.yaml"
bad size-not-whole-bytes "inexact.yaml:3:5: cache.l1d.size: expected a whole number of bytes, got '1.3KiB'" "$work/inexact.yaml"
bad cache-size-not-whole-sets "cache.l1d.size: size / \(ways x line\) = 40960 / \(8 x 64\) = 80 sets, not a power of two" \
  --set cache.l1d.size=40KiB
bad size-rounded-before "cache.l1d.size: expected a whole number of bytes, got '32.0000001KiB'" --set cache.l1d.size=32.0000001KiB
printf 'mmu: &m\n  itlb: *m\n' >"$work/cycle.yaml"  # an alias to its own parent: a cycle (used to hang)
bad alias-cycle "cycle.yaml:2:3: unknown section 'mmu.itlb.itlb' \(known keys in 'mmu.itlb': " "$work/cycle.yaml"
bad timeslice-not-whole-us "workload.timeslice: expected a whole number of microseconds" --set workload.timeslice=1500ns
bad ram-not-whole-pages "memory.ram_size: expected a whole number of 4 KiB pages" --set memory.ram_size=5000
printf 'dram:\n  tRAS: 80\n' >"$work/tras.yaml"
bad dram-tras-gt-trc "tras.yaml:2:3: dram.tRAS: tRC = 74 is less than tRAS \+ tRP = 80 \+ 22" "$work/tras.yaml"
bad dram-trcd-gt-tras "dram.tRCD: tRAS = 52 is less than tRCD = 60" --set dram.tRCD=60
bad dram-bank-group "dram.tCCD_L: tCCD_L = 2 is less than tCCD_S = 4" --set dram.tCCD_L=2
bad suggestion "--set mmu.itlb.set=4: unknown key 'mmu.itlb.set' \(did you mean 'mmu.itlb.sets'\?\)" --set mmu.itlb.set=4
bad choice-suggestion "got 'lur' \(did you mean 'lru'\?\)" --set mmu.dtlb.policy=lur
bad hdd-seek-blames-the-key-set "--set disk.hdd.full_stroke=5ms: disk.hdd.full_stroke: expected" \
  --set disk.preset=hdd --set disk.hdd.full_stroke=5ms
# Every problem of the file, in file order, then those of the options.
printf 'dram:\n  tRAS: 80\nhart:\n  clock_mhz: fast\n  misalinged: trap\nmmu:\n  dtlb:\n    sets: 3\n  dtlb.sets: 4\n' \
  >"$work/many.yaml"
bad every-error "many.yaml:2:3: dram.tRAS" "$work/many.yaml" --set sim.quantum=1.5ps
grep -o 'many.yaml:[0-9]*:[0-9]*\|--set sim.quantum' "$work/stderr" | tr '\n' ' ' >"$work/order"
if [ "$(cat "$work/order")" = "many.yaml:2:3 many.yaml:4:3 many.yaml:5:3 many.yaml:8:5 many.yaml:9:3 --set sim.quantum " ]; then
  passes=$((passes + 1))
else
  echo "FAIL every-error: problems or their order: $(cat "$work/order")"; sed 's/^/    /' "$work/stderr"; failures=$((failures + 1))
fi
# Statistics that cannot be written are found before the run: nothing may run for a report that is lost.
expect out-unwritable 2 "/proc/sv39sim-out: cannot create or write the output directory \(--out\)" -- run --out /proc/sv39sim-out
[ -s "$work/stdout" ] && { echo "FAIL out-unwritable: the guest ran"; failures=$((failures + 1)); }
mkdir -p "$work/statsdir/stats.json"
expect stats-is-dir 2 "statsdir/stats.json exists and is not a regular file" -- run --out "$work/statsdir"
[ -s "$work/stdout" ] && { echo "FAIL stats-is-dir: the guest ran"; failures=$((failures + 1)); }
[ -d "$work/statsdir/stats.json" ] && passes=$((passes + 1)) || { echo "FAIL stats-is-dir: the directory was removed"; failures=$((failures + 1)); }

# --- guest outcomes ---
expect pass 0 "pass" -- run --elf "$fw/hello.elf" --out "$work/pass"
ls "$work/pass" | grep -q tmp && { echo "FAIL pass: temporary files left: $(ls "$work/pass")"; failures=$((failures + 1)); }
[ "$(json_field "$work/pass/stats.json" sim.exit_status)" = pass ] && passes=$((passes + 1)) ||
  { echo "FAIL pass: stats exit_status"; failures=$((failures + 1)); }
printf 'make me loud\nexit 7\n' >"$work/input.txt"
expect guest-fail 1 "fail \(tohost: fail 7\) code 7" -- run --elf "$fw/echo.elf" --stdin "$work/input.txt" --out "$work/fail"
stdout_is uart-input "MAKE ME LOUD"
[ "$(json_field "$work/fail/stats.json" sim.exit_code)" = 7 ] && passes=$((passes + 1)) ||
  { echo "FAIL guest-fail: stats exit_code"; failures=$((failures + 1)); }
expect stdin-missing 2 "$work/nothing.txt: cannot open UART input" -- run --elf "$fw/echo.elf" --stdin "$work/nothing.txt" --out "$out"
expect idle 3 "idle \(the hart sleeps in WFI" -- run --elf "$fw/echo.elf" --out "$work/idle" </dev/null
expect instruction-limit 3 "instruction_limit .*: 1000 instructions" -- run --elf "$fw/compute-small.elf" --max-instructions 1000 --out "$work/limit"
[ "$(json_field "$work/limit/stats.json" sim.instructions)" = 1000 ] && passes=$((passes + 1)) ||
  { echo "FAIL instruction-limit: not exactly 1000 instructions"; failures=$((failures + 1)); }
expect time-limit 3 "time_limit" -- run --elf "$fw/compute-small.elf" --set sim.max_time=50us --out "$work/tlimit"
# The instruction that reaches 50 us (50 000 cycles at 1 GHz) still completes, memory stalls included
# (a DRAM miss costs well under 1 000 cycles).
tcycles=$(json_field "$work/tlimit/stats.json" sim.cycles)
[ "$tcycles" -ge 50000 ] && [ "$tcycles" -lt 51000 ] && passes=$((passes + 1)) ||
  { echo "FAIL time-limit: stopped at $tcycles cycles, not at 50 us"; failures=$((failures + 1)); }
expect htif-console 0 "pass \(tohost: pass\)" -- run --elf "$fw/selftest-htif_console.elf" --out "$work/htif"
stdout_is htif-console-output "htif console ok"

# A reader that closes the console early must not turn the run into a signal death.
"$sim" run --elf "$fw/compute-small.elf" --out "$work/pipe" 2>/dev/null | head -c 1 >/dev/null
pipe_rc=${PIPESTATUS[0]}
[ "$pipe_rc" = 0 ] && passes=$((passes + 1)) || { echo "FAIL closed-stdout: exit $pipe_rc"; failures=$((failures + 1)); }

# --- determinism: identical stats apart from host measurements ---
for i in 1 2; do
  "$sim" run --elf "$fw/compute-small.elf" --out "$work/det$i" --quiet >/dev/null 2>&1
  grep -v '"host\.' "$work/det$i/stats.json" >"$work/det$i.json"
done
if cmp -s "$work/det1.json" "$work/det2.json"; then passes=$((passes + 1)); else
  echo "FAIL determinism:"; diff "$work/det1.json" "$work/det2.json"; failures=$((failures + 1)); fi

# --- memory-system statistics hang together; page-table reads enter where mmu.walker.pte_source says ---
for src_level in l1d l2 memory; do
  "$sim" run --elf "$fw/compute-vm-small.elf" --set mmu.walker.pte_source=$src_level --set mmu.pwc.enabled=false \
    --out "$work/pte-$src_level" --quiet >/dev/null 2>&1
done
python3 - "$work" <<'PY' && passes=$((passes + 1)) || { echo "FAIL memory-system statistics"; failures=$((failures + 1)); }
import json, sys
w = sys.argv[1]
s = {k: json.load(open(f"{w}/pte-{k}/stats.json")) for k in ("l1d", "l2", "memory")}
for k, st in s.items():
    assert st["mmu.walker.pwc.misses"] == st["mmu.walker.walks"] > 0, (k, "PWC disabled: every walk from the root")
    # Without a PWC a walk that ends at a leaf of level L (4k: 0, 2m: 1, 1g: 2) reads 3 - L PTEs (Sv39), and
    # compute-vm never faults; every walk is an L2 TLB miss resolved to the leaf's size.
    assert st["mmu.walker.faults"] == 0, k
    want = sum((3 - lvl) * st[f"mmu.l2tlb.misses.{a}.{size}"]
               for a in ("fetch", "load", "store") for lvl, size in enumerate(("4k", "2m", "1g")))
    assert st["mmu.walker.memory_reads"] == want, (k, st["mmu.walker.memory_reads"], want)
# Each PTE read and each A/D write-back enters at the named level (from the L1D, misses go on down).
for k, cache in (("l1d", "l1d"), ("l2", "l2")):
    assert s[k][f"cache.{cache}.walker.accesses"] == s[k]["mmu.walker.memory_reads"] + s[k]["mmu.walker.ad_updates"] > 0, k
assert s["l2"]["cache.l1d.walker.accesses"] == 0 and s["l2"]["cache.l2.walker.accesses"] > 0
assert s["memory"]["cache.l1d.walker.accesses"] == 0 and s["memory"]["cache.l2.walker.accesses"] == 0
assert s["memory"]["memory.controller.reads.walker"] > 0
PY

# --- lazy RAM: a 4 GiB guest costs only the pages it touches ---
rss_kib=$(python3 - "$sim" "$fw/hello.elf" "$work/big" <<'PY'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "run", "--elf", sys.argv[2], "--set", "memory.ram_size=4GiB", "--out", sys.argv[3],
                "--quiet"], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
)
if [ -n "$rss_kib" ] && [ "$rss_kib" -lt 262144 ]; then passes=$((passes + 1)); else
  echo "FAIL lazy-ram: peak RSS ${rss_kib:-?} KiB for a 4 GiB guest"; failures=$((failures + 1)); fi

# --- help and config dump ---
expect help 0 "" -- --help
grep -q -- "--max-instructions N" "$work/stdout" && passes=$((passes + 1)) || { echo "FAIL help text"; failures=$((failures + 1)); }
"$sim" config --set hart.misaligned=trap >"$work/dump.yaml" 2>&1
expect config-roundtrip 0 "pass" -- run "$work/dump.yaml" --elf "$fw/selftest-priv_misaligned_trap.elf" --out "$work/rt"

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
