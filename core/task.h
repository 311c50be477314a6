// task.h - what a worker runs. Stored by value (no allocation, no
// std::function): a task is two pointers and an optional group.
#ifndef ANTS_CORE_TASK_H
#define ANTS_CORE_TASK_H

#include "ants.h"

namespace ants {

class Group;

struct Task {
  ants_task_fn fn = nullptr;
  void *arg = nullptr;
  Group *group = nullptr;  // non-null when submitted through a task group
};

}  // namespace ants

#endif
