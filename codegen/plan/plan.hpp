// The plan: every decision the C++ emitters make about a struct, computed once
// from the checked AST and the layout and kept as data (docs/internals/contract.md,
// "The plan"). Emitters read it; none of them decides by looking at what it has
// emitted. Each decision is a pure function of the schema, tested alone
// (tests/codegen/backend/plan_test.cpp).
//
// Cost: linear in the program's members (struct-to-struct questions are memoised).
// Lifetime: the plan points into the Program and the ProgramLayout it was computed
// from and must not outlive either.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ast/ast.hpp"
#include "layout/layout.hpp"

namespace lpc::plan {

// Where parse() checks a `require`: as soon as the members it names are read,
// so that a broken field is reported by the require that names it rather than
// as a later length running out.
struct RequireCheck {
  const ast::Require* require = nullptr;
  enum class When : std::uint8_t {
    first,         // names no field or let (constants, parameters): before the first member
    after_member,  // right after layout member `member`, the last one it names
    last,          // reads `remaining` (the bytes after the struct): after every member
  };
  When when = When::first;
  // The member the error names (the last field or let the require names, in
  // declaration order); meaningful unless `names_member` is false.
  std::size_t member = 0;
  bool names_member = false;
};

struct StructPlan {
  const ast::StructDecl* decl = nullptr;
  const layout::StructLayout* layout = nullptr;

  // ---- parse()
  // Fields whose values parse() reads into locals: constrained, or named by an
  // expression parse() evaluates (a length, a count, a condition, a tag, an
  // argument, a `let`, a `require`). A reference's arguments are evaluated by its
  // accessor, not by parse(), and do not count.
  std::set<const ast::Field*> kept_values;
  // Bytes, string and cstring fields that a constraint or require compares with a
  // string literal (or that carry a constraint of their own): parse() keeps a view
  // of their bytes in a local.
  std::set<const ast::Field*> kept_texts;
  // Array, bytes and string fields whose count() / size() a constraint, require or
  // let reads: parse() keeps the number in a local once the field is read.
  std::set<const ast::Field*> counted;
  std::set<const ast::Field*> sized;
  // A switch arm names a struct recursively: the arm is re-parsed by its accessor
  // and the struct's parse() is never inlined (recursive inlining).
  bool has_recursive_arm = false;
  // Fixed-size, no constraints or requires (here or in fixed-size children), no
  // parameters: valid wherever its bytes are, so a parent's bounds check covers it
  // and accessors build it in place without parsing.
  bool valid_anywhere = false;
  // parse() parses a child struct (a nested field, array elements, a switch arm,
  // an optional struct): it passes `depth + 1` on and checks options.max_depth.
  bool parses_children = false;
  // parse() reads a field's value from the buffer (a kept scalar): it needs the
  // buffer's first byte at hand.
  bool parse_reads_scalars = false;
  // parse() compares positions with the buffer's size. Only a struct that is one
  // sequence whose length parse() finds over its whole buffer (no constant-size
  // bytes, one array whose count parse() finds, no byte size, no `remaining`)
  // never does: its loop runs to the end of the region; nor does a struct with no
  // member at all.
  bool parse_uses_buffer_size = true;
  // Per segment: the members of its constant-size run that take at least one
  // byte, in order; the truncation helper of segment k names the one holding the
  // first missing byte. Empty for a segment without such members.
  std::vector<std::vector<const layout::MemberLayout*>> truncation_fields;
  // An estimate of the statements parse() runs on its success path (error paths
  // run out of line and do not count): scalar reads, checks, child parses, loops,
  // stores of end offsets. inline_parse compares it with kInlineParseCost.
  std::size_t parse_cost = 0;
  // parse() reads this struct once per element of some array (a field's, or a
  // switch arm's): see kInlineElementParseCost.
  bool parsed_per_element = false;
  // parse_into() is emitted [[gnu::always_inline]]: short, and no recursive arm.
  bool inline_parse = false;
  // Lists parse() leaves unwalked under ParseOptions::defer_lists: arrays of
  // variable-size structs whose bytes are known without reading an element (a
  // `size(...)`, or no size, count or `until`: the rest of the struct), whose
  // `until` reads only the element and constants, and whose field no expression
  // parse() evaluates names (nor counts: count(x)), which has no `where` and no
  // `carry` (each element's argument comes from the one before). Their walk is
  // lp::walk_list() with a list_rule the view keeps, so that a deferred list is validated later by
  // the same code.
  std::set<const ast::Field*> deferrable_lists;

