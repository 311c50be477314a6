// pool_expiry.cpp - idle workers expire by watch (see below).
#include "pool.h"

#include <algorithm>

namespace ants {

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
      CheckInvariantsLocked();
    }
    if (next) next->Nudge();
    return false;
  }
}

}  // namespace ants
