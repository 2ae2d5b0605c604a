// The serializer emitter: for each struct of a module, a `FooValue` (every field
// the wire holds, as plain C++ values) and the `Foo::serialize()` family that
// writes one, computing the lengths and checksums the value leaves empty
// (docs/generated-api.md, "Writing whole messages"). The value structs go at the
// end of the module's header, after every view class; the definitions after them
// or, by default, into the module's source file.
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

// The value structs of every struct of `module` that has a serializer (for the header).
std::string value_structs_for(const ast::Module& module, const plan::ProgramPlan& plan);

// Their serializer definitions: `split`, for the module's source file; else
// `inline`, for the header after the value structs.
std::string serializer_definitions_for(const ast::Module& module, const plan::ProgramPlan& plan,
                                       bool split);

}  // namespace lpc::emit
