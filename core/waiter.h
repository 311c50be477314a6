// waiter.h - a caller blocked in submit because the pool is full. It waits
// on its own futex word with its task in hand; a worker that finishes takes
// the task straight from the oldest waiter and wakes only that caller, so a
// saturated pool costs one wake-up per task instead of a condition-variable
// round trip plus a wake-up of the worker (as Go's channels hand values to
// blocked senders). Lives on the submitter's stack; linked under the pool lock.
#ifndef ANTS_CORE_WAITER_H
#define ANTS_CORE_WAITER_H

#include <atomic>
#include <cstdint>

#include "clock.h"
#include "task.h"

namespace ants {

struct Waiter {
  enum State : uint32_t {
    kWaiting = 0,
    kTaken = 1,   // a worker took the task: the submit succeeded
    kRetry = 2,   // room appeared (tune, a worker left): try again
    kClosed = 3,  // the pool was released
  };

  explicit Waiter(const Task &t) : task(t) {}

  // Waker side, with the pool lock held after unlinking the waiter: the
  // state is set under the lock so the waiter, once it holds the lock and
  // sees itself unlinked, knows the outcome. The futex wake follows after
  // unlocking (see Notify).
  void Settle(State s) { state.store(s, std::memory_order_release); }
  // Wakes the waiter. May run after the waiter has returned and its stack
  // frame is gone: a futex wake on a stale address is at worst a spurious
  // wake-up for whoever waits there now, which every wait here tolerates.
  void Notify();

  // Waiter side: sleeps until settled or the deadline passes. Returns the
  // state (kWaiting if time ran out first).
  State Await(const Deadline &deadline);

  Task task;
  std::atomic<uint32_t> state{kWaiting};
  Waiter *prev = nullptr;
  Waiter *next = nullptr;
  bool linked = false;
};

}  // namespace ants

#endif
