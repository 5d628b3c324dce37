# The whole cross-check (RtlChecker) on random translations over random page tables: the model's Mmu and
# walker run a random access stream, the checker drives the RTL in hw/ (sv39_mmu) with every translation and
# fence and compares. Included (OPTIONAL) from testbench/rtl/CMakeLists.txt.
#
#   rtl.random.<geometry>   SV39_RTL_RANDOM_TRANSLATIONS random translations, zero mismatches
#                           (test_rtl_random.cpp; --list names the geometries and their keys)
#
# The RTL for each geometry is built at the test's first run (testbench/rtl/shim, two compile jobs) into
# SV39SIM_RTL_CACHE_DIR, shared with the sv39sim runs of the other tests, and reused after that.

set(SV39_RTL_RANDOM_TRANSLATIONS 100000 CACHE STRING "Translations per geometry in the rtl.random.* tests")

add_executable(rtl_random_check ${CMAKE_CURRENT_LIST_DIR}/test_rtl_random.cpp)
target_compile_options(rtl_random_check PRIVATE -Wall -Wextra)
target_compile_definitions(rtl_random_check PRIVATE SV39SIM_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
target_link_libraries(rtl_random_check PRIVATE sv39sim_rtl_check sv39sim_models)

set(sv39_rtl_random_seed 1)
foreach(geometry default small superpages_separate superpages_splinter no_l2_no_pwc ad_fault pwc_va_fence
                 satp_flush)
  add_test(NAME rtl.random.${geometry}
           COMMAND rtl_random_check --geometry ${geometry} --translations ${SV39_RTL_RANDOM_TRANSLATIONS}
                   --seed ${sv39_rtl_random_seed} --source-dir ${CMAKE_SOURCE_DIR}
                   --rtl-cache ${SV39SIM_RTL_CACHE_DIR})
  # A run takes seconds; the first one builds the RTL (under a minute on two cores, with two compile
  # jobs): one test at a time, so that these tests never compile more than one RTL model at once.
  set_tests_properties(rtl.random.${geometry} PROPERTIES TIMEOUT 900 LABELS rtl RESOURCE_LOCK sv39_rtl_random)
  math(EXPR sv39_rtl_random_seed "${sv39_rtl_random_seed} + 1")
endforeach()
