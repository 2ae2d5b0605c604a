#include "layout/layout.hpp"

#include <fmt/format.h>

#include "sema/eval.hpp"

namespace lpc::layout {

const MemberLayout* StructLayout::find(const ast::Field& field) const {
  for (const auto& m : members) {
    if (m.field == &field) return &m;
  }
  return nullptr;
}

namespace {

class Builder {
 public:
  Builder(ProgramLayout& out, Diagnostics& diags) : out_(out), diags_(diags) {}

  // Lays out `decl` (and first every struct it contains, which has_checks needs).
  const StructLayout* build(const ast::StructDecl& decl) {
    if (auto it = out_.structs.find(&decl); it != out_.structs.end()) return &it->second;
    const ast::Module& module = *decl.module;
    StructLayout s;
    s.decl = &decl;
    s.bit_order = decl.bitorder.value_or(module.bitorder);
    // A struct whose order is a parameter (`endian order`) has no static default.
    const std::optional<ast::ByteOrder> default_order =
        decl.endian ? decl.endian : (decl.endian_param_name.empty() ? module.endian : std::nullopt);
    std::uint64_t cursor = 0;  // bits from the start of the current segment
    SegmentLayout segment;
    bool ok = true;
    for (const ast::Member& member : decl.members) {
      if (const auto* req = std::get_if<ast::Require>(&member)) {
        (void)req;
        s.has_checks = true;
        continue;
      }
      if (const auto* ref = std::get_if<ast::Field>(&member); ref && ref->at) {
        s.references.push_back(ref);  // no bytes, nothing for parse() to do
        continue;
      }
      MemberLayout m;
      m.member = &member;
      m.segment = s.segments.size();
      m.bit_offset = cursor;
      if (const auto* pad = std::get_if<ast::Pad>(&member)) {
        m.kind = MemberKind::pad;
        const auto r = sema::evaluate_constant(*pad->size);
        if (r.status == sema::EvalStatus::ok)
          m.bit_width = bits_of_bytes(r.value.bits, pad->range, ok);
      } else if (std::holds_alternative<ast::Let>(member)) {
        m.kind = MemberKind::let;
        m.bit_width = 0;
        s.has_checks = true;  // its arithmetic can fail
      } else if (const auto* align = std::get_if<ast::Align>(&member)) {
        m.kind = MemberKind::align;
        // In segment 0 the offset from the struct's start is known: constant padding.
        if (s.segments.empty() && cursor % 8 == 0 && align->resolved != 0) {
          const std::uint64_t rem = (cursor / 8) % align->resolved;
          m.bit_width = bits_of_bytes(rem == 0 ? 0 : align->resolved - rem, align->range, ok);
        }
      } else {
        const auto& field = std::get<ast::Field>(member);
        m.field = &field;
        if (!field.constraints.empty() || field.condition) s.has_checks = true;
        classify(field, cursor, default_order, s.bit_order, m, s.has_checks, ok);
        if (decl.endian_param != nullptr && m.scalar != nullptr && !m.byte_order &&
            m.kind != MemberKind::bit_field && m.kind != MemberKind::nested) {
          m.runtime_order = true;
        }
        if (field.condition || field.peek) {
          m.optional = field.condition != nullptr;
          m.peek = field.peek;
          m.present_bits = m.bit_width;
          m.bit_width.reset();
        }
      }
      m.is_dynamic = !m.bit_width;
      if (m.bit_width) {
        if (__builtin_add_overflow(cursor, *m.bit_width, &cursor)) {
          diags_.error(m.field != nullptr ? m.field->range : std::get<ast::Pad>(member).range,
                       "this struct is larger than 2^64 bits");
          ok = false;
        }
      }
      s.members.push_back(m);
      if (m.is_dynamic) {
        segment.end_member = s.members.size();
        segment.fixed_bytes = cursor / 8;
        s.segments.push_back(segment);
        segment = SegmentLayout{};
        segment.first_member = s.members.size();
        cursor = 0;
      }
    }
    segment.end_member = s.members.size();
    segment.fixed_bytes = cursor / 8;
    s.segments.push_back(segment);
    s.min_size = s.segments.front().fixed_bytes;
    if (s.segments.size() == 1 && decl.params.empty() && decl.endian_param_name.empty()) {
      s.fixed_size = s.min_size;
    }
    if (!ok) ok_ = false;
    return &out_.structs.emplace(&decl, std::move(s)).first->second;
  }

  bool ok() const { return ok_; }

 private:
  std::optional<std::uint64_t> bits_of_bytes(std::uint64_t bytes, SourceRange range, bool& ok) {
    std::uint64_t bits = 0;
    if (__builtin_mul_overflow(bytes, 8, &bits)) {
      diags_.error(range, fmt::format("{} bytes is larger than 2^64 bits", bytes));
      ok = false;
      return std::nullopt;
    }
    return bits;
  }

