// busy.cpp - the spin loop and its calibration.
#include "busy.h"

#include <algorithm>

#include "proc_stats.h"

namespace bench {

uint64_t busy_chain(uint64_t seed, uint64_t iters) {
  uint64_t x = seed;
  for (uint64_t i = 0; i < iters; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    // Tells the compiler x is used, so the chain is really computed.
    asm volatile("" : "+r"(x));
  }
  return x;
}

void busy_spin(uint64_t iters) { (void)busy_chain(iters | 1, iters); }

uint64_t calibrate_busy(double target_ns) {
  const uint64_t probe = 1u << 16;  // ~0.1 ms: short enough to often run unpreempted
  busy_spin(probe * 16);            // warm the core up
  // The fastest of many short probes is the loop's real speed: on a shared
  // machine a median can include preemptions and make the task far shorter
  // than target_ns.
  double best = 0;
  for (int i = 0; i < 31; ++i) {
    int64_t t0 = now_ns();
    busy_spin(probe);
    double per = static_cast<double>(now_ns() - t0) / static_cast<double>(probe);
    if (i == 0 || per < best) best = per;
  }
  return std::max<uint64_t>(1, static_cast<uint64_t>(target_ns / best));
}
}  // namespace bench
