// The interpreter of checked schemas (`lpc dump`, issue 23): parses a byte
// buffer as one struct of a checked program, straight from the AST, the layout
// and the plan, with the rules the generated parse() follows
// (codegen/emit/emit_parse.cpp), and yields a tree of values.
//
// The tree replays into any lp::FieldVisitor in the order and with the bytes a
// generated view's visit() reports, so lp::json, the "{:t}" tree and the
// annotated hexdump (libparse/format.hpp) print exactly what they print for the
// generated view. An error is an lp::Error built the way the generated code
// builds it: same code, offset, path, text, actual and needed bytes.
//
// Cost: one pass over the input, plus a node per field (allocates; for people
// and for differential tests, not for the hot path). Every array is bounded by
// ParseOptions::max_elements and nesting by max_depth, as in generated code.
// Lifetime: the Interpreter points into the Program and the ProgramPlan it was
// given; a Node's bytes point into the parsed buffer; the string_views inside an
// lp::Error point into the Program (names, schema text) or into the
// Interpreter. Keep all of them alive while using the results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "libparse/bytes.hpp"
#include "libparse/checksum.hpp"
#include "libparse/error.hpp"
#include "libparse/options.hpp"
#include "libparse/pointer.hpp"
#include "libparse/visit.hpp"
#include "plan/plan.hpp"

namespace lpc::interp {

// One visited item: what a generated visit() reports for a field.
struct Node {
  enum class Kind : std::uint8_t {
    unsigned_int,
    signed_int,
    floating,
    enumeration,  // `member` is "" when the value names none
    flags,        // `flags_decl` names the bits
    bytes,
    string,
    structure,  // `type_name`, `children`
    array,      // `children`, each with an empty name
  };
  Kind kind = Kind::unsigned_int;
  std::string_view name;       // "" for array elements
  std::string_view type_name;  // structures
  lp::bytes where;             // the bytes the item spans (as visit() reports them)
  std::uint64_t raw = 0;       // unsigned, enum and flags values; signed as two's complement
  double real = 0;
  std::string_view member;
  const ast::FlagsDecl* flags_decl = nullptr;
  std::vector<Node> children;

  // A reference of a structure (`target: T at offset;`): like the view's
  // accessor, not followed by parse() but on request (Interpreter::follow).
  // Its offset and T's arguments are evaluated when the struct is parsed; each
  // is empty when the accessor would fail on it (overflow, out of range).
  struct Reference {
    const ast::Field* field = nullptr;
    std::optional<std::uint64_t> offset;
    std::vector<std::optional<std::uint64_t>> arguments;  // T's parameters, in order
  };
  std::vector<Reference> references;  // structures: in declaration order
};

// A value of a struct parameter given on the command line (`--arg length=20`):
// an integer, or for an `endian` parameter 0 (big) or 1 (little).
struct Argument {
  std::string name;
  std::uint64_t value = 0;
  bool is_negative = false;  // value holds a negative int64 (two's complement)
};

// A construct the interpreter does not evaluate, with the schema line naming it.
struct Unsupported {
  std::string construct;
  std::string location;  // "net/ipv4.lps:12"
};

class Interpreter {
 public:
  explicit Interpreter(const plan::ProgramPlan& plan) : plan_(plan) {}

  // Parses `buffer` as `decl` (its top-level parse(): depth 0). `arguments`
  // gives every parameter of `decl` by name. A bad argument list is a
  // std::invalid_argument (a usage error, not a parse error). With
  // `verify_checksums`, a successful parse is followed by what the view's
  // verify_checksums() checks (decl's own checksums; see unsupported()), its
  // `checksum internet pseudo` fields summed from `pseudo_header` (the argument
  // the view's verify_checksums(pseudo_header) takes).
  lp::Result<Node> parse(const ast::StructDecl& decl, lp::bytes buffer,
                         std::span<const Argument> arguments = {},
                         const lp::ParseOptions& options = {}, bool verify_checksums = false,
                         const lp::InternetChecksum* pseudo_header = nullptr) const;

  // What the interpreter cannot evaluate for this request, each naming its
  // schema line: with verify_checksums and no pseudo-header sum given, decl's
  // checksums over a pseudo-header (its sum comes from the enclosing packet). A
  // caller reports these instead of printing a result that was not checked.
  std::vector<Unsupported> unsupported(const ast::StructDecl& decl, bool verify_checksums,
                                       bool pseudo_header_given = false) const;

  // Follows `reference` of the structure `referrer` (a node parse() returned, over
  // bytes inside the chain's message) as the view's accessor does: one hop of
  // `chain` (forward pointers, loops and too many hops are its errors), then T's
  // top-level parse() at the target with the chain's options, an error there
  // rebased under the referring field.
  lp::Result<Node> follow(const Node& referrer, const Node::Reference& reference,
                          lp::PointerChain& chain) const;

 private:
  struct Frame;
  struct Parsed;
  friend struct Frame;

  lp::Status parse_struct(const ast::StructDecl& decl, lp::bytes buffer,
                          std::vector<std::uint64_t> params, const lp::ParseOptions& options,
                          std::size_t depth, Parsed& out, bool verify_checksums = false,
                          const lp::InternetChecksum* pseudo_header = nullptr) const;
  // Interned text for errors whose text the generated code builds (`x == 4`).
  std::string_view intern(std::string text) const;
  // An expression's text as errors quote it: its source, each run of
  // whitespace one space (the generated string literal's rule). Kept per
  // expression, computed at its first error.
  std::string_view text_of(const ast::Expr& e) const;

  const plan::ProgramPlan& plan_;
  mutable std::deque<std::string> strings_;
  mutable std::map<const ast::Expr*, std::string> texts_;
};

// Reports `root`'s fields (not `root` itself, as a view's visit() does) to `visitor`.
void visit(const Node& root, lp::FieldVisitor& visitor);

// Any lp::view (a generated view, a Node) seen through what the text writers of
// libparse/format.hpp read of it: its type name, its bytes and its visit(). The
// writers are compiled once, in this library, instead of in every differential
// fuzz target and test that formats a generated view (each costs seconds).
// Lifetime: refers to the view, which must outlive it.
struct AnyView {
  std::string_view type_name;
  lp::bytes bytes;
  const void* view = nullptr;
  void (*visit)(const void* view, lp::FieldVisitor& visitor) = nullptr;

  template <lp::view V>
  static AnyView of(const V& v) {
    return {V::type_name, v.bytes(), &v,
            [](const void* p, lp::FieldVisitor& f) { static_cast<const V*>(p)->visit(f); }};
  }
  static AnyView of(const Node& root);
};

// What `lpc dump` prints for a parsed tree, and fmt prints for a view: lp::json's
// text, the "{:t}" tree, or the annotated hexdump (offsets from the start of the
// view's bytes).
std::string to_json(const AnyView& view);
std::string to_tree(const AnyView& view);
std::string to_hexdump(const AnyView& view);
inline std::string to_json(const Node& root) { return to_json(AnyView::of(root)); }
inline std::string to_tree(const Node& root) { return to_tree(AnyView::of(root)); }
inline std::string to_hexdump(const Node& root) { return to_hexdump(AnyView::of(root)); }

}  // namespace lpc::interp
