// spin_mutex.h - the pool lock. Critical sections in the pool are a handful
// of pointer moves, so a contended lock is almost always free again within
// nanoseconds: spinning briefly beats std::mutex, which puts the waiter to
// sleep in the kernel at the first contention (measured: ~10 us per task on a
// 2-core machine where submitter and workers meet on the lock).
//
// A three-state futex mutex (0 free, 1 locked, 2 locked with sleepers, after
// Drepper's "Futexes Are Tricky") that spins about a microsecond
// (g_lock_spins, spin_budget.h) before sleeping.
// Satisfies Lockable, so it works with std::unique_lock and
// std::condition_variable_any.
#ifndef ANTS_CORE_SPIN_MUTEX_H
#define ANTS_CORE_SPIN_MUTEX_H

#include <atomic>
#include <cstdint>

#include "futex.h"
#include "spin_budget.h"

namespace ants {

class SpinMutex {
 public:
  SpinMutex() = default;
  SpinMutex(const SpinMutex &) = delete;
  SpinMutex &operator=(const SpinMutex &) = delete;

  bool try_lock() {
    uint32_t expected = 0;
    return state_.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }

  void lock() {
    if (try_lock()) return;
    for (int i = 0; i < g_lock_spins; ++i) {
      CpuRelax();
      if (state_.load(std::memory_order_relaxed) == 0 && try_lock()) return;
    }
    // Announce a sleeper (state 2) so unlock knows to wake someone.
    while (state_.exchange(2, std::memory_order_acquire) != 0) {
      FutexWait(&state_, 2, -1);
    }
  }

  void unlock() {
    if (state_.exchange(0, std::memory_order_release) == 2) FutexWakeOne(&state_);
  }

 private:
  std::atomic<uint32_t> state_{0};
};

}  // namespace ants

#endif
