#!/usr/bin/env bash
# Runs one firmware self-test ELF on QEMU's virt machine, for CTest.
#
# usage: run_on_qemu.sh ELF SOURCE_FILE
#
# Annotations in the first 20 lines of SOURCE_FILE, each on a comment line starting with '#', '//',
# '/*', '*' or ';':
#   qemu-args: ARGS...   extra QEMU arguments (split at whitespace, no quoting; lines accumulate)
#   qemu: skip           do not run on QEMU: exit 77, which CTest reports as skipped (SKIP_RETURN_CODE)
# Exit 0 iff QEMU exited 0 (the firmware wrote "pass" to the test finisher), 1 on failure or timeout,
# 2 on bad usage, 77 when skipped. The guest console goes to stdout.
# Environment: QEMU (default qemu-system-riscv64), QEMU_TIMEOUT (s, default 60).
set -euo pipefail

prog=$(basename "$0")
die() {
  echo "$prog: error: $*" >&2
  exit 2
}

[[ $# -eq 2 ]] || {
  echo "usage: $prog ELF SOURCE_FILE" >&2
  exit 2
}
elf=$1
src=$2
qemu=${QEMU:-qemu-system-riscv64}
qemu_timeout=${QEMU_TIMEOUT:-60}

[[ -f $elf && -r $elf ]] || die "ELF '$elf' not found or not readable"
[[ -f $src && -r $src ]] || die "source file '$src' not found or not readable"
command -v "$qemu" >/dev/null || die "'$qemu' not found (install qemu-system-misc or set QEMU=...)"

src_name=$(basename "$src")
comment='^[[:space:]]*(#|//|/\*|\*|;)[[:space:]]*'
extra=()
lineno=0
while IFS= read -r line || [[ -n $line ]]; do
  lineno=$((lineno + 1))
  ((lineno <= 20)) || break
  line=${line%$'\r'}
  if [[ $line =~ ${comment}qemu:[[:space:]]*skip([[:space:]]|\*/|$) ]]; then
    echo "SKIP: $src_name is marked 'qemu: skip' (line $lineno)"
    exit 77
  fi
  if [[ $line =~ ${comment}qemu-args:(.*)$ ]]; then
    args=${BASH_REMATCH[2]}
    args=${args%%\*/*} # drop a closing C comment
    # @FIRMWARE_DIR@ names the firmware build directory (files such as test disk images live there).
    if [[ $args == *@FIRMWARE_DIR@* ]]; then
      [[ -n ${FIRMWARE_DIR:-} ]] || die "$src_name needs FIRMWARE_DIR in the environment"
      args=${args//@FIRMWARE_DIR@/$FIRMWARE_DIR}
    fi
    read -r -a words <<<"$args"
    extra+=("${words[@]}")
  fi
done <"$src"

echo "run_on_qemu: $(basename "$elf")${extra[*]:+ (extra args: ${extra[*]})}" >&2
set +e
# -icount ties QEMU's clock to executed instructions, so timer tests do not depend on host load.
timeout --kill-after=10 "$qemu_timeout" "$qemu" -machine virt -cpu rv64,f=false,d=false -bios none \
  -icount shift=0,sleep=off -display none -serial stdio -monitor none -kernel "$elf" "${extra[@]}" </dev/null
rc=$?
set -e

case $rc in
  0) exit 0 ;;
  124) echo "FAIL: $(basename "$elf"): QEMU timed out after $qemu_timeout s" ;;
  *) echo "FAIL: $(basename "$elf"): QEMU exited with code $rc" ;;
esac
exit 1
