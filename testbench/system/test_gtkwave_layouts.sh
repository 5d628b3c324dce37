#!/usr/bin/env bash
# GTKWave layouts (issue 8, deliverables 5 and 7). The filters translate hand-checked values; on a real
# waves.fst, each layout in waves/ focused by waves/focus.py loads in GTKWave (under Xvfb) with every
# signal it names shown, no complaint on stderr, the window over the moment it focuses on, and the
# filters' and enum tables' text on the traces; waves/screenshots.sh makes PNGs of the windows' size.
# A layout naming a signal the file lacks must fail: checked on a copy with one name changed.
# usage: test_gtkwave_layouts.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2 src=$3
waves=$src/waves
for tool in gtkwave Xvfb xwd xwdtopnm pnmcut pnmtopng ppmhist; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (gtkwave, xvfb, x11-apps, netpbm)"; exit 77; }
done
work=$(mktemp -d)
xvfb_pid=""
cleanup() {
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}

# ---- the filters, on values worked out by hand from the privileged spec and firmware/kernel/abi.h ----
expect_filter() {  # filter, input line, expected output line
  local got
  got=$(printf '%s\n' "$2" | python3 "$waves/filters/$1")
  [ "$got" = "$3" ] || fail "$1: '$2' -> '$got', expected '$3'"
}
expect_filter satp.py 8000100000080143 "sv39 asid=1 root=0x80143000"
expect_filter satp.py 9000000000000001 "sv48 asid=0 root=0x1000"
expect_filter satp.py 0000000000000000 "bare"
expect_filter satp.py xxxxxxxxxxxxxxxx "xxxxxxxxxxxxxxxx"
expect_filter pte.py 00000000200400CF "leaf 0x80100000 DA--XWRV"  # PPN 0x80100, D A X W R V
expect_filter pte.py 0000000020040401 "table 0x80101000 -------V" # V only: points to the next level
expect_filter pte.py 0000000000000000 "invalid"
expect_filter pte.py 00000000000000D3 "leaf 0x0 DA-U--RV" # D A U R V

# The transaction filter gets what GTKWave sends for the combined {marker, code, arg0..2} trace.
cat >"$work/markers.vcd" <<'EOF'
$comment data_start 0x1 $end
$timescale 1ps $end
$scope module sv39sim $end
$scope module pager $end
$var logic 1 1 marker $end
$var logic 8 2 code[7:0] $end
$var logic 64 3 arg0[63:0] $end
$var logic 64 4 arg1[63:0] $end
$var logic 64 5 arg2[63:0] $end
$upscope $end
$upscope $end
$enddefinitions $end
#0
$dumpvars
01
b0 2
b0 3
b0 4
b0 5
$end
#100
11
b11 3
b111 4
#101
01
#200
11
b1 2
b10010000000000000 4
b10 5
#201
01
#300
11
b10 2
b110 5
#301
01
$comment data_end 0x1 $end
EOF
python3 "$waves/filters/pager_markers.py" <"$work/markers.vcd" >"$work/markers.out" 2>&1
# context_switch(pid 3, asid 7); fault_begin(pid 3, va 0x12000, store); fault_end(pid 3, 0x12000, swapin)
cat >"$work/markers.want" <<'EOF'
$name markers
#0
#100 ?light sky blue?context_switch pid=3 asid=7
#200 ?light salmon?fault_begin pid=3 va=0x12000 access=store
#300 ?pale green?fault_end pid=3 va=0x12000 kind=swapin
$next
$name faults
#0
#200 ?light salmon?pid 3 0x12000 store
#300
$finish
EOF
diff "$work/markers.want" "$work/markers.out" >"$work/markers.diff" || { fail "pager_markers.py:"; cat "$work/markers.diff"; }

# ---- a real run: one process of the pager kernel, from its creation, for 2 ms ----
timeout 120 "$sim" run --set sim.elf="$fw/kernel.elf" --set disk.image="$fw/disk.img" --set sim.max_time=1s \
  --set workload.run=hello --set trace.waves.enabled=true --set trace.waves.trigger.marker=process_create \
  --set trace.waves.trigger.duration=2ms --out "$work/run" --quiet >"$work/run.log" 2>&1 ||
  { echo "FAIL the run: exit $?"; tail "$work/run.log"; exit 1; }

