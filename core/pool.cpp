#include "pool.h"

#include <pthread.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <thread>
#include <vector>

#include "fault_injection.h"
#include "group.h"
#include "nested.h"
#include "spin_budget.h"
#include "task_frame.h"
#include "unwind.h"

namespace ants {

namespace {
// Spin budgets, in time (spin_budget.h turns them into pause counts for the
// CPU at hand; the figures below were tuned with 60, 100 and 2,000 pauses of
// 13 ns on the 2-core bench machine). How long ...
// ... a worker spins for its next task before parking: enough to catch a
// submitter feeding tasks back to back (without it, pure-ants mode pays a
// wake-up per task: 7.1 us instead of 0.8 us per empty task at concurrency
// 2), and short enough to stay clear of the scheduler: a 20 us spin made the
// next wake-up of a parked worker land ~10 us late (B4 p50 10 us; with this
// budget 1.5 us). Measured on the 2-core bench machine, quiet.
constexpr int64_t kWorkerSpinNs = 800;
// ... a submitter waits for a spinning worker to come back before waking a
// parked one: a tiny task finishes well within it, and a futex wake costs
// the submitter a syscall and the task several microseconds.
constexpr int64_t kHandOffSpinNs = 1300;
// ... a submitter facing a full pool spins for a worker to come back before
// it blocks (sleeping and being woken cost several microseconds per task).
constexpr int64_t kSaturatedSpinNs = 26000;
// Workers that went idle together expire one per expiry / kExpiryPace: an
// idle pool of 10,000 threads would otherwise spend ~300 ms of CPU in the
// second they all leave (README, B5); paced, a thread exit's few tens of
// microseconds come about 32 times a second. Up to kExpiryPace workers idle
// together still leave within twice the expiry.
constexpr int64_t kExpiryPace = 32;

int MaxSpinners() {
  unsigned cpus = std::thread::hardware_concurrency();
  return std::max(1, static_cast<int>(cpus / 2));
}
}  // namespace

thread_local const void *tls_worker_owner = nullptr;
thread_local TaskFrame *tls_task_frame = nullptr;

bool InsideGroup(const Group *g) {
  for (TaskFrame *f = tls_task_frame; f; f = f->parent) {
    if (f->group == g) return true;
  }
  return false;
}

bool Pool::tls_owner_is(const void *owner) {
  return tls_worker_owner == owner;
}

int Pool::Create(Pool **out, int size, ants_task_fn fn, const Options &opts, const void *owner) {
  if (opts.pre_alloc && size <= 0) return ANTS_ERR_INVALID_PRE_ALLOC_SIZE;
  if (opts.expiry_ms < 0) return ANTS_ERR_INVALID_POOL_EXPIRY;
  if (opts.expiry_ms > ANTS_MAX_EXPIRY_MS) return ANTS_ERR_INVALID_ARGUMENT;
  if (opts.queue_size < 0 || opts.queue_size > ANTS_MAX_QUEUE_SIZE) {
    return ANTS_ERR_INVALID_ARGUMENT;
  }
  if (fault::fail(ANTS_FAULT_ALLOC)) return ANTS_ERR_NO_MEMORY;
  Pool *p = new (std::nothrow) Pool(size, fn, opts, owner);
  if (!p) return ANTS_ERR_NO_MEMORY;
  if (opts.pre_alloc) {
    // Everything `size` workers need, now: submit then never allocates.
    for (int i = 0; i < size; ++i) {
      Worker *w = new (std::nothrow) Worker;
      if (!w || fault::fail(ANTS_FAULT_ALLOC)) {
        delete w;
        p->Unref();
        return ANTS_ERR_NO_MEMORY;
      }
      w->pool = p;
      w->all_next = p->all_;
      p->all_ = w;
      w->next = p->spare_;
      p->spare_ = w;
    }
  }
  *out = p;
  return ANTS_OK;
}

Pool::Pool(int size, ants_task_fn fn, const Options &opts, const void *owner)
    : func_(fn),
      opts_(opts),
      owner_(owner ? owner : this),
      expiry_ns_(opts.disable_purge ? -1 : opts.expiry_ms * 1000000),
      capacity_(size > 0 ? size : -1),
      idle_(opts.pre_alloc),
      max_spinners_(opts.pre_alloc ? 0 : MaxSpinners()),
      queue_(opts.queue_size),
      worker_spins_(PausesFor(kWorkerSpinNs)),
      hand_off_spins_(PausesFor(kHandOffSpinNs)),
      saturated_spins_(PausesFor(kSaturatedSpinNs)),
      watched_expiry_(!opts.pre_alloc && !opts.disable_purge),
      expiry_pace_ns_(opts.expiry_ms * 1000000 / kExpiryPace) {}

Pool::~Pool() {
  // Threads that exited but were not joined yet: the one deleting the pool
  // (its last worker, when the pool was freed from inside a task) cannot
  // join itself, so it detaches; the others are joined.
  while (Worker *z = zombies_) {
    zombies_ = z->next;
    if (pthread_equal(z->thread, pthread_self())) {
      pthread_detach(z->thread);
    } else {
      pthread_join(z->thread, nullptr);
    }
  }
  while (all_) {
    Worker *next = all_->all_next;
    delete all_;
    all_ = next;
  }
}

void Pool::Unref() {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

int Pool::Available() const {
  CheckFork();
  int cap = Cap();
  if (cap < 0) return -1;
  int free = cap - Running();
  return free > 0 ? free : 0;
}

bool Pool::HasRoomLocked() const {
  int cap = capacity_.load(std::memory_order_relaxed);
  return cap < 0 || running_.load(std::memory_order_relaxed) < cap;
}

// ---------------------------------------------------------------------------
// Submitting

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
    if (!spun_for_room) {
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
  return ANTS_OK;
}

Waiter::State Pool::BlockLocked(std::unique_lock<SpinMutex> &lock, Waiter *me,
                                const Deadline &deadline, bool counted) {
  waiters_.PushBack(me);
  if (!counted) waiting_.fetch_add(1, std::memory_order_relaxed);
  lock.unlock();
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

Worker *Pool::TakeWorkerStructLocked(std::unique_lock<SpinMutex> &lock) {
  if (!spare_ && zombies_) {
    // Every struct belongs to a live or an exited thread: join the exited
    // ones (they are past their last instruction in the pool) and reuse
    // theirs - a pre-allocated pool must not allocate here.
    Worker *exited = zombies_;
    zombies_ = nullptr;
    lock.unlock();
    JoinAndRecycle(exited);
    lock.lock();
  }
  if (Worker *w = spare_) {
    spare_ = w->next;
    w->next = nullptr;
    return w;
  }
  if (fault::fail(ANTS_FAULT_ALLOC)) return nullptr;
  Worker *w = new (std::nothrow) Worker;
  if (!w) return nullptr;
  w->pool = this;
  w->all_next = all_;
  all_ = w;
  return w;
}

int Pool::SpawnLocked(std::unique_lock<SpinMutex> &lock, const Task &task, bool woken,
                      bool reuse_slot) {
  // Count the slot first: taking a struct may drop the lock (to join exited
  // threads), and the capacity must hold meanwhile.
  if (!reuse_slot) running_.fetch_add(1, std::memory_order_relaxed);
  busy_.fetch_add(1, std::memory_order_relaxed);
  ++spawning_;  // until the thread runs (WorkerLoop)
  if (woken) ++waking_;
  int status = ANTS_ERR_NO_MEMORY;
  int err = 0;
  Worker *w = TakeWorkerStructLocked(lock);
  if (w) {
    w->generation = generation_;
    w->woken = woken;
    w->slot_handed = false;
    w->ResetSignal();
    w->Hand(task);  // nobody waits on it yet: this only stores the first task
    Ref();          // the thread's reference
    lock.unlock();

    // Thread creation takes tens of microseconds: never under the lock. The
    // slot is already counted in running_, so the capacity holds meanwhile.
    err = EAGAIN;
    if (!fault::fail(ANTS_FAULT_THREAD_CREATE)) {
      pthread_attr_t attr;
      pthread_attr_init(&attr);
      if (opts_.stack_size > 0) pthread_attr_setstacksize(&attr, opts_.stack_size);
      pthread_t tid;
      err = pthread_create(&tid, &attr, &Pool::ThreadMain, w);
      pthread_attr_destroy(&attr);
    }
    // Once the thread runs, its task may free this pool (ants_pool_free
    // from inside a task) and the thread may then drop the last reference:
    // on success, touch nothing of the pool again, not even to relock.
    if (err == 0) return ANTS_OK;
    lock.lock();
    w->woken = false;
    w->next = spare_;
    spare_ = w;
    refs_.fetch_sub(1, std::memory_order_relaxed);  // the caller still holds one
    status = ANTS_ERR_SYSTEM;
  }

  // The rollback is a slot freed like any other: the same wake-ups as a
  // worker's exit. (Callers never queue behind a thread being created; a
  // queue hand-off that needed this thread is the caller's to redo.)
  --spawning_;
  if (!reuse_slot) running_.fetch_sub(1, std::memory_order_relaxed);
  busy_.fetch_sub(1, std::memory_order_relaxed);
  if (woken) --waking_;
  WaiterRef wt = reuse_slot ? WaiterRef() : SlotFreedLocked();
  if (wt || err != 0) {
    lock.unlock();
    if (wt) wt->Notify();
    if (err != 0) opts_.logger.Printf("cannot start a worker thread: %s", std::strerror(err));
    lock.lock();
  }
  return status;
}

// ---------------------------------------------------------------------------
// Workers

void *Pool::ThreadMain(void *arg) {
  Worker *w = static_cast<Worker *>(arg);
  w->pool->WorkerLoop(w);
  return nullptr;
}

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
      queue_.PushFront(t);
      queued_.fetch_add(1, std::memory_order_relaxed);
      lock.unlock();
      opts_.logger.Printf("queued tasks wait for the next submit: no thread can be started");
    }
    if (lock.owns_lock()) MaybeNotifyIdleLocked();
  }
  CallHook(opts_.on_exit, "exit");
  tls_worker_owner = nullptr;
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
      // The queue has room again: the oldest blocked caller's task moves in.
      WaiterRef wt;
      if (!waiters_.empty()) {
        queue_.Push(waiters_.front()->task);
        queued_.fetch_add(1, std::memory_order_relaxed);
        wt = TakeWaiterLocked(Waiter::kTaken);
      }
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
    busy_.fetch_sub(1, std::memory_order_relaxed);
    w->ResetSignal();
    spin = max_spinners_ > 0;
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

// Expiry by watch. Parked workers of a LIFO pool sleep without a deadline,
// except the coldest, "the watch": it has been idle the longest, so it is
// the next to expire anyway. When it leaves (or is taken), the next coldest
// becomes the watch. So an idle pool has one timed sleeper instead of one
// per worker, and workers that went idle together do not all wake at once
// and fight for the lock; expiries are also paced (kExpiryPace).
void Pool::SetWatchDeadlineLocked(Worker *w) {
  const int64_t due = w->idle_since_ns == 0 ? 0 : w->idle_since_ns + expiry_ns_;
  w->expire_at_ns.store(due == 0 ? 0 : std::max(due, next_expiry_ns_), std::memory_order_seq_cst);
}

Worker *Pool::UpdateWatchLocked() {
  if (!watched_expiry_) return nullptr;
  Worker *coldest = idle_.Coldest();
  if (coldest == watch_) return nullptr;
  watch_ = coldest;
  if (!coldest) return nullptr;
  // A worker still spinning (idle_since_ns 0) sets its deadline itself
  // when it parks.
  SetWatchDeadlineLocked(coldest);
  return coldest;
}

bool Pool::ParkWatched(Worker *w, Task *task) {
  for (;;) {
    Worker::Signal s = w->ParkWatched();
    if (s == Worker::kTask) {
      *task = w->task();
      return true;
    }
    if (s == Worker::kExit) return false;  // whoever dismissed us counted it
    // Our deadline passed. Leave, unless a hand-off is already under way
    // (we were popped but the task is not stored yet: take it), we are no
    // longer the watch, or another worker left too recently.
    Worker *next;
    {
      std::lock_guard<SpinMutex> lock(mu_);
      if (!w->linked || w != watch_) {
        w->expire_at_ns.store(0, std::memory_order_relaxed);
        continue;
      }
      const int64_t now = NowNs();
      if (now < next_expiry_ns_) {
        w->expire_at_ns.store(next_expiry_ns_, std::memory_order_relaxed);
        continue;
      }
      next_expiry_ns_ = now + expiry_pace_ns_;
      idle_.Remove(w);
      PublishIdleLocked();
      ++retiring_;
      next = UpdateWatchLocked();
    }
    if (next) next->Nudge();
    return false;
  }
}

bool Pool::HandQueueOnLocked(std::unique_lock<SpinMutex> &lock, Worker *w, Task *left) {
  if (queue_.empty() || QueueServedLocked() || WakeIdleForQueueLocked(lock)) return true;
  // Nobody else serves the queue: a new worker takes this one's slot.
  *left = queue_.Pop();
  queued_.fetch_sub(1, std::memory_order_relaxed);
  w->slot_handed = true;
  if (SpawnLocked(lock, *left, true, true) == ANTS_OK) return true;
  w->slot_handed = false;
  return false;
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
// room and the queue go. May drop the lock (it does on success).
void Pool::StartWorkerForQueueLocked(std::unique_lock<SpinMutex> &lock) {
  if (queue_.empty() || !HasRoomLocked() || closed_.load(std::memory_order_relaxed)) return;
  Task t = queue_.Pop();
  queued_.fetch_sub(1, std::memory_order_relaxed);
  if (SpawnLocked(lock, t, true) != ANTS_OK) {
    // Not lost: back to the head of the queue for the busy workers.
    queue_.PushFront(t);
    queued_.fetch_add(1, std::memory_order_relaxed);
  }
}

void Pool::FinishWorker(Worker *w) {
  WaiterRef wt;
  Worker *exited;
  {
    std::lock_guard<SpinMutex> lock(mu_);
    const bool freed = !w->slot_handed;
    w->slot_handed = false;
    if (freed) running_.fetch_sub(1, std::memory_order_relaxed);
    --retiring_;
    // Join the threads that exited before this one; this one is joined by
    // the next to exit, or by release/free (they wait for running_ == 0,
    // which holds only once every thread is on this list).
    exited = zombies_;
    zombies_ = nullptr;
    if (never_freed_) {
      pthread_detach(w->thread);
      w->next = spare_;
      spare_ = w;
    } else {
      w->next = nullptr;
      zombies_ = w;
    }
    // A slot freed up (after a shrink, an expiry or a reboot): a blocked
    // caller may start a worker in it.
    if (freed) wt = SlotFreedLocked();
  }
  if (wt) wt->Notify();
  JoinAndRecycle(exited);
  Unref();
}

void Pool::JoinAndRecycle(Worker *exited) {
  if (!exited) return;
  Worker *last = exited;
  for (Worker *z = exited;; z = z->next) {
    pthread_join(z->thread, nullptr);
    if (!z->next) {
      last = z;
      break;
    }
  }
  std::lock_guard<SpinMutex> lock(mu_);
  last->next = spare_;
  spare_ = exited;
}

void Pool::JoinExited() {
  for (;;) {
    Worker *exited;
    {
      std::lock_guard<SpinMutex> lock(mu_);
      exited = zombies_;
      zombies_ = nullptr;
    }
    if (!exited) return;
    JoinAndRecycle(exited);
  }
}

// ---------------------------------------------------------------------------
// Control

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
  bool ask = false;
  {
    std::lock_guard<SpinMutex> lock(mu_);
    if (closed_.load(std::memory_order_relaxed)) return;
    closed_.store(true, std::memory_order_relaxed);
    while (WaiterRef wt = TakeWaiterLocked(Waiter::kClosed)) {
      if (wt.get()->IsAsync()) {
        wt.get()->deferred = refused;
        refused = wt.get();
      } else {
        wt->Notify();
      }
    }
    ask = foreign_idle_ > 0;
    MaybeNotifyIdleLocked();
    retiring_ += idle_.size() + spinning_.size();
    idle = idle_.TakeAll();
    watch_ = nullptr;
    // Chain the spinners behind the parked ones: one list to dismiss.
    Worker *spinners = spinning_.TakeAll();
    PublishIdleLocked();
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
  if (ask) listeners_.Ask(INT_MAX);
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
      if (!waiters_.empty()) {
        queue_.Push(waiters_.front()->task);
        queued_.fetch_add(1, std::memory_order_relaxed);
        TakeWaiterLocked(Waiter::kTaken)->Notify();
      }
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
  foreign_busy_ = foreign_idle_ = 0;
  watch_ = nullptr;
  next_expiry_ns_ = 0;
  // Only the handle's reference is left: every other one belonged to a
  // thread the child does not have.
  refs_.store(1, std::memory_order_relaxed);
  PublishIdleLocked();
  fork_epoch_.store(epoch, std::memory_order_release);
}

}  // namespace ants
