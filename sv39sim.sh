#!/usr/bin/env bash
# sv39sim driver: installs what is missing (Debian bookworm packages), builds everything, then runs.
#   ./sv39sim.sh run [sv39sim run arguments...]   set up, build, run the default simulation
#   ./sv39sim.sh test [ctest arguments...]        set up, build, run every test; then build with
#                                                 AddressSanitizer + UBSan and run them again there
#   ./sv39sim.sh waves OUT_DIR [walk|fault|switch] [N]
#                                                 open OUT_DIR/waves.fst in GTKWave, in the layout
#                                                 waves/LAYOUT.gtkw, on the Nth (default 1st) page walk,
#                                                 major fault or context switch (default: walk)
#   ./sv39sim.sh setup | build                    only those steps
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=${SV39SIM_BUILD_DIR:-$here/build}
# The sanitizer build (host code with -fsanitize=address,undefined); SV39SIM_SANITIZERS=0 skips it in `test`.
asan_build_dir=${SV39SIM_ASAN_BUILD_DIR:-$build_dir-asan}

# What the build and the tests need. Keep in step with docs/user-guide.md.
packages=(
  build-essential cmake ninja-build pkg-config
  libsystemc-dev libyaml-cpp-dev libgtest-dev
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  qemu-system-misc python3
  verilator gtkwave zlib1g-dev xvfb x11-apps netpbm
  libcli11-dev nlohmann-json3-dev python3-matplotlib slurm-wlm munge
  valgrind time
  libfdt-dev
)

setup() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "sv39sim.sh: missing Debian packages: ${missing[*]}" >&2
    echo "sv39sim.sh: run this script as root, or install them with:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
  echo "sv39sim.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build_dir" -j "$(nproc)"
}

build_asan() {
  # The RTL blocks' own tests (rtl.tlb.*, rtl.walker.*: some 25 Verilated models) run in the plain build;
  # the RTL models the cross-check builds at run time are shared with it (one cache).
  cmake -S "$here" -B "$asan_build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSV39SIM_SANITIZE=ON \
    -DSV39SIM_RTL_BLOCK_TESTS=OFF -DSV39SIM_RTL_CACHE_DIR="$build_dir/rtl-cache" >/dev/null
  cmake --build "$asan_build_dir" -j "$(nproc)"
}

# Every test in both builds. Under the sanitizers the QEMU-only self-tests (no sv39sim in them), the
# full-recording wave tests (label heavy: over five minutes each under ASan) and the RTL blocks' own tests
# (see build_asan) are left out.
run_tests() {
  local status=0
  (cd "$build_dir" && ctest -j "$(nproc)" --output-on-failure "$@") || status=1
  if [ "${SV39SIM_SANITIZERS:-1}" != 0 ]; then
    build_asan
    echo "sv39sim.sh: the same tests under AddressSanitizer + UndefinedBehaviorSanitizer ($asan_build_dir)"
    (cd "$asan_build_dir" && ctest -j "$(nproc)" --output-on-failure -E '^qemu[.]selftest[.]' -LE heavy "$@") || status=1
  fi
  return $status
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case $cmd in
  setup) setup ;;
  build) setup; build ;;
  run)
    setup; build
    if [ $# -eq 0 ]; then set -- "$here/configs/default.yaml" --out "$here/out/default"; fi
    exec "$build_dir/sv39sim" run "$@"
    ;;
  test)
    setup; build
    run_tests "$@"
    ;;
  waves)
    [ $# -ge 1 ] || { echo "usage: $0 waves OUT_DIR [walk|fault|switch] [N]" >&2; exit 2; }
    setup; build
    # A copy of the layout focused on that moment (OUT_DIR/LAYOUT.gtkw; GTKWave can reopen it alone).
    gtkw=$(python3 "$here/waves/focus.py" --sim "$build_dir/sv39sim" --nth "${3:-1}" "$1/waves.fst" "${2:-walk}")
    exec gtkwave "$1/waves.fst" "$gtkw"
    ;;
  *)
    echo "usage: $0 run [sv39sim run args...] | test [ctest args...] | waves OUT_DIR [walk|fault|switch] [N]" \
      "| setup | build" >&2
    exit 2
    ;;
esac
