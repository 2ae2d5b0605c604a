# libparse_generate() generates the headers of the schemas the listed ones import
# (here two levels deep), and an import that cannot be found is an error at
# configure time naming the importing file. Configures imports/ twice; builds
# nothing.
#   cmake -DLP_SOURCE_ROOT=<source tree> -DLP_WORK_DIR=<dir> -P imports_test.cmake
cmake_minimum_required(VERSION 3.25)

set(project_dir "${CMAKE_CURRENT_LIST_DIR}/imports")
file(REMOVE_RECURSE "${LP_WORK_DIR}")

# Configures imports/ into LP_WORK_DIR/<name> with LP_SCHEMA=<schema>.
function(configure name schema)
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -S "${project_dir}" -B "${LP_WORK_DIR}/${name}"
            "-DLP_SOURCE_ROOT=${LP_SOURCE_ROOT}" -DLP_SCHEMA=${schema}
    RESULT_VARIABLE result
    OUTPUT_VARIABLE log
    ERROR_VARIABLE log)
  set(status "${result}" PARENT_SCOPE)
  set(out "${log}" PARENT_SCOPE)
endfunction()

configure(good app/top.lps)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "configuring with app/top.lps failed:\n${out}")
endif()
file(READ "${LP_WORK_DIR}/good/generated.txt" generated)
set(out_dir "${LP_WORK_DIR}/good/libparse_generated/app_schemas")
if(NOT generated MATCHES "listed=${out_dir}/app/top.lp.hpp\n")
  message(FATAL_ERROR "OUT_VAR should list app/top.lp.hpp only:\n${generated}")
endif()
foreach(header IN ITEMS app/top.lp.hpp lib/mid.lp.hpp lib/base.lp.hpp)
  string(FIND "${generated}" "${out_dir}/${header}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the target does not generate ${header}:\n${generated}")
  endif()
endforeach()

configure(broken app/broken.lps)
if(status STREQUAL "0")
  message(FATAL_ERROR "configuring with app/broken.lps succeeded; its import is missing")
endif()
string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}")  # CMake wraps long messages
if(NOT flat MATCHES "libparse_generate\\(app_schemas\\): .*app/broken.lps imports \"lib/nowhere.lps\", which is neither next to it nor in an import folder")
  message(FATAL_ERROR "the configure error does not name the missing import:\n${out}")
endif()
message(STATUS "imported schemas are generated; a missing import fails at configure time")
