// The fuzz-kit emitter: a libFuzzer target and a dictionary for one schema struct.
//
// The target is mostly fixed text (the invariant checks are the same for every
// type); what depends on the schema is the type it parses and, for the Mut path,
// one check_setters() per struct that lists every integer and enum setter of that
// struct and descends into its nested structs, switch arms and struct arrays, and
// the arguments of the root's parameters. The dictionary collects `==` values, the
// values fields are compared with (in constraints, conditions and lets), enum
// members, switch cases and constants, each encoded the way the field that holds
// it sits on the wire (width, byte order, bit position, varint form) with its
// byte-mates set to values the constraints accept; fixed headers with their magic;
// boundary values of lengths (docs/fuzzing.md, "The dictionary").
#include "emit/emit_fuzzer.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "ast/queries.hpp"
#include "emit/code_writer.hpp"
#include "emit/cpp_common.hpp"
#include "emit/emit_cpp.hpp"
#include "sema/eval.hpp"

namespace lpc::emit {
namespace {

using ast::struct_of;
using layout::MemberKind;
using layout::MemberLayout;
using layout::StructLayout;

// "::net::Ipv4Mut": fully qualified, so the target reads the same from any package.
std::string cpp_name(const ast::StructDecl& s, std::string_view suffix) {
  return fmt::format("::{}::{}{}", fmt::join(s.module->package, "::"), s.name, suffix);
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// `net/ipv4.lps:33: version: u4 == 4;`
std::string schema_line(SourceRange range) {
  if (range.file == nullptr) return {};
  const auto lc = range.file->line_col(range.begin);
  return fmt::format("{}:{}: {}", range.file->display_path, lc.line,
                     trim(range.file->line_text(lc.line)));
}

std::string stem(const ast::Module& module) {
  std::string path = header_path(module);
  return path.substr(0, path.size() - std::string_view(".lp.hpp").size());
}

bool is_integer(const MemberLayout& m) {
  return (m.kind == MemberKind::byte_integer || m.kind == MemberKind::bit_field) &&
         m.scalar != nullptr && !m.scalar->is_float && !m.optional &&  // optional: bool setter
         !m.peek;                                                      // peek: no setter
}

// Every struct `root` contains, directly or not, with `root`: `pre` root first,
// `post` each struct after the structs it contains. Recursive arms are followed
// only when `through_recursive_arms`: a Value keeps such an arm as bytes, so the
// mutator never reaches the arm's struct through it, while the parser does.
void reachable(const ast::StructDecl& s, const layout::ProgramLayout& layout,
               bool through_recursive_arms, std::vector<const ast::StructDecl*>& pre,
               std::vector<const ast::StructDecl*>& post) {
  if (std::find(pre.begin(), pre.end(), &s) != pre.end()) return;
  pre.push_back(&s);
  for (const MemberLayout& m : layout.of(s).members) {
    if (m.field == nullptr) continue;
    if (const auto* sw = std::get_if<ast::SwitchType>(&m.field->type->node)) {
      for (const auto& arm : sw->arms) {
        if (arm.indirect && !through_recursive_arms) continue;
        if (const ast::StructDecl* child = struct_of(*arm.type))
          reachable(*child, layout, through_recursive_arms, pre, post);
      }
    } else if (const ast::StructDecl* child = struct_of(*m.field->type)) {
      reachable(*child, layout, through_recursive_arms, pre, post);
    }
  }
  post.push_back(&s);
}

// ------------------------------------------------------------ the target

// The invariant checks, the same for every type. Kept as plain text (no
// placeholders) so that it reads like the C++ it is.
constexpr std::string_view kChecks =
    R"code(// ------------------------------------------------------------------ the checks
// The same for every type; the lists of setters for this type follow below.

// Fast mode (LIBPARSE_FUZZ_FAST, libparse_add_fuzzer(... FAST)) leaves the
// formatting checks out: they cost exec/s, and fmt's strings would pour into
// libFuzzer's comparison hints. Messages are still formatted when a check fails.
#ifdef LIBPARSE_FUZZ_FAST
constexpr bool kCheckFormatting = false;
#else
constexpr bool kCheckFormatting = true;
#endif

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "fuzz target for %s: invariant violated: %s\n",
               std::string(Type::View::type_name).c_str(), message.c_str());
  std::abort();
}

std::ptrdiff_t offset_in(lp::bytes part, lp::bytes input) {
  return static_cast<std::ptrdiff_t>(reinterpret_cast<std::uintptr_t>(part.data()) -
                                     reinterpret_cast<std::uintptr_t>(input.data()));
}

// True when `part` lies inside `whole`; an empty part may sit at either end.
bool inside(lp::bytes part, lp::bytes whole) {
  const auto begin = reinterpret_cast<std::uintptr_t>(whole.data());
  const auto at = reinterpret_cast<std::uintptr_t>(part.data());
  return at >= begin && at - begin <= whole.size() &&
         part.size() <= whole.size() - (at - begin);
}

// Walks visit(): every field, array and nested struct must lie inside the struct or
// array that reports it (the outermost: the view's bytes(), a prefix of the input),
// with a name (array elements without), and an array must report exactly the
// elements it announced.
class BoundsChecker final : public lp::FieldVisitor {
 public:
  BoundsChecker(lp::bytes view, lp::bytes input) : input_(input) {
    levels_.push_back({Type::View::type_name, view, false, 0, 0});
  }

  void on_unsigned(std::string_view name, std::uint64_t, lp::bytes where) override {
    leaf(name, where);
  }
  void on_signed(std::string_view name, std::int64_t, lp::bytes where) override {
    leaf(name, where);
  }
  void on_float(std::string_view name, double, lp::bytes where) override { leaf(name, where); }
  void on_enum(std::string_view name, std::uint64_t, std::string_view, lp::bytes where) override {
    leaf(name, where);
  }
  void on_bytes(std::string_view name, lp::bytes value) override { leaf(name, value); }
  void begin_struct(std::string_view name, std::string_view type_name, lp::bytes where) override {
    leaf(name, where);
    if (type_name.empty()) fail(path(name) + ": a nested struct without a type name");
    levels_.push_back({name, where, false, 0, 0});
  }
  void end_struct() override { close(false); }
  void begin_array(std::string_view name, std::size_t count, lp::bytes where) override {
    leaf(name, where);
    levels_.push_back({name, where, true, count, 0});
  }
  void end_array() override {
    const Level& level = levels_.back();
    if (level.is_array && level.seen != level.count) {
      fail(fmt::format("{}: the array announced {} elements and reported {}", path({}),
                       level.count, level.seen));
    }
    close(true);
  }

  // After visit(): every begin_* had its end_*.
  void finish() const {
    if (levels_.size() != 1) fail(path({}) + ": visit() left a struct or array open");
  }

 private:
  struct Level {
    std::string_view name;
    lp::bytes where;
    bool is_array;
    std::size_t count;
    std::size_t seen;
  };

  std::string path(std::string_view name) const {
    std::string out;
    for (const Level& level : levels_) {
      if (!out.empty()) out += '.';
      out.append(level.name);
    }
    if (!name.empty()) out.append(".").append(name);
    return out;
  }

  void leaf(std::string_view name, lp::bytes where) {
    Level& level = levels_.back();
    if (level.is_array) {
      ++level.seen;
      if (!name.empty()) fail(path(name) + ": an array element with a name");
    } else if (name.empty()) {
      fail(path({}) + ": a field without a name");
    }
    if (!inside(where, level.where)) {
      fail(fmt::format("{}: {} bytes at input offset {} lie outside {} bytes at offset {} "
                       "(input: {} bytes)",
                       path(name), where.size(), offset_in(where, input_), level.where.size(),
                       offset_in(level.where, input_), input_.size()));
    }
  }

  void close(bool is_array) {
    if (levels_.size() < 2 || levels_.back().is_array != is_array) {
      fail(path({}) + ": an end_struct()/end_array() that matches no begin");
    }
    levels_.pop_back();
  }

  lp::bytes input_;
  std::vector<Level> levels_;
};

// A parsed view: it spans a prefix of the input, every field lies inside it, it
// formats, and parsing exactly its bytes again (with the same arguments) gives the
// same view.
void check_view(const Type::View& view, lp::bytes input, const Arguments& args) {
  const lp::bytes bytes = view.bytes();
  if (bytes.data() != input.data() || bytes.size() > input.size() || view.size() != bytes.size()) {
    fail(fmt::format("bytes() ({} bytes at offset {}, size() {}) is not a prefix of the "
                     "input ({} bytes)",
                     bytes.size(), offset_in(bytes, input), view.size(), input.size()));
  }
  BoundsChecker bounds(bytes, input);
  view.visit(bounds);
  bounds.finish();

  std::string line;
  if constexpr (kCheckFormatting) {
    line = fmt::format("{}", view);
    const std::string tree = fmt::format("{:t}", view);
    const std::string json = fmt::format("{}", lp::json(view));
    const std::string dump = fmt::format("{}", lp::annotated_hexdump(view));
    if (line.empty() || tree.empty() || json.empty()) fail("a view formatted as nothing");
  }

  const auto again = parse_input(bytes, args);
  if (!again) fail("parsing exactly bytes() again failed: " + again.error().message());
  if (again->size() != view.size()) {
    fail(fmt::format("parsing exactly bytes() again gave {} bytes instead of {}",
                     again->size(), view.size()));
  }
  if (kCheckFormatting && fmt::format("{}", *again) != line) {
    fail("parsing exactly bytes() again gave other fields");
  }

  // Deferring the lists parse() may leave unwalked skips checks, never adds one;
  // the deferred lists of a valid input iterate to the same elements.
  lp::ParseOptions deferring;
  deferring.defer_lists = true;
  const auto deferred = parse_input(input, args, deferring);
  if (!deferred) fail("parse() with defer_lists rejected it: " + deferred.error().message());
  if (deferred->size() != view.size()) fail("parse() with defer_lists gave another size");
  if (kCheckFormatting && fmt::format("{}", lp::json(*deferred)) != fmt::format("{}", lp::json(view))) {
    fail("parse() with defer_lists read other fields");
  }
}

// How often parse() called ParseOptions::on_error, and for which type last.
struct HandlerLog {
  std::size_t calls = 0;
  std::string_view last_type;

  static void record(void* context, std::string_view type_name, std::string_view,
                     const lp::Error&) {
    auto* log = static_cast<HandlerLog*>(context);
    ++log->calls;
    log->last_type = type_name;
  }
};

// A parse error: a known code, offsets inside the input, a path that starts at the
// type parse() was called on, the error handler called up to that type, and a
// message that formats.
void check_error(const lp::Error& error, lp::bytes input, const HandlerLog& log) {
  const auto message = [&] { return fmt::format("{}", error); };  // for failures
  if (lp::to_string(error.code()) == "unknown error") fail("an unknown error code: " + message());
  if (error.byte_offset() > input.size() || error.bit_offset() > 7) {
    fail(fmt::format("offset outside the input ({} bytes): {}", input.size(), message()));
  }
  if (error.path_size() == 0) fail("an error without a field path: " + message());
  for (std::size_t i = 0; i < error.path_size(); ++i) {
    if (error.path_segment(i).empty()) fail("an empty path segment: " + message());
  }
  if (!error.path_truncated() && error.path_segment(0) != Type::View::type_name) {
    fail("the path does not start with the type parsed: " + message());
  }
  if (error.code() == lp::errc::truncated && error.needed() == 0) {
    fail("truncated, but no more bytes needed: " + message());
  }
  if (log.calls == 0 || log.last_type != Type::View::type_name) {
    fail(fmt::format("the error handler was called {} times, last for '{}': {}",
                     log.calls, log.last_type, message()));
  }
  if constexpr (kCheckFormatting) {
    if (error.field_path().empty()) fail("an error with an empty field path: " + message());
    if (message().empty() || fmt::format("{:x}", error).empty()) {
      fail("an error formatted as nothing");
    }
  }
}

// The Mut path works on a copy of the input: `copy` must equal `original` again
// after each setter check.
struct Buffers {
  lp::bytes original;
  lp::mut_bytes copy;

  bool changed() const { return !(lp::bytes(copy) == original); }

  // How many bits of the copy differ from the original, over the whole input.
  std::size_t bits_changed() const {
    std::size_t count = 0;
    for (std::size_t i = 0; i < copy.size(); ++i) {
      count += static_cast<std::size_t>(
          std::popcount(static_cast<unsigned>(copy[i] ^ original[i]) & 0xffU));
    }
    return count;
  }
};

template <class T>
std::uint64_t raw(T value) {
  if constexpr (std::is_enum_v<T>) {
    return static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(value));
  } else if constexpr (requires { typename T::raw_type; }) {
    return static_cast<std::uint64_t>(value.raw());  // a flags class
  } else {
    return static_cast<std::uint64_t>(value);  // signed: sign-extended
  }
}

template <class T>
T from_raw(std::uint64_t bits) {
  if constexpr (std::is_enum_v<T>) {
    return static_cast<T>(static_cast<std::underlying_type_t<T>>(bits));
  } else if constexpr (requires { typename T::raw_type; }) {
    return T(static_cast<typename T::raw_type>(bits));  // a flags class
  } else {
    return static_cast<T>(bits);
  }
}

// What a field of `width` bits reads after its setter stored `bits`: the low bits,
// sign-extended for signed fields.
template <class T>
std::uint64_t stored(std::uint64_t bits, unsigned width) {
  if (width >= 64) return bits;
  const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
  bits &= mask;
  if constexpr (std::is_signed_v<T>) {
    if (((bits >> (width - 1)) & 1) != 0) bits |= ~mask;
  }
  return bits;
}

// One setter: writing back the value read changes no byte; writing its complement
// reads back as the complement cut to the field's width and flips exactly the
// field's `width` bits of the whole input, so no bit outside the field changed (a
// setter that also clobbers a neighbour, even one in the same byte, fails here);
// writing the old value again restores every byte.
template <class Mut, class Get, class Set>
void check_setter(Mut& mut, Get get, Set set, unsigned width, const char* field,
                  const Buffers& buffers) {
  using T = std::remove_cvref_t<std::invoke_result_t<Get, Mut&>>;
  const T old = std::invoke(get, mut);
  std::invoke(set, mut, old);
  if (buffers.changed()) {
    fail(fmt::format("{}: writing back the value read changed the bytes", field));
  }
  const T other = from_raw<T>(~raw(old));
  std::invoke(set, mut, other);
  const std::uint64_t expected = stored<T>(raw(other), width);
  const std::uint64_t got = raw(std::invoke(get, mut));
  if (got != expected) {
    fail(fmt::format("{}: wrote {:#x}, read back {:#x}", field, expected, got));
  }
  const std::size_t flipped = buffers.bits_changed();
  if (flipped != std::min(width, 64U)) {
    fail(fmt::format("{}: writing the complement changed {} bits of the input, not the "
                     "field's {}: a bit outside the field changed",
                     field, flipped, std::min(width, 64U)));
  }
  std::invoke(set, mut, old);
  if (buffers.changed()) {
    fail(fmt::format("{}: writing the old value again left other bytes changed", field));
  }
}

// Checksums: update_checksums() writes what verify_checksums() then accepts, and
// both fail alike when a covered length does not fit; `pseudo` is a pseudo-header
// sum for types that take one. The copy is restored afterwards.
template <class Mut, class... Pseudo>
void check_checksums(Mut& mut, const Buffers& buffers, const char* type,
                     const Pseudo&... pseudo) {
  const std::vector<std::byte> before(buffers.copy.begin(), buffers.copy.end());
  const lp::Status updated = mut.update_checksums(pseudo...);
  const lp::Status verified = mut.verify_checksums(pseudo...);
  if (updated && !verified) {
    fail(fmt::format("{}: verify_checksums() rejected what update_checksums() wrote: {}", type,
                     verified.error().message()));
  }
  if (!updated && (verified || verified.error().code() != updated.error().code())) {
    fail(fmt::format("{}: update_checksums() failed ({}) but verify_checksums() did not", type,
                     updated.error().message()));
  }
  if (!before.empty()) std::memcpy(buffers.copy.data(), before.data(), before.size());
  if (buffers.changed()) fail(fmt::format("{}: restoring the bytes after checksums failed", type));
}
)code";

