# lpdns on a broken zone file must print the error as file:line and exit
# non-zero before it serves anything (binding no socket).
#   cmake -DLPDNS=<lpdns> -DZONE=<broken.zone> -DLINE=<n> -P check_zone_error.cmake
execute_process(COMMAND ${LPDNS} --zone ${ZONE} --origin example.com --port 0 --address 127.0.0.1
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 20)
if(status EQUAL 0 OR NOT status MATCHES "^[0-9]+$")
  message(FATAL_ERROR "lpdns exited with '${status}' on ${ZONE}, expected a non-zero status\n${err}")
endif()
cmake_path(GET ZONE FILENAME zone_name)
string(REPLACE "." "\\." zone_pattern "${zone_name}")
if(NOT err MATCHES "${zone_pattern}:${LINE}: ")
  message(FATAL_ERROR "lpdns's error does not name ${zone_name}:${LINE}:\n${err}")
endif()
if(err MATCHES "serving")
  message(FATAL_ERROR "lpdns started serving despite the zone error:\n${err}")
endif()
message(STATUS "lpdns refused ${zone_name}: ${err}")
