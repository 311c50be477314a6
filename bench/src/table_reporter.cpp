// table_reporter.cpp - Markdown tables, the targets of issue 6, chart data.
#include "table_reporter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>

#include "peer.h"

namespace bench {
namespace {

std::string fmt(double v, int precision) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", precision, v);
  return buf;
}

// Markdown cells must not contain '|' or newlines.
std::string md_escape(std::string s) {
  for (char &ch : s) {
    if (ch == '|' || ch == '\n') ch = ' ';
  }
  return s;
}

bool is_libants(size_t peer) {
  return std::string(all_peers()[peer].id).rfind("libants", 0) == 0;
}

}  // namespace

TableReporter::TableReporter(const std::vector<Spec> &suite, std::string dir, bool quick,
                             OutputOptions console_options)
    : ConsoleReporter(console_options), suite_(suite), dir_(std::move(dir)), quick_(quick) {}

void TableReporter::ReportRuns(const std::vector<Run> &runs) {
  for (const Run &run : runs) {
    if (run.run_type != Run::RT_Iteration) continue;
    Collected &c = results_[run.run_name.function_name];
    if (run.error_occurred) {
      c.errors.push_back(run.error_message);
      continue;
    }
    std::map<std::string, double> figs;
    figs["wall_s"] = run.real_accumulated_time;
    for (const auto &kv : run.counters) figs[kv.first] = kv.second.value;
    c.reps.push_back(std::move(figs));
  }
  ConsoleReporter::ReportRuns(runs);
}

const Spec *TableReporter::find(const std::string &workload, const std::string &variant,
                                size_t peer) const {
  for (const Spec &s : suite_) {
    if (s.workload == workload && s.variant == variant && s.peer == peer) return &s;
  }
  return nullptr;
}

TableReporter::Stat TableReporter::stat(const Spec *spec, const std::string &figure) const {
  Stat st;
  if (spec == nullptr) return st;
  auto it = results_.find(spec->name);
  if (it == results_.end()) return st;
  std::vector<double> v;
  for (const auto &rep : it->second.reps) {
    auto f = rep.find(figure);
    if (f != rep.end()) v.push_back(f->second);
  }
  if (v.empty()) return st;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  st.present = true;
  st.median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  st.min = v.front();
  st.max = v.back();
  return st;
}

std::string TableReporter::cell(const Spec *spec, const std::string &figure, int precision,
                                double scale) const {
  if (spec == nullptr) return "—";
  auto it = results_.find(spec->name);
  if (it == results_.end()) return "not run";
  const Collected &c = it->second;
  if (c.reps.empty()) {
    return c.errors.empty() ? "not run" : "failed: " + md_escape(c.errors.front());
  }
  Stat st = stat(spec, figure);
  if (!st.present) return "—";
  std::string out;
  if (figure == "teardown_s" && stat(spec, "teardown_capped").present) {
    out = "> " + fmt(spec->teardown_cap_s, 0) + " (killed)";
  } else {
    out = fmt(st.median * scale, precision);
    if (c.reps.size() > 1) {
      out += " (" + fmt(st.min * scale, precision) + "–" + fmt(st.max * scale, precision) + ")";
    }
  }
  Stat ran = stat(spec, "tasks_run");
  if (ran.present && ran.min < static_cast<double>(spec->tasks)) {
    out += " ‡ " + fmt(ran.min, 0) + " tasks";
  }
  size_t skipped = 0;
  for (const std::string &e : c.errors) skipped += e.rfind("not repeated", 0) == 0 ? 1 : 0;
  if (skipped > 0) out += " (1 run: over 30 s, not repeated)";
  if (c.errors.size() > skipped) {
    out += " [" + std::to_string(c.errors.size() - skipped) +
           " run(s) failed: " + md_escape(c.errors.front()) + "]";
  }
  return out;
}

std::vector<std::string> TableReporter::variants(const std::string &workload) const {
  std::vector<std::string> out;
  for (const Spec &s : suite_) {
    if (s.workload == workload && std::find(out.begin(), out.end(), s.variant) == out.end()) {
      out.push_back(s.variant);
    }
  }
  return out;
}

