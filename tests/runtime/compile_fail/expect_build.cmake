# Builds one target of an existing build tree and checks the outcome.
#   cmake -DBUILD_DIR=... -DTARGET=... -DEXPECT=<regex|success> [-DCONFIG=...] -P expect_build.cmake
# EXPECT=success: the build must succeed. Otherwise it must fail AND its output
# must match the regex, so a failure for some other reason does not count.
foreach(var BUILD_DIR TARGET EXPECT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "expect_build.cmake: ${var} is not set")
  endif()
endforeach()
set(config_args)
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET} ${config_args}
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(EXPECT STREQUAL "success")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${TARGET} should compile but did not:\n${out}")
  endif()
  message(STATUS "${TARGET} compiled, as it should")
  return()
endif()
if(result EQUAL 0)
  message(FATAL_ERROR "${TARGET} compiled, but it must not")
endif()
if(NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "${TARGET} failed to compile, but not with /${EXPECT}/:\n${out}")
endif()
message(STATUS "${TARGET} failed to compile as expected (/${EXPECT}/)")
