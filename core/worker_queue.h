// worker_queue.h - the idle workers of a pool. Like ants' worker queues it
// has two disciplines: a stack (LIFO, the default: the most recently idle
// worker is reused first, its cache is warm, and cold workers sink to the
// bottom where they expire) and a FIFO for pre-allocated pools (ants' loop
// queue).
#ifndef ANTS_CORE_WORKER_QUEUE_H
#define ANTS_CORE_WORKER_QUEUE_H

#include "intrusive_list.h"
#include "worker.h"

namespace ants {

class WorkerQueue {
 public:
  explicit WorkerQueue(bool fifo = false) : fifo_(fifo) {}

  int size() const { return list_.size(); }
  bool empty() const { return list_.empty(); }

  // Adds a worker that just became idle.
  void Push(Worker *w) { fifo_ ? list_.PushBack(w) : list_.PushFront(w); }
  // Takes the worker that should run the next task, or nullptr.
  Worker *Pop() { return list_.PopFront(); }
  // Takes the coldest idle worker (idle the longest), or nullptr.
  Worker *PopColdest() { return fifo_ ? list_.PopFront() : list_.PopBack(); }
  // The coldest idle worker, left in place, or nullptr.
  Worker *Coldest() const { return fifo_ ? list_.front() : list_.back(); }
  // Removes a worker from anywhere in the list (it expired).
  void Remove(Worker *w) { list_.Remove(w); }
  Worker *TakeAll() { return list_.TakeAll(); }

 private:
  bool fifo_;
  IntrusiveList<Worker> list_;
};

}  // namespace ants

#endif