std::string TableReporter::tables() const {
  struct Column {
    std::string variant, figure, header;
    int precision;
    double scale = 1;  // shown: figure × scale
  };
  const auto &peers = all_peers();
  std::ostringstream md;

  auto reps_text = [&](const std::string &workload) {
    std::ostringstream t;
    std::vector<std::string> parts;
    for (const std::string &v : variants(workload)) {
      for (const Spec &s : suite_) {
        if (s.workload == workload && s.variant == v) {
          parts.push_back(std::to_string(s.repetitions) +
                          (v.empty() ? "" : " at " + s.variant_label));
          break;
        }
      }
    }
    for (size_t i = 0; i < parts.size(); ++i) t << (i ? ", " : "") << parts[i];
    return t.str();
  };

  auto table = [&](const std::string &workload, const std::vector<Column> &cols,
                   const std::string &note) {
    md << note << " Each cell: median (min–max) of the runs (" << reps_text(workload)
       << " runs per pool).\n\n| Pool |";
    for (const Column &c : cols) md << " " << c.header << " |";
    md << "\n|---|";
    for (size_t i = 0; i < cols.size(); ++i) md << "---:|";
    md << "\n";
    for (size_t p = 0; p < peers.size(); ++p) {
      bool any = false, reduced = false;
      for (const Column &c : cols) {
        const Spec *s = find(workload, c.variant, p);
        any = any || s != nullptr;
        reduced = reduced || (s != nullptr && s->reduced);
      }
      if (!any) continue;
      md << "| " << (is_libants(p) ? "**" : "") << peers[p].label << (is_libants(p) ? "**" : "")
         << (reduced ? " †" : "") << " |";
      for (const Column &c : cols) {
        if (c.figure == "ratio_hi_lo") {  // B1: concurrency 64 over concurrency 2
          auto v = variants(workload);
          Stat lo = stat(find(workload, v.front(), p), "ns_per_task");
          Stat hi = stat(find(workload, v.back(), p), "ns_per_task");
          md << " " << (lo.present && hi.present ? fmt(hi.median / lo.median, 2) + "×" : "—")
             << " |";
        } else {
          md << " " << cell(find(workload, c.variant, p), c.figure, c.precision, c.scale) << " |";
        }
      }
      md << "\n";
    }
    md << "\n";
  };

  auto tasks_of = [&](const std::string &workload, bool reduced) -> std::string {
    for (const Spec &s : suite_) {
      if (s.workload == workload && s.reduced == reduced) {
        std::string n = std::to_string(s.tasks);
        for (int i = static_cast<int>(n.size()) - 3; i > 0; i -= 3) {
          n.insert(static_cast<size_t>(i), ",");
        }
        return n;
      }
    }
    return "?";
  };
  const std::string dagger_note =
      " † fewer tasks for thread per task, whose every task starts a thread (~50 µs here).";
  double budget = 0;
  for (const Spec &s : suite_) budget = std::max(budget, s.budget_s);
  const std::string budget_note =
      " ‡ the run stopped submitting at its " + fmt(budget, 0) +
      " s time budget (shown: the fewest tasks a run got through); the figure is over the "
      "tasks that ran.";

  {
    auto v = variants("B1");
    md << "### B1 — throughput: empty tasks from one submitter (ns per task, lower is better)\n\n"
       << tasks_of("B1", false) << " tasks per run (" << tasks_of("B1", true) << " †)."
       << dagger_note << budget_note;
    std::vector<Column> cols;
    for (const std::string &var : v) {
      cols.push_back({var, "ns_per_task", "ns/task, " + find("B1", var, 0)->variant_label, 0});
    }
    cols.push_back({"", "ratio_hi_lo", "high / low concurrency", 2});
    table("B1", cols, "");
  }
  {
    md << "### B2 — " << tasks_of("B2", false)
       << " tasks sleeping 10 ms (wall time / ideal, lower is better; ideal = tasks × 10 ms / "
          "capacity)\n\nTimed from pool creation to the last task's end; peak RSS is the "
          "child process's VmHWM; teardown (destroying the pool) is timed separately and "
          "capped.";
    std::vector<Column> cols;
    for (const std::string &var : variants("B2")) {
      std::string l = find("B2", var, 0)->variant_label;
      cols.push_back({var, "wall_over_ideal", "wall/ideal, " + l, 2});
      cols.push_back({var, "peak_rss_mib", "peak RSS MiB, " + l, 1});
      cols.push_back({var, "teardown_s", "teardown s, " + l, 2});
    }
    table("B2", cols, "");
  }
  {
    md << "### B3 — " << tasks_of("B3", false)
       << " CPU-bound tasks of ~1 µs, concurrency 2 (wall time / ideal, lower is better)\n\n"
          "Ideal = tasks × the task's own cost (measured serially in the same process just "
          "before) / 2."
       << dagger_note << budget_note;
    table("B3", {{"", "wall_over_ideal", "wall/ideal", 2}, {"", "task_us", "task µs", 2}}, "");
  }
  {
    md << "### B4 — wake-up latency: one task every ~100 µs into an idle pool of 2 "
          "(µs from submit to task start, lower is better)\n\n"
       << tasks_of("B4", false) << " samples per run.";
    table(
        "B4",
        {{"", "p50_us", "p50 µs", 1}, {"", "p99_us", "p99 µs", 1}, {"", "p999_us", "p99.9 µs", 1}},
        "");
  }
  {
    md << "### B5 — idle cost after " << tasks_of("B5", false)
       << " workers ran at once and went idle\n\nKiB per worker = (RSS 100 ms after the last "
          "task − RSS before the pool) / workers. Idle CPU = CPU time the whole process used "
          "over the next idle second(s), per second, read by the parent through the child's "
          "process CPU clock (read from inside, the kernel's sum over 10,000 threads costs ~3 ms, "
          "as much as it measures; Go's program reads its own, with a handful of threads). Threads "
          "alive = at the end of that window "
          "(a pool may let idle workers expire). Ran at once = tasks that were running together at "
          "the gate (a pool that queues tasks behind busy workers cannot reach the full count). "
          "Thread per task keeps no workers: not run.";
    table("B5",
          {{"", "kib_per_worker", "KiB per idle worker", 1},
           {"", "idle_cpu_ms_per_s", "idle CPU ms/s", 1},
           {"", "threads_alive", "threads alive", 0},
           {"", "ran_at_once", "ran at once", 0}},
          "");
  }
  {
    md << "### B6 — heap allocations per submitted task, steady state (concurrency 2)\n\n"
       << tasks_of("B6", false) << " tasks per run after a warm-up (" << tasks_of("B6", true)
       << " †), counted in every thread by a malloc interposer. oneTBB and GLib keep their own "
          "allocators (tbbmalloc, GSlice), whose recycling the counter does not see."
       << dagger_note;
    table("B6", {{"", "allocs_per_task", "allocations per task", 4}}, "");
  }
  if (!variants("B7").empty()) {
    auto v = variants("B7");
    md << "### B7 — nested fork-join: a recursive sum over " << tasks_of("B7", false)
       << " leaves (speed-up over the serial computation, higher is better)\n\n"
          "Each task sums a range of "
       << find("B7", v.front(), 0)->detail
       << " itself, else submits both halves as tasks of the same pool and waits for "
          "them. Speed-up = the serial computation's time (a plain loop over the leaves, median "
          "of runs in the same process just before) / the pool's wall time from submitting "
          "the root to its end; 1 thread can at best reach 1, 2 threads 2. Only pools with a "
          "wait that cannot deadlock are run (bench/README.md).";
    std::vector<Column> cols = {{v.front(), "serial_s", "serial ms", 1, 1000}};
    for (const std::string &var : v) {
      std::string l = find("B7", var, 0)->variant_label;
      cols.push_back({var, "wall_s", "wall ms, " + l, 1, 1000});
      cols.push_back({var, "speedup", "speed-up, " + l, 2});
    }
    table("B7", cols, "");
  }
  return md.str();
}

