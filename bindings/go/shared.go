package ants

import (
	"runtime"
	"unsafe"
)

// Sharing pools with C and C++ code (issue 13): one capacity budget for the
// whole process instead of one per language.
//
// Ownership follows ants.h: a pool has owners, each calls ants_pool_free
// once, and the last one releases, waits and frees. A Go pool value is one
// owner; it drops its ownership when it becomes unreachable (or, for a pool
// made by NewPool, through the same cleanup as always). Release and
// ReleaseTimeout close the pool for every owner, as ants_release does.

// FromHandle wraps a pool created by C or C++ code, h being its
// ants_pool *, as a *Pool, and becomes one of its owners
// (ants_pool_retain): the pool stays valid for Go until the returned value
// is unreachable, however early the C side calls ants_pool_free. A
// multipool handle works too (without the *ByIndex getters). A pool made
// with a function (ants_pool_with_func_new) runs Go tasks too, on goroutine
// workers within its capacity, while its function serves C's ants_invoke;
// with a task queue it refuses Submit with ErrInvalidArgument, since its
// native workers run only its function.
//
// Go tasks submitted through the result recover their panics in Go and
// report them to the standard logger (the C side's panic handler and logger
// stay the pool's own, for its native tasks). The package-level functions
// (Submit, Running, ...) already use ants_default_pool(); FromHandle of it
// works too and changes nothing about its lifetime (it is never freed).
//
// h nil returns ErrInvalidArgument. A handle that is not a live pool (freed
// by its last owner, or not a pool at all) cannot be detected: using one is
// a use after free, as in C.
func FromHandle(h unsafe.Pointer) (*Pool, error) {
	if h == nil {
		return nil, ErrInvalidArgument
	}
	if err := statusErr(cPoolRetain(uintptr(h))); err != nil {
		return nil, err
	}
	p := &Pool{}
	p.h = uintptr(h)
	p.hooks = defaultHooks
	p.gw = newGoWorkers(p.h)
	setLifetime(p, &p.poolCore)
	return p, nil
}

// Handle returns the pool's ants_pool *, for C or C++ code that submits to
// this very pool (libants extension). C code that keeps it beyond the
// current call must call ants_pool_retain(h) first and ants_pool_free(h)
// when done: the Go value then no longer decides when the pool is freed.
// Native tasks run with this pool's PanicHandler and Logger while the Go
// value is alive, and with the standard logger after.
func (p *taskPool) Handle() unsafe.Pointer {
	h := cHandlePtr(p.h)
	runtime.KeepAlive(p)
	return h
}
