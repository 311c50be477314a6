// Compiled only into the test library ants::testing (ANTS_FAULT_INJECTION).
#include "fault_injection.h"

#include <atomic>

namespace {
// Per kind: failures still to inject (< 0: every time) and failures injected.
std::atomic<int> g_budget[3];
std::atomic<int> g_skip[3];  // operations to let through before failing
std::atomic<int> g_hits[3];

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

namespace ants::fault {

bool fail(ants_fault_kind kind) {
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
