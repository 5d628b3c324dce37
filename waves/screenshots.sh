#!/usr/bin/env bash
# Screenshots of the GTKWave layouts on a real run, for the documentation (docs/images/waves-*.png).
#   waves/screenshots.sh [SV39SIM [FIRMWARE_DIR [OUT_DIR]]]
# defaults: build/sv39sim, build/firmware, docs/images. Runs the pager kernel with waves on (a few seconds),
# focuses each layout on its moment (waves/focus.py), shows it in GTKWave on a private X server (Xvfb)
# and grabs the window once it has stopped changing. Needs Debian's gtkwave, xvfb, x11-apps (xwd) and
# netpbm. Everything it starts runs in a temporary folder and is stopped by pid at the end.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sim=$(realpath -m "${1:-$here/../build/sv39sim}")
fw=$(realpath -m "${2:-$here/../build/firmware}")
out=$(realpath -m "${3:-$here/../docs/images}")
# Each picture: its file, the layout, and which moment (focus.py options): a full three-level walk, and
# the first major fault.
shots=("waves-walk.png walk --min-reads 3" "waves-major-fault.png fault")

for tool in gtkwave Xvfb xwd xwdtopnm pnmcut pnmtopng ppmhist; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing (apt-get install gtkwave xvfb x11-apps netpbm)" >&2; exit 2; }
done

work=$(mktemp -d)
xvfb_pid="" viewer_pid=""
cleanup() {
  [ -z "$viewer_pid" ] || kill -- "-$viewer_pid" 2>/dev/null || true
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# One process of the pager kernel, recorded from its creation for 2 ms (a few MB; the whole boot would be
# 100 MB): loading it takes file reads (major faults), and running it, page walks.
timeout 60 "$sim" run --set sim.elf="$fw/kernel.elf" --set disk.image="$fw/disk.img" --set sim.max_time=1s \
  --set workload.run=hello --set trace.waves.enabled=true --set trace.waves.trigger.marker=process_create \
  --set trace.waves.trigger.duration=2ms --out "$work/run" --quiet >"$work/run.log" 2>&1 ||
  { echo "screenshots.sh: the run failed:" >&2; tail "$work/run.log" >&2; exit 1; }

# A private X server on a display it picks itself (-displayfd), as large as the largest layout window.
Xvfb -displayfd 3 -screen 0 1600x1200x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || { echo "screenshots.sh: Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
DISPLAY=:$(cat "$work/display")
export DISPLAY

mkdir -p "$out"
for shot in "${shots[@]}"; do
  read -r png layout options <<<"$shot"
  gtkw="$work/$layout.gtkw"
  # shellcheck disable=SC2086 # options are words
  python3 "$here/focus.py" --sim "$sim" --pos 0 0 --out "$gtkw" $options "$work/run/waves.fst" "$layout" \
    2>"$work/focus.log" >/dev/null || { cat "$work/focus.log" >&2; exit 1; }
  read -r width height < <(sed -n 's/^\[size\] //p' "$gtkw")
  # In a process group of its own: GTKWave forks helpers, stopped with it. From the run's folder, so that
  # the title shows waves.fst and not a temporary path.
  (cd "$work/run" && exec setsid gtkwave --rcvar 'splash_disable on' waves.fst "$gtkw") >"$work/$layout.log" 2>&1 &
  viewer_pid=$!
  # Done when two grabs half a second apart are the same picture, and it is not one colour (still blank).
  rm -f "$work/prev.pnm"
  for _ in $(seq 60); do
    sleep 0.5
    # A grab can fail while GTKWave maps or resizes its window (X BadMatch in GetImage): try again.
    if ! xwd -root -silent 2>/dev/null | xwdtopnm 2>/dev/null |
      pnmcut -left 0 -top 0 -width "$width" -height "$height" >"$work/now.pnm" 2>/dev/null; then
      rm -f "$work/now.pnm" "$work/prev.pnm"
      continue
    fi
    if [ -e "$work/prev.pnm" ] && cmp -s "$work/now.pnm" "$work/prev.pnm" &&
      [ "$(ppmhist -noheader "$work/now.pnm" | wc -l)" -gt 1 ]; then
      pnmtopng "$work/now.pnm" >"$out/$png"
      break
    fi
    mv "$work/now.pnm" "$work/prev.pnm"
  done
  kill -- "-$viewer_pid" 2>/dev/null || true
  wait "$viewer_pid" 2>/dev/null || true
  viewer_pid=""
  if ! [ -s "$out/$png" ] || ! [ "$out/$png" -nt "$work/run/waves.fst" ]; then
    echo "screenshots.sh: GTKWave did not settle on $layout:" >&2
    cat "$work/$layout.log" >&2
    exit 1
  fi
  echo "$out/$png (${width}x$height): $layout $options"
done
