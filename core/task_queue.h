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
  // One ring slot more than the capacity: a task popped for a hand-off that
  // then fails (a worker thread the OS refused) goes back with PushFront
  // while the lock was dropped and submitters may have filled the queue
  // meanwhile. Without the spare slot that put-back overwrote the newest
  // task (lost) and left size_ above the ring (a slot read twice). At most
  // one such hand-off is in flight (OnWokenForQueue runs it only when no
  // other woken worker is on its way).
  explicit TaskQueue(int capacity)
      : cap_(capacity),
        ring_(capacity > 0 ? capacity + 1 : 0),
        slots_(capacity > 0 ? new Task[static_cast<size_t>(ring_)] : nullptr) {}

  int capacity() const { return cap_; }
  int size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // >=: after a put-back the queue may hold one task more than its capacity.
  bool full() const { return size_ >= cap_; }

  void Push(const Task &t) {
    slots_[(head_ + size_) % ring_] = t;
    ++size_;
  }
  // Puts back a task just popped (its hand-off failed).
  void PushFront(const Task &t) {
    head_ = (head_ + ring_ - 1) % ring_;
    slots_[head_] = t;
    ++size_;
  }
  // Forgets every task (after fork(): they belong to the parent).
  void Clear() {
    head_ = 0;
    size_ = 0;
  }
  Task Pop() {
    Task t = slots_[head_];
    head_ = (head_ + 1) % ring_;
    --size_;
    return t;
  }
  // Takes the newest task of group g into *out, if any is queued: a worker
  // waiting for g runs g's members, which it most likely just forked (they
  // are found near the back). The tasks behind it move up one place.
  bool TakeNewestOf(const Group *g, Task *out) {
    for (int i = size_ - 1; i >= 0; --i) {
      if (slots_[(head_ + i) % ring_].group != g) continue;
      *out = slots_[(head_ + i) % ring_];
      for (int j = i; j < size_ - 1; ++j) {
        slots_[(head_ + j) % ring_] = slots_[(head_ + j + 1) % ring_];
      }
      --size_;
      return true;
    }
    return false;
  }

 private:
  int cap_;
  int ring_;
  std::unique_ptr<Task[]> slots_;
  int head_ = 0;
  int size_ = 0;
};

}  // namespace ants

#endif
