// workloads.cpp - the bodies of B1..B6. They run only in child processes,
// so the globals below start fresh for every run.
#include "workloads.h"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>

#include "alloc_counter.h"
#include "busy.h"
#include "child.h"
#include "completion.h"
#include "proc_stats.h"

namespace bench {

const std::vector<const char *> b1_figures = {"wall_s", "ns_per_task", "tasks_run"};
const std::vector<const char *> b2_figures = {"wall_s", "wall_over_ideal", "peak_rss_mib"};
const std::vector<const char *> b3_figures = {"wall_s", "wall_over_ideal", "task_us", "tasks_run"};
const std::vector<const char *> b4_figures = {"wall_s", "p50_us", "p99_us", "p999_us"};
const std::vector<const char *> b5_figures = {"wall_s", "kib_per_worker", "idle_cpu_ms_per_s",
                                              "threads_alive", "ran_at_once"};
const std::vector<const char *> b6_figures = {"wall_s", "allocs_per_task"};
const std::vector<const char *> b7_figures = {"wall_s", "speedup", "serial_s"};

namespace {

// The parent caps every run; this only turns a stuck round into a message.
constexpr double kRoundTimeoutS = 3600;

Completion g_done;
// Tasks a budgeted round lets wait in a pool's queue (see run_round).
constexpr int64_t kMaxBacklog = 100000;
// GLib rejects NULL task data, so argument-less tasks get this address.
char g_dummy_arg;

void count_task(void *) {
  g_done.done();
}

void sleep_for_ns(int64_t ns) {
  timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

// Submits n tasks with `arg` and waits for them all, inside the peer's
// submitting scope (oneTBB's arena). With budget_s > 0 it stops submitting
// once that much time has passed, so a pool that collapses cannot eat the
// suite's time; returns how many tasks it submitted (and waited for).
int64_t run_round(Peer &peer, int64_t n, void *arg, double budget_s = 0) {
  struct Round {
    Peer &peer;
    int64_t n;
    void *arg;
    double budget_s;
    int64_t submitted;
  } r{peer, n, arg, budget_s, 0};
  g_done.reset(n);
  // One captured pointer fits std::function's inline buffer: the harness
  // itself must not allocate inside B6's counted window.
  peer.run([p = &r] {
    const double stop_at = p->budget_s > 0 ? now_s() + p->budget_s : 0;
    int64_t i = 0;
    for (; i < p->n; ++i) {
      // Checked every 1,024 tasks: negligible next to a submit.
      if (stop_at > 0 && (i & 1023) == 1023) {
        if (now_s() > stop_at) {
          g_done.lower_target(i);
          break;
        }
        // A pool whose queue accepts tasks far faster than its workers run
        // them would leave the whole backlog to drain after the budget ran
        // out (oneTBB's task_group at concurrency 64: over a minute). Keep
        // the backlog bounded instead; kMaxBacklog tasks are milliseconds of
        // work even for the fastest pool, far more than the 0.2 ms pause, so
        // no pool's workers ever run dry because of it.
        while (i - g_done.count() > kMaxBacklog && now_s() <= stop_at) {
          sleep_for_ns(200 * 1000);
        }
      }
      p->peer.submit(p->arg);
    }
    p->submitted = i;
    if (!g_done.wait(kRoundTimeoutS)) fail("tasks did not finish");
  });
  return r.submitted;
}

void sleep_until_ns(int64_t deadline_ns) {
  timespec ts{static_cast<time_t>(deadline_ns / 1000000000),
              static_cast<long>(deadline_ns % 1000000000)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) != 0) {
  }
}

// ---- B2 --------------------------------------------------------------------
constexpr int64_t kSleepNs = 10 * 1000 * 1000;

void sleep_task(void *) {
  sleep_for_ns(kSleepNs);
  g_done.done();
}

// ---- B3 --------------------------------------------------------------------
uint64_t g_busy_iters;

void busy_task(void *) {
  busy_spin(g_busy_iters);
  g_done.done();
}

// ---- B4 --------------------------------------------------------------------
struct Sample {
  int64_t submit_ns;
  int64_t start_ns;
};

void stamp_task(void *arg) {
  static_cast<Sample *>(arg)->start_ns = now_ns();
  g_done.done();
}

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double> &sorted, double p) {
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

// ---- B5 --------------------------------------------------------------------
// Holds every task until `target` of them run at the same time, which proves
// the pool really started that many workers.
struct Gate {
  std::mutex mu;
  std::condition_variable all_arrived;
  std::condition_variable opened;
  int64_t target = 0;
  int64_t arrived = 0;  // guarded by mu
  bool open = false;    // guarded by mu
};
Gate g_gate;
constexpr double kGateTimeoutS = 120;
constexpr int kGateStallS = 2;

void gate_task(void *) {
  {
    std::unique_lock<std::mutex> lock(g_gate.mu);
    if (++g_gate.arrived == g_gate.target) g_gate.all_arrived.notify_one();
    // A pool that cannot run them all at once must not hang here forever.
    g_gate.opened.wait_for(lock, std::chrono::duration<double>(kGateTimeoutS),
                           [] { return g_gate.open; });
  }
  g_done.done();
}

// ---- B7 --------------------------------------------------------------------
// bench/goants/main.go computes the same values (leafValue, serialSum).
struct Range {
  int64_t lo, hi;
  uint64_t sum;
};
Peer *g_nested_peer;
int64_t g_grain;
uint64_t g_leaf_iters;

uint64_t serial_sum(int64_t lo, int64_t hi, uint64_t iters) {
  uint64_t s = 0;
  for (int64_t i = lo; i < hi; ++i) s += busy_chain(static_cast<uint64_t>(i) | 1, iters);
  return s;
}

void range_task(void *arg) {
  Range *r = static_cast<Range *>(arg);
  if (r->hi - r->lo <= g_grain) {
    r->sum = serial_sum(r->lo, r->hi, g_leaf_iters);
    return;
  }
  const int64_t mid = r->lo + (r->hi - r->lo) / 2;
  Range left{r->lo, mid, 0}, right{mid, r->hi, 0};
  g_nested_peer->fork_join(range_task, &left, &right);
  r->sum = left.sum + right.sum;
}

void root_task(void *arg) {
  range_task(arg);
  g_done.done();
}

}  // namespace

ChildBody b1_throughput(PeerMaker make, int concurrency, int64_t tasks, double budget_s) {
  return [=](std::unique_ptr<Peer> &keep) {
    keep = make(concurrency, count_task);
    // Warm-up: start the workers, fault in the queues.
    run_round(*keep, std::min<int64_t>(10000, tasks / 10 + 1), &g_dummy_arg, budget_s);
    double t0 = now_s();
    int64_t ran = run_round(*keep, tasks, &g_dummy_arg, budget_s);
    double wall = now_s() - t0;
    return std::vector<double>{wall, wall * 1e9 / static_cast<double>(ran),
                               static_cast<double>(ran)};
  };
}

ChildBody b2_sleepers(PeerMaker make, int capacity, int64_t tasks) {
  return [=](std::unique_ptr<Peer> &keep) {
    double t0 = now_s();
    keep = make(capacity, sleep_task);
    run_round(*keep, tasks, &g_dummy_arg);
    double wall = now_s() - t0;
    double ideal = static_cast<double>(tasks) * static_cast<double>(kSleepNs) * 1e-9 /
                   static_cast<double>(capacity);
    double peak_mib = static_cast<double>(status_kib("VmHWM")) / 1024.0;
    return std::vector<double>{wall, wall / ideal, peak_mib};
  };
}

ChildBody b3_cpu_bound(PeerMaker make, int concurrency, int64_t tasks, uint64_t busy_iters,
                       double budget_s) {
  return [=](std::unique_ptr<Peer> &keep) {
    g_busy_iters = busy_iters;
    // The task's own cost on this machine right now: the ideal is built on
    // it, so a neighbour slowing the CPU down does not flatter anyone.
    // The median of 9 batches, so one preemption does not skew it.
    const int64_t batch = std::min<int64_t>(tasks / 36 + 1, 11000);
    std::vector<double> per_task;
    for (int b = 0; b < 9; ++b) {
      double s0 = now_s();
      for (int64_t i = 0; i < batch; ++i) busy_spin(busy_iters);
      per_task.push_back((now_s() - s0) / static_cast<double>(batch));
    }
    std::sort(per_task.begin(), per_task.end());
    const double task_s = per_task[per_task.size() / 2];

    keep = make(concurrency, busy_task);
    run_round(*keep, std::min<int64_t>(2000, tasks / 10 + 1), &g_dummy_arg, budget_s);
    double t0 = now_s();
    int64_t ran = run_round(*keep, tasks, &g_dummy_arg, budget_s);
    double wall = now_s() - t0;
    double ideal = static_cast<double>(ran) * task_s / static_cast<double>(concurrency);
    return std::vector<double>{wall, wall / ideal, task_s * 1e6, static_cast<double>(ran)};
  };
}

ChildBody b4_wakeup(PeerMaker make, int concurrency, int64_t samples, double period_us) {
  return [=](std::unique_ptr<Peer> &keep) {
    keep = make(concurrency, stamp_task);
    const int64_t warm = std::min<int64_t>(200, samples / 10 + 1);
    std::vector<Sample> all(static_cast<size_t>(warm + samples));
    const int64_t period_ns = static_cast<int64_t>(period_us * 1000);
    Peer &peer = *keep;
    double t0 = now_s();
    g_done.reset(warm + samples);
    peer.run([&] {
      // An absolute schedule: a late wake-up does not stretch later gaps,
      // so the rate stays one task per period on average.
      int64_t next = now_ns();
      for (Sample &s : all) {
        next += period_ns;
        sleep_until_ns(next);
        s.submit_ns = now_ns();
        peer.submit(&s);
      }
      if (!g_done.wait(kRoundTimeoutS)) fail("tasks did not finish");
    });
    double wall = now_s() - t0;
    std::vector<double> lat;
    lat.reserve(static_cast<size_t>(samples));
    for (size_t i = static_cast<size_t>(warm); i < all.size(); ++i) {
      lat.push_back(static_cast<double>(all[i].start_ns - all[i].submit_ns) * 1e-3);
    }
    std::sort(lat.begin(), lat.end());
    return std::vector<double>{wall, percentile(lat, 0.50), percentile(lat, 0.99),
                               percentile(lat, 0.999)};
  };
}

ChildBody b5_idle(PeerMaker make, int workers, double idle_s) {
  return [=](std::unique_ptr<Peer> &keep) {
    const long base_kib = status_kib("VmRSS");
    double t0 = now_s();
    keep = make(workers, gate_task);
    Peer &peer = *keep;
    g_gate.target = workers;
    g_done.reset(workers);
    double ran_at_once = 0;
    peer.run([&] {
      for (int i = 0; i < workers; ++i) peer.submit(&g_dummy_arg);
      // Wait until all arrived, or until arrivals stall: a pool that queues
      // tasks behind busy workers (rvaser's per-thread queues) never runs them
      // all at once, and that is a finding, not a hang.
      std::unique_lock<std::mutex> lock(g_gate.mu);
      int64_t seen = -1;
      int stalled_s = 0;
      while (g_gate.arrived < workers && stalled_s < kGateStallS) {
        g_gate.all_arrived.wait_for(lock, std::chrono::seconds(1));
        stalled_s = g_gate.arrived == seen ? stalled_s + 1 : 0;
        seen = g_gate.arrived;
      }
      ran_at_once = static_cast<double>(g_gate.arrived);
      g_gate.open = true;
      g_gate.opened.notify_all();
      lock.unlock();
      if (!g_done.wait(kRoundTimeoutS)) fail("tasks did not finish");
    });
    double wall = now_s() - t0;
    // Give the workers a moment to park, as an idle pool's would be.
    sleep_for_ns(100 * 1000 * 1000);
    const long idle_kib = status_kib("VmRSS");
    // Read from outside the process (child_cpu_s): a reading from inside
    // costs the process ~3 ms at 10,000 threads, as much as it measures.
    double cpu0 = child_cpu_s();
    sleep_for_ns(static_cast<int64_t>(idle_s * 1e9));
    double cpu1 = child_cpu_s();
    if (cpu0 < 0 || cpu1 < 0) fail("cannot read the process CPU clock");
    double cpu_ms_per_s = (cpu1 - cpu0) * 1000.0 / idle_s;
    double kib = static_cast<double>(idle_kib - base_kib) / static_cast<double>(workers);
    return std::vector<double>{wall, kib, cpu_ms_per_s, static_cast<double>(thread_count() - 1),
                               ran_at_once};
  };
}

ChildBody b6_allocations(PeerMaker make, int concurrency, int64_t tasks) {
  return [=](std::unique_ptr<Peer> &keep) {
    keep = make(concurrency, count_task);
    // Steady state: workers started, queues grown, caches warm.
    run_round(*keep, std::min<int64_t>(20000, tasks), &g_dummy_arg);
    double t0 = now_s();
    alloc_counting_start();
    run_round(*keep, tasks, &g_dummy_arg);
    uint64_t allocs = alloc_counting_stop();
    double wall = now_s() - t0;
    return std::vector<double>{wall, static_cast<double>(allocs) / static_cast<double>(tasks)};
  };
}

ChildBody b7_nested(PeerMaker make, int concurrency, int64_t leaves, int64_t grain,
                    uint64_t leaf_iters, int serial_reps) {
  return [=](std::unique_ptr<Peer> &keep) {
    g_grain = grain;
    g_leaf_iters = leaf_iters;
    std::vector<double> serial;
    uint64_t want = 0;
    for (int i = 0; i < serial_reps; ++i) {
      double s0 = now_s();
      want = serial_sum(0, leaves, leaf_iters);
      serial.push_back(now_s() - s0);
    }
    std::sort(serial.begin(), serial.end());
    const double serial_s = serial[serial.size() / 2];

    keep = make(concurrency, root_task);
    g_nested_peer = keep.get();
    auto compute = [&] {
      Range root{0, leaves, 0};
      run_round(*keep, 1, &root);
      return root.sum;
    };
    compute();  // warm-up: start the workers
    double t0 = now_s();
    const uint64_t got = compute();
    double wall = now_s() - t0;
    if (got != want) fail("fork-join sum differs from the serial sum");
    return std::vector<double>{wall, serial_s / wall, serial_s};
  };
}

}  // namespace bench
