// `->` on a temporary Result would read the view through an lvalue inside the
// temporary: a child handed out by reference would dangle after the statement.
#include <libparse/error.hpp>

struct ChildView {
  int value;
};
struct ParentView {
  ChildView child_;
  const ChildView& child() const { return child_; }
};

lp::Result<ParentView> parse_parent();

int arrow_on_temporary_result() {
  const ChildView& child = parse_parent()->child();
  return child.value;
}
