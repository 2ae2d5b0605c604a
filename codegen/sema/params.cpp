// Struct parameters, checked for every struct before any struct's members: a
// field may pass arguments to a struct declared later in the file.
#include <fmt/format.h>

#include "sema/checker.hpp"

namespace lpc::sema {

// Parameter names and types, and the `endian NAME` clause.
void Checker::check_params(const ast::Module& module, ast::StructDecl& s) {
  std::map<std::string, const ast::Param*> names;
  for (ast::Param& param : s.params) {
    check_identifier(param.name_range, param.name);
    if (auto [it, inserted] = names.emplace(param.name, &param); !inserted) {
      diags_.error(param.name_range, fmt::format("duplicate parameter '{}'", param.name));
    }
    for (const char* taken : {"buffer", "options", "depth"}) {
      if (param.name == taken) {
        diags_.error(
            param.name_range,
            fmt::format("parameter name '{}' is taken by parse()'s own arguments", param.name),
            "rename the parameter");
      }
    }
    if (param.is_endian) continue;
    auto& named = std::get<ast::NamedType>(param.type->node);
    if (!resolve_named(module, named, param.type->range)) continue;
    if (named.struct_decl != nullptr || named.enum_decl != nullptr || named.is_float) {
      diags_.error(param.type->range,
                   fmt::format("parameter '{}' must be an integer type or 'endian', not '{}'",
                               param.name, param.type->range.text()));
      named.bits = 0;
    }
  }
  if (s.endian_param_name.empty()) return;
  for (const ast::Param& param : s.params) {
    if (param.name != s.endian_param_name) continue;
    if (!param.is_endian) {
      diags_.error(s.endian_param_range,
                   fmt::format("parameter '{}' is not a byte order", param.name),
                   fmt::format("declare it as '{}: endian'", param.name));
      return;
    }
    s.endian_param = &param;
    return;
  }
  std::vector<std::string> candidates;
  for (const ast::Param& param : s.params) candidates.push_back(param.name);
  diags_.error(s.endian_param_range,
               fmt::format("unknown parameter '{}' in 'endian {}'", s.endian_param_name,
                           s.endian_param_name),
               candidates.empty() ? fmt::format("declare it: 'struct {}({}: endian) endian {}'",
                                                s.name, s.endian_param_name, s.endian_param_name)
                                  : did_you_mean(s.endian_param_name, candidates));
}

}  // namespace lpc::sema
