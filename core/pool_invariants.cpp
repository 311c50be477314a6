// pool_invariants.cpp - the pool's invariants, checked at the points where
// its lock is about to drop, in builds with ANTS_CHECK_INVARIANTS (Debug and
// the sanitizer builds CI runs every suite, the fuzzer and the soak under).
// A broken one aborts at once, naming itself, instead of surfacing later
// as a lost task or a hang.
#include "pool.h"

#ifdef ANTS_CHECK_INVARIANTS

#include <cstdio>
#include <cstdlib>

namespace ants {

namespace {
[[noreturn]] void Broken(const char *what, long a, long b) {
  std::fprintf(stderr, "libants: pool invariant broken: %s (%ld, %ld)\n", what, a, b);
  std::abort();
}
}  // namespace

void Pool::CheckInvariantsLocked() const {
  const long running = running_.load(std::memory_order_relaxed);
  const long busy = busy_.load(std::memory_order_relaxed);
  const long waiting = waiting_.load(std::memory_order_relaxed);
  if (busy < 0 || running < busy) Broken("0 <= busy <= running", busy, running);
  if (waiters_.size() > waiting)
    Broken("blocked callers count in waiting", waiters_.size(), waiting);
  if (queued_.load(std::memory_order_relaxed) != queue_.size()) {
    Broken("queued == queue length", queued_.load(std::memory_order_relaxed), queue_.size());
  }
  if (queue_.capacity() > 0 && queue_.size() + queue_.reserved() > queue_.capacity()) {
    Broken("queued and reserved tasks within the queue size", queue_.size(), queue_.reserved());
  }
  if (idle_count_.load(std::memory_order_relaxed) != spinning_.size() + idle_.size()) {
    Broken("published idle count", idle_count_.load(std::memory_order_relaxed),
           spinning_.size() + idle_.size());
  }
  // Slots are workers to the counts.
  if (foreign_busy_ < 0 || foreign_idle_ < 0 || foreign_busy_ > busy ||
      foreign_busy_ + foreign_idle_ > running) {
    Broken("slots within busy and running", foreign_busy_, foreign_idle_);
  }
  if (asks_pending_ < 0 || asks_pending_ > foreign_idle_) {
    Broken("asks for idle slots within the idle slots", asks_pending_, foreign_idle_);
  }
  // A caller waits in line only while no worker is idle (a worker going
  // idle serves the line first; a submitter takes an idle worker first).
  if (!waiters_.empty() && !(idle_.empty() && spinning_.empty())) {
    Broken("blocked callers imply no idle worker", waiters_.size(),
           idle_.size() + spinning_.size());
  }
  if (watched_expiry_ && watch_ != idle_.Coldest()) Broken("the watch is the coldest", 0, 0);
}

}  // namespace ants

#endif
