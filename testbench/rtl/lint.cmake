# rtl.lint: `verilator --lint-only -Wall --assert` on every block of hw/ for several parameter sets each;
# any warning fails. The only waiver is hw/lint.vlt (the package's unused constants and helper arguments).
#   cmake -DVERILATOR=verilator -DHW_DIR=hw -P testbench/rtl/lint.cmake
set(pkg ${HW_DIR}/lint.vlt ${HW_DIR}/common/sv39_pkg.sv ${HW_DIR}/common/sv39_repl.sv)
set(tlb ${pkg} ${HW_DIR}/tlb/sv39_tlb.sv)
set(walker ${pkg} ${HW_DIR}/walker/sv39_pwc.sv ${HW_DIR}/walker/sv39_ptw.sv)
set(top ${pkg} ${HW_DIR}/tlb/sv39_tlb.sv ${HW_DIR}/walker/sv39_pwc.sv ${HW_DIR}/walker/sv39_ptw.sv
        ${HW_DIR}/top/sv39_mmu.sv)
# files|top and parameters
set(cases
    "pkg|sv39_repl"
    "pkg|sv39_repl -GSets=64 -GWays=8 -GPolicy=1"
    "pkg|sv39_repl -GSets=1 -GWays=3 -GPolicy=2"
    "pkg|sv39_repl -GSets=2 -GWays=1 -GPolicy=1"
    "tlb|sv39_tlb"
    "tlb|sv39_tlb -GSuperpages=1"
    "tlb|sv39_tlb -GSuperpages=2 -GSpEntries=0"
    "tlb|sv39_tlb -GSets=1 -GWays=8 -GPolicy=1 -GSuperpages=1 -GSpEntries=4"
    "tlb|sv39_tlb -GSets=4 -GWays=3 -GPolicy=2 -GSuperpages=1 -GSpEntries=3"
    "tlb|sv39_tlb -GSets=1 -GWays=1 -GSuperpages=1 -GSpEntries=1"
    "tlb|sv39_tlb -GSets=64 -GWays=1 -GPolicy=1 -GSuperpages=2 -GAsidBits=0"
    "tlb|sv39_tlb -GAsidBits=9"
    "tlb|sv39_tlb -GSets=256 -GWays=2 -GPolicy=1 -GSuperpages=1 -GSpEntries=16"
    "walker|sv39_ptw"
    "walker|sv39_ptw -GPwcEn=1'b0"
    "walker|sv39_ptw -GPwcPerLevel=1'b1 -GPwcSets=4 -GPwcWays=2 -GPwcPolicy=1"
    "walker|sv39_ptw -GPwcSets=1 -GPwcWays=8 -GPwcPolicy=2 -GPwcFlushOnVaFence=1'b1"
    "walker|sv39_ptw -GPwcSets=16 -GPwcWays=3 -GPwcPerLevel=1'b1"
    "walker|sv39_ptw -GPwcSets=2 -GPwcWays=1"
    "top|sv39_mmu"
    "top|sv39_mmu -GL2En=1'b0 -GPwcEn=1'b0 -GAsidBits=7"
    "top|sv39_mmu -GItlbSets=1 -GItlbWays=8 -GItlbPolicy=1 -GDtlbSuperpages=1 -GDtlbSpEntries=4 -GL2Superpages=2 -GPwcPerLevel=1'b1")
set(failed 0)
foreach(c ${cases})
  string(REPLACE "|" ";" parts "${c}")
  list(GET parts 0 group)
  list(GET parts 1 rest)
  string(REPLACE " " ";" args "${rest}")  # not a shell: 1'b1 stays one word
  list(POP_FRONT args module)
  execute_process(COMMAND ${VERILATOR} --lint-only -Wall --assert ${${group}} --top-module ${module} ${args}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc OR out MATCHES "%(Warning|Error)")
    message("FAIL ${rest}:\n${out}")
    set(failed 1)
  else()
    message("ok   ${rest}")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "lint found problems")
endif()
