# Rewrites the Make-syntax depfile lpc wrote so that CMake reads it the same way
# whatever spelling lpc used: the target becomes exactly the header named in the
# custom command's OUTPUT, and every dependency an absolute path (CMake takes
# relative depfile paths from the binary folder, lpc from its working folder).
# Part of libparse_generate(); run as
#   cmake -DLIBPARSE_DEPFILE=<file> -DLIBPARSE_BASE_DIR=<lpc's working folder>
#         -DLIBPARSE_OUTPUT=<header> [-DLIBPARSE_TOUCH_OUTPUT=ON] -P libparseDepfile.cmake
# LIBPARSE_TOUCH_OUTPUT=ON also sets the header's time to now: lpc leaves an
# unchanged header alone, which only generators with restat (Ninja) can follow.
# Handles what lpc and compilers emit: "target: dep dep \" continuation lines,
# "\ " for a space inside a path, "$$" for '$', and phony rules after the first one
# (ignored). Paths containing ';' are not supported (CMake lists).
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS LIBPARSE_DEPFILE LIBPARSE_BASE_DIR LIBPARSE_OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "libparseDepfile.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${LIBPARSE_DEPFILE}")
  message(FATAL_ERROR "lpc did not write the depfile ${LIBPARSE_DEPFILE}")
endif()

file(READ "${LIBPARSE_DEPFILE}" text)
string(REPLACE "\\\r\n" " " text "${text}")
string(REPLACE "\\\n" " " text "${text}")

# The rule's target (ignored: it becomes LIBPARSE_OUTPUT) ends at the first ':'
# that is followed by white space or by nothing.
if(NOT text MATCHES "^(([^:]|:[^ \t\r\n])*):([ \t\r\n]|$)")
  message(FATAL_ERROR "${LIBPARSE_DEPFILE}: no 'target: dependencies' rule in: ${text}")
endif()
string(LENGTH "${CMAKE_MATCH_1}:" head_length)  # up to the ':', keeping what follows
string(SUBSTRING "${text}" ${head_length} -1 dependencies_text)
# Only the first rule counts: later lines may be phony "dep:" rules (as with -MP),
# whose names must not become dependencies of their own.
string(FIND "${dependencies_text}" "\n" end_of_rule)
if(NOT end_of_rule EQUAL -1)
  string(SUBSTRING "${dependencies_text}" 0 ${end_of_rule} dependencies_text)
endif()

# A word is a run of characters that are not blanks, or an escaped character.
string(REGEX MATCHALL "([^ \t\r\n\\\\]|\\\\.)+" words "${dependencies_text}")
set(lines "${LIBPARSE_OUTPUT}:")
foreach(word IN LISTS words)
  string(REGEX REPLACE "\\\\(.)" "\\1" path "${word}")
  string(REPLACE "$$" "$" path "${path}")
  cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY "${LIBPARSE_BASE_DIR}" NORMALIZE)
  string(REPLACE "$" "$$" path "${path}")
  string(REPLACE " " "\\ " path "${path}")
  string(APPEND lines " \\\n  ${path}")
endforeach()
file(WRITE "${LIBPARSE_DEPFILE}" "${lines}\n")

if(LIBPARSE_TOUCH_OUTPUT)
  file(TOUCH_NOCREATE "${LIBPARSE_OUTPUT}")
endif()
