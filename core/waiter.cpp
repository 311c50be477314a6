#include "waiter.h"

#include "futex.h"

namespace ants {

void Waiter::Wake() {
  FutexWakeOne(&state);
}

void Waiter::Report() {
  const bool granted = state.load(std::memory_order_acquire) == kGranted;
  grant(grant_ctx, granted ? ANTS_OK : ANTS_ERR_POOL_CLOSED, granted ? slot : 0);
  delete this;
}

Waiter::State Waiter::Await(const Deadline &deadline) {
  for (;;) {
    uint32_t s = state.load(std::memory_order_acquire);
    if (s != kWaiting) return static_cast<State>(s);
    int64_t left = -1;
    if (!deadline.never()) {
      left = deadline.remaining_ns();
      if (left == 0) return kWaiting;
    }
    FutexWait(&state, kWaiting, left);
  }
}

}  // namespace ants
