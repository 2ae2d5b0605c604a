// The state the semantic passes share, internal to codegen/sema: the program, the
// diagnostics, the declarations of every module by name, the constants, enums and
// flags resolved so far, and what the struct pass records for the passes after it.
// Its member functions are the passes that need that state and the helpers they
// all use (lookup, types, expressions), each defined in the file its group names;
// run() in sema.cpp calls the passes in order. The struct graph pass needs none of
// it and lives apart (recursion.hpp).
//
// Cost: a name is a map lookup per visible module; each constant, enum and flags
// type is resolved once however often it is named (its state is kept here).
// Lifetime: one Checker per check() call; it keeps references to the program and
// diagnostics it was given and pointers into the program's AST.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ast/ast.hpp"
#include "diag/diagnostics.hpp"
#include "sema/eval.hpp"

namespace lpc::sema {

// names.cpp
std::string join(const std::vector<std::string>& parts, std::string_view sep = ".");
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

// types.cpp
std::string format_value(const Value& v);
struct Builtin {
  bool is_signed = false;
  bool is_float = false;
  unsigned bits = 0;
  std::optional<ast::ByteOrder> order;
};
std::optional<Builtin> parse_builtin(std::string_view s, std::string& error);
std::string_view field_kind(const ast::Field& f);
bool is_numeric_field(const ast::Field& f);

struct DeclRef {
  ast::ConstDecl* constant = nullptr;
  ast::EnumDecl* enumeration = nullptr;
  ast::StructDecl* structure = nullptr;
  const ast::Module* module = nullptr;
  SourceRange name_range;
  ast::FlagsDecl* flags = nullptr;
  bool empty() const {
    return constant == nullptr && enumeration == nullptr && structure == nullptr &&
           flags == nullptr;
  }
};

enum class State : std::uint8_t { unvisited, visiting, done, failed };

// What an expression may refer to, and how to word errors about it.
struct ExprContext {
  const ast::Module* module = nullptr;
  const ast::StructDecl* structure = nullptr;  // null: constants and enum members only
  std::size_t visible_members = 0;             // members [0, visible) are readable
  const ast::Field* current = nullptr;         // the member being checked
  bool self_allowed = false;                   // its own constraints may read it
  bool endian_allowed = false;                 // byte-order values may appear (let, arguments)
  const ast::NamedType* element = nullptr;     // `until (...)`: the type of `it`
  const ast::CarryClause* carry = nullptr;     // a `carry`'s next value: its carried name
  std::string_view what;                       // "length", "constraint", ...
};

// Integer or byte order (Checker::expr_kind).
enum class ExprKind : std::uint8_t { integer, endian, error };

class Checker {
 public:
  Checker(ast::Program& program, Diagnostics& diags) : program_(program), diags_(diags) {}

  // Every pass, in order (sema.cpp); true when none reported an error.
  bool run();

 private:
  // names.cpp: the declaration index, packages and identifiers, lookup, and the
  // constants, enums and flags, resolved on first use (run() resolves them all).
  void index_declarations();
  void check_package(const ast::Module& m);
  void check_identifier(SourceRange range, std::string_view name);
  std::vector<const ast::Module*> visible_modules(const ast::Module& from) const;
  const DeclRef* find_in(const ast::Module* m, const std::string& name) const;
  const DeclRef* lookup(const ast::Module& from, const std::vector<std::string>& parts,
                        std::size_t count, SourceRange range);
  std::vector<std::string> visible_names(const ast::Module& from, bool types, bool constants);
  bool resolve_enum_base(ast::EnumDecl& e);
  bool resolve_constant(ast::ConstDecl& c);
  void report_cycle(const std::string& name, SourceRange range);
  bool resolve_enum(ast::EnumDecl& e);
  bool resolve_constant_expr(const ast::Module& module, ast::Expr& expr);
  bool resolve_flags(ast::FlagsDecl& f);
  bool resolve_flags_type(ast::FlagsDecl& f, ast::NamedType& t);
  std::optional<bool> resolve_flags_member(const ExprContext& ctx, ast::NameRef& ref,
                                           SourceRange range);

  // types.cpp: type names (builtins, varints, declarations) and struct arguments.
  bool resolve_named(const ast::Module& from, ast::NamedType& t, SourceRange range);
  void check_arguments(ExprContext ctx, ast::NamedType& named, SourceRange range);
  void check_fits_param(const ast::Expr& e, const ast::Param& param, std::string_view what);

  // expressions.cpp: what each name in an expression is, whether it may be read
  // there, integer vs byte order, and constant values that cannot be right.
  bool resolve_expr(const ExprContext& ctx, ast::Expr& e);
  static std::size_t member_index(const ast::StructDecl& s, std::string_view name);
  bool resolve_name(const ExprContext& ctx, ast::NameRef& ref, SourceRange range);
  bool field_visible(const ExprContext& ctx, std::size_t index, SourceRange range);
  bool resolve_field_ref(const ExprContext& ctx, ast::NameRef& ref, SourceRange range,
                         std::size_t index);
  bool resolve_measure(const ExprContext& ctx, ast::NameRef& ref, SourceRange range);
  static bool is_text_field(const ast::Field& f);
  static bool is_string_literal(const ast::Expr& e);
  void report_stray_string(const ast::Expr& e);
  bool resolve_text_comparison(const ExprContext& ctx, const ast::Expr& e, ast::Binary& b);
  void report_integer_vs_string(SourceRange range, const ast::Field* field,
                                const ast::StringLiteral& text);
  void check_text_length(SourceRange range, const ast::Field& field, const ast::Expr& literal,
                         bool equal);
  ExprKind expr_kind(const ast::Expr& e);
  bool check_endian_use(const ExprContext& ctx, const std::string& name, SourceRange range);
  std::optional<bool> resolve_let_or_param(const ExprContext& ctx, ast::NameRef& ref,
                                           SourceRange range);
  void check_constant_size(const ast::Expr& e, std::string_view what);
  void check_constant_overflow(const ast::Expr& e);
  void check_constant_condition(const ast::Expr& e);

