#include "nested.h"

#include <pthread.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "ants.h"

namespace ants::nested {

namespace {

// Deferred tasks of one thread, FIFO: head is the next to run.
struct DeferredQueue {
  std::vector<DeferredTask> tasks;
  size_t head = 0;
};

// Trivially destructible on purpose: a thread_local with a destructor is
// reached through an initialisation wrapper on every access, and
// HasDeferred() runs after every task a worker runs.
struct ThreadState {
  int depth = 0;
  // Inline runs stop once the stack pointer is below this address (stacks
  // grow down on every platform libants supports); 0: unknown, depth only.
  uintptr_t low_water = 0;
  // Made on a deferral and freed once drained: the common worker, which
  // never defers, owns nothing (a recursion past the bound pays one
  // allocation per ANTS_MAX_INLINE_DEPTH levels).
  DeferredQueue *deferred = nullptr;
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

bool HasDeferred() {
  return tls.deferred != nullptr;
}

bool Defer(const DeferredTask &d) {
  try {
    if (!tls.deferred) tls.deferred = new DeferredQueue;
    tls.deferred->tasks.push_back(d);
    return true;
  } catch (const std::bad_alloc &) {
    return false;
  }
}

bool TakeDeferred(DeferredTask *out) {
  DeferredQueue *q = tls.deferred;
  if (!q) return false;
  *out = q->tasks[q->head++];
  if (q->head == q->tasks.size()) {
    tls.deferred = nullptr;  // drained: nothing outlives the thread
    delete q;
  }
  return true;
}

}  // namespace ants::nested
