# lpseeds on the bundled capture (tools/lpdump/sample.pcap: ARP, two DNS queries
# over UDP, a TCP SYN, ICMP, a truncated TCP segment) and hex frame
# (tools/lpsample/sample-dns-query.hex): the seeds each layer gives.
#   cmake -DLPSEEDS=<lpseeds> -DSOURCE_DIR=<source tree> -DWORK_DIR=<scratch> -P lpseeds_test.cmake
cmake_minimum_required(VERSION 3.25)

# Runs lpseeds; `expected` seeds must land in WORK_DIR/<name>, with sizes `sizes`.
function(expect_seeds name expected_sizes)
  set(out_dir "${WORK_DIR}/${name}")
  file(REMOVE_RECURSE "${out_dir}")
  execute_process(COMMAND "${LPSEEDS}" -o "${out_dir}" ${ARGN}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status STREQUAL "0")
    message(FATAL_ERROR "lpseeds ${ARGN} failed (${status}):\n${out}${err}")
  endif()
  file(GLOB seeds LIST_DIRECTORIES false "${out_dir}/*")
  list(SORT seeds)
  set(sizes "")
  foreach(seed IN LISTS seeds)
    file(SIZE "${seed}" size)
    cmake_path(GET seed FILENAME seed_name)
    list(APPEND sizes "${seed_name}:${size}")
  endforeach()
  if(NOT sizes STREQUAL expected_sizes)
    message(FATAL_ERROR "lpseeds ${ARGN}: seeds '${sizes}', expected '${expected_sizes}'\n${out}${err}")
  endif()
endfunction()

set(pcap "${SOURCE_DIR}/tools/lpdump/sample.pcap")
expect_seeds(frame "sample-1:60;sample-2:71;sample-3:87;sample-4:74;sample-5:60;sample-6:46"
             "${pcap}")
# ARP has no IP layer; the truncated TCP segment fails the frame's parse.
expect_seeds(ip "sample-2:57;sample-3:73;sample-4:60;sample-5:36" --layer ip "${pcap}")
# ICMP is not UDP or TCP.
expect_seeds(transport "sample-2:37;sample-3:53;sample-4:40" --layer transport "${pcap}")
# The two DNS queries; the SYN's payload is empty (no seed).
expect_seeds(payload "sample-2:29;sample-3:45" --layer payload "${pcap}")
# A hex file is one message per blank-line-separated block, whatever the layer.
expect_seeds(hex "sample-dns-query-1:71" --layer payload
             "${SOURCE_DIR}/tools/lpsample/sample-dns-query.hex")

# A hex file with a stray character is an error naming file:line.
file(WRITE "${WORK_DIR}/broken.hex" "# comment\n00 01\n0z\n")
execute_process(COMMAND "${LPSEEDS}" -o "${WORK_DIR}/broken" "${WORK_DIR}/broken.hex"
                RESULT_VARIABLE status ERROR_VARIABLE err)
if(status STREQUAL "0" OR NOT err MATCHES "broken.hex:3: 'z' is not a hex digit")
  message(FATAL_ERROR "a broken hex file gave status ${status}:\n${err}")
endif()
