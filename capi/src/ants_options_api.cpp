// The ants_options_* functions: validation at the setter, so a bad value is
// reported where it is given.
#include <new>

#include "fault_injection.h"
#include "handle.h"

using ants::capi::Guard;

extern "C" {

ANTS_EXTERN int ants_options_new(ants_options **out) {
  if (!out) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] {
    if (ants::fault::fail(ANTS_FAULT_ALLOC)) return static_cast<int>(ANTS_ERR_NO_MEMORY);
    *out = new ants_options();
    return static_cast<int>(ANTS_OK);
  });
}

ANTS_EXTERN void ants_options_free(ants_options *opts) { delete opts; }

ANTS_EXTERN int ants_options_set_expiry_ms(ants_options *opts, int64_t expiry_ms) {
  if (!opts) return ANTS_ERR_INVALID_ARGUMENT;
  if (expiry_ms < 0) return ANTS_ERR_INVALID_POOL_EXPIRY;
  // Larger values overflow the engine's nanosecond arithmetic.
  if (expiry_ms > ANTS_MAX_EXPIRY_MS) return ANTS_ERR_INVALID_ARGUMENT;
  opts->opts.expiry_ms = expiry_ms == 0 ? ANTS_DEFAULT_EXPIRY_MS : expiry_ms;
  return ANTS_OK;
}

ANTS_EXTERN int ants_options_set_pre_alloc(ants_options *opts, int pre_alloc) {
  if (!opts) return ANTS_ERR_INVALID_ARGUMENT;
  opts->opts.pre_alloc = pre_alloc != 0;
  return ANTS_OK;
}

ANTS_EXTERN int ants_options_set_max_blocking_tasks(ants_options *opts, int max) {
  if (!opts || max < 0) return ANTS_ERR_INVALID_ARGUMENT;
  opts->opts.max_blocking_tasks = max;
  return ANTS_OK;
}

ANTS_EXTERN int ants_options_set_nonblocking(ants_options *opts, int nonblocking) {
  if (!opts) return ANTS_ERR_INVALID_ARGUMENT;
  opts->opts.nonblocking = nonblocking != 0;
  return ANTS_OK;
}

ANTS_EXTERN int ants_options_set_disable_purge(ants_options *opts, int disable) {
  if (!opts) return ANTS_ERR_INVALID_ARGUMENT;
  opts->opts.disable_purge = disable != 0;
  return ANTS_OK;
}

ANTS_EXTERN int ants_options_set_panic_handler(ants_options *opts, ants_panic_fn fn, void *ctx) {
  if (!opts) return ANTS_ERR_INVALID_ARGUMENT;
  opts->opts.panic_fn = fn;
  opts->opts.panic_ctx = fn ? ctx : nullptr;
  return ANTS_OK;
}

ANTS_EXTERN int ants_options_set_logger(ants_options *opts, ants_log_fn fn, void *ctx) {
  if (!opts) return ANTS_ERR_INVALID_ARGUMENT;
  opts->opts.logger.fn = fn;
  opts->opts.logger.ctx = fn ? ctx : nullptr;
  return ANTS_OK;
}

ANTS_EXTERN int ants_options_set_worker_hooks(ants_options *opts, ants_hook_fn on_start,
                                              ants_hook_fn on_exit, void *ctx) {
  if (!opts) return ANTS_ERR_INVALID_ARGUMENT;
  opts->opts.on_start = on_start;
  opts->opts.on_exit = on_exit;
  opts->opts.hook_ctx = ctx;
  return ANTS_OK;
}

ANTS_EXTERN int ants_options_set_stack_size(ants_options *opts, size_t bytes) {
  if (!opts || (bytes != 0 && bytes < ants::kMinStackSize)) return ANTS_ERR_INVALID_ARGUMENT;
  opts->opts.stack_size = bytes;
  return ANTS_OK;
}

ANTS_EXTERN int ants_options_set_thread_name(ants_options *opts, const char *prefix) {
  if (!opts) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] {
    opts->opts.thread_name = (prefix && *prefix) ? prefix : "ants";
    return static_cast<int>(ANTS_OK);
  });
}

ANTS_EXTERN int ants_options_set_task_destructor(ants_options *opts, ants_task_dtor_fn fn,
                                                 void *ctx) {
  if (!opts) return ANTS_ERR_INVALID_ARGUMENT;
  opts->opts.task_dtor = fn;
  opts->opts.task_dtor_ctx = fn ? ctx : nullptr;
  return ANTS_OK;
}

ANTS_EXTERN int ants_options_set_queue_size(ants_options *opts, int n) {
  if (!opts || n < 0 || n > ANTS_MAX_QUEUE_SIZE) return ANTS_ERR_INVALID_ARGUMENT;
  opts->opts.queue_size = n;
  return ANTS_OK;
}

}  // extern "C"
