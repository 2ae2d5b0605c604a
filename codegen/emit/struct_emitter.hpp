// StructEmitter: writes the C++ of one schema struct into its module's files
// (docs/internals/contract.md, "What lpc emits"). One class, its member functions
// defined by what they output: struct_emitter.cpp (what the parts share, and the
// order of one struct's output), emit_view.cpp (the view class FooView and the
// wrapper struct Foo), emit_parse.cpp (parse_into() and its cold paths),
// emit_mut.cpp (the mutable view FooMut), emit_visit.cpp (visit()). The
// serializer is emit_builder.cpp's, the module's assembly emit_cpp.cpp's.
//
// Cost: linear in the text it writes. Lifetime: one emitter per struct, used once
// (emit()); it holds references to the module, the plan and the CodeWriter, which
// must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ast/ast.hpp"
#include "emit/code_writer.hpp"
#include "emit/cpp_common.hpp"
#include "plan/plan.hpp"

namespace lpc::emit {

class StructEmitter {
 public:
  // `split`: the error paths and visit() go to the module's source file (source()),
  // not the header.
  StructEmitter(const ast::Module& module, const plan::ProgramPlan& program_plan,
                const ast::StructDecl& decl, CodeWriter& code, bool split)
      : module_(module),
        program_plan_(program_plan),
        program_layout_(program_plan.layout()),
        decl_(decl),
        plan_(program_plan.of(decl)),
        layout_(*plan_.layout),
        code_(code),
        split_(split),
        expr_(module, &local_name) {
    for (const ast::Param& p : decl_.params) {
      params_decl_ += fmt::format(", {} {}", param_type(p), p.name);
      params_def_ += fmt::format(", {} param_{}", param_type(p), p.name);
      param_types_ += ", " + param_type(p);
    }
  }

  // Writes the struct's classes and definitions (the order is in struct_emitter.cpp).
  void emit();

  // Definitions that must follow every class of the header ("" for most structs).
  const std::string& deferred() const { return deferred_; }
  // With `split`: the definitions of the module's source file ("" otherwise).
  const std::string& source() const { return source_; }
  // With `split`: the explicit instantiations of the struct's bases, whose entry
  // points the source file compiles (libparse/entry_points.hpp); "" otherwise.
  const std::string& instantiations() const { return instantiations_; }

 private:
  using MemberKind = layout::MemberKind;
  using MemberLayout = layout::MemberLayout;
  using StructLayout = layout::StructLayout;
  using RequireCheck = plan::RequireCheck;

  // The C++ type of an arm's accessor and the expression that builds it.
  struct ArmAccess {
    std::string type;
    std::string value;
    bool stored = false;  // `value` names a view this view holds: returned by reference

    // The accessor's return type: a reference to a stored view, else a copy.
    std::string optional_type() const {
      return (stored ? "lp::optional_ref<" : "lp::optional_value<") + type + ">";
    }
    // The accessor's return expression when present.
    std::string optional_value() const {
      return stored ? fmt::format("lp::optional_ref<{}>({})", type, value) : value;
    }
  };

  // The arguments of a lazy array's parameterised element type: parse() evaluates
  // them once and the view keeps them for the accessor's range.
  struct ElementArgument {
    std::string type;    // the parameter's C++ type
    std::string member;  // the view's data member
    std::string param;   // the parameter's name
  };

  // Names and places: identifiers, offsets and the C++ names of schema types.
  std::string ident(std::size_t index) const {
    const MemberLayout& m = layout_.members[index];
    if (m.field != nullptr && m.field->name != "_") return m.field->name;
    if (m.kind == MemberKind::let) return std::get<ast::Let>(*m.member).name;
    if (m.kind == MemberKind::align) return fmt::format("{}_align", index);
    // Pads and `_` fields have no name of their own: number them by position. A
    // schema name cannot start with a digit, so "8_pad" never collides with one.
    return fmt::format("{}_{}", index, m.field == nullptr ? "pad" : "unnamed");
  }

