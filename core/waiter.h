// waiter.h - a caller blocked in submit because the pool is full. It waits
// on its own futex word with its task in hand; a worker that finishes takes
// the task straight from the oldest waiter and wakes only that caller, so a
// saturated pool costs one wake-up per task instead of a condition-variable
// round trip plus a wake-up of the worker (as Go's channels hand values to
// blocked senders). Lives on the submitter's stack; linked under the pool lock.
//
// A caller of ants_slot_acquire* waits in the same line for a slot instead
// of a worker (wants_slot): a finishing worker or a freed slot grants it one
// (kGranted). An asynchronous one lives on the heap and has no thread
// waiting: its Notify() reports the outcome to its callback and deletes it.
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
    kTaken = 1,    // a worker took the task: the submit succeeded
    kRetry = 2,    // room appeared (tune, a worker left): try again
    kClosed = 3,   // the pool was released
    kGranted = 4,  // a slot waiter got the slot in `slot`
  };

  explicit Waiter(const Task &t) : task(t) {}
  // A slot waiter; fn non-null for an asynchronous one.
  Waiter(ants_slot_grant_fn fn, void *ctx) : wants_slot(true), grant(fn), grant_ctx(ctx) {}

  // Waker side, with the pool lock held after unlinking the waiter: the
  // state is set under the lock so the waiter, once it holds the lock and
  // sees itself unlinked, knows the outcome. The futex wake follows after
  // unlocking (see Notify).
  void Settle(State s) { state.store(s, std::memory_order_release); }
  // Wakes the waiter: use WaiterRef::Notify, which may run after a waiter
  // has returned and its stack frame is gone.
  void Wake();
  // An asynchronous waiter: reports its outcome to its callback and deletes
  // itself. Never with the pool lock held.
  void Report();
  bool IsAsync() const { return grant != nullptr; }

  // Waiter side: sleeps until settled or the deadline passes. Returns the
  // state (kWaiting if time ran out first).
  State Await(const Deadline &deadline);

  Task task;
  std::atomic<uint32_t> state{kWaiting};
  const bool wants_slot = false;
  int64_t slot = 0;  // kGranted: the slot
  const ants_slot_grant_fn grant = nullptr;
  void *const grant_ctx = nullptr;
  int64_t ticket = 0;          // async: what ants_slot_cancel names
  Waiter *deferred = nullptr;  // async: chained for Notify after unlocking
  Waiter *prev = nullptr;
  Waiter *next = nullptr;
  bool linked = false;
};

// A settled waiter, as whoever settled it under the pool lock hands it on to
// be woken after unlocking. Whether it is asynchronous is read while the
// lock is held: once it drops, a synchronous waiter may return and its frame
// be reused, so Notify touches nothing of it but the address of its futex
// word (a futex wake on a stale address is at worst a spurious wake-up for
// whoever waits there now, which every wait here tolerates).
class WaiterRef {
 public:
  WaiterRef() = default;
  WaiterRef(Waiter *w) : w_(w), async_(w && w->IsAsync()) {}  // NOLINT: implicit by design
  explicit operator bool() const { return w_ != nullptr; }
  Waiter *get() const { return w_; }
  WaiterRef *operator->() { return this; }
  void Notify() { async_ ? w_->Report() : w_->Wake(); }

 private:
  Waiter *w_ = nullptr;
  bool async_ = false;
};

}  // namespace ants

#endif
