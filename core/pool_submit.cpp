// pool_submit.cpp - admission: a submit finds an idle worker, room for a
// new one, a place in the optional queue, or waits in line (Waiter) until a
// worker takes its task; nested submits from the pool's own workers run
// inline or deferred (nested.h). Also the line of blocked callers itself.
#include "pool.h"

#include "nested.h"

namespace ants {

// Spins, without the lock, until count is positive or the budget runs out.
// Only a hint: the caller re-checks under the lock. A long spin yields now
// and then (SpinStep); a short one must not, since a yield on a loaded
// machine can cost the submitter a whole scheduling round.
bool Pool::SpinUntil(const std::atomic<int> &count, int iterations, bool may_yield) {
  for (int i = 0; i < iterations; ++i) {
    if (count.load(std::memory_order_relaxed) > 0) return true;
    if (may_yield) {
      SpinStep(i);
    } else {
      CpuRelax();
    }
  }
  return false;
}

int Pool::Submit(const Task &task, int64_t timeout_ms) {
  CheckFork();
  const Deadline deadline = Deadline::After(timeout_ms);
  bool spawn_failed = false;
  bool spun_for_handoff = false;
  bool spun_for_room = false;
  bool asked_listeners = false;
  // This caller found the pool full and counts in waiting_ (ants_waiting,
  // the blocked-caller limit) from its first spin on, without a gap before
  // it blocks.
  bool counted = false;
  int spawn_status = ANTS_OK;
  Pin pin;  // taken before the lock is first dropped and retaken
  uint64_t idled;
  if (int budget = OfferBudget(timeout_ms, &idled)) {
    // A worker spins for an offer, or every place is busy: the worker
    // takes the task without the lock (offer.h). The offer was this
    // caller's spin for room.
    pin.Hold(this);
    if (TryOffer(task, idled, budget)) return ANTS_OK;
    spun_for_room = spun_for_handoff = true;
  }
  std::unique_lock<SpinMutex> lock(mu_);
  auto uncount = [&] {
    if (!counted) return;
    counted = false;
    waiting_.fetch_sub(1, std::memory_order_relaxed);
    MaybeNotifyIdleLocked();
  };
  ++entries_;  // lets a multipool's WaitIdle see that work entered
  for (;;) {
    if (closed_.load(std::memory_order_relaxed)) {
      uncount();
      return ANTS_ERR_POOL_CLOSED;
    }

    // 1. An idle worker: a spinning one if any (no wake-up needed), else
    //    the most recently parked one (LIFO; FIFO for pre-alloc).
    if (Worker *w = spinning_.Pop()) {
      uncount();
      PublishIdleLocked();
      busy_.fetch_add(1, std::memory_order_relaxed);
      lock.unlock();
      w->Hand(task);
      return ANTS_OK;
    }
    // Only started, busy workers look at the queue (before they may exit),
    // so a task is queued only while one exists. A thread still being
    // created does not count: its creation may fail.
    const bool can_queue = QueueHasRoomLocked() && QueueServedLocked();
    if (!idle_.empty()) {
      // With a task queue and a worker already on its way, queue: that
      // worker (or a busy one) takes it without another wake-up.
      if (can_queue && waking_ > 0) {
        uncount();
        break;
      }
      // Without a queue, a busy worker about to come back beats waking a
      // parked one: give it a moment (a tiny task ends well within it).
      // (An offer made above was that moment.)
      if (!spun_for_handoff && max_spinners_ > 0 && busy_.load(std::memory_order_relaxed) > 0) {
        spun_for_handoff = true;
        pin.Hold(this);
        lock.unlock();
        SpinUntil(spinning_count_, hand_off_spins_, false);
        lock.lock();
        continue;
      }
      uncount();
      Worker *w = idle_.Pop();
      PublishIdleLocked();
      UpdateWatchLocked();  // never a new watch to nudge: Pop takes the hottest
      if (queue_.capacity() > 0) {
        w->woken = true;
        ++waking_;
      }
      busy_.fetch_add(1, std::memory_order_relaxed);
      lock.unlock();
      w->Hand(task);
      return ANTS_OK;
    }
    // 2. A new worker while below capacity. After the OS refused one, wait
    //    for an existing worker instead of hammering it. With a queue and a
    //    worker on its way, queue instead: the woken worker starts the next
    //    thread, so thread creation leaves the submitter's path.
    if (!spawn_failed && HasRoomLocked() && !(can_queue && waking_ > 0)) {
      uncount();
      pin.Hold(this);
      spawn_status = SpawnLocked(lock, task, queue_.capacity() > 0);
      if (spawn_status == ANTS_OK) return ANTS_OK;
      spawn_failed = true;
      continue;  // the lock was dropped: look again before waiting
    }
    // 3. The optional task queue.
    if (can_queue) {
      uncount();
      break;
    }
    // 4. No worker for now.
    if (spawn_failed && running_.load(std::memory_order_relaxed) == 0) {
      uncount();
      return spawn_status;  // nobody alive could ever take the task
    }
    if (!asked_listeners && ShouldAskListenersLocked()) {
      // Slots sit idle with their holders (ants_slot_*): as with an idle
      // worker, this caller should not wait for room they could give.
      asked_listeners = true;
      AskListenersForRoom(lock, pin);
      continue;
    }
    if (opts_.nonblocking) {
      uncount();
      return spawn_failed ? spawn_status : ANTS_ERR_POOL_OVERLOAD;
    }
    if (CalledFromOwnWorker()) {
      // A worker waiting for a worker of its own saturated pool may wait
      // forever (every worker could be doing the same). Run it here instead;
      // it never blocks, so the blocked-caller limit does not apply.
      lock.unlock();
      return RunNested(task);
    }
    if (opts_.max_blocking_tasks > 0 &&
        waiting_.load(std::memory_order_relaxed) - (counted ? 1 : 0) >= opts_.max_blocking_tasks) {
      uncount();
      return ANTS_ERR_POOL_OVERLOAD;
    }
    if (deadline.expired()) {
      uncount();
      return ANTS_ERR_TIMEOUT;
    }
    if (!spun_for_room && !QueueBacklogLocked()) {
      // Tasks are often short: a worker is likely to come back within
      // microseconds, far sooner than a sleep and wake-up would take.
      spun_for_room = true;
      counted = true;
      waiting_.fetch_add(1, std::memory_order_relaxed);
      pin.Hold(this);
      lock.unlock();
      SpinUntil(idle_count_, saturated_spins_, true);
      lock.lock();
      continue;
    }
    // 5. Block until a worker takes the task from us (or room appears, or
    //    the pool closes, or time runs out).
    pin.Hold(this);
    Waiter me(task);
    const Waiter::State outcome = BlockLocked(lock, &me, deadline, counted);
    counted = false;  // BlockLocked settled the count
    switch (outcome) {
      case Waiter::kTaken:
        return ANTS_OK;
      case Waiter::kClosed:
        return ANTS_ERR_POOL_CLOSED;
      case Waiter::kWaiting:
        return ANTS_ERR_TIMEOUT;
      case Waiter::kRetry:
      case Waiter::kGranted:  // only slot waiters are granted
        break;
    }
    spawn_failed = false;
  }
  // Queued: busy workers drain the queue before they go idle.
  queue_.Push(task);
  queued_.fetch_add(1, std::memory_order_relaxed);
  CheckInvariantsLocked();
  return ANTS_OK;
}

Waiter::State Pool::BlockLocked(std::unique_lock<SpinMutex> &lock, Waiter *me,
                                const Deadline &deadline, bool counted) {
  waiters_.PushBack(me);
  if (!counted) waiting_.fetch_add(1, std::memory_order_relaxed);
  const bool ask = ShouldAskForLineLocked();
  if (ask) ++asks_pending_;
  lock.unlock();
  // Slots sit idle while this caller waits: ask for one again now that it
  // is in line, where a slot given back finds it - the room an earlier ask
  // made may have gone to another caller meanwhile.
  if (ask) listeners_.Ask(1);
  me->Await(deadline);
  lock.lock();
  if (me->linked) {
    // Time ran out and nobody settled us: leave the line.
    waiters_.Remove(me);
    waiting_.fetch_sub(1, std::memory_order_relaxed);
    MaybeNotifyIdleLocked();
    return Waiter::kWaiting;
  }
  // Whoever unlinked us settled the outcome under this lock.
  return static_cast<Waiter::State>(me->state.load(std::memory_order_acquire));
}

// The caller wakes the waiter with Notify() - after unlocking on hot paths,
// and always for an asynchronous one.
WaiterRef Pool::TakeWaiterLocked(Waiter::State outcome) {
  Waiter *wt = waiters_.PopFront();
  if (!wt) return nullptr;
  waiting_.fetch_sub(1, std::memory_order_relaxed);
  if (wt->wants_slot && outcome == Waiter::kRetry) {
    // A slot waiter cannot try again by itself (an asynchronous one has no
    // thread): the room is its slot now.
    wt->slot = CountSlotLocked();
    outcome = Waiter::kGranted;
  }
  wt->Settle(outcome);
  return wt;
}

WaiterRef Pool::SlotFreedLocked() {
  WaiterRef wt;
  if (HasRoomLocked() && !closed_.load(std::memory_order_relaxed)) {
    wt = TakeWaiterLocked(Waiter::kRetry);
  }
  if (running_.load(std::memory_order_relaxed) == 0) exit_cv_.notify_all();
  MaybeNotifyIdleLocked();
  CheckInvariantsLocked();
  return wt;
}

// A nested submit from one of this pool's own workers, into the full pool.
int Pool::RunNested(const Task &task) {
  if (nested::InlineAllowed()) {
    nested::Enter();
    RunTask(task);
    nested::Leave();
    return ANTS_OK;
  }
  Ref();  // the deferred task's, until it has run
  if (!nested::Defer(DeferredTask{this, task})) {
    Unref();
    return ANTS_ERR_NO_MEMORY;
  }
  return ANTS_OK;
}

void Pool::RunDeferred() {
  DeferredTask d;
  while (nested::TakeDeferred(&d)) {
    d.pool->RunTask(d.task);
    d.pool->ReleaseDeferred();
  }
}

}  // namespace ants