  // The member's segment in error paths (plan: `_#3` for an anonymous field).
  const std::string& display_name(const MemberLayout& m) const {
    return plan_.path_names[index_of(m)];
  }

  std::size_t index_of(const MemberLayout& m) const {
    return static_cast<std::size_t>(&m - layout_.members.data());
  }

  // Data member holding where a dynamic member ends (= where the next segment starts).
  std::string end_member(std::size_t index) const { return fmt::format("end_{}_", ident(index)); }

  // Start of segment k in accessors ("" for segment 0).
  std::string view_segment(std::size_t segment) const {
    if (segment == 0) return {};
    return end_member(layout_.segments[segment - 1].end_member - 1);
  }

  std::string view_offset(const MemberLayout& m) const {
    return offset_expr(view_segment(m.segment), m.bit_offset / 8);
  }

  std::string parse_offset(const MemberLayout& m) const {
    return offset_expr(m.segment == 0 ? std::string() : std::string("pos"), m.bit_offset / 8);
  }

  std::string struct_ref(const ast::StructDecl& s, std::string_view suffix) const {
    return qualify(s.module, module_, s.name + std::string(suffix));
  }

  std::string enum_ref(const ast::EnumDecl& e) const { return qualify(e.module, module_, e.name); }

  // The C++ class an integer field is read as: its enum or flags type ("" for a number).
  std::string scalar_class(const ast::NamedType& t) const {
    if (t.enum_decl != nullptr) return enum_ref(*t.enum_decl);
    if (t.flags_decl != nullptr) return qualify(t.flags_decl->module, module_, t.flags_decl->name);
    return {};
  }

  // Names of the view's data members and the C++ types they hold.
  std::string count_member(const MemberLayout& m) const {
    return fmt::format("count_{}_", ident(index_of(m)));
  }

  std::string value_member(const MemberLayout& m) const {
    return fmt::format("value_{}_", ident(index_of(m)));
  }

  std::string rule_member(const MemberLayout& m) const {
    return fmt::format("rule_{}_", ident(index_of(m)));
  }

  std::string carry_member(const MemberLayout& m) const {
    return fmt::format("carry_{}_", ident(index_of(m)));
  }

  // Where a switch arm's view lives: a member of the switch's union of arm views.
  static std::string arm_view(const std::string& field, const std::string& arm) {
    return fmt::format("arms_{}_.{}", field, arm);
  }

  static std::string param_type(const ast::Param& p) {
    if (p.is_endian) return "lp::byte_order";
    const auto& t = std::get<ast::NamedType>(p.type->node);
    return int_type(t.bits, t.is_signed);
  }

  static std::string let_type(const ast::Let& let) {
    if (let.is_endian) return "lp::byte_order";
    return let.is_signed ? "std::int64_t" : "std::uint64_t";
  }

  static std::string varint_type(const ast::NamedType& t) {
    return t.varint == ast::VarintKind::zigzag ? "std::int64_t" : "std::uint64_t";
  }

  // What kind of sequence a member is (docs/schema-language.md §15, §16, §18, §19).
  static const ast::BytesType* string_type(const MemberLayout& m) {
    if (m.kind != MemberKind::bytes || m.field == nullptr) return nullptr;
    const auto* b = std::get_if<ast::BytesType>(&m.field->type->node);
    return b != nullptr && b->kind != ast::BytesKind::bytes ? b : nullptr;
  }

  // `cstring`, up to a NUL (not `cstring[n]`, a field of n bytes read like bytes[n]).
  static bool is_cstring(const MemberLayout& m) {
    const auto* b = string_type(m);
    return b != nullptr && b->kind == ast::BytesKind::cstring && !b->count;
  }

  bool is_deferrable(const MemberLayout& m) const {
    return m.field != nullptr && plan_.deferrable_lists.count(m.field) != 0;
  }

  static const ast::CarryClause* carry_of(const MemberLayout& m) {
    if (m.kind != MemberKind::array || m.field == nullptr) return nullptr;
    return std::get<ast::ArrayType>(m.field->type->node).carry.get();
  }

