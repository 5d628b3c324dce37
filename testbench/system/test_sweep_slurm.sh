#!/usr/bin/env bash
# `sv39sim sweep --backend slurm` against a real single-node Slurm cluster (slurm_cluster.sh: Debian's
# slurm-wlm and munge, started here as root on 127.0.0.1 and stopped by pid at the end): the same sweep
# through Slurm and through the local backend gives the same results.csv; --resume across submissions
# sends only the points not done; Ctrl-C cancels the job array and leaves nothing that looks finished;
# sbatch rejecting the job, or missing, is a clear error (exit 2) with nothing run.
# Skipped (77) without slurm-wlm/munge or root.
# usage: test_sweep_slurm.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
sim=$(realpath "$1") fw=$(realpath "$2")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=slurm_cluster.sh
source "$here/slurm_cluster.sh"
work=$(mktemp -d)
cluster=$work/cluster
cleanup() {
  slurm_cluster_stop "$cluster"
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL $*"
  exit 1
}
# Runs a sweep of the small sweep file, its messages in LOG; shows them if it fails.
sweep_ok() {
  local log=$1
  shift
  timeout 120 "$sim" sweep "$work/small.yaml" "$@" >"$log" 2>&1
  local rc=$?
  [ $rc -eq 0 ] || { cat "$log"; fail "sweep $*: exit $rc"; }
}

slurm_cluster_start "$cluster"
rc=$?
[ $rc -eq 77 ] && { echo "SKIP: no Slurm cluster can be started here"; exit 77; }
[ $rc -eq 0 ] || fail "the test cluster did not start"

# test_sweep.sh's sweep, less its plot.
cd "$work" || exit 1
. "$here/tlbstride_sweep.sh"
write_tlbstride_sweep "$work/small.yaml" "$fw"
points=20

# results.csv without host-timing columns (host.*), for comparison.
stable_csv() {
  python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
keep = [i for i, name in enumerate(rows[0]) if not name.startswith("host.")]
for r in rows:
    print(",".join(r[i] for i in keep))
PY
}
# Each of our sweeps' jobs must be gone from the queue when its sweep returns.
queue_empty() { [ -z "$(squeue --noheader --format=%i)" ]; }

sweep_ok "$work/local.log" --out "$work/local" -j2
[ "$(($(wc -l <"$work/local/results.csv") - 1))" -eq $points ] || fail "local results.csv has not $points rows"

# 1. Through Slurm: the same results. A quote and a space in the output folder's path: they travel through
# the array's list file and sbatch's options.
out="$work/it's slurm"
sweep_ok "$work/slurm.log" --out "$out" --backend slurm --max-running 2 --time 5 --mem-per-task 100M
grep -q "submitted Slurm job array" "$work/slurm.log" || { cat "$work/slurm.log"; fail "no job array submitted"; }
diff <(stable_csv "$work/local/results.csv") <(stable_csv "$out/results.csv") ||
  fail "results.csv through Slurm differs from the local backend's"
queue_empty || fail "jobs left in the queue after the sweep"
[ "$(wc -l <"$out/slurm/array-1.list")" -eq $points ] || fail "array-1.list has not one line per point"
# What Slurm made of the options: one array task per point, each completed, at most 2 at once, 5 minutes
# and 100 MB each.
scontrol --oneliner show job "$(cat "$out/slurm/array-1.job")" >"$work/job.txt" || fail "scontrol show job"
[ "$(grep -c 'JobState=COMPLETED' "$work/job.txt")" -eq $points ] || { cat "$work/job.txt"; fail "not $points tasks completed"; }
for want in ArrayTaskThrottle=2 TimeLimit=00:05:00 MinMemoryNode=100M; do
  [ "$(grep -c " $want " "$work/job.txt")" -eq $points ] || { cat "$work/job.txt"; fail "a task lacks $want"; }
done

# 2. --resume across submissions: only the points without an exit status go out again, as a second array.
for p in 0001 0006 0011; do rm "$out/points/$p/exit_status"; done
before=$(stat -c %y "$out/points/0000/stats.json")
sweep_ok "$work/resume.log" --out "$out" --backend slurm --resume
grep -q "(3 points" "$work/resume.log" || { cat "$work/resume.log"; fail "--resume did not submit exactly 3 points"; }
# The list's lines are shell words, the point folder first.
resubmitted=$(while read -r line; do
  eval "set -- $line"
  basename "$1"
done <"$out/slurm/array-2.list" | tr '\n' ' ')
[ "$resubmitted" = "0001 0006 0011 " ] || fail "the resumed array holds points $resubmitted"
[ "$(stat -c %y "$out/points/0000/stats.json")" = "$before" ] || fail "point 0000 ran again on --resume"
diff <(stable_csv "$work/local/results.csv") <(stable_csv "$out/results.csv") ||
  fail "results.csv after --resume differs"

# 3. Ctrl-C while the array runs: cancelled, exit 130, no results, every point finished or untouched;
# then --resume completes it with the same results.
timeout 120 "$sim" sweep "$work/small.yaml" --out "$work/cut" --backend slurm --max-running 1 >"$work/cut.log" 2>&1 &
pid=$!
for ((i = 0; i < 300; i++)); do
  compgen -G "$work/cut/points/*/console.log" >/dev/null && break
  sleep 0.1
done
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || { cat "$work/cut.log"; fail "interrupted slurm sweep: exit $rc, expected 130"; }
grep -q "cancelled Slurm job array" "$work/cut.log" || { cat "$work/cut.log"; fail "the array was not cancelled"; }
queue_empty || fail "tasks left in the queue after Ctrl-C"
[ ! -e "$work/cut/results.csv" ] || fail "results.csv written by an interrupted sweep"
done_points=0
for d in "$work"/cut/points/*; do
  if [ -e "$d/exit_status" ]; then
    done_points=$((done_points + 1))
  else
    left=$(ls "$d" | grep -v -x -e config.yaml -e key)
    [ -z "$left" ] || fail "unfinished point $d keeps: $left"
  fi
done
[ $done_points -lt $points ] || fail "Ctrl-C came too late: every point had finished"
sweep_ok "$work/cut-resume.log" --out "$work/cut" --backend slurm --resume
diff <(stable_csv "$work/local/results.csv") <(stable_csv "$work/cut/results.csv") ||
  fail "results.csv after Ctrl-C and --resume differs"

# 4. sbatch rejects the job (no such partition), or is not there: exit 2, a clear message, nothing run.
timeout 60 "$sim" sweep "$work/small.yaml" --out "$work/bad" --backend slurm --partition nosuch >"$work/bad.log" 2>&1
rc=$?
[ $rc -eq 2 ] || { cat "$work/bad.log"; fail "bad partition: exit $rc, expected 2"; }
grep -q "sbatch rejected the job array" "$work/bad.log" && grep -q -i "partition" "$work/bad.log" ||
  { cat "$work/bad.log"; fail "bad partition: no clear message"; }
! compgen -G "$work/bad/points/*/console.log" >/dev/null || fail "a point ran although sbatch refused"
mkdir "$work/empty-path"
timeout 60 env PATH="$work/empty-path" "$sim" sweep "$work/small.yaml" --out "$work/nosbatch" --backend slurm \
  >"$work/nosbatch.log" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "sbatch not found" "$work/nosbatch.log" ||
  { cat "$work/nosbatch.log"; fail "no sbatch: exit $rc, expected 2 with 'sbatch not found'"; }

echo "PASS: Slurm backend = local backend over $points points; --resume across submissions; Ctrl-C; errors"
