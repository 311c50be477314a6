// workloads.h - B1..B6 of issue 6, each as the body of a child process.
//
// Every body returns its figures as doubles; figure 0 is always the wall
// time of the measured part in seconds (the benchmark's manual time), the
// rest are named by the matching *_figures list. See bench/README.md for
// what each workload does and why.
#ifndef ANTS_BENCH_WORKLOADS_H
#define ANTS_BENCH_WORKLOADS_H

#include <cstdint>
#include <vector>

#include "child.h"
#include "peer.h"

namespace bench {

using PeerMaker = std::unique_ptr<Peer> (*)(int capacity, TaskFn fn);

// B1 and B3 stop submitting after `budget_s` seconds (a pool that collapses
// must not eat the suite's time); their figures are then over the tasks
// that ran, which `tasks_run` reports.

// B1: `tasks` empty tasks (one atomic increment) from one submitter into a
// pool of `concurrency` workers. Figures: wall_s, ns_per_task, tasks_run.
ChildBody b1_throughput(PeerMaker make, int concurrency, int64_t tasks, double budget_s);
extern const std::vector<const char *> b1_figures;

// B2: `tasks` tasks sleeping 10 ms each, pool of `capacity`; timed from pool
// creation. Figures: wall_s, wall_over_ideal, peak_rss_mib.
ChildBody b2_sleepers(PeerMaker make, int capacity, int64_t tasks);
extern const std::vector<const char *> b2_figures;

// B3: `tasks` CPU-bound tasks of `busy_iters` spin rounds (~1 us), pool of
// `concurrency`. Figures: wall_s, wall_over_ideal, task_us (the task's own
// cost, measured serially in the same process just before), tasks_run.
ChildBody b3_cpu_bound(PeerMaker make, int concurrency, int64_t tasks, uint64_t busy_iters,
                       double budget_s);
extern const std::vector<const char *> b3_figures;

// B4: `samples` tasks one every ~period_us into an idle pool of
// `concurrency`; latency from just before submit to the task's first
// instruction. Figures: wall_s, p50_us, p99_us, p999_us.
ChildBody b4_wakeup(PeerMaker make, int concurrency, int64_t samples, double period_us);
extern const std::vector<const char *> b4_figures;

// B5: `workers` tasks held at a gate until all run at once, then released;
// RSS measured once the pool has gone idle, then the pool's CPU use over
// `idle_s`. Figures: wall_s, kib_per_worker, idle_cpu_ms_per_s,
// threads_alive (after the idle window), ran_at_once (tasks that were at
// the gate together: below `workers` when the pool cannot run them all).
ChildBody b5_idle(PeerMaker make, int workers, double idle_s);
extern const std::vector<const char *> b5_figures;

// B6: heap allocations per task over `tasks` empty tasks after a warm-up,
// pool of `concurrency`. Figures: wall_s, allocs_per_task.
ChildBody b6_allocations(PeerMaker make, int concurrency, int64_t tasks);
extern const std::vector<const char *> b6_figures;

// B7: nested fork-join. The sum over `leaves` leaves, each `leaf_iters`
// rounds of the spin loop; a task sums a range of at most `grain` leaves
// itself, else forks both halves as tasks of the same pool and waits for
// them (Peer::fork_join). The root is submitted from outside, like every
// other workload's tasks. Timed after one warm-up computation; the result is
// checked against the serial sum. Figures: wall_s, speedup (serial / wall),
// serial_s (median of `serial_reps` serial computations in the same process
// just before).
ChildBody b7_nested(PeerMaker make, int concurrency, int64_t leaves, int64_t grain,
                    uint64_t leaf_iters, int serial_reps);
extern const std::vector<const char *> b7_figures;

// Go's ants: one run of the Go program `program` (bench/goants) with
// `args`; its figures are those of the workload it runs, in the same order.
// The returned peer stands for the Go process: destroying it waits for the
// process to exit, so B2's teardown is the Go pool's release and exit.
ChildBody go_body(const std::string &program, const std::vector<std::string> &args);

}  // namespace bench

#endif
