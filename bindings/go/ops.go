package ants

import (
	"context"
	"time"
	"unsafe"
)

// The submit and invoke methods, written once. Each pool type embeds one of
// these (which embed poolCore), so the methods are promoted into it:
//
//	Pool, MultiPool                      taskPool       Submit*, SubmitNative
//	PoolWithFunc, MultiPoolWithFunc      funcPool[any]  Invoke*
//	PoolWithFuncGeneric[T], MultiPool…[T] funcPool[T]   Invoke*

// taskPool is a pool that runs func() tasks.
type taskPool struct {
	poolCore
}

// Submit submits a task to the pool. It reuses an idle worker, else starts
// one while below capacity, else blocks until a worker frees up (or fails
// with ErrPoolOverload when Nonblocking or MaxBlockingTasks say so). A task
// of this pool that submits into it while it is full runs the new task
// inline instead of deadlocking (libants; ants deadlocks). A nil task is
// ErrInvalidArgument, or ErrPoolClosed on a closed pool (closed is checked
// first, as ants' tests expect).
func (p *taskPool) Submit(task func()) error {
	return p.submit(task)
}

// SubmitTimeout is Submit waiting at most timeout for a worker, then
// failing with ErrTimeout (libants extension).
func (p *taskPool) SubmitTimeout(task func(), timeout time.Duration) error {
	if task == nil {
		return p.nilTaskErr()
	}
	return p.sendTimeout(slotEntry{task: task, owner: &p.poolCore}, timeout)
}

// SubmitContext is Submit giving up when ctx ends, with ctx.Err()
// (libants extension). A blocked call notices the end of ctx at once; on a
// pool with a task queue, a cancellation within about 10 ms, a deadline on
// time.
func (p *taskPool) SubmitContext(ctx context.Context, task func()) error {
	if task == nil {
		return p.nilTaskErr()
	}
	return p.sendContext(ctx, slotEntry{task: task, owner: &p.poolCore})
}

// SubmitNative submits a C task, fn(arg), with no Go code on its path
// (libants extension). fn must be a C function of type void (*)(void *),
// obtained in cgo code as unsafe.Pointer(C.my_task); arg is passed to it
// unchanged and must not point to Go memory, since C keeps it until the
// task ran (C memory, or nil). Prefer it for work that lives in C: it
// skips the Go callback and does not need one of the GOMAXPROCS Ps to run.
// A C++ exception escaping fn goes to the PanicHandler as a *NativePanic.
func (p *taskPool) SubmitNative(fn, arg unsafe.Pointer) error {
	return p.submitNative(fn, arg)
}

// funcPool is a pool that runs its function on the arguments given to
// Invoke; T is any for the non-generic pools.
type funcPool[T any] struct {
	poolCore
}

// Invoke passes arg to the pool function on a worker, with the rules of
// Pool.Submit.
func (p *funcPool[T]) Invoke(arg T) error {
	return p.invoke(arg)
}

// InvokeTimeout is Invoke waiting at most timeout for a worker (libants
// extension).
func (p *funcPool[T]) InvokeTimeout(arg T, timeout time.Duration) error {
	return p.sendTimeout(slotEntry{arg: arg, owner: &p.poolCore}, timeout)
}

// InvokeContext is Invoke giving up when ctx ends (libants extension).
func (p *funcPool[T]) InvokeContext(ctx context.Context, arg T) error {
	return p.sendContext(ctx, slotEntry{arg: arg, owner: &p.poolCore})
}
