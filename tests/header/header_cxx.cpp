// header_cxx.cpp - ants.h alone must compile as strict C++17 (see CMakeLists).
#include "ants.h"

static_assert(ANTS_OK == 0, "ANTS_OK is zero");
static_assert(sizeof(ants_task_fn) == sizeof(void (*)(void *)), "task is a plain C function");
