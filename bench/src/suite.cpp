// suite.cpp - the counts of issue 6 (full) and of the smoke test (quick).
//
// Budget: the full suite must finish well within 20 minutes on a 2-core
// machine. What keeps it there: thread per task runs fewer tasks in the
// throughput workloads (a thread start costs ~50 us, so 1,000,000 of them
// would take a minute per run), B1 and B3 stop submitting after a time
// budget (a pool that collapses at concurrency 64 would otherwise spend
// minutes per run; its ns/task is then over the tasks it ran), the slow
// workloads repeat 3 times instead of 5, and every run is killed at a cap
// (run_cap_s) and reported as timed out.
#include "suite.h"

#include <cstdio>
#include <string>

#include "busy.h"
#include "peer.h"
#include "workloads.h"

namespace bench {
namespace {

struct Counts {
  int64_t b1_tasks, b1_tasks_slow;
  int b1_reps_low, b1_reps_high;  // concurrency 2 / 64
  int64_t b2_tasks;
  int b2_caps[2];
  int b2_reps;
  int64_t b3_tasks, b3_tasks_slow;
  int b3_reps;
  int64_t b4_samples;
  int b4_reps;
  int b5_workers;
  double b5_idle_s;
  int b5_reps;
  int64_t b6_tasks, b6_tasks_slow;
  int b6_reps;
  int64_t b7_leaves, b7_grain;
  int b7_reps, b7_serial_reps;
  double budget_s;  // B1/B3: stop submitting after this long
  double run_cap_s, teardown_cap_s;
  double spinner_cap_s;  // B2 big capacity, oneTBB (see PeerInfo::spins_when_idle)
};

// Issue 6's counts.
Counts full_counts() {
  Counts c{};
  c.b1_tasks = 1000000;
  c.b1_tasks_slow = 20000;
  c.b1_reps_low = 5;
  c.b1_reps_high = 3;
  c.b2_tasks = 200000;
  c.b2_caps[0] = 10000;
  c.b2_caps[1] = 1000;
  c.b2_reps = 3;
  c.b3_tasks = 1000000;
  c.b3_tasks_slow = 20000;
  c.b3_reps = 5;
  c.b4_samples = 20000;
  c.b4_reps = 3;
  c.b5_workers = 10000;
  c.b5_idle_s = 1.0;
  c.b5_reps = 3;
  c.b6_tasks = 100000;
  c.b6_tasks_slow = 10000;
  c.b6_reps = 3;
  c.b7_leaves = int64_t{1} << 20;
  c.b7_grain = 64;
  c.b7_reps = 5;
  c.b7_serial_reps = 3;
  c.budget_s = 10;
  c.run_cap_s = 90;
  c.teardown_cap_s = 10;
  c.spinner_cap_s = 30;
  return c;
}

// Small enough to take every peer through every workload in a minute or two.
Counts quick_counts() {
  Counts c = full_counts();
  c.b1_tasks = 20000;
  c.b1_tasks_slow = 2000;
  c.b1_reps_low = c.b1_reps_high = 1;
  c.b2_tasks = 2000;
  c.b2_caps[0] = 1000;
  c.b2_caps[1] = 100;
  c.b2_reps = 1;
  c.b3_tasks = 20000;
  c.b3_tasks_slow = 2000;
  c.b3_reps = 1;
  c.b4_samples = 1000;
  c.b4_reps = 1;
  c.b5_workers = 500;
  c.b5_idle_s = 0.2;
  c.b5_reps = 1;
  c.b6_tasks = 10000;
  c.b6_tasks_slow = 2000;
  c.b6_reps = 1;
  c.b7_leaves = int64_t{1} << 16;
  c.b7_reps = 1;
  c.b7_serial_reps = 1;
  c.budget_s = 2;
  c.run_cap_s = 60;
  c.teardown_cap_s = 5;
  return c;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string with_commas(int64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

}  // namespace

std::vector<Spec> build_suite(const SuiteOptions &opts) {
  const Counts c = opts.quick ? quick_counts() : full_counts();
  const uint64_t busy_iters = calibrate_busy(opts.busy_ns);
  const uint64_t leaf_iters = calibrate_busy(opts.leaf_ns);
  const auto &peers = all_peers();
  std::vector<Spec> suite;

  auto add = [&](const char *workload, const std::string &variant, const std::string &label,
                 size_t peer, const std::vector<const char *> &figures, int64_t tasks,
                 bool reduced, int reps, ChildBody body) {
    Spec s;
    s.name = std::string(workload) + "/" + (variant.empty() ? "" : variant + "/") + peers[peer].id;
    s.workload = workload;
    s.variant = variant;
    s.variant_label = label;
    s.peer = peer;
    s.figures = figures;
    s.tasks = tasks;
    s.reduced = reduced;
    s.times_teardown = std::string(workload) == "B2";
    s.budget_s = (std::string(workload) == "B1" || std::string(workload) == "B3") ? c.budget_s : 0;
    s.repetitions = reps;
    s.run_cap_s = c.run_cap_s;
    s.teardown_cap_s = c.teardown_cap_s;
    s.body = std::move(body);
    suite.push_back(std::move(s));
  };
  // The Go column runs only when run.sh built its program.
  auto runs = [&](size_t p) { return !peers[p].go || !opts.go_program.empty(); };
  // A run of the Go program: the workload and its parameters as flags.
  auto go = [&](const char *workload, std::vector<std::string> flags) {
    flags.insert(flags.begin(), std::string("-workload=") + workload);
    flags.push_back("-teardown-cap=" + num(c.teardown_cap_s) + "s");
    return go_body(opts.go_program, flags);
  };

  for (int conc : {2, 64}) {
    for (size_t p = 0; p < peers.size(); ++p) {
      if (!runs(p)) continue;
      const bool slow = peers[p].slow_start;
      int64_t n = slow ? c.b1_tasks_slow : c.b1_tasks;
      add("B1", "c" + std::to_string(conc), "concurrency " + std::to_string(conc), p,
          b1_figures, n, slow, conc == 2 ? c.b1_reps_low : c.b1_reps_high,
          peers[p].go ? go("B1", {"-concurrency=" + std::to_string(conc), "-tasks=" + std::to_string(n),
                                  "-budget=" + num(c.budget_s)})
                      : b1_throughput(peers[p].make, conc, n, c.budget_s));
    }
  }
  for (int cap : c.b2_caps) {
    for (size_t p = 0; p < peers.size(); ++p) {
      // Unbounded thread per task has no capacity to compare against; the
      // semaphore variant is its bounded form.
      if (std::string(peers[p].id) == "thread" || peers[p].per_task_only || !runs(p)) continue;
      const bool drowns = peers[p].spins_when_idle && cap >= 10000;
      add("B2", "cap" + std::to_string(cap), "capacity " + with_commas(cap), p, b2_figures,
          c.b2_tasks, false, drowns ? 1 : c.b2_reps,
          peers[p].go ? go("B2", {"-capacity=" + std::to_string(cap), "-tasks=" + std::to_string(c.b2_tasks)})
                      : b2_sleepers(peers[p].make, cap, c.b2_tasks));
      if (drowns) suite.back().run_cap_s = c.spinner_cap_s;
    }
  }
  for (size_t p = 0; p < peers.size(); ++p) {
    if (!runs(p)) continue;
    const bool slow = peers[p].slow_start;
    int64_t n = slow ? c.b3_tasks_slow : c.b3_tasks;
    add("B3", "", "", p, b3_figures, n, slow, c.b3_reps,
        peers[p].go ? go("B3", {"-concurrency=2", "-tasks=" + std::to_string(n),
                                "-busy-iters=" + std::to_string(busy_iters), "-budget=" + num(c.budget_s)})
                    : b3_cpu_bound(peers[p].make, 2, n, busy_iters, c.budget_s));
  }
  for (size_t p = 0; p < peers.size(); ++p) {
    if (peers[p].per_task_only || !runs(p)) continue;
    add("B4", "", "", p, b4_figures, c.b4_samples, false, c.b4_reps,
        peers[p].go ? go("B4", {"-concurrency=2", "-tasks=" + std::to_string(c.b4_samples), "-period-us=100"})
                    : b4_wakeup(peers[p].make, 2, c.b4_samples, 100.0));
  }
  for (size_t p = 0; p < peers.size(); ++p) {
    if (!peers[p].keeps_workers || peers[p].per_task_only || !runs(p)) continue;
    add("B5", "", "", p, b5_figures, c.b5_workers, false, c.b5_reps,
        peers[p].go ? go("B5", {"-capacity=" + std::to_string(c.b5_workers), "-idle-s=" + num(c.b5_idle_s)})
                    : b5_idle(peers[p].make, c.b5_workers, c.b5_idle_s));
  }
  for (size_t p = 0; p < peers.size(); ++p) {
    if (!runs(p)) continue;
    const bool slow = peers[p].slow_start;
    int64_t n = slow ? c.b6_tasks_slow : c.b6_tasks;
    add("B6", "", "", p, b6_figures, n, slow, c.b6_reps,
        peers[p].go ? go("B6", {"-concurrency=2", "-tasks=" + std::to_string(n)})
                    : b6_allocations(peers[p].make, 2, n));
  }
  for (int conc : {1, 2}) {
    for (size_t p = 0; p < peers.size(); ++p) {
      if (!peers[p].nested || !runs(p)) continue;
      add("B7", "c" + std::to_string(conc), "concurrency " + std::to_string(conc), p,
          b7_figures, c.b7_leaves, false, c.b7_reps,
          peers[p].go ? go("B7", {"-concurrency=" + std::to_string(conc), "-leaves=" + std::to_string(c.b7_leaves),
                                  "-grain=" + std::to_string(c.b7_grain), "-busy-iters=" + std::to_string(leaf_iters),
                                  "-serial-reps=" + std::to_string(c.b7_serial_reps)})
                      : b7_nested(peers[p].make, conc, c.b7_leaves, c.b7_grain, leaf_iters,
                                  c.b7_serial_reps));
      suite.back().detail = "at most " + std::to_string(c.b7_grain) + " leaves, each " +
                            std::to_string(leaf_iters) + " rounds of B3's spin loop (~" +
                            num(opts.leaf_ns) + " ns when timed alone),";
    }
  }
  return suite;
}

}  // namespace bench
