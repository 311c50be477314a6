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
      : cap_(capacity), slots_(capacity > 0 ? new Task[capacity] : nullptr) {}

  int capacity() const { return cap_; }
  int size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == cap_; }

  void Push(const Task &t) {
    slots_[(head_ + size_) % cap_] = t;
    ++size_;
  }
  // Puts back a task just popped (its hand-off failed).
  void PushFront(const Task &t) {
    head_ = (head_ + cap_ - 1) % cap_;
    slots_[head_] = t;
    ++size_;
  }
  Task Pop() {
    Task t = slots_[head_];
    head_ = (head_ + 1) % cap_;
    --size_;
    return t;
  }

 private:
  int cap_;
  std::unique_ptr<Task[]> slots_;
  int head_ = 0;
  int size_ = 0;
};

}  // namespace ants

#endif
