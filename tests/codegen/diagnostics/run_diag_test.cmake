# One diagnostics golden: runs `lpc --check <schema>` in the schema's folder (so
# the paths it prints are short and machine-independent) and compares its stderr
# with <schema stem>.expected. lpc must exit with status 1: these schemas are broken.
#   cmake -DLPC=<lpc> -DSCHEMA=<name.lps> -DDIR=<this folder> -P run_diag_test.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS LPC SCHEMA DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_diag_test.cmake: -D${var}=... is required")
  endif()
endforeach()

cmake_path(GET SCHEMA STEM stem)
set(expected_file "${DIR}/${stem}.expected")
if(NOT EXISTS "${expected_file}")
  message(FATAL_ERROR "${expected_file} is missing; run tests/codegen/update-goldens.sh")
endif()

execute_process(
  COMMAND "${LPC}" --check --color never "${SCHEMA}"
  WORKING_DIRECTORY "${DIR}"
  RESULT_VARIABLE status
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)

file(READ "${expected_file}" expected)
set(failed FALSE)
if(NOT status STREQUAL "1")
  message(SEND_ERROR "lpc exited with '${status}', expected 1 (a crash shows as a signal name)")
  set(failed TRUE)
endif()
if(NOT out STREQUAL "")
  message(SEND_ERROR "lpc --check wrote to stdout:\n${out}")
  set(failed TRUE)
endif()
if(NOT err STREQUAL expected)
  # Show a unified diff when diff(1) is there, else both texts.
  set(actual_file "${CMAKE_CURRENT_BINARY_DIR}/${stem}.actual")  # ctest's working folder
  file(WRITE "${actual_file}" "${err}")
  find_program(diff_program diff)
  if(diff_program)
    execute_process(COMMAND "${diff_program}" -u "${expected_file}" "${actual_file}"
                    OUTPUT_VARIABLE diff_text)
    message(SEND_ERROR "stderr differs from ${stem}.expected:\n${diff_text}")
  else()
    message(SEND_ERROR "stderr differs from ${stem}.expected.\n--- expected\n${expected}\n--- actual\n${err}")
  endif()
  file(REMOVE "${actual_file}")
  set(failed TRUE)
endif()
if(failed)
  message(FATAL_ERROR "diagnostics golden '${stem}' failed; if the change is intended, run "
                      "tests/codegen/update-goldens.sh")
endif()
