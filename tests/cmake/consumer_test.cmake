# cmake_consumer: configure, build and run tests/cmake/consumer against the
# installed package; the program's exit status is the verdict.
#   cmake <project args, see project_helpers.cmake> -DLP_SOURCE_DIR=... -DLP_WORK_DIR=... -P consumer_test.cmake
cmake_minimum_required(VERSION 3.25)
include("${CMAKE_CURRENT_LIST_DIR}/project_helpers.cmake")

file(REMOVE_RECURSE "${LP_WORK_DIR}")
lp_configure("${LP_SOURCE_DIR}" "${LP_WORK_DIR}")
lp_build("${LP_WORK_DIR}" build_log)
lp_run("${LP_WORK_DIR}/consumer" output)
