#include "clock.h"

#include <limits>

namespace ants {

Deadline Deadline::After(int64_t timeout_ms) {
  Deadline d;
  if (timeout_ms < 0) return d;
  d.never_ = false;
  // Saturate instead of overflowing for absurdly long timeouts.
  constexpr int64_t kMaxMs = std::numeric_limits<int64_t>::max() / 1000000 / 2;
  if (timeout_ms > kMaxMs) return Never();
  d.when_ = Clock::now() + std::chrono::milliseconds(timeout_ms);
  return d;
}

int64_t Deadline::remaining_ns() const {
  auto left = when_ - Clock::now();
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
  return ns > 0 ? ns : 0;
}

}  // namespace ants