// For types with a serializer: `exact` when every parsed message comes back byte
// for byte (plan/plan.hpp, StructPlan::serializes_exactly).
constexpr std::string_view kRoundTrip = R"code(
// The write path: serialize(to_value(view)) gives the view's bytes back (types
// whose every byte is kept in the value), or, for the others (shortest varints,
// zeroed padding), bytes whose own round trip gives them again: serialize()
// writes one canonical form. A failure of serialize() is an error for exact
// types, and must be a well-formed lp::Error for any.
void check_round_trip(const Type::View& view, bool exact, const Arguments& args) {
  const auto written = serialize_value(Type::to_value(view), args);
  if (!written) {
    if (exact) fail("serialize(to_value(view)) failed: " + written.error().message());
    if (written.error().path_size() == 0) fail("serialize() failed without a field path");
    return;
  }
  const lp::bytes original = view.bytes();
  const bool same = written->size() == original.size() &&
                    std::equal(original.begin(), original.end(), written->begin());
  if (exact && !same) fail("serialize(to_value(view)) differs from the view's bytes");
  const auto again = parse_input(*written, args, lp::ParseOptions::unlimited());
  if (!again) fail("parse() rejected what serialize() wrote: " + again.error().message());
  const auto twice = serialize_value(Type::to_value(*again), args);
  if (!twice) fail("serialize() rejected its own output's value: " + twice.error().message());
  if (*twice != *written) fail("serialize() of its own output's value gives other bytes");
}
)code";

// The structure-aware mutator, for types with a serializer (docs/fuzzing.md,
// "Structure-aware mutation"): LLVMFuzzerCustomMutator parses the input, takes
// its value, changes one to three places in it (a field, with values the schema
// names for it; an array: insert, drop or duplicate an element; an optional
// field: add or remove it; a switch: another arm with its tag), clears the
// lengths and checksums serialize() computes, and serializes: nested lengths stay
// right, so mutations reach past them. Input that does not parse, and a value
// serialize() rejects, fall back to libFuzzer's byte mutation.
constexpr std::string_view kMutatorClass = R"code(
// libFuzzer's own byte mutation; absent (null) in builds without libFuzzer.
extern "C" [[gnu::weak]] std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size,
                                                      std::size_t max_size);

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_std_array : std::false_type {};
template <class T, std::size_t N>
struct is_std_array<std::array<T, N>> : std::true_type {};
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// visit() of what a member holds: through an optional's value and each array
// element, down to a struct value or a scalar.
template <class T, class Visit>
void each_held(T& value, const Visit& visit) {
  if constexpr (is_optional<T>::value) {
    if (value) each_held(*value, visit);
  } else if constexpr (is_vector<T>::value || is_std_array<T>::value) {
    for (auto& element : value) each_held(element, visit);
  } else {
    visit(value);
  }
}

// A value whose switches have no arm (a default array element) given the arm its
// tag selects: complete_arms() of each struct it holds.
template <class T>
void complete_inside(T& value) {
  each_held(value, [](auto& held) {
    if constexpr (requires { complete_arms(held); }) complete_arms(held);
  });
}

// New bytes made during one mutator or crossover call (changed contents, nested
// messages serialized): a value points into them until it is serialized, so they
// live until the next call begins.
std::deque<std::vector<std::byte>>& arena() {
  static std::deque<std::vector<std::byte>> bytes;
  return bytes;
}

// A default bytes or string member of a fixed size given that many zeros
// (sizes up to 4096; a default value is empty, and serialize() rejects it).
template <class T>
void fill_zeros(T& bytes, std::size_t size) {
  static const std::array<std::byte, 4096> zeros{};
  if (bytes.size() == size || size > zeros.size()) return;
  if constexpr (std::is_same_v<T, lp::bytes>) {
    bytes = lp::bytes(zeros.data(), size);
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    bytes = std::string_view(reinterpret_cast<const char*>(zeros.data()), size);
  }
}

// The smallest content that a computed length's own constraints accept
// (`length: u16 where length >= 1; name: string[length];`, `cipher_suites_length
// where >= 2` over `CipherSuite[] size(cipher_suites_length)`): a default value
// is empty, its computed length 0, and serialize() rejects it, so a value built
// from nothing never got past such a list. Bytes get `size` zeros; an array by
// count `size` default elements, completed; an array by byte size default
// elements until they measure at least `size` (`size_of` gives an element's
// serialized size; an element that does not serialize stops it).
template <class T>
void grow_bytes(T& bytes, std::size_t size) {
  if (bytes.size() < size) fill_zeros(bytes, size);
}
template <class T>
void grow_count(T& array, std::size_t count) {
  if constexpr (is_vector<T>::value) {
    while (array.size() < count && array.size() < 4096) {
      typename T::value_type element{};
      complete_inside(element);
      array.push_back(std::move(element));
    }
  }
}
template <class T, class SizeOf>
void grow_sized(T& array, std::size_t size, const SizeOf& size_of) {
  std::size_t total = 0;
  for (const auto& element : array) {
    const lp::Result<std::size_t> n = size_of(element);
    if (!n) return;
    total += *n;
  }
  while (total < size && array.size() < 4096) {
    typename T::value_type element{};
    complete_inside(element);
    const lp::Result<std::size_t> n = size_of(element);
    if (!n || *n == 0) return;
    total += *n;
    array.push_back(std::move(element));
  }
}

// A nested message (a recursive arm's, kept as its bytes) serialized into the
// arena, `out` pointing at it; left as it was when the value does not serialize.
template <class Inner>
void serialize_nested(const typename Inner::Value& value, lp::bytes& out) {
  lp::Result<std::vector<std::byte>> bytes = Inner::serialize(value);
  if (!bytes) return;
  std::vector<std::byte>& kept = arena().emplace_back(std::move(*bytes));
  out = lp::bytes(kept.data(), kept.size());
}

// A recursive arm chosen anew: the bytes of a value of its struct built from
// nothing (as the root's is for input that does not parse), not empty bytes that
// its struct cannot parse. A default arm that selects the recursive arm again
// stops after a few levels.
template <class Inner>
void build_nested(lp::bytes& out) {
  static int depth = 0;
  if (depth > 3) return;
  ++depth;
  typename Inner::Value value;
  complete_arms(value);
  clear_derived(value);
  serialize_nested<Inner>(value, out);
  --depth;
}

// The bytes after an `until` list's terminator (IPv4's and TCP's
// `options_padding`) given the fewest zeros (up to 7) with which the struct
// serializes, when it does not as it is: a size computed as `ihl * 4 - 20` has a
// solution only for whole words, and a list that gained or lost an element
// rarely fills one. Left as it was when no padding helps.
template <class Fits>
void pad_to_fit(lp::bytes& padding, const Fits& fits) {
  if (fits()) return;
  const lp::bytes kept = padding;
  for (std::size_t n = 0; n < 8; ++n) {
    padding = lp::bytes();
    fill_zeros(padding, n);
    if (fits()) return;
  }
  padding = kept;
}

// Whether change() can do something to a T: a struct is no place of its own
// (its members are), nor is a fixed-size array.
template <class T>
constexpr bool changeable =
    std::is_integral_v<T> || std::is_enum_v<T> || requires { typename T::raw_type; } ||
    std::is_same_v<T, lp::bytes> || std::is_same_v<T, std::string_view> ||
    is_optional<T>::value || is_vector<T>::value;

// Walks a value's members twice: first counting the places it can change, then
// changing the one drawn, so a field deep in a list is drawn as often as one of
// the root. New bytes live in the mutator until serialize() ran.
class ValueMutator {
 public:
  // For one integer field: first its width mask, then the values worth trying
  // (from the schema: its width's edges, the constants it is compared with and
  // their neighbours, its enum members or flags' bits), as its C++ member holds
  // them. Empty for other members.
  using Special = std::initializer_list<std::uint64_t>;

  explicit ValueMutator(unsigned seed) : rng_(seed) {}

  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : rng_() % n; }

  // Call walk_value() between begin_count() and begin_change().
  void begin_count() {
    count_ = 0;
    target_ = kNone;
  }
  bool begin_change() {
    if (count_ == 0) return false;
    target_ = below(count_);
    count_ = 0;
    return true;
  }

  // One place: the member itself (when change() can act on it), then what it
  // holds. `resizable`: a bytes field or array whose size serialize() derives
  // its length from; otherwise (a length another arm shares, a constant) its
  // size is kept and only its content changes.
  template <class T>
  void member(T& value, Special special = {}, bool resizable = true) {
    if constexpr (changeable<T>) {
      if (count_++ == target_) change(value, special, resizable);
    }
    inside(value, special, resizable);
  }
  // A switch arm: only what it holds is changed here; choosing another arm is
  // the place that arm_choice() counts, since the tag must change with it.
  template <class T>
  void arm(T& value, bool resizable = true) {
    inside(value, {}, resizable);
  }
  // A field that is not conditional: when its member is optional, serialize()
  // computes it (a length, a count, a checksum), so it is no place to change.
  template <class T>
  void field(T& value, Special special = {}, bool resizable = true) {
    if constexpr (!is_optional<T>::value) member(value, special, resizable);
  }
  // A value of `mask`'s bits that is none of `cases`: a tag for the default arm.
  std::uint64_t other_than(Special cases, std::uint64_t mask) {
    std::uint64_t v = 0;
    for (int tries = 0; tries < 16; ++tries) {
      v = (rng_() | (std::uint64_t{rng_()} << 32)) & (below(2) == 0 ? mask & 0xff : mask);
      if (std::find(cases.begin(), cases.end(), v) == cases.end()) break;
    }
    return v;
  }

  // A recursive arm's message, kept as its bytes: one place. When drawn, the
  // bytes are parsed as `Inner` (a value built from nothing when they do not
  // parse), one change is made inside as in the root's value, and the value is
  // serialized again: a tunnelled IPv6 packet in IPv4 changes like the outer one
  // instead of as opaque bytes.
  template <class Inner>
  void nested(std::optional<lp::bytes>& bytes) {
    if (!bytes || count_++ != target_) return;
    typename Inner::Value value;
    const auto parsed = Inner::parse(*bytes, lp::ParseOptions::unlimited());
    if (parsed) {
      value = Inner::to_value(*parsed);
    } else {
      complete_arms(value);
    }
    change_inside(value);
    clear_derived(value);
    serialize_nested<Inner>(value, *bytes);
  }

  // A value new in the message (an arm chosen anew, an inserted element, an
  // optional added): completed as a default value is (the arms its tags select,
  // the minimums its constraints ask for), then, half the time, changed once
  // inside, so that a new list element is not always the same default (a TLS
  // extension of the first type, an IPv4 option of type 0).
  template <class T>
  void fresh(T& value, Special special = {}) {
    complete_inside(value);
    if (below(2) == 0) change_inside(value, special);
  }
  template <class Inner>
  void fresh_nested(lp::bytes& bytes) {
    build_nested<Inner>(bytes);
  }

  // An `until` list: its last element ends it, so elements are inserted, dropped
  // and copied before it, and it is never copied.
  template <class T>
  void until_list(T& value, bool resizable = true) {
    terminated_ = count_ == target_;
    field(value, {}, resizable);
    terminated_ = false;
  }

  // Another arm of a switch on the field `tag`: true when this place was drawn
  // (the caller then sets the tag to the arm's case and empties the others).
  // No place when serialize() computes the tag.
  template <class T>
  bool arm_choice(const T&) {
    if constexpr (is_optional<T>::value) {
      return false;
    } else {
      return count_++ == target_;
    }
  }

 private:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};

  // One change among the places inside `value` (drawn as walk_value() draws
  // them), the walk in progress around it left as it was.
  template <class T>
  void change_inside(T& value, Special special = {}) {
    const std::uint64_t count = count_;
    const std::uint64_t target = target_;
    const bool terminated = terminated_;
    begin_count();
    terminated_ = false;
    member(value, special);
    if (begin_change()) member(value, special);
    count_ = count;
    target_ = target;
    terminated_ = terminated;
  }

  template <class T>
  void inside(T& value, Special special, bool resizable) {
    if constexpr (is_optional<T>::value) {
      if (value) member(*value, special, resizable);  // a conditional field's own value
    } else if constexpr (is_vector<T>::value || is_std_array<T>::value) {
      for (auto& element : value) member(element, special);  // an enum array's members
    } else if constexpr (requires { walk_value(value, *this); }) {
      walk_value(value, *this);
    }
  }

  // A new value for an integer field. The first special value is the field's
  // width mask: the result is cut to it (and sign-extended for a signed field),
  // since serialize() rejects a value that does not fit its bits.
  template <class T>
  T integer(T old_value, Special special) {
    const std::uint64_t drawn = integer(static_cast<std::uint64_t>(old_value), special);
    if (special.size() == 0) return static_cast<T>(drawn);
    const std::uint64_t mask = *special.begin();
    std::uint64_t bits = drawn & mask;
    const std::uint64_t top = (mask >> 1) + 1;
    if (std::is_signed_v<T> && mask != ~std::uint64_t{0} && (bits & top) != 0) bits |= ~mask;
    return static_cast<T>(bits);
  }

  std::uint64_t integer(std::uint64_t old, Special special) {
    if (special.size() != 0 && below(8) < 3) return special.begin()[below(special.size())];
    switch (below(8)) {
      case 0: return old + 1;
      case 1: return old - 1;
      case 2: return old ^ (std::uint64_t{1} << below(64));
      case 3: return 0;
      case 4: return ~std::uint64_t{0};
      case 5: return below(256);
      case 6: return old << 1;
      default: return rng_() | (std::uint64_t{rng_()} << 32);
    }
  }

  // New content for a bytes or string field: half the time libFuzzer's own byte
  // mutation of its bytes (serialize() then writes the new length), else emptied,
  // grown or shrunk with a byte changed.
  std::vector<std::byte>& new_bytes(const std::byte* from, std::size_t have, bool resizable) {
    std::vector<std::byte>& out = arena().emplace_back();
    if (!resizable) {  // the same size: libFuzzer's mutation cut or padded, or bytes changed
      out.assign(from, from + have);
      if (have == 0) return out;
      if (LLVMFuzzerMutate != nullptr && below(2) == 0) {
        out.resize(LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(out.data()), have, have));
        out.resize(have);
      } else {
        for (std::uint64_t i = 1 + below(4); i > 0; --i) out[below(have)] = static_cast<std::byte>(rng_());
      }
      return out;
    }
    if (LLVMFuzzerMutate != nullptr && below(2) == 0) {
      out.resize(have + 1 + have / 2 + below(64));
      if (have != 0) std::memcpy(out.data(), from, have);
      out.resize(LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(out.data()), have, out.size()));
      return out;
    }
    const std::size_t size = new_size(have);
    out.resize(size);
    const std::size_t keep = have < size ? have : size;
    if (keep != 0) std::memcpy(out.data(), from, keep);
    for (std::size_t i = keep; i < size; ++i) out[i] = static_cast<std::byte>(rng_());
    if (size != 0 && below(2) == 0) out[below(size)] = static_cast<std::byte>(rng_());
    return out;
  }

  std::size_t new_size(std::size_t old) {
    switch (below(4)) {
      case 0: return 0;
      case 1: return old + 1 + below(16);
      case 2: return old == 0 ? 1 : below(old);
      default: return old;
    }
  }

  template <class T>
  void change(T& value, Special special, bool resizable) {
    if constexpr (std::is_same_v<T, bool>) {
      value = !value;
    } else if constexpr (std::is_integral_v<T>) {
      value = integer(value, special);
    } else if constexpr (std::is_enum_v<T>) {
      using U = std::underlying_type_t<T>;
      value = static_cast<T>(integer(static_cast<U>(value), special));
    } else if constexpr (requires { typename T::raw_type; }) {  // a flags class
      value = T(integer(static_cast<typename T::raw_type>(value.raw()), special));
    } else if constexpr (std::is_same_v<T, lp::bytes>) {
      const auto& out = new_bytes(value.data(), value.size(), resizable);
      value = lp::bytes(out.data(), out.size());
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      const auto& out =
          new_bytes(reinterpret_cast<const std::byte*>(value.data()), value.size(), resizable);
      value = std::string_view(reinterpret_cast<const char*>(out.data()), out.size());
    } else if constexpr (is_optional<T>::value) {  // add or remove an optional member
      if (value) {
        value.reset();
      } else {
        fresh(value.emplace());
      }
    } else if constexpr (is_vector<T>::value) {  // duplicate, drop or insert an element
      if (!resizable) {  // the same count: an element replaced by a copy of another
        if (!value.empty()) value[below(value.size())] = value[below(value.size())];
        return;
      }
      // A default element (its switches given the arm their tag selects) is the
      // rarest change, and the only one for an empty array.
      const std::size_t n = terminated_ && !value.empty() ? value.size() - 1 : value.size();
      const std::size_t at = static_cast<std::size_t>(below(n + 1));
      switch (n == 0 ? 0 : 1 + below(5)) {
        case 0: {
          typename T::value_type element{};
          fresh(element, special);
          value.insert(value.begin() + static_cast<std::ptrdiff_t>(at), std::move(element));
          break;
        }
        case 1:
        case 2:
          value.erase(value.begin() + static_cast<std::ptrdiff_t>(at == n ? at - 1 : at));
          break;
        default: {
          const auto copy = value[static_cast<std::size_t>(below(n))];
          value.insert(value.begin() + static_cast<std::ptrdiff_t>(at), copy);
        }
      }
    }
  }

  std::minstd_rand rng_;
  std::uint64_t count_ = 0;
  std::uint64_t target_ = kNone;
  bool terminated_ = false;  // the place drawn is an `until` list
};

