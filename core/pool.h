// pool.h - a pool of worker threads with ants' semantics: no task queue by
// default, a full pool blocks the caller; workers start lazily up to the
// capacity, idle ones are reused most-recent first and expire when idle.
// Its code is split by concept: pool.cpp (creation, lifetime),
// pool_submit.cpp, pool_worker.cpp, pool_threads.cpp, pool_expiry.cpp,
// pool_control.cpp, pool_offer.cpp and slots.cpp.
//
// Locking: one short lock guards the idle lists, the task queue, the blocked
// callers and every counter's writes; the counters are atomics so observers
// read them without the lock. No user callback ever runs with the lock held.
// The per-task path of a full pool without a queue takes no lock: a
// submitter offers its task to a worker that just finished (offer.h).
//
// Lifetime: the pool is reference counted - one reference for the handle and
// one per live worker thread - so a pool freed from inside its own task, or
// while threads are still leaving, is deleted by whoever lets go last.
// Worker threads are joinable: each one joins those that exited before it,
// and release/free join the rest, so a pool is never gone while one of its
// threads still runs library code, hooks or TLS destructors.
//
// Invariants (pool lock held):
//   - the queue is non-empty only while a started worker is busy (busy_ -
//     spawning_ > 0) or one was just woken for it: whoever stops serving it
//     (a retiring worker, a thread that unwinds, a failed spawn) hands it on;
//   - a blocked caller exists only while no worker is idle and the pool is
//     full; every path that frees a slot (SlotFreedLocked) wakes one;
//   - running_ >= busy_; a thread being created counts in both.
#ifndef ANTS_CORE_POOL_H
#define ANTS_CORE_POOL_H

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>

#include "clock.h"
#include "fork_epoch.h"
#include "offer.h"
#include "options.h"
#include "pool_base.h"
#include "slot_listeners.h"
#include "spin_mutex.h"
#include "task_queue.h"
#include "waiter.h"
#include "worker_queue.h"

namespace ants {

class Pool;
// The pool whose worker this thread is (a multipool's sub-pool, not the
// multipool); nullptr elsewhere. For HelpOwnPool (task_frame.h).
extern thread_local Pool *tls_worker_pool;

class Pool final : public PoolBase {
 public:
  // size <= 0: unlimited. fn: the fixed function of a pool-with-func, or
  // nullptr. owner: the identity nested-submit detection compares against
  // (a multipool passes itself; nullptr means this pool).
  static int Create(Pool **out, int size, ants_task_fn fn, const Options &opts,
                    const void *owner = nullptr);

  // Pools are cache-line aligned (the offer box has a line of its own), and
  // allocated so whatever the C++ library's aligned new does.
  static constexpr std::size_t kCacheLine = 64;
  static void *operator new(std::size_t size, const std::nothrow_t &) noexcept;
  static void operator delete(void *p) noexcept;
  static void operator delete(void *p, const std::nothrow_t &) noexcept;  // a constructor threw

  ants_task_fn func() const override { return func_; }
  int Submit(const Task &task, int64_t timeout_ms) override;

  int Running() const override { return CheckFork(), running_.load(std::memory_order_relaxed); }
  int Busy() const override { return CheckFork(), busy_.load(std::memory_order_relaxed); }
  int Available() const override;
  int Cap() const override { return capacity_.load(std::memory_order_relaxed); }
  int Waiting() const override { return CheckFork(), waiting_.load(std::memory_order_relaxed); }
  int Queued() const override { return CheckFork(), queued_.load(std::memory_order_relaxed); }
  bool IsClosed() const override { return closed_.load(std::memory_order_relaxed); }

  void Tune(int size) override;
  void Release() override;
  int ReleaseTimeout(int64_t timeout_ms) override;
  void Reboot() override;
  int WaitIdle(int64_t timeout_ms) override;
  int CancelQueued() override;
  void Destroy() override;

