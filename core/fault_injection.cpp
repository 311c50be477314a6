// Compiled only into the test library ants::testing (ANTS_FAULT_INJECTION).
#include "fault_injection.h"

#include <atomic>
#include <cstdint>
#include <condition_variable>
#include <mutex>

namespace {
// Per kind: failures still to inject (< 0: every time) and failures injected.
std::atomic<int> g_budget[3];
std::atomic<int> g_skip[3];  // operations to let through before failing
std::atomic<int> g_hits[3];

// Holds (ants_fault_hold_next): armed per kind, released all at once.
std::mutex g_hold_mu;
std::condition_variable g_hold_cv;
std::atomic<bool> g_hold_armed[3];
bool g_hold_fail[3];      // guarded by g_hold_mu
int g_holding[3];         // guarded by g_hold_mu
uint64_t g_hold_round[3];  // bumped by unhold; guarded by g_hold_mu

bool valid(int kind) { return kind == ANTS_FAULT_THREAD_CREATE || kind == ANTS_FAULT_ALLOC; }
}  // namespace

extern "C" void ants_fault_inject(int kind, int count) {
  if (!valid(kind)) return;
  g_skip[kind].store(0, std::memory_order_relaxed);
  g_budget[kind].store(count, std::memory_order_relaxed);
}

extern "C" void ants_fault_inject_after(int kind, int skip, int count) {
  if (!valid(kind)) return;
  g_budget[kind].store(0, std::memory_order_relaxed);  // no failure while arming
  g_skip[kind].store(skip > 0 ? skip : 0, std::memory_order_relaxed);
  g_budget[kind].store(count, std::memory_order_relaxed);
}

extern "C" int ants_fault_hits(int kind) {
  return valid(kind) ? g_hits[kind].load(std::memory_order_relaxed) : 0;
}

extern "C" void ants_fault_hold_next(int kind, int then_fail) {
  if (!valid(kind)) return;
  std::lock_guard<std::mutex> lock(g_hold_mu);
  g_hold_fail[kind] = then_fail != 0;
  g_hold_armed[kind].store(true, std::memory_order_release);
}

extern "C" int ants_fault_holding(int kind) {
  if (!valid(kind)) return 0;
  std::lock_guard<std::mutex> lock(g_hold_mu);
  return g_holding[kind];
}

extern "C" void ants_fault_unhold(int kind) {
  if (!valid(kind)) return;
  std::lock_guard<std::mutex> lock(g_hold_mu);
  g_hold_armed[kind].store(false, std::memory_order_relaxed);
  ++g_hold_round[kind];
  g_hold_cv.notify_all();
}

namespace {
// Takes an armed hold, if any, and waits in it; returns whether to fail.
bool Hold(ants_fault_kind kind, bool *held) {
  *held = false;
  if (!g_hold_armed[kind].load(std::memory_order_acquire)) return false;
  std::unique_lock<std::mutex> lock(g_hold_mu);
  if (!g_hold_armed[kind].load(std::memory_order_relaxed)) return false;
  g_hold_armed[kind].store(false, std::memory_order_relaxed);  // one operation per hold
  *held = true;
  const bool then_fail = g_hold_fail[kind];
  const uint64_t round = g_hold_round[kind];
  ++g_holding[kind];
  g_hold_cv.wait(lock, [&] { return g_hold_round[kind] != round; });
  --g_holding[kind];
  return then_fail;
}
}  // namespace

namespace ants::fault {

bool fail(ants_fault_kind kind) {
  bool held;
  bool fail_held = Hold(kind, &held);
  if (held) {
    if (fail_held) g_hits[kind].fetch_add(1, std::memory_order_relaxed);
    return fail_held;
  }
  std::atomic<int> &budget = g_budget[kind];
  int left = budget.load(std::memory_order_relaxed);
  if (left == 0) return false;  // the common case: nothing armed
  std::atomic<int> &skip = g_skip[kind];
  for (int s = skip.load(std::memory_order_relaxed); s > 0;) {
    if (skip.compare_exchange_weak(s, s - 1, std::memory_order_relaxed)) return false;
  }
  for (;;) {
    if (left == 0) return false;
    if (left < 0) break;
    if (budget.compare_exchange_weak(left, left - 1, std::memory_order_relaxed)) break;
  }
  g_hits[kind].fetch_add(1, std::memory_order_relaxed);
  return true;
}

}  // namespace ants::fault
