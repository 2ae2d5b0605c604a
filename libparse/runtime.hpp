// Everything generated headers need. User code usually includes the generated
// header (which includes this) or libparse/libparse.hpp. Not the bodies of the
// generated entry points (libparse/entry_points.hpp): only the generated source
// file compiles those.
#pragma once

#include <new>  // placement new: parse() begins the lifetime of a switch arm's view

#include "libparse/array_view.hpp"
#include "libparse/bits.hpp"
#include "libparse/bytes.hpp"
#include "libparse/checked.hpp"
#include "libparse/checksum.hpp"
#include "libparse/endian.hpp"
#include "libparse/error.hpp"
#include "libparse/flags.hpp"
#include "libparse/lazy_array.hpp"
#include "libparse/optional_ref.hpp"
#include "libparse/optional_value.hpp"
#include "libparse/options.hpp"
#include "libparse/partial.hpp"
#include "libparse/pointer.hpp"
#include "libparse/varint.hpp"
#include "libparse/version.hpp"
#include "libparse/view_base.hpp"
#include "libparse/visit.hpp"
#include "libparse/writer.hpp"
