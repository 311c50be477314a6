// worker.h - one OS thread of a pool, and the spot where it waits for work.
//
// A worker owns a 32-bit signal word. The pool hands a task to an idle
// worker by storing the task and flipping the word to kTask; the worker
// spins on the word briefly after each task (so back-to-back hand-offs cost
// no syscall) and then parks on it with a futex. Only the pool's lock decides
// who may hand a task to a worker (by popping it from the idle list), so at
// most one hand-off is ever in flight per worker.
#ifndef ANTS_CORE_WORKER_H
#define ANTS_CORE_WORKER_H

#include <pthread.h>

#include <atomic>
#include <cstdint>

#include "task.h"

namespace ants {

class Pool;

class Worker {
 public:
  enum Signal : uint32_t {
    kIdle = 0,    // in the idle list, maybe spinning
    kParked = 1,  // in the idle list, asleep on the futex
    kTask = 2,    // a task was handed over: run it
    kExit = 3,    // leave: the pool was released, shrunk, or this one expired
    kWatch = 4,   // parked, and its expiry deadline changed: look again (Nudge)
  };

  // Hands `task` to this worker (popped from the idle list by the caller,
  // under the pool lock). Called without the pool lock.
  void Hand(const Task &task) {
    task_ = task;
    Wake(kTask);
  }
  // Tells this idle worker (popped by the caller) to exit.
  void Dismiss() { Wake(kExit); }

  // Worker side: spins up to `iterations` pauses for a hand-off. Returns
  // kTask or kExit if one arrived, kIdle otherwise. Burns CPU: the pool
  // bounds how many workers spin at once.
  Signal Spin(int iterations);
  // Worker side: sleeps until a hand-off, at most timeout_ns (< 0: no limit).
  // Returns kTask or kExit, or kParked if the time ran out first.
  Signal Park(int64_t timeout_ns);
  // The same, with the deadline in expire_at_ns (a Clock time in ns; 0: no
  // limit), which the pool may change while this worker sleeps (Nudge).
  Signal ParkWatched();
  // Makes a parked worker look at expire_at_ns again. Harmless on a worker
  // that is not parked (or no longer the one the caller meant): the pool
  // calls it after unlocking.
  void Nudge();
  const Task &task() const { return task_; }

  // Pool-owned bookkeeping, guarded by the pool lock.
  Worker *prev = nullptr;  // idle list links
  Worker *next = nullptr;
  bool linked = false;      // in one of the pool's idle lists
  bool spinning = false;    // that list is the spinning one, not the parked one (pool lock)
  bool woken = false;       // woken or started to serve the task queue (pool lock)
  uint64_t generation = 0;  // the pool generation this thread belongs to
  Pool *pool = nullptr;
  Worker *all_next = nullptr;  // the pool's list of every Worker it made
  pthread_t thread{};          // set by the thread itself; joined after it exits
  // This retiring worker's running slot went to the replacement it started
  // (pool lock): its exit frees no slot.
  bool slot_handed = false;
  // Expiry (pool.cpp, "the watch"): when this worker went idle (pool lock;
  // 0 until it parks), and the deadline it parks with (0: none).
  int64_t idle_since_ns = 0;
  std::atomic<int64_t> expire_at_ns{0};

  // Marks the worker as idle before it goes into the idle list (pool lock held).
  void ResetSignal() { signal_.store(kIdle, std::memory_order_relaxed); }

 private:
  void Wake(Signal s);

  std::atomic<uint32_t> signal_{kIdle};
  Task task_;
};

}  // namespace ants

#endif
