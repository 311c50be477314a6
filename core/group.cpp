#include "group.h"

#include <algorithm>

#include "ants.h"
#include "clock.h"
#include "task_frame.h"

namespace ants {

void Group::Finish(bool panicked) {
  if (panicked) panicked_.fetch_add(1, std::memory_order_relaxed);
  bool delete_now = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_.fetch_sub(1, std::memory_order_relaxed) == 1) {
      // Notify under the lock: a waiter may free the group the moment it
      // can take the lock, so nothing here may touch it after unlocking.
      cv_.notify_all();
      delete_now = orphaned_;
    }
  }
  if (delete_now) delete this;
}

int Group::Wait(int64_t timeout_ms) {
  if (InsideGroup(this)) return ANTS_ERR_WOULD_DEADLOCK;
  const Deadline deadline = Deadline::After(timeout_ms);
  std::unique_lock<std::mutex> lock(mu_);
  auto done = [this] { return pending_.load(std::memory_order_relaxed) == 0; };
  // A worker of a pool with a task queue helps while it waits: members may
  // sit in that queue behind it (a fork-join), and with every worker
  // waiting nobody else would run them. It looks at the queue again at
  // least every kHelpSlice, since a queued task wakes nobody who is busy.
  constexpr auto kHelpSlice = std::chrono::microseconds(200);
  for (int help = 0; !done();) {
    lock.unlock();
    help = HelpOwnPool(this);
    lock.lock();
    if (help < 0) break;  // nothing to help with here: wait plainly
    if (help > 0) continue;
    const auto until = std::min(deadline.never() ? Clock::now() + kHelpSlice : deadline.when(),
                                Clock::now() + kHelpSlice);
    cv_.wait_until(lock, until, done);
    if (!done() && deadline.expired()) return ANTS_ERR_TIMEOUT;
  }
  if (deadline.never()) {
    cv_.wait(lock, done);
    return ANTS_OK;
  }
  return cv_.wait_until(lock, deadline.when(), done) ? ANTS_OK : ANTS_ERR_TIMEOUT;
}

void Group::Free() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    auto done = [this] { return pending_.load(std::memory_order_relaxed) == 0; };
    if (!done()) {
      if (InsideGroup(this)) {
        orphaned_ = true;  // the last member deletes it
        return;
      }
      cv_.wait(lock, done);
    }
  }
  delete this;
}

}  // namespace ants
