package ants

import (
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"

	"libants/ants/internal/capi"
)

// Group is a set of tasks, possibly on several pools, that can be waited for
// as a whole (libants extension, ants_group in ants.h). Unlike a
// sync.WaitGroup it needs no Add/Done in the tasks, counts the tasks that
// panicked, and refuses to let a task of the group wait for it (which would
// deadlock) with ErrWouldDeadlock.
type Group struct {
	groupCore
}

type groupCore struct {
	h        uintptr
	goPanics atomic.Int64 // Go panics on the callback path; libants counts C++ exceptions and slot tasks' panics
}

// Submitter is a pool that runs func() tasks: *Pool or *MultiPool.
type Submitter interface {
	Submit(task func()) error
	core() *poolCore
}

// Invoker is a pool with a function: *PoolWithFunc or *MultiPoolWithFunc.
type Invoker interface {
	Invoke(arg any) error
	core() *poolCore
}

// GenericInvoker is a generic pool with a function:
// *PoolWithFuncGeneric[T] or *MultiPoolWithFuncGeneric[T].
type GenericInvoker[T any] interface {
	Invoke(arg T) error
	core() *poolCore
}

func (c *poolCore) core() *poolCore { return c }

// NewGroup makes an empty group. A group nobody references any more is
// freed by a finalizer once its tasks have run.
func NewGroup() (*Group, error) {
	out := []uintptr{0}
	if err := statusErr(capi.Ants_group_new(out)); err != nil {
		return nil, err
	}
	g := &Group{}
	g.h = out[0]
	runtime.SetFinalizer(g, (*Group).finalize)
	return g, nil
}

func (g *Group) finalize() {
	// Pending tasks reference the group through their slots, so none is
	// pending here; ants_group_free would wait for them otherwise.
	go capi.Ants_group_free(g.h)
}

// Submit submits task to p as a member of g, with the rules of p.Submit.
// Only accepted tasks join the group.
func (g *Group) Submit(p Submitter, task func()) error {
	c := p.core()
	if task == nil {
		return c.nilTaskErr()
	}
	e := slotEntry{task: task, owner: c, group: &g.groupCore}
	if ok, err := g.viaSlots(c, e); ok {
		return err
	}
	key := slots.put(e)
	st := cGroupSubmit(g.h, c.h, key)
	runtime.KeepAlive(g)
	runtime.KeepAlive(c)
	if st != 0 {
		slots.take(key)
		return statusErr(st)
	}
	return nil
}

// Invoke passes arg to p's function as a member of g.
func (g *Group) Invoke(p Invoker, arg any) error {
	return g.invoke(p.core(), arg)
}

// GroupInvoke passes arg to the function of a generic pool p as a member
// of g (a function, since Go methods cannot take type parameters).
func GroupInvoke[T any](g *Group, p GenericInvoker[T], arg T) error {
	return g.invoke(p.core(), arg)
}

// viaSlots submits a member task to a pool with goroutine workers: it joins
// the group first (ants_group_enter), and leaves it again if refused; the
// worker leaves it when the task has run, telling whether it panicked.
func (g *Group) viaSlots(c *poolCore, e slotEntry) (handled bool, err error) {
	if !c.gw.usable() {
		return false, nil
	}
	if err := statusErr(cGroupEnter(g.h)); err != nil {
		return true, err
	}
	handled, err = c.viaSlots(e, waitSpec{})
	if !handled || err != nil {
		cGroupLeave(g.h, false)
	}
	runtime.KeepAlive(g)
	return handled, err
}

func (g *Group) invoke(c *poolCore, arg any) error {
	e := slotEntry{arg: arg, owner: c, group: &g.groupCore}
	if ok, err := g.viaSlots(c, e); ok {
		return err
	}
	key := slots.put(e)
	st := cGroupInvoke(g.h, c.h, key)
	runtime.KeepAlive(g)
	runtime.KeepAlive(c)
	if st != 0 {
		slots.take(key)
		return statusErr(st)
	}
	return nil
}

// SubmitNative submits the C task fn(arg) to p as a member of g; see
// Pool.SubmitNative.
func (g *Group) SubmitNative(p Submitter, fn, arg unsafe.Pointer) error {
	c := p.core()
	if fn == nil {
		return c.nilTaskErr()
	}
	st := cGroupSubmitNative(g.h, c.h, fn, arg)
	runtime.KeepAlive(g)
	runtime.KeepAlive(c)
	return statusErr(st)
}

// Wait waits until every task submitted to g so far has finished. From a
// task of g it returns ErrWouldDeadlock at once.
func (g *Group) Wait() error {
	return g.wait(-1)
}

// WaitTimeout is Wait giving up with ErrTimeout after timeout.
func (g *Group) WaitTimeout(timeout time.Duration) error {
	return g.wait(max(durationMS(timeout), 0))
}

func (g *Group) wait(ms int64) error {
	if w := currentWorker(); w != nil && w.inGroup(&g.groupCore) {
		return ErrWouldDeadlock
	}
	err := statusErr(capi.Ants_group_wait(g.h, ms))
	runtime.KeepAlive(g)
	return err
}

// Pending returns the number of tasks of g accepted and not yet finished.
func (g *Group) Pending() int {
	n := capi.Ants_group_pending(g.h)
	runtime.KeepAlive(g)
	return n
}

// Panicked returns the number of tasks of g that panicked (Go) or threw
// (native C++); the pool's PanicHandler still saw each of them.
func (g *Group) Panicked() int {
	n := capi.Ants_group_panicked(g.h) + int(g.goPanics.Load())
	runtime.KeepAlive(g)
	return n
}
