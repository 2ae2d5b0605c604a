# libparse_add_fuzzer(): a libFuzzer target for a schema type, generated at build
# time by `lpc --emit-fuzzer` (or a hand-written one), with an optional ctest that
# replays regression inputs. docs/fuzzing.md is the user's guide.
#
#   libparse_add_fuzzer(<name>
#                       [SCHEMA <file> TYPE <Type>]
#                       [IMPORT_DIRS <dir>...]
#                       [SOURCES <file>...]
#                       [ENGINE libfuzzer|replay]
#                       [FAST]
#                       [REGRESSIONS <dir>...])
#
# SCHEMA + TYPE: a custom command runs libparse::lpc --all --emit-fuzzer <Type> and
# writes, below ${CMAKE_CURRENT_BINARY_DIR}/libparse_fuzz/<name>, the schema's header,
# the headers of the schemas it imports, <stem>.<Type>.fuzz.cpp (the target) and
# <stem>.<Type>.dict (a libFuzzer dictionary); the dictionary is also copied next to
# the executable as <name>.dict. IMPORT_DIRS and the implicit import folders work as
# in libparse_generate(). SOURCES are compiled in as well; without SCHEMA they are
# the whole target (they define LLVMFuzzerTestOneInput).
#
# ENGINE libfuzzer: linked with -fsanitize=fuzzer plus LIBPARSE_FUZZ_SANITIZERS
# (default address;undefined), UBSan fatal (-fno-sanitize-recover=undefined); needs clang. ENGINE replay: any compiler; a small
# main() runs the target once over each file, and each file in each folder, named on
# its command line. Default: LIBPARSE_FUZZ_ENGINE when set, else libfuzzer with
# clang and replay with other compilers. A generated libFuzzer target passes
# -max_len=<bound> to libFuzzer itself (LLVMFuzzerInitialize) when the schema
# bounds what parse() reads to at most 64 KiB; nothing to pass here or in
# scripts/fuzz.sh (docs/fuzzing.md, "Input size: -max_len").
#
# FAST: the generated target leaves its formatting checks out (LIBPARSE_FUZZ_FAST).
#
# REGRESSIONS: adds the test <name>.regressions (label "fuzz") that runs every file
# of those folders through the target (libFuzzer builds with -runs=0). It calls
# enable_testing() for the calling folder, so the test exists without the caller's
# own call; ctest run higher up finds it only if testing is enabled there too.
include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/libparseGenerate.cmake")

