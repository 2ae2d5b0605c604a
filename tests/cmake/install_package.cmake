# Fixture: installs the build in LP_BUILD_DIR into a fresh LP_PREFIX.
#   cmake -DLP_BUILD_DIR=<build> -DLP_PREFIX=<prefix> [-DLP_CONFIG=<config>] -P install_package.cmake
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE "${LP_PREFIX}")
set(config_args "")
if(LP_CONFIG)
  set(config_args --config "${LP_CONFIG}")
endif()
execute_process(
  COMMAND "${CMAKE_COMMAND}" --install "${LP_BUILD_DIR}" --prefix "${LP_PREFIX}" ${config_args}
  COMMAND_ERROR_IS_FATAL ANY)

# The layout docs/cmake.md promises.
foreach(expected IN ITEMS
        bin/lpc
        include/libparse/runtime.hpp
        share/libparse/schemas/net/udp.lps
        lib/cmake/libparse/libparseConfig.cmake
        lib/cmake/libparse/libparseConfigVersion.cmake
        lib/cmake/libparse/libparseTargets.cmake
        lib/cmake/libparse/libparseGenerate.cmake)
  if(NOT EXISTS "${LP_PREFIX}/${expected}")
    # Debian-style multiarch libdir: lib/<triplet>/cmake/...
    string(REPLACE "lib/cmake/" "lib/*/cmake/" pattern "${expected}")
    file(GLOB found "${LP_PREFIX}/${pattern}")
    if(NOT found)
      message(FATAL_ERROR "install did not produce ${expected} below ${LP_PREFIX}")
    endif()
  endif()
endforeach()
message(STATUS "installed into ${LP_PREFIX}")