  // ---- the view's storage
  // The view holds the view of a switch arm (a union of the arms that are
  // variable-size structs, not recursive), itself or in the view of a
  // variable-size nested field it stores. It gets a constructor taking
  // lp::for_parse that leaves every such union without a live member, and
  // parse() builds the views it fills that way: the views of arms it does not
  // take are neither built nor zeroed; parse_into() begins the lifetime of the
  // one it takes.
  bool holds_arm_views = false;

  // ---- errors and requires
  // The path segment each layout member's errors name (indexed like
  // layout->members): the field's or let's name; an anonymous `_` field is
  // `_#k`, k its position among the struct's fields from 1 (no schema name can
  // contain '#'); `pad` and `align` for those.
  std::vector<std::string> path_names;
  // Each `require`, in declaration order, with where parse() checks it.
  std::vector<RequireCheck> require_checks;

  // ---- checksums
  std::vector<const layout::MemberLayout*> checksum_fields;  // declaration order
  bool any_pseudo_header = false;

  // ---- serialize()
  // Every expression it writes by can be evaluated front to back (no `remaining`),
  // here and in by-value children: the struct gets a FooValue and serialize().
  bool has_serializer = false;
  // serialize(to_value(view)) gives back the view's bytes exactly: no varints
  // (written shortest), pads, `align`, `_` fields (written as zeros) or padded
  // `until ... size(n)` arms, here or in a child.
  bool serializes_exactly = false;

  // ---- fuzzing
  // The most bytes parse() can consume (plan/bounds.hpp); null when unbounded.
  // The fuzz kit passes it to libFuzzer as -max_len when it is at most
  // kFuzzMaxLenCap.
  std::optional<std::uint64_t> max_parse_bytes;
};

// Bounds above this are left to libFuzzer's default -max_len: inputs this large
// slow every execution and rarely reach code a shorter one does not.
inline constexpr std::uint64_t kFuzzMaxLenCap = 64 * 1024;

// parse_into() of a struct whose success path is estimated at most this many
// statements is always inlined into its callers. Left to itself, g++ 12 -O3
// keeps short children such as DnsName, DnsQuestion and Udp out of line (their
// error paths count towards its size estimate) and pays a call, six saved
// registers and a Status in memory per name; inlining every struct is slower
// again (docs/performance.md, "The inlining rule").
inline constexpr std::size_t kInlineParseCost = 25;
// The same for a struct parsed once per array element (a DNS name's labels):
// the call it saves is paid per element, and the loops that read the elements
// again (lp::lazy_array, with constant options) fold the inlined body's limit
// checks away (docs/performance.md, "Inlining array elements").
inline constexpr std::size_t kInlineElementParseCost = 35;

struct ModulePlan {
  const ast::Module* module = nullptr;
  // The module's structs, each after the structs it holds by value (fields,
  // array elements, switch arms that are not recursive): the order of their
  // classes and of their FooValue structs.
  std::vector<const ast::StructDecl*> struct_order;
};

class ProgramPlan {
 public:
  const layout::ProgramLayout& layout() const { return *layout_; }
  const StructPlan& of(const ast::StructDecl& decl) const { return structs_.at(&decl); }
  const ModulePlan& of(const ast::Module& module) const { return modules_.at(&module); }

 private:
  friend std::unique_ptr<ProgramPlan> compute(const ast::Program&, const layout::ProgramLayout&);
  const layout::ProgramLayout* layout_ = nullptr;
  std::map<const ast::StructDecl*, StructPlan> structs_;
  std::map<const ast::Module*, ModulePlan> modules_;
};

// A switch arm whose view the parent's view stores, in a union the arms share:
// a variable-size struct, not recursive. (Fixed-size ones are rebuilt from
// their offsets; recursive ones are re-parsed by their accessor.)
bool stores_arm_view(const ast::SwitchArm& arm, const layout::ProgramLayout& layouts);

// The plan of every struct and module of a checked program.
std::unique_ptr<ProgramPlan> compute(const ast::Program& program,
                                     const layout::ProgramLayout& layout);

}  // namespace lpc::plan
