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
	"os"
	"runtime/debug"
	"unsafe"
)

// goAntsTask is the ants_task_fn of every Go task, Submit and Invoke alike:
// arg is a slot key (see slots.go), never a Go pointer.
//
//export goAntsTask
func goAntsTask(arg unsafe.Pointer) {
	returned := false
	defer func() {
		if !returned {
			goexitOnWorker("a task (or the PanicHandler or Logger it called)")
		}
	}()
	e, ok := slots.take(uintptr(arg))
	if !ok {
		safePrintf(defaultLogger, "libants: task key %#x is not in the slot table; not run", uintptr(arg))
		returned = true
		return
	}
	if runEntry(&e) && e.group != nil {
		e.group.goPanics.Add(1) // libants counts only C++ exceptions here
	}
	returned = true
}

// goexitOnWorker explains, before the Go runtime aborts the process, why it
// is about to: a callback on a libants worker thread (a thread Go did not
// create) is ending its goroutine with runtime.Goexit instead of returning
// to C. t.FailNow, t.Fatal, t.SkipNow and require.* in a task do that. Go
// cannot unwind such a goroutine without returning to the C frames below it
// (and no deferred call can stop a Goexit), so the runtime throws "Goexit
// called in a thread that was not created by the Go runtime" or "exited a
// goroutine internally locked to the OS thread" right after this. Everything
// that recovers panics has already run: reaching here without returning
// means Goexit.
func goexitOnWorker(who string) {
	// Straight to stderr, where the runtime's own message goes: the Logger
	// may be the very code that called Goexit.
	_, _ = os.Stderr.WriteString("ants: " + who + " called runtime.Goexit (t.FailNow, " +
		"t.Fatal, t.SkipNow or require.* in a task?) on a libants worker thread. A Go " +
		"callback from a native thread must return; the Go runtime now aborts the " +
		"process. Report failures from tasks with t.Error, or send them to the " +
		"test goroutine and fail there.\n")
}

// runEntry runs one task and recovers its panic; true if it panicked. It
// is a separate function so that the deferred recover covers exactly the
// user's code.
func runEntry(e *slotEntry) (panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			panicked = true
			e.owner.hooks.handlePanic(r)
		}
	}()
	if e.task != nil {
		e.task()
	} else {
		e.owner.pf(e.arg)
	}
	return false
}

// goAntsSlotGrant delivers the outcome of a waiting slot acquire
// (ants_slot_grant_fn, through a shim in glue.go). worker is the goroutine
// worker whose ants_slot_end on this thread freed the slot, or 0.
//
//export goAntsSlotGrant
func goAntsSlotGrant(waiter C.uintptr_t, status C.int, slot C.int64_t, worker C.uintptr_t) {
	grant(uint32(waiter), int(status), int64(slot), uint32(worker))
}

// goAntsSlotListener: the pool asks for up to count idle slots back
// (ants_slot_listener_fn, through a shim in glue.go).
//
//export goAntsSlotListener
func goAntsSlotListener(ctx C.uintptr_t, count C.int) {
	listen(uint32(ctx), int(count))
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
	returned := false
	defer func() {
		if !returned {
			goexitOnWorker("a Logger")
		}
	}()
	safePrintf(lookupHooks(uintptr(ctx)).logger, "%s", C.GoString(msg))
	returned = true
}

// goAntsNativePanic receives the text of a C++ exception that escaped a
// native task (SubmitNative) of a pool with a PanicHandler.
//
//export goAntsNativePanic
func goAntsNativePanic(ctx C.uintptr_t, what *C.char) {
	returned := false
	defer func() {
		if !returned {
			goexitOnWorker("a PanicHandler (or the Logger it called)")
		}
	}()
	lookupHooks(uintptr(ctx)).handlePanic(&NativePanic{What: C.GoString(what)})
	returned = true
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
