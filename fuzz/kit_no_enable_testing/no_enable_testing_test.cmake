# libparse_add_fuzzer(... REGRESSIONS ...) in a project that never calls
# enable_testing(): configure, build and run ctest in project/; the regression
# test must be found and pass.
#   cmake -DMODULE=<libparseFuzz.cmake> -DGENERATOR=<gen> -DCXX=<compiler>
#         -DWORK_DIR=<scratch> -P no_enable_testing_test.cmake
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}/project" -B "${WORK_DIR}"
                        -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}"
                        "-DLIBPARSE_FUZZ_MODULE=${MODULE}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "configuring failed:\n${out}${err}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK_DIR}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "building failed:\n${out}${err}")
endif()
execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${WORK_DIR}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status STREQUAL "0" OR NOT out MATCHES "fuzz_nothing\\.regressions[ .]+Passed")
  message(FATAL_ERROR "ctest did not run fuzz_nothing.regressions (${status}):\n${out}${err}")
endif()
