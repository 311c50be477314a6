#include "multipool.h"

#include <new>

#include "fault_injection.h"
#include "slot_token.h"

namespace ants {

int MultiPool::Create(MultiPool **out, int n, int size_per_pool, ants_task_fn fn, int strategy,
                      const Options &opts) {
  // Slots name their sub-pool in slot_token::kIndexBits bits.
  if (n <= 0 || n > slot_token::kMaxIndex) return ANTS_ERR_INVALID_MULTI_POOL_SIZE;
  if (strategy != ANTS_ROUND_ROBIN && strategy != ANTS_LEAST_TASKS) {
    return ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY;
  }
  if (fault::fail(ANTS_FAULT_ALLOC)) return ANTS_ERR_NO_MEMORY;
  std::unique_ptr<MultiPool> mp(new (std::nothrow) MultiPool(fn, strategy));
  if (!mp) return ANTS_ERR_NO_MEMORY;
  mp->pools_.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    Pool *p = nullptr;
    // Every sub-pool names the multipool as its owner, so a task on any of
    // them counts as "inside" the multipool for nested-submit and
    // self-wait detection.
    int rc = Pool::Create(&p, size_per_pool, fn, opts, mp.get());
    if (rc != ANTS_OK) return rc;  // ~MultiPool frees the ones made so far
    p->SetSlotIndex(i);            // its slots and tickets name it
    mp->pools_.push_back(p);
  }
  *out = mp.release();
  return ANTS_OK;
}

MultiPool::~MultiPool() {
  // Close the multipool and every sub-pool before waiting for any: a caller
  // blocked in a later sub-pool must get ANTS_ERR_POOL_CLOSED now, not after
  // the earlier sub-pools' workers have exited (their tasks may be waiting
  // for it), and a task still running submits into a closed multipool.
  Release();
  // Every worker of every sub-pool is gone before any sub-pool is freed: a
  // task that passed the closed check just before may still be submitting
  // into a sibling sub-pool. (From one of its own tasks nobody can wait;
  // the sub-pools then live on through their workers' references.)
  // (pools_ is empty when creation failed before the first sub-pool.)
  if (!pools_.empty() && !CalledFromOwnWorker()) {
    for (Pool *p : pools_) p->WaitExited(Deadline::Never());
  }
  for (Pool *p : pools_) p->Destroy();
}

int MultiPool::Sum(int (Pool::*getter)() const) const {
  int total = 0;
  for (const Pool *p : pools_) total += (p->*getter)();
  return total;
}

int MultiPool::Cap() const {
  if (pools_[0]->Cap() < 0) return -1;  // sub-pools are all alike
  return Sum(&Pool::Cap);
}

int MultiPool::Available() const {
  if (pools_[0]->Cap() < 0) return -1;
  return Sum(&Pool::Available);
}

Pool *MultiPool::RoundRobin() {
  unsigned i = next_.fetch_add(1, std::memory_order_relaxed);
  return pools_[i % pools_.size()];
}

Pool *MultiPool::LeastBusy() const {
  Pool *best = pools_[0];
  int best_busy = best->Busy();
  for (size_t i = 1; i < pools_.size(); ++i) {
    int busy = pools_[i]->Busy();
    if (busy < best_busy) {  // strict: ties go to the lowest index
      best = pools_[i];
      best_busy = busy;
    }
  }
  return best;
}

void MultiPool::Tune(int size) {
  for (Pool *p : pools_) p->Tune(size);
}

void MultiPool::Release() {
  closed_.store(true, std::memory_order_relaxed);
  for (Pool *p : pools_) p->Release();
}

int MultiPool::ReleaseTimeout(int64_t timeout_ms) {
  if (CalledFromOwnWorker()) return ANTS_ERR_WOULD_DEADLOCK;
  // One deadline for all: every sub-pool is released first, so their
  // workers wind down in parallel while we wait for each in turn.
  const Deadline deadline = Deadline::After(timeout_ms);
  Release();
  int rc = ANTS_OK;
  for (Pool *p : pools_) {
    if (p->WaitExited(deadline) != ANTS_OK) rc = ANTS_ERR_TIMEOUT;
  }
  return rc;
}

void MultiPool::Reboot() {
  for (Pool *p : pools_) p->Reboot();
  next_.store(0, std::memory_order_relaxed);
  closed_.store(false, std::memory_order_relaxed);
}

