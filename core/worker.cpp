#include "worker.h"

#include "clock.h"
#include "futex.h"

namespace ants {

namespace {
// How long a worker spins for its next task before parking. Long enough to
// catch a submitter that is feeding tasks back to back (a hand-off then costs
// no syscall on either side), short enough that an idle pool burns no CPU.
constexpr int kSpinIterations = 256;
}  // namespace

void Worker::Wake(Signal s) {
  // acq_rel: the release half publishes task_ to the worker; the acquire half
  // is not needed but exchange is the cheapest way to learn if it was parked.
  uint32_t was = signal_.exchange(s, std::memory_order_acq_rel);
  if (was == kParked) FutexWakeOne(&signal_);
}

Worker::Signal Worker::Await(int64_t timeout_ns) {
  for (int i = 0; i < kSpinIterations; ++i) {
    uint32_t s = signal_.load(std::memory_order_acquire);
    if (s >= kTask) return static_cast<Signal>(s);
    CpuRelax();
  }
  uint32_t expected = kIdle;
  if (!signal_.compare_exchange_strong(expected, kParked, std::memory_order_acq_rel) &&
      expected != kParked) {
    return static_cast<Signal>(expected);  // a task or an exit arrived meanwhile
  }
  // Park until woken or until the deadline. Futex waits can return early
  // (signals, spurious wake-ups), so re-check against our own deadline.
  const bool bounded = timeout_ns >= 0;
  const Clock::time_point until = Clock::now() + std::chrono::nanoseconds(bounded ? timeout_ns : 0);
  for (;;) {
    int64_t left = -1;
    if (bounded) {
      left = std::chrono::duration_cast<std::chrono::nanoseconds>(until - Clock::now()).count();
      if (left <= 0) return kParked;
    }
    FutexWait(&signal_, kParked, left);
    uint32_t s = signal_.load(std::memory_order_acquire);
    if (s != kParked) return static_cast<Signal>(s);
  }
}

}  // namespace ants