  // ------------------------------------------------------- struct_emitter.cpp: shared by the parts

  // Scalar reads and writes: one load or store, byte order fixed or chosen at run time.
  std::string read_raw(const ast::NamedType& t, MemberKind kind,
                       std::optional<ast::ByteOrder> order, ast::BitOrder bit_order,
                       const std::string& base, const std::string& segment,
                       std::uint64_t bit_offset, bool runtime_order = false) const;
  std::string write_raw(const ast::NamedType& t, MemberKind kind,
                        std::optional<ast::ByteOrder> order, ast::BitOrder bit_order,
                        const std::string& base, const std::string& segment,
                        std::uint64_t bit_offset, const std::string& value,
                        bool runtime_order = false) const;
  std::string accessor_type(const ast::NamedType& t) const;
  std::string runtime_order_of(const std::string& base) const;
  static std::string read_runtime_order(const ast::NamedType& t, const std::string& type,
                                        const std::string& at, const std::string& order);
  static std::string write_runtime_order(const ast::NamedType& t, const std::string& type,
                                         const std::string& at, const std::string& order,
                                         const std::string& value);

  // Byte regions, array types and the arguments of lazy arrays' elements.
  std::string view_bytes(const MemberLayout& m) const;
  std::string array_type(const ast::NamedType& elem, std::optional<ast::ByteOrder> order,
                         bool mut) const;
  std::optional<ast::ByteOrder> arm_byte_order(const ast::NamedType& t) const;
  std::vector<ElementArgument> element_arguments(const MemberLayout& m) const;
  std::pair<std::string, std::string> lazy_array_type(const MemberLayout& m, bool mut) const;
  std::string carry_tuple(const MemberLayout& m) const;
  static std::string out_of_range(const ast::NamedType& type, const std::string& v);
  static std::string instantiation(const std::string& statement);
  // The arms of a switch member whose views the view stores (plan::stores_arm_view),
  // in declaration order.
  std::vector<const ast::SwitchArm*> stored_arms(const MemberLayout& m) const;
  // How parse() declares a view of `child` it is about to fill: "(lp::for_parse)"
  // after the name when the child holds arm views (plan::StructPlan::holds_arm_views),
  // else nothing (default-initialized).
  std::string for_parse_init(const ast::StructDecl& child) const;

  // Layout of emitted classes, functions and tables, as clang-format would write them.
  void class_head(const std::string& head, const std::vector<std::string>& bases,
                  const std::string& comment);
  void short_function(const std::string& signature, const std::string& statement);
  static std::string wrapped_initializer(const std::vector<std::string>& entries);

  // ------------------------------ emit_view.cpp: the view class FooView and the wrapper struct Foo

  // The class.
  void emit_view();
  void emit_for_parse_constructor();
  void emit_field_table();
  std::string member_table() const;

  // Data members: what parse() stores for the accessors.
  void emit_data_members(const MemberLayout& m);
  void emit_sequence_data_members(const MemberLayout& m);
  void emit_structure_data_members(const MemberLayout& m);
  void emit_list_rule(const MemberLayout& m);
  void emit_carry_step(const MemberLayout& m);

  // Accessors of fields, parameters and lets.
  void emit_accessor(const MemberLayout& m);
  bool emit_sequence_accessor(const MemberLayout& m);
  void emit_param_accessors();
  void emit_let_accessor(const MemberLayout& m);
  ArmAccess optional_access(const MemberLayout& m) const;
  void emit_optional_accessor(const MemberLayout& m);

  // Accessors of switch arms.
  ArmAccess arm_access(const MemberLayout& m, const ast::SwitchArm& arm) const;
  void emit_switch_accessors(const MemberLayout& m);
  void emit_copy_on_temporary(const std::string& accessor, const std::string& child);
  void emit_indirect_accessor(const ast::SwitchArm& arm);
  std::string arm_region(const MemberLayout& m) const;

