# Install rules and the CMake package: runtime headers, lpc, the shipped schemas,
# exported targets libparse::runtime and libparse::lpc, libparseConfig.cmake (+
# version file), libparse_generate() and libparse_add_fuzzer(). A consumer then writes
#   find_package(libparse CONFIG REQUIRED)
#   libparse_generate(my_target SCHEMAS my.lps)
# Layout below the prefix: include/libparse/*.hpp, bin/lpc,
# share/libparse/schemas/**.lps, lib/cmake/libparse/*.cmake.
include(CMakePackageConfigHelpers)

set(LP_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/libparse"
    CACHE STRING "Where libparseConfig.cmake is installed, relative to the prefix")
set(LP_INSTALL_SCHEMADIR "${CMAKE_INSTALL_DATADIR}/libparse/schemas")

# Exported as libparse::runtime and libparse::lpc: the same names the in-tree
# aliases have, so code moves between in-tree and installed use unchanged.
set_target_properties(libparse_runtime PROPERTIES EXPORT_NAME runtime)
set_target_properties(lpc PROPERTIES EXPORT_NAME lpc)
install(TARGETS libparse_runtime lpc EXPORT libparseTargets
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/libparse/"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/libparse"
        FILES_MATCHING PATTERN "*.hpp")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/schemas/"
        DESTINATION "${LP_INSTALL_SCHEMADIR}"
        FILES_MATCHING PATTERN "*.lps")
install(EXPORT libparseTargets NAMESPACE libparse:: DESTINATION "${LP_INSTALL_CMAKEDIR}")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/libparseConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/libparseConfig.cmake"
  INSTALL_DESTINATION "${LP_INSTALL_CMAKEDIR}"
  PATH_VARS LP_INSTALL_SCHEMADIR)
# Before 1.0 a minor release may break schemas or the generated API, so 0.x.y
# satisfies a request for 0.x (SameMinorVersion); from 1.0 on, SameMajorVersion.
# This is the promise CHANGELOG.md makes. lpc and the runtime are checked against
# each other separately (the runtime_abi static_assert in every generated header).
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(lp_version_compatibility SameMinorVersion)
else()
  set(lp_version_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/libparseConfigVersion.cmake"
  COMPATIBILITY ${lp_version_compatibility})
install(FILES
  "${PROJECT_BINARY_DIR}/libparseConfig.cmake"
  "${PROJECT_BINARY_DIR}/libparseConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/libparseGenerate.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/libparseDepfile.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/libparseFuzz.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/libparseFuzzReplay.cpp"
  DESTINATION "${LP_INSTALL_CMAKEDIR}")

# `cmake --build <dir> --target package` (or cpack) makes a relocatable tarball of
# the same install tree.
set(CPACK_PACKAGE_NAME libparse)
set(CPACK_PACKAGE_VENDOR "libparse developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_GENERATOR TGZ)
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/out/" "/\\\\.cache/")
include(CPack)