  // Slots (slots.cpp). Their tokens name this pool's index in its
  // multipool (0 for a plain pool), which routes by it.
  void SetSlotIndex(int index) { slot_index_ = index; }
  int AcquireSlot(int64_t *slot, int64_t timeout_ms) override;
  int AcquireSlotAsync(int64_t *slot, int64_t *ticket, ants_slot_grant_fn fn, void *ctx) override;
  int CancelSlotWait(int64_t ticket) override;
  int BeginSlot(int64_t slot) override;
  int EndSlot(int64_t slot) override;
  int ReleaseSlot(int64_t slot) override;
  void AddSlotListener(int64_t id, ants_slot_listener_fn fn, void *ctx,
                       ants_pool *handle) override {
    listeners_.Add(id, fn, ctx, handle);
  }
  bool RemoveSlotListener(int64_t id) override { return listeners_.Remove(id); }
  int64_t ExpiryMs() const override { return expiry_ns_ < 0 ? -1 : expiry_ns_ / 1000000; }

  // Building blocks for multipools, which share one deadline across pools.
  int WaitExited(const Deadline &deadline);
  // Waits until idle; *entries (if given) gets the count of submits that
  // entered this pool so far, read at that idle moment.
  int WaitIdleUntil(const Deadline &deadline, uint64_t *entries = nullptr);
  bool CalledFromOwnWorker() const { return tls_owner_is(owner_); }

  // Runs a task on the calling thread with the worker's guarantees:
  // exceptions are caught and reported, the group is told.
  void RunTask(const Task &task);
  // For the process-wide default pool, before its first thread: it is never
  // freed, so nobody ever waits for its threads - they detach as they exit
  // instead of waiting to be joined.
  void MarkNeverFreed() { never_freed_ = true; }
  // Drops the reference a deferred nested task held (nested.h).
  void ReleaseDeferred() { Unref(); }

 private:
  Pool(int size, ants_task_fn fn, const Options &opts, const void *owner);
  ~Pool() override;
  static bool tls_owner_is(const void *owner);

  void Ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Unref();

  // Keeps the pool alive while a caller waits on it with the lock dropped: a
  // task may free the pool meanwhile (ants_pool_free from inside a task
  // wakes blocked callers with ANTS_ERR_POOL_CLOSED). Declare it before the
  // lock so it is released after the lock.
  class Pin {
   public:
    Pin() = default;
    Pin(const Pin &) = delete;
    Pin &operator=(const Pin &) = delete;
    void Hold(Pool *p) {
      if (!pool_) {
        p->Ref();
        pool_ = p;
      }
    }
    ~Pin() {
      if (pool_) pool_->Unref();
    }

   private:
    Pool *pool_ = nullptr;
  };

  class WorkerExit;

  // After fork(), in the child: a pool from the parent resets itself on its
  // first use (fork_epoch.h).
  void CheckFork() const {
    if (fork_epoch_.load(std::memory_order_relaxed) != CurrentForkEpoch()) {
      const_cast<Pool *>(this)->ResetAfterFork();
    }
  }
  void ResetAfterFork();

