// The runtime's version, and the ABI number generated headers check against.
#pragma once

#include <string_view>

#define LP_VERSION_MAJOR 0
#define LP_VERSION_MINOR 1
#define LP_VERSION_PATCH 0

namespace lp {

inline constexpr std::string_view version_string = "0.1.0";

// Bumped whenever generated code would stop compiling or behave differently
// against this runtime; every generated header static_asserts on it.
inline constexpr int runtime_abi = 6;

}  // namespace lp
