// `std::visit(Overloaded{[](const A&) {...}, [](const B&) {...}}, node)`: one
// lambda per alternative of an AST variant.
#pragma once

namespace lpc {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace lpc