// Whether serialize() computes a member (a length, a count): then a bytes field
// or array sized by it may change size.
template <class T>
constexpr bool computed(const T&) {
  return is_optional<T>::value;
}

// An integer, enum or flags member set to `bits`: a switch's tag to one of an
// arm's cases, a default value's field to what its constraints accept. A member
// serialize() computes (optional) is left alone: a tag it computes is no place
// (ValueMutator::arm_choice()).
template <class T>
void set_bits(T& member, std::uint64_t bits) {
  if constexpr (!is_optional<T>::value) {
    if constexpr (requires { typename T::raw_type; }) {
      member = T(static_cast<typename T::raw_type>(bits));
    } else {
      member = static_cast<T>(bits);
    }
  }
}

// A member serialize() could compute but cannot here (a pseudo-header checksum)
// given a value when it has none: 0 (parse() does not verify it).
template <class T>
void fill_unset(T& value) {
  if constexpr (is_optional<T>::value) {
    if (!value) value.emplace();
  }
}

// What clear_derived() does to one member: the optional members of fields that
// are not conditional are lengths, counts and checksums serialize() computes.
template <class T>
void clear_inside(T& value) {
  each_held(value, [](auto& held) {
    if constexpr (requires { clear_derived(held); }) clear_derived(held);
  });
}
template <class T>
void clear_computed(T& value) {
  if constexpr (is_optional<T>::value) {
    value.reset();
  } else {
    clear_inside(value);
  }
}

// A length that is both the size of a switch and the argument of the struct in
// the arm (TLS's Handshake.length, passed to ClientHello): serialize() cannot
// work it out (the arm needs it first), so it is settled here: the size the arm
// serializes to, given the length, until the two agree. An arm's size moves with
// its argument through its conditions (ClientHello's extensions follow when the
// length is above the hello's own), so the rounds start from the length the
// input had, then from 0 and from the largest value (a condition that held and
// now must not, or the other way round), a few rounds each. Left as it is when
// none settles: serialize() then says why.
template <class Int, class SizeGiven>
std::optional<Int> settled_length(Int from, const SizeGiven& size_given) {
  constexpr std::uint64_t kMax = std::numeric_limits<Int>::max();
  for (const std::uint64_t start : {static_cast<std::uint64_t>(from), std::uint64_t{0}, kMax}) {
    std::uint64_t n = start;
    for (int round = 0; round < 4 && n <= kMax; ++round) {
      const lp::Result<std::size_t> size = size_given(static_cast<Int>(n));
      if (!size) break;
      if (*size == n) return static_cast<Int>(n);
      n = *size;
    }
  }
  return std::nullopt;
}
template <class Int, class SizeGiven>
void settle_length(std::optional<Int>& length, const SizeGiven& size_given) {
  if (const std::optional<Int> n = settled_length(length.value_or(0), size_given)) length = *n;
}
template <class Int, class SizeGiven>
void settle_length(Int& length, const SizeGiven& size_given) {
  if (const std::optional<Int> n = settled_length(length, size_given)) length = *n;
}

)code";

constexpr std::string_view kMutatorHelpers = R"code(
// `value` serialized behind the argument bytes `prefix` into `data`; 0 when it
// does not serialize or does not fit. Written into a scratch buffer of the room
// left (the value's bytes may point into `data`), never into one of the value's
// own size: a changed length can ask for gigabytes.
std::size_t write_value(const Type::Value& value, const Arguments& args, lp::bytes prefix,
                        std::uint8_t* data, std::size_t max_size) {
  if (prefix.size() >= max_size) return 0;
  static std::vector<std::byte> scratch;
  scratch.resize(max_size - prefix.size());
  const auto written = serialize_value_into(value, lp::mut_bytes(scratch), args);
  if (!written) return 0;
  if (!prefix.empty()) std::memmove(data, prefix.data(), prefix.size());
  if (*written != 0) std::memcpy(data + prefix.size(), scratch.data(), *written);
  return prefix.size() + *written;
}

std::size_t byte_mutation(std::uint8_t* data, std::size_t size, std::size_t max_size) {
  return LLVMFuzzerMutate != nullptr ? LLVMFuzzerMutate(data, size, max_size) : size;
}

// LIBPARSE_FUZZ_BYTES_ONLY=1 in the environment turns the structure-aware
// mutator off (to compare campaigns with and without it).
bool bytes_only() {
  static const bool off = [] {
    const char* value = std::getenv("LIBPARSE_FUZZ_BYTES_ONLY");
    return value != nullptr && std::string_view(value) == "1";
  }();
  return off;
}

)code";

constexpr std::string_view kMutatorEntry = R"code(
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed) {
  ValueMutator mutator(seed);
  if (bytes_only() || mutator.below(8) == 0) return byte_mutation(data, size, max_size);
  arena().clear();  // the last call's new bytes: serialized since
  lp::bytes input(data, size);
  const Arguments args = take_arguments(input);
  const std::vector<std::byte> prefix(reinterpret_cast<const std::byte*>(data),
                                      reinterpret_cast<const std::byte*>(data) + (size - input.size()));
  const auto parsed = parse_input(input, args, lp::ParseOptions::unlimited());
  // Input that does not parse: half the time a value built from nothing instead
  // (the arms its tags select, the constants and minimums its constraints ask
  // for), changed as below: from an empty corpus the first inputs get past the
  // format's magic numbers and lengths without waiting for byte mutation to.
  if (!parsed && mutator.below(2) == 0) return byte_mutation(data, size, max_size);
  Type::Value value;
  if (parsed) {
    value = Type::to_value(*parsed);
  } else {
    complete_arms(value);
  }
  const std::uint64_t changes = 1 + mutator.below(3);
  for (std::uint64_t i = 0; i < changes; ++i) {
    mutator.begin_count();
    walk_value(value, mutator);
    if (!mutator.begin_change()) break;
    walk_value(value, mutator);
  }
  clear_derived(value);
  // Serialized through a copy: bytes in the value still point into `data`.
  const std::size_t written =
      write_value(value, args, lp::bytes(prefix.data(), prefix.size()), data, max_size);
  return written != 0 ? written : byte_mutation(data, size, max_size);
}

// Crossover: the members of the first value from a drawn one on taken from the
// second, lengths recomputed.
extern "C" std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* data1, std::size_t size1,
                                                 const std::uint8_t* data2, std::size_t size2,
                                                 std::uint8_t* out, std::size_t max_out_size,
                                                 unsigned seed) {
  ValueMutator mutator(seed);
  if (bytes_only()) {  // a byte crossover in its place: a head of one, a tail of the other
    const std::size_t head = static_cast<std::size_t>(mutator.below(size1 + 1));
    const std::size_t from = static_cast<std::size_t>(mutator.below(size2 + 1));
    const std::size_t tail = std::min(size2 - from, max_out_size - std::min(head, max_out_size));
    if (head > max_out_size) return 0;
    if (head != 0) std::memcpy(out, data1, head);
    if (tail != 0) std::memcpy(out + head, data2 + from, tail);
    return head + tail;
  }
  arena().clear();
  lp::bytes first(data1, size1);
  lp::bytes second(data2, size2);
  const Arguments args = take_arguments(first);
  const Arguments unused = take_arguments(second);
  static_cast<void>(unused);
  const auto a = parse_input(first, args, lp::ParseOptions::unlimited());
  const auto b = parse_input(second, args, lp::ParseOptions::unlimited());
  if (!a || !b) return 0;
  Type::Value value = Type::to_value(*a);
  cross_over(value, Type::to_value(*b), mutator.below(kRootMembers + 1));
  clear_derived(value);
  const lp::bytes prefix(data1, size1 - first.size());
  return write_value(value, args, prefix, out, max_out_size);
}
)code";

constexpr std::string_view kMain = R"code(
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  lp::bytes input(data, size);
  const Arguments args = take_arguments(input);  // the rest of the input is the buffer
  HandlerLog log;
  lp::ParseOptions options;
  options.on_error = &HandlerLog::record;
  options.on_error_context = &log;
  const auto parsed = parse_input(input, args, options);
  if (!parsed) {
    check_error(parsed.error(), input, log);
    return 0;
  }
  if (log.calls != 0) fail("the error handler was called for a successful parse");
  check_view(*parsed, input, args);
ROUND_TRIP
  // The Mut path, on a copy that starts at an odd address.
  std::vector<std::byte> storage(input.size() + 1);
  const lp::mut_bytes copy(storage.data() + 1, input.size());
  if (!input.empty()) std::memcpy(copy.data(), input.data(), input.size());
  auto mut = parse_input_mut(copy, args);
  if (!mut) fail("parse_mut() rejected what parse() accepted: " + mut.error().message());
  if (mut->size() != parsed->size()) fail("parse_mut() and parse() disagree on the size");
  check_setters(*mut, Buffers{input, copy});
  return 0;
}
)code";

class FuzzerEmitter {
 public:
  FuzzerEmitter(const ast::StructDecl& root, const plan::ProgramPlan& plan)
      : root_(root), plan_(plan), layout_(plan.layout()) {
    reachable(root, layout_, /*through_recursive_arms=*/true, pre_, post_);
  }

  std::string source(const Options& options) {
    code_.set("VERSION", options.compiler_version);
    code_.set("SCHEMA", root_.module->include_path);
    code_.set("HEADER", header_path(*root_.module));
    code_.set("TYPE", cpp_name(root_, ""));
    code_.set("DICT", stem(*root_.module) + "." + root_.name + ".dict");
    const plan::StructPlan& root_plan = plan_.of(root_);
    code_.set("MUTATOR_COMMENT",
              root_plan.has_serializer
                  ? "// Mutation is structure-aware: LLVMFuzzerCustomMutator and CustomCrossOver\n"
                    "// (at the end) change the parsed value and serialize it again.\n"
                  : "// Mutation is libFuzzer's own: the type has no serializer to rebuild a\n"
                    "// changed value with.\n");
    set_max_len(root_plan);
    if (!root_plan.has_serializer) {
      code_.set("ROUND_TRIP_COMMENT",
                "//  - no round trip: the type has no serializer (an expression it is\n"
                "//    written by reads `remaining`, here or in a child).\n");
    } else if (root_plan.serializes_exactly) {
      code_.set("ROUND_TRIP_COMMENT",
                "//  - serialize(to_value(view)) gives the view's bytes back.\n");
    } else {
      code_.set("ROUND_TRIP_COMMENT",
                "//  - serialize(to_value(view)) gives a canonical form (shortest varints,\n"
                "//    zeroed padding) that is its own round trip.\n");
    }
    code_ +=
        "// Generated by lpc {{VERSION}} from {{SCHEMA}}: a libFuzzer target for {{TYPE}}.\n"
        "// Do not edit: regenerate with `lpc --emit-fuzzer`. Build it with\n"
        "// libparse_add_fuzzer() and run it with -dict={{DICT}} (docs/fuzzing.md).\n"
        "//\n"
        "// It checks invariants of the generated code, not only that nothing crashes:\n"
        "//  - an error is well formed: a known code, offsets inside the input, a path\n"
        "//    that starts at the type parsed, the error handler called, a message;\n"
        "//  - a parsed view spans a prefix of the input; every field and nested struct\n"
        "//    visit() reports lies inside the struct that holds it; the view formats;\n"
        "//    parsing exactly its bytes again gives the same view; parsing it with\n"
        "//    ParseOptions::defer_lists succeeds too and reads the same fields;\n"
        "//  - through the Mut view (over a copy), every integer and enum setter: writing\n"
        "//    back the value read changes no byte, writing its complement reads it back\n"
        "//    (cut to the field's width) and changes no bit outside the field, writing\n"
        "//    the old value restores every byte;\n"
        "{{ROUND_TRIP_COMMENT}}"
        "// Any violation prints what failed and calls abort(). Compiled with\n"
        "// LIBPARSE_FUZZ_FAST, the formatting checks are left out.\n"
        "{{MUTATOR_COMMENT}}"
        "{{MAX_LEN_COMMENT}}"
        "#include <algorithm>\n"
        "#include <array>\n"
        "#include <bit>\n"
        "#include <cstddef>\n"
        "#include <cstdint>\n"
        "#include <cstdio>\n"
        "#include <cstdlib>\n"
        "#include <cstring>\n"
        "#include <deque>\n"
        "#include <functional>\n"
        "#include <initializer_list>\n"
        "#include <limits>\n"
        "#include <optional>\n"
        "#include <random>\n"
        "#include <string>\n"
        "#include <string_view>\n"
        "#include <type_traits>\n"
        "#include <vector>\n"
        "\n"
        "#include <libparse/format.hpp>\n"
        "#include \"{{HEADER}}\"\n"
        "\n"
        "namespace {\n"
        "\n"
        "using Type = {{TYPE}};  // the type under test\n";
    emit_arguments();
    code_.append(kChecks);
    code_ +=
        "\n"
        "// ------------------------------------------------------------------ the setters\n"
        "// Every integer and enum field with a setter, by struct; nested structs, switch\n"
        "// arms and struct arrays are checked through their own Mut views.";
    // Declared first: a recursive arm calls the check of a struct defined later.
    bool any_recursive = false;
    for (const ast::StructDecl* s : post_) any_recursive = any_recursive || has_recursive_arm(*s);
    if (any_recursive) {
      code_ += "";
      for (const ast::StructDecl* s : post_) {
        if (s != &root_ && !has_setters(*s)) continue;
        code_.set("MUT", cpp_name(*s, "Mut"));
        code_ += "void check_setters({{MUT}} mut, const Buffers& buffers);";
      }
    }
    for (const ast::StructDecl* s : post_) {
      if (s == &root_ || has_setters(*s)) emit_setters(*s);
    }
    std::string main_text(kMain);
    const std::string::size_type mark = main_text.find("ROUND_TRIP\n");
    if (plan_.of(root_).has_serializer) {
      code_.append(kRoundTrip);
      main_text.replace(mark, std::string_view("ROUND_TRIP\n").size(),
                        fmt::format("  check_round_trip(*parsed, /*exact=*/{}, args);\n",
                                    plan_.of(root_).serializes_exactly ? "true" : "false"));
    } else {
      main_text.erase(mark, std::string_view("ROUND_TRIP\n").size());
    }
    const bool mutates = plan_.of(root_).has_serializer;
    if (mutates) {
      emit_mutator();
      code_.append(kMutatorHelpers);
    }
    code_ += "\n}  // namespace";
    if (mutates) {
      code_.append(kMutatorEntry);
    } else {
      code_ +=
          "\n// No structure-aware mutator (LLVMFuzzerCustomMutator): {{TYPE}} has no serializer\n"
          "// to rebuild a mutated value with; libFuzzer mutates the bytes.";
    }
    if (max_len_) emit_max_len();
    code_.append(main_text);
    return code_.str();
  }

