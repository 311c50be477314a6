// suite.h - which runs make up the suite, with how many tasks and repeats.
#ifndef ANTS_BENCH_SUITE_H
#define ANTS_BENCH_SUITE_H

#include <cstdint>
#include <string>
#include <vector>

#include "child.h"

namespace bench {

// One benchmark: one workload, one parameter, one peer.
struct Spec {
  std::string name;      // Google Benchmark name, e.g. "B1/c2/asio"
  std::string workload;  // "B1" .. "B7"
  std::string variant;   // "c2", "cap10000", ... ("" when the workload has one)
  std::string variant_label;  // "concurrency 2", "capacity 10,000"
  std::string detail;         // B7: "at most 64 leaves of ~100 ns" (for the table)
  size_t peer;                // index into all_peers()
  std::vector<const char *> figures;  // names of the body's figures
  int64_t tasks;         // tasks (or samples, or workers) per run
  bool reduced;          // fewer tasks than the others get (slow peers)
  bool times_teardown;   // report teardown_s as a figure
  double budget_s;       // B1/B3: submitting stops after this long (0: never)
  int repetitions;
  double run_cap_s;
  double teardown_cap_s;
  ChildBody body;
};

struct SuiteOptions {
  bool quick = false;
  double busy_ns = 1000;  // B3's task length
  double leaf_ns = 100;   // B7's leaf length
  // The Go program of the "Go ants v2" column (bench/goants, built by
  // bench/run.sh); empty: no Go column.
  std::string go_program;
};

// Builds the whole suite, in table order. Calibrates B3's spin loop.
std::vector<Spec> build_suite(const SuiteOptions &opts);

}  // namespace bench

#endif
