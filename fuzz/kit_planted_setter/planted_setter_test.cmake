# The fuzz target's setter check catches a setter that clobbers its neighbour:
# lpc --emit-fuzzer Flags on flags.lps, then set_dont_fragment() in the generated
# header is replaced by one that writes two bits (the reserved bit before it too),
# the target is compiled with the replay main and run on a byte whose reserved bit
# is clear. Writing back the value read and writing the old value again both leave
# the bytes as they were, so only the check of every bit after the complement
# write can see it; the run must abort with that check's message.
#   cmake -DLPC=<lpc> -DCXX=<c++ compiler> -DRUNTIME_INCLUDE=<dir holding libparse/>
#         -DREPLAY_MAIN=<libparseFuzzReplay.cpp> -DWORK_DIR=<scratch>
#         -P planted_setter_test.cmake
cmake_minimum_required(VERSION 3.25)
foreach(var IN ITEMS LPC CXX RUNTIME_INCLUDE REPLAY_MAIN WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "planted_setter_test.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(COMMAND "${LPC}" -I . -o "${WORK_DIR}" --color never --header-only --emit-fuzzer Flags flags.lps
                WORKING_DIRECTORY "${CMAKE_CURRENT_LIST_DIR}"
                RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "lpc --emit-fuzzer Flags failed (${status}):\n${err}")
endif()

set(header "${WORK_DIR}/flags.lp.hpp")
file(READ "${header}" text)
# The field's bit 1 of byte 0 becomes bits 0 and 1: the value's bit 1 lands on `reserved`.
set(good "lp::write_bits_msb(mut_data_(), 1, 1, static_cast<std::uint64_t>(v));")
set(planted "lp::write_bits_msb(mut_data_(), 0, 2, static_cast<std::uint64_t>(v));")
string(FIND "${text}" "set_dont_fragment(std::uint8_t v) noexcept { ${good}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "set_dont_fragment() is not written as this test expects; update the "
                      "planted line:\n${text}")
endif()
string(REPLACE "set_dont_fragment(std::uint8_t v) noexcept { ${good}"
               "set_dont_fragment(std::uint8_t v) noexcept { ${planted}" text "${text}")
file(WRITE "${header}" "${text}")

execute_process(
  COMMAND "${CXX}" -std=c++20 -O0 -I "${WORK_DIR}" -I "${RUNTIME_INCLUDE}"
          "${WORK_DIR}/flags.Flags.fuzz.cpp" "${REPLAY_MAIN}" -lfmt -o "${WORK_DIR}/planted"
  RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "compiling the planted target failed (${status}):\n${err}")
endif()

file(WRITE "${WORK_DIR}/input" " ")  # 0x20: more_fragments set, reserved and dont_fragment clear
execute_process(COMMAND "${WORK_DIR}/planted" "${WORK_DIR}/input"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(status STREQUAL "0")
  message(FATAL_ERROR "the planted setter was not caught (exit 0):\n${out}${err}")
endif()
if(NOT err MATCHES "Flags.dont_fragment: writing the complement changed 2 bits of the input, not the field's 1")
  message(FATAL_ERROR "the run failed (${status}) but not at the planted setter:\n${out}${err}")
endif()
message(STATUS "the planted setter was caught: ${err}")
