// worker_queue.h - the idle workers of a pool: an intrusive doubly linked
// list, so push, pop and removing an expired worker from the middle are all
// O(1) and never allocate.
//
// Like ants' worker queues it has two disciplines: a stack (LIFO, the
// default: the most recently idle worker is reused first, its cache is warm,
// and cold workers sink to the bottom where they expire) and a FIFO for
// pre-allocated pools (ants' loop queue).
#ifndef ANTS_CORE_WORKER_QUEUE_H
#define ANTS_CORE_WORKER_QUEUE_H

#include "worker.h"

namespace ants {

class WorkerQueue {
 public:
  explicit WorkerQueue(bool fifo = false) : fifo_(fifo) {}

  int size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Adds a worker that just became idle.
  void Push(Worker *w) {
    w->in_idle_list = true;
    if (fifo_) {
      LinkAfter(tail_, w);
    } else {
      LinkAfter(nullptr, w);
    }
  }

  // Takes the worker that should run the next task, or nullptr.
  Worker *Pop() {
    Worker *w = head_;
    if (w) Unlink(w);
    return w;
  }

  // Takes the coldest idle worker (the one idle the longest), or nullptr.
  Worker *PopColdest() {
    Worker *w = fifo_ ? head_ : tail_;
    if (w) Unlink(w);
    return w;
  }

  // Removes a worker from anywhere in the list (it expired).
  void Remove(Worker *w) { Unlink(w); }

  // Detaches the whole list and returns its first worker; walk with ->next,
  // reading next before dismissing each worker.
  Worker *TakeAll() {
    Worker *first = head_;
    for (Worker *w = first; w; w = w->next) w->in_idle_list = false;
    head_ = tail_ = nullptr;
    size_ = 0;
    return first;
  }

 private:
  void LinkAfter(Worker *pos, Worker *w) {
    w->prev = pos;
    w->next = pos ? pos->next : head_;
    if (w->next) {
      w->next->prev = w;
    } else {
      tail_ = w;
    }
    if (pos) {
      pos->next = w;
    } else {
      head_ = w;
    }
    ++size_;
  }

  void Unlink(Worker *w) {
    if (w->prev) {
      w->prev->next = w->next;
    } else {
      head_ = w->next;
    }
    if (w->next) {
      w->next->prev = w->prev;
    } else {
      tail_ = w->prev;
    }
    w->prev = w->next = nullptr;
    w->in_idle_list = false;
    --size_;
  }

  bool fifo_;
  Worker *head_ = nullptr;
  Worker *tail_ = nullptr;
  int size_ = 0;
};

}  // namespace ants

#endif
