# One generated-code golden: runs lpc on a schema the way libparse_generate()
# does (in the import folder, with the schema's path relative to it) and compares
# what it writes, byte for byte, with the golden copies: the header and its
# .lp.cpp source file, or with HEADER_ONLY=ON the self-contained header alone.
#   cmake -DLPC=<lpc> -DIMPORT_DIR=<folder> -DSCHEMA=<path below it>
#         -DGOLDEN=<golden header; its source is the same path with .lp.cpp>
#         -DWORK_DIR=<scratch folder> [-DHEADER_ONLY=ON] -P golden_header_test.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS LPC IMPORT_DIR SCHEMA GOLDEN WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "golden_header_test.cmake: -D${var}=... is required")
  endif()
endforeach()

set(mode_flags "")
set(written "")  # generated file (below WORK_DIR) | its golden
string(REGEX REPLACE "\\.lps$" ".lp.hpp" header "${SCHEMA}")
list(APPEND written "${header}|${GOLDEN}")
if(HEADER_ONLY)
  set(mode_flags --header-only)
else()
  string(REGEX REPLACE "\\.lps$" ".lp.cpp" source "${SCHEMA}")
  string(REGEX REPLACE "\\.lp\\.hpp$" ".lp.cpp" source_golden "${GOLDEN}")
  list(APPEND written "${source}|${source_golden}")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
  COMMAND "${LPC}" -I . -o "${WORK_DIR}" --color never ${mode_flags} "${SCHEMA}"
  WORKING_DIRECTORY "${IMPORT_DIR}"
  RESULT_VARIABLE status
  ERROR_VARIABLE err)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "lpc failed on ${SCHEMA} (${status}):\n${err}")
endif()

foreach(pair IN LISTS written)
  string(REPLACE "|" ";" parts "${pair}")
  list(GET parts 0 file)
  list(GET parts 1 golden)
  if(NOT EXISTS "${golden}")
    message(FATAL_ERROR "${golden} is missing; run tests/codegen/update-goldens.sh headers")
  endif()
  set(actual_file "${WORK_DIR}/${file}")
  if(NOT EXISTS "${actual_file}")
    message(FATAL_ERROR "lpc did not write ${file}")
  endif()
  file(READ "${actual_file}" actual)
  file(READ "${golden}" expected)
  if(NOT actual STREQUAL expected)
    find_program(diff_program diff)
    if(diff_program)
      execute_process(COMMAND "${diff_program}" -u "${golden}" "${actual_file}"
                      OUTPUT_VARIABLE diff_text)
      message(FATAL_ERROR "generated ${file} differs from its golden:\n${diff_text}\n"
                          "If the change is intended, run tests/codegen/update-goldens.sh headers")
    endif()
    message(FATAL_ERROR "generated ${file} differs from ${golden}; if the change is intended, "
                        "run tests/codegen/update-goldens.sh headers")
  endif()
endforeach()
