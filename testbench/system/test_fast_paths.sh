#!/usr/bin/env bash
# sim.fast_paths equivalence: every run of a corpus (the self-tests, the compute runs, the pager mix and each
# workload, the fuzzer's random and paging streams, and some of them under other memory-system settings) gives
# a stats.json equal field for field (host.* aside), and the same console, with the fast paths on and off.
# usage: test_fast_paths.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
# SV39SIM_FAST_PATHS_CORPUS=small (set for the sanitizer build) runs a smaller corpus. The work is done by
# fast_paths_equiv.py next to this file; run it with --list, or --only REGEX, to see or rerun cases.
set -uo pipefail
sim=$1 fw=$2 src=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
corpus=${SV39SIM_FAST_PATHS_CORPUS:-full}
if ! ls "$fw"/selftest-*.elf >/dev/null 2>&1 || [ ! -f "$fw/kernel.elf" ] || [ ! -f "$fw/disk.img" ]; then
  echo "SKIP: no firmware in $fw (build the firmware target)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$here/fast_paths_equiv.py" "$sim" "$fw" "$src" "$work" --corpus "$corpus" --jobs 2
