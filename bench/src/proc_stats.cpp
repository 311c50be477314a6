// proc_stats.cpp - /proc/self/status and clock_gettime.
#include "proc_stats.h"

#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bench {

double now_s() {
  return static_cast<double>(now_ns()) * 1e-9;
}

int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

namespace {

// Returns the number after "<field>:" in /proc/self/status, or -1.
long status_field(const char *field) {
  FILE *f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1;
  char line[256];
  size_t n = std::strlen(field);
  long value = -1;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, field, n) == 0 && line[n] == ':') {
      value = std::strtol(line + n + 1, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return value;
}

}  // namespace

long status_kib(const char *field) {
  return status_field(field);
}

int thread_count() {
  return static_cast<int>(status_field("Threads"));
}

}  // namespace bench
