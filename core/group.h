// group.h - a set of tasks, possibly spread over several pools, that a caller
// can wait for (Go's sync.WaitGroup for the tasks of a pool, which C lacks).
#ifndef ANTS_CORE_GROUP_H
#define ANTS_CORE_GROUP_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace ants {

class Group {
 public:
  // Called before submitting a member, so Wait cannot miss it. No lock: a
  // rise never needs to wake anyone; only the fall to zero does (Finish).
  void Add() { pending_.fetch_add(1, std::memory_order_relaxed); }
  // The member was not accepted after all.
  void Cancel() { Finish(false); }
  // A member finished (panicked: it ended with an exception).
  void Done(bool panicked) { Finish(panicked); }

  int Wait(int64_t timeout_ms);
  int pending() const { return pending_.load(std::memory_order_relaxed); }
  int panicked() const { return panicked_.load(std::memory_order_relaxed); }

  // Deletes the group once no member is pending. Called from inside a
  // member, it cannot wait: the last member to finish deletes the group.
  void Free();

 private:
  void Finish(bool panicked);

  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<int> pending_{0};  // falls only under mu_ (Finish notifies)
  std::atomic<int> panicked_{0};
  bool orphaned_ = false;        // freed while members were pending; guarded by mu_
};

}  // namespace ants

#endif