  // Below the capacity. Exact under the lock; without it, a hint (the
  // offer paths re-check what matters).
  bool HasRoom() const {
    const int cap = capacity_.load(std::memory_order_relaxed);
    return cap < 0 || running_.load(std::memory_order_relaxed) < cap;
  }
  bool HasRoomLocked() const { return HasRoom(); }
  // A slot was given back (a worker exited, a spawn failed): wakes whoever
  // waits for that - a blocked caller may start a worker in it (returned, to
  // be notified after unlocking), release_timeout and free wait for the last
  // one, wait_idle for quiet.
  WaiterRef SlotFreedLocked();
  // Whether a started worker is busy and so will look at the queue.
  bool QueueServedLocked() const { return busy_.load(std::memory_order_relaxed) - spawning_ > 0; }
  // So many tasks are queued that a worker coming back takes them, not a
  // blocked caller's, for longer than a spin lasts: a caller spinning for
  // room would only take a core from the workers draining the queue.
  static constexpr int kSpinBacklog = 16;
  bool QueueBacklogLocked() const { return queue_.size() >= kSpinBacklog && QueueServedLocked(); }
  // Hands the queue's head to an idle worker, woken to serve the queue;
  // false if none is idle. Drops the lock when it returns true.
  bool WakeIdleForQueueLocked(std::unique_lock<SpinMutex> &lock);
  // A worker that stops serving the queue (it retires or unwinds) hands it
  // on: to a busy worker, an idle one, or a new thread in its own slot.
  // false if no thread could be started: the queue's head is then in *left,
  // popped with its place reserved (TaskQueue::PopReserved) for the caller
  // to settle, and the lock held.
  bool HandQueueOnLocked(std::unique_lock<SpinMutex> &lock, Worker *w, Task *left);
  // Takes the queue's head out to start a worker thread for it (in the
  // caller's running slot if reuse_slot). Its place stays reserved while the
  // lock drops (TaskQueue::PopReserved). true: started, the place is free
  // again (for the oldest blocked caller), and the lock may be released;
  // the caller keeps the pool alive. false: refused, the task is in *t,
  // still reserved, with the lock held: the caller restores it
  // (RestoreQueueHeadLocked) or runs it itself (TaskQueue::Release).
  bool SpawnForQueueHeadLocked(std::unique_lock<SpinMutex> &lock, bool reuse_slot, Task *t);
  void RestoreQueueHeadLocked(const Task &t);
  int RunNested(const Task &task);
  bool TakeQueuedMember(const Group *g, Task *t);
  WaiterRef MoveWaiterIntoQueueLocked();

 public:
  // A worker of this pool waiting for group g runs one queued member of g
  // (HelpOwnPool, task_frame.h): 1 ran one, 0 none now, -1 no queue.
  int RunOneQueued(const Group *g);