set_property(GLOBAL PROPERTY LIBPARSE_FUZZ_MODULE_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(libparse_add_fuzzer name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "FAST" "SCHEMA;TYPE;ENGINE"
                        "IMPORT_DIRS;SOURCES;REGRESSIONS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "libparse_add_fuzzer: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "libparse_add_fuzzer: ${arg_KEYWORDS_MISSING_VALUES} given without a value")
  endif()
  if((arg_SCHEMA AND NOT arg_TYPE) OR (arg_TYPE AND NOT arg_SCHEMA))
    message(FATAL_ERROR "libparse_add_fuzzer(${name}): SCHEMA and TYPE go together")
  endif()
  if(NOT arg_SCHEMA AND NOT arg_SOURCES)
    message(FATAL_ERROR "libparse_add_fuzzer(${name}): give SCHEMA and TYPE, or SOURCES")
  endif()

  set(engine "${arg_ENGINE}")
  if(NOT engine)
    if(DEFINED LIBPARSE_FUZZ_ENGINE)
      set(engine "${LIBPARSE_FUZZ_ENGINE}")
    elseif(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
      set(engine libfuzzer)
    else()
      set(engine replay)
    endif()
  endif()
  if(NOT engine MATCHES "^(libfuzzer|replay)$")
    message(FATAL_ERROR "libparse_add_fuzzer(${name}): ENGINE must be libfuzzer or replay, "
                        "not '${engine}'")
  endif()
  if(engine STREQUAL "libfuzzer" AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "libparse_add_fuzzer(${name}): ENGINE libfuzzer needs clang++ "
                        "(this is ${CMAKE_CXX_COMPILER_ID}); use ENGINE replay")
  endif()

  get_property(module_dir GLOBAL PROPERTY LIBPARSE_FUZZ_MODULE_DIR)
  set(sources "")
  foreach(source IN LISTS arg_SOURCES)
    cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
    list(APPEND sources "${source}")
  endforeach()

  set(output_dir "${CMAKE_CURRENT_BINARY_DIR}/libparse_fuzz/${name}")
  set(dict "")
  if(arg_SCHEMA)
    if(NOT TARGET libparse::lpc)
      message(FATAL_ERROR "libparse_add_fuzzer(${name}): the target libparse::lpc is not "
                          "visible here; call find_package(libparse CONFIG REQUIRED) first")
    endif()
    cmake_path(ABSOLUTE_PATH arg_SCHEMA BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
               OUTPUT_VARIABLE schema_path)
    if(NOT EXISTS "${schema_path}")
      message(FATAL_ERROR "libparse_add_fuzzer(${name}): schema '${schema_path}' does not exist")
    endif()

    get_property(implicit_dirs GLOBAL PROPERTY LIBPARSE_IMPLICIT_IMPORT_DIRS)
    set(import_dirs "")
    foreach(dir IN LISTS arg_IMPORT_DIRS implicit_dirs)
      cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
                 OUTPUT_VARIABLE dir)
      string(REGEX REPLACE "(.)/$" "\\1" dir "${dir}")
      list(APPEND import_dirs "${dir}")
    endforeach()
    list(REMOVE_DUPLICATES import_dirs)
    set(import_flags "")
    foreach(dir IN LISTS import_dirs)
      list(APPEND import_flags -I "${dir}")
    endforeach()

    # The files' names follow the header's, which follows lpc's rule (as in
    # libparse_generate()): the schema's path below the first import folder that
    # holds it, else its file name. lpc runs in that folder.
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
    string(REGEX REPLACE "\\.lps$" "" stem "${relative}")
    string(REGEX REPLACE "^.*\\." "" type_name "${arg_TYPE}")  # net.Ipv4 -> Ipv4
    set(fuzz_source "${output_dir}/${stem}.${type_name}.fuzz.cpp")
    set(dict "${output_dir}/${stem}.${type_name}.dict")
    set(header "${output_dir}/${stem}.lp.hpp")
    set(depfile "${CMAKE_CURRENT_BINARY_DIR}/libparse_depfiles/${name}/${stem}.fuzz.d")
    cmake_path(GET fuzz_source PARENT_PATH source_dir)
    cmake_path(GET depfile PARENT_PATH depfile_dir)
    file(MAKE_DIRECTORY "${source_dir}" "${depfile_dir}")

    set(touch_output OFF)
    set(touch_others "")
    if(NOT CMAKE_GENERATOR MATCHES "Ninja")  # no restat: see libparse_generate()
      set(touch_output ON)
      set(touch_others COMMAND "${CMAKE_COMMAND}" -E touch_nocreate "${dict}" "${header}")
    endif()
    get_property(generate_dir GLOBAL PROPERTY LIBPARSE_GENERATE_MODULE_DIR)
    add_custom_command(
      OUTPUT "${fuzz_source}" "${dict}" "${header}"
      # --header-only: the target is one translation unit; a source file per
      # schema would only add compilations.
      COMMAND "$<TARGET_FILE:libparse::lpc>" ${import_flags} -o "${output_dir}" --all
              --header-only --emit-fuzzer "${arg_TYPE}" --depfile "${depfile}" "${schema_path}"
      COMMAND "${CMAKE_COMMAND}" "-DLIBPARSE_DEPFILE=${depfile}" "-DLIBPARSE_BASE_DIR=${work_dir}"
              "-DLIBPARSE_OUTPUT=${fuzz_source}" "-DLIBPARSE_TOUCH_OUTPUT=${touch_output}"
              -P "${generate_dir}/libparseDepfile.cmake"
      ${touch_others}
      DEPENDS "${schema_path}" libparse::lpc "${generate_dir}/libparseDepfile.cmake"
      DEPFILE "${depfile}"
      WORKING_DIRECTORY "${work_dir}"
      COMMENT "lpc: generating the fuzz target for ${arg_TYPE} from ${relative}"
      VERBATIM)
    list(PREPEND sources "${fuzz_source}")
  endif()

  if(engine STREQUAL "replay")
    list(APPEND sources "${module_dir}/libparseFuzzReplay.cpp")
  endif()
  add_executable(${name} ${sources})
  target_compile_features(${name} PRIVATE cxx_std_20)
  target_link_libraries(${name} PRIVATE libparse::runtime)
  if(arg_SCHEMA)
    target_include_directories(${name} PRIVATE "${output_dir}")
    add_custom_command(TARGET ${name} POST_BUILD
      COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${dict}" "$<TARGET_FILE_DIR:${name}>/${name}.dict"
      VERBATIM)
  endif()
  if(engine STREQUAL "libfuzzer")
    if(DEFINED LIBPARSE_FUZZ_SANITIZERS)
      set(sanitizers ${LIBPARSE_FUZZ_SANITIZERS})
    else()
      set(sanitizers address undefined)
    endif()
    # Undefined behaviour is a finding: without -fno-sanitize-recover UBSan prints
    # "runtime error" and carries on, and the run (and the regression ctest) exits 0.
    set(recover "")
    if("undefined" IN_LIST sanitizers)
      set(recover -fno-sanitize-recover=undefined)
    endif()
    list(PREPEND sanitizers fuzzer)
    list(JOIN sanitizers "," flag)
    target_compile_options(${name} PRIVATE "-fsanitize=${flag}" ${recover} -fno-omit-frame-pointer)
    target_link_options(${name} PRIVATE "-fsanitize=${flag}")
  endif()
  if(arg_FAST)
    target_compile_definitions(${name} PRIVATE LIBPARSE_FUZZ_FAST)
  endif()
  set_target_properties(${name} PROPERTIES LIBPARSE_FUZZ_ENGINE "${engine}"
                                           LIBPARSE_FUZZ_DICT "${dict}")

  if(arg_REGRESSIONS)
    set(dirs "")
    foreach(dir IN LISTS arg_REGRESSIONS)
      cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
      list(APPEND dirs "${dir}")
    endforeach()
    set(flags "")
    if(engine STREQUAL "libfuzzer")
      set(flags -runs=0)
    endif()
    # Without enable_testing() the test is silently dropped. It sets a variable of
    # the scope it runs in, so it is deferred to the end of the calling folder,
    # which runs in the folder's own scope.
    cmake_language(DEFER CALL enable_testing)
    add_test(NAME ${name}.regressions COMMAND ${name} ${flags} ${dirs})
    set_tests_properties(${name}.regressions PROPERTIES LABELS fuzz)
  endif()
endfunction()