  // Values read back from the view, for references' and checksums' expressions.
  void view_locals(const ast::Expr& e, std::set<std::string>& declared);

  // References (`at`): followed through an lp::PointerChain.
  void emit_reference(const ast::Field& f);

  // Checksums: the expected value and verify_checksums().
  void emit_checksum_expected(const MemberLayout& m);
  void emit_verify_checksums();

  // The wrapper struct Foo.
  void emit_wrapper();

  // ----------------------------------------------- emit_parse.cpp: parse_into() and its cold paths

  // Statement builders: parse_into()'s error returns and checks.
  std::string fail(const std::string& error, const std::string& field) const;
  std::string error(std::string_view code, const std::string& field, const std::string& offset,
                    unsigned bit = 0) const;
  void fail_if(const std::string& condition, const std::string& failure);
  void checked_value(const std::string& name, const ast::Expr& e, const std::string& field,
                     const std::string& offset, bool to_unsigned = true);
  void region_check(const std::string& length, const std::string& field, const std::string& offset,
                    const std::string& available, bool bounded, const std::string& bounded_text);
  void emit_condition(const ast::Expr& e, const std::string& field, const std::string& offset,
                      unsigned bit, std::optional<std::string> actual,
                      const std::string& text_override = {});
  void depth_check(const std::string& name, const std::string& offset,
                   const std::string& nonempty = "");
  void store_end(const MemberLayout& m, const std::string& end);
  static std::string paren(const std::string& s);
  static std::string plus(const std::string& offset, const std::string& x);
  static std::string left_after(const std::string& offset);
  static std::string rest_from(const std::string& offset);

  // parse_into() and its cold paths (fail_(), truncated_in_segmentK_()).
  void emit_parse();
  void emit_parse_body();
  void emit_segment_check(std::size_t k);
  void emit_error_paths();
  void emit_truncation_helper(std::size_t k);

  // Requires: checked before the first member, after a member, or at the end.
  bool start_kept(const RequireCheck& c) const;
  bool require_needs_start(std::size_t index) const;
  void emit_requires(RequireCheck::When when, std::size_t index);

  // One member: what it keeps for later expressions, then its own checks.
  void emit_parse_member(const MemberLayout& m);
  void emit_text_local(const MemberLayout& m, const std::string& start, const std::string& length);
  void emit_sequence_constraints(const MemberLayout& m, const std::string& start);
  void emit_parse_member_body(const MemberLayout& m);
  void emit_parse_scalar(const MemberLayout& m);
  void emit_field_constraints(const MemberLayout& m, const std::string& local);

  // Children and the arguments of parameterised struct types.
  void parse_child(const ast::StructDecl& child, const std::string& var, const std::string& target,
                   const std::string& region, const std::string& name, const std::string& offset,
                   bool bounded, const std::string& bounded_text, const std::string& args = "");
  void emit_parse_nested(const MemberLayout& m, const std::string& name, const std::string& offset);
  std::string emit_arguments(const ast::NamedType& named, const std::string& name,
                             const std::string& offset);
  std::vector<std::string> emit_argument_values(const ast::NamedType& named,
                                                const std::string& name, const std::string& offset,
                                                const ast::CarryClause* carry = nullptr);

  // Arrays of fixed-size elements.
  void array_length(const ast::ArrayType& a, std::uint64_t element_bytes,
                    const std::string& len_var, const std::string& name, const std::string& offset,
                    const std::string& available, bool bounded, const std::string& bounded_text);
  void element_loop(const ast::StructDecl& child, std::uint64_t element_bytes,
                    const std::string& length, const std::string& name, const std::string& offset,
                    const std::string& region_base);
  void emit_parse_array(const MemberLayout& m, const std::string& name, const std::string& offset);

