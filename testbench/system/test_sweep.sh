#!/usr/bin/env bash
# `sv39sim sweep` with the local backend on the strided D-TLB probe (tlbstride.elf, see test_tlb_analytic.sh):
# one results.csv row per point with the right axis values and D-TLB misses equal to counts worked out by
# hand; the same results twice; SIGINT, then --resume gives the results of an uninterrupted sweep without
# running a finished point again; a failed point is recorded and the sweep goes on; bad sweep files fail
# before anything runs, naming file:line:col; the plots are PNG and SVG.
# usage: test_sweep.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$1 fw=$2
work=$(mktemp -d)
bg=
trap '[ -n "$bg" ] && kill "$bg" 2>/dev/null; rm -rf "$work"' EXIT
failures=0 passes=0
ok() { passes=$((passes + 1)); }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
cd "$work" || exit 1

# --- the sweep (tlbstride_sweep.sh): an 8-entry D-TLB, fully associative or direct-mapped, over N = 7, 8, 9,
# 15, 16 pages, R = 20000 rounds, twice each (repeats: seeds 1 and 2; LRU ignores them) = 20 points ---
. "$(dirname "$0")/tlbstride_sweep.sh"
write_tlbstride_sweep "$work/tlb.yaml" "$fw" plot

# Plots need Debian's python3-matplotlib; without it the sweep ends with exit 1 and complete results.
plots=1
python3 -c 'import matplotlib' 2>/dev/null || /usr/bin/python3 -c 'import matplotlib' 2>/dev/null || plots=0
want_rc=0
[ "$plots" = 1 ] || { want_rc=1; echo "note: no matplotlib: plots not checked"; }

# --dry-run lists the points and runs nothing.
"$sim" sweep tlb.yaml --dry-run >dry.out 2>dry.err
rc=$?
[ "$rc" = 0 ] && ok || fail "dry-run: exit $rc: $(cat dry.err)"
[ "$(grep -cE '^[0-9]+ ' dry.out)" = 20 ] && ok || fail "dry-run: not 20 points:$(cat dry.out)"
grep -qE '^15 +dm8 +9 +1 +2$' dry.out && ok || fail "dry-run: point 15 is not dm8, 9 pages, repeat 1, seed 2"
[ -e sweeps ] && fail "dry-run created sweeps/" || ok

"$sim" sweep tlb.yaml --out a -j2 >a.out 2>a.err
rc=$?
[ "$rc" = "$want_rc" ] && ok || { fail "sweep a: exit $rc (want $want_rc)"; sed 's/^/    /' a.err; }
grep -q "20 points (20 run, 0 reused), 0 failed" a.err && ok || fail "sweep a: summary: $(cat a.err)"
[ -s a.out ] && fail "sweep a: wrote to stdout" || ok

# Each row against the hand-worked counts. Accesses: every one of the N*R loads is one D-TLB lookup.
# Misses, E = 8 entries, LRU, the TLB empty at the start (the first round misses on all N pages):
#   fully associative: N <= E: the N pages stay resident after the first round: N.
#                      N > E: page p was evicted by the E others touched since its last use: N*R.
#   direct-mapped (page i in set i mod 8): N <= E: one page per set: N. E < N <= 2E: each round after the
#                      first misses twice in each of the N-E sets holding two pages: N + 2(N-E)(R-1).
#   N:          7  8  9              15                16
#   fa8:        7  8  9*20000=180000 15*20000=300000   16*20000=320000
#   dm8:        7  8  9+2*1*19999    15+2*7*19999      16+2*8*19999
#                     = 40007        = 280001          = 320000
python3 - a/results.csv "$R" <<'PY' && ok || fail "results.csv rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
R = int(sys.argv[2])
header = open(sys.argv[1]).readline().strip()
assert header == ("point,geometry,pages,repeat,seed,exit_status,mmu.dtlb.misses.load.4k,mmu.dtlb.accesses,"
                  "host.seconds,host.mips,miss_rate"), header
want_misses = {("fa8", 7): 7, ("fa8", 8): 8, ("fa8", 9): 180000, ("fa8", 15): 300000, ("fa8", 16): 320000,
               ("dm8", 7): 7, ("dm8", 8): 8, ("dm8", 9): 40007, ("dm8", 15): 280001, ("dm8", 16): 320000}
