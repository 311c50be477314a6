// pool_worker.cpp - the worker loop: run a task, then take the next one
// (from the queue, from a blocked caller, or handed over while idle), or
// leave; and what a worker owes the pool when it leaves, including when
// its thread unwinds inside a task.
#include "pool.h"

#include <pthread.h>

#include <cstdio>
#include <exception>
#include <new>
#include <vector>

#include "group.h"
#include "nested.h"
#include "task_frame.h"
#include "unwind.h"

namespace ants {

// Does a normal exit's bookkeeping for a worker thread that unwinds instead
// (pthread_exit or cancellation inside a task or hook): a scope guard, so
// the slot, the queue, the group and the exit hook are never leaked.
class Pool::WorkerExit {
 public:
  WorkerExit(Pool *pool, Worker *w) : pool_(pool), w_(w) {}
  WorkerExit(const WorkerExit &) = delete;
  WorkerExit &operator=(const WorkerExit &) = delete;
  ~WorkerExit() {
    if (armed) pool_->AbandonWorker(w_, busy, unstarted);
  }

  bool armed = true;                // false once the normal exit took over
  bool busy = true;                 // counted in busy_ (false once retiring)
  const Task *unstarted = nullptr;  // the first task, until it starts

 private:
  Pool *pool_;
  Worker *w_;
};

void Pool::WorkerLoop(Worker *w) {
  w->thread = pthread_self();
  nested::InitWorkerStack();
  {
    std::lock_guard<SpinMutex> lock(mu_);
    --spawning_;  // started: from now on this worker serves the queue
  }
  tls_worker_owner = owner_;
  tls_worker_pool = this;
  char name[16];
  std::snprintf(name, sizeof name, "%s-%u", opts_.thread_name.c_str(),
                next_thread_id_.fetch_add(1, std::memory_order_relaxed));
  pthread_setname_np(pthread_self(), name);

  Task task = w->task();
  WorkerExit guard(this, w);
  guard.unstarted = &task;
  CallHook(opts_.on_start, "start");
  guard.unstarted = nullptr;
  do {
    if (w->woken) {
      w->woken = false;
      OnWokenForQueue();
    }
    RunTask(task);
    if (nested::HasDeferred()) RunDeferred();
  } while (NextTask(w, &task));
  guard.busy = false;

  CallHook(opts_.on_exit, "exit");
  guard.armed = false;
  tls_worker_owner = nullptr;
  tls_worker_pool = nullptr;
  FinishWorker(w);
}

ANTS_CATCHES_FORCED_UNWIND
void Pool::CallHook(ants_hook_fn hook, const char *which) {
  if (!hook) return;
  try {
    hook(opts_.hook_ctx);
  } catch (abi::__forced_unwind &) {
    throw;  // pthread_exit or cancellation: WorkerExit takes over
  } catch (...) {
    opts_.logger.Printf("worker %s hook threw an exception; ignored", which);
  }
}

void Pool::AbandonWorker(Worker *w, bool busy, const Task *unstarted) {
  opts_.logger.Printf(
      "a worker thread ended inside a task or hook (pthread_exit or "
      "cancellation); the pool replaces it as needed");
  // Tasks this thread accepted but has not run: its first one (if a start
  // hook ended the thread) and nested ones it deferred. They go back to the
  // pool once this thread is no longer one of its workers.
  std::vector<DeferredTask> orphans;
  try {
    if (unstarted) {
      Ref();
      orphans.push_back(DeferredTask{this, *unstarted});
    }
    DeferredTask d;
    while (nested::TakeDeferred(&d)) orphans.push_back(d);
  } catch (const std::bad_alloc &) {
    opts_.logger.Printf("out of memory while saving a dying worker's tasks; some are lost");
  }
  if (busy) {
    std::unique_lock<SpinMutex> lock(mu_);
    busy_.fetch_sub(1, std::memory_order_relaxed);
    ++retiring_;
    Task t;
    if (!HandQueueOnLocked(lock, w, &t)) {
      RestoreQueueHeadLocked(t);
      lock.unlock();
      opts_.logger.Printf("queued tasks wait for the next submit: no thread can be started");
    }
    if (lock.owns_lock()) MaybeNotifyIdleLocked();
  }
  CallHook(opts_.on_exit, "exit");
  tls_worker_owner = nullptr;
  tls_worker_pool = nullptr;
  Ref();  // FinishWorker drops the thread's reference; orphans need the pool
  FinishWorker(w);
  for (const DeferredTask &o : orphans) {
    int rc = o.pool->Submit(o.task, -1);
    if (rc != ANTS_OK) {
      o.pool->opts_.logger.Printf("a task of a dying worker could not be resubmitted: %s",
                                  ants_strerror(rc));
      if (o.task.group) o.task.group->Cancel();
    }
    o.pool->Unref();
  }
  Unref();
}

ANTS_CATCHES_FORCED_UNWIND
void Pool::RunTask(const Task &task) {
  // Whatever way the task ends - returning, throwing, or unwinding its
  // thread - the frame is popped and the group told.
  struct Finish {
    TaskFrame frame;
    bool completed = false;
    ~Finish() {
      tls_task_frame = frame.parent;
      if (frame.group) frame.group->Done(!completed);
    }
  } finish{{task.group, tls_task_frame}};
  tls_task_frame = &finish.frame;
  try {
    task.fn(task.arg);
    finish.completed = true;
  } catch (abi::__forced_unwind &) {
    throw;  // thread cancellation must unwind; WorkerExit accounts for it
  } catch (const std::exception &e) {
    ReportPanic(e.what());
  } catch (...) {
    ReportPanic("task threw an exception not derived from std::exception");
  }
}

ANTS_CATCHES_FORCED_UNWIND
void Pool::ReportPanic(const char *what) {
  if (opts_.panic_fn) {
    try {
      opts_.panic_fn(opts_.panic_ctx, what);
      return;
    } catch (abi::__forced_unwind &) {
      throw;
    } catch (...) {
      opts_.logger.Printf("panic handler threw while handling: %s", what);
      return;
    }
  }
  opts_.logger.Printf("task threw: %s", what);
}

// After a task: the next one (from the queue or handed over while idle), or
// false when this worker must exit.
bool Pool::NextTask(Worker *w, Task *task) {
  // A submitter holds a task out (offer.h): take it and stay busy.
  bool spun_for_offer = false;
  if (offers_ && TakeOfferLocklessly(w, task, &spun_for_offer)) return true;
  bool spin;
  {
    std::unique_lock<SpinMutex> lock(mu_);
    const int cap = capacity_.load(std::memory_order_relaxed);
    const bool surplus = cap >= 0 && running_.load(std::memory_order_relaxed) - retiring_ > cap;
    const bool closed = closed_.load(std::memory_order_relaxed);
    const bool stale = w->generation != generation_;
    // Queued tasks were accepted and must run: a closed pool's workers drain
    // them before they exit, and so does the last worker that could.
    if (!queue_.empty() && (closed || !(stale || surplus))) {
      *task = queue_.Pop();
      queued_.fetch_sub(1, std::memory_order_relaxed);
      WaiterRef wt = MoveWaiterIntoQueueLocked();
      lock.unlock();
      if (wt) wt->Notify();
      return true;
    }
    if (closed || stale || surplus) {
      // Leave. A shrunk pool or a rebooted one must not keep serving its
      // backlog with workers it no longer wants (ants.h): the queue goes
      // to a busy worker that stays, else an idle one, else a new thread in
      // this one's slot.
      busy_.fetch_sub(1, std::memory_order_relaxed);
      ++retiring_;
      if (!HandQueueOnLocked(lock, w, task)) {
        // No thread to be had: better this worker than nobody.
        queue_.Release();
        busy_.fetch_add(1, std::memory_order_relaxed);
        --retiring_;
        return true;
      }
      if (lock.owns_lock()) MaybeNotifyIdleLocked();
      return false;
    }
    // A caller is blocked waiting for a worker: take its task directly. One
    // waiting for a slot gets this worker's place, and the worker exits.
    if (!waiters_.empty() && waiters_.front()->wants_slot) {
      WaiterRef wt = HandSlotToWaiterLocked(w);
      lock.unlock();
      wt->Notify();
      return false;
    }
    if (!waiters_.empty()) {
      *task = waiters_.front()->task;
      WaiterRef wt = TakeWaiterLocked(Waiter::kTaken);
      lock.unlock();
      wt->Notify();
      return true;
    }
    if (offers_ && TakeOfferBeforeIdlingLocked(task)) return true;
    busy_.fetch_sub(1, std::memory_order_relaxed);
    w->ResetSignal();
    // Not twice: a worker that spun for an offer parks now.
    spin = max_spinners_ > 0 && !spun_for_offer;
    if (spin) {
      // The newest idle worker always gets a spinning slot; when all are
      // taken, the oldest spinner moves over to the parked ones (it parks by
      // itself when its spin ends). Parked workers are then never newer than
      // spinning ones, so spinner-first reuse is still most-recent-first
      // (issue 2, line 2) even when workers finish within one spin.
      if (spinning_.size() >= max_spinners_) {
        Worker *oldest = spinning_.PopColdest();
        oldest->spinning = false;
        oldest->idle_since_ns = 0;  // set when its spin ends (below)
        idle_.Push(oldest);
      }
      spinning_.Push(w);
      w->spinning = true;
    } else {
      w->idle_since_ns = NowNs();
      idle_.Push(w);
    }
    w->expire_at_ns.store(0, std::memory_order_relaxed);
    PublishIdleLocked();
    UpdateWatchLocked();  // a new watch is the pushed worker itself: no nudge
    MaybeNotifyIdleLocked();
    CheckInvariantsLocked();
  }

  if (spin) {
    Worker::Signal s = w->Spin(worker_spins_);
    if (s == Worker::kTask) {
      *task = w->task();
      return true;
    }
    if (s == Worker::kExit) return false;
    // Nothing came: move over to the parked workers, unless a submitter
    // popped us meanwhile (then its hand-off is on the way) or a newer
    // worker already moved us there.
    std::lock_guard<SpinMutex> lock(mu_);
    if (w->linked && w->spinning) {
      spinning_.Remove(w);
      w->spinning = false;
      w->idle_since_ns = 0;
      idle_.Push(w);
      PublishIdleLocked();
      UpdateWatchLocked();  // the pushed worker itself, if anyone
    }
    // Idle since the spin began; the spin is too short to matter, and the
    // clock is read here, off the hot path, rather than after every task.
    if (w->linked && w->idle_since_ns == 0) {
      w->idle_since_ns = NowNs();
      if (w == watch_) SetWatchDeadlineLocked(w);
    }
    CheckInvariantsLocked();
  }

  if (watched_expiry_) return ParkWatched(w, task);
  int64_t timeout_ns = expiry_ns_;
  for (;;) {
    Worker::Signal s = w->Park(timeout_ns);
    if (s == Worker::kTask) {
      *task = w->task();
      return true;
    }
    if (s == Worker::kExit) return false;  // whoever dismissed us counted it
    // Idle for the whole expiry: leave, unless a hand-off is already under
    // way (we were popped but the task is not stored yet): then take it.
    std::lock_guard<SpinMutex> lock(mu_);
    if (w->linked) {
      idle_.Remove(w);
      PublishIdleLocked();
      ++retiring_;
      return false;
    }
    timeout_ns = -1;
  }
}

// The queue has room again (TaskQueue::RoomForBlocked): the oldest blocked
// caller's task moves in, and the caller is returned to be woken.
WaiterRef Pool::MoveWaiterIntoQueueLocked() {
  if (waiters_.empty() || !queue_.RoomForBlocked()) return WaiterRef();
  queue_.Push(waiters_.front()->task);
  queued_.fetch_add(1, std::memory_order_relaxed);
  return TakeWaiterLocked(Waiter::kTaken);
}

int HelpOwnPool(const Group *g) {
  Pool *p = tls_worker_pool;
  return p ? p->RunOneQueued(g) : -1;
}

int Pool::RunOneQueued(const Group *g) {
  if (queue_.capacity() == 0) return -1;
  if (!nested::InlineAllowed()) return 0;  // deep enough: just wait
  Task t;
  if (!TakeQueuedMember(g, &t)) return 0;
  nested::Enter();
  RunTask(t);
  nested::Leave();
  return 1;
}

bool Pool::TakeQueuedMember(const Group *g, Task *t) {
  WaiterRef wt;
  {
    std::lock_guard<SpinMutex> lock(mu_);
    // Only a member of the group waited for - a descendant of the waiting
    // task in a fork-join - and the newest first, as a work-stealing
    // scheduler runs its latest fork. Any other task could itself wait for
    // something under the waiting task on this very stack (two workers
    // helping each other's ancestors deadlock), and oldest-first would nest
    // waits level after level.
    if (!queue_.TakeNewestOf(g, t)) return false;
    queued_.fetch_sub(1, std::memory_order_relaxed);
    wt = MoveWaiterIntoQueueLocked();
    CheckInvariantsLocked();
  }
  if (wt) wt->Notify();
  return true;
}

bool Pool::HandQueueOnLocked(std::unique_lock<SpinMutex> &lock, Worker *w, Task *left) {
  if (queue_.empty() || QueueServedLocked() || WakeIdleForQueueLocked(lock)) return true;
  // Nobody else serves the queue: a new worker takes this one's slot.
  w->slot_handed = true;
  if (SpawnForQueueHeadLocked(lock, true, left)) return true;
  w->slot_handed = false;
  return false;
}

bool Pool::SpawnForQueueHeadLocked(std::unique_lock<SpinMutex> &lock, bool reuse_slot, Task *t) {
  *t = queue_.PopReserved();
  queued_.fetch_sub(1, std::memory_order_relaxed);
  if (SpawnLocked(lock, *t, true, reuse_slot) != ANTS_OK) return false;
  // SpawnLocked returned without the lock; the caller keeps the pool alive.
  lock.lock();
  queue_.Release();
  WaiterRef wt = MoveWaiterIntoQueueLocked();
  CheckInvariantsLocked();
  if (wt) {
    lock.unlock();
    wt->Notify();
  }
  return true;
}

void Pool::RestoreQueueHeadLocked(const Task &t) {
  queue_.Restore(t);
  queued_.fetch_add(1, std::memory_order_relaxed);
}

bool Pool::WakeIdleForQueueLocked(std::unique_lock<SpinMutex> &lock) {
  Worker *w = spinning_.Pop();
  if (!w) w = idle_.Pop();
  if (!w) return false;
  PublishIdleLocked();
  UpdateWatchLocked();  // Pop takes the hottest: never a new watch to nudge
  w->woken = true;
  ++waking_;
  Task t = queue_.Pop();
  queued_.fetch_sub(1, std::memory_order_relaxed);
  busy_.fetch_add(1, std::memory_order_relaxed);
  lock.unlock();
  w->Hand(t);
  return true;
}

// A worker woken (or started) for the queue has its task: let the next one
// come if work is still queued and nobody else is on the way.
void Pool::OnWokenForQueue() {
  std::unique_lock<SpinMutex> lock(mu_);
  --waking_;
  if (queue_.empty() || waking_ > 0 || !spinning_.empty()) return;
  if (WakeIdleForQueueLocked(lock)) return;
  StartWorkerForQueueLocked(lock);
}

// Starts a worker for the oldest queued task when there is room; being
// "woken", it starts the next one in turn (OnWokenForQueue) as far as the
// room and the queue go. May drop the lock.
void Pool::StartWorkerForQueueLocked(std::unique_lock<SpinMutex> &lock) {
  if (queue_.empty() || !HasRoomLocked() || closed_.load(std::memory_order_relaxed)) return;
  Task t;
  // Refused: not lost, back to the head of the queue for the busy workers.
  if (!SpawnForQueueHeadLocked(lock, false, &t)) RestoreQueueHeadLocked(t);
}

}  // namespace ants
