# Generated code is warning-free: generates the headers and source files of a set
# of schemas (and of everything they import, lpc --all) and compiles one file that
# includes them all with -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror, -fsyntax-only.
# With NO_RTTI_HEADER, also compiles that one header with -fno-rtti. Run once per
# compiler (g++ and clang++, CMakeLists.txt in this folder).
#   cmake -DLPC=<lpc> -DCXX=<compiler> -DRUNTIME=<folder holding libparse/>
#         -DWORK=<dir> -DSETS=<set>[!<set>...] [-DNO_RTTI_HEADER=<net/udp.lp.hpp>]
#         -P generated_warnings_test.cmake
# A set is `<import dir>|<schema>,<schema>...`; schemas of one set share one file
# (one package may not be included twice with different contents). The shipped
# schemas (RUNTIME/schemas) are an import folder after the set's own, as the
# installed package makes them for a consumer.
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS LPC CXX RUNTIME WORK SETS)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "generated_warnings_test.cmake: -D${var}=... is required")
  endif()
endforeach()

set(flags -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror
          "-I${RUNTIME}")

# Compiles `file` with `flags`, `extra` and the set's folder `out`; on failure
# reports `what` with the compiler's first 6000 bytes and adds `label` to `failed`.
function(compile_or_report file extra what label)
  execute_process(
    COMMAND "${CXX}" ${flags} ${extra} "-I${out}" "${file}"
    RESULT_VARIABLE status
    OUTPUT_VARIABLE log
    ERROR_VARIABLE log)
  if(NOT status STREQUAL "0")
    string(SUBSTRING "${log}" 0 6000 log)
    message(SEND_ERROR "${what}:\n${log}")
    set(failed ${failed} "${label}" PARENT_SCOPE)
  endif()
endfunction()
file(REMOVE_RECURSE "${WORK}")
string(REPLACE "!" ";" sets "${SETS}")
set(index 0)
set(failed "")
foreach(set IN LISTS sets)
  string(REPLACE "|" ";" parts "${set}")
  list(GET parts 0 import_dir)
  list(GET parts 1 schemas)
  string(REPLACE "," ";" schemas "${schemas}")
  set(out "${WORK}/set${index}")
  execute_process(
    COMMAND "${LPC}" --all -I "${import_dir}" -I "${RUNTIME}/schemas" -o "${out}" ${schemas}
    WORKING_DIRECTORY "${import_dir}"
    RESULT_VARIABLE status
    ERROR_VARIABLE err)
  if(NOT status STREQUAL "0")
    message(FATAL_ERROR "lpc failed on ${schemas} (${status}):\n${err}")
  endif()
  file(GLOB_RECURSE headers RELATIVE "${out}" "${out}/*.lp.hpp")
  file(GLOB_RECURSE sources RELATIVE "${out}" "${out}/*.lp.cpp")
  list(SORT headers)
  list(SORT sources)
  # One file for the set: the headers, then the source files (each includes its
  # own header and defines what it declares, once).
  set(source "// Every header and source file lpc wrote for: ${schemas}\n")
  foreach(file IN LISTS headers sources)
    string(APPEND source "#include \"${file}\"\n")
  endforeach()
  file(WRITE "${out}/all_headers.cpp" "${source}")
  compile_or_report("${out}/all_headers.cpp" "" "${CXX} warns on the code generated for ${schemas}"
                    "${schemas}")
  if(index EQUAL 0 AND DEFINED NO_RTTI_HEADER)
    file(WRITE "${out}/no_rtti.cpp" "#include \"${NO_RTTI_HEADER}\"\n")
    compile_or_report("${out}/no_rtti.cpp" -fno-rtti
                      "${NO_RTTI_HEADER} does not compile with -fno-rtti" "-fno-rtti")
  endif()
  list(LENGTH headers count)
  message(STATUS "${CXX}: ${count} headers of ${schemas}")
  math(EXPR index "${index} + 1")
endforeach()
if(failed)
  message(FATAL_ERROR "warnings or errors in: ${failed}")
endif()
