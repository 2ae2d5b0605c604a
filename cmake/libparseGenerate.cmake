# libparse_generate(): compile .lps schemas into C++ view headers at build time.
#
#   libparse_generate(<target>
#                     SCHEMAS <file>...
#                     [IMPORT_DIRS <dir>...]
#                     [OUTPUT_DIR <dir>]
#                     [OUT_VAR <variable>]
#                     [HEADER_ONLY])
#
# For each schema, and each schema they import (directly or not, found as lpc
# finds imports; one that cannot be found is a configure-time error), a custom
# command runs libparse::lpc and writes a header and its source file:
# OUTPUT_DIR/<path of the schema relative to the first IMPORT_DIRS folder that
# contains it, else its file name>, with ".lps" replaced by ".lp.hpp" -- the rule
# lpc itself follows, so `import "net/ipv4.lps"` and `#include "net/ipv4.lp.hpp"`
# line up -- and the same with ".lp.cpp", the out-of-line code (error paths,
# visit(), serialize()), which <target> compiles once, as protoc's .pb.cc. Both
# are rebuilt when the schema, any schema it imports (through a depfile), or lpc
# changes. Then <target> gets the headers and source files as sources, OUTPUT_DIR
# as an include folder and libparse::runtime as a link dependency (INTERFACE for
# an INTERFACE library, PRIVATE for an executable, PUBLIC for other libraries; the
# keyword form of target_link_libraries, so <target> must use it too).
#
# An INTERFACE library compiles nothing, so for one -- and for any target with
# HEADER_ONLY -- lpc runs with --header-only: self-contained headers, every
# definition inline, no source files; each translation unit that includes them
# then compiles that code again (docs/cmake.md, "Header-only or with sources").
#
# Relative SCHEMAS and IMPORT_DIRS are taken from CMAKE_CURRENT_SOURCE_DIR, a
# relative OUTPUT_DIR from CMAKE_CURRENT_BINARY_DIR (default:
# ${CMAKE_CURRENT_BINARY_DIR}/libparse_generated/<target>). Folders registered in
# the global property LIBPARSE_IMPLICIT_IMPORT_DIRS are searched after IMPORT_DIRS:
# the installed package registers its shipped schemas there, so
# `import "net/udp.lps";` works in any consumer. OUT_VAR receives the absolute
# paths of the headers of the listed SCHEMAS, in their order.
#
# Modelled on flatbuffers_generate_headers() and protobuf_generate(). Works with
# lpc built in the same project (the libparse::lpc alias) and with the imported
# libparse::lpc of an installed package.
include_guard(GLOBAL)

# Functions see the caller's CMAKE_CURRENT_LIST_DIR, so remember our own folder
# (the depfile helper lives next to this file, in the source tree and installed).
set_property(GLOBAL PROPERTY LIBPARSE_GENERATE_MODULE_DIR "${CMAKE_CURRENT_LIST_DIR}")

# The schemas `schema_path` imports, directly or not, found as lpc finds them (the
# importing file's folder, then `import_dirs` in order), appended to `out_var`
# (absolute paths). An import found nowhere is a configure-time error naming the
# importing file, rather than a missing include when the header is compiled.
# Reads `import "...";` lines only: an import inside a /* */ comment counts too.
function(_libparse_imports target schema_path import_dirs out_var)
  set(found "${${out_var}}")
  set(todo "${schema_path}")
  while(todo)
    list(POP_FRONT todo current)
    file(STRINGS "${current}" lines REGEX "^[ \t]*import[ \t]+\"[^\"]+\"")
    cmake_path(GET current PARENT_PATH current_dir)
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^[ \t]*import[ \t]+\"([^\"]+)\".*" "\\1" imported "${line}")
      set(resolved "")
      foreach(dir IN ITEMS "${current_dir}" LISTS import_dirs)
        if(EXISTS "${dir}/${imported}" AND NOT IS_DIRECTORY "${dir}/${imported}")
          cmake_path(ABSOLUTE_PATH imported BASE_DIRECTORY "${dir}" NORMALIZE
                     OUTPUT_VARIABLE resolved)
          break()
        endif()
      endforeach()
      if(resolved STREQUAL "")
        list(JOIN import_dirs ", " searched)
        message(FATAL_ERROR
          "libparse_generate(${target}): ${current} imports \"${imported}\", which is "
          "neither next to it nor in an import folder (${searched}); add the folder that "
          "holds it to IMPORT_DIRS")
      endif()
      if(NOT resolved IN_LIST found AND NOT resolved STREQUAL schema_path)
        list(APPEND found "${resolved}")
        list(APPEND todo "${resolved}")
      endif()
    endforeach()
  endwhile()
  set(${out_var} "${found}" PARENT_SCOPE)
