// busy.cpp - the spin loop and its calibration.
#include "busy.h"

#include <algorithm>
#include <vector>

#include "proc_stats.h"

namespace bench {

void busy_spin(uint64_t iters) {
  uint64_t x = iters | 1;
  for (uint64_t i = 0; i < iters; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    // Tells the compiler x is used, so the chain is really computed.
    asm volatile("" : "+r"(x));
  }
}

uint64_t calibrate_busy(double target_ns) {
  const uint64_t probe = 1u << 20;
  busy_spin(probe);  // warm the core up
  std::vector<double> ns_per_iter;
  for (int i = 0; i < 7; ++i) {
    int64_t t0 = now_ns();
    busy_spin(probe);
    ns_per_iter.push_back(static_cast<double>(now_ns() - t0) / static_cast<double>(probe));
  }
  std::sort(ns_per_iter.begin(), ns_per_iter.end());
  double per = ns_per_iter[ns_per_iter.size() / 2];
  return std::max<uint64_t>(1, static_cast<uint64_t>(target_ns / per));
}

}  // namespace bench
