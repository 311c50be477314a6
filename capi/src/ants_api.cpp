// The pool functions of the C API: argument checks, then one virtual call
// into the engine. Works alike for plain pools and multipools.
#include <mutex>
#include <new>

#include "fault_injection.h"
#include "handle.h"
#include "multipool.h"
#include "pool.h"

using ants::capi::Guard;

namespace {

const ants::Options kDefaultOptions{};

const ants::Options &OptionsOf(const ants_options *opts) {
  return opts ? opts->opts : kDefaultOptions;
}

// Wraps a freshly made engine object in a handle, or destroys it.
int WrapHandle(ants_pool **out, ants::PoolBase *impl) {
  ants_pool *h = nullptr;
  if (!ants::fault::fail(ANTS_FAULT_ALLOC)) h = new (std::nothrow) ants_pool{impl, false, {1}};
  if (!h) {
    impl->Destroy();
    return ANTS_ERR_NO_MEMORY;
  }
  *out = h;
  return ANTS_OK;
}

int NewPool(ants_pool **out, int size, ants_task_fn fn, const ants_options *opts) {
  ants::Pool *p = nullptr;
  int rc = ants::Pool::Create(&p, size, fn, OptionsOf(opts));
  return rc == ANTS_OK ? WrapHandle(out, p) : rc;
}

int NewMultiPool(ants_pool **out, int n, int size_per_pool, ants_task_fn fn, int strategy,
                 const ants_options *opts) {
  ants::MultiPool *mp = nullptr;
  int rc = ants::MultiPool::Create(&mp, n, size_per_pool, fn, strategy, OptionsOf(opts));
  return rc == ANTS_OK ? WrapHandle(out, mp) : rc;
}

int SubmitFn(ants_pool *p, ants_task_fn fn, void *arg, ants::Group *group, int64_t timeout_ms) {
  if (!p || !fn) return ANTS_ERR_INVALID_ARGUMENT;
  if (p->impl->func()) return ANTS_ERR_INVALID_ARGUMENT;  // a with-func pool takes invoke
  return p->impl->Submit(ants::Task{fn, arg, group}, timeout_ms);
}

int InvokeArg(ants_pool *p, void *arg, ants::Group *group, int64_t timeout_ms) {
  if (!p) return ANTS_ERR_INVALID_ARGUMENT;
  ants_task_fn fn = p->impl->func();
  if (!fn) return ANTS_ERR_LACK_POOL_FUNC;
  return p->impl->Submit(ants::Task{fn, arg, group}, timeout_ms);
}

int StatByIndex(int *out, const ants_pool *p, ants::Stat stat, int index) {
  if (!out || !p) return ANTS_ERR_INVALID_ARGUMENT;
  return p->impl->StatByIndex(out, stat, index);
}

}  // namespace

extern "C" {

ANTS_EXTERN int ants_pool_new(ants_pool **out, int size, const ants_options *opts) {
  if (!out) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return NewPool(out, size, nullptr, opts); });
}

ANTS_EXTERN int ants_pool_with_func_new(ants_pool **out, int size, ants_task_fn fn,
                                        const ants_options *opts) {
  if (!out) return ANTS_ERR_INVALID_ARGUMENT;
  if (!fn) return ANTS_ERR_LACK_POOL_FUNC;
  return Guard([&] { return NewPool(out, size, fn, opts); });
}

ANTS_EXTERN int ants_multipool_new(ants_pool **out, int n, int size_per_pool, int strategy,
                                   const ants_options *opts) {
  if (!out) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return NewMultiPool(out, n, size_per_pool, nullptr, strategy, opts); });
}

ANTS_EXTERN int ants_multipool_with_func_new(ants_pool **out, int n, int size_per_pool,
                                             ants_task_fn fn, int strategy,
                                             const ants_options *opts) {
  if (!out) return ANTS_ERR_INVALID_ARGUMENT;
  if (!fn) return ANTS_ERR_LACK_POOL_FUNC;
  return Guard([&] { return NewMultiPool(out, n, size_per_pool, fn, strategy, opts); });
}

ANTS_EXTERN int ants_pool_retain(ants_pool *p) {
  if (!p) return ANTS_ERR_INVALID_ARGUMENT;
  if (p->is_default) return ANTS_OK;  // never freed: nothing to count
  // Only an owner may retain, so the count is at least 1 here and cannot
  // reach 0 concurrently: relaxed is enough (as for shared_ptr copies).
  p->owners.fetch_add(1, std::memory_order_relaxed);
  return ANTS_OK;
}

