// proc_stats.h - clocks and what the kernel says about this process.
#ifndef ANTS_BENCH_PROC_STATS_H
#define ANTS_BENCH_PROC_STATS_H

#include <cstdint>

namespace bench {

// CLOCK_MONOTONIC, in seconds and in nanoseconds.
double now_s();
int64_t now_ns();

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"); -1 if absent.
long status_kib(const char *field);
// Threads of this process (the "Threads:" line of /proc/self/status).
int thread_count();

}  // namespace bench

#endif
