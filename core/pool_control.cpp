// pool_control.cpp - what callers do to a pool as a whole: tune, release,
// wait for its workers or for quiet, reboot, cancel queued tasks, free, and
// the reset of a pool inherited across fork().
#include "pool.h"

#include <algorithm>
#include <climits>
#include <exception>
#include <new>

#include "group.h"
#include "unwind.h"

namespace ants {

void Pool::MaybeNotifyIdleLocked() {
  if (idle_waiters_ > 0 && busy_.load(std::memory_order_relaxed) == 0 &&
      waiting_.load(std::memory_order_relaxed) == 0 && queue_.empty()) {
    idle_cv_.notify_all();
  }
}

void Pool::Tune(int size) {
  CheckFork();
  if (size <= 0 || opts_.pre_alloc) return;
  Worker *dismissed = nullptr;
  Waiter *granted = nullptr;  // asynchronous slot waiters, told after unlocking
  int ask = 0;                // idle slots to ask back
  Worker *nudge = nullptr;    // the new watch, if the old one was dismissed
  {
    std::unique_lock<SpinMutex> lock(mu_);
    const int old = capacity_.load(std::memory_order_relaxed);
    if (old < 0 || size == old) return;
    capacity_.store(size, std::memory_order_relaxed);
    if (size > old) {
      // As many blocked callers as the new room allows try again. Woken
      // under the lock: this path is rare, and their frames may be gone the
      // moment the lock drops.
      for (int i = 0; i < size - old && HasRoomLocked(); ++i) {
        WaiterRef wt = TakeWaiterLocked(Waiter::kRetry);
        if (!wt) break;
        if (wt.get()->IsAsync()) {
          wt.get()->deferred = granted;
          granted = wt.get();
        } else {
          wt->Notify();
        }
      }
      // Queued tasks were waiting for exactly this room, and with every
      // worker busy nobody else starts a thread for them. The caller's
      // handle keeps the pool alive if the lock drops.
      if (waking_ == 0) StartWorkerForQueueLocked(lock);
    } else {
      // Idle workers above the new capacity leave now; busy ones leave
      // when their task ends (NextTask sees the surplus).
      while (running_.load(std::memory_order_relaxed) - retiring_ > size) {
        Worker *w = idle_.PopColdest();
        if (!w) w = spinning_.PopColdest();
        if (!w) break;
        PublishIdleLocked();
        ++retiring_;
        w->next = dismissed;
        dismissed = w;
      }
      nudge = UpdateWatchLocked();
      ask = std::min(foreign_idle_, running_.load(std::memory_order_relaxed) - retiring_ - size);
      CheckInvariantsLocked();  // (growing may have dropped the lock)
    }
  }
  NotifyDeferred(granted);
  if (nudge) nudge->Nudge();
  if (ask > 0) listeners_.Ask(ask);
  while (dismissed) {
    Worker *next = dismissed->next;  // read before the worker may recycle itself
    dismissed->Dismiss();
    dismissed = next;
  }
}

void Pool::Release() {
  CheckFork();
  Worker *idle;
  Waiter *refused = nullptr;  // asynchronous slot waiters, told after unlocking
  {
    std::lock_guard<SpinMutex> lock(mu_);
    if (closed_.load(std::memory_order_relaxed)) return;
    closed_.store(true, std::memory_order_relaxed);
    asks_pending_ = 0;  // every idle slot is asked for below
    while (WaiterRef wt = TakeWaiterLocked(Waiter::kClosed)) {
      if (wt.get()->IsAsync()) {
        wt.get()->deferred = refused;
        refused = wt.get();
      } else {
        wt->Notify();
      }
    }
    MaybeNotifyIdleLocked();
    retiring_ += idle_.size() + spinning_.size();
    idle = idle_.TakeAll();
    watch_ = nullptr;
    // Chain the spinners behind the parked ones: one list to dismiss.
    Worker *spinners = spinning_.TakeAll();
    PublishIdleLocked();
    CheckInvariantsLocked();
    if (!idle) {
      idle = spinners;
    } else {
      Worker *last = idle;
      while (last->next) last = last->next;
      last->next = spinners;
    }
  }
  NotifyDeferred(refused);
  // Idle slots go back too; busy ones when their task ends (ants_slot_end).
  // Every listener is asked, even with no slot idle right now: a holder may
  // be between keeping a slot (ants_slot_end) and parking the thread that
  // holds it, which only the holder can see.
  listeners_.Ask(INT_MAX);
  while (idle) {
    Worker *next = idle->next;  // read before the worker may recycle itself
    idle->Dismiss();
    idle = next;
  }
}

int Pool::WaitExited(const Deadline &deadline) {
  CheckFork();
  Pin pin;
  pin.Hold(this);
  {
    std::unique_lock<SpinMutex> lock(mu_);
    auto gone = [this] { return running_.load(std::memory_order_relaxed) == 0; };
    if (deadline.never()) {
      exit_cv_.wait(lock, gone);
    } else if (!exit_cv_.wait_until(lock, deadline.when(), gone)) {
      return ANTS_ERR_TIMEOUT;
    }
  }
  // Every thread has counted itself out; join them, so that none is still
  // running library code, hooks or TLS destructors when this returns.
  JoinExited();
  return ANTS_OK;
}

int Pool::ReleaseTimeout(int64_t timeout_ms) {
  if (CalledFromOwnWorker()) return ANTS_ERR_WOULD_DEADLOCK;
  const Deadline deadline = Deadline::After(timeout_ms);
  Release();
  return WaitExited(deadline);
}

void Pool::Reboot() {
  CheckFork();
  std::lock_guard<SpinMutex> lock(mu_);
  if (!closed_.load(std::memory_order_relaxed)) return;
  // Workers still finishing tasks of the old generation see the new number
  // and exit instead of rejoining (ants #330).
  ++generation_;
  closed_.store(false, std::memory_order_relaxed);
}

int Pool::WaitIdleUntil(const Deadline &deadline, uint64_t *entries) {
  CheckFork();
  Pin pin;
  pin.Hold(this);
  std::unique_lock<SpinMutex> lock(mu_);
  auto idle = [this] {
    return busy_.load(std::memory_order_relaxed) == 0 &&
           waiting_.load(std::memory_order_relaxed) == 0 && queue_.empty();
  };
  ++idle_waiters_;
  bool ok = true;
  if (deadline.never()) {
    idle_cv_.wait(lock, idle);
  } else {
    ok = idle_cv_.wait_until(lock, deadline.when(), idle);
  }
  --idle_waiters_;
  if (entries) *entries = entries_;
  return ok ? ANTS_OK : ANTS_ERR_TIMEOUT;
}

int Pool::WaitIdle(int64_t timeout_ms) {
  if (CalledFromOwnWorker()) return ANTS_ERR_WOULD_DEADLOCK;
  return WaitIdleUntil(Deadline::After(timeout_ms));
}

ANTS_CATCHES_FORCED_UNWIND
int Pool::CancelQueued() {
  CheckFork();
  // One task at a time, so the destructor runs without the lock and nothing
  // is allocated; bounded by the queue length at the start.
  int cancelled = 0;
  for (int budget = queue_.capacity(); budget > 0; --budget) {
    Task t;
    {
      std::lock_guard<SpinMutex> lock(mu_);
      if (queue_.empty()) break;
      t = queue_.Pop();
      queued_.fetch_sub(1, std::memory_order_relaxed);
      // The queue has room again: the oldest blocked caller's task moves in
      // (woken under the lock: its frame may go once the lock drops).
      if (WaiterRef wt = MoveWaiterIntoQueueLocked()) wt->Notify();
      MaybeNotifyIdleLocked();
    }
    ++cancelled;
    // The group hears of the cancellation whatever the destructor does.
    struct TellGroup {
      Group *g;
      ~TellGroup() {
        if (g) g->Cancel();
      }
    } tell{t.group};
    if (opts_.task_dtor) {
      try {
        opts_.task_dtor(opts_.task_dtor_ctx, t.fn, t.arg);
      } catch (abi::__forced_unwind &) {
        throw;
      } catch (...) {
        opts_.logger.Printf("task destructor threw an exception; ignored");
      }
    }
  }
  return cancelled;
}

void Pool::Destroy() {
  Release();
  // From inside its own task the pool cannot see its last worker leave; the
  // workers' references keep it alive and the last one deletes it.
  if (!CalledFromOwnWorker()) WaitExited(Deadline::Never());
  Unref();
}

void Pool::ResetAfterFork() {
  std::lock_guard<std::mutex> reset(ForkResetMutex());
  const uint32_t epoch = CurrentForkEpoch();
  if (fork_epoch_.load(std::memory_order_relaxed) == epoch) return;  // another thread did it
  // The child has none of the parent's threads: no worker, no blocked
  // caller, no waiter on a condition variable. Whatever they held (the
  // lock, the condition variables' internals) is rebuilt, not destroyed -
  // destroying a condition variable with waiters that no longer exist may
  // block. Queued tasks belong to the parent, which runs them: the child
  // neither runs nor destroys them.
  new (&mu_) SpinMutex;
  new (&exit_cv_) std::condition_variable_any;
  new (&idle_cv_) std::condition_variable_any;
  spinning_ = WorkerQueue();
  idle_ = WorkerQueue(opts_.pre_alloc);
  waiters_ = IntrusiveList<Waiter>();
  queue_.Clear();
  spare_ = nullptr;
  for (Worker *w = all_; w; w = w->all_next) {
    w->prev = nullptr;
    w->linked = w->spinning = w->woken = w->slot_handed = false;
    w->next = spare_;
    spare_ = w;
  }
  zombies_ = nullptr;
  running_.store(0, std::memory_order_relaxed);
  busy_.store(0, std::memory_order_relaxed);
  waiting_.store(0, std::memory_order_relaxed);
  queued_.store(0, std::memory_order_relaxed);
  waking_ = retiring_ = spawning_ = idle_waiters_ = 0;
  foreign_busy_ = foreign_idle_ = asks_pending_ = 0;
  watch_ = nullptr;
  offer_box_.Reset();  // its submitter and spinners are not in the child
  next_expiry_ns_ = 0;
  // Only the handle's reference is left: every other one belonged to a
  // thread the child does not have.
  refs_.store(1, std::memory_order_relaxed);
  PublishIdleLocked();
  fork_epoch_.store(epoch, std::memory_order_release);
}

}  // namespace ants