assert len(rows) == 20, len(rows)
for i, r in enumerate(rows):
    # Expansion order: geometry slowest, then pages, repeats innermost.
    geometry, pages, repeat = ("fa8", "dm8")[i // 10], (7, 8, 9, 15, 16)[i // 2 % 5], i % 2
    got = (r["point"], r["geometry"], r["pages"], r["repeat"], r["seed"], r["exit_status"])
    assert got == (str(i), geometry, str(pages), str(repeat), str(1 + repeat), "0"), (i, got)
    misses = want_misses[(geometry, pages)]
    assert int(r["mmu.dtlb.misses.load.4k"]) == misses, (i, r["mmu.dtlb.misses.load.4k"], misses)
    assert int(r["mmu.dtlb.accesses"]) == pages * R, (i, r["mmu.dtlb.accesses"])
    assert abs(float(r["miss_rate"]) - misses / (pages * R)) < 1e-12, (i, r["miss_rate"])
    assert float(r["host.seconds"]) > 0, i
PY

# Each point's folder: the effective config, the key, the run's files, exit_status.
files=$(ls a/points/0015 | tr '\n' ' ')
[ "$files" = "config.yaml console.log exit_status key stats.json stats.txt stderr.log " ] && ok ||
  fail "point folder holds: $files"
grep -qE '^[0-9a-f]{16}$' a/points/0015/key && ok || fail "key: $(cat a/points/0015/key)"
grep -q 'sets: "8"' a/points/0015/config.yaml && grep -q "stdin: \"$work/in-9.txt\"" a/points/0015/config.yaml &&
  ok || fail "point 15's config.yaml lacks its axis values"
python3 - a/results.json <<'PY' && ok || fail "results.json"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["name"] == "tlbstride"
assert [a["name"] for a in j["axes"]] == ["geometry", "pages"]
assert j["axes"][1]["values"] == [7, 8, 9, 15, 16] and j["axes"][1]["keys"] == ["sim.stdin"]
assert j["stats"][-1] == "miss_rate" and len(j["points"]) == 20
p = j["points"][15]
assert p["axes"] == {"geometry": "dm8", "pages": 9} and p["repeat"] == 1 and p["seed"] == 2
assert p["stats"]["mmu.dtlb.misses.load.4k"] == 40007
assert j["plots"] == [{"name": "dtlb_misses", "x": "pages", "y": "mmu.dtlb.misses.load.4k", "series": "geometry"}]
PY
if [ "$plots" = 1 ]; then
  [ "$(head -c 8 a/plots/dtlb_misses.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && ok ||
    fail "dtlb_misses.png is not a PNG"
  python3 -c 'import sys, xml.etree.ElementTree as E; assert E.parse(sys.argv[1]).getroot().tag.endswith("svg")' \
    a/plots/dtlb_misses.svg && ok || fail "dtlb_misses.svg is not SVG"
fi

# --- the same sweep again: the same results but for the host's timing ---
no_host() { python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
keep = [i for i, h in enumerate(rows[0]) if not h.startswith("host.")]
for r in rows: print(",".join(r[i] for i in keep))' "$1"; }
"$sim" sweep tlb.yaml --out b -j2 >/dev/null 2>b.err
no_host a/results.csv >a.csv
no_host b/results.csv >b.csv
cmp -s a.csv b.csv && ok || { fail "second sweep differs:"; diff a.csv b.csv | head; }

# --- an existing sweep folder is continued only with --resume ---
"$sim" sweep tlb.yaml --out b -j2 >/dev/null 2>again.err
rc=$?
[ "$rc" = 2 ] && grep -q "holds an earlier sweep; --resume continues it" again.err && ok ||
  fail "rerun into b: exit $rc: $(cat again.err)"

# --- SIGINT mid-sweep (one point at a time), then --resume ---
"$sim" sweep tlb.yaml --out c -j1 >/dev/null 2>c.err &
bg=$!
for _ in $(seq 600); do
  [ "$(ls c/points/*/exit_status 2>/dev/null | wc -l)" -ge 4 ] && break
  sleep 0.02
done
kill -INT "$bg"
wait "$bg"
rc=$?
bg=
[ "$rc" = 130 ] && ok || fail "interrupted sweep: exit $rc (want 130): $(cat c.err)"
grep -q "sweep interrupted (SIGINT): .* --resume. runs the rest" c.err && ok || fail "interrupt message: $(cat c.err)"
ls c/results.* c/plots/* >/dev/null 2>&1 && fail "results or plots after SIGINT: $(ls c)" || ok
# A folder is finished (with exit_status) or holds only what the sweep wrote before running it.
done_before=0 bad_folders=
for d in c/points/*; do
  f=$(ls "$d" | tr '\n' ' ')
  case "$f" in
    "config.yaml console.log exit_status key stats.json stats.txt stderr.log ") done_before=$((done_before + 1)) ;;
    "config.yaml key ") ;;
    *) bad_folders="$bad_folders $d: $f;" ;;
  esac
done
[ -z "$bad_folders" ] && ok || fail "after SIGINT:$bad_folders"
[ "$done_before" -ge 4 ] && [ "$done_before" -lt 20 ] && ok ||
  fail "SIGINT after $done_before points: not mid-sweep"
stamps() { for f in c/points/*/exit_status; do echo "$f $(stat -c '%i %.9Y' "$f" "${f%exit_status}stats.json" | tr '\n' ' ')"; done; }
stamps >before.txt
"$sim" sweep tlb.yaml --out c -j2 --resume >/dev/null 2>resume.err
rc=$?
[ "$rc" = "$want_rc" ] && ok || { fail "resume: exit $rc"; sed 's/^/    /' resume.err; }
# No point runs twice: the finished ones keep their files untouched, and only the others ran.
grep -q "20 points ($((20 - done_before)) run, $done_before reused)" resume.err && ok ||
  fail "resume ran other than the $((20 - done_before)) unfinished points: $(grep points resume.err)"
stamps | grep -F -f before.txt | cmp -s - before.txt && ok || fail "a finished point was run again"
no_host c/results.csv >c.csv
cmp -s a.csv c.csv && ok || { fail "resumed sweep differs from the uninterrupted one:"; diff a.csv c.csv | head; }

# --- a failed point is recorded, the sweep goes on and exits 0; its stat cells stay empty ---
cat >limit.yaml <<EOF
set: {sim.elf: $fw/tlbstride.elf, sim.stdin: in-8.txt}
axes:
  - {name: limit, key: sim.max_instructions, values: [1000, 0]}
stats: [mmu.dtlb.accesses]
EOF
"$sim" sweep limit.yaml --out d -j2 >/dev/null 2>d.err
rc=$?
[ "$rc" = 0 ] && ok || fail "sweep with a failing point: exit $rc: $(cat d.err)"
[ "$(sed -n 2p d/results.csv)" = "0,1000,0,1,3," ] && [ "$(sed -n 3p d/results.csv)" = "1,0,0,1,0,$((8 * R))" ] && ok ||
  fail "failed point's row: $(cat d/results.csv)"
grep -q "failed: point 0 (exit 3)" d.err && ok || fail "summary does not list the failed point: $(cat d.err)"

# --- bad sweep files: exit 2 before anything runs, naming file:line:col ---
# bad NAME PATTERN: sweep bad.yaml exits 2 with PATTERN on stderr, nothing on stdout, no output folder.
bad() {
  "$sim" sweep bad.yaml --out bad-out >bad.out 2>bad.err
  local rc=$?
  if [ "$rc" = 2 ] && grep -qE -- "$2" bad.err && [ ! -s bad.out ] && [ ! -e bad-out ]; then ok; else
    fail "$1: exit $rc (want 2), stderr:"; sed 's/^/    /' bad.err; echo "    (wanted /$2/)"; fi
}
head="set: {sim.elf: $fw/tlbstride.elf, sim.stdin: in-8.txt}"
printf '%s\naxes:\n  - key: mmu.dtlb.ways\n    values: [4, 8]\n    lables: [a, b]\n' "$head" >bad.yaml
bad unknown-sweep-key "bad.yaml:5:5: axis: unknown key 'lables' .*did you mean 'labels'"
printf '%s\naxes:\n  - key: mmu.dtlb.wyas\n    values: [4, 8]\n' "$head" >bad.yaml
bad unknown-config-key "bad.yaml:3:10: unknown key 'mmu.dtlb.wyas' \(did you mean 'mmu.dtlb.ways'\?\)"
printf '%s\naxes:\n  - key: mmu.dtlb.ways\n    values: [4, eight]\n' "$head" >bad.yaml
bad bad-value "bad.yaml:4:17: mmu.dtlb.ways: expected a non-negative integer, got 'eight'"
printf '%s\naxes:\n  - {key: mmu.dtlb.policy, values: [lru, plru]}\n  - {key: mmu.dtlb.ways, values: [4, 6]}\n' \
  "$head" >bad.yaml
bad impossible-geometry "bad.yaml:4:38: mmu.dtlb.ways: plru .*needs a power-of-two number of ways, got 6"
printf '%s\naxes: [{key: mmu.dtlb.ways, values: [4]}]\nstats:\n  - mmu.dtlb.misses\n  - mmu.dtlb.mises.load\n' \
  "$head" >bad.yaml
bad unknown-stat "bad.yaml:5:5: stats: unknown stat 'mmu.dtlb.mises.load'"
printf '%s\nstats:\n  - "mmu.tlb.*"\n' "$head" >bad.yaml
bad glob-matches-nothing "bad.yaml:3:5: stats: 'mmu.tlb.\*' matches no stat"
printf '%s\nstats:\n  - {name: x, expr: "sim.instructions / sim.cycle"}\n' "$head" >bad.yaml
bad expr-unknown-stat "bad.yaml:3:21: expr: unknown stat 'sim.cycle' \(did you mean 'sim.cycles'\?\)"
printf 'set: {sim.elf: %s/tlbstride.elf, sim.stdin: missing.txt}\n' "$fw" >bad.yaml
bad missing-input "bad.yaml:1:[0-9]+: sim.stdin: missing.txt: cannot open"

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
