// main.cpp - ants_bench: libants against the pools a user would pick
// instead (issue 6). Usage (bench/run.sh wraps it):
//
//   ants_bench [--quick] [--results-dir=DIR] [--go-program=PATH] [--benchmark_* flags]
//
// --quick           small counts, one run each: a smoke test of every peer
// --results-dir=DIR write DIR/table.md and the chart data (DIR/*.dat)
// --go-program=PATH add the "Go ants v2" column: PATH is the Go program
//                   bench/goants (bench/run.sh builds it)
// --benchmark_filter=REGEX  e.g. 'B1/c2/' or '/libants' to run a subset
//
// Every measurement runs in a child process (see child.h); this process
// only forks, collects and reports.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "peer.h"
#include "suite.h"
#include "table_reporter.h"

namespace {

double stat_min(const std::vector<double> &v) { return *std::min_element(v.begin(), v.end()); }
double stat_max(const std::vector<double> &v) { return *std::max_element(v.begin(), v.end()); }

// A run longer than this is not repeated: the suite must stay within its
// time budget, and a pool that slow is not close to any other.
constexpr double kRepeatLimitS = 30;
const char kNotRepeated[] = "not repeated: the first run took over 30 s";

void run_one(benchmark::State &state, const bench::Spec &spec) {
  static std::map<std::string, double> first_wall;  // benchmark name -> seconds
  auto it = first_wall.find(spec.name);
  if (it != first_wall.end() && it->second > kRepeatLimitS) {
    state.SkipWithError(kNotRepeated);
    for (auto _ : state) {
    }
    return;
  }
  for (auto _ : state) {
    bench::ChildOutcome out = bench::run_in_child(spec.body, spec.run_cap_s, spec.teardown_cap_s);
    if (!out.ok) {
      // A run that timed out is not repeated either.
      if (out.error.rfind("timed out", 0) == 0) first_wall.emplace(spec.name, spec.run_cap_s);
      state.SkipWithError(out.error.c_str());
      break;
    }
    state.SetIterationTime(out.values[0]);
    first_wall.emplace(spec.name, out.values[0]);
    for (size_t i = 1; i < out.values.size() && i < spec.figures.size(); ++i) {
      state.counters[spec.figures[i]] = out.values[i];
    }
    if (spec.times_teardown) {
      state.counters["teardown_s"] = out.teardown_s;
      if (out.teardown_capped) state.counters["teardown_capped"] = 1;
    }
  }
}

}  // namespace

int main(int argc, char **argv) {
  bench::SuiteOptions opts;
  std::string results_dir;
  // Take our own flags out before Google Benchmark parses the rest.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      opts.quick = true;
    } else if (std::strncmp(argv[i], "--results-dir=", 14) == 0) {
      results_dir = argv[i] + 14;
    } else if (std::strncmp(argv[i], "--go-program=", 13) == 0) {
      opts.go_program = argv[i] + 13;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  static const std::vector<bench::Spec> suite = bench::build_suite(opts);
  for (const bench::Spec &spec : suite) {
    benchmark::RegisterBenchmark(spec.name.c_str(),
                                 [&spec](benchmark::State &st) { run_one(st, spec); })
        ->Iterations(1)
        ->Repetitions(spec.repetitions)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->ComputeStatistics("min", stat_min)
        ->ComputeStatistics("max", stat_max);
  }
  // Colour only on a terminal: run.sh tees the output into run.log.
  bench::TableReporter reporter(suite, results_dir, opts.quick,
                                isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Defaults
                                                      : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
