#!/usr/bin/env bash
# Runs one firmware ELF on QEMU's virt machine and on sv39sim and compares the guest console output.
#
# usage: compare_with_qemu.sh [--disk IMG] [--input FILE --input-after TEXT] [--sim-set KEY=VALUE]...
#                             SV39SIM ELF [QEMU_EXTRA_ARGS...]
#
# --sim-set KEY=VALUE  passed to sv39sim as --set KEY=VALUE (e.g. sim.max_instructions, so that a guest
#                   that never finishes fails in seconds rather than at the timeout).
# --disk IMG        IMG is the virtio-blk disk on both (QEMU: a snapshot drive on virtio-mmio bus 0, modern
#                   interface; sv39sim: disk.image). Neither run changes IMG.
# --input FILE      FILE is the console input on both. sv39sim reads it with --stdin, which delivers the
# --input-after TEXT  first bytes after uart.rx_poll of simulated time. QEMU reads its stdin as soon as it
#                   starts, and a 16550 clears its receive FIFO when the FIFOs are enabled, so QEMU gets
#                   FILE only once its console output has a line containing TEXT (printed after the guest
#                   set up its UART); until then its stdin is open and empty.
# Passes (exit 0) when both runs exit 0 and their console outputs are identical (carriage returns
# stripped). Otherwise prints the diff (QEMU is "expected", sv39sim is "actual"), both exit codes and the
# end of both stderr logs, and exits 1. Exit 2 on bad usage.
#
# sv39sim prints only the guest console on stdout; its own messages go to stderr.
# Environment: QEMU (default qemu-system-riscv64), QEMU_TIMEOUT (s, default 300), SIM_TIMEOUT (s,
# default 600), COMPARE_KEEP=1 keeps the work directory (sv39sim's --out folder, raw outputs).
set -euo pipefail

prog=$(basename "$0")
die() {
  echo "$prog: error: $*" >&2
  exit 2
}

usage() {
  echo "usage: $prog [--disk IMG] [--input FILE --input-after TEXT] [--sim-set KEY=VALUE]... SV39SIM ELF" \
    "[QEMU_EXTRA_ARGS...]" >&2
  exit 2
}
disk=
input=
input_after=
sim_sets=()
while [[ $# -gt 0 && $1 == --* ]]; do
  [[ $# -ge 2 ]] || usage
  case $1 in
    --disk) disk=$2 ;;
    --input) input=$2 ;;
    --input-after) input_after=$2 ;;
    --sim-set) sim_sets+=(--set "$2") ;;
    *) usage ;;
  esac
  shift 2
done
[[ $# -ge 2 ]] || usage
if [[ (-n $input && -z $input_after) || (-z $input && -n $input_after) ]]; then
  die "--input and --input-after go together"
fi
sim=$1
elf=$2
shift 2
qemu_extra=("$@")

qemu=${QEMU:-qemu-system-riscv64}
qemu_timeout=${QEMU_TIMEOUT:-300}
sim_timeout=${SIM_TIMEOUT:-600}

[[ -f $elf && -r $elf ]] || die "ELF '$elf' not found or not readable"
[[ -z $disk || (-f $disk && -r $disk) ]] || die "disk image '$disk' not found or not readable"
[[ -z $input || (-f $input && -r $input) ]] || die "input file '$input' not found or not readable"
if [[ $sim == */* ]]; then
  [[ -x $sim && ! -d $sim ]] || die "sv39sim binary '$sim' not found or not executable"
else
  command -v "$sim" >/dev/null || die "sv39sim binary '$sim' not found in PATH"
fi
command -v "$qemu" >/dev/null || die "'$qemu' not found (install qemu-system-misc or set QEMU=...)"

work=$(mktemp -d "${TMPDIR:-/tmp}/compare_with_qemu.XXXXXX")
if [[ ${COMPARE_KEEP:-0} == 1 ]]; then
  echo "$prog: keeping work directory $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi

describe_rc() { # exit code, timeout in s
  case $1 in
    0) echo "0" ;;
    124) echo "124 (timed out after $2 s)" ;;
    *) if (($1 > 128)); then echo "$1 (killed by signal $(($1 - 128)))"; else echo "$1"; fi ;;
  esac
}

qemu_args=(-machine virt -cpu rv64,f=false,d=false -bios none -display none -serial stdio -monitor none
  -kernel "$elf")
sim_args=(run --elf "$elf" --out "$work/sim-out" "${sim_sets[@]}")
if [[ -n $disk ]]; then
  qemu_args+=(-global virtio-mmio.force-legacy=false -drive "file=$disk,if=none,format=raw,id=hd0,snapshot=on"
    -device virtio-blk-device,drive=hd0,bus=virtio-mmio-bus.0)
  sim_args+=(--set "disk.image=$disk")
fi
sim_stdin=/dev/null
if [[ -n $input ]]; then
  sim_args+=(--stdin "$input")
  sim_stdin=$input
fi

# QEMU: UART on stdout, no monitor, no display, stdin closed (or fed as --input says). The test finisher
# ends the run with the firmware's exit code. rv64 without F/D: the firmware is rv64imac, and so is
# sv39sim's hart.
run_qemu() {
  timeout --kill-after=10 "$qemu_timeout" "$qemu" "${qemu_args[@]}" "${qemu_extra[@]}" >"$work/qemu.raw" \
    2>"$work/qemu.stderr"
}
set +e
if [[ -z $input ]]; then
  run_qemu </dev/null
  qemu_rc=$?
else
  mkfifo "$work/qemu.stdin"
  : >"$work/qemu.raw"
  run_qemu <"$work/qemu.stdin" &
  qemu_pid=$!
  exec {feed}>"$work/qemu.stdin"
  while kill -0 "$qemu_pid" 2>/dev/null && ! grep -qF -- "$input_after" "$work/qemu.raw"; do
    sleep 0.05
  done
  # A QEMU that ended meanwhile closed the pipe: the write fails, and its exit code tells why.
  cat "$input" >&"$feed" 2>/dev/null
  exec {feed}>&-
  wait "$qemu_pid"
  qemu_rc=$?
fi
timeout --kill-after=10 "$sim_timeout" "$sim" "${sim_args[@]}" <"$sim_stdin" >"$work/sim.raw" 2>"$work/sim.stderr"
sim_rc=$?
set -e

tr -d '\r' <"$work/qemu.raw" >"$work/qemu.txt"
tr -d '\r' <"$work/sim.raw" >"$work/sim.txt"

same=1
diff -u --label "qemu (expected)" --label "sv39sim (actual)" "$work/qemu.txt" "$work/sim.txt" \
  >"$work/console.diff" || same=0

if [[ $same == 1 && $qemu_rc == 0 && $sim_rc == 0 ]]; then
  echo "PASS: $(basename "$elf"): console output identical ($(wc -l <"$work/sim.txt") lines), both exited 0"
  exit 0
fi

echo "FAIL: $(basename "$elf")"
echo "  qemu exit code:    $(describe_rc "$qemu_rc" "$qemu_timeout")"
echo "  sv39sim exit code: $(describe_rc "$sim_rc" "$sim_timeout")"
if [[ $same == 1 ]]; then
  echo "  console output identical ($(wc -l <"$work/sim.txt") lines)"
else
  echo "  console output differs:"
  cat "$work/console.diff"
fi
for side in qemu sim; do
  if [[ -s $work/$side.stderr ]]; then
    echo "  --- last lines of $side stderr ---"
    tail -n 20 "$work/$side.stderr"
  fi
done
exit 1
