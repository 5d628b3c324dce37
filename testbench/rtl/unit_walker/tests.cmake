# The page-table walker (hw/walker/) against the model's PageTableWalker: one Verilated build and one CTest
# per configuration. Included from testbench/rtl/CMakeLists.txt, which has found
# Verilator (find_package(verilator)); links the models library of the main build.
#
#   rtl.walker.<cfg>   100 000 random walks with fences in between, zero mismatches (test_walker.cpp)
#
# -DSV39_RTL_WALKER_MUTANTS=ON adds rtl.walker.mutant.<name>: the walker built with one deliberate bug
# (an SV39_MUT_* define in hw/walker/), which the test must report as a mismatch.

get_filename_component(SV39_WALKER_ROOT ${CMAKE_CURRENT_LIST_DIR}/../../.. ABSOLUTE)
set(SV39_WALKER_TB ${CMAKE_CURRENT_LIST_DIR})
set(SV39_WALKER_RTL
    ${SV39_WALKER_ROOT}/hw/lint.vlt
    ${SV39_WALKER_ROOT}/hw/common/sv39_pkg.sv
    ${SV39_WALKER_ROOT}/hw/common/sv39_repl.sv
    ${SV39_WALKER_ROOT}/hw/walker/sv39_pwc.sv
    ${SV39_WALKER_ROOT}/hw/walker/sv39_ptw.sv)
option(SV39_RTL_WALKER_MUTANTS "Build and test the walker's mutants (SV39_MUT_* defines)" OFF)

if(NOT COMMAND verilate)
  find_package(verilator REQUIRED HINTS /usr/share/verilator)
endif()

# One configuration: PWC on/off, per-level arrays, sets, ways, policy (0 lru, 1 plru, 2 fifo), flush on a
# VA fence. Extra arguments are Verilator arguments (a mutant's +define+).
function(sv39_walker_build target name pwc per_level sets ways policy flush_va)
  add_executable(${target} ${SV39_WALKER_TB}/test_walker.cpp)
  target_compile_definitions(${target} PRIVATE PTW_CFG_NAME="${name}" PTW_PWC_EN=${pwc}
                             PTW_PER_LEVEL=${per_level} PTW_SETS=${sets} PTW_WAYS=${ways}
                             PTW_POLICY=${policy} PTW_FLUSH_VA=${flush_va})
  target_link_libraries(${target} PRIVATE sv39sim_models)
  verilate(${target}
    SOURCES ${SV39_WALKER_RTL}
    TOP_MODULE sv39_ptw
    PREFIX Vsv39_ptw
    VERILATOR_ARGS --assert -GPwcEn=1'b${pwc} -GPwcPerLevel=1'b${per_level} -GPwcSets=${sets}
                   -GPwcWays=${ways} -GPwcPolicy=${policy} -GPwcFlushOnVaFence=1'b${flush_va} ${ARGN})
endfunction()

function(sv39_walker_test name)
  sv39_walker_build(rtl_walker_${name} ${name} ${ARGN})
  add_test(NAME rtl.walker.${name} COMMAND rtl_walker_${name} --walks 100000)
  set_tests_properties(rtl.walker.${name} PROPERTIES TIMEOUT 600 LABELS rtl)
endfunction()

sv39_walker_test(pwc_off           0 0 8 4 0 0)
sv39_walker_test(shared_8x4_lru    1 0 8 4 0 0)
sv39_walker_test(per_level_4x2_plru 1 1 4 2 1 0)
sv39_walker_test(fifo_1x8_va_fence 1 0 1 8 2 1)

if(SV39_RTL_WALKER_MUTANTS)
  foreach(mut MISALIGNED_SUPERPAGE A_NOT_SET PMP_IGNORED PWC_GLOBAL)
    string(TOLOWER ${mut} lower)
    sv39_walker_build(rtl_walker_mut_${lower} mutant_${lower} 1 0 8 4 0 0 +define+SV39_MUT_${mut})
    add_test(NAME rtl.walker.mutant.${lower} COMMAND rtl_walker_mut_${lower} --walks 100000 --expect-mismatch)
    set_tests_properties(rtl.walker.mutant.${lower} PROPERTIES TIMEOUT 600 LABELS "rtl;mutant")
  endforeach()
endif()
