// futex.h - the Linux futex calls behind a worker's parking spot. A worker
// parks on its own word, so a hand-off wakes exactly the worker it chose
// (no thundering herd) and an uncontended hand-off costs no syscall at all
// when the worker is still spinning.
#ifndef ANTS_CORE_FUTEX_H
#define ANTS_CORE_FUTEX_H

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <ctime>

namespace ants {

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t),
              "futex words must be plain 32-bit integers");

// Sleeps while *word == expected, at most timeout_ns (< 0: no limit).
// May return early (spuriously, or on a signal): callers re-check their state.
inline void FutexWait(std::atomic<uint32_t> *word, uint32_t expected, int64_t timeout_ns) {
  struct timespec ts;
  struct timespec *tsp = nullptr;
  if (timeout_ns >= 0) {
    ts.tv_sec = static_cast<time_t>(timeout_ns / 1000000000);
    ts.tv_nsec = static_cast<long>(timeout_ns % 1000000000);
    tsp = &ts;
  }
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(word), FUTEX_WAIT_PRIVATE, expected, tsp,
          nullptr, 0);
}

inline void FutexWakeOne(std::atomic<uint32_t> *word) {
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr,
          0);
}

// A short pause for spin loops, kinder to the sibling hyperthread.
inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

}  // namespace ants

#endif