Xvfb -displayfd 3 -screen 0 1600x1200x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || { echo "FAIL Xvfb did not start"; cat "$work/xvfb.log"; exit 1; }
DISPLAY=:$(cat "$work/display")
export DISPLAY

# The signals a layout names, in order, as GTKWave lists them: vectors as named, and the bits of a
# combined trace ("(i)name[m:0]" is bit m-i) one by one.
layout_signals() {
  python3 - "$1" <<'PY'
import re, sys
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if not line or line[0] in "[@-^*!?>":
        continue
    if line.startswith("#{"):
        for tok in line.split("} ", 1)[1].split():
            m = re.match(r"\((\d+)\)(.*)\[(\d+):(\d+)\]$", tok)
            print("%s[%d]" % (m.group(2), int(m.group(3)) - int(m.group(1))) if m else tok)
    else:
        print(line.split("} ", 1)[1] if line.startswith("+{") else line)
PY
}

# Loads a layout copy in GTKWave with a Tcl script that prints the window, the displayed signals and the
# values of the given traces at the primary marker and at the named marker whose label has LABEL.
# Output in $work/NAME.{out,err}.
view() {  # name, layout copy, "trace..." at the marker, LABEL, "trace..." there
  local name=$1 gtkw=$2 at_marker=$3 label=$4 at_named=$5 index t n
  index=$(grep '^\[markername\]' "$gtkw" | grep -n -F -- "$label" | head -1 | cut -d: -f1)
  t=$(sed -n 's/^\*[^ ]* [^ ]* //p' "$gtkw" | cut -d' ' -f"${index:-1}")
  # shellcheck disable=SC2016 # Tcl, not shell
  {
    echo 'puts "WINDOW [gtkwave::getWindowStartTime] [gtkwave::getWindowEndTime] [gtkwave::getMarker]"'
    echo 'foreach s [gtkwave::getDisplayedSignals] { puts "SIGNAL $s" }'
    for n in $at_marker; do echo "puts \"VALUE $n=[gtkwave::getTraceValueAtMarkerFromName $n]\""; done
    echo "gtkwave::setMarker $t"
    for n in $at_named; do echo "puts \"NAMED $n=[gtkwave::getTraceValueAtMarkerFromName $n]\""; done
    echo 'gtkwave::/File/Quit'
  } >"$work/$name.tcl"
  timeout 60 gtkwave -S "$work/$name.tcl" "$work/run/waves.fst" "$gtkw" >"$work/$name.out" 2>"$work/$name.err" ||
    fail "$name: gtkwave exit $?"
}

traces() { for c in $1; do printf '%s ' "${c%%=*}"; done; }  # "trace=regex ..." -> "trace ..."
value() { sed -n "s|^$1 $2=||p" "$work/$3.out"; }
shown() { sed -n 's/^SIGNAL //p' "$work/$1.out"; }