 private:
  void RunDeferred();
  void CallHook(ants_hook_fn hook, const char *which);
  // Joins exited worker threads and recycles their structs.
  void JoinAndRecycle(Worker *exited);
  void JoinExited();
  // A worker thread unwinding (pthread_exit or cancellation in a task or
  // hook): the bookkeeping of a normal exit.
  void AbandonWorker(Worker *w, bool busy, const Task *unstarted);
  Worker *PopIdleLocked();
  // Expiry (pool.cpp, "the watch"): after any change to idle_, makes its
  // coldest worker the one that parks with a deadline. Returns a worker to
  // Nudge after unlocking, or nullptr.
  Worker *UpdateWatchLocked();
  void SetWatchDeadlineLocked(Worker *w);
  // Offers (pool_offer.cpp): a submitter holds its task out to a worker
  // spinning for one or to the busy workers of a full pool, without the
  // lock. *idled: what TryOffer needs to notice a worker going idle.
  // How long to offer, in pauses; 0: not at all.
  int OfferBudget(int64_t timeout_ms, uint64_t *idled) const;
  // true: a worker took the task. false: withdrawn, nothing happened.
  bool TryOffer(const Task &task, uint64_t idled, int budget);
  // Worker side, after a task, before taking the lock: takes an offer out
  // already, or, in a full pool, spins a moment for one (still counted
  // busy; *spun then says so).
  bool TakeOfferLocklessly(const Worker *w, Task *task, bool *spun);
  bool MayStayBusyLocklessly(const Worker *w) const;
  bool SpinForOffer(const Worker *w, Task *task);
  // Worker side, under the lock, when it would go idle next.
  bool TakeOfferBeforeIdlingLocked(Task *task);
  void PublishIdleLocked() {
    spinning_count_.store(spinning_.size(), std::memory_order_relaxed);
    idle_count_.store(spinning_.size() + idle_.size(), std::memory_order_relaxed);
  }
  static bool SpinUntil(const std::atomic<int> &count, int iterations, bool may_yield);
  Worker *TakeWorkerStructLocked(std::unique_lock<SpinMutex> &lock);
  // Starts a worker thread for task. reuse_slot: a retiring worker hands
  // over its own running slot. Returns with the lock released on success,
  // held otherwise.
  int SpawnLocked(std::unique_lock<SpinMutex> &lock, const Task &task, bool woken = false,
                  bool reuse_slot = false);
  // Room for a new task - unless callers wait in line for the queue: they
  // go first (MoveWaiterIntoQueueLocked), and a new caller lines up behind.
  bool QueueHasRoomLocked() const {
    return queue_.capacity() > 0 && !queue_.full() && waiters_.empty();
  }
  void OnWokenForQueue();
  void StartWorkerForQueueLocked(std::unique_lock<SpinMutex> &lock);
  Waiter::State BlockLocked(std::unique_lock<SpinMutex> &lock, Waiter *me, const Deadline &deadline,
                            bool counted);
  // Unlinks the oldest blocked caller and settles it with outcome; a slot
  // waiter offered kRetry (room) gets a new slot instead (kGranted).
  WaiterRef TakeWaiterLocked(Waiter::State outcome);
  // Counts a new busy slot and returns its token.
  int64_t CountSlotLocked();
  // A slot holder's place goes back: running_ - 1 and the wake-ups of any
  // freed slot; returns the waiter to notify after unlocking.
  WaiterRef ReturnSlotLocked();
  // Room for a slot now: a free place, else an idle worker's, which exits.
  // Returns the worker to dismiss (after unlocking) through *retire, and
  // one to nudge (UpdateWatchLocked) through *nudge.
  bool TakeRoomForSlotLocked(int64_t *slot, Worker **retire, Worker **nudge);
  // Whether asking the slot listeners could make room: slots sit idle.
  // Idle slots that no ask has claimed yet (asks_pending_): asking again
  // for those already asked for would take back more slots than needed.
  bool ShouldAskListenersLocked() const { return foreign_idle_ > asks_pending_; }
  // After linking a caller in line: asks only if the line is longer than
  // the asks still on their way.
  bool ShouldAskForLineLocked() const {
    return ShouldAskListenersLocked() && asks_pending_ < waiters_.size();
  }
  // Asks the listeners for one idle slot, with the lock dropped meanwhile.
  void AskListenersForRoom(std::unique_lock<SpinMutex> &lock, Pin &pin) {
    ++asks_pending_;
    pin.Hold(this);
    lock.unlock();
    listeners_.Ask(1);
    lock.lock();
  }
  // A slot's admission short of waiting: ANTS_OK (lock released), a refusal,
  // or kMustWait (lock held).
  static constexpr int kMustWait = 1;
  int AdmitSlotLocked(std::unique_lock<SpinMutex> &lock, Pin &pin, int64_t *slot,
                      bool *asked_listeners);
  // A worker that finished its task hands its place to a blocked slot
  // waiter and exits.
  WaiterRef HandSlotToWaiterLocked(Worker *w);
  static void NotifyDeferred(Waiter *chain);
  void ReportPanic(const char *what);
  // Aborts if an invariant is broken (pool_invariants.cpp); a no-op unless
  // built with ANTS_CHECK_INVARIANTS. Called with the lock held.
#ifdef ANTS_CHECK_INVARIANTS
  void CheckInvariantsLocked() const;
#else
  void CheckInvariantsLocked() const {}
#endif
  void MaybeNotifyIdleLocked();

  static void *ThreadMain(void *arg);
  void WorkerLoop(Worker *w);
  bool NextTask(Worker *w, Task *task);
  // NextTask's sleep in a pool that expires workers by watch.
  bool ParkWatched(Worker *w, Task *task);
  void FinishWorker(Worker *w);

  const ants_task_fn func_;
  const Options opts_;
  const void *const owner_;
  const int64_t expiry_ns_;  // < 0: never expire

  std::atomic<int> capacity_;  // -1: unlimited
  std::atomic<int> running_{0};
  std::atomic<int> busy_{0};
  std::atomic<int> waiting_{0};
  std::atomic<int> queued_{0};
  std::atomic<bool> closed_{false};
  std::atomic<uint32_t> next_thread_id_{0};