  // params.cpp: parameter names and types, the `endian NAME` clause.
  void check_params(const ast::Module& module, ast::StructDecl& s);

  // structs.cpp: members in source order, member names, lets, align, references,
  // checksums, optional and peeked fields.
  void check_struct(const ast::Module& module, ast::StructDecl& s);
  void check_member_names(const ast::StructDecl& s);
  void check_let(ExprContext ctx, ast::Let& let);
  void check_align(ExprContext ctx, ast::Align& align);
  void check_reference(const ast::Module& module, ExprContext ctx, ast::Field& field);
  void check_checksum(ExprContext ctx, ast::Field& field, unsigned cursor_before);
  void report_optional_reads(const ast::Expr& e, std::string_view what);
  void check_optional(ExprContext ctx, ast::Field& field, unsigned cursor_before);
  void check_peek(const ast::Field& field, unsigned cursor_before);

  // fields.cpp: field types (bit groups, byte order, bytes, arrays, switches).
  void check_bit_boundary(unsigned& bit_cursor, const ast::Field* last_bit_field, SourceRange range,
                          std::string_view next);
  void check_byte_order(const ast::Module& module, const ast::StructDecl& s,
                        const ast::NamedType& t, SourceRange range, std::string_view name);
  void check_field_type(const ast::Module& module, const ast::StructDecl& s, ExprContext ctx,
                        ast::Field& field, unsigned& bit_cursor, const ast::Field*& last_bit_field);
  void check_region_type(const ast::Module& module, const ast::StructDecl& s, ExprContext ctx,
                         ast::Field& field, ast::TypeExpr& type);
  void check_static_order(const ast::StructDecl& s, const ast::NamedType& t, SourceRange range,
                          std::string_view what);
  void check_array_type(const ast::Module& module, const ast::StructDecl& s, ExprContext ctx,
                        ast::Field& field, ast::ArrayType& a);
  void check_switch(const ast::Module& module, const ast::StructDecl& s, ExprContext ctx,
                    ast::Field& field, ast::SwitchType& sw);
  void check_case(const ExprContext& field_ctx, ast::Expr& c, const ast::SwitchArm& arm,
                  const std::optional<ValueRange>& tag_range, const std::string& tag_type,
                  std::vector<std::pair<Value, const ast::SwitchArm*>>& seen);
  void report_not_an_arm(const ast::TypeExpr& type, std::string_view what);

  // constraints.cpp: a field's `==`, `where` and comparisons, and whether they can hold.
  void check_constraints(ExprContext ctx, ast::Field& field);
  void check_text_constraints(const ExprContext& ctx, ast::Field& field);
  void check_array_constraints(const ExprContext& ctx, ast::Field& field);
  void report_impossible(const ast::Constraint& c, const ast::Field& field,
                         const ast::NamedType& type, const ValueRange& range);
  void check_comparison_range(const ast::Constraint& c, const ast::Field& field,
                              const ast::NamedType& type, const ValueRange& range);

  // arrays.cpp: array elements once struct sizes are known, `until` conditions and `it`.
  void check_array_elements();
  void check_array_byte_size(const ast::ArrayType& a, std::uint64_t element_size);
  void report_optional_sequence(const ast::Field& field, std::string_view what);
  void check_until_clause(const ExprContext& ctx, ast::ArrayType& a);
  void check_until_conditions();
  bool resolve_element_ref(const ExprContext& ctx, ast::NameRef& ref, SourceRange range);
  static const ast::Let* element_let(const ast::StructDecl& st, std::string_view name);

  // carry.cpp: values carried from one array element to the next.
  bool check_carry_clause(const ExprContext& field_ctx, ast::ArrayType& a, ast::NamedType& elem);
  void check_carried_values();

  ast::Program& program_;
  Diagnostics& diags_;
  std::map<const ast::Module*, std::map<std::string, DeclRef>> decls_;
  std::map<const ast::ConstDecl*, State> const_state_;
  std::map<const ast::EnumDecl*, State> enum_state_;
  std::map<const ast::EnumDecl*, bool> enum_base_ok_;
  std::vector<std::string> cycle_stack_;
  std::map<const ast::FlagsDecl*, bool> flags_ok_;
  // Recorded by the struct pass for the passes after it.
  std::vector<const ast::ArrayType*> arrays_of_structs_;
  std::set<const ast::ArrayType*> arm_arrays_;  // arrays that are a switch arm's type
  std::map<const ast::ArrayType*, const ast::Field*> optional_arrays_;  // `x: T[] if c`
  std::vector<std::pair<ExprContext, ast::ArrayType*>> until_arrays_;   // checked last
  std::vector<std::pair<ExprContext, ast::ArrayType*>> carry_arrays_;   // next values, last
};

}  // namespace lpc::sema
