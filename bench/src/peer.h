// peer.h - the one interface every pool under test is driven through.
//
// A peer is created for one run of one workload with a capacity (its worker
// count) and the single task function that run uses; submit() hands it one
// argument. Fixing the function at creation lets GLib's GThreadPool (which
// carries one pointer per task) run without an extra allocation per task, so
// no peer pays for the harness. Destroying the peer is its teardown: it must
// return only after its worker threads have been told to stop, and it joins
// them where the pool's API allows.
#ifndef ANTS_BENCH_PEER_H
#define ANTS_BENCH_PEER_H

#include <functional>
#include <memory>
#include <vector>

namespace bench {

using TaskFn = void (*)(void *arg);

class Peer {
 public:
  virtual ~Peer() = default;
  Peer() = default;
  Peer(const Peer &) = delete;
  Peer &operator=(const Peer &) = delete;

  // Queues or starts fn(arg). May block (ants' pure mode, a semaphore).
  // A failure is fatal for the run: the adapter calls bench::fail().
  virtual void submit(void *arg) = 0;

  // Runs the workload's submitting code. oneTBB's task_group must submit from
  // inside its arena; every other peer just calls body().
  virtual void run(const std::function<void()> &body) { body(); }

  // B7 (nested fork-join): called from inside a task of this pool, runs
  // fn(a) and fn(b) as two more tasks of the same pool - in the pool's own
  // idiom for waiting on them - and returns once both have finished. Only
  // peers whose PeerInfo::nested is set implement it.
  virtual void fork_join(TaskFn fn, void *a, void *b);
};

// What the harness knows about a peer.
struct PeerInfo {
  const char *id;     // short, used in benchmark names: B1/c2/asio
  const char *label;  // human name for tables and charts
  // False for thread per task: it keeps no workers, so B5 does not apply.
  bool keeps_workers;
  // Thread per task costs a thread start per task (~50 us here), so the
  // throughput workloads run it with fewer tasks to stay in the time budget.
  bool slow_start;
  // oneTBB: idle workers spin looking for work. With 10,000 of them on two
  // cores the machine drowns (load average in the thousands), so B2 at the
  // big capacity runs it once, with a short cap.
  bool spins_when_idle;
  std::unique_ptr<Peer> (*make)(int capacity, TaskFn fn);
  // Differs from another row only in what each submit costs (ants.hpp over
  // the same engine): runs only the per-task workloads B1, B3 and B6; B2,
  // B4 and B5 measure the engine, which the C rows already show.
  bool per_task_only = false;
  // Has a natural fork-join form (Peer::fork_join) that cannot deadlock: B7
  // runs it. A pool whose tasks can only block a worker while their
  // children wait in its queue (no help-while-waiting) is left out.
  bool nested = false;
  // Not a C/C++ pool driven in-process but Go's ants, run by the Go program
  // bench/goants (make is null; see go_body() in workloads.h). Not a
  // "peer" of issue 6's targets, which compare C and C++ pools.
  bool go = false;
};

// Every peer, in table order (libants first). Defined in registry.cpp.
const std::vector<PeerInfo> &all_peers();

// Prints "ants_bench: <what>" to stderr and ends the (child) process with
// status 2; the parent reports the run as failed.
[[noreturn]] void fail(const char *what);

}  // namespace bench

#endif