std::string TableReporter::targets() const {
  const auto &peers = all_peers();
  std::vector<size_t> libs, others;
  for (size_t p = 0; p < peers.size(); ++p) {
    // Issue 6's targets compare libants with the C and C++ pools only.
    if (peers[p].go) continue;
    (is_libants(p) ? libs : others).push_back(p);
  }

  std::ostringstream md;
  md << "### Issue 6 targets\n\n";
  if (quick_) {
    md << "_Quick mode: counts are far below issue 6's, so these verdicts are a smoke test "
          "only._\n\n";
  }
  md << "| Target | Limit |";
  for (size_t p : libs) md << " " << peers[p].label << " |";
  md << "\n|---|---|";
  for (size_t i = 0; i < libs.size(); ++i) md << "---|";
  md << "\n";

  // A row: `value(lib)` against `limit`; met when value <= limit.
  auto row = [&](const std::string &name, double limit, const std::string &limit_text,
                 int precision, const std::string &unit, const std::function<Stat(size_t)> &value) {
    md << "| " << name << " | " << limit_text << " |";
    for (size_t p : libs) {
      Stat v = value(p);
      if (!v.present || std::isnan(limit)) {
        md << " — |";
        continue;
      }
      md << " " << fmt(v.median, precision) << unit << ": ";
      if (v.median <= limit) {
        md << "**met** |";
      } else if (limit <= 0) {
        md << "missed |";
      } else {
        md << "missed by " << fmt((v.median / limit - 1) * 100, 0) << "% |";
      }
    }
    md << "\n";
  };
  // The best (lowest) median of a figure over the non-libants peers.
  auto best_peer = [&](const std::string &w, const std::string &var, const std::string &fig,
                       std::string *who) {
    double best = NAN;
    for (size_t p : others) {
      Stat s = stat(find(w, var, p), fig);
      if (s.present && (std::isnan(best) || s.median < best)) {
        best = s.median;
        *who = peers[p].label;
      }
    }
    return best;
  };

  auto b1 = variants("B1");
  if (!b1.empty()) {
    std::string who;
    double best = best_peer("B1", b1.front(), "ns_per_task", &who);
    row("B1 " + find("B1", b1.front(), 0)->variant_label + ": ≤ 0.8 × the best peer's ns/task",
        0.8 * best, fmt(0.8 * best, 0) + " ns (best: " + who + ", " + fmt(best, 0) + ")", 0, " ns",
        [&](size_t p) { return stat(find("B1", b1.front(), p), "ns_per_task"); });
    row("B1 " + find("B1", b1.back(), 0)->variant_label +
            ": ≤ 1.5 × its own low-concurrency "
            "figure",
        1.5, "1.5×", 2, "×", [&](size_t p) {
          Stat lo = stat(find("B1", b1.front(), p), "ns_per_task");
          Stat hi = stat(find("B1", b1.back(), p), "ns_per_task");
          Stat r;
          r.present = lo.present && hi.present;
          if (r.present) r.median = hi.median / lo.median;
          return r;
        });
  }
  auto b2 = variants("B2");
  for (size_t i = 0; i < b2.size(); ++i) {
    const double limit = i == 0 ? 3.0 : 1.05;
    const std::string label = find("B2", b2[i], 0)->variant_label;
    row("B2 " + label + ": wall / ideal", limit, fmt(limit, 2) + "×", 2, "×",
        [&](size_t p) { return stat(find("B2", b2[i], p), "wall_over_ideal"); });
    std::string who;
    double best = best_peer("B2", b2[i], "peak_rss_mib", &who);
    row("B2 " + label + ": peak RSS ≤ the best C/C++ peer's", best,
        fmt(best, 1) + " MiB (" + who + ")", 1, " MiB",
        [&](size_t p) { return stat(find("B2", b2[i], p), "peak_rss_mib"); });
  }
  row("B3: wall / ideal", 1.15, "1.15×", 2, "×",
      [&](size_t p) { return stat(find("B3", "", p), "wall_over_ideal"); });
  row("B4: p50 wake-up latency", 5, "5 µs", 1, " µs",
      [&](size_t p) { return stat(find("B4", "", p), "p50_us"); });
  row("B4: p99 wake-up latency", 20, "20 µs", 1, " µs",
      [&](size_t p) { return stat(find("B4", "", p), "p99_us"); });
  // "≈ 0": under 1 ms per second is 0.1% of one core, below this machine's noise.
  row("B5: idle CPU", 1, "≈ 0 (≤ 1 ms/s)", 1, " ms/s",
      [&](size_t p) { return stat(find("B5", "", p), "idle_cpu_ms_per_s"); });
  row("B5: RSS per idle worker", 8, "8 KiB", 1, " KiB",
      [&](size_t p) { return stat(find("B5", "", p), "kib_per_worker"); });
  row("B6: allocations per submit", 0, "0", 4, "",
      [&](size_t p) { return stat(find("B6", "", p), "allocs_per_task"); });
  md << "\n";
  return md.str();
}

