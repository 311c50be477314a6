// options.h - a pool's configuration. The C API's ants_options is a thin
// wrapper around this; a pool keeps its own copy, so callers may change or
// free their options object right after creating a pool.
#ifndef ANTS_CORE_OPTIONS_H
#define ANTS_CORE_OPTIONS_H

#include <cstddef>
#include <cstdint>
#include <string>

#include "ants.h"
#include "log.h"

namespace ants {

struct Options {
  int64_t expiry_ms = ANTS_DEFAULT_EXPIRY_MS;
  bool pre_alloc = false;
  int max_blocking_tasks = 0;  // 0: unlimited
  bool nonblocking = false;
  bool disable_purge = false;
  int queue_size = 0;  // 0: no task queue (ants' behaviour)

  ants_panic_fn panic_fn = nullptr;
  void *panic_ctx = nullptr;
  Logger logger;

  ants_hook_fn on_start = nullptr;
  ants_hook_fn on_exit = nullptr;
  void *hook_ctx = nullptr;

  ants_task_dtor_fn task_dtor = nullptr;
  void *task_dtor_ctx = nullptr;

  size_t stack_size = 0;  // 0: the system's default
  std::string thread_name = "ants";
};

// Smallest stack we accept: below this even the worker loop itself and a
// trivial task risk overflowing.
constexpr size_t kMinStackSize = 16 * 1024;

}  // namespace ants

#endif