ANTS_EXTERN void ants_pool_free(ants_pool *p) {
  if (!p || p->is_default) return;
  // acq_rel: the last owner must see every other owner's use of the pool.
  if (p->owners.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  p->impl->Destroy();
  delete p;
}

ANTS_EXTERN ants_pool *ants_default_pool(void) {
  // Made on first use and deliberately leaked: tearing it down at exit would
  // make exit() wait for its workers (a JVM's System.exit, Go's os.Exit).
  // A creation that fails throws out of the initialiser, so the static stays
  // uninitialised and the next call tries again; the exception stops here.
  try {
    static ants_pool *pool = [] {
      ants::Pool *impl = nullptr;
      if (ants::Pool::Create(&impl, ANTS_DEFAULT_POOL_SIZE, nullptr, kDefaultOptions) != ANTS_OK) {
        throw std::bad_alloc();
      }
      impl->MarkNeverFreed();
      ants_pool *h = ants::fault::fail(ANTS_FAULT_ALLOC)
                         ? nullptr
                         : new (std::nothrow) ants_pool{impl, true, {1}};
      if (!h) {
        impl->Destroy();
        throw std::bad_alloc();
      }
      return h;
    }();
    return pool;
  } catch (...) {
    return nullptr;
  }
}

ANTS_EXTERN int ants_submit(ants_pool *p, ants_task_fn fn, void *arg) {
  return Guard([&] { return SubmitFn(p, fn, arg, nullptr, -1); });
}

ANTS_EXTERN int ants_invoke(ants_pool *p, void *arg) {
  return Guard([&] { return InvokeArg(p, arg, nullptr, -1); });
}

ANTS_EXTERN int ants_submit_timeout(ants_pool *p, ants_task_fn fn, void *arg,
                                    int64_t timeout_ms) {
  return Guard([&] { return SubmitFn(p, fn, arg, nullptr, timeout_ms < 0 ? -1 : timeout_ms); });
}

ANTS_EXTERN int ants_invoke_timeout(ants_pool *p, void *arg, int64_t timeout_ms) {
  return Guard([&] { return InvokeArg(p, arg, nullptr, timeout_ms < 0 ? -1 : timeout_ms); });
}

ANTS_EXTERN int ants_running(const ants_pool *p) { return p ? p->impl->Running() : 0; }
ANTS_EXTERN int ants_busy(const ants_pool *p) { return p ? p->impl->Busy() : 0; }
ANTS_EXTERN int ants_available(const ants_pool *p) { return p ? p->impl->Available() : 0; }
ANTS_EXTERN int ants_cap(const ants_pool *p) { return p ? p->impl->Cap() : 0; }
ANTS_EXTERN int ants_waiting(const ants_pool *p) { return p ? p->impl->Waiting() : 0; }
ANTS_EXTERN int ants_queued(const ants_pool *p) { return p ? p->impl->Queued() : 0; }
ANTS_EXTERN int ants_is_closed(const ants_pool *p) { return p && p->impl->IsClosed() ? 1 : 0; }

ANTS_EXTERN int ants_running_by_index(int *out, const ants_pool *p, int index) {
  return StatByIndex(out, p, ants::Stat::kRunning, index);
}
ANTS_EXTERN int ants_available_by_index(int *out, const ants_pool *p, int index) {
  return StatByIndex(out, p, ants::Stat::kAvailable, index);
}
ANTS_EXTERN int ants_waiting_by_index(int *out, const ants_pool *p, int index) {
  return StatByIndex(out, p, ants::Stat::kWaiting, index);
}
ANTS_EXTERN int ants_busy_by_index(int *out, const ants_pool *p, int index) {
  return StatByIndex(out, p, ants::Stat::kBusy, index);
}

ANTS_EXTERN void ants_tune(ants_pool *p, int size) {
  if (p) p->impl->Tune(size);
}

ANTS_EXTERN void ants_release(ants_pool *p) {
  if (p) p->impl->Release();
}

ANTS_EXTERN int ants_release_timeout(ants_pool *p, int64_t timeout_ms) {
  if (!p) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return p->impl->ReleaseTimeout(timeout_ms < 0 ? -1 : timeout_ms); });
}

ANTS_EXTERN void ants_reboot(ants_pool *p) {
  if (p) p->impl->Reboot();
}

ANTS_EXTERN int ants_wait_idle(ants_pool *p, int64_t timeout_ms) {
  if (!p) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return p->impl->WaitIdle(timeout_ms < 0 ? -1 : timeout_ms); });
}

ANTS_EXTERN int ants_cancel_queued(int *out, ants_pool *p) {
  if (!p) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] {
    int n = p->impl->CancelQueued();
    if (out) *out = n;
    return static_cast<int>(ANTS_OK);
  });
}

}  // extern "C"