int MultiPool::WaitIdle(int64_t timeout_ms) {
  if (CalledFromOwnWorker()) return ANTS_ERR_WOULD_DEADLOCK;
  const Deadline deadline = Deadline::After(timeout_ms);
  // Sub-pools are waited one after another, so a task still running on a
  // later one may submit into an earlier one already passed. Two passes
  // that find every sub-pool idle with the same count of submits entered
  // prove a moment when all were idle at once: between the first pass's
  // check of a sub-pool and the second's, nothing entered it, and the two
  // passes' check intervals overlap for every pair. The counts are read
  // under each sub-pool's own lock: no shared counter on the submit path.
  std::vector<uint64_t> seen(pools_.size());
  for (size_t i = 0; i < pools_.size(); ++i) {
    if (pools_[i]->WaitIdleUntil(deadline, &seen[i]) != ANTS_OK) return ANTS_ERR_TIMEOUT;
  }
  for (;;) {
    bool unchanged = true;
    for (size_t i = 0; i < pools_.size(); ++i) {
      uint64_t now = 0;
      if (pools_[i]->WaitIdleUntil(deadline, &now) != ANTS_OK) return ANTS_ERR_TIMEOUT;
      if (now != seen[i]) unchanged = false;
      seen[i] = now;
    }
    if (unchanged) return ANTS_OK;
  }
}

int MultiPool::CancelQueued() {
  int total = 0;
  for (Pool *p : pools_) total += p->CancelQueued();
  return total;
}

int MultiPool::StatByIndex(int *out, Stat stat, int index) const {
  if (!out) return ANTS_ERR_INVALID_ARGUMENT;
  if (index < 0 || static_cast<size_t>(index) >= pools_.size()) {
    return ANTS_ERR_INVALID_POOL_INDEX;
  }
  const Pool *p = pools_[static_cast<size_t>(index)];
  switch (stat) {
    case Stat::kRunning:
      *out = p->Running();
      break;
    case Stat::kAvailable:
      *out = p->Available();
      break;
    case Stat::kWaiting:
      *out = p->Waiting();
      break;
    case Stat::kBusy:
      *out = p->Busy();
      break;
  }
  return ANTS_OK;
}

void MultiPool::Destroy() {
  delete this;
}

Pool *MultiPool::SubPoolOf(int64_t token) const {
  if (token == 0) return nullptr;
  const size_t i = static_cast<size_t>(slot_token::Index(token));
  return i < pools_.size() ? pools_[i] : nullptr;
}

// A sub-pool picked as for a submit: round-robin falls back to the least
// busy one when its pick is overloaded.
template <typename Acquire>
int MultiPool::PickAndAcquire(Acquire acquire) {
  if (IsClosed()) return ANTS_ERR_POOL_CLOSED;
  if (strategy_ == ANTS_LEAST_TASKS) return acquire(LeastBusy());
  int rc = acquire(RoundRobin());
  if (rc == ANTS_ERR_POOL_OVERLOAD) rc = acquire(LeastBusy());
  return rc;
}

int MultiPool::Submit(const Task &task, int64_t timeout_ms) {
  // A worker's nested submit stays in its own sub-pool (as Go keeps a
  // goroutine's new goroutines on its own P): that worker, if it then waits
  // for the task's group, can run it from its own queue (Group::Wait).
  if (CalledFromOwnWorker() && tls_worker_pool) {
    if (IsClosed()) return ANTS_ERR_POOL_CLOSED;
    return tls_worker_pool->Submit(task, timeout_ms);
  }
  return PickAndAcquire([&](Pool *p) { return p->Submit(task, timeout_ms); });
}

int MultiPool::AcquireSlot(int64_t *slot, int64_t timeout_ms) {
  return PickAndAcquire([&](Pool *p) { return p->AcquireSlot(slot, timeout_ms); });
}

int MultiPool::AcquireSlotAsync(int64_t *slot, int64_t *ticket, ants_slot_grant_fn fn, void *ctx) {
  return PickAndAcquire([&](Pool *p) { return p->AcquireSlotAsync(slot, ticket, fn, ctx); });
}

// The sub-pool a slot or ticket names does the work.
int MultiPool::OnSubPool(int64_t token, int (Pool::*op)(int64_t)) {
  Pool *p = SubPoolOf(token);
  return p ? (p->*op)(token) : ANTS_ERR_INVALID_ARGUMENT;
}

int MultiPool::CancelSlotWait(int64_t ticket) {
  return OnSubPool(ticket, &Pool::CancelSlotWait);
}
int MultiPool::BeginSlot(int64_t slot) {
  return OnSubPool(slot, &Pool::BeginSlot);
}
int MultiPool::EndSlot(int64_t slot) {
  return OnSubPool(slot, &Pool::EndSlot);
}
int MultiPool::ReleaseSlot(int64_t slot) {
  return OnSubPool(slot, &Pool::ReleaseSlot);
}

void MultiPool::AddSlotListener(int64_t id, ants_slot_listener_fn fn, void *ctx,
                                ants_pool *handle) {
  for (size_t i = 0; i < pools_.size(); ++i) {
    try {
      pools_[i]->AddSlotListener(id, fn, ctx, handle);
    } catch (...) {
      for (size_t j = 0; j < i; ++j) pools_[j]->RemoveSlotListener(id);
      throw;
    }
  }
}

bool MultiPool::RemoveSlotListener(int64_t id) {
  bool found = false;
  for (Pool *p : pools_) found = p->RemoveSlotListener(id) || found;
  return found;
}

}  // namespace ants
