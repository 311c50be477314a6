#include "slot_listeners.h"

#include <atomic>
#include <mutex>

namespace ants {

int64_t SlotListeners::NewId() {
  static std::atomic<int64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

void SlotListeners::Add(int64_t id, ants_slot_listener_fn fn, void *ctx, ants_pool *handle) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  entries_.push_back(Entry{id, fn, ctx, handle});
}

bool SlotListeners::Remove(int64_t id) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->id == id) {
      entries_.erase(it);
      return true;
    }
  }
  return false;
}

void SlotListeners::Ask(int count) {
  // Shared: listeners of one pool may be asked from several threads at
  // once, and a listener may call back into the pool (ants_slot_release).
  std::shared_lock<std::shared_mutex> lock(mu_);
  for (const Entry &e : entries_) e.fn(e.ctx, e.handle, count);
}

}  // namespace ants
