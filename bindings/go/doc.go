// Package ants is the Go binding of libants, a C port of the Go goroutine
// pool ants (panjf2000/ants). Its exported API is ants v2.11's, so a program
// written against ants switches by changing one import path:
//
//	import "libants/ants" // was ants' own module path (panjf2000/ants/v2)
//
// and the package name stays ants. examples/compat is such a program.
//
// Tasks then run on libants' native worker threads, the same pools C, C++
// and Java code in the process use (the package-level Submit uses libants'
// process-wide default pool).
//
// # Building
//
// The package finds libants with pkg-config (#cgo pkg-config: ants). With an
// installed libants nothing else is needed. Against a build tree:
//
//	PKG_CONFIG_PATH=<build>/pkgconfig-uninstalled go test -race ./...
//
// The flat C API (handles, options, status codes, getters) is wrapped by
// SWIG into the internal package capi; that SWIG output is a build product,
// not committed. CMake (-DANTS_BUILD_GO=ON) generates it into its copy of
// the module, tests that copy with ctest, and installs the complete module
// under <prefix>/share/libants/go, so Go users of an installed libants need
// no SWIG. In a source checkout, `go generate ./...` (needs swig) creates it.
//
// # How a task crosses into C
//
// The task path is written by hand, not by SWIG. A Go closure never crosses
// into C: Submit stores it in a slot table and hands libants the slot's
// integer key as the argument of an exported trampoline whose C type is
// exactly ants_task_fn; the worker thread calls the trampoline, which trades
// the key back for the closure and runs it. Every slot is freed exactly
// once: by the worker that runs the task, or by Submit when libants did not
// accept it. A panic is recovered before it can reach C and goes to the
// PanicHandler, else to the Logger; the worker survives.
//
// # Observing and waiting
//
// Running, Free, Waiting, Cap, Busy and Queued are lock-free snapshots: they
// may be stale when read and they order no memory (Busy() == 0 does not make
// a finished task's writes visible). To wait for tasks' effects use WaitIdle,
// a Group, ReleaseTimeout or the tasks' own synchronisation.
//
// # Differences from ants
//
//   - Workers are OS threads, and Go code on them needs one of the
//     GOMAXPROCS Ps: at most GOMAXPROCS tasks execute Go code at once,
//     whatever the capacity. Tasks that block (sleep, I/O, channel waits)
//     release their P, so capacity still bounds concurrency for them. See
//     README.md for the measured costs.
//   - DefaultAntsPoolSize is 4096, not math.MaxInt32 (an untyped constant,
//     as in ants).
//   - A panicking task does not kill its worker.
//   - Submit(nil) returns ErrInvalidArgument (ants loses a worker to it);
//     on a closed pool it returns ErrPoolClosed, as in ants.
//   - A negative MaxBlockingTasks is invalid: the constructors return an
//     error that errors.Is ErrInvalidArgument (ants treats it as
//     Nonblocking). The same rule holds in C and Java.
//   - Free() never goes below 0; Cap() and Free() of a multipool of
//     unlimited sub-pools are -1 (ants: -n).
//   - LeastTasks counts busy workers (ants: live workers, idle included).
//   - ReleaseTimeout also waits after an earlier Release (ants returns
//     ErrPoolClosed at once), and returns ErrWouldDeadlock from a task of
//     the same pool.
//   - Reboot never lets old workers rejoin the new generation (ants #330).
//   - A blocking Submit from a task into its own full pool runs the task
//     inline instead of deadlocking (at most ANTS_MAX_INLINE_DEPTH levels
//     deep; deeper ones run on the same worker right after its current
//     task, so a recursion of any depth runs every task exactly once).
//   - MultiPool and its variants also have Release.
//   - Expiry timing: an idle worker exits between ExpiryDuration and twice
//     ExpiryDuration after its last task.
//   - Pools are freed (released, workers joined) once unreachable; ants
//     leaks an unreleased pool's goroutines. Built with Go >= 1.24 this
//     holds also for a pool whose function, panic handler or logger refers
//     to the pool (runtime.AddCleanup, weak pointers); with Go 1.21-1.23
//     such a pool is never collected and must be released.
//   - Tasks, panic handlers and loggers must not call runtime.Goexit (nor
//     t.FailNow, t.Fatal, t.SkipNow, require.*): a worker is a C thread, a
//     Go callback on it must return to C, and the Go runtime aborts the
//     process otherwise. The binding prints why on stderr just before.
//
// # Extensions
//
// FromHandle and Handle (one pool shared with C and C++ code);
// SubmitTimeout, SubmitContext, InvokeTimeout, InvokeContext; WaitIdle and
// WaitIdleTimeout; CancelQueued (drops queued tasks, freeing their
// slots); Group (a set of tasks across pools that can be waited
// for); SubmitNative (a C task with no Go callback at all); Busy, Queued and
// BusyByIndex; WithQueueSize, WithThreadName, WithStackSize; the errors
// ErrInvalidArgument, ErrNoMemory, ErrSystem and ErrWouldDeadlock.
package ants
