// pool.cpp - a pool's creation, lifetime and tuning constants. The rest of
// Pool lives one concept per file: pool_submit.cpp (admission and blocked
// callers), pool_worker.cpp (the worker loop), pool_threads.cpp (starting
// and joining threads), pool_expiry.cpp (idle expiry), pool_control.cpp
// (tune, release, reboot, wait, free, fork), pool_offer.cpp (the lock-free
// hand-off of a full pool) and slots.cpp (slots).
#include "pool.h"

#include <pthread.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <thread>

#include "fault_injection.h"
#include "spin_budget.h"
#include "task_frame.h"

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
// ... a worker that finished a task spins for an offer (offer.h) before it
// parks, still counted busy: long enough for a submitter feeding tasks back
// to back to come round (B1, empty tasks at concurrency 2: ~400 ns/task),
// and half the idle spin above, since here the spinner holds a core the
// submitter and the other workers of a 2-core machine need: in one sweep
// there, B3 (1 us tasks) ran at 2.2x its ideal with this budget and 2.5x
// with 800 ns (runs spread almost as much; B1 did not move).
constexpr int64_t kOfferSpinNs = 400;
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
thread_local Pool *tls_worker_pool = nullptr;
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
      offer_spins_(PausesFor(kOfferSpinNs)),
      hand_off_spins_(PausesFor(kHandOffSpinNs)),
      saturated_spins_(PausesFor(kSaturatedSpinNs)),
      watched_expiry_(!opts.pre_alloc && !opts.disable_purge),
      expiry_pace_ns_(opts.expiry_ms * 1000000 / kExpiryPace),
      offers_(opts.queue_size == 0 && !opts.nonblocking && opts.max_blocking_tasks == 0) {}

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

void *Pool::operator new(std::size_t size, const std::nothrow_t &) noexcept {
  return std::aligned_alloc(kCacheLine, (size + kCacheLine - 1) / kCacheLine * kCacheLine);
}

void Pool::operator delete(void *p) noexcept {
  std::free(p);
}

void Pool::operator delete(void *p, const std::nothrow_t &) noexcept {
  std::free(p);
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

}  // namespace ants
