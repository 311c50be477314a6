// throwing_task.cpp - C++ tasks that let an exception escape, as a task
// written in C++ (or a binding's glue) may. The pool must catch them at the
// worker: an exception unwinding into the C caller would be undefined.
#include "throwing_task.h"

#include <stdexcept>

extern "C" void throw_std_task(void *arg) {
  throw std::runtime_error(arg ? static_cast<const char *>(arg) : "throw_std_task");
}

extern "C" void throw_int_task(void *arg) {
  (void)arg;
  throw 42;
}