 private:
  // -max_len from the plan's bound on what parse() reads (plan/bounds.hpp), plus
  // the argument bytes of a parameterised root: the header says which applies.
  void set_max_len(const plan::StructPlan& root_plan) {
    std::uint64_t argument_bytes = 0;
    for (const ast::Param& p : root_.params) {
      argument_bytes += p.is_endian ? 1 : (std::get<ast::NamedType>(p.type->node).bits + 7U) / 8U;
    }
    const std::optional<std::uint64_t> bound = root_plan.max_parse_bytes;
    if (!bound) {
      code_.set("MAX_LEN_COMMENT",
                "// Input size: parse() may read any number of bytes (a list or bytes field\n"
                "// runs to the end of the buffer, or a length is unbounded), so libFuzzer's\n"
                "// default -max_len applies.\n");
    } else if (argument_bytes + *bound > plan::kFuzzMaxLenCap) {
      code_.set(
          "MAX_LEN_COMMENT",
          fmt::format("// Input size: parse() reads at most {} bytes, above the kit's cap of\n"
                      "// {}: libFuzzer's default -max_len applies.\n",
                      *bound, plan::kFuzzMaxLenCap));
    } else {
      max_len_ = argument_bytes + *bound;
      const std::string arguments =
          argument_bytes == 0 ? "" : fmt::format(" ({} argument bytes first)", argument_bytes);
      code_.set(
          "MAX_LEN_COMMENT",
          fmt::format("// Input size: parse() reads at most {} bytes: LLVMFuzzerInitialize (at\n"
                      "// the end) passes -max_len={}{} to libFuzzer; a -max_len\n"
                      "// given on the command line wins.\n",
                      *bound, *max_len_, arguments));
    }
  }

  // Inserted right after the program's name: a later -max_len of the user's own
  // wins, and flags after -ignore_remaining_args=1 stay ignored.
  void emit_max_len() {
    code_.set("MAX_LEN", std::to_string(*max_len_));
    code_ +=
        "\n"
        "// libFuzzer calls this before it reads its flags (llvm.org/docs/LibFuzzer.html).\n"
        "extern \"C\" int LLVMFuzzerInitialize(int* argc, char*** argv) {\n"
        "  static char max_len[] = \"-max_len={{MAX_LEN}}\";\n"
        "  static std::vector<char*> args;\n"
        "  args.assign(*argv, *argv + *argc);\n"
        "  args.insert(args.begin() + (args.empty() ? 0 : 1), max_len);\n"
        "  args.push_back(nullptr);\n"
        "  *argv = args.data();\n"
        "  *argc += 1;\n"
        "  return 0;\n"
        "}";
  }

  // The mutator: ValueMutator and, for every struct with a value reachable from
  // the root, walk_value() (each member a place to change) and clear_derived()
  // (the lengths and checksums serialize() computes emptied), then the root's
  // cross_over(). Whether a member is computed is read from its C++ type (an
  // optional member of a field that is not conditional), so the serializer's
  // own decision is not repeated here.
  void emit_mutator() {
    // The structs the root's Value holds, and those behind a recursive arm the
    // mutator parses and serializes again (nestable_arm()): the Value keeps such
    // an arm as bytes, so its struct is reached through nested().
    std::vector<const ast::StructDecl*> value_pre;
    std::vector<const ast::StructDecl*> value_post;
    reachable(root_, layout_, /*through_recursive_arms=*/false, value_pre, value_post);
    for (std::size_t i = 0; i < value_pre.size(); ++i) {
      for (const MemberLayout& m : layout_.of(*value_pre[i]).members) {
        const auto* sw =
            m.field != nullptr ? std::get_if<ast::SwitchType>(&m.field->type->node) : nullptr;
        if (sw == nullptr) continue;
        for (const auto& arm : sw->arms) {
          if (const ast::StructDecl* inner = nestable_arm(arm))
            reachable(*inner, layout_, /*through_recursive_arms=*/false, value_pre, value_post);
        }
      }
    }
    std::vector<const ast::StructDecl*> values;
    for (const ast::StructDecl* s : value_post) {
      if (plan_.of(*s).has_serializer) values.push_back(s);
    }
    code_ +=
        "\n"
        "// ------------------------------------------------------------------ the mutator\n"
        "class ValueMutator;";
    for (const ast::StructDecl* s : values) {
      code_.set("VALUE", cpp_name(*s, "Value"));
      code_ +=
          "void walk_value({{VALUE}}& value, ValueMutator& mutator);\n"
          "void clear_derived({{VALUE}}& value);\n"
          "void complete_arms({{VALUE}}& value);";
    }
    code_.append(kMutatorClass);
    for (const ast::StructDecl* s : values) {
      code_.set("VALUE", cpp_name(*s, "Value"));
      code_.set("COMMENT", schema_line(s->range));
      std::string walk;
      std::string clear;
      std::string settle;  // after clear: the arms' own lengths are emptied first
      std::string complete;
      const std::set<const ast::Field*> tags = choice_tags(*s);
      for (const MemberLayout& m : layout_.of(*s).members) {
        if (m.field == nullptr || m.field->name == "_") continue;
        const ast::Field& f = *m.field;
        if (const auto* sw = std::get_if<ast::SwitchType>(&f.type->node)) {
          walk += arm_choice(f, *sw);
          complete += complete_switch(f, *sw);
          for (const auto& arm : sw->arms) {
            const std::string sized = resizable(*arm.type);
            walk += fmt::format("  mutator.arm(value.{}_{}{});\n", f.name, arm.name,
                                sized.empty() ? "" : ", " + sized);
            if (const ast::StructDecl* inner = nestable_arm(arm)) {
              walk += fmt::format("  mutator.nested<{}>(value.{}_{});\n", cpp_name(*inner, ""),
                                  f.name, arm.name);
            }
            clear += fmt::format("  clear_inside(value.{}_{});\n", f.name, arm.name);
          }
          continue;
        }
        if (f.checksum && f.checksum->pseudo_header && !f.condition) {
          // serialize() computes a pseudo-header checksum only when given the
          // pseudo-header, which the root's serialize() and a parent's (TCP in
          // IPv4) do not pass: emptied, every value holding one would be
          // rejected. parse() does not verify checksums, so the input's stays,
          // and a default value gets 0.
          complete += fmt::format("  fill_unset(value.{});\n", f.name);
          continue;
        }
        const std::vector<std::string> passing = arms_passing(*s, f);
        std::string keep;
        for (const std::string& arm : passing)
          keep += fmt::format("{}!value.{}", keep.empty() ? "" : " && ", arm);
        clear += fmt::format("  {}{}(value.{});\n", keep.empty() ? "" : "if (" + keep + ") ",
                             f.condition ? "clear_inside" : "clear_computed", f.name);
        settle += settled_lengths(*s, f, values);
        if (tags.count(&f) != 0) continue;  // changed with its switch's arm
        std::string special = special_values(*s, m);
        if (const auto* array = std::get_if<ast::ArrayType>(&f.type->node))
          special = element_special_values(*array);
        const std::string sized = resizable(*f.type);
        if (const auto start = satisfying_default(*s, m))
          complete += fmt::format("  set_bits(value.{}, {:#x});\n", f.name, *start);
        complete += fmt::format("  complete_inside(value.{});\n", f.name);
        complete += grown_to_minimum(*s, f);
        if (const auto* b = std::get_if<ast::BytesType>(&f.type->node);
            b && b->count && !f.condition) {
          const sema::EvalResult n = sema::evaluate_constant(*b->count);
          if (n.status == sema::EvalStatus::ok)
            complete += fmt::format("  fill_zeros(value.{}, {});\n", f.name, n.value.bits);
        }
        const auto* array = std::get_if<ast::ArrayType>(&f.type->node);
        if (array != nullptr && array->until && !f.condition) {
          walk += fmt::format("  mutator.until_list(value.{}{});\n", f.name,
                              sized.empty() ? "" : ", " + sized);
          continue;
        }
        walk += fmt::format("  mutator.{}(value.{}{}{});\n", f.condition ? "member" : "field",
                            f.name, special.empty() ? "" : ", {" + special + "}",
                            sized.empty()     ? ""
                            : special.empty() ? ", {}, " + sized
                                              : ", " + sized);
      }
      code_.set("WALK", walk.empty() ? "  static_cast<void>(mutator);\n" : walk);
      clear += settle;
      clear += padded_to_fit(*s);
      code_.set("CLEAR", clear.empty() ? "  static_cast<void>(value);\n" : clear);
      code_.set("COMPLETE", complete.empty() ? "  static_cast<void>(value);\n" : complete);
      code_ +=
          "// {{COMMENT}}\n"
          "void walk_value({{VALUE}}& value, ValueMutator& mutator) {\n"
          "{{WALK}}}\n"
          "\n"
          "void clear_derived({{VALUE}}& value) {\n"
          "{{CLEAR}}}\n"
          "\n"
          "[[maybe_unused]] void complete_arms({{VALUE}}& value) {\n"
          "{{COMPLETE}}}\n";
    }
    // Crossover: members of the root from `from` on are taken from `other`.
    std::vector<std::string> members;
    for (const MemberLayout& m : layout_.of(root_).members) {
      if (m.field == nullptr || m.field->name == "_") continue;
      if (const auto* sw = std::get_if<ast::SwitchType>(&m.field->type->node)) {
        for (const auto& arm : sw->arms) members.push_back(m.field->name + "_" + arm.name);
        continue;
      }
      members.push_back(m.field->name);
    }
    std::string cross;
    for (std::size_t i = 0; i < members.size(); ++i) {
      cross += fmt::format("  if (from <= {0}) value.{1} = other.{1};\n", i, members[i]);
    }
    if (cross.empty()) {
      cross =
          "  static_cast<void>(value);\n  static_cast<void>(other);\n  static_cast<void>(from);\n";
    }
    code_.set("COUNT", std::to_string(members.size()));
    code_.set("CROSS", cross);
    code_ +=
        "constexpr std::uint64_t kRootMembers = {{COUNT}};\n"
        "\n"
        "void cross_over(Type::Value& value, const Type::Value& other, std::uint64_t from) {\n"
        "{{CROSS}}}";
  }

  // Choosing another arm of a switch on a field of the same struct (`switch
  // (type)`): the tag set to one of the arm's cases, the other arms emptied and
  // the arm a default value, each case equally likely (libprotobuf-mutator
  // switches a oneof the same way). A tag computed from several fields, and the
  // default arm (no case to set), are left to the changes of the tag field.
  struct ChoiceTag {
    const ast::Field* field = nullptr;
    std::optional<std::uint64_t> other_branch;  // a constant the tag takes otherwise
  };
  // `switch (kind)`, or `switch (cond ? TAG : kind)` (IPv4's fragments, 802.3
  // frames): `kind` is the field to set, and TAG is no case to set it to.
  static ChoiceTag choice_tag(const ast::SwitchType& sw) {
    ChoiceTag out;
    const ast::Expr* tag_expr = sw.tag.get();
    if (const auto* c = std::get_if<ast::Conditional>(&tag_expr->node)) {
      const sema::EvalResult t = sema::evaluate_constant(*c->if_true);
      const sema::EvalResult e = sema::evaluate_constant(*c->if_false);
      if (t.status == sema::EvalStatus::ok) {
        out.other_branch = t.value.bits;
        tag_expr = c->if_false.get();
      } else if (e.status == sema::EvalStatus::ok) {
        out.other_branch = e.value.bits;
        tag_expr = c->if_true.get();
      }
    }
    const auto* tag = std::get_if<ast::NameRef>(&tag_expr->node);
    if (tag == nullptr || tag->field == nullptr || tag->measure != ast::Measure::none ||
        tag->field->condition)
      return {};
    const auto* named = std::get_if<ast::NamedType>(&tag->field->type->node);
    if (named == nullptr || named->struct_decl != nullptr || named->is_float ||
        named->varint != ast::VarintKind::none)
      return {};
    out.field = tag->field;
    return out;
  }