  std::optional<std::uint64_t> constant(const ast::ExprPtr& e) {
    if (!e) return std::nullopt;
    const auto r = sema::evaluate_constant(*e);
    if (r.status != sema::EvalStatus::ok) return std::nullopt;
    return r.value.bits;
  }

  void classify(const ast::Field& field, std::uint64_t cursor,
                std::optional<ast::ByteOrder> default_order, ast::BitOrder bit_order,
                MemberLayout& m, bool& has_checks, bool& ok) {
    const ast::TypeExpr& type = *field.type;
    if (const auto* named = std::get_if<ast::NamedType>(&type.node)) {
      m.scalar = named;
      if (named->varint != ast::VarintKind::none) {
        m.kind = MemberKind::varint;  // dynamic: its size is known after parse()
        return;
      }
      if (named->struct_decl != nullptr) {
        m.kind = MemberKind::nested;
        const StructLayout* child = build(*named->struct_decl);
        if (child->has_checks) has_checks = true;
        if (child->fixed_size) m.bit_width = *child->fixed_size * 8;
        return;
      }
      m.byte_order = named->explicit_order ? named->explicit_order : default_order;
      m.bit_width = named->bits;
      if (named->is_float) {
        m.kind = MemberKind::floating;
      } else if (cursor % 8 == 0 && named->bits % 8 == 0) {
        m.kind = MemberKind::byte_integer;
      } else {
        m.kind = MemberKind::bit_field;
        m.bit_order = bit_order;
        m.byte_order.reset();
      }
      return;
    }
    if (const auto* bytes = std::get_if<ast::BytesType>(&type.node)) {
      m.kind = MemberKind::bytes;
      if (auto n = constant(bytes->count)) m.bit_width = bits_of_bytes(*n, type.range, ok);
      return;
    }
    if (const auto* array = std::get_if<ast::ArrayType>(&type.node)) {
      m.kind = MemberKind::array;
      const auto& elem = std::get<ast::NamedType>(array->element->node);
      m.scalar = &elem;
      m.byte_order = elem.explicit_order ? elem.explicit_order : default_order;
      if (elem.struct_decl != nullptr) {
        const StructLayout* child = build(*elem.struct_decl);
        m.element_bytes = child->fixed_size.value_or(0);
        m.elements_need_parse = child->has_checks;
        if (child->has_checks) has_checks = true;
        m.lazy = !child->fixed_size;
        if (m.lazy) m.elements_need_parse = has_checks = true;
      } else {
        m.element_bytes = elem.bits / 8;
      }
      if (array->until) has_checks = true;
      m.stores_count = m.lazy || array->until;
      // Dynamic even with a constant size(n): the count parse() stores lives in the
      // view, so the struct cannot be built unchecked from fixed offsets.
      if (m.stores_count) return;
      if (array->count) {
        if (auto n = constant(array->count)) {
          std::uint64_t total = 0;
          if (__builtin_mul_overflow(*n, m.element_bytes, &total)) {
            diags_.error(type.range, "this array is larger than 2^64 bytes");
            ok = false;
            return;
          }
          m.bit_width = bits_of_bytes(total, type.range, ok);
        }
      } else if (auto n = constant(array->byte_size)) {
        m.bit_width = bits_of_bytes(*n, type.range, ok);
      }
      return;
    }
    const auto& sw = std::get<ast::SwitchType>(type.node);
    m.kind = MemberKind::switch_;
    for (const auto& arm : sw.arms) {
      if (arm.indirect) continue;  // recursive: laid out from the top level, not from here
      if (const auto* named = std::get_if<ast::NamedType>(&arm.type->node)) {
        if (named->struct_decl != nullptr) build(*named->struct_decl);
      } else if (const auto* a = std::get_if<ast::ArrayType>(&arm.type->node)) {
        const auto& elem = std::get<ast::NamedType>(a->element->node);
        if (elem.struct_decl != nullptr) build(*elem.struct_decl);
      }
    }
  }

  ProgramLayout& out_;
  Diagnostics& diags_;
  bool ok_ = true;
};

}  // namespace

std::unique_ptr<ProgramLayout> compute(const ast::Program& program, Diagnostics& diags) {
  auto out = std::make_unique<ProgramLayout>();
  Builder builder(*out, diags);
  for (const auto& m : program.modules) {
    for (const auto& d : m->decls) {
      if (const auto* s = std::get_if<std::unique_ptr<ast::StructDecl>>(&d)) builder.build(**s);
    }
  }
  if (!builder.ok()) return nullptr;
  return out;
}

}  // namespace lpc::layout
