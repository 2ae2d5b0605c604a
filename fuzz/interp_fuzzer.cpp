// Differential fuzz target: the interpreter (codegen/interp, `lpc dump`) against
// the generated view of one shipped type, on the same bytes (issue 23). Built
// once per type: LP_DIFF_HEADER, LP_DIFF_VIEW (the generated view class),
// LP_DIFF_SCHEMA (below LP_SCHEMA_DIR) and LP_DIFF_TYPE name it.
//
// Invariants (interp_target.hpp): with default limits and with small ones,
// interp::difference() finds nothing: same outcome, same error, same JSON,
// hexdump and tree, and the same verify_checksums() outcome where the
// interpreter can check it. A parameterised type takes its arguments from the
// first input bytes, as the generated fuzz kit does.
//
// The schema is compiled once, at the first input, from the source tree.
#include <cstddef>
#include <cstdint>

#include LP_DIFF_HEADER
#include "interp_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const lp_fuzz::Interpreted& schemas = lp_fuzz::interpret(LP_SCHEMA_DIR, {LP_DIFF_SCHEMA});
  static const lpc::ast::StructDecl& decl = schemas.decl(LP_DIFF_TYPE);
  lp_fuzz::require_agreement<LP_DIFF_VIEW>(
      schemas, decl, lp::bytes(reinterpret_cast<const std::byte*>(data), size));
  return 0;
}