# Checks one layout: CHECKS are "trace=regex" (regex matching the whole value; '.' for a space).
check_layout() {  # layout, focus.py options, checks at the marker, named marker label, checks there
  local layout=$1 options=$2 at_marker=$3 label=$4 at_named=$5 gtkw=$work/$1.gtkw c line t first="" start end marker
  # shellcheck disable=SC2086 # options are words
  python3 "$waves/focus.py" --sim "$sim" $options --out "$gtkw" "$work/run/waves.fst" "$layout" \
    >/dev/null 2>"$work/$layout.points" || { fail "$layout: focus.py:"; cat "$work/$layout.points"; return; }
  view "$layout" "$gtkw" "$(traces "$at_marker")" "$label" "$(traces "$at_named")"
  layout_signals "$waves/$layout.gtkw" >"$work/$layout.want"
  shown "$layout" | diff "$work/$layout.want" - >"$work/$layout.diff" ||
    { fail "$layout: GTKWave shows other signals than the layout names (< missing, > extra):"; grep '^[<>]' "$work/$layout.diff" | head; }
  if grep -v -e '^$' -e '^GTKWave Analyzer' -e '^FSTLOAD |' -e '^GTKWAVE | Executing Tcl script' "$work/$layout.err" |
    grep -q .; then
    fail "$layout: GTKWave says:"; cat "$work/$layout.err"
  fi
  # The window holds every point focus.py chose ("label   time ps" lines), the marker on the first.
  read -r _ start end marker < <(grep '^WINDOW' "$work/$layout.out")
  while read -r line; do
    t=${line% ps}; t=${t##* }
    [ -n "$first" ] || first=$t
    if [ "$t" -lt "${start:-0}" ] || [ "$t" -gt "${end:-0}" ]; then
      fail "$layout: '$line' outside the window $start..$end"
    fi
  done <"$work/$layout.points"
  [ "$marker" = "$first" ] || fail "$layout: the marker is at $marker ps, expected $first"
  for c in $at_marker; do
    [[ "$(value VALUE "${c%%=*}" "$layout")" =~ ^${c#*=}$ ]] ||
      fail "$layout: ${c%%=*} at the marker is '$(value VALUE "${c%%=*}" "$layout")', expected /${c#*=}/"
  done
  for c in $at_named; do
    [[ "$(value NAMED "${c%%=*}" "$layout")" =~ ^${c#*=}$ ]] ||
      fail "$layout: ${c%%=*} at '$label' is '$(value NAMED "${c%%=*}" "$layout")', expected /${c#*=}/"
  done
}

# At the walk's start the walker reads satp (Sv39, an ASID); at its end the last PTE read is a leaf.
check_layout walk "--min-reads 3" "walker/satp=sv39.asid=[0-9]+.root=0x[0-9a-f]+ walker/access=(fetch|load|store)" \
  "walk end" "walker/pte_value=leaf.0x[0-9a-f]+.[DAGUXWRV-]{8} walker/served_by=(l1d|l2|memory|pwc)"
# The first major fault begins with the kernel's fault_begin marker, and ends with its fault_end.
check_layout fault "" \
  "markers=fault_begin.pid=[0-9]+.va=0x[0-9a-f]+.access=(fetch|load|store) pager/code=fault_begin hart/satp=sv39.*" \
  "fault_end" "pager/code=fault_end markers=fault_end.pid=[0-9]+.va=0x[0-9a-f]+.kind=(file|swapin)"
# The first context switch; the satp write that goes with it puts an Sv39 address space in place.
check_layout switch "" "markers=context_switch.pid=[0-9]+.asid=[0-9]+ pager/code=context_switch" \
  "satp write" "hart/satp=sv39.asid=[0-9]+.root=0x[0-9a-f]+"

# The check itself must see a signal that is not there: a copy of the walk layout naming one.
sed 's/^+{walker\/pa} sv39sim.walker.pa\[63:0\]/+{walker\/pa} sv39sim.walker.no_such_signal[63:0]/' \
  "$work/walk.gtkw" >"$work/broken.gtkw"
grep -q no_such_signal "$work/broken.gtkw" || fail "the control layout was not made"
view broken "$work/broken.gtkw" "" "walk end" ""
shown broken | diff -q "$work/walk.want" - >/dev/null &&
  fail "a layout naming sv39sim.walker.no_such_signal loaded as if complete"

# ---- the screenshots: PNGs of each layout's window size ----
if bash "$waves/screenshots.sh" "$sim" "$fw" "$work/images" >"$work/shots.log" 2>&1; then
  for shot in waves-walk.png:walk waves-major-fault.png:fault; do
    png=$work/images/${shot%%:*}
    size=$(sed -n 's/^\[size\] //p' "$waves/${shot#*:}.gtkw")
    got=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(*struct.unpack(">II", d[16:24])) if d[:8]==b"\x89PNG\r\n\x1a\n" else print("not a PNG")' "$png" 2>&1)
    [ "$got" = "$size" ] || fail "$png: $got, expected the layout's window $size"
    [ "$(stat -c %s "$png" 2>/dev/null || echo 0)" -gt 20000 ] || fail "$png: too small to hold the waves"
  done
else
  fail "screenshots.sh:"; cat "$work/shots.log"
fi

echo "$failures failures"
[ "$failures" -eq 0 ]
