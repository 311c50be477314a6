// slots.cpp - places in a pool for tasks libants does not run itself
// (ants.h, "Slots"): a Go or Java runtime runs its tasks on its own cheap
// threads, each holding a slot, and still shares the pool's one capacity
// with native workers. A slot is admitted exactly like a submit (a free
// place, else an idle worker's place, else wait in the same line as blocked
// submitters) and counts like a worker: in running_ while held, in busy_
// while a task runs on it.
#include <algorithm>
#include <climits>
#include <new>

#include "pool.h"
#include "slot_token.h"

namespace ants {

int64_t Pool::CountSlotLocked() {
  running_.fetch_add(1, std::memory_order_relaxed);
  busy_.fetch_add(1, std::memory_order_relaxed);
  ++foreign_busy_;
  return slot_token::Make(generation_, slot_index_);
}

WaiterRef Pool::ReturnSlotLocked() {
  running_.fetch_sub(1, std::memory_order_relaxed);
  return SlotFreedLocked();
}

bool Pool::TakeRoomForSlotLocked(int64_t *slot, Worker **retire, Worker **nudge) {
  *retire = nullptr;
  *nudge = nullptr;
  if (HasRoomLocked()) {
    *slot = CountSlotLocked();
    return true;
  }
  // An idle worker holds the place: it leaves, handing it over (its exit
  // frees nothing). The coldest goes, as on expiry.
  Worker *w = idle_.PopColdest();
  if (!w) w = spinning_.PopColdest();
  if (!w) return false;
  PublishIdleLocked();
  *nudge = UpdateWatchLocked();
  w->slot_handed = true;
  ++retiring_;
  running_.fetch_sub(1, std::memory_order_relaxed);  // CountSlotLocked re-adds it
  *slot = CountSlotLocked();
  *retire = w;
  return true;
}

WaiterRef Pool::HandSlotToWaiterLocked(Worker *w) {
  // This worker's place becomes the waiter's slot: running_ is unchanged,
  // and busy_ moves from the worker to the slot.
  Waiter *wt = waiters_.PopFront();
  waiting_.fetch_sub(1, std::memory_order_relaxed);
  w->slot_handed = true;
  ++retiring_;
  ++foreign_busy_;
  wt->slot = slot_token::Make(generation_, slot_index_);
  wt->Settle(Waiter::kGranted);
  return wt;
}

void Pool::NotifyDeferred(Waiter *chain) {
  while (chain) {
    Waiter *next = chain->deferred;  // Report deletes the waiter
    chain->Report();
    chain = next;
  }
}

int Pool::AdmitSlotLocked(std::unique_lock<SpinMutex> &lock, Pin &pin, int64_t *slot,
                          bool *asked_listeners) {
  for (;;) {
    if (closed_.load(std::memory_order_relaxed)) return ANTS_ERR_POOL_CLOSED;
    Worker *retire, *nudge;
    if (TakeRoomForSlotLocked(slot, &retire, &nudge)) {
      lock.unlock();
      if (retire) retire->Dismiss();
      if (nudge) nudge->Nudge();
      return ANTS_OK;
    }
    if (*asked_listeners || !ShouldAskListenersLocked()) break;
    *asked_listeners = true;
    AskListenersForRoom(lock, pin);
  }
  // As a submit: no waiting for a nonblocking pool or beyond the limit.
  if (opts_.nonblocking) return ANTS_ERR_POOL_OVERLOAD;
  if (opts_.max_blocking_tasks > 0 &&
      waiting_.load(std::memory_order_relaxed) >= opts_.max_blocking_tasks) {
    return ANTS_ERR_POOL_OVERLOAD;
  }
  return kMustWait;
}

int Pool::AcquireSlot(int64_t *slot, int64_t timeout_ms) {
  CheckFork();
  if (queue_.capacity() > 0) return ANTS_ERR_INVALID_ARGUMENT;
  const Deadline deadline = Deadline::After(timeout_ms);
  bool asked_listeners = false;
  Pin pin;
  std::unique_lock<SpinMutex> lock(mu_);
  ++entries_;
  for (;;) {
    int rc = AdmitSlotLocked(lock, pin, slot, &asked_listeners);
    if (rc != kMustWait) return rc;
    if (deadline.expired()) return ANTS_ERR_TIMEOUT;
    pin.Hold(this);
    Waiter me(nullptr, nullptr);
    switch (BlockLocked(lock, &me, deadline, false)) {
      case Waiter::kGranted:
        *slot = me.slot;
        return ANTS_OK;
      case Waiter::kClosed:
        return ANTS_ERR_POOL_CLOSED;
      case Waiter::kWaiting:
        return ANTS_ERR_TIMEOUT;
      case Waiter::kTaken:
      case Waiter::kRetry:
        break;  // not given to slot waiters; look again
    }
  }
}

int Pool::AcquireSlotAsync(int64_t *slot, int64_t *ticket, ants_slot_grant_fn fn, void *ctx) {
  CheckFork();
  if (queue_.capacity() > 0) return ANTS_ERR_INVALID_ARGUMENT;
  *slot = 0;
  *ticket = 0;
  bool asked_listeners = false;
  Pin pin;
  std::unique_lock<SpinMutex> lock(mu_);
  ++entries_;
  int rc = AdmitSlotLocked(lock, pin, slot, &asked_listeners);
  if (rc != kMustWait) return rc;
  // Nobody waits on this one: whoever settles it reports to fn.
  Waiter *wt = new (std::nothrow) Waiter(fn, ctx);
  if (!wt) return ANTS_ERR_NO_MEMORY;
  wt->ticket = slot_token::Make(next_ticket_++, slot_index_);
  waiters_.PushBack(wt);
  waiting_.fetch_add(1, std::memory_order_relaxed);
  *ticket = wt->ticket;  // wt is not ours to touch once the lock drops
  // As BlockLocked: asked again once in line.
  if (ShouldAskForLineLocked()) AskListenersForRoom(lock, pin);
  return ANTS_OK;
}

int Pool::CancelSlotWait(int64_t ticket) {
  CheckFork();
  Waiter *found = nullptr;
  {
    std::lock_guard<SpinMutex> lock(mu_);
    // The line is short whenever anyone cancels (a timeout, a shutdown):
    // a scan keeps the waiter free of any index.
    for (Waiter *wt = waiters_.front(); wt; wt = wt->next) {
      if (wt->IsAsync() && wt->ticket == ticket) {
        found = wt;
        break;
      }
    }
    if (!found) return ANTS_ERR_INVALID_ARGUMENT;
    waiters_.Remove(found);
    waiting_.fetch_sub(1, std::memory_order_relaxed);
    MaybeNotifyIdleLocked();
  }
  delete found;
  return ANTS_OK;
}

int Pool::BeginSlot(int64_t slot) {
  CheckFork();
  std::lock_guard<SpinMutex> lock(mu_);
  if (foreign_idle_ <= 0) return ANTS_ERR_INVALID_ARGUMENT;
  if (closed_.load(std::memory_order_relaxed) || slot_token::Number(slot) != generation_) {
    return ANTS_ERR_POOL_CLOSED;
  }
  --foreign_idle_;
  asks_pending_ = std::min(asks_pending_, foreign_idle_);  // an ask for this one is void
  ++foreign_busy_;
  busy_.fetch_add(1, std::memory_order_relaxed);
  CheckInvariantsLocked();
  return ANTS_OK;
}

int Pool::EndSlot(int64_t slot) {
  CheckFork();
  WaiterRef wt;
  {
    std::lock_guard<SpinMutex> lock(mu_);
    if (foreign_busy_ <= 0) return ANTS_ERR_INVALID_ARGUMENT;
    --foreign_busy_;
    busy_.fetch_sub(1, std::memory_order_relaxed);
    const int cap = capacity_.load(std::memory_order_relaxed);
    const bool surplus = cap >= 0 && running_.load(std::memory_order_relaxed) - retiring_ > cap;
    // Kept idle as a worker would be; given back where a worker would exit
    // (closed, rebooted, shrunk) or where a worker would serve a caller
    // waiting for room (blocked, or still spinning before it blocks).
    if (!closed_.load(std::memory_order_relaxed) && slot_token::Number(slot) == generation_ &&
        !surplus && waiting_.load(std::memory_order_relaxed) == 0) {
      ++foreign_idle_;
      MaybeNotifyIdleLocked();
      CheckInvariantsLocked();
      return 1;
    }
    wt = ReturnSlotLocked();
  }
  if (wt) wt->Notify();
  return 0;
}

int Pool::ReleaseSlot(int64_t slot) {
  (void)slot;
  CheckFork();
  WaiterRef wt;
  {
    std::lock_guard<SpinMutex> lock(mu_);
    if (foreign_idle_ <= 0) return ANTS_ERR_INVALID_ARGUMENT;
    --foreign_idle_;
    if (asks_pending_ > 0) --asks_pending_;
    wt = ReturnSlotLocked();
  }
  if (wt) wt->Notify();
  return ANTS_OK;
}

}  // namespace ants
