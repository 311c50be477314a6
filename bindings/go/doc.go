// Package ants is the Go binding of libants, a C port of the Go goroutine
// pool ants (panjf2000/ants). Its exported API is ants v2.11's, so a program
// written against ants switches by changing one import path:
//
//	import "libants/ants" // was ants' own module path (panjf2000/ants/v2)
//
// and the package name stays ants. examples/compat is such a program.
//
// Go tasks then run on recycled goroutines, as in ants, each holding a slot
// of a libants pool: the same pools, and the same capacity, that C, C++ and
// Java code in the process use (the package-level Submit uses libants'
// process-wide default pool). C tasks (SubmitNative), and Go tasks of a
// pool with a task queue, run on libants' native worker threads.
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
// # How a Go task runs
//
// A pool without a task queue (ants' own kind) runs Go tasks on goroutine
// workers. Each holds a slot of the native pool (ants.h, "Slots"), which
// counts exactly like a native worker thread in Running, Busy, Free,
// WaitIdle and ReleaseTimeout, so Go and C tasks share one capacity. Idle
// goroutine workers wait in a LIFO stack and expire after the pool's
// ExpiryDuration; a submitter that finds neither an idle worker nor room
// waits in line with native submitters, on a channel, holding no OS thread.
// When a native submitter would wait while Go workers sit idle, or the
// capacity shrinks, or the pool is released, libants asks for their slots
// back.
//
// A pool with a task queue runs Go tasks on its native worker threads: a
// Go closure never crosses into C, so Submit stores it in a slot table and
// hands libants the integer key as the argument of an exported trampoline
// whose C type is exactly ants_task_fn; the worker thread trades the key
// back for the closure and runs it. Every table slot is freed exactly once.
//
// Either way a panic is recovered and goes to the PanicHandler, else to the
// Logger; the worker survives.
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
//   - In a pool with a task queue, workers are OS threads, and Go code on
//     them needs one of the GOMAXPROCS Ps: at most GOMAXPROCS tasks execute
//     Go code at once, and each wake-up of a blocked task must hand a P to
//     its thread. See README.md for the measured costs.
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
//     deep on a native worker, 64 on a goroutine worker; deeper ones run on
//     the same worker right after its current task, so a recursion of any
//     depth runs every task exactly once).
//   - MultiPool and its variants also have Release.
//   - Expiry timing: an idle worker exits between ExpiryDuration and twice
//     ExpiryDuration after its last task (a goroutine worker: at most 1.25
//     times).
//   - Pools are freed (released, workers joined) once unreachable; ants
//     leaks an unreleased pool's goroutines. Built with Go >= 1.24 this
//     holds also for a pool whose function, panic handler or logger refers
//     to the pool (runtime.AddCleanup, weak pointers); with Go 1.21-1.23
//     such a pool is never collected and must be released.
//   - In a pool with a task queue, tasks, panic handlers and loggers must
//     not call runtime.Goexit (nor t.FailNow, t.Fatal, t.SkipNow,
//     require.*): a worker is a C thread, a Go callback on it must return
//     to C, and the Go runtime aborts the process otherwise. The binding
//     prints why on stderr just before. On a goroutine worker Goexit ends
//     that goroutine only; a new worker takes over its slot.
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
