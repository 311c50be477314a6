// slot_listeners.h - the holders of a pool's slots that can be asked to give
// idle ones back (ants_slot_listener_add). A pool asks them, never under its
// own lock, when a caller would wait while slots sit idle, when its capacity
// shrinks, and when it is released. Rare events, so a reader-writer lock is
// enough; it also makes Remove wait for calls in flight, so a holder may
// free its context as soon as Remove returns.
#ifndef ANTS_CORE_SLOT_LISTENERS_H
#define ANTS_CORE_SLOT_LISTENERS_H

#include <cstdint>
#include <shared_mutex>
#include <vector>

#include "ants.h"

namespace ants {

class SlotListeners {
 public:
  // A process-wide id, so a multipool registers one listener under the same
  // id with each of its sub-pools.
  static int64_t NewId();

  // bad_alloc propagates (the C API maps it to ANTS_ERR_NO_MEMORY).
  void Add(int64_t id, ants_slot_listener_fn fn, void *ctx, ants_pool *handle);
  bool Remove(int64_t id);
  // Asks every listener for up to count idle slots.
  void Ask(int count);

 private:
  struct Entry {
    int64_t id;
    ants_slot_listener_fn fn;
    void *ctx;
    ants_pool *handle;
  };
  std::shared_mutex mu_;
  std::vector<Entry> entries_;  // guarded by mu_
};

}  // namespace ants

#endif
