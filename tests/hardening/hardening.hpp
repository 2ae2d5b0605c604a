// The hardening suite's shared pieces: a byte builder, a parse function for each
// shipped top-level type behind one signature, and table rows ("cases") that
// pair a hostile input with the exact lp::Error (or success) it must give.
//
// Each theme (lengths, tlv, limits, edges) builds its rows in a function
// declared here; its own tests check every row, and allocation_test.cpp parses
// every row again with a counting global operator new.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <libparse/libparse.hpp>

#include "capture/pcap.lp.hpp"
#include "capture/pcapng.lp.hpp"

namespace hardening {

using Bytes = std::vector<std::uint8_t>;

// Appends fields in wire order: `Builder().u8(0x45).be16(40).take()`.
class Builder {
 public:
  Builder& u8(std::uint64_t v) {
    out_.push_back(static_cast<std::uint8_t>(v));
    return *this;
  }
  Builder& be16(std::uint64_t v) { return u8(v >> 8).u8(v); }
  Builder& be24(std::uint64_t v) { return u8(v >> 16).be16(v); }
  Builder& be32(std::uint64_t v) { return be16(v >> 16).be16(v); }
  Builder& be64(std::uint64_t v) { return be32(v >> 32).be32(v); }
  Builder& le16(std::uint64_t v) { return u8(v).u8(v >> 8); }
  Builder& le32(std::uint64_t v) { return le16(v).le16(v >> 16); }
  Builder& le64(std::uint64_t v) { return le32(v).le32(v >> 32); }
  // Protobuf's base-128 varint, minimal encoding.
  Builder& varint(std::uint64_t v) {
    while (v >= 0x80) {
      u8((v & 0x7f) | 0x80);
      v >>= 7;
    }
    return u8(v);
  }
  Builder& fill(std::size_t n, std::uint8_t value = 0) {
    out_.resize(out_.size() + n, value);
    return *this;
  }
  Builder& append(const Bytes& more) {
    out_.reserve(out_.size() + more.size());
    for (const std::uint8_t b : more) out_.push_back(b);
    return *this;
  }
  std::size_t size() const { return out_.size(); }
  Bytes take() { return std::move(out_); }

 private:
  Bytes out_;
};

// Every type the suite parses, behind one signature: the size of the view, or
// the error. Parameterised types get their arguments from the wrapper's name.
using ParseFn = lp::Result<std::size_t> (*)(lp::bytes, const lp::ParseOptions&);

template <class Type>
lp::Result<std::size_t> parse_as(lp::bytes b, const lp::ParseOptions& options) {
  const auto parsed = Type::parse(b, options);
  if (!parsed) return parsed.error();
  return parsed->size();
}

// The parameterised top-level types, with the arguments a reader of a
// little-endian microsecond file passes.
inline lp::Result<std::size_t> parse_pcap_record_le(lp::bytes b, const lp::ParseOptions& o) {
  const auto r = capture::PcapRecord::parse(b, lp::byte_order::little, 0, o);
  if (!r) return r.error();
  return r->size();
}
inline lp::Result<std::size_t> parse_pcapng_block_le(lp::bytes b, const lp::ParseOptions& o) {
  const auto r = capture::PcapngBlock::parse(b, lp::byte_order::little, o);
  if (!r) return r.error();
  return r->size();
}

// One row: an input and what parse() must say about it.
struct Case {
  std::string name;
  ParseFn parse = nullptr;
  Bytes input;
  lp::ParseOptions options{};
  bool ok = false;
  std::size_t size = 0;  // ok: the view's size
  lp::errc code = lp::errc::truncated;
  std::size_t offset = 0;
  std::string path;
  std::size_t needed = 0;  // truncated: checked when not 0
  // bad_length, overflow, constraint_failed, limit_exceeded: the value read, when set
  bool check_actual = false;
  std::uint64_t actual = 0;

  Case& with_options(const lp::ParseOptions& o) {
    options = o;
    return *this;
  }
  Case& with_needed(std::size_t n) {
    needed = n;
    return *this;
  }
  Case& with_actual(std::uint64_t v) {
    check_actual = true;
    actual = v;
    return *this;
  }
};

inline Case ok(std::string name, ParseFn parse, Bytes input, std::size_t size) {
  Case c;
  c.name = std::move(name);
  c.parse = parse;
  c.input = std::move(input);
  c.ok = true;
  c.size = size;
  return c;
}

inline Case fails(std::string name, ParseFn parse, Bytes input, lp::errc code, std::size_t offset,
                  std::string path) {
  Case c;
  c.name = std::move(name);
  c.parse = parse;
  c.input = std::move(input);
  c.code = code;
  c.offset = offset;
  c.path = std::move(path);
  return c;
}

// Parses the row's input and checks every expectation of the row.
inline void expect_case(const Case& c) {
  SCOPED_TRACE(c.name);
  const auto result = c.parse(lp::bytes(c.input.data(), c.input.size()), c.options);
  if (c.ok) {
    ASSERT_TRUE(result) << result.error();
    EXPECT_EQ(*result, c.size);
    return;
  }
  ASSERT_FALSE(result) << "parsed " << *result << " bytes";
  const lp::Error& e = result.error();
  EXPECT_EQ(e.code(), c.code) << e;
  EXPECT_EQ(e.byte_offset(), c.offset) << e;
  EXPECT_EQ(e.field_path(), c.path) << e;
  if (c.needed != 0) {
    EXPECT_EQ(e.needed(), c.needed) << e;
  }
  if (c.code == lp::errc::truncated) {
    EXPECT_GT(e.needed(), 0u) << e;
  }
  if (c.check_actual) {
    EXPECT_TRUE(e.has_actual()) << e;
    EXPECT_EQ(e.actual(), c.actual) << e;
  }
}

// The rows of each theme (one function per test file).
std::vector<Case> length_cases();
std::vector<Case> tlv_cases();
std::vector<Case> limit_cases();
// A valid sample of every shipped top-level type (edges_test.cpp).
// `describe` parses and prints every field with its offset from the buffer's
// start (so buffers at different addresses compare equal).
using DescribeFn = std::string (*)(lp::bytes);
struct Sample {
  std::string type;  // the type's name: the first segment of every error path
  ParseFn parse;
  DescribeFn describe;
  Bytes bytes;
  // Prefixes that are themselves valid: every length from `valid_from` on (a
  // trailing `bytes[]` cut short), and these (element boundaries of an array
  // reaching the end of the buffer).
  std::size_t valid_from;
  std::vector<std::size_t> also_valid = {};
};
std::vector<Sample> samples();

}  // namespace hardening