  // Choosing another arm of a switch on a field of the same struct: the tag set
  // to one of the arm's cases (for the default arm, to a value that is none of
  // them), the other arms emptied and the arm a default value, each case equally
  // likely (libprotobuf-mutator switches a oneof the same way). The tag field is
  // then changed only this way: a tag changed alone no longer matches its arm.
  // Empty when the tag is computed from several fields.
  std::string arm_choice(const ast::Field& f, const ast::SwitchType& sw) const {
    const ChoiceTag tag = choice_tag(sw);
    if (tag.field == nullptr) return "";
    std::vector<std::pair<std::uint64_t, std::string>> cases;  // value, arm
    const ast::SwitchArm* default_arm = nullptr;
    for (const auto& arm : sw.arms) {
      if (arm.cases.empty()) default_arm = &arm;
      for (const auto& c : arm.cases) {
        const sema::EvalResult v = sema::evaluate_constant(*c);
        if (v.status == sema::EvalStatus::ok && v.value.bits != tag.other_branch)
          cases.emplace_back(v.value.bits, arm.name);
      }
    }
    std::string reset;
    for (const auto& arm : sw.arms)
      reset += fmt::format("    value.{}_{}.reset();\n", f.name, arm.name);
    std::string out = fmt::format(
        "  if (mutator.arm_choice(value.{0})) {{  // another arm of {1}\n"
        "{2}"
        "    switch (mutator.below({3})) {{\n",
        tag.field->name, f.name, reset, cases.size() + (default_arm != nullptr ? 1 : 0));
    // A new arm's value: built from nothing for a recursive arm the mutator can
    // nest (its struct's bytes), else a default value completed and changed once.
    const auto fresh = [&](const std::string& arm_name) {
      for (const auto& arm : sw.arms) {
        if (arm.name != arm_name) continue;
        if (const ast::StructDecl* inner = nestable_arm(arm)) {
          return fmt::format("mutator.fresh_nested<{}>(value.{}_{}.emplace());",
                             cpp_name(*inner, ""), f.name, arm_name);
        }
      }
      return fmt::format("mutator.fresh(value.{}_{}.emplace());", f.name, arm_name);
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
      out += fmt::format("      case {}: set_bits(value.{}, {:#x}); {} break;\n", i,
                         tag.field->name, cases[i].first, fresh(cases[i].second));
    }
    if (default_arm != nullptr) {
      const auto& named = std::get<ast::NamedType>(tag.field->type->node);
      const std::uint64_t mask =
          named.bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << named.bits) - 1;
      std::string list;
      for (const auto& c : cases) list += fmt::format("{}{:#x}", list.empty() ? "" : ", ", c.first);
      out += fmt::format(
          "      default: set_bits(value.{}, mutator.other_than({{{}}}, {:#x})); {} break;\n",
          tag.field->name, list, mask, fresh(default_arm->name));
    }
    out += "    }\n  }\n";
    return out;
  }

  // complete_arms() of a switch: when no arm is present, the arm the tag selects
  // (by arm_choice()'s cases; the default arm for other values), then what the
  // arms hold.
  std::string complete_switch(const ast::Field& f, const ast::SwitchType& sw) const {
    std::string out;
    const ChoiceTag tag = choice_tag(sw);
    if (tag.field != nullptr) {
      std::string none;
      for (const auto& arm : sw.arms)
        none += fmt::format("{}!value.{}_{}", none.empty() ? "" : " && ", f.name, arm.name);
      out += fmt::format(
          "  if constexpr (!is_optional<decltype(value.{0})>::value) {{\n"
          "    if ({1}) {{\n"
          "      switch (static_cast<std::uint64_t>(value.{0})) {{\n",
          tag.field->name, none);
      std::set<std::uint64_t> seen;
      const ast::SwitchArm* default_arm = nullptr;
      for (const auto& arm : sw.arms) {
        if (arm.cases.empty()) default_arm = &arm;
        for (const auto& c : arm.cases) {
          const sema::EvalResult v = sema::evaluate_constant(*c);
          if (v.status != sema::EvalStatus::ok || v.value.bits == tag.other_branch ||
              !seen.insert(v.value.bits).second)
            continue;
          out += fmt::format("        case {:#x}: value.{}_{}.emplace(); break;\n", v.value.bits,
                             f.name, arm.name);
        }
      }
      out += default_arm != nullptr
                 ? fmt::format("        default: value.{}_{}.emplace(); break;\n", f.name,
                               default_arm->name)
                 : "        default: break;\n";
      out += "      }\n    }\n  }\n";
    }
    // A recursive arm gets the bytes of a value built from nothing; when that
    // fails (a default tag that selects the recursive arm again, as IPv6's
    // next_header 0 selects hop-by-hop options, which default to the same), the
    // default arm with a tag that is no case instead, so the nesting ends.
    const ast::SwitchArm* default_arm = nullptr;
    std::optional<std::uint64_t> free_tag;
    if (tag.field != nullptr) {
      std::set<std::uint64_t> cases;
      for (const auto& arm : sw.arms) {
        if (arm.cases.empty()) default_arm = &arm;
        for (const auto& c : arm.cases) {
          const sema::EvalResult v = sema::evaluate_constant(*c);
          if (v.status == sema::EvalStatus::ok) cases.insert(v.value.bits);
        }
      }
      if (tag.other_branch) cases.insert(*tag.other_branch);
      const auto& named = std::get<ast::NamedType>(tag.field->type->node);
      const std::uint64_t mask = width_mask(named.bits == 0 ? 64 : named.bits);
      for (std::uint64_t v = 0; v <= std::min<std::uint64_t>(mask, 4096); ++v) {
        if (cases.count(v) == 0) {
          free_tag = v;
          break;
        }
      }
    }
    for (const auto& arm : sw.arms) {
      out += fmt::format("  complete_inside(value.{}_{});\n", f.name, arm.name);
      const ast::StructDecl* inner = nestable_arm(arm);
      if (inner == nullptr) continue;
      out += fmt::format(
          "  if (value.{0}_{1} && value.{0}_{1}->empty()) {{\n"
          "    build_nested<{2}>(*value.{0}_{1});\n",
          f.name, arm.name, cpp_name(*inner, ""));
      if (default_arm != nullptr && free_tag) {
        out += fmt::format(
            "    if constexpr (!is_optional<decltype(value.{0})>::value) {{\n"
            "      if (value.{1}_{2}->empty()) {{  // nested too deep: the default arm\n"
            "        value.{1}_{2}.reset();\n"
            "        set_bits(value.{0}, {3:#x});\n"
            "        complete_inside(value.{1}_{4}.emplace());\n"
            "      }}\n"
            "    }}\n",
            tag.field->name, f.name, arm.name, *free_tag, default_arm->name);
      }
      out += "  }\n";
    }
    return out;
  }

  // The struct of a recursive arm (kept as bytes in the Value) that the mutator
  // parses, changes and serializes again (ValueMutator::nested()): one with a
  // serializer that takes no arguments. nullptr for other arms.
  const ast::StructDecl* nestable_arm(const ast::SwitchArm& arm) const {
    if (!arm.indirect) return nullptr;
    const auto* named = std::get_if<ast::NamedType>(&arm.type->node);
    if (named == nullptr || named->struct_decl == nullptr || !named->arguments.empty() ||
        !named->struct_decl->params.empty() || !plan_.of(*named->struct_decl).has_serializer)
      return nullptr;
    return named->struct_decl;
  }

  // complete_arms() lines that give a bytes field or an array sized by one
  // computed length the smallest content the length's own constraints accept
  // (`length: u8 where length >= 1; name: string[length];` gets one byte;
  // `CipherSuite[] size(cipher_suites_length)` with `cipher_suites_length >= 2`
  // one suite): otherwise the length computed for a default value is 0 and
  // serialize() rejects it. Only while the length is computed (its member is
  // optional). Empty when 0 will do or nothing is known.
  std::string grown_to_minimum(const ast::StructDecl& s, const ast::Field& f) const {
    if (f.condition) return "";
    const ast::Expr* size = nullptr;
    const auto* b = std::get_if<ast::BytesType>(&f.type->node);
    const auto* a = std::get_if<ast::ArrayType>(&f.type->node);
    if (b != nullptr) {
      size = b->count.get();
    } else if (a != nullptr && !a->until && !a->carry) {
      size = a->count ? a->count.get() : a->byte_size.get();
    }
    if (size == nullptr) return "";
    const ast::Field* length = nullptr;
    bool other = false;
    ast::each_name(*size, [&](const ast::NameRef& ref) {
      if (ref.field != nullptr && ref.measure == ast::Measure::none &&
          (length == nullptr || length == ref.field)) {
        length = ref.field;
      } else if (ref.field != nullptr || ref.let != nullptr || ref.param != nullptr ||
                 ref.measured_field != nullptr || ref.remaining) {
        other = true;  // constants and enum members are fine
      }
    });
    if (other || length == nullptr || length->condition) return "";
    const MemberLayout* length_member = nullptr;
    for (const MemberLayout& m : layout_.of(s).members) {
      if (m.field == length) length_member = &m;
    }
    if (length_member == nullptr) return "";
    const std::optional<std::uint64_t> least = satisfying_default(s, *length_member);
    if (!least) return "";
    const sema::EvalResult n = sema::evaluate_with_field(*size, *length, *least);
    if (n.status != sema::EvalStatus::ok || n.value.bits == 0 || n.value.bits > 4096) return "";
    std::string grow;
    if (b != nullptr) {
      grow = fmt::format("grow_bytes(value.{}, {});", f.name, n.value.bits);
    } else if (a->count) {
      grow = fmt::format("grow_count(value.{}, {});", f.name, n.value.bits);
    } else {
      const auto* element = std::get_if<ast::NamedType>(&a->element->node);
      if (element == nullptr || element->varint != ast::VarintKind::none) return "";
      if (const ast::StructDecl* e = element->struct_decl) {
        if (!e->params.empty() || !plan_.of(*e).has_serializer) return "";
        grow = fmt::format(
            "grow_sized(value.{}, {}, [](const auto& e) {{ return {}::serialized_size(e); }});",
            f.name, n.value.bits, cpp_name(*e, ""));
      } else if (element->bits % 8 == 0 && element->bits != 0) {
        grow = fmt::format(
            "grow_sized(value.{}, {}, [](const auto&) {{ return lp::Result<std::size_t>({}); }});",
            f.name, n.value.bits, element->bits / 8);
      } else {
        return "";
      }
    }
    return fmt::format("  if constexpr (is_optional<decltype(value.{})>::value) {}\n", length->name,
                       grow);
  }

  // clear_derived() lines for `s`'s `until` lists sized by computed lengths
  // (`options: Ipv4Option[] until (...) size(ihl * 4 - 20)`): the padding after
  // the terminator given the zeros with which `s` serializes (pad_to_fit()). Not
  // for a struct that takes parameters (its size needs them).
  std::string padded_to_fit(const ast::StructDecl& s) const {
    if (!s.params.empty()) return "";
    std::string out;
    for (const MemberLayout& m : layout_.of(s).members) {
      if (m.field == nullptr || m.field->condition) continue;
      const auto* a = std::get_if<ast::ArrayType>(&m.field->type->node);
      if (a == nullptr || !a->until || !a->byte_size) continue;
      std::string sized;
      bool fixed = false;
      ast::each_name(*a->byte_size, [&](const ast::NameRef& ref) {
        if (ref.field != nullptr) {
          sized += fmt::format("{}is_optional<decltype(value.{})>::value",
                               sized.empty() ? "" : " && ", ref.field->name);
        } else if (ref.let != nullptr || ref.param != nullptr || ref.measured_field != nullptr ||
                   ref.remaining) {
          fixed = true;
        }
      });
      if (fixed || sized.empty()) continue;
      out += fmt::format(
          "  if constexpr ({}) {{\n"
          "    pad_to_fit(value.{}_padding, [&value] {{ return "
          "{}::serialized_size(value).has_value(); }});\n"
          "  }}\n",
          sized, m.field->name, cpp_name(s, ""));
    }
    return out;
  }

  // The fields of `s` whose changes arm_choice() makes.
  static std::set<const ast::Field*> choice_tags(const ast::StructDecl& s) {
    std::set<const ast::Field*> out;
    for (const auto& member : s.members) {
      const auto* f = std::get_if<ast::Field>(&member);
      const auto* sw = f != nullptr ? std::get_if<ast::SwitchType>(&f->type->node) : nullptr;
      if (sw != nullptr && choice_tag(*sw).field != nullptr) out.insert(choice_tag(*sw).field);
    }
    return out;
  }

  // Arms that pass field `f` to their struct as an argument (DNS's pointer
  // label: `DnsPointer(length)`): serialize() cannot work `f` out from them, so
  // clear_derived() keeps `f` while one of them is present.
  static std::vector<std::string> arms_passing(const ast::StructDecl& s, const ast::Field& f) {
    std::vector<std::string> out;
    for (const auto& member : s.members) {
      const auto* sf = std::get_if<ast::Field>(&member);
      const auto* sw = sf != nullptr ? std::get_if<ast::SwitchType>(&sf->type->node) : nullptr;
      if (sw == nullptr) continue;
      for (const auto& arm : sw->arms) {
        const auto* named = std::get_if<ast::NamedType>(&arm.type->node);
        if (named == nullptr) continue;
        bool passes = false;
        for (const auto& arg : named->arguments)
          passes = passes || ast::fields_in(*arg).count(&f) != 0;
        if (passes) out.push_back(sf->name + "_" + arm.name);
      }
    }
    return out;
  }

  // settle_length() calls for `f` (in clear_derived(), after the arms are
  // cleared): one per arm of a switch sized exactly `size(f)` whose struct takes
  // `f` itself as every argument and has a value here. Other uses of `f` in an
  // arm's arguments keep `f` as the input had it (arms_passing()).
  std::string settled_lengths(const ast::StructDecl& s, const ast::Field& f,
                              const std::vector<const ast::StructDecl*>& values) const {
    const auto is_f = [&f](const ast::Expr& e) {
      const auto* ref = std::get_if<ast::NameRef>(&e.node);
      return ref != nullptr && ref->field == &f;
    };
    std::string out;
    for (const auto& member : s.members) {
      const auto* sf = std::get_if<ast::Field>(&member);
      const auto* sw = sf != nullptr ? std::get_if<ast::SwitchType>(&sf->type->node) : nullptr;
      if (sw == nullptr || !sw->byte_size || !is_f(*sw->byte_size)) continue;
      for (const auto& arm : sw->arms) {
        const auto* named = std::get_if<ast::NamedType>(&arm.type->node);
        if (named == nullptr || named->struct_decl == nullptr || named->arguments.empty() ||
            std::find(values.begin(), values.end(), named->struct_decl) == values.end()) {
          continue;
        }
        std::string args;
        bool all_f = true;
        for (std::size_t i = 0; i < named->arguments.size(); ++i) {
          all_f = all_f && is_f(*named->arguments[i]);
          args += fmt::format(", static_cast<{}>(n)",
                              fuzz_param_type(named->struct_decl->params.at(i)));
        }
        if (!all_f) continue;
        out += fmt::format(
            "  if (value.{0}_{1}) {{\n"
            "    settle_length(value.{2}, [&value](auto n) {{\n"
            "      return {3}::serialized_size(\n"
            "          *value.{0}_{1}{4});\n"
            "    }});\n"
            "  }}\n",
            sf->name, arm.name, f.name, cpp_name(*named->struct_decl, ""), args);
      }
    }
    return out;
  }

  // For a bytes field or an array sized by an expression: a C++ condition that
  // holds when serialize() computes every field the size names (their Value
  // members are optional), so the mutator may change its size; "false" for a
  // constant size or one that names a parameter or a `let`. Empty for other
  // types and for sizes that run to the end (always resizable).
  static std::string resizable(const ast::TypeExpr& type) {
    const ast::Expr* size = nullptr;
    if (const auto* b = std::get_if<ast::BytesType>(&type.node)) {
      size = b->count.get();
    } else if (const auto* a = std::get_if<ast::ArrayType>(&type.node)) {
      size = a->count ? a->count.get() : a->byte_size.get();
    }
    if (size == nullptr) return "";
    std::set<std::string> fields;
    bool fixed = false;
    ast::each_name(*size, [&](const ast::NameRef& ref) {
      if (ref.field != nullptr) {
        fields.insert(ref.field->name);
      } else if (ref.let != nullptr || ref.param != nullptr || ref.measured_field != nullptr ||
                 ref.remaining) {
        fixed = true;
      }
    });
    if (fixed || fields.empty()) return "false";
    std::string out;
    for (const std::string& name : fields) {
      out += fmt::format("{}computed(value.{})", out.empty() ? "" : " && ", name);
    }
    return out;
  }

  // The values worth trying for an integer, enum or flags field, as raw bits cut
  // to its width: 0, 1 and the edges of its width; every constant it is compared
  // with anywhere in its struct (constraints, conditions, lets, requires) and the
  // neighbours of each; its enum's members or its flags' bits; the cases of a
  // switch on it. Empty for other members. At most kMaxSpecial, smallest first.
  // Whether a member is an integer, enum or flags field the mutator draws values for.
  static bool is_integer_member(const MemberLayout& m) {
    return m.scalar != nullptr && !m.scalar->is_float && m.scalar->struct_decl == nullptr &&
           (m.kind == MemberKind::byte_integer || m.kind == MemberKind::bit_field ||
            m.kind == MemberKind::varint);
  }
  static unsigned member_bits(const MemberLayout& m) {
    return m.scalar->bits == 0 ? 64 : m.scalar->bits;
  }
  static std::uint64_t width_mask(unsigned bits) {
    return bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  }

  // The mutator's values for an integer member (special_values() below), as
  // unsigned bits within its width, smallest first.
  static std::set<std::uint64_t> special_value_set(const ast::StructDecl& s,
                                                   const MemberLayout& m) {
    const ast::Field* field = m.field;
    const unsigned bits = member_bits(m);
    const std::uint64_t mask = width_mask(bits);
    std::set<std::uint64_t> values{0, 1, mask};
    if (bits > 1) {
      values.insert(std::uint64_t{1} << (bits - 1));        // the sign bit: signed minimum
      values.insert((std::uint64_t{1} << (bits - 1)) - 1);  // signed maximum
    }
    const auto add_near = [&](std::uint64_t v) {
      values.insert((v - 1) & mask);
      values.insert(v & mask);
      values.insert((v + 1) & mask);
    };
    const auto names_field = [&](const ast::Expr& e) {
      const auto* ref = std::get_if<ast::NameRef>(&e.node);
      return ref != nullptr && ref->field == field && ref->measure == ast::Measure::none;
    };
    const auto constant = [](const ast::Expr& e) -> std::optional<std::uint64_t> {
      const sema::EvalResult v = sema::evaluate_constant(e);
      if (v.status != sema::EvalStatus::ok) return std::nullopt;
      return v.value.bits;
    };
    const auto comparisons = [&](const ast::Expr& e, const auto& self) -> void {
      if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
        const ast::Expr* other = names_field(*b->lhs)   ? b->rhs.get()
                                 : names_field(*b->rhs) ? b->lhs.get()
                                                        : nullptr;
        if (other != nullptr) {
          if (const auto v = constant(*other)) add_near(*v);
        }
        self(*b->lhs, self);
        self(*b->rhs, self);
      } else if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
        self(*u->operand, self);
      } else if (const auto* c = std::get_if<ast::Conditional>(&e.node)) {
        self(*c->condition, self);
        self(*c->if_true, self);
        self(*c->if_false, self);
      }
    };
    for (const auto& c : field->constraints) {
      if (c.kind == ast::ConstraintKind::equals) {
        if (const auto v = constant(*c.expr)) values.insert(*v & mask);
      }
    }
    ast::each_member_expr(
        s, [&](const ast::Expr& e, const ast::Let*) { comparisons(e, comparisons); });
    for (const auto& member : s.members) {  // constraints and requires, which that leaves out
      if (const auto* other = std::get_if<ast::Field>(&member)) {
        for (const auto& c : other->constraints) comparisons(*c.expr, comparisons);
      } else if (const auto* r = std::get_if<ast::Require>(&member)) {
        comparisons(*r->condition, comparisons);
      }
    }
    for (const auto& member : s.members) {
      const auto* other = std::get_if<ast::Field>(&member);
      const auto* sw =
          other != nullptr ? std::get_if<ast::SwitchType>(&other->type->node) : nullptr;
      if (sw == nullptr || !names_field(*sw->tag)) continue;
      for (const auto& arm : sw->arms) {
        for (const auto& c : arm.cases) {
          if (const auto v = constant(*c)) values.insert(*v & mask);
        }
      }
    }
    if (const ast::EnumDecl* e = m.scalar->enum_decl) {
      for (const auto& member : e->members) values.insert(member.resolved_value & mask);
    }
    if (const ast::FlagsDecl* flags = m.scalar->flags_decl) {
      for (const auto& member : flags->members) {
        if (member.resolved_value < 64)
          values.insert((std::uint64_t{1} << member.resolved_value) & mask);
      }
    }
    return values;
  }

  // What a default value's unsigned integer field starts at: the smallest of the
  // mutator's values for it that meets every one of its own constraints that
  // names no other field (`ihl >= 5`, `== 0x0A0D0D0A`, `magic == A || magic == B`),
  // when 0 does not. A value built from nothing (the mutator's, for input that
  // does not parse) and an inserted element then get past the constants and
  // minimums a format opens with. nullopt: 0 will do, or nothing found does.
  static std::optional<std::uint64_t> satisfying_default(const ast::StructDecl& s,
                                                         const MemberLayout& m) {
    if (!is_integer_member(m) || m.scalar->is_signed || m.field->condition) return std::nullopt;
    const ast::Field& f = *m.field;
    // A constraint that names another field cannot be met alone: left out.
    const auto meets = [&](std::uint64_t v) {
      for (const auto& c : f.constraints) {
        const sema::EvalResult held = sema::evaluate_with_field(*c.expr, f, v);
        if (held.status != sema::EvalStatus::ok) continue;
        const bool holds =
            c.kind == ast::ConstraintKind::equals ? held.value.bits == v : held.value.bits != 0;
        if (!holds) return false;
      }
      return true;
    };
    if (f.constraints.empty() || meets(0)) return std::nullopt;
    for (const std::uint64_t v : special_value_set(s, m)) {
      if (meets(v)) return v;
    }
    return std::nullopt;
  }

  std::string special_values(const ast::StructDecl& s, const MemberLayout& m) const {
    constexpr std::size_t kMaxSpecial = 48;
    if (!is_integer_member(m)) return "";
    const unsigned bits = member_bits(m);
    const std::uint64_t mask = width_mask(bits);
    std::string out = fmt::format("{:#x}", mask);  // first: the width, unextended
    std::size_t n = 0;
    for (std::uint64_t v : special_value_set(s, m)) {
      if (n++ == kMaxSpecial) break;
      // A signed field's value sign-extended, as its C++ member holds it.
      if (m.scalar->is_signed && bits < 64 && ((v >> (bits - 1)) & 1) != 0) v |= ~mask;
      out += fmt::format(", {:#x}", v);
    }
    return out;
  }

  // The values worth trying for the elements of an array of integers, enums or
  // flags (`CipherSuite[]`, `SignatureScheme[]`), as special_values() gives them
  // for a field: its width's edges and its enum's members or flags' bits. An
  // element used to get none: a list of a real handshake's cipher suites and
  // signature schemes was out of reach. Empty for other arrays.
  static std::string element_special_values(const ast::ArrayType& array) {
    const auto* e = std::get_if<ast::NamedType>(&array.element->node);
    if (e == nullptr || e->struct_decl != nullptr || e->is_float || e->bits == 0 ||
        e->varint != ast::VarintKind::none)
      return "";
    const std::uint64_t mask = width_mask(e->bits);
    std::set<std::uint64_t> values{0, 1, mask};
    if (e->bits > 1) {
      values.insert(std::uint64_t{1} << (e->bits - 1));
      values.insert((std::uint64_t{1} << (e->bits - 1)) - 1);
    }
    if (e->enum_decl != nullptr) {
      for (const auto& member : e->enum_decl->members) values.insert(member.resolved_value & mask);
    }
    if (e->flags_decl != nullptr) {
      for (const auto& member : e->flags_decl->members) {
        if (member.resolved_value < 64)
          values.insert((std::uint64_t{1} << member.resolved_value) & mask);
      }
    }
    constexpr std::size_t kMaxSpecial = 48;
    std::string out = fmt::format("{:#x}", mask);
    std::size_t n = 0;
    for (std::uint64_t v : values) {
      if (n++ == kMaxSpecial) break;
      if (e->is_signed && e->bits < 64 && ((v >> (e->bits - 1)) & 1) != 0) v |= ~mask;
      out += fmt::format(", {:#x}", v);
    }
    return out;
  }

  // The arguments of the root's parameters, taken from the first input bytes (as
  // FuzzedDataProvider does), and parse/serialize calls that pass them; for a
  // struct without parameters the same functions with nothing to pass, so the
  // checks read the same for every type.
  void emit_arguments() {
    const std::vector<ast::Param>& params = root_.params;
    code_ += "// ------------------------------------------------------------------ the arguments";
    if (params.empty()) {
      code_ +=
          "// {{TYPE}} takes no parameters: the whole input is the buffer.\nstruct Arguments {};";
    } else {
      code_.set("COMMENT", schema_line(root_.range));
      code_ +=
          "// {{COMMENT}}\n"
          "// The arguments come from the first input bytes, as FuzzedDataProvider takes\n"
          "// them: each parameter from the fewest bytes that hold its type (most\n"
          "// significant first; missing bytes read as zero), cut to its width and\n"
          "// sign-extended when signed, so every value of the type is reachable and no\n"
          "// other; an `endian` parameter from one byte (bit 0: 0 big, 1 little). The\n"
          "// rest of the input is the buffer.\n"
          "struct Arguments {";
      for (const ast::Param& p : params) {
        code_.set("NAME", p.name);
        code_.set("CPP", fuzz_param_type(p));
        code_.set("COMMENT", trim(p.range.text()));
        code_ += "  {{CPP}} {{NAME}}{};  // {{COMMENT}}";
      }
      code_ +=
          "};\n"
          "\n"
          "// `bytes` bytes of `input` (zeros past its end), most significant first, cut to\n"
          "// `bits` and sign-extended when `is_signed`; `input` moves past them.\n"
          "std::uint64_t take_argument(lp::bytes& input, unsigned bytes, unsigned bits,\n"
          "                            bool is_signed) {\n"
          "  std::uint64_t value = 0;\n"
          "  for (unsigned i = 0; i < bytes; ++i) {\n"
          "    value = (value << 8) | (i < input.size() ? input.u8(i) : 0U);\n"
          "  }\n"
          "  input = input.subspan(bytes);\n"
          "  if (bits >= 64) return value;\n"
          "  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;\n"
          "  value &= mask;\n"
          "  if (is_signed && ((value >> (bits - 1)) & 1) != 0) value |= ~mask;\n"
          "  return value;\n"
          "}";
    }
    code_ +=
        "\n"
        "Arguments take_arguments([[maybe_unused]] lp::bytes& input) {\n"
        "  Arguments args;";
    for (const ast::Param& p : params) {
      code_.set("NAME", p.name);
      code_.set("CPP", fuzz_param_type(p));
      if (p.is_endian) {
        code_ +=
            "  args.{{NAME}} = (take_argument(input, 1, 1, false) & 1) != 0 ? "
            "lp::byte_order::little\n"
            "                                                           : lp::byte_order::big;";
        continue;
      }
      const auto& t = std::get<ast::NamedType>(p.type->node);
      code_.set("BYTES", std::to_string((t.bits + 7) / 8));
      code_.set("BITS", std::to_string(t.bits));
      code_.set("SIGNED", t.is_signed ? "true" : "false");
      code_ +=
          "  args.{{NAME}} = static_cast<{{CPP}}>(take_argument(input, {{BYTES}}, {{BITS}}, "
          "{{SIGNED}}));";
    }
    std::string pass;
    for (const ast::Param& p : params) pass += "args." + p.name + ", ";
    code_.set("PASS", pass);
    code_.set("PASS_ONLY", pass.empty() ? "" : ", " + pass.substr(0, pass.size() - 2));
    code_ +=
        "  return args;\n"
        "}\n"
        "\n"
        "lp::Result<Type::View> parse_input(lp::bytes buffer, [[maybe_unused]] const Arguments& "
        "args,\n"
        "                                   const lp::ParseOptions& options = {}) {\n"
        "  return Type::parse(buffer, {{PASS}}options);\n"
        "}\n"
        "\n"
        "lp::Result<Type::Mut> parse_input_mut(lp::mut_bytes buffer,\n"
        "                                      [[maybe_unused]] const Arguments& args) {\n"
        "  return Type::parse_mut(buffer{{PASS_ONLY}});\n"
        "}";
    if (plan_.of(root_).has_serializer) {
      code_ +=
          "\n"
          "lp::Result<std::vector<std::byte>> serialize_value(const Type::Value& value,\n"
          "                                                   [[maybe_unused]] const Arguments& "
          "args) {\n"
          "  return Type::serialize(value{{PASS_ONLY}});\n"
          "}\n"
          "\n"
          "lp::Result<std::size_t> serialize_value_into(const Type::Value& value, lp::mut_bytes "
          "buffer,\n"
          "                                             [[maybe_unused]] const Arguments& args) "
          "{\n"
          "  return Type::serialize(value, buffer{{PASS_ONLY}});\n"
          "}";
    }
    code_ += "";
  }

  static std::string fuzz_param_type(const ast::Param& p) {
    if (p.is_endian) return "lp::byte_order";
    const auto& t = std::get<ast::NamedType>(p.type->node);
    return int_type(t.bits, t.is_signed);
  }

  bool has_recursive_arm(const ast::StructDecl& s) const {
    for (const MemberLayout& m : layout_.of(s).members) {
      if (m.field == nullptr) continue;
      if (const auto* sw = std::get_if<ast::SwitchType>(&m.field->type->node)) {
        for (const auto& arm : sw->arms) {
          if (arm.indirect) return true;
        }
      }
    }
    return false;
  }

  // Whether check_setters() of `s` has anything to do.
  bool has_setters(const ast::StructDecl& s) {
    if (const auto it = has_setters_.find(&s); it != has_setters_.end()) return it->second;
    has_setters_[&s] = false;  // provisional: a recursive struct reaches itself
    bool any = false;
    for (const MemberLayout& m : layout_.of(s).members) {
      if (m.field == nullptr || m.field->name == "_") continue;
      if (m.optional) {  // only an optional nested struct has a Mut view to check
        if (m.kind != MemberKind::nested) continue;
        any = has_setters(*m.scalar->struct_decl) || any;
        continue;
      }
      if (is_integer(m)) any = true;
      if (const auto* sw = std::get_if<ast::SwitchType>(&m.field->type->node)) {
        for (const auto& arm : sw->arms) {
          if (const ast::StructDecl* child = struct_of(*arm.type)) any = has_setters(*child) || any;
        }
      } else if (const ast::StructDecl* child = struct_of(*m.field->type)) {
        any = has_setters(*child) || any;
      }
    }
    if (!layout_.of(s).references.empty()) any = true;  // checked there too
    has_setters_[&s] = any;
    return any;
  }

  void emit_setters(const ast::StructDecl& s) {
    code_.set("MUT", cpp_name(s, "Mut"));
    code_.set("COMMENT", schema_line(s.range));
    code_ +=
        "\n"
        "// {{COMMENT}}\n"
        "void check_setters({{MUT}} mut, const Buffers& buffers) {";
    if (!has_setters(s)) code_ += "  static_cast<void>(mut);\n  static_cast<void>(buffers);";
    for (const MemberLayout& m : layout_.of(s).members) {
      if (m.field == nullptr || m.field->name == "_") continue;
      if (m.optional && m.kind != MemberKind::nested) continue;
      const ast::Field& f = *m.field;
      code_.set("NAME", f.name);
      code_.set("FIELD", s.name + "." + f.name);
      code_.set("COMMENT", schema_line(f.range));
      if (m.optional) {
        if (!has_setters(*m.scalar->struct_decl)) continue;
        code_ +=
            "  // {{COMMENT}}\n"
            "  if (const auto child = mut.{{NAME}}_mut()) check_setters(*child, buffers);";
        continue;
      }
      if (is_integer(m)) {
        code_.set("WIDTH", std::to_string(m.scalar->bits));
        code_ +=
            "  // {{COMMENT}}\n"
            "  check_setter(mut, &{{MUT}}::{{NAME}}, &{{MUT}}::set_{{NAME}}, {{WIDTH}},\n"
            "               \"{{FIELD}}\", buffers);";
        continue;
      }
      if (const auto* sw = std::get_if<ast::SwitchType>(&f.type->node)) {
        for (const auto& arm : sw->arms) {
          const ast::StructDecl* child = struct_of(*arm.type);
          if (child == nullptr || !has_setters(*child)) continue;
          code_.set("ARM", arm.name);
          code_.set("COMMENT", schema_line(arm.range));
          if (std::holds_alternative<ast::ArrayType>(arm.type->node)) {
            code_ +=
                "  // {{COMMENT}}\n"
                "  if (const auto arm = mut.{{NAME}}_{{ARM}}_mut()) {\n"
                "    for (const auto element : *arm) check_setters(element, buffers);\n"
                "  }";
          } else {
            code_ +=
                "  // {{COMMENT}}\n"
                "  if (const auto arm = mut.{{NAME}}_{{ARM}}_mut()) check_setters(*arm, buffers);";
          }
        }
        continue;
      }
      const ast::StructDecl* child = struct_of(*f.type);
      if (child == nullptr || !has_setters(*child)) continue;
      if (m.kind == MemberKind::array) {
        code_ +=
            "  // {{COMMENT}}\n"
            "  for (const auto element : mut.{{NAME}}_mut()) check_setters(element, buffers);";
      } else {
        code_ += "  // {{COMMENT}}\n  check_setters(mut.{{NAME}}_mut(), buffers);";
      }
    }
    emit_checksum_check(s);
    emit_reference_checks(s);
    code_ += "}";
  }

  // References (`name: T at offset;`), followed once over the whole input: the
  // target is either an error or a view inside the input.
  void emit_reference_checks(const ast::StructDecl& s) {
    for (const ast::Field* ref : layout_.of(s).references) {
      code_.set("NAME", ref->name);
      code_.set("FIELD", s.name + "." + ref->name);
      code_.set("COMMENT", schema_line(ref->range));
      code_ +=
          "  {  // {{COMMENT}}\n"
          "    lp::PointerChain chain{lp::bytes(buffers.copy)};\n"
          "    const auto target = mut.{{NAME}}(chain);\n"
          "    if (target && !inside(target->bytes(), lp::bytes(buffers.copy))) {\n"
          "      fail(\"{{FIELD}}: the target lies outside the input\");\n"
          "    }\n"
          "    // Refused hops and offsets that overflow fail before the hop; the\n"
          "    // target's own errors, after it.\n"
          "    const bool before_hop = !target && (target.error().code() == lp::errc::bad_pointer "
          "||\n"
          "                                        target.error().code() == lp::errc::overflow);\n"
          "    if (!target && !before_hop && chain.hops() != 1) {\n"
          "      fail(\"{{FIELD}}: a failed target parse without its hop: \" + "
          "target.error().message());\n"
          "    }\n"
          "  }";
    }
  }

  // After the setters (which restore every byte), the struct's declared checksums.
  void emit_checksum_check(const ast::StructDecl& s) {
    bool any = false;
    bool pseudo = false;
    for (const auto& member : s.members) {
      const auto* f = std::get_if<ast::Field>(&member);
      if (f == nullptr || !f->checksum) continue;
      any = true;
      pseudo = pseudo || f->checksum->pseudo_header;
    }
    if (!any) return;
    code_.set("TYPE", s.name);
    if (pseudo) {
      code_ +=
          "  // checksums, with a pseudo-header sum that is not zero\n"
          "  check_checksums(mut, buffers, \"{{TYPE}}\", "
          "lp::InternetChecksum().add_u32(0x0a000001));";
    } else {
      code_ += "  // checksums\n  check_checksums(mut, buffers, \"{{TYPE}}\");";
    }
  }

  const ast::StructDecl& root_;
  const plan::ProgramPlan& plan_;
  const layout::ProgramLayout& layout_;
  std::vector<const ast::StructDecl*> pre_;
  std::vector<const ast::StructDecl*> post_;
  std::map<const ast::StructDecl*, bool> has_setters_;
  std::optional<std::uint64_t> max_len_;  // set when the target passes -max_len
  CodeWriter code_;
};

