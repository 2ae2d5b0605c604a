// Heap allocations made by this program: bench/alloc_counter.cpp replaces every
// form of the global operator new (plain, array, aligned, nothrow) to count them.
// malloc() called directly is not counted; libprotobuf, flatbuffers and the
// standard library allocate through operator new.
#pragma once

#include <cstdint>

namespace lp_bench {

std::uint64_t heap_allocations() noexcept;

}  // namespace lp_bench
