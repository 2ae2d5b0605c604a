# One hostile-schema case: writes the schema (make_hostile_schema.cmake), runs lpc
# on it and checks its exit status and, when given, that stderr matches a regex
# (a limit is a diagnostic with file:line:col, never a crash). How long it may
# take is the ctest TIMEOUT: these cases were quadratic to exponential once.
#   cmake -DLPC=<lpc> -DKIND=<kind> -DN=<n> -DWORK=<dir> -DMODE=check|generate
#         -DSTATUS=<0|1> [-DSTDERR=<regex>] -P run_hostile_test.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS LPC KIND N WORK MODE STATUS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_hostile_test.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(schema "${WORK}/hostile.lps")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -DKIND=${KIND} -DN=${N} -DOUT=${schema}
          -P "${CMAKE_CURRENT_LIST_DIR}/make_hostile_schema.cmake"
  RESULT_VARIABLE made)
if(NOT made STREQUAL "0")
  message(FATAL_ERROR "could not write the ${KIND} schema")
endif()

if(MODE STREQUAL "check")
  set(args --check --color never hostile.lps)
else()
  set(args --color never -o out hostile.lps)
endif()
execute_process(
  COMMAND "${LPC}" ${args}
  WORKING_DIRECTORY "${WORK}"
  RESULT_VARIABLE status
  ERROR_VARIABLE err)
# A long source line is quoted whole under its error: keep the log short.
string(SUBSTRING "${err}" 0 2000 err_head)

if(NOT status STREQUAL STATUS)
  message(FATAL_ERROR "lpc ${args} on ${KIND} N=${N} exited with '${status}', expected ${STATUS} "
                      "(a crash shows as a signal name)\n${err_head}")
endif()
if(DEFINED STDERR AND NOT err MATCHES "${STDERR}")
  message(FATAL_ERROR "lpc's diagnostics do not match '${STDERR}':\n${err_head}")
endif()
if(MODE STREQUAL "generate" AND NOT EXISTS "${WORK}/out/hostile.lp.hpp")
  message(FATAL_ERROR "lpc exited with 0 but wrote no out/hostile.lp.hpp")
endif()
file(REMOVE_RECURSE "${WORK}")  # generated headers of several MB
message(STATUS "${KIND} N=${N}: lpc exited with ${status} as expected")
