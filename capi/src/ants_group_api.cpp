// The ants_group_* functions.
#include <new>

#include "fault_injection.h"
#include "handle.h"

using ants::capi::Guard;

namespace {

// Counts the member in before submitting (so a concurrent wait cannot miss
// it) and takes it back out if the pool did not accept it.
int SubmitMember(ants_group *g, ants_pool *pool, ants_task_fn fn, void *arg) {
  if (!g || !pool) return ANTS_ERR_INVALID_ARGUMENT;
  ants_task_fn pool_fn = pool->impl->func();
  if (fn && pool_fn) return ANTS_ERR_INVALID_ARGUMENT;  // with-func pools take invoke
  if (!fn && !pool_fn) return ANTS_ERR_LACK_POOL_FUNC;
  g->impl->Add();
  int rc = pool->impl->Submit(ants::Task{fn ? fn : pool_fn, arg, g->impl}, -1);
  if (rc != ANTS_OK) g->impl->Cancel();
  return rc;
}

}  // namespace

extern "C" {

ANTS_EXTERN int ants_group_new(ants_group **out) {
  if (!out) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] {
    if (ants::fault::fail(ANTS_FAULT_ALLOC)) return static_cast<int>(ANTS_ERR_NO_MEMORY);
    auto *impl = new (std::nothrow) ants::Group();
    auto *g = impl ? new (std::nothrow) ants_group{impl} : nullptr;
    if (!g) {
      delete impl;
      return static_cast<int>(ANTS_ERR_NO_MEMORY);
    }
    *out = g;
    return static_cast<int>(ANTS_OK);
  });
}

ANTS_EXTERN int ants_group_submit(ants_group *g, ants_pool *pool, ants_task_fn fn, void *arg) {
  if (!fn) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return SubmitMember(g, pool, fn, arg); });
}

ANTS_EXTERN int ants_group_invoke(ants_group *g, ants_pool *pool, void *arg) {
  return Guard([&] { return SubmitMember(g, pool, nullptr, arg); });
}

ANTS_EXTERN int ants_group_wait(ants_group *g, int64_t timeout_ms) {
  if (!g) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return g->impl->Wait(timeout_ms < 0 ? -1 : timeout_ms); });
}

ANTS_EXTERN int ants_group_pending(const ants_group *g) { return g ? g->impl->pending() : 0; }

ANTS_EXTERN int ants_group_panicked(const ants_group *g) { return g ? g->impl->panicked() : 0; }

ANTS_EXTERN void ants_group_free(ants_group *g) {
  if (!g) return;
  g->impl->Free();
  delete g;
}

}  // extern "C"
