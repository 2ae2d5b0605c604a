// The serializer emitter: for each struct of a module, a `FooValue` (every field
// the wire holds, as plain C++ values) and the `Foo::serialize()` family that
// writes one, computing the lengths and checksums the value leaves empty
// (docs/generated-api.md, "Writing whole messages"). Its output goes at the end
// of the module's header, after every view class.
#pragma once

#include <string>

#include "ast/ast.hpp"
#include "plan/plan.hpp"

namespace lpc::emit {

// The lines inside `struct Foo { ... }` that declare the serializer ("" without one).
std::string serializer_declarations(const ast::Module& module, const plan::ProgramPlan& plan,
                                    const ast::StructDecl& decl);

// Forward declarations of the module's value structs ("struct FooValue;" lines).
std::string value_forward_declarations(const ast::Module& module, const plan::ProgramPlan& plan);

// The value structs and the serializer definitions of every struct of `module`.
std::string serializers_for(const ast::Module& module, const plan::ProgramPlan& plan);

}  // namespace lpc::emit
