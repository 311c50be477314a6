// completion.h - how the harness knows every task of a run has finished.
//
// The same for every peer, so no pool's own "wait" (or lack of one) skews
// the comparison. Each task's cost is one atomic increment (and a load) -
// which is also the whole of B1's task - and only the last task takes the
// lock.
#ifndef ANTS_BENCH_COMPLETION_H
#define ANTS_BENCH_COMPLETION_H

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace bench {

class Completion {
 public:
  // Arms for `target` tasks. Call only while no task of a previous round runs.
  void reset(int64_t target) {
    std::lock_guard<std::mutex> lock(mu_);
    target_.store(target, std::memory_order_relaxed);
    finished_ = false;
    count_.store(0, std::memory_order_relaxed);
  }

  // Lowers the target to `target` tasks (a run that stopped submitting
  // early, at its time budget). Either this or the task reaching the new
  // target sees the other, so the waiter is always woken.
  void lower_target(int64_t target) {
    std::lock_guard<std::mutex> lock(mu_);
    target_.store(target, std::memory_order_seq_cst);
    if (count_.load(std::memory_order_seq_cst) >= target) {
      finished_ = true;
      cv_.notify_all();
    }
  }

  // One task finished. acq_rel: the waiter sees every finished task's writes.
  void done() {
    if (count_.fetch_add(1, std::memory_order_seq_cst) + 1 ==
        target_.load(std::memory_order_seq_cst)) {
      std::lock_guard<std::mutex> lock(mu_);
      finished_ = true;
      cv_.notify_all();
    }
  }

  // Waits until `target` tasks are done; false if timeout_s passed first.
  bool wait(double timeout_s) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::duration<double>(timeout_s),
                        [this] { return finished_; });
  }

  int64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> count_{0};
  std::atomic<int64_t> target_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool finished_ = false;  // guarded by mu_
};

}  // namespace bench

#endif
