#include "worker.h"

#include "clock.h"
#include "futex.h"

namespace ants {

void Worker::Wake(Signal s) {
  // acq_rel: the release half publishes task_ to the worker; exchange is the
  // cheapest way to learn whether it sleeps and needs a futex wake.
  uint32_t was = signal_.exchange(s, std::memory_order_acq_rel);
  if (was == kParked) FutexWakeOne(&signal_);
}

Worker::Signal Worker::Spin(int iterations) {
  for (int i = 0; i < iterations; ++i) {
    uint32_t s = signal_.load(std::memory_order_acquire);
    if (s == kTask || s == kExit) return static_cast<Signal>(s);
    CpuRelax();  // a short spin: never yield (pool.cpp, SpinUntil)
  }
  return kIdle;
}

Worker::Signal Worker::Park(int64_t timeout_ns) {
  uint32_t expected = kIdle;
  if (!signal_.compare_exchange_strong(expected, kParked, std::memory_order_acq_rel) &&
      expected != kParked) {
    return static_cast<Signal>(expected);  // a task or an exit arrived meanwhile
  }
  // Futex waits can return early (signals, spurious wake-ups): re-check
  // against our own deadline.
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

void Worker::Nudge() {
  // Only a parked worker is moved to kWatch, never one handed a task: Wake's
  // exchange overwrites kWatch, and this wake-up follows the flip, so the
  // worker cannot sleep through either.
  uint32_t expected = kParked;
  if (signal_.compare_exchange_strong(expected, kWatch, std::memory_order_seq_cst)) {
    FutexWakeOne(&signal_);
  }
}

Worker::Signal Worker::ParkWatched() {
  uint32_t expected = kIdle;
  if (!signal_.compare_exchange_strong(expected, kParked, std::memory_order_seq_cst) &&
      expected != kParked) {
    return static_cast<Signal>(expected);  // a task or an exit arrived meanwhile
  }
  for (;;) {
    // seq_cst with the pool's store of the deadline and its Nudge: either
    // this read sees the new deadline or the Nudge sees kParked.
    const int64_t at = expire_at_ns.load(std::memory_order_seq_cst);
    int64_t left = -1;
    if (at != 0) {
      left = at - NowNs();
      if (left <= 0) return kParked;
    }
    FutexWait(&signal_, kParked, left);
    uint32_t s = signal_.load(std::memory_order_acquire);
    if (s == kWatch) {
      expected = kWatch;
      if (!signal_.compare_exchange_strong(expected, kParked, std::memory_order_seq_cst)) {
        return static_cast<Signal>(expected);  // handed a task since
      }
      continue;
    }
    if (s != kParked) return static_cast<Signal>(s);
  }
}

}  // namespace ants