  // Switches and their arms.
  void emit_parse_switch(const MemberLayout& m, const std::string& name, const std::string& offset);
  void emit_arm(const MemberLayout& m, const ast::SwitchArm& arm, const std::string& name,
                const std::string& offset, const std::string& region, bool bounded,
                const std::string& bounded_text);
  void emit_arm_body(const MemberLayout& m, const ast::SwitchArm& arm, const std::string& name,
                     const std::string& offset, const std::string& region, bool bounded,
                     const std::string& bounded_text);

  // Sequences: varints, cstrings, and arrays whose element count parse() finds.
  static std::string varint_decoder(const ast::NamedType& t);
  static bool reads_element(const ast::Expr& e);
  bool emit_parse_sequence(const MemberLayout& m, const std::string& name,
                           const std::string& offset);
  void emit_parse_varint(const MemberLayout& m, const std::string& name, const std::string& offset);
  void emit_parse_cstring(const MemberLayout& m, const std::string& name,
                          const std::string& offset);
  void emit_parse_counted_array(const MemberLayout& m, const std::string& name,
                                const std::string& offset);
  std::string emit_element_arguments(const MemberLayout& m, const std::string& name,
                                     const std::string& offset);
  void emit_counted_array_step(const MemberLayout& m, const std::string& name,
                               const std::string& offset, const std::string& element_args);

  // Structure: let, align, optional and peeked fields.
  bool emit_parse_structure(const MemberLayout& m, const std::string& name,
                            const std::string& offset);
  void emit_parse_optional(const MemberLayout& m, const std::string& name,
                           const std::string& offset);
  void emit_parse_present(const MemberLayout& m, const std::string& name,
                          const std::string& offset);
  void emit_parse_peek(const MemberLayout& m, const std::string& name, const std::string& offset);

  // --------------------------------------------------------- emit_mut.cpp: the mutable view FooMut

  // The class.
  void emit_mut();
  void emit_mut_members(const MemberLayout& m);
  bool emit_sequence_mut(const MemberLayout& m);

  // Setters and writable accessors of optional fields and switch arms.
  void set_scalar_write(const MemberLayout& m);
  void emit_optional_mut(const MemberLayout& m);
  void emit_mut_arm(const ast::SwitchArm& arm);

  // Checksums: update_checksums().
  void emit_update_checksums();

  // ----------------------------------------------------------------------- emit_visit.cpp: visit()

  // visit().
  void emit_visit();

  // One member: scalars, arrays, sequences, lets, optionals and switches.
  std::string where(const MemberLayout& m) const;
  void visit_scalar(const ast::NamedType& t, const std::string& name, const std::string& value,
                    const std::string& where_bytes);
  void visit_array(const ast::NamedType& elem, const std::string& name, const std::string& value,
                   std::uint64_t element_bytes);
  bool emit_sequence_visit(const MemberLayout& m);
  void visit_let(const MemberLayout& m);
  void visit_optional(const MemberLayout& m);
  void visit_switch(const MemberLayout& m);
  void visit_arm(const MemberLayout& m, const ast::SwitchArm& arm);

  // ----------------------------------------------------------------------------------------- state

  const ast::Module& module_;
  const plan::ProgramPlan& program_plan_;
  const layout::ProgramLayout& program_layout_;
  const ast::StructDecl& decl_;
  const plan::StructPlan& plan_;
  const StructLayout& layout_;
  CodeWriter& code_;
  const bool split_;
  ExprWriter expr_;
  bool stores_child_views_ = false;  // an accessor returns a reference into the view
  std::string params_decl_;          // ", std::uint32_t length": parse_into()'s parameters
  std::string params_def_;           // ", std::uint32_t param_length": parse_into()'s definition
  std::string param_types_;          // ", std::uint32_t": the bases' template arguments
  std::string deferred_accessors_;   // out-of-line accessors of recursive arms
  std::string deferred_references_;  // out-of-line accessors of references (`at`)
  std::string deferred_;             // what emit() leaves for the end of the header
  std::string source_;               // with split_: what goes to the source file
  std::string instantiations_;       // with split_: the bases' explicit instantiations
};

}  // namespace lpc::emit
