#include "spin_budget.h"

#include <algorithm>
#include <chrono>

#include "clock.h"
#include "futex.h"

namespace ants {

namespace {

// The cost of one pause, from the fastest of a few short runs: a run that
// was preempted or shared its core only reads slower, never faster.
double MeasurePauseNs() {
  constexpr int kPauses = 256;
  constexpr int kRuns = 8;
  double best = 1e9;
  for (int r = 0; r < kRuns; ++r) {
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < kPauses; ++i) CpuRelax();
    const double ns =
        std::chrono::duration<double, std::nano>(Clock::now() - start).count() / kPauses;
    best = std::min(best, ns);
  }
  // A CPU without a pause instruction (or a clock too coarse to see it)
  // still gets budgets of a sane length.
  return std::max(best, 1.0);
}

double PauseNs() {
  static const double ns = MeasurePauseNs();
  return ns;
}

}  // namespace

int PausesFor(int64_t ns) {
  return std::max(1, static_cast<int>(static_cast<double>(ns) / PauseNs()));
}

// About a microsecond (1.3 us: 100 pauses on the bench machine, where it
// was tuned): the pool's critical sections are a handful of
// pointer moves, so a held lock is almost always free again well within it.
int g_lock_spins = PausesFor(1300);

}  // namespace ants
