// clock.h - monotonic time and deadlines, in one place so that every wait in
// the engine agrees on the clock (CLOCK_MONOTONIC: immune to wall-clock jumps).
#ifndef ANTS_CORE_CLOCK_H
#define ANTS_CORE_CLOCK_H

#include <chrono>
#include <cstdint>

namespace ants {

using Clock = std::chrono::steady_clock;

// The Clock's time in nanoseconds, for deadlines kept in atomics.
inline int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

// A point in time that may be "never" (timeout < 0 means wait forever).
class Deadline {
 public:
  // timeout_ms < 0: never expires; 0: already expired.
  static Deadline After(int64_t timeout_ms);
  static Deadline Never() { return Deadline(); }

  bool never() const { return never_; }
  bool expired() const { return !never_ && Clock::now() >= when_; }
  Clock::time_point when() const { return when_; }
  // Nanoseconds left (0 if expired); meaningless when never().
  int64_t remaining_ns() const;

 private:
  Deadline() = default;
  bool never_ = true;
  Clock::time_point when_{};
};

}  // namespace ants

#endif
