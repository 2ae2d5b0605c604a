# Golden test of `lpc --emit-fuzzer`: runs lpc the way libparse_add_fuzzer() does (in
# the import folder, the schema's path relative to it) and compares the fuzz target
# and the dictionary it writes, byte for byte, with the golden copies.
#   cmake -DLPC=<lpc> -DIMPORT_DIR=<folder> -DSCHEMA=<path below it> -DTYPE=<struct>
#         -DGOLDEN_DIR=<folder> -DWORK_DIR=<scratch folder> [-DUPDATE=ON]
#         -P golden_fuzzer_test.cmake
# UPDATE=ON rewrites the golden copies instead (review the diff like code).
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS LPC IMPORT_DIR SCHEMA TYPE GOLDEN_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "golden_fuzzer_test.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
  COMMAND "${LPC}" -I . -o "${WORK_DIR}" --color never --header-only --emit-fuzzer "${TYPE}" "${SCHEMA}"
  WORKING_DIRECTORY "${IMPORT_DIR}"
  RESULT_VARIABLE status
  ERROR_VARIABLE err)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "lpc --emit-fuzzer ${TYPE} failed on ${SCHEMA} (${status}):\n${err}")
endif()

string(REGEX REPLACE "\\.lps$" "" stem "${SCHEMA}")
string(REGEX REPLACE "^.*\\." "" type_name "${TYPE}")
set(failed "")
foreach(suffix IN ITEMS fuzz.cpp dict)
  set(name "${stem}.${type_name}.${suffix}")
  set(actual_file "${WORK_DIR}/${name}")
  set(golden "${GOLDEN_DIR}/${name}")
  if(NOT EXISTS "${actual_file}")
    message(FATAL_ERROR "lpc did not write ${name}")
  endif()
  if(UPDATE)
    configure_file("${actual_file}" "${golden}" COPYONLY)
    message(STATUS "updated ${golden}")
    continue()
  endif()
  if(NOT EXISTS "${golden}")
    message(FATAL_ERROR "${golden} is missing; run this script with -DUPDATE=ON")
  endif()
  file(READ "${actual_file}" actual)
  file(READ "${golden}" expected)
  if(NOT actual STREQUAL expected)
    find_program(diff_program diff)
    set(diff_text "")
    if(diff_program)
      execute_process(COMMAND "${diff_program}" -u "${golden}" "${actual_file}"
                      OUTPUT_VARIABLE diff_text)
    endif()
    string(APPEND failed "generated ${name} differs from its golden:\n${diff_text}\n")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "${failed}If the change is intended, rerun this script with -DUPDATE=ON "
                      "(docs/fuzzing.md, \"Goldens\").")
endif()
