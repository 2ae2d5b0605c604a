# cmake_regenerate: libparse_generate()'s dependency tracking, on a scratch copy of
# tests/cmake/regen (demo/outer.lps imports demo/inner.lps) built against the
# installed package:
#   1. a clean build generates both headers; the program prints Outer's fields;
#   2. building again does nothing ("no work to do");
#   3. editing inner.lps (the imported schema) reruns lpc on inner.lps and, through
#      the depfile lpc wrote, on outer.lps, whose layout depends on Inner's size;
#   4. editing outer.lps reruns lpc on outer.lps only;
#   5. touching inner.lps without changing it reruns lpc on both; lpc leaves the
#      unchanged headers alone, so with Ninja (restat) nothing is recompiled;
# with a no-op build after each step. Which schemas lpc compiled is checked twice:
# in Ninja's dry run (`ninja -n`) beforehand and in the build log; the headers'
# modification times show which were rewritten (and that no other was); the
# program's output shows the edits arrived (they move fields).
#   cmake <project args, see project_helpers.cmake> -DLP_SOURCE_DIR=... -DLP_WORK_DIR=... -P regenerate_test.cmake
cmake_minimum_required(VERSION 3.25)
include("${CMAKE_CURRENT_LIST_DIR}/project_helpers.cmake")

set(src "${LP_WORK_DIR}/src")
set(build "${LP_WORK_DIR}/build")
file(REMOVE_RECURSE "${LP_WORK_DIR}")
file(COPY "${LP_SOURCE_DIR}/" DESTINATION "${src}")  # the test edits the schemas
set(inner_schema "${src}/schemas/demo/inner.lps")
set(outer_schema "${src}/schemas/demo/outer.lps")
set(ninja OFF)
if(LP_GENERATOR MATCHES "Ninja")
  set(ninja ON)
endif()

# The modification times of the generated headers, in microseconds.
function(lp_header_times out_var)
  set(times "")
  foreach(header IN LISTS headers)
    if(NOT EXISTS "${header}")
      message(FATAL_ERROR "${header} was not generated")
    endif()
    file(TIMESTAMP "${header}" time "%s.%f" UTC)
    list(APPEND times "${time}")
  endforeach()
  set(${out_var} "${times}" PARENT_SCOPE)
endfunction()

# Fails unless `text` mentions exactly the headers in `expected` (names relative to
# the output folder, as lpc's COMMENT prints them) among all generated headers.
function(lp_expect_mentions what text expected)
  foreach(name IN LISTS header_names)
    string(FIND "${text}" "lpc: generating ${name} " at)
    if(name IN_LIST expected AND at EQUAL -1)
      message(FATAL_ERROR "${what}: ${name} should be regenerated but is not:\n${text}")
    elseif(NOT name IN_LIST expected AND NOT at EQUAL -1)
      message(FATAL_ERROR "${what}: ${name} should not be regenerated but is:\n${text}")
    endif()
  endforeach()
endfunction()

# Builds after a change. Checks that lpc ran for exactly the headers in `ran`, that
# the headers in `rewritten` got a new modification time and that no header lpc
# did not run for did, then that the program prints `expected_output` (unless it
# is empty). Generators without restat have every header lpc ran for touched
# (libparseGenerate.cmake). Leaves the build log in `log` and the headers' times
# in `times_before` and `times_after`.
function(lp_step what ran rewritten expected_output)
  if(NOT ninja)
    set(rewritten "${ran}")
  endif()
  lp_header_times(before)
  if(ninja AND LP_MAKE_PROGRAM)
    execute_process(COMMAND "${LP_MAKE_PROGRAM}" -C "${build}" -n
                    OUTPUT_VARIABLE plan ERROR_VARIABLE plan COMMAND_ERROR_IS_FATAL ANY)
    lp_expect_mentions("${what} (ninja -n)" "${plan}" "${ran}")
  endif()
  lp_build("${build}" log)
  lp_expect_mentions("${what} (build log)" "${log}" "${ran}")
  lp_header_times(after)
  foreach(name time_before time_after IN ZIP_LISTS header_names before after)
    if(name IN_LIST rewritten AND NOT time_after VERSION_GREATER time_before)
      message(FATAL_ERROR "${what}: ${name} was not rewritten (mtime ${time_before} -> ${time_after})")
    elseif(NOT name IN_LIST ran AND NOT time_after STREQUAL time_before)
      message(FATAL_ERROR "${what}: ${name} was rewritten, but lpc did not run for it "
                          "(mtime ${time_before} -> ${time_after})")
    endif()
  endforeach()
  if(NOT "${expected_output}" STREQUAL "")
    lp_run("${build}/regen" output)
    string(STRIP "${output}" output)
    if(NOT output STREQUAL expected_output)
      message(FATAL_ERROR "${what}: the program printed '${output}', expected '${expected_output}'")
    endif()
  endif()
  message(STATUS "ok: ${what}")
  set(log "${log}" PARENT_SCOPE)
  set(times_before "${before}" PARENT_SCOPE)
  set(times_after "${after}" PARENT_SCOPE)
