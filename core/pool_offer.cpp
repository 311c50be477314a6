// pool_offer.cpp - offers (offer.h): a submitter holds its task out to a
// worker spinning for one, or to the busy workers of a full pool, instead of
// taking an idle worker through the pool lock.
//
// A worker that finishes a task looks for an offer first; if none is out, it
// spins a moment for one (still counted busy: to a submitter it is the
// newest idle worker in all but name), and only then takes the lock and
// parks. The one race to close is a worker going idle while a submitter
// offers: the worker would wait for a hand-off through the idle list and
// the submitter for a worker to take its offer. Both sides follow Dekker's
// pattern with sequentially consistent operations: the submitter reads
// idle_entries_, publishes its offer and reads idle_entries_ again; a
// worker about to go idle bumps idle_entries_ and then reads offer_. At
// least one of them sees the other: the submitter then withdraws and takes
// the idle worker through the lock, or the worker takes the offer instead
// of going idle.
#include "pool.h"

#include "futex.h"

namespace ants {

int Pool::OfferBudget(int64_t timeout_ms, uint64_t *idled) const {
  if (!offers_ || timeout_ms == 0) return 0;
  if (waiting_.load(std::memory_order_relaxed) != 0) return 0;
  if (closed_.load(std::memory_order_relaxed)) return 0;
  // Offers are for a full pool. With room, a worker spins in the idle list
  // and the locked path hands it the task without waiting for it to
  // answer, or starts a new one, as ants does: offering there cost B1 at 64
  // workers ~1,300 ns per task against ~850.
  if (HasRoom()) return 0;
  // Before what follows: a worker that goes idle after this is caught by
  // TryOffer.
  *idled = idle_entries_.load(std::memory_order_seq_cst);
  // A worker offering into its own pool could wait for itself: the locked
  // path runs such a task inline or deferred.
  if (CalledFromOwnWorker()) return 0;
  // A worker spins for an offer: the newest idle worker in all but name.
  if (offer_box_.Spinners() > 0) return saturated_spins_;
  const int busy = busy_.load(std::memory_order_relaxed);
  if (busy == 0) return 0;
  // A worker spins in the idle list (it went idle before the pool filled):
  // the lock hands it the task.
  if (spinning_count_.load(std::memory_order_relaxed) > 0) return 0;
  if (idle_count_.load(std::memory_order_relaxed) > 0) {
    // Only parked workers are idle: a busy worker about to finish beats
    // waking one (a futex wake costs the submitter a syscall and the task
    // several microseconds) - but not in a pre-alloc pool, whose idle
    // workers take turns strictly (FIFO).
    return max_spinners_ > 0 ? hand_off_spins_ : 0;
  }
  // Every place busy: wait for the first to finish, as long as a blocked
  // caller would spin - unless something running is idle (a slot its
  // holder keeps idle): the locked path gets that room back sooner.
  return busy < running_.load(std::memory_order_relaxed) ? 0 : saturated_spins_;
}

bool Pool::TryOffer(const Task &task, uint64_t idled, int budget) {
  uint64_t ticket = 0;
  if (!offer_box_.Post(task, &ticket)) {
    return false;  // another submitter's offer is out: take the locked path
  }
  if (idle_entries_.load(std::memory_order_seq_cst) == idled) {
    for (int i = 0; i < budget; ++i) {
      if (offer_box_.Taken(ticket)) return true;
      SpinStep(i);
    }
  }
  // A worker went idle meanwhile, or none came back in time: withdraw,
  // unless a worker has already taken the offer.
  return !offer_box_.Withdraw(ticket);
}

bool Pool::TakeOfferLocklessly(const Worker *w, Task *task, bool *spun) {
  if (offer_box_.Full()) return MayStayBusyLocklessly(w) && offer_box_.Take(task, false);
  // Only a full pool's workers spin for offers (OfferBudget says why).
  if (HasRoom() || !MayStayBusyLocklessly(w)) return false;
  *spun = true;
  return SpinForOffer(w, task);
}

bool Pool::SpinForOffer(const Worker *w, Task *task) {
  // As many as may spin idle (max_spinners_): a spinner more would only
  // keep the submitter off a core.
  if (!offer_box_.AddSpinner(max_spinners_)) return false;  // others spin: park
  for (int i = 0; i < offer_spins_; ++i) {
    if (offer_box_.Full()) {
      if (MayStayBusyLocklessly(w) && offer_box_.Take(task, true)) return true;
      break;
    }
    CpuRelax();
  }
  offer_box_.RemoveSpinner();
  return false;
}

bool Pool::MayStayBusyLocklessly(const Worker *w) const {
  // What would make this worker leave, or serve blocked callers first, is
  // decided under the lock: any sign of it sends the worker there. Racing
  // changes cost at most one more task on this worker, which then sees them.
  if (closed_.load(std::memory_order_relaxed)) return false;
  if (waiting_.load(std::memory_order_relaxed) != 0) return false;
  if (w->generation != generation_.load(std::memory_order_relaxed)) return false;
  const int cap = capacity_.load(std::memory_order_relaxed);
  return cap < 0 || running_.load(std::memory_order_relaxed) <= cap;
}

bool Pool::TakeOfferBeforeIdlingLocked(Task *task) {
  // Offers are made in full pools only; a pool that fills after this
  // worker parks sees its parked worker (idle_count_) before offering.
  if (HasRoomLocked()) return false;
  // Counts as going idle before looking (Dekker, above).
  idle_entries_.fetch_add(1, std::memory_order_seq_cst);
  return offer_box_.Full() && offer_box_.Take(task, false);
}

}  // namespace ants
