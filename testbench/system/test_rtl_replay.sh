#!/usr/bin/env bash
# Replaying a recorded event stream against the RTL (`sv39sim rtl-check EVENTS.gz`) reaches the live
# check's verdict: the same transaction count without a mismatch, and for a mutant the same first mismatch,
# with waves of both sides around it (live and replayed). Bad input to the check fails with exit 2 and a
# message naming what is wrong, before anything runs.
# usage: test_rtl_replay.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 passes=0
cd "$work" || exit 1
ok() { passes=$((passes + 1)); }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
summary() { grep 'rtl-check:' "$1" | sed 's/^sv39sim: //'; }
report() { sed -n '/^RTL mismatch at/,/^  model.s events:/p' "$1"; }  # the mismatch and the differing fields
fst_ok() { [ -s "$1" ] && [ "$(fst2vcd "$1" 2>/dev/null | grep -c '^\$enddefinitions')" = 1 ]; }

# --- no mismatch: live with the log recorded in the same run, then the replay ---
"$sim" run "$src/configs/default.yaml" --max-instructions 200000 --set rtl_check.enabled=true \
  --set trace.events.enabled=true --out "$work/live" --quiet >/dev/null 2>"$work/live.err"
rc=$?
[ "$rc" = 3 ] && ok || fail "live run: exit $rc: $(tail -n 5 "$work/live.err")"
[ -s "$work/live/events.gz" ] && ok || fail "no events.gz"
"$sim" rtl-check "$work/live/events.gz" >"$work/replay.out" 2>"$work/replay.err"
rc=$?
[ "$rc" = 0 ] && ok || fail "replay: exit $rc: $(tail -n 5 "$work/replay.err")"
[ -n "$(summary "$work/live.err")" ] && [ "$(summary "$work/live.err")" = "$(summary "$work/replay.err")" ] && ok ||
  fail "replay's summary differs from the live check's:
  live:   $(summary "$work/live.err")
  replay: $(summary "$work/replay.err")"

# --- a mutant: the same first mismatch live and replayed, waves of both sides ---
echo "24 50" >"$work/stride.in"
mut=(--set rtl_check.defines=SV39_MUT_PLRU_UPDATE)
"$sim" run --elf "$fw/tlbstride.elf" --stdin "$work/stride.in" --set mmu.dtlb.policy=plru --set mmu.dtlb.sets=4 \
  --set rtl_check.enabled=true --set trace.events.enabled=true "${mut[@]}" --out "$work/mlive" --quiet \
  >/dev/null 2>"$work/mlive.err"
rc=$?
[ "$rc" = 5 ] && ok || fail "mutant live: exit $rc, want 5"
[ -s "$work/mlive/rtl-mismatch.txt" ] && ok || fail "mutant live: no rtl-mismatch.txt"
fst_ok "$work/mlive/rtl-mismatch/rtl.fst" && fst_ok "$work/mlive/rtl-mismatch/model.fst" && ok ||
  fail "mutant live: the re-run wrote no waves: $(cat "$work/mlive/rtl-mismatch/stderr.log" 2>/dev/null | tail -n 3)"
"$sim" rtl-check "$work/mlive/events.gz" "${mut[@]}" --out "$work/mwaves" >/dev/null 2>"$work/mreplay.err"
rc=$?
[ "$rc" = 5 ] && ok || fail "mutant replay: exit $rc, want 5"
[ -n "$(report "$work/mlive.err")" ] && [ "$(report "$work/mlive.err")" = "$(report "$work/mreplay.err")" ] && ok ||
  fail "mutant: replay's first mismatch differs from the live one:
$(report "$work/mlive.err")
---
$(report "$work/mreplay.err")"
fst_ok "$work/mwaves/rtl.fst" && fst_ok "$work/mwaves/model.fst" && ok || fail "mutant replay wrote no waves"
# The log carries the run's config, the define included; without it the same log finds nothing.
"$sim" rtl-check "$work/mlive/events.gz" --set rtl_check.defines= --out "$work/mclean" >/dev/null 2>"$work/mclean.err"
rc=$?
[ "$rc" = 0 ] && ok || fail "clean replay of the mutant's log: exit $rc: $(tail -n 3 "$work/mclean.err")"

# --- a user's RTL: the project's, copied elsewhere with its top renamed, named by files and top ---
mkdir -p "$work/user"
for f in common/sv39_pkg.sv common/sv39_repl.sv tlb/sv39_tlb.sv walker/sv39_pwc.sv walker/sv39_ptw.sv; do
  cp "$src/hw/$f" "$work/user/"
done
sed 's/^module sv39_mmu$/module my_mmu/' "$src/hw/top/sv39_mmu.sv" >"$work/user/my_mmu.sv"
grep -q '^module my_mmu$' "$work/user/my_mmu.sv" && ok || fail "could not rename the top"
u="$work/user"
"$sim" run --elf "$fw/selftest-vm_sfence.elf" --set rtl_check.enabled=true --set rtl_check.top=my_mmu \
  --set rtl_check.sources="$u/sv39_pkg.sv $u/sv39_repl.sv $u/sv39_tlb.sv $u/sv39_pwc.sv $u/sv39_ptw.sv $u/my_mmu.sv" \
  --out "$work/user-run" --quiet >/dev/null 2>"$work/user.err"
rc=$?
[ "$rc" = 0 ] && grep -q 'fences), [0-9]* model events matched, 0 mismatches' "$work/user.err" && ok ||
  fail "user RTL: exit $rc: $(tail -n 5 "$work/user.err")"

# --- bad input: exit 2, a message naming the problem, nothing run ---
bad() { # NAME PATTERN -- command...
  local name=$1 pat=$2
  shift 3
  "$@" >"$work/$name.out" 2>"$work/$name.err"
  local rc=$?
  if [ "$rc" = 2 ] && grep -q -- "$pat" "$work/$name.err"; then ok; else
    fail "$name: exit $rc, wanted 2 and /$pat/: $(head -n 3 "$work/$name.err")"
  fi
}
bad random 'mmu.dtlb.policy: the RTL (hw/) has no random replacement' -- \
  "$sim" run --elf "$fw/hello.elf" --set rtl_check.enabled=true --set mmu.dtlb.policy=random --out "$work/b1"
[ -e "$work/b1/stats.json" ] && fail "random: a report was written" || ok
bad define "rtl_check.defines: 'a-b' is not a define" -- \
  "$sim" run --elf "$fw/hello.elf" --set rtl_check.enabled=true --set rtl_check.defines=a-b --out "$work/b2"
bad source 'nope.sv: RTL source file not found' -- \
  "$sim" run --elf "$fw/hello.elf" --set rtl_check.enabled=true --set rtl_check.sources=nope.sv --out "$work/b3"
printf 'module broken(input logic clk_i\n' >"$work/broken.sv"
bad build 'building the RTL failed (log: ' -- \
  "$sim" run --elf "$fw/hello.elf" --set rtl_check.enabled=true --set rtl_check.sources="$work/broken.sv" \
  --set rtl_check.top=broken --set rtl_check.cache="$work/cache" --out "$work/b4"
printf 'not a log' | gzip >"$work/junk.gz"
bad notlog 'junk.gz: not an sv39sim event log' -- "$sim" rtl-check "$work/junk.gz"
head -c 3000 "$work/live/events.gz" >"$work/cut.gz"
bad cut 'cut.gz: ' -- "$sim" rtl-check "$work/cut.gz"
bad missing 'cannot open event log' -- "$sim" rtl-check "$work/none.gz"

echo "test_rtl_replay: $passes passed, $failures failed"
[ "$failures" = 0 ]