endfunction()

# A build with nothing to do runs nothing.
function(lp_expect_no_op what)
  lp_step("${what}: no-op build" "" "" "")
  if(ninja AND NOT log MATCHES "no work to do")
    message(FATAL_ERROR "${what}: a second build was not a no-op:\n${log}")
  endif()
endfunction()

# Replaces `from` by `to` in `file` (the test's premise: fail if `from` is absent),
# making sure the file ends up newer than every header even on a file system with
# coarse timestamps.
function(lp_edit file from to)
  file(READ "${file}" text)
  string(FIND "${text}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${file} no longer contains '${from}'; update regenerate_test.cmake")
  endif()
  string(REPLACE "${from}" "${to}" text "${text}")
  file(WRITE "${file}" "${text}")
  lp_touch_newer("${file}")
endfunction()

function(lp_touch_newer file)
  lp_header_times(times)
  foreach(attempt RANGE 3)
    file(TOUCH "${file}")
    file(TIMESTAMP "${file}" time "%s.%f" UTC)
    set(newer ON)
    foreach(header_time IN LISTS times)
      if(NOT time VERSION_GREATER header_time)
        set(newer OFF)
      endif()
    endforeach()
    if(newer)
      return()
    endif()
    execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1)
  endforeach()
  message(FATAL_ERROR "cannot make ${file} newer than the generated headers")
endfunction()

# 1. Clean build.
lp_configure("${src}" "${build}")
file(READ "${build}/headers.txt" headers)  # written by regen/CMakeLists.txt
set(header_names "")
foreach(header IN LISTS headers)
  file(RELATIVE_PATH name "${build}/generated" "${header}")
  list(APPEND header_names "${name}")
endforeach()
if(NOT header_names STREQUAL "demo/inner.lp.hpp;demo/outer.lp.hpp")
  message(FATAL_ERROR "unexpected generated headers: ${header_names}")
endif()
lp_build("${build}" log)
lp_expect_mentions("clean build" "${log}" "${header_names}")
lp_run("${build}/regen" output)
string(STRIP "${output}" output)
if(NOT output STREQUAL "a=1 b=2 tail=772 size=4")
  message(FATAL_ERROR "clean build: the program printed '${output}'")
endif()
message(STATUS "ok: clean build")

# 2. Nothing changed.
lp_expect_no_op("after the clean build")

# 3. The imported schema: Inner.a becomes u16, so Outer's fields all move. Whether
#    outer.lp.hpp's text changes is the emitter's business; lpc must run on it.
lp_edit("${inner_schema}" "a: u8;" "a: u16;")
lp_step("edit of the imported inner.lps" "demo/inner.lp.hpp;demo/outer.lp.hpp"
        "demo/inner.lp.hpp" "a=258 b=3 tail=1029 size=5")
lp_expect_no_op("after editing inner.lps")

# 4. The importing schema alone: Outer.tail becomes u8.
lp_edit("${outer_schema}" "tail: u16;" "tail: u8;")
lp_step("edit of outer.lps" "demo/outer.lp.hpp" "demo/outer.lp.hpp" "a=258 b=3 tail=4 size=4")
lp_expect_no_op("after editing outer.lps")

# 5. A touch: lpc runs again, finds nothing to change, and (with Ninja) the build
#    stops there.
lp_touch_newer("${inner_schema}")
lp_step("touch of inner.lps" "demo/inner.lp.hpp;demo/outer.lp.hpp" "" "a=258 b=3 tail=4 size=4")
if(ninja AND NOT times_after STREQUAL times_before)
  message(FATAL_ERROR "touch of inner.lps: lpc rewrote headers whose text did not change "
                      "(mtimes ${times_before} -> ${times_after})")
endif()
if(ninja AND log MATCHES "Building CXX object")
  message(FATAL_ERROR "touch of inner.lps: unchanged headers caused a recompilation:\n${log}")
endif()
lp_expect_no_op("after touching inner.lps")
