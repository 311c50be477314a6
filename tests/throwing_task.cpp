// throwing_task.cpp - C++ tasks that let an exception escape, as a task
// written in C++ (or a binding's glue) may. The pool must catch them at the
// worker: an exception unwinding into the C caller would be undefined.
#include "throwing_task.h"

#include <atomic>
#include <stdexcept>

extern "C" void throw_std_task(void *arg) {
  throw std::runtime_error(arg ? static_cast<const char *>(arg) : "throw_std_task");
}

extern "C" void throw_int_task(void *arg) {
  (void)arg;
  throw 42;
}

namespace {
void CountAndThrow(void *ctx, const char *what) {
  if (ctx) static_cast<std::atomic<int> *>(ctx)->fetch_add(1);
  throw std::runtime_error(what);
}
}  // namespace

// C's atomic_int and C++'s std::atomic<int> share size and representation
// on every platform this library supports (both lock-free ints).
static_assert(sizeof(std::atomic<int>) == sizeof(int), "atomic_int layout");

extern "C" void throw_hook(void *ctx) { CountAndThrow(ctx, "hook threw"); }
extern "C" void throw_logger(void *ctx, const char *msg) {
  (void)msg;
  CountAndThrow(ctx, "logger threw");
}
extern "C" void throw_panic_handler(void *ctx, const char *what) {
  (void)what;
  CountAndThrow(ctx, "panic handler threw");
}
extern "C" void throw_task_dtor(void *ctx, void (*fn)(void *), void *arg) {
  (void)fn;
  (void)arg;
  CountAndThrow(ctx, "task destructor threw");
}
