// task_queue.h - the optional bounded task queue (ants_options_set_queue_size):
// a ring buffer allocated once at pool creation, so queueing never allocates.
// Guarded by the pool lock.
#ifndef ANTS_CORE_TASK_QUEUE_H
#define ANTS_CORE_TASK_QUEUE_H

#include <memory>

#include "task.h"

namespace ants {

class TaskQueue {
 public:
  explicit TaskQueue(int capacity)
      : cap_(capacity), slots_(capacity > 0 ? new Task[static_cast<size_t>(capacity)] : nullptr) {}

  int capacity() const { return cap_; }
  int size() const { return size_; }
  int reserved() const { return reserved_; }
  bool empty() const { return size_ == 0; }
  // A task out for a hand-off that may fail still holds its place.
  bool full() const { return size_ + reserved_ >= cap_; }
  // Whether a blocked caller's task may move in: once a sixteenth of the
  // queue is free (at least one place), as a socket wakes its writer only
  // once part of its buffer is free. Woken per freed place, a caller that
  // keeps the queue full costs a wake-up per task and takes a core from
  // the workers draining it; per sixteenth, it refills in a burst.
  bool RoomForBlocked() const { return cap_ - size_ - reserved_ >= (cap_ >= 16 ? cap_ / 16 : 1); }

  void Push(const Task &t) {
    slots_[(head_ + size_) % cap_] = t;
    ++size_;
  }
  Task Pop() {
    Task t = slots_[head_];
    head_ = (head_ + 1) % cap_;
    --size_;
    return t;
  }

  // The head, taken out for a hand-off that may fail (a new thread for it,
  // which the OS may refuse). Its place stays reserved until the hand-off
  // settles with Restore (failed: back to the head) or Release (done). The
  // caller drops the pool lock meanwhile, so submitters may fill the rest
  // of the queue and other such hand-offs may be in flight: without the
  // reservation two put-backs overran the ring, one task overwriting
  // another, which was lost while the first ran twice.
  Task PopReserved() {
    ++reserved_;
    return Pop();
  }
  void Restore(const Task &t) {
    --reserved_;
    head_ = (head_ + cap_ - 1) % cap_;
    slots_[head_] = t;
    ++size_;
  }
  void Release() { --reserved_; }

  // Forgets every task (after fork(): they belong to the parent).
  void Clear() {
    head_ = 0;
    size_ = 0;
    reserved_ = 0;
  }
  // Takes the newest task of group g into *out, if any is queued: a worker
  // waiting for g runs g's members, which it most likely just forked (they
  // are found near the back). The tasks behind it move up one place.
  bool TakeNewestOf(const Group *g, Task *out) {
    for (int i = size_ - 1; i >= 0; --i) {
      if (slots_[(head_ + i) % cap_].group != g) continue;
      *out = slots_[(head_ + i) % cap_];
      for (int j = i; j < size_ - 1; ++j) {
        slots_[(head_ + j) % cap_] = slots_[(head_ + j + 1) % cap_];
      }
      --size_;
      return true;
    }
    return false;
  }

 private:
  int cap_;
  std::unique_ptr<Task[]> slots_;
  int head_ = 0;
  int size_ = 0;
  int reserved_ = 0;  // tasks popped by PopReserved, not yet settled
};

}  // namespace ants

#endif
