# Shared by the tests/cmake project scripts: configure, build and run a project
# against the installed package with the compiler and flags of the main build.
# Inputs (set with -D): LP_PREFIX, LP_GENERATOR, LP_MAKE_PROGRAM, LP_CXX_COMPILER,
# LP_CXX_FLAGS, LP_BUILD_TYPE.
include_guard(GLOBAL)

function(lp_configure source_dir binary_dir)
  set(args -S "${source_dir}" -B "${binary_dir}" -G "${LP_GENERATOR}"
      "-DCMAKE_PREFIX_PATH=${LP_PREFIX}"
      "-DCMAKE_CXX_COMPILER=${LP_CXX_COMPILER}"
      "-DCMAKE_CXX_FLAGS=${LP_CXX_FLAGS}"
      # Only the prefix under test may provide libparse.
      -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
  if(LP_MAKE_PROGRAM)
    list(APPEND args "-DCMAKE_MAKE_PROGRAM=${LP_MAKE_PROGRAM}")
  endif()
  if(LP_BUILD_TYPE)
    list(APPEND args "-DCMAKE_BUILD_TYPE=${LP_BUILD_TYPE}")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" ${args} COMMAND_ERROR_IS_FATAL ANY)

  # The package must come from the prefix under test, not from a libparse installed
  # elsewhere on the machine.
  file(STRINGS "${binary_dir}/CMakeCache.txt" found REGEX "^libparse_DIR:")
  string(REGEX REPLACE "^libparse_DIR:[A-Z]+=" "" found "${found}")
  cmake_path(IS_PREFIX LP_PREFIX "${found}" NORMALIZE from_prefix)
  if(NOT from_prefix)
    message(FATAL_ERROR "${source_dir} found libparse in '${found}', not below ${LP_PREFIX}")
  endif()
endfunction()

# Builds with $ENV{LP_JOBS} jobs (default 2); the build's output goes to
# <output_var> (and to the test log).
function(lp_build binary_dir output_var)
  set(jobs 2)
  if(DEFINED ENV{LP_JOBS} AND NOT "$ENV{LP_JOBS}" STREQUAL "")
    set(jobs "$ENV{LP_JOBS}")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${binary_dir}" --parallel ${jobs}
                  OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE status)
  message("${output}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "building ${binary_dir} failed (${status})")
  endif()
  set(${output_var} "${output}" PARENT_SCOPE)
endfunction()

# Runs a program; fails unless it exits 0. Its stdout goes to <output_var>.
function(lp_run program output_var)
  execute_process(COMMAND "${program}" ${ARGN}
                  OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
  message("${output}${errors}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${program} failed (${status})")
  endif()
  set(${output_var} "${output}" PARENT_SCOPE)
endfunction()
