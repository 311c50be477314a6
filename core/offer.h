// offer.h - a task a submitter holds out to the pool's workers instead of
// taking an idle one through the pool lock: a worker that just finished a
// task and spins for the next one (at most max_spinners_ do), or, in a full
// pool, the first busy worker to finish, takes it and stays busy.
//
// Why: in ants' default mode (no queue) every task is a hand-off from the
// submitter to a worker. Through the idle list that costs two rounds on the
// pool lock and two writes of busy_ per task (the worker goes idle, the
// submitter takes it back); an offer costs one exchange on the offer word
// and one store on the submitter's own line. ants' semantics hold: the
// submit returns only once a worker owns the task; only a running worker
// takes offers, so the capacity holds; the worker that takes one is the one
// that finished last (LIFO reuse), and no offer is made while callers wait
// in line (they are served first) or in a pre-alloc pool (FIFO reuse) while
// one of its workers is idle.
//
// Lives on the submitter's stack; at most one is published per pool (the
// pool's offer_ word).
#ifndef ANTS_CORE_OFFER_H
#define ANTS_CORE_OFFER_H

#include <atomic>
#include <cstdint>

#include "task.h"

namespace ants {

struct Offer {
  explicit Offer(const Task &t) : task(t) {}

  const Task task;
  // Set (release) by the worker that took the task, after its last read of
  // this struct: the submitter may return as soon as it sees it.
  std::atomic<uint32_t> taken{0};
};

}  // namespace ants

#endif