endfunction()

function(libparse_generate target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "HEADER_ONLY" "OUTPUT_DIR;OUT_VAR" "SCHEMAS;IMPORT_DIRS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "libparse_generate: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "libparse_generate: ${arg_KEYWORDS_MISSING_VALUES} given without a value")
  endif()
  if(NOT TARGET "${target}")
    message(FATAL_ERROR "libparse_generate: '${target}' is not a target; create it first "
                        "(add_library(${target} STATIC), or INTERFACE for headers only)")
  endif()
  if(NOT arg_SCHEMAS)
    message(FATAL_ERROR "libparse_generate(${target}): SCHEMAS is required")
  endif()
  if(NOT TARGET libparse::lpc)
    message(FATAL_ERROR "libparse_generate(${target}): the target libparse::lpc is not visible "
                        "here; call find_package(libparse CONFIG REQUIRED) in this directory "
                        "or a parent of it")
  endif()

  # target_sources() and friends refuse alias names; imported targets are not ours.
  get_target_property(aliased "${target}" ALIASED_TARGET)
  if(aliased)
    set(target "${aliased}")
  endif()
  get_target_property(imported "${target}" IMPORTED)
  if(imported)
    message(FATAL_ERROR "libparse_generate: '${target}' is an imported target")
  endif()
  get_target_property(type "${target}" TYPE)
  set(header_only "${arg_HEADER_ONLY}")
  if(type STREQUAL "INTERFACE_LIBRARY")
    set(header_only ON)  # nothing of an INTERFACE library is compiled
    # Sources of an INTERFACE library make it a build target that runs the custom
    # commands (CMake >= 3.19); its users build after it.
    set(sources_scope PRIVATE)
    set(usage_scope INTERFACE)
  elseif(type STREQUAL "EXECUTABLE")
    set(sources_scope PRIVATE)
    set(usage_scope PRIVATE)
  else()
    set(sources_scope PRIVATE)
    set(usage_scope PUBLIC)
  endif()

  if(arg_OUTPUT_DIR)
    cmake_path(ABSOLUTE_PATH arg_OUTPUT_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}"
               NORMALIZE OUTPUT_VARIABLE output_dir)
  else()
    set(output_dir "${CMAKE_CURRENT_BINARY_DIR}/libparse_generated/${target}")
  endif()
  set(depfile_dir "${CMAKE_CURRENT_BINARY_DIR}/libparse_depfiles/${target}")

  get_property(implicit_dirs GLOBAL PROPERTY LIBPARSE_IMPLICIT_IMPORT_DIRS)
  set(import_dirs "")
  foreach(dir IN LISTS arg_IMPORT_DIRS implicit_dirs)
    cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
               OUTPUT_VARIABLE dir)
    string(REGEX REPLACE "(.)/$" "\\1" dir "${dir}")  # "a/b/" and "a/b" are one folder
    list(APPEND import_dirs "${dir}")
  endforeach()
  list(REMOVE_DUPLICATES import_dirs)
  set(import_flags "")
  foreach(dir IN LISTS import_dirs)
    list(APPEND import_flags -I "${dir}")
  endforeach()

  # lpc rewrites a header only when its text changes, so that a schema edit that
  # changes nothing recompiles nothing. Ninja handles that (CMake marks custom
  # commands restat); other generators compare timestamps only and would run lpc
  # on every build, so there the header is touched after lpc ran.
  set(touch_output OFF)
  if(NOT CMAKE_GENERATOR MATCHES "Ninja")
    set(touch_output ON)
  endif()

  # A header includes the headers of the schemas its schema imports: generate
  # those too, after the listed ones (whose headers OUT_VAR lists first).
  set(listed "")
  foreach(schema IN LISTS arg_SCHEMAS)
    cmake_path(ABSOLUTE_PATH schema BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
               OUTPUT_VARIABLE schema_path)
    list(APPEND listed "${schema_path}")
  endforeach()
  set(imported "")
  foreach(schema_path IN LISTS listed)
    if(EXISTS "${schema_path}")  # a missing one is reported below
      _libparse_imports("${target}" "${schema_path}" "${import_dirs}" imported)
    endif()
  endforeach()
  list(REMOVE_ITEM imported ${listed})
  list(LENGTH arg_SCHEMAS listed_count)

  get_property(module_dir GLOBAL PROPERTY LIBPARSE_GENERATE_MODULE_DIR)
  set(headers "")
  set(generated_sources "")
  set(mode_flags "")
  if(header_only)
    set(mode_flags --header-only)
  endif()
  foreach(schema IN LISTS arg_SCHEMAS imported)
    cmake_path(ABSOLUTE_PATH schema BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
               OUTPUT_VARIABLE schema_path)
    if(NOT schema_path MATCHES "\\.lps$")
      message(FATAL_ERROR "libparse_generate(${target}): '${schema}' is not a .lps schema")
    endif()
    if(NOT EXISTS "${schema_path}")
      message(FATAL_ERROR "libparse_generate(${target}): schema '${schema_path}' does not exist")
    endif()

    # Mirror lpc: the path below the first import folder that holds the schema,
    # else the bare file name; like lpc, compare paths with symbolic links resolved.
    # lpc runs in that folder, so the paths it prints in diagnostics and in the
    # generated banner are short and machine-independent.
    file(REAL_PATH "${schema_path}" real_schema)
    cmake_path(GET real_schema FILENAME relative)
    cmake_path(GET schema_path PARENT_PATH work_dir)
    foreach(dir IN LISTS import_dirs)
      file(REAL_PATH "${dir}" real_dir)
      cmake_path(IS_PREFIX real_dir "${real_schema}" NORMALIZE below)
      if(below)
        file(RELATIVE_PATH relative "${real_dir}" "${real_schema}")
        set(work_dir "${dir}")
        break()
      endif()
    endforeach()
    string(REGEX REPLACE "\\.lps$" ".lp.hpp" header_relative "${relative}")
    set(header "${output_dir}/${header_relative}")
    list(LENGTH headers done)
    if(header IN_LIST headers AND NOT done LESS listed_count)
      continue()  # an imported schema also listed, under another spelling of its path
    elseif(header IN_LIST headers)
      message(FATAL_ERROR "libparse_generate(${target}): two schemas would both write "
                          "${header}; give them distinct paths below IMPORT_DIRS")
    endif()
    list(APPEND headers "${header}")
    set(outputs "${header}")
    set(touch_source "")
    if(NOT header_only)
      string(REGEX REPLACE "\\.lp\\.hpp$" ".lp.cpp" source "${header}")
      list(APPEND outputs "${source}")
      list(APPEND generated_sources "${source}")
      if(touch_output)
        set(touch_source COMMAND "${CMAKE_COMMAND}" -E touch_nocreate "${source}")
      endif()
    endif()
    set(depfile "${depfile_dir}/${header_relative}.d")
    # lpc need not create folders; make them now so the first build finds them.
    cmake_path(GET header PARENT_PATH header_dir)
    cmake_path(GET depfile PARENT_PATH depfile_parent)
    file(MAKE_DIRECTORY "${header_dir}" "${depfile_parent}")

    add_custom_command(
      OUTPUT ${outputs}
      COMMAND "$<TARGET_FILE:libparse::lpc>" ${import_flags} -o "${output_dir}" ${mode_flags}
              --depfile "${depfile}" "${schema_path}"
      # lpc writes each dependency as it opened it; CMake reads depfile paths
      # relative to the binary folder, so make every path absolute (and touch the
      # header where the generator needs it, see above).
      COMMAND "${CMAKE_COMMAND}" "-DLIBPARSE_DEPFILE=${depfile}" "-DLIBPARSE_BASE_DIR=${work_dir}"
              "-DLIBPARSE_OUTPUT=${header}" "-DLIBPARSE_TOUCH_OUTPUT=${touch_output}"
              -P "${module_dir}/libparseDepfile.cmake"
      ${touch_source}
      DEPENDS "${schema_path}" libparse::lpc "${module_dir}/libparseDepfile.cmake"
      DEPFILE "${depfile}"
      WORKING_DIRECTORY "${work_dir}"
      COMMENT "lpc: generating ${header_relative} from ${relative}"
      VERBATIM)
  endforeach()

  target_sources("${target}" ${sources_scope} ${headers} ${generated_sources})
  target_include_directories("${target}" ${usage_scope} "$<BUILD_INTERFACE:${output_dir}>")
  target_link_libraries("${target}" ${usage_scope} libparse::runtime)
  if(arg_OUT_VAR)
    list(SUBLIST headers 0 ${listed_count} listed_headers)
    set(${arg_OUT_VAR} "${listed_headers}" PARENT_SCOPE)
  endif()
endfunction()
