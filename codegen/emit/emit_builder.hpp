// The serializer emitter: for each struct of a module, a `FooValue` (every field
// the wire holds, as plain C++ values) and the `Foo::serialize()` family that
// writes one, computing the lengths and checksums the value leaves empty
// (docs/generated-api.md, "Writing whole messages"). Its output goes at the end
// of the module's header, after every view class.
#pragma once

#include <string>

#include "ast/ast.hpp"
#include "layout/layout.hpp"

namespace lpc::emit {

// Whether `decl` gets a serializer: every expression it writes by can be
// evaluated front to back (no `remaining`), and so can its by-value children.
bool has_serializer(const ast::StructDecl& decl);

// Whether serialize(to_value(view)) gives back every view's bytes exactly: no
// varints (written shortest), pads, `align`, `_` fields (written as zeros) or
// switch arms that are `until ... size(n)` arrays (padding not kept), here or in
// a child.
bool serializes_exactly(const ast::StructDecl& decl);

// The lines inside `struct Foo { ... }` that declare the serializer ("" without one).
std::string serializer_declarations(const ast::Module& module, const layout::ProgramLayout& layout,
                                    const ast::StructDecl& decl);

// Forward declarations of the module's value structs ("struct FooValue;" lines).
std::string value_forward_declarations(const ast::Module& module);

// The value structs and the serializer definitions of every struct of `module`.
std::string serializers_for(const ast::Module& module, const layout::ProgramLayout& layout);

}  // namespace lpc::emit
