// fork_epoch.h - how a pool notices that it now lives in a child process.
//
// fork() copies a pool's memory into the child but none of its worker
// threads, and its lock may have been held by one of them. A pthread_atfork
// child handler bumps a process-wide epoch; every pool remembers the epoch it
// was last valid in and, on its next use in the child, resets itself to a
// pool with no workers, no blocked callers and no queued tasks (those belong
// to the parent, which runs them). Workers are then started lazily again.
#ifndef ANTS_CORE_FORK_EPOCH_H
#define ANTS_CORE_FORK_EPOCH_H

#include <atomic>
#include <cstdint>
#include <mutex>

namespace ants {

// Bumped in the child of every fork().
extern std::atomic<uint32_t> g_fork_epoch;

// Serialises the resets of pools after a fork (two threads of the child may
// touch the same stale pool at once). Held across fork() by the atfork
// handlers, so a child never inherits it locked.
std::mutex &ForkResetMutex();

inline uint32_t CurrentForkEpoch() {
  return g_fork_epoch.load(std::memory_order_relaxed);
}

}  // namespace ants

#endif
