# What the benchmarks need: Google Benchmark, libprotobuf with protoc, protozero
# (headers only) and FlatBuffers with flatc. Included from the top-level
# CMakeLists.txt before LP_BUILD_BENCH is declared: the option defaults to ON
# when all of them are found. Sets LP_BENCH_DEPS_FOUND.
find_package(benchmark CONFIG QUIET)
find_package(Protobuf QUIET)
find_package(FlatBuffers CONFIG QUIET)
find_path(LP_PROTOZERO_INCLUDE_DIR protozero/pbf_reader.hpp)
if(benchmark_FOUND AND Protobuf_FOUND AND Protobuf_PROTOC_EXECUTABLE AND FlatBuffers_FOUND
   AND TARGET flatbuffers::flatc AND LP_PROTOZERO_INCLUDE_DIR)
  set(LP_BENCH_DEPS_FOUND ON)
else()
  set(LP_BENCH_DEPS_FOUND OFF)
endif()
