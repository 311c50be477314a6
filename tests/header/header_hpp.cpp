// header_hpp.cpp - ants.hpp alone must compile as strict C++17 (see CMakeLists).
#include "ants.hpp"

static_assert(std::is_base_of_v<std::runtime_error, ants::error>, "ants::error is a runtime_error");
static_assert(!std::is_copy_constructible_v<ants::pool>, "pools are not copyable");
static_assert(std::is_nothrow_move_constructible_v<ants::pool>, "pools are movable");

// Instantiate the templates a user's first program would.
void header_hpp_use(ants::pool &p);
void header_hpp_use(ants::pool &p) {
  p.submit([] {});
  (void)p.async([] { return 1; });
}
