#!/usr/bin/env bash
# sv39sim driver: installs what is missing (Debian bookworm packages), builds everything, then runs.
#   ./sv39sim.sh run [sv39sim run arguments...]   set up, build, run the default simulation
#   ./sv39sim.sh test [ctest arguments...]        set up, build, run every test
#   ./sv39sim.sh setup | build                    only those steps
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=${SV39SIM_BUILD_DIR:-$here/build}

# What the build and the tests need. Keep in step with docs/user-guide.md.
packages=(
  build-essential cmake ninja-build pkg-config
  libsystemc-dev libyaml-cpp-dev libgtest-dev
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  qemu-system-misc python3
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
    cd "$build_dir"
    exec ctest -j "$(nproc)" --output-on-failure "$@"
    ;;
  *) echo "usage: $0 run [sv39sim run args...] | test [ctest args...] | setup | build" >&2; exit 2 ;;
esac