// ------------------------------------------------------------ the dictionary

std::uint64_t low_bits(std::uint64_t v, unsigned width) {
  return width >= 64 ? v : v & ((std::uint64_t{1} << width) - 1);
}

// `count` bytes of `v`, most significant first (big) or last (little).
std::string bytes_of(std::uint64_t v, unsigned count, bool little) {
  std::string out(count, '\0');
  for (unsigned i = 0; i < count; ++i) {
    const auto byte = static_cast<char>((v >> (8 * (count - 1 - i))) & 0xff);
    out[little ? count - 1 - i : i] = byte;
  }
  return out;
}

// A varint field's wire form: LEB128 (zigzag first for signed ones) or a QUIC
// varint in the fewest bytes (its top two bits give the length).
std::string encode_varint(std::uint64_t v, ast::VarintKind kind) {
  if (kind == ast::VarintKind::quic) {
    if (v < (std::uint64_t{1} << 6)) return bytes_of(v, 1, false);
    if (v < (std::uint64_t{1} << 14)) return bytes_of(v | 0x4000U, 2, false);
    if (v < (std::uint64_t{1} << 30)) return bytes_of(v | 0x80000000U, 4, false);
    if (v < (std::uint64_t{1} << 62)) return bytes_of(v | (std::uint64_t{3} << 62), 8, false);
    return {};  // no QUIC varint holds it
  }
  if (kind == ast::VarintKind::zigzag) {
    const auto n = static_cast<std::int64_t>(v);
    v = (v << 1) ^ static_cast<std::uint64_t>(n >> 63);
  }
  std::string out;
  do {
    const auto low = static_cast<char>(v & 0x7f);
    v >>= 7;
    out += static_cast<char>(low | (v != 0 ? 0x80 : 0));
  } while (v != 0);
  return out;
}

