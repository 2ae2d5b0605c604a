// `->` on a temporary Result of a view that stores its children would call the
// accessor through an lvalue inside the temporary: the child it hands out by
// reference would dangle after the statement.
#include <libparse/error.hpp>

struct ChildView {
  int value;
};
struct ParentView {
  using stores_child_views = void;  // as generated views with lp::optional_ref accessors say
  ChildView child_;
  const ChildView& child() const { return child_; }
};

lp::Result<ParentView> parse_parent();

int arrow_on_temporary_result() {
  const ChildView& child = parse_parent()->child();
  return child.value;
}
