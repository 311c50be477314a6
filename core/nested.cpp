#include "nested.h"

#include <pthread.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "ants.h"

namespace ants::nested {

namespace {

struct ThreadState {
  int depth = 0;
  // Inline runs stop once the stack pointer is below this address (stacks
  // grow down on every platform libants supports); 0: unknown, depth only.
  uintptr_t low_water = 0;
  // FIFO: head is the next to run; the vector is cleared when drained, so
  // it allocates only when a worker defers more at once than ever before.
  std::vector<DeferredTask> deferred;
  size_t head = 0;
};

thread_local ThreadState tls;

uintptr_t StackPointer() {
  return reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
}

}  // namespace

void InitWorkerStack() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void *addr = nullptr;
  size_t size = 0;
  if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr && size > 0) {
    // Keep the upper half for inline runs' frames and whatever the task
    // itself needs below its last nested submit.
    tls.low_water = reinterpret_cast<uintptr_t>(addr) + size / 2;
  }
  pthread_attr_destroy(&attr);
}

bool InlineAllowed() {
  if (tls.depth >= ANTS_MAX_INLINE_DEPTH) return false;
  return tls.low_water == 0 || StackPointer() > tls.low_water;
}

void Enter() {
  ++tls.depth;
}
void Leave() {
  --tls.depth;
}

bool Defer(const DeferredTask &d) {
  try {
    tls.deferred.push_back(d);
    return true;
  } catch (const std::bad_alloc &) {
    return false;
  }
}

bool TakeDeferred(DeferredTask *out) {
  if (tls.head == tls.deferred.size()) return false;
  *out = tls.deferred[tls.head++];
  if (tls.head == tls.deferred.size()) {
    tls.deferred.clear();
    tls.head = 0;
  }
  return true;
}

}  // namespace ants::nested
