# One generated-header golden: runs lpc on a schema the way libparse_generate()
# does (in the import folder, with the schema's path relative to it) and compares
# the header it writes, byte for byte, with the golden copy.
#   cmake -DLPC=<lpc> -DIMPORT_DIR=<folder> -DSCHEMA=<path below it> -DGOLDEN=<file>
#         -DWORK_DIR=<scratch folder> -P golden_header_test.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS LPC IMPORT_DIR SCHEMA GOLDEN WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "golden_header_test.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${GOLDEN}")
  message(FATAL_ERROR "${GOLDEN} is missing; run tests/codegen/update-goldens.sh headers")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
  COMMAND "${LPC}" -I . -o "${WORK_DIR}" --color never "${SCHEMA}"
  WORKING_DIRECTORY "${IMPORT_DIR}"
  RESULT_VARIABLE status
  ERROR_VARIABLE err)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "lpc failed on ${SCHEMA} (${status}):\n${err}")
endif()

string(REGEX REPLACE "\\.lps$" ".lp.hpp" header "${SCHEMA}")
set(actual_file "${WORK_DIR}/${header}")
if(NOT EXISTS "${actual_file}")
  message(FATAL_ERROR "lpc did not write ${header}")
endif()
file(READ "${actual_file}" actual)
file(READ "${GOLDEN}" expected)
if(NOT actual STREQUAL expected)
  find_program(diff_program diff)
  if(diff_program)
    execute_process(COMMAND "${diff_program}" -u "${GOLDEN}" "${actual_file}" OUTPUT_VARIABLE diff_text)
    message(FATAL_ERROR "generated ${header} differs from its golden:\n${diff_text}\n"
                        "If the change is intended, run tests/codegen/update-goldens.sh headers")
  endif()
  message(FATAL_ERROR "generated ${header} differs from ${GOLDEN}; if the change is intended, "
                      "run tests/codegen/update-goldens.sh headers")
endif()
