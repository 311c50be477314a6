// busy.h - a calibrated CPU-bound task body for B3.
#ifndef ANTS_BENCH_BUSY_H
#define ANTS_BENCH_BUSY_H

#include <cstdint>

namespace bench {

// Spins for `iters` rounds of a dependent arithmetic chain the compiler
// cannot remove. No memory traffic, so two cores never contend.
void busy_spin(uint64_t iters);
// The same chain from `seed`, returning its end: B7's leaf values (which
// bench/goants computes identically, so every pool's sum can be checked).
uint64_t busy_chain(uint64_t seed, uint64_t iters);

// Rounds of busy_spin() that take about `target_ns` on this machine (the
// fastest of many short timings, so a neighbour's burst does not shorten it).
uint64_t calibrate_busy(double target_ns);

}  // namespace bench

#endif
