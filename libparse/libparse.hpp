// Everything in the runtime: what generated code needs (runtime.hpp) plus the
// conveniences only applications use (mapped files, owned buffers, stream reading).
#pragma once

#include "libparse/format.hpp"
#include "libparse/mapped_file.hpp"
#include "libparse/owned.hpp"
#include "libparse/runtime.hpp"
#include "libparse/stream.hpp"
