// spin_budget.h - spin-wait budgets in time rather than in `pause` counts.
// What one pause costs varies 4-14x between CPUs (about 10 ns on many cores,
// 40 ns and more on others), so a budget of "100 pauses" would be 1 us on
// one machine and many on another. The engine states its budgets in
// nanoseconds and turns them into pause counts with a figure measured once
// per process on the CPU at hand; no clock is read while spinning.
#ifndef ANTS_CORE_SPIN_BUDGET_H
#define ANTS_CORE_SPIN_BUDGET_H

#include <cstdint>

namespace ants {

// How many CpuRelax() steps take about ns nanoseconds here (at least 1).
// The first call measures (some microseconds); later ones are a load.
int PausesFor(int64_t ns);

// The pool lock's spin before it sleeps, set from PausesFor at load time
// (0 before that, which is still correct: the lock then sleeps at once).
extern int g_lock_spins;

}  // namespace ants

#endif
