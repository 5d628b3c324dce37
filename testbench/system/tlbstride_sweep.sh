# Sourced by test_sweep.sh and test_sweep_slurm.sh: the small sweep both run, on the strided D-TLB probe
# (tlbstride.elf, see test_tlb_analytic.sh) whose misses test_sweep.sh checks against hand-worked counts.
# An 8-entry D-TLB, fully associative or direct-mapped, over N = 7, 8, 9, 15, 16 pages, R = 20000 rounds,
# twice each (repeats: seeds 1 and 2; LRU ignores them) = 20 points of a fraction of a second each; its
# host.* columns differ from run to run.
# write_tlbstride_sweep FILE FIRMWARE_DIR [PLOT]: writes FILE and its stdin files beside it (in-N.txt);
# with PLOT=plot, a plot of the misses per geometry.
R=20000
write_tlbstride_sweep() {
  local file=$1 fw=$2 plot=${3:-}
  local n
  for n in 7 8 9 15 16; do printf '%s %s\n' "$n" "$R" >"$(dirname "$file")/in-$n.txt"; done
  cat >"$file" <<EOF
name: tlbstride
set:
  sim.elf: $fw/tlbstride.elf
  mmu.l2tlb.enabled: false
  mmu.dtlb.policy: lru
axes:
  - name: geometry
    zip:
      mmu.dtlb.sets: [1, 8]
      mmu.dtlb.ways: [8, 1]
    labels: [fa8, dm8]
  - name: pages
    key: sim.stdin
    values: [in-7.txt, in-8.txt, in-9.txt, in-15.txt, in-16.txt]
    labels: [7, 8, 9, 15, 16]
repeats: 2
stats:
  - mmu.dtlb.misses.load.4k
  - mmu.dtlb.accesses
  - "host.*"
  - {name: miss_rate, expr: "mmu.dtlb.misses.load.4k / mmu.dtlb.accesses"}
EOF
  if [ "$plot" = plot ]; then
    cat >>"$file" <<EOF
plots:
  - {name: dtlb_misses, x: pages, y: mmu.dtlb.misses.load.4k, series: geometry}
EOF
  fi
}
