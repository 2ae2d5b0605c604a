# Runs a libFuzzer target over INPUT with -runs=0, as its regression ctest does,
# and requires that it fail with a UBSan "signed integer overflow" report.
#   cmake -DTARGET=<fuzz target> -DINPUT=<file or folder> -P expect_fatal_ubsan.cmake
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND "${TARGET}" -runs=0 "${INPUT}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(status STREQUAL "0")
  message(FATAL_ERROR "the planted overflow did not fail the run (exit 0):\n${out}${err}")
endif()
if(NOT err MATCHES "runtime error: signed integer overflow")
  message(FATAL_ERROR "the run failed (${status}) but not for the planted overflow:\n${out}${err}")
endif()
message(STATUS "the planted overflow failed the run (${status}), as it must")
