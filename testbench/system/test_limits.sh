#!/usr/bin/env bash
# Every limit fires and no input makes the host spin or balloon: a hart asleep in WFI with interrupts off,
# a trap storm that retires nothing, ELF files that are devices, huge, overlapping or mostly bss, and
# set-associative arrays too large for host memory. Each case has a wall-clock bound and, where the point
# is host memory, a bound on the peak resident set.
# usage: test_limits.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 passes=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# measure NAME -- ARGS...: runs sv39sim (stdin from /dev/null unless STDIN is set), bounded to 60 s;
# sets rc, rss_mb (peak resident set) and leaves stderr in $work/stderr.
measure() {
  local name=$1
  shift 2
  read -r rc rss_kb < <(python3 - "$work/stderr" "${STDIN:-/dev/null}" "$sim" "$@" <<'PY'
import resource, subprocess, sys
err, stdin, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    with open(err, 'w') as e, open(stdin, 'rb') as i:
        rc = subprocess.run(cmd, stdin=i, stdout=subprocess.DEVNULL, stderr=e, timeout=60).returncode
except subprocess.TimeoutExpired:
    rc = 'timeout'
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
  )
  rss_mb=$((rss_kb / 1024))
}
# expect NAME CODE PATTERN [MAX_RSS_MB] -- ARGS...
expect() {
  local name=$1 code=$2 pattern=$3 max_rss=1000000
  shift 3
  if [ "$1" != "--" ]; then max_rss=$1; shift; fi
  measure "$name" "$@"
  if [ "$rc" != "$code" ] || ! grep -Eq -- "$pattern" "$work/stderr"; then
    fail "$name: exit $rc (want $code), stderr:"; sed 's/^/    /' "$work/stderr"; echo "    (wanted /$pattern/)"
  elif [ "$rss_mb" -gt "$max_rss" ]; then
    fail "$name: peak resident set $rss_mb MiB (at most $max_rss MiB expected)"
  else
    passes=$((passes + 1))
  fi
}
stat_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/out/stats.json" "$1" 2>/dev/null; }

# Guest programs, assembled here: each is a few instructions at the start of RAM.
asm() {
  local name=$1
  shift
  printf '%s\n' ".globl _start" "_start:" "$@" >"$work/$name.S"
  riscv64-unknown-elf-gcc -march=rv64imac_zicsr -mabi=lp64 -nostdlib -static -Wl,-N -Wl,-Ttext=0x80000000 \
    -Wl,--no-warn-rwx-segments -o "$work/$name.elf" "$work/$name.S" || fail "assembling $name"
}
asm wfi "  csrw mie, zero" "  csrci mstatus, 8" "1: wfi" "  j 1b"
# mtvec names an address nothing answers: the illegal instruction traps, and so does every handler fetch.
asm storm "  li t0, 0x1000" "  csrw mtvec, t0" "  .word 0"
# 1000 unsupported HTIF commands (device 2), then a pass.
asm htifspam "  la t0, tohost" "  li t1, 1000" "  li t2, 0x0200000000000001" "1: sd t2, 0(t0)" "  addi t1, t1, -1" \
  "  bnez t1, 1b" "  li t2, 1" "  sd t2, 0(t0)" "2: j 2b" ".data" ".balign 64" ".globl tohost" "tohost: .dword 0"
# A 1 GiB bss after the code, then a pass through the test finisher.
asm bigbss "  li t0, 0x100000" "  li t1, 0x5555" "  sw t1, 0(t0)" "1: j 1b" ".bss" ".space 0x40000000"

# --- Limits ---
expect wfi-max-time 3 "time_limit \(simulated time limit reached\)" -- \
  run --elf "$work/wfi.elf" --set sim.max_time=1ms --out "$work/out"
[ "$(stat_of sim.cycles)" = 1000000 ] || fail "wfi-max-time: sim.cycles $(stat_of sim.cycles), want 1000000 (1 ms at 1 GHz)"
# Nothing can ever wake the hart (mie = 0), even though the UART keeps polling a console that never ends.
mkfifo "$work/console"
sleep 120 >"$work/console" &
holder=$!
STDIN=$work/console expect wfi-no-limit 3 "idle \(.*mie = 0" -- run --elf "$work/wfi.elf" --out "$work/out"
kill "$holder" 2>/dev/null
expect trap-storm-instructions 3 "instruction_limit \(instruction limit reached, counting 99998 that trapped\)" -- \
  run --elf "$work/storm.elf" --max-instructions 100000 --out "$work/out"
