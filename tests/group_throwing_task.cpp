// group_throwing_task.cpp - tasks that end with a C++ exception, for the C
// suites: C cannot throw, so the exception has to start in C++ code. They
// are extern "C" so a C suite can submit them like any other task; the
// engine, which calls them, is C++ and catches what they throw.
#include <stdexcept>

extern "C" {

// Throws a std::exception: the panic handler gets its what().
void task_throw_runtime_error(void *arg) {
  (void)arg;
  throw std::runtime_error("task_throw_runtime_error");
}

// Throws something that is not a std::exception: the panic handler gets the
// engine's fixed text.
void task_throw_int(void *arg) {
  (void)arg;
  throw 42;
}

}  // extern "C"
