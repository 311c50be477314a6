// table_reporter.h - turns the suite's runs into the results table and the
// chart's data, while Google Benchmark's console output goes on as usual.
#ifndef ANTS_BENCH_TABLE_REPORTER_H
#define ANTS_BENCH_TABLE_REPORTER_H

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

#include "suite.h"

namespace bench {

class TableReporter final : public benchmark::ConsoleReporter {
 public:
  // Writes into `dir` (if not empty) on Finalize(): table.md (Markdown, one
  // table per workload plus the issue-6 targets) and one <panel>.dat per
  // chart panel for bench/plot.gp.
  TableReporter(const std::vector<Spec> &suite, std::string dir, bool quick,
                OutputOptions console_options);

  void ReportRuns(const std::vector<Run> &runs) override;
  void Finalize() override;

  // One figure over the repetitions of one benchmark.
  struct Stat {
    bool present = false;
    double median = 0, min = 0, max = 0;
  };

 private:
  struct Collected {
    std::vector<std::map<std::string, double>> reps;  // figures of each good run
    std::vector<std::string> errors;
  };

  const Spec *find(const std::string &workload, const std::string &variant, size_t peer) const;
  Stat stat(const Spec *spec, const std::string &figure) const;
  // "median (min-max)" of figure × scale, "—" (not run), or the error.
  std::string cell(const Spec *spec, const std::string &figure, int precision,
                   double scale = 1) const;
  std::vector<std::string> variants(const std::string &workload) const;

  std::string tables() const;
  std::string targets() const;
  void write_dat(const std::string &file, const std::string &workload,
                 const std::string &variant, const std::vector<std::string> &figures) const;

  const std::vector<Spec> &suite_;
  std::string dir_;
  bool quick_;
  std::map<std::string, Collected> results_;
};

}  // namespace bench

#endif
