# Unit tests of the semantic checks, the layout stage, the plan and the emitters'
# CodeWriter (included by CMakeLists.txt in this folder). Schemas are strings
# compiled in memory; the shipped schemas/ are loaded from the source tree.
cmake_path(SET lp_backend_unit_dir NORMALIZE "${CMAKE_CURRENT_LIST_DIR}")
cmake_path(SET lp_backend_schemas_dir NORMALIZE "${lp_backend_unit_dir}/../../../schemas")
string(REGEX REPLACE "/$" "" lp_backend_schemas_dir "${lp_backend_schemas_dir}")

foreach(stage IN ITEMS sema layout plan bounds emit_fuzzer code_writer)
  add_executable(${stage}_tests "${lp_backend_unit_dir}/${stage}_test.cpp")
  target_link_libraries(${stage}_tests PRIVATE lpc_core GTest::gtest_main lp_warnings)
  # test_util.hpp (TempDir) comes from the front-end tests.
  target_include_directories(${stage}_tests PRIVATE
    "${lp_backend_unit_dir}" "${lp_backend_unit_dir}/../frontend")
  target_compile_definitions(${stage}_tests PRIVATE LP_SCHEMAS_DIR="${lp_backend_schemas_dir}")
  gtest_discover_tests(${stage}_tests DISCOVERY_TIMEOUT 60)
endforeach()