  mutable SpinMutex mu_;
  std::condition_variable_any exit_cv_;  // release_timeout: running_ reached 0
  std::condition_variable_any idle_cv_;  // wait_idle
  // Idle workers come in two kinds. Spinning ones (at most max_spinners_)
  // watch their signal word for a few microseconds after a task and take a
  // hand-off without any syscall on either side; they are handed work
  // first. Parked ones sleep on a futex and cost a wake-up. Bounding the
  // spinners keeps them from starving the submitter of CPU.
  WorkerQueue spinning_;  // guarded by mu_
  WorkerQueue idle_;      // parked idle workers; guarded by mu_
  // Lock-free peeks for spinning submitters, published by PublishIdleLocked.
  std::atomic<int> spinning_count_{0};  // spinning_.size()
  std::atomic<int> idle_count_{0};      // spinning_.size() + idle_.size()
  const int max_spinners_;              // 0 for pre-alloc pools: strict FIFO reuse
  TaskQueue queue_;                     // guarded by mu_
  // Spin budgets as pause counts for this CPU (see pool.cpp).
  const int worker_spins_;
  const int offer_spins_;
  const int hand_off_spins_;
  const int saturated_spins_;
  IntrusiveList<Waiter> waiters_;  // callers blocked in submit, oldest first; guarded by mu_
  Worker *spare_ = nullptr;        // recycled Worker structs, guarded by mu_
  Worker *all_ = nullptr;          // every Worker struct ever made, for deletion
  uint64_t entries_ = 0;           // submits that took the lock; guarded by mu_
  // Bumped by Reboot under mu_; atomic for the offer check (pool_offer.cpp).
  std::atomic<uint64_t> generation_{0};
  // Queue mode: workers woken (or started) for queued work that have not
  // picked up their task yet. While one is on its way, submitters queue
  // instead of waking more, and each woken worker wakes the next only if
  // work is still queued - one wake in flight, as in Go's scheduler.
  int waking_ = 0;             // guarded by mu_
  int retiring_ = 0;           // live workers that decided to exit; guarded by mu_
  int spawning_ = 0;           // threads counted in busy_ not started yet; guarded by mu_
  Worker *zombies_ = nullptr;  // exited threads not joined yet (via next); guarded by mu_
  bool never_freed_ = false;   // the default pool: workers detach
  mutable std::atomic<uint32_t> fork_epoch_{CurrentForkEpoch()};
  int idle_waiters_ = 0;  // callers in WaitIdle; guarded by mu_
  // Slots held by callers (ants_slot_*), busy or idle; both count in
  // running_, busy ones in busy_ too. Guarded by mu_.
  int foreign_busy_ = 0;
  int foreign_idle_ = 0;
  int asks_pending_ = 0;      // slots asked of the listeners, not given back yet; guarded by mu_
  uint64_t next_ticket_ = 0;  // guarded by mu_
  int slot_index_ = 0;        // set once, before any use
  // Expiry by watch (LIFO pools that expire workers): only the coldest
  // parked worker sleeps with a deadline, and expiries are paced.
  const bool watched_expiry_;
  const int64_t expiry_pace_ns_;
  Worker *watch_ = nullptr;     // guarded by mu_
  int64_t next_expiry_ns_ = 0;  // no expiry before this Clock time (ns); guarded by mu_
  SlotListeners listeners_;
  // Offers (offer.h): only in pools whose full state makes callers wait in
  // line - no queue, blocking, no limit on blocked callers (an offering
  // caller is not counted in waiting_).
  const bool offers_;
  // The task a submitter holds out, if any, on a line of its own: it is
  // the one line both sides write per task in a busy pool.
  alignas(kCacheLine) OfferBox offer_box_;
  // Workers that went idle with offers on, ever: a submitter that sees it
  // change while it offers withdraws (pool_offer.cpp).
  std::atomic<uint64_t> idle_entries_{0};
  // On a line of its own too: a submitter that offers pins the pool (two
  // writes per task), and the counters workers read must not move with it.
  alignas(kCacheLine) std::atomic<int> refs_{1};
};

}  // namespace ants

#endif
