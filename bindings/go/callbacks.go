package ants

// Entry points libants calls on its worker threads. A file with //export
// may only declare things in its preamble, so the C shims live in glue.go.
//
// Nothing here may let a panic reach C: a Go panic unwinding into a C frame
// aborts the process. Every user callback (task, pool function, panic
// handler, logger) runs under a recover.

/*
#include <stdint.h>
*/
import "C"

import (
	"runtime/debug"
	"unsafe"
)

// goAntsTask is the ants_task_fn of every Go task, Submit and Invoke alike:
// arg is a slot key (see slots.go), never a Go pointer.
//
//export goAntsTask
func goAntsTask(arg unsafe.Pointer) {
	e, ok := slots.take(uintptr(arg))
	if !ok {
		safePrintf(defaultLogger, "libants: task key %#x is not in the slot table; not run", uintptr(arg))
		return
	}
	runEntry(&e)
}

// runEntry runs one task and recovers its panic. It is a separate function
// so that the deferred recover covers exactly the user's code.
func runEntry(e *slotEntry) {
	defer func() {
		if r := recover(); r != nil {
			if e.group != nil {
				e.group.goPanics.Add(1)
			}
			e.owner.hooks.handlePanic(r)
		}
	}()
	if e.task != nil {
		e.task()
	} else {
		e.owner.pf(e.arg)
	}
}

// goAntsDropTask frees the slot of a queued Go task that CancelQueued
// dropped before it ran.
//
//export goAntsDropTask
func goAntsDropTask(key C.uintptr_t) {
	slots.take(uintptr(key))
}

// goAntsLog receives libants' own log lines for a pool made by this binding.
//
//export goAntsLog
func goAntsLog(ctx C.uintptr_t, msg *C.char) {
	safePrintf(lookupHooks(uintptr(ctx)).logger, "%s", C.GoString(msg))
}

// goAntsNativePanic receives the text of a C++ exception that escaped a
// native task (SubmitNative) of a pool with a PanicHandler.
//
//export goAntsNativePanic
func goAntsNativePanic(ctx C.uintptr_t, what *C.char) {
	lookupHooks(uintptr(ctx)).handlePanic(&NativePanic{What: C.GoString(what)})
}

// NativePanic is what a PanicHandler receives when a C++ exception escapes
// a native task submitted with SubmitNative: the C++ what() text.
type NativePanic struct {
	What string
}

func (p *NativePanic) Error() string {
	return "native task threw: " + p.What
}

// handlePanic routes a recovered panic to the PanicHandler, or else to the
// Logger with its stack. A panic inside the handler itself is logged, never
// propagated.
func (h *hooks) handlePanic(r any) {
	if h.panicHandler == nil {
		safePrintf(h.logger, "task panicked (the worker survives): %v\n%s", r, debug.Stack())
		return
	}
	defer func() {
		if r2 := recover(); r2 != nil {
			safePrintf(h.logger, "panic handler panicked: %v (handling: %v)", r2, r)
		}
	}()
	h.panicHandler(r)
}

// safePrintf logs through l; a Logger that panics loses its message
// rather than taking the process down from a C thread.
func safePrintf(l Logger, format string, args ...any) {
	defer func() { _ = recover() }() // nothing is left to report it to
	l.Printf(format, args...)
}