// An integer, enum or varint field: the fields the dictionary encodes values as.
bool is_dict_field(const MemberLayout& m) {
  return (m.kind == MemberKind::byte_integer || m.kind == MemberKind::bit_field ||
          m.kind == MemberKind::varint) &&
         m.scalar != nullptr && !m.scalar->is_float;
}

// `v` as the field `m` holds it: its width and byte order, or for a bit field the
// bytes that hold it with `v` at its bit position and every other bit zero, or a
// varint's encoding. `little` picks the order of a field whose byte order is chosen
// at run time.
std::string encode_field(std::uint64_t v, const MemberLayout& m, bool little = false) {
  if (m.kind == MemberKind::varint) return encode_varint(v, m.scalar->varint);
  const unsigned width = m.scalar->bits;
  v = low_bits(v, width);
  if (m.kind == MemberKind::bit_field) {
    const unsigned first = static_cast<unsigned>(m.bit_offset % 8);
    const unsigned count = (first + width + 7) / 8;
    if (count > 8) return {};  // a 64-bit field across 9 bytes: not worth an entry
    if (m.bit_order == ast::BitOrder::lsb) return bytes_of(v << first, count, true);
    return bytes_of(v << (8 * count - first - width), count, false);
  }
  if (m.runtime_order) return bytes_of(v, width / 8, little);
  return bytes_of(v, width / 8, m.byte_order == ast::ByteOrder::little);
}

// `v` in the fewest of 1, 2, 4 or 8 bytes (two's complement when negative).
std::string encode_minimal(const sema::Value& v, bool little) {
  unsigned count = 8;
  for (unsigned c : {1U, 2U, 4U}) {
    const unsigned bits = 8 * c;
    if (v.is_negative() ? v.as_signed() >= -(std::int64_t{1} << (bits - 1))
                        : v.bits < (std::uint64_t{1} << bits)) {
      count = c;
      break;
    }
  }
  return bytes_of(v.bits, count, little);
}

std::string value_label(const sema::Value& v) {
  // Unsigned negation gives the magnitude of a two's complement value.
  return v.is_negative() ? "minus" + std::to_string(std::uint64_t{0} - v.bits)
                         : std::to_string(v.bits);
}

// Values of some fields, for evaluating a constraint that reads them.
using Bindings = std::map<const ast::Field*, sema::Value>;

// `e` with the fields in `known` at their values: the value, or nullopt when it
// reads anything else (another field, a let, a parameter) or divides by zero. Wraps
// where parse() would report an overflow: good enough to tell which dictionary
// values a constraint rejects.
std::optional<sema::Value> evaluate_with(const ast::Expr& e, const Bindings& known) {
  const sema::EvalResult constant = sema::evaluate_constant(e);
  if (constant.status == sema::EvalStatus::ok) return constant.value;
  if (const auto* ref = std::get_if<ast::NameRef>(&e.node)) {
    if (ref->field == nullptr) return std::nullopt;
    const auto it = known.find(ref->field);
    if (it == known.end()) return std::nullopt;
    return it->second;
  }
  if (const auto* c = std::get_if<ast::Conditional>(&e.node)) {
    const auto condition = evaluate_with(*c->condition, known);
    if (!condition) return std::nullopt;
    return evaluate_with(condition->bits != 0 ? *c->if_true : *c->if_false, known);
  }
  if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
    const auto v = evaluate_with(*u->operand, known);
    if (!v) return std::nullopt;
    switch (u->op) {
      case ast::UnaryOp::negate:
        return sema::Value{true, std::uint64_t{0} - v->bits};
      case ast::UnaryOp::bit_not:
        return sema::Value{v->is_signed, ~v->bits};
      case ast::UnaryOp::logical_not:
        return sema::Value::of_unsigned(v->bits == 0 ? 1 : 0);
    }
    return std::nullopt;
  }
  const auto* b = std::get_if<ast::Binary>(&e.node);
  if (b == nullptr) return std::nullopt;
  const auto lhs = evaluate_with(*b->lhs, known);
  const auto rhs = evaluate_with(*b->rhs, known);
  // `a || b` and `a && b` may be decided by one side.
  if (b->op == ast::BinaryOp::logical_or && ((lhs && lhs->bits != 0) || (rhs && rhs->bits != 0))) {
    return sema::Value::of_unsigned(1);
  }
  if (b->op == ast::BinaryOp::logical_and && ((lhs && lhs->bits == 0) || (rhs && rhs->bits == 0))) {
    return sema::Value::of_unsigned(0);
  }
  if (!lhs || !rhs) return std::nullopt;
  const bool is_signed = lhs->is_signed || rhs->is_signed;
  const std::uint64_t x = lhs->bits;
  const std::uint64_t y = rhs->bits;
  const auto truth = [](bool t) { return sema::Value::of_unsigned(t ? 1 : 0); };
  const int order = sema::compare(*lhs, *rhs);
  switch (b->op) {
    case ast::BinaryOp::mul:
      return sema::Value{is_signed, x * y};
    case ast::BinaryOp::div:
      if (y == 0) return std::nullopt;
      return is_signed ? sema::Value::of_signed(lhs->as_signed() / rhs->as_signed())
                       : sema::Value::of_unsigned(x / y);
    case ast::BinaryOp::mod:
      if (y == 0) return std::nullopt;
      return is_signed ? sema::Value::of_signed(lhs->as_signed() % rhs->as_signed())
                       : sema::Value::of_unsigned(x % y);
    case ast::BinaryOp::add:
      return sema::Value{is_signed, x + y};
    case ast::BinaryOp::sub:
      return sema::Value{is_signed, x - y};
    case ast::BinaryOp::shl:
      return y >= 64 ? std::nullopt : std::optional(sema::Value{is_signed, x << y});
    case ast::BinaryOp::shr:
      return y >= 64 ? std::nullopt : std::optional(sema::Value{is_signed, x >> y});
    case ast::BinaryOp::lt:
      return truth(order < 0);
    case ast::BinaryOp::le:
      return truth(order <= 0);
    case ast::BinaryOp::gt:
      return truth(order > 0);
    case ast::BinaryOp::ge:
      return truth(order >= 0);
    case ast::BinaryOp::eq:
      return truth(order == 0);
    case ast::BinaryOp::ne:
      return truth(order != 0);
    case ast::BinaryOp::bit_and:
      return sema::Value{is_signed, x & y};
    case ast::BinaryOp::bit_xor:
      return sema::Value{is_signed, x ^ y};
    case ast::BinaryOp::bit_or:
      return sema::Value{is_signed, x | y};
    case ast::BinaryOp::logical_and:
      return truth(x != 0 && y != 0);
    case ast::BinaryOp::logical_or:
      return truth(x != 0 || y != 0);
  }
  return std::nullopt;
}

// The constant values an expression may take: a constant, either branch of a
// conditional, what a `let` it names may take (`let max = afi == 1 ? 32 : 128`).
void candidate_values(const ast::Expr& e, std::vector<sema::Value>& out, int depth = 0) {
  if (depth > 8) return;
  const sema::EvalResult v = sema::evaluate_constant(e);
  if (v.status == sema::EvalStatus::ok) {
    out.push_back(v.value);
  } else if (const auto* c = std::get_if<ast::Conditional>(&e.node)) {
    candidate_values(*c->if_true, out, depth + 1);
    candidate_values(*c->if_false, out, depth + 1);
  } else if (const auto* ref = std::get_if<ast::NameRef>(&e.node); ref && ref->let) {
    candidate_values(*ref->let->value, out, depth + 1);
  }
}

// Every field an expression reads, through the `let`s it names.
void fields_read(const ast::Expr& e, std::set<const ast::Field*>& out, int depth = 0) {
  if (depth > 8) return;
  if (const auto* ref = std::get_if<ast::NameRef>(&e.node)) {
    if (ref->field != nullptr) out.insert(ref->field);
    if (ref->let != nullptr) fields_read(*ref->let->value, out, depth + 1);
  } else if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
    fields_read(*u->operand, out, depth + 1);
  } else if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
    fields_read(*b->lhs, out, depth + 1);
    fields_read(*b->rhs, out, depth + 1);
  } else if (const auto* c = std::get_if<ast::Conditional>(&e.node)) {
    fields_read(*c->condition, out, depth + 1);
    fields_read(*c->if_true, out, depth + 1);
    fields_read(*c->if_false, out, depth + 1);
  }
}

// libFuzzer ignores dictionary entries longer than this (MutationDispatcher's
// kMaxDictEntryLength).
constexpr std::size_t kMaxEntryBytes = 64;

class DictEmitter {
 public:
  DictEmitter(const ast::StructDecl& root, const layout::ProgramLayout& layout)
      : root_(root), layout_(layout) {
    std::vector<const ast::StructDecl*> post;
    reachable(root, layout, /*through_recursive_arms=*/true, pre_, post);
  }

  std::string text(const Options& options) {
    for (const ast::StructDecl* s : pre_) collect_struct(*s);
    for (const ast::StructDecl* s : pre_) collect_header(*s);
    for (const ast::StructDecl* s : pre_) collect_lengths(*s);
    // Constants no field is compared with, of every module involved, then enums no
    // field uses.
    std::vector<const ast::Module*> modules;
    for (const ast::StructDecl* s : pre_) {
      if (std::find(modules.begin(), modules.end(), s->module) == modules.end())
        modules.push_back(s->module);
    }
    for (const ast::Module* module : modules) {
      const bool little = module->endian == ast::ByteOrder::little;
      for (const auto& d : module->decls) {
        if (const auto* c = std::get_if<std::unique_ptr<ast::ConstDecl>>(&d)) {
          if (encoded_constants_.count(c->get()) != 0) continue;
          const sema::Value v = (*c)->resolved_is_negative
                                    ? sema::Value::of_signed((*c)->resolved_signed)
                                    : sema::Value::of_unsigned((*c)->resolved_value);
          add("const_" + (*c)->name, (*c)->range, encode_minimal(v, little));
        }
      }
      for (const auto& d : module->decls) {
        if (const auto* e = std::get_if<std::unique_ptr<ast::EnumDecl>>(&d)) {
          if (used_enums_.count(e->get()) != 0) continue;
          const auto& base = std::get<ast::NamedType>((*e)->base->node);
          for (const auto& member : (*e)->members) {
            add((*e)->name + "_" + member.name, member.range,
                bytes_of(member.resolved_value, std::max(1U, base.bits / 8), little));
          }
        }
      }
    }

    std::string out = fmt::format(
        "# Generated by lpc {} from {}: a libFuzzer dictionary for {} (-dict=<this file>).\n"
        "# Magic values, values fields are compared with (in constraints, conditions and\n"
        "# lets), enum members (without those a constraint on their bytes rejects),\n"
        "# switch cases and constants, each encoded as the field that holds it sits on\n"
        "# the wire (width, byte order, bit position, varint form), else in the fewest\n"
        "# bytes; fixed headers with their magic values; boundary values of lengths.\n",
        options.compiler_version, root_.module->include_path, cpp_name(root_, ""));
    for (const Entry& e : entries_) {
      out += fmt::format("\n# {}\n{}=\"", e.comment, e.label);
      for (char c : e.bytes) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
      out += "\"\n";
    }
    return out;
  }

 private:
  struct Entry {
    std::string label;
    std::string comment;
    std::string bytes;
  };

  void add(std::string label, SourceRange at, std::string bytes) {
    if (bytes.empty() || bytes.size() > kMaxEntryBytes || !seen_.insert(bytes).second) return;
    entries_.push_back({std::move(label), schema_line(at), std::move(bytes)});
  }

  // `v` as field `m` of `s` holds it on the wire (field_bytes()); both byte orders
  // when the order is chosen at run time.
  void add_field_value(const ast::StructDecl& s, const std::string& label, SourceRange at,
                       std::uint64_t v, const MemberLayout& m) {
    if (m.runtime_order) {
      add(label, at, encode_field(v, m));
      add(label + "_le", at, encode_field(v, m, true));
      return;
    }
    add(label, at, field_bytes(s, layout_.of(s), m, v));
  }

