// The temporary dies at the end of the statement, so the reference would dangle.
#include <libparse/optional_ref.hpp>

int make_value();

int optional_ref_from_temporary() {
  const lp::optional_ref<int> r(make_value());
  return r.value_or(0);
}