void TableReporter::write_dat(const std::string &file, const std::string &workload,
                              const std::string &variant,
                              const std::vector<std::string> &figures) const {
  // A filtered run must not blank out the chart data of workloads it skipped.
  bool any = false;
  for (const Spec &s : suite_) {
    any = any || (s.workload == workload && s.variant == variant && results_.count(s.name));
  }
  if (!any) return;
  std::ofstream out(dir_ + "/" + file);
  out << "# pool";
  for (const std::string &f : figures) out << "  " << f << " min max";
  out << "\n";
  const auto &peers = all_peers();
  for (size_t p = 0; p < peers.size(); ++p) {
    const Spec *s = find(workload, variant, p);
    if (s == nullptr) continue;
    out << '"' << peers[p].label << '"';
    for (const std::string &f : figures) {
      Stat st = stat(s, f);
      if (st.present) {
        out << ' ' << st.median << ' ' << st.min << ' ' << st.max;
      } else {
        out << " NaN NaN NaN";
      }
    }
    out << "\n";
  }
}

void TableReporter::Finalize() {
  ConsoleReporter::Finalize();
  if (dir_.empty()) return;
  {
    std::ofstream md(dir_ + "/table.md");
    md << targets() << tables();
  }
  auto b1 = variants("B1");
  auto b2 = variants("B2");
  std::ofstream titles(dir_ + "/titles.gp");
  if (b1.size() == 2) {
    write_dat("b1_low.dat", "B1", b1[0], {"ns_per_task"});
    write_dat("b1_high.dat", "B1", b1[1], {"ns_per_task"});
    titles << "t_b1_low = \"B1 ns per empty task, " << find("B1", b1[0], 0)->variant_label
           << "\"\n";
    titles << "t_b1_high = \"B1 ns per empty task, " << find("B1", b1[1], 0)->variant_label
           << "\"\n";
  }
  if (b2.size() == 2) {
    write_dat("b2_big.dat", "B2", b2[0], {"wall_over_ideal"});
    write_dat("b2_small.dat", "B2", b2[1], {"wall_over_ideal"});
    titles << "t_b2_big = \"B2 sleeping tasks, wall / ideal, "
           << find("B2", b2[0], 0)->variant_label << "\"\n";
    titles << "t_b2_small = \"B2 sleeping tasks, wall / ideal, "
           << find("B2", b2[1], 0)->variant_label << "\"\n";
  }
  write_dat("b3.dat", "B3", "", {"wall_over_ideal"});
  write_dat("b4.dat", "B4", "", {"p50_us", "p99_us"});
  write_dat("b5.dat", "B5", "", {"kib_per_worker"});
  write_dat("b6.dat", "B6", "", {"allocs_per_task"});
  write_dat("b7_c1.dat", "B7", "c1", {"speedup"});
  write_dat("b7_c2.dat", "B7", "c2", {"speedup"});
}

}  // namespace bench