  // A field of `layout` the name refers to, when it is an integer, enum or varint field.
  static const MemberLayout* dict_field(const StructLayout& layout, const ast::Expr& e) {
    const auto* ref = std::get_if<ast::NameRef>(&e.node);
    if (ref == nullptr || ref->field == nullptr) return nullptr;
    const MemberLayout* m = layout.find(*ref->field);
    return m != nullptr && is_dict_field(*m) ? m : nullptr;
  }

  // `S_name_MQTT`: the letters and digits of a string literal (`text` when none).
  static std::string text_label(const ast::StructDecl& s, const ast::Field& f,
                                std::string_view text) {
    std::string label = s.name + "_" + f.name + "_";
    const std::size_t before = label.size();
    for (const char c : text) {
      if (std::isalnum(static_cast<unsigned char>(c)) != 0 && label.size() < before + 16)
        label += c;
    }
    return label.size() == before ? label + "text" : label;
  }

  // Constants named in `e`: encoded as a field, they need no entry of their own.
  void note_constants(const ast::Expr& e) {
    if (const auto* ref = std::get_if<ast::NameRef>(&e.node); ref && ref->constant) {
      encoded_constants_.insert(ref->constant);
    } else if (const auto* c = std::get_if<ast::Conditional>(&e.node)) {
      note_constants(*c->if_true);
      note_constants(*c->if_false);
    }
  }

  // Every `field <op> value` (or `value <op> field`) comparison in `e`, the value a
  // constant, a conditional of constants or a `let` made of them.
  void comparisons(const ast::StructDecl& s, const StructLayout& layout, const ast::Expr& e,
                   SourceRange at) {
    if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
      comparisons(s, layout, *u->operand, at);
    } else if (const auto* c = std::get_if<ast::Conditional>(&e.node)) {
      comparisons(s, layout, *c->condition, at);
      comparisons(s, layout, *c->if_true, at);
      comparisons(s, layout, *c->if_false, at);
    } else if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
      const bool compares = b->op == ast::BinaryOp::eq || b->op == ast::BinaryOp::ne ||
                            b->op == ast::BinaryOp::lt || b->op == ast::BinaryOp::le ||
                            b->op == ast::BinaryOp::gt || b->op == ast::BinaryOp::ge;
      // `name == "MQTT"`: the string's bytes, as the field holds them.
      for (const auto& [field, other] :
           {std::pair{b->lhs.get(), b->rhs.get()}, std::pair{b->rhs.get(), b->lhs.get()}}) {
        const auto* ref = std::get_if<ast::NameRef>(&field->node);
        const auto* text = std::get_if<ast::StringLiteral>(&other->node);
        if (ref != nullptr && ref->text_field != nullptr && text != nullptr) {
          add(text_label(s, *ref->text_field, text->value), at, text->value);
        }
      }
      if (compares) {
        for (const auto& [field, other] :
             {std::pair{b->lhs.get(), b->rhs.get()}, std::pair{b->rhs.get(), b->lhs.get()}}) {
          const MemberLayout* m = dict_field(layout, *field);
          if (m == nullptr) continue;
          std::vector<sema::Value> values;
          candidate_values(*other, values);
          if (!values.empty()) note_constants(*other);
          for (const sema::Value& v : values) {
            add_field_value(s, s.name + "_" + m->field->name + "_" + value_label(v), at, v.bits,
                            *m);
          }
        }
      }
      comparisons(s, layout, *b->lhs, at);
      comparisons(s, layout, *b->rhs, at);
    }
  }

  // Whether every constraint of `fields`, and every `require` of `s`, that can be
  // decided from `known` holds.
  static bool admits(const ast::StructDecl& s, const std::vector<const ast::Field*>& fields,
                     const Bindings& known) {
    const auto holds = [&](const ast::Expr& e) {
      const auto v = evaluate_with(e, known);
      return !v || v->bits != 0;
    };
    for (const ast::Field* f : fields) {
      for (const auto& c : f->constraints) {
        if (c.kind == ast::ConstraintKind::equals) {
          const auto want = evaluate_with(*c.expr, known);
          const auto it = known.find(f);
          if (want && it != known.end() && sema::compare(*want, it->second) != 0) return false;
        } else if (!holds(*c.expr)) {
          return false;
        }
      }
    }
    for (const auto& member : s.members) {
      if (const auto* r = std::get_if<ast::Require>(&member); r && !holds(*r->condition)) {
        return false;
      }
    }
    return true;
  }

  // `value` of field `m` as its bytes hold it, the other bit fields sharing those
  // bytes set to the first value their constraints then accept (`type: u4` and
  // `flags: u4 where type == 6 ? flags == 2 : flags == 0` give 0x62 for 6); empty
  // when the field's own constraints reject the value, or no value of a neighbour
  // is accepted with it.
  std::string field_bytes(const ast::StructDecl& s, const StructLayout& layout,
                          const MemberLayout& m, std::uint64_t value) const {
    Bindings known{{m.field, sema::Value::of_unsigned(value)}};
    if (!admits(s, {m.field}, known)) return {};
    std::string bytes = encode_field(value, m);
    if (m.kind != MemberKind::bit_field || bytes.empty()) return bytes;
    const std::uint64_t first = m.bit_offset / 8;
    const std::uint64_t last = first + bytes.size();  // one past
    for (const MemberLayout& n : layout.members) {
      if (&n == &m || n.kind != MemberKind::bit_field || n.field == nullptr || n.optional ||
          n.segment != m.segment || n.scalar == nullptr || n.scalar->bits > 8 ||
          n.bit_order != m.bit_order || n.bit_offset / 8 < first ||
          (n.bit_offset + n.scalar->bits + 7) / 8 > last) {
        continue;
      }
      std::optional<std::uint64_t> accepted;
      for (std::uint64_t x = 0; x < (std::uint64_t{1} << n.scalar->bits); ++x) {
        known[n.field] = sema::Value::of_unsigned(x);
        if (admits(s, {n.field, m.field}, known)) {
          accepted = x;
          break;
        }
      }
      if (!accepted) return {};
      known[n.field] = sema::Value::of_unsigned(*accepted);
      const std::string theirs = encode_field(*accepted, n);
      const std::uint64_t at = n.bit_offset / 8 - first;
      for (std::size_t i = 0; i < theirs.size(); ++i) {
        bytes[at + i] = static_cast<char>(bytes[at + i] | theirs[i]);
      }
    }
    return bytes;
  }

  void collect_struct(const ast::StructDecl& s) {
    const StructLayout& layout = layout_.of(s);
    for (const auto& member : s.members) {
      if (const auto* r = std::get_if<ast::Require>(&member)) {
        comparisons(s, layout, *r->condition, r->range);
        continue;
      }
      if (const auto* let = std::get_if<ast::Let>(&member)) {
        comparisons(s, layout, *let->value, let->range);
        continue;
      }
      const auto* f = std::get_if<ast::Field>(&member);
      if (f == nullptr) continue;
      if (f->condition) comparisons(s, layout, *f->condition, f->range);
      const MemberLayout* m = layout.find(*f);
      if (m == nullptr) continue;
      for (const auto& c : f->constraints) {
        if (const auto* text = std::get_if<ast::StringLiteral>(&c.expr->node)) {
          add(text_label(s, *f, text->value), f->range,
              text->value);  // `magic: bytes[4] == "MQTT"`
        } else if (c.kind == ast::ConstraintKind::equals) {
          std::vector<sema::Value> values;
          candidate_values(*c.expr, values);
          if (is_dict_field(*m)) {
            note_constants(*c.expr);
            for (const sema::Value& v : values) {
              add_field_value(s, s.name + "_" + f->name + "_" + value_label(v), f->range, v.bits,
                              *m);
            }
          }
        } else {
          comparisons(s, layout, *c.expr, f->range);
        }
      }
      if (is_dict_field(*m) && m->scalar->enum_decl != nullptr) {
        const ast::EnumDecl& e = *m->scalar->enum_decl;
        used_enums_.insert(&e);
        for (const auto& member_decl : e.members) {
          add_field_value(s, s.name + "_" + f->name + "_" + member_decl.name, member_decl.range,
                          member_decl.resolved_value, *m);
        }
      }
      if (const auto* sw = std::get_if<ast::SwitchType>(&f->type->node)) collect_switch(s, *sw);
    }
  }

  // The value a fixed-header field must hold: its `==` constant, or the first
  // constant of a `where f == A || f == B`.
  static std::optional<std::uint64_t> required_value(const ast::Field& f) {
    for (const auto& c : f.constraints) {
      const ast::Expr* e = c.expr.get();
      if (c.kind == ast::ConstraintKind::equals) {
        const sema::EvalResult v = sema::evaluate_constant(*e);
        if (v.status == sema::EvalStatus::ok) return v.value.bits;
        continue;
      }
      while (const auto* b = std::get_if<ast::Binary>(&e->node)) {
        if (b->op == ast::BinaryOp::logical_or) {
          e = b->lhs.get();
          continue;
        }
        if (b->op != ast::BinaryOp::eq) break;
        for (const auto& [lhs, rhs] :
             {std::pair{b->lhs.get(), b->rhs.get()}, std::pair{b->rhs.get(), b->lhs.get()}}) {
          const auto* ref = std::get_if<ast::NameRef>(&lhs->node);
          const sema::EvalResult v = sema::evaluate_constant(*rhs);
          if (ref && ref->field == &f && v.status == sema::EvalStatus::ok) return v.value.bits;
        }
        break;
      }
    }
    return std::nullopt;
  }

  // A struct's fixed-size start up to its last field with a required value, as one
  // token (pcapng's block type, length and byte-order magic): the required values
  // in place, every other byte zero. Only when it spans more than that one field.
  void collect_header(const ast::StructDecl& s) {
    const StructLayout& layout = layout_.of(s);
    std::string bytes;
    std::size_t token_end = 0;
    std::size_t fields = 0;
    std::size_t fields_in_token = 0;
    for (const MemberLayout& m : layout.members) {
      if (m.segment != 0 || !m.bit_width || m.optional || m.runtime_order) break;
      const std::uint64_t end = (m.bit_offset + *m.bit_width + 7) / 8;
      if (end > kMaxEntryBytes) break;
      if (bytes.size() < end) bytes.resize(end, '\0');
      ++fields;
      if (m.field == nullptr || !is_dict_field(m) || m.kind == MemberKind::varint) continue;
      const std::optional<std::uint64_t> v = required_value(*m.field);
      if (!v) continue;
      const std::string mine = encode_field(*v, m);
      const std::uint64_t at = m.bit_offset / 8;
      for (std::size_t i = 0; i < mine.size(); ++i) {
        bytes[at + i] = static_cast<char>(bytes[at + i] | mine[i]);
      }
      token_end = end;
      fields_in_token = fields;
    }
    if (fields_in_token < 2) return;
    bytes.resize(token_end);
    add(s.name + "_header", s.range, bytes);
  }

  // Boundary values of every integer field a length, count or region size reads
  // (directly or through a `let`): 0, 1, the largest value, one below it, and the
  // middle.
  void collect_lengths(const ast::StructDecl& s) {
    const StructLayout& layout = layout_.of(s);
    std::set<const ast::Field*> lengths;
    for (const MemberLayout& m : layout.members) {
      if (m.field == nullptr) continue;
      if (const auto* b = std::get_if<ast::BytesType>(&m.field->type->node); b && b->count) {
        fields_read(*b->count, lengths);
      } else if (const auto* a = std::get_if<ast::ArrayType>(&m.field->type->node)) {
        if (a->count) fields_read(*a->count, lengths);
        if (a->byte_size) fields_read(*a->byte_size, lengths);
      } else if (const auto* sw = std::get_if<ast::SwitchType>(&m.field->type->node);
                 sw && sw->byte_size) {
        fields_read(*sw->byte_size, lengths);
      }
    }
    for (const MemberLayout& m : layout.members) {
      if (m.field == nullptr || lengths.count(m.field) == 0 || !is_dict_field(m)) continue;
      const unsigned width = m.kind == MemberKind::varint ? 32 : m.scalar->bits;
      const std::uint64_t max = low_bits(~std::uint64_t{0}, width);
      for (const std::uint64_t v :
           {std::uint64_t{0}, std::uint64_t{1}, max, max - 1, std::uint64_t{1} << (width - 1)}) {
        // Raw: a boundary value the constraints reject tests the error path.
        const std::string label = s.name + "_" + m.field->name + "_length_" + std::to_string(v);
        add(label, m.field->range, encode_field(v, m));
        if (m.runtime_order) add(label + "_le", m.field->range, encode_field(v, m, true));
      }
    }
  }

  // Case values as the tag field holds them; for a computed tag, as the first field
  // of the case's enum type, else in the fewest bytes.
  void collect_switch(const ast::StructDecl& s, const ast::SwitchType& sw) {
    const StructLayout& layout = layout_.of(s);
    const MemberLayout* tag = dict_field(layout, *sw.tag);
    const bool little = s.module->endian == ast::ByteOrder::little;
    for (const auto& arm : sw.arms) {
      for (const auto& c : arm.cases) {
        const sema::EvalResult v = sema::evaluate_constant(*c);
        if (v.status != sema::EvalStatus::ok) continue;
        const MemberLayout* holder = tag;
        if (holder == nullptr) {
          if (const auto* ref = std::get_if<ast::NameRef>(&c->node); ref && ref->enum_decl) {
            for (const MemberLayout& m : layout.members) {
              if (is_dict_field(m) && m.scalar->enum_decl == ref->enum_decl) {
                holder = &m;
                break;
              }
            }
          }
        }
        if (holder != nullptr) {
          note_constants(*c);
          add_field_value(s, s.name + "_" + arm.name + "_" + value_label(v.value), arm.range,
                          v.value.bits, *holder);
        } else {
          add(s.name + "_" + arm.name + "_" + value_label(v.value), arm.range,
              encode_minimal(v.value, little));
        }
      }
    }
  }

  const ast::StructDecl& root_;
  const layout::ProgramLayout& layout_;
  std::vector<const ast::StructDecl*> pre_;
  std::set<const ast::EnumDecl*> used_enums_;
  std::set<const ast::ConstDecl*> encoded_constants_;
  std::set<std::string> seen_;
  std::vector<Entry> entries_;
};

}  // namespace

const ast::StructDecl* find_struct(const ast::Program& program, std::string_view name,
                                   std::string& error) {
  std::vector<std::string> package;
  std::string_view rest = name;
  for (std::size_t dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
    package.emplace_back(rest.substr(0, dot));
    rest.remove_prefix(dot + 1);
  }
  std::vector<const ast::StructDecl*> found;
  std::vector<std::string> files;
  for (const ast::Module* module : program.roots) {
    files.push_back(fmt::format("'{}'", module->include_path));
    if (!package.empty() && module->package != package) continue;
    for (const auto& d : module->decls) {
      if (const auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d)) {
        if ((*s)->name == rest) found.push_back(s->get());
      }
    }
  }
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    error = fmt::format("--emit-fuzzer: no struct '{}' in {}", name, fmt::join(files, ", "));
  } else {
    error = fmt::format("--emit-fuzzer: '{}' names {} structs; qualify it with its package", name,
                        found.size());
  }
  return nullptr;
}

FuzzerFiles fuzzer_for(const ast::StructDecl& root, const plan::ProgramPlan& plan,
                       const Options& options) {
  FuzzerFiles files;
  const std::string base = stem(*root.module) + "." + root.name;
  files.source_path = base + ".fuzz.cpp";
  files.source = FuzzerEmitter(root, plan).source(options);
  files.dict_path = base + ".dict";
  files.dict = DictEmitter(root, plan.layout()).text(options);
  return files;
}

}  // namespace lpc::emit
