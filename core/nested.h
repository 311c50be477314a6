// nested.h - a worker's own submits into its own full pool (ants.h: they run
// inline instead of blocking, since a worker waiting for a worker of its own
// saturated pool may wait forever).
//
// Inline runs nest: a task that submits into its pool runs the child on the
// same stack, and a recursive task goes as deep as its recursion. Bounded
// here, by a depth (ANTS_MAX_INLINE_DEPTH) and by the worker's stack: past
// half of it, or past the depth, the nested task is deferred instead - the
// submit returns ANTS_OK at once and the same worker runs the task right
// after its current outermost task returns. A recursion of any depth then
// runs as a loop, on a bounded stack, with every task run exactly once.
#ifndef ANTS_CORE_NESTED_H
#define ANTS_CORE_NESTED_H

#include "task.h"

namespace ants {

class Pool;

// A deferred nested task and the pool it was submitted to (which holds a
// reference for it until it has run).
struct DeferredTask {
  Pool *pool;
  Task task;
};

namespace nested {

// Worker side, at thread start: where this thread's stack ends.
void InitWorkerStack();
// Whether a nested submit may run inline now (depth and stack room left).
bool InlineAllowed();
// Brackets an inline run.
void Enter();
void Leave();
// Queues a task for the current worker; false if memory ran out.
bool Defer(const DeferredTask &d);
// Whether the current thread has deferred tasks (cheap: after every task).
bool HasDeferred();
// Takes the oldest deferred task of the current thread; false if none.
bool TakeDeferred(DeferredTask *out);

}  // namespace nested
}  // namespace ants

#endif