retired=$(stat_of sim.instructions) fetch=$(stat_of hart.traps.fetch_access) illegal=$(stat_of hart.traps.illegal_instruction)
[ "$retired/$illegal/$fetch" = 2/1/99997 ] ||
  fail "trap-storm: retired/illegal/fetch-access $retired/$illegal/$fetch, want 2/1/99997 (li and csrw retire)"
expect trap-storm-time 3 "time_limit" -- run --elf "$work/storm.elf" --set sim.max_time=1ms --out "$work/out"

# A guest must not be able to flood the host's stderr with diagnostics.
expect htif-warnings 0 "" -- run --elf "$work/htifspam.elf" --out "$work/out"
warnings=$(grep -c "unsupported HTIF command" "$work/stderr")
[ "$warnings" -eq 10 ] && grep -q "(further ones are not reported)" "$work/stderr" ||
  fail "htif-warnings: $warnings warnings for 1000 unsupported commands (want the first 10, the last saying so)"

# --- ELF files read by segments, with bounded host memory ---
expect elf-dev-zero 2 "/dev/zero: not a regular file, expected an ELF file" 200 -- \
  run --elf /dev/zero --out "$work/out"
cp "$fw/hello.elf" "$work/sparse.elf" && truncate -s 16G "$work/sparse.elf"
expect elf-huge-sparse 0 "" 200 -- run --elf "$work/sparse.elf" --out "$work/out"
python3 - "$work/overlap.elf" <<'PY'
import struct, sys
# ELF64 header, two PT_LOAD headers, 16 bytes of code: segment 1 starts 4 bytes inside segment 0.
code = struct.pack('<4I', 0x00000013, 0x00000013, 0x00000013, 0x0000006f)  # nop x3; j .
eh = b'\x7fELF\x02\x01\x01' + bytes(9) + struct.pack('<HHIQQQIHHHHHH', 2, 243, 1, 0x80000000, 64, 0, 0,
                                                       64, 56, 2, 64, 0, 0)
ph = lambda paddr: struct.pack('<IIQQQQQQ', 1, 5, 64 + 2 * 56, paddr, paddr, len(code), len(code), 4)
open(sys.argv[1], 'wb').write(eh + ph(0x80000000) + ph(0x80000004) + code)
PY
expect elf-overlap 2 "overlap.elf: PT_LOAD segments [0-9]+ \[0x80000000, 0x[0-9a-f]+\) and [0-9]+ \[0x80000004, 0x[0-9a-f]+\) overlap" -- \
  run --elf "$work/overlap.elf" --out "$work/out"
# The bss covers the device tree's place (0xbfe00000 for 2 GiB, below 3 GiB): QEMU refuses the image, so
# does boot.mode=qemu; without a device tree it runs.
expect elf-bss-over-fdt 2 "bigbss.elf: segment \[0x80000000, 0xc0000010\) overlaps the device tree's place \[0xbfe00000, 0xbff00000\)" -- \
  run --elf "$work/bigbss.elf" --set memory.ram_size=2GiB --out "$work/out"
expect elf-big-bss 0 "" 200 -- run --elf "$work/bigbss.elf" --set memory.ram_size=2GiB --set boot.mode=bare --out "$work/out"

# --- Structures whose size would exhaust host memory: exit 2 naming the key ---
expect tlb-too-big 2 "--set mmu.itlb.sets=65536: mmu.itlb.sets: sets x ways must be at most 1048576, got 65536 x 1024" 200 -- \
  run --set mmu.itlb.sets=65536 --set mmu.itlb.ways=1024 --out "$work/out"
expect pwc-too-big 2 "mmu.pwc.sets: sets x ways must be at most 1048576" 200 -- \
  run --set mmu.pwc.sets=4096 --set mmu.pwc.ways=1024 --out "$work/out"
expect cache-too-big 2 "cache.l2.size: sets x ways must be at most 1048576" 200 -- \
  run --set cache.l2.size=1GiB --out "$work/out"
expect tlb-largest 0 "" 400 -- run --set mmu.l2tlb.sets=65536 --set mmu.l2tlb.ways=16 --out "$work/out"

echo "test_limits: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
