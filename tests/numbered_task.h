// numbered_task.h - for the engine's unit tests (linked with ants::testing):
// an ants::Task that carries a number in its argument, to check which task
// came out where.
#ifndef ANTS_TESTS_NUMBERED_TASK_H
#define ANTS_TESTS_NUMBERED_TASK_H

#include <cstdint>

#include "task.h"

inline ants::Task TaskNumbered(uintptr_t n) {
  ants::Task t;
  t.arg = reinterpret_cast<void *>(n);
  return t;
}

inline uintptr_t Number(const ants::Task &t) {
  return reinterpret_cast<uintptr_t>(t.arg);
}

#endif
