// task_frame.h - what the current thread is running, for the calls that must
// not wait on their own caller: a blocking submit into the caller's own full
// pool, ants_release_timeout or ants_wait_idle from inside a task, and
// ants_group_wait from inside a member of the group.
#ifndef ANTS_CORE_TASK_FRAME_H
#define ANTS_CORE_TASK_FRAME_H

namespace ants {

class Group;

// The pool (or multipool) whose worker this thread is; nullptr elsewhere.
// An identity only: compared, never dereferenced.
extern thread_local const void *tls_worker_owner;

// One frame per task running on this thread (nested submits run inline and
// push another frame); lives on the stack of RunTask.
struct TaskFrame {
  Group *group;
  TaskFrame *parent;
};
extern thread_local TaskFrame *tls_task_frame;

// True if the current thread is inside a task of group g.
bool InsideGroup(const Group *g);

// For a worker that waits for group g (ants_group_wait inside a task): runs
// one member of g queued in its own pool, so that a fork-join over a pool
// with a task queue cannot deadlock with every worker waiting for children
// queued behind it. 1: ran one; 0: none queued now; -1: never any help here
// (not a worker, or its pool has no queue).
int HelpOwnPool(const Group *g);

}  // namespace ants

#endif
