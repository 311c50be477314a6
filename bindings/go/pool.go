package ants

import (
	"context"
	"runtime"
	"time"
	"unsafe"
)

// Pool runs func() tasks on a bounded set of libants worker threads.
type Pool struct {
	poolCore
}

// NewPool instantiates a Pool of at most size workers; size <= 0 makes it
// unlimited. No worker starts before a task needs one.
func NewPool(size int, options ...Option) (*Pool, error) {
	p := &Pool{}
	if err := p.init(size, nil, poolKind{}, options); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(p, (*Pool).finalize)
	return p, nil
}

func (p *Pool) finalize() { p.destroy() }

// Submit submits a task to the pool. It reuses an idle worker, else starts
// one while below capacity, else blocks until a worker frees up (or fails
// with ErrPoolOverload when Nonblocking or MaxBlockingTasks say so). A task
// of this pool that submits into it while it is full runs the new task
// inline instead of deadlocking (libants; ants deadlocks).
func (p *Pool) Submit(task func()) error {
	return p.submit(task)
}

// SubmitTimeout is Submit waiting at most timeout for a worker, then
// failing with ErrTimeout (libants extension).
func (p *Pool) SubmitTimeout(task func(), timeout time.Duration) error {
	if task == nil {
		return ErrInvalidArgument
	}
	return p.sendTimeout(slotEntry{task: task, owner: &p.poolCore}, timeout)
}

// SubmitContext is Submit giving up when ctx ends, with ctx.Err()
// (libants extension). A blocked call notices a cancellation within
// about 10 ms, a deadline on time.
func (p *Pool) SubmitContext(ctx context.Context, task func()) error {
	if task == nil {
		return ErrInvalidArgument
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
func (p *Pool) SubmitNative(fn, arg unsafe.Pointer) error {
	return p.submitNative(fn, arg)
}
