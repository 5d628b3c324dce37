#!/usr/bin/env bash
# Run the pager kernel on QEMU with a copy of a disk image whose boot arguments are replaced.
#   run-qemu.sh KERNEL.elf DISK.img [KEY=VALUE...]     e.g. run-qemu.sh kernel.elf disk.img \
#       "run=seqscan pages=64 rounds=2; hello" frames=32
# With no KEY=VALUE the image's own arguments are used (the image is still copied: QEMU may write
# swap blocks). Console output goes to stdout; the exit status is QEMU's (the kernel's finisher code),
# or 124 (137 if QEMU ignored SIGTERM) after QEMU_TIMEOUT seconds [60].
set -euo pipefail
if [ $# -lt 2 ]; then
  sed -n '2,8p' "$0" >&2
  exit 2
fi
kernel=$1 disk=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ $# -gt 0 ]; then
  python3 "$here/mkdisk.py" set-args --from "$disk" "$tmp/disk.img" "$@"
else
  cp "$disk" "$tmp/disk.img"
fi
timeout --kill-after=2 "${QEMU_TIMEOUT:-60}" qemu-system-riscv64 -machine virt -bios none -nographic \
  -cpu rv64,f=false,d=false,h=false,sstc=false,svpbmt=false,svnapot=false -icount shift=0,sleep=off \
  -global virtio-mmio.force-legacy=false -drive file="$tmp/disk.img",if=none,format=raw,id=hd0 \
  -device virtio-blk-device,drive=hd0 -kernel "$kernel" </dev/null
