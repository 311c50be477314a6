package ants

import (
	"fmt"
	"math"
	"time"

	"libants/ants/internal/capi"
)

// Option represents the optional function.
type Option func(opts *Options)

func loadOptions(options ...Option) *Options {
	opts := new(Options)
	for _, option := range options {
		option(opts)
	}
	return opts
}

// Options contains all options which will be applied when instantiating a
// pool. The fields up to DisablePurge are ants v2.11's; the rest are libants
// extensions and their zero values keep ants' behaviour.
type Options struct {
	// ExpiryDuration is how long a worker may stay idle before it exits.
	// 0 selects DefaultCleanIntervalTime; negative is ErrInvalidPoolExpiry
	// (unless DisablePurge is set, as in ants). A worker idle for longer
	// than this exits within twice this time.
	ExpiryDuration time.Duration

	// PreAlloc allocates everything the pool needs for its capacity up
	// front: submit never allocates, idle workers are reused first-in
	// first-out and Tune is a no-op. Needs a positive size.
	PreAlloc bool

	// MaxBlockingTasks caps the callers blocked in Submit at once; the next
	// gets ErrPoolOverload. 0 means no limit. Negative is invalid: the pool
	// constructors return an error that errors.Is ErrInvalidArgument, as
	// libants does in every language (ants treats it as Nonblocking; use
	// WithNonblocking for that).
	MaxBlockingTasks int

	// Nonblocking makes Submit fail with ErrPoolOverload instead of
	// blocking. MaxBlockingTasks is then inoperative.
	Nonblocking bool

	// PanicHandler receives the value of every panic that escapes a task,
	// on the worker that ran it; the worker survives (in ants it exits).
	// It also receives a *NativePanic for a C++ exception that escaped a
	// native task. nil: the panic and its stack go to the Logger.
	PanicHandler func(any)

	// Logger receives the binding's and libants' messages (panics without
	// a handler, thread creation failures). nil: standard log to stderr
	// with the prefix "[ants]: ".
	Logger Logger

	// DisablePurge keeps idle workers until the pool is released.
	DisablePurge bool

	// QueueSize (libants extension) gives the pool a bounded task queue: a
	// task that finds no free worker waits in the queue, and Submit blocks
	// (or fails, when Nonblocking) only once QueueSize tasks are queued.
	// Blocked callers enter, in order, once a sixteenth of the queue is free
	// (at least one place); a new caller lines up behind them (ants.h).
	// 0 keeps ants' behaviour: no queue.
	QueueSize int

	// ThreadName (libants extension) is the prefix of worker thread names,
	// "<prefix>-<n>", as shown by top -H and gdb. "" means "ants".
	ThreadName string

	// StackSize (libants extension) is the worker threads' stack size in
	// bytes; 0 keeps the system's. Go code in a task runs on a goroutine
	// stack, not on this one: only C code called from tasks uses it.
	StackSize int
}

// WithOptions accepts the whole options config.
func WithOptions(options Options) Option {
	return func(opts *Options) {
		*opts = options
	}
}

// WithExpiryDuration sets up the interval time of cleaning up goroutines.
func WithExpiryDuration(expiryDuration time.Duration) Option {
	return func(opts *Options) {
		opts.ExpiryDuration = expiryDuration
	}
}

// WithPreAlloc indicates whether it should malloc for workers.
func WithPreAlloc(preAlloc bool) Option {
	return func(opts *Options) {
		opts.PreAlloc = preAlloc
	}
}

// WithMaxBlockingTasks sets up the maximum number of goroutines that are blocked when it reaches the capacity of pool.
func WithMaxBlockingTasks(maxBlockingTasks int) Option {
	return func(opts *Options) {
		opts.MaxBlockingTasks = maxBlockingTasks
	}
}

// WithNonblocking indicates that pool will return nil when there is no available workers.
func WithNonblocking(nonblocking bool) Option {
	return func(opts *Options) {
		opts.Nonblocking = nonblocking
	}
}

// WithPanicHandler sets up panic handler.
func WithPanicHandler(panicHandler func(any)) Option {
	return func(opts *Options) {
		opts.PanicHandler = panicHandler
	}
}

// WithLogger sets up a customized logger.
func WithLogger(logger Logger) Option {
	return func(opts *Options) {
		opts.Logger = logger
	}
}

// WithDisablePurge indicates whether we turn off automatically purge.
func WithDisablePurge(disable bool) Option {
	return func(opts *Options) {
		opts.DisablePurge = disable
	}
}

// WithQueueSize gives the pool a bounded task queue of n tasks (libants
// extension; see Options.QueueSize).
func WithQueueSize(n int) Option {
	return func(opts *Options) {
		opts.QueueSize = n
	}
}

// WithThreadName sets the prefix of worker thread names (libants extension).
func WithThreadName(prefix string) Option {
	return func(opts *Options) {
		opts.ThreadName = prefix
	}
}

// WithStackSize sets the worker threads' stack size in bytes (libants
// extension; see Options.StackSize).
func WithStackSize(bytes int) Option {
	return func(opts *Options) {
		opts.StackSize = bytes
	}
}

// durationMS converts to libants' milliseconds, rounding away from zero so
// that a non-zero duration never becomes 0 (which means "default" or "do
// not wait"): 1 ns is 1 ms, -1 ns is -1 ms.
func durationMS(d time.Duration) int64 {
	switch {
	case d > 0:
		return int64((d + time.Millisecond - 1) / time.Millisecond)
	case d < 0:
		return int64((d - time.Millisecond + 1) / time.Millisecond)
	}
	return 0
}

// cInt clamps n to the range of a C int: libants counts in int, and a
// larger Go int would otherwise wrap (to a negative "unlimited" size, say).
func cInt(n int) int {
	return min(max(n, math.MinInt32), math.MaxInt32)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// newCOptions builds a libants options object from o. The caller frees it
// with capi.Ants_options_free.
func newCOptions(o *Options) (uintptr, error) {
	out := []uintptr{0}
	if err := statusErr(capi.Ants_options_new(out)); err != nil {
		return 0, err
	}
	h := out[0]
	// A negative MaxBlockingTasks is rejected by libants itself (one rule
	// for C, Java and Go); the error names the option.
	if err := statusErr(capi.Ants_options_set_max_blocking_tasks(h, cInt(o.MaxBlockingTasks))); err != nil {
		capi.Ants_options_free(h)
		return 0, fmt.Errorf("ants: MaxBlockingTasks %d: %w (0 means no limit; "+
			"WithNonblocking refuses every submit that would block)", o.MaxBlockingTasks, err)
	}
	sets := []func() int{
		func() int { return capi.Ants_options_set_pre_alloc(h, boolInt(o.PreAlloc)) },
		func() int { return capi.Ants_options_set_nonblocking(h, boolInt(o.Nonblocking)) },
		func() int { return capi.Ants_options_set_disable_purge(h, boolInt(o.DisablePurge)) },
		func() int { return capi.Ants_options_set_queue_size(h, cInt(o.QueueSize)) },
	}
	if !o.DisablePurge || o.ExpiryDuration > 0 {
		// As in ants, a negative expiry is only an error while purging.
		sets = append(sets, func() int { return capi.Ants_options_set_expiry_ms(h, durationMS(o.ExpiryDuration)) })
	}
	if o.ThreadName != "" {
		sets = append(sets, func() int { return capi.Ants_options_set_thread_name(h, o.ThreadName) })
	}
	if o.StackSize != 0 {
		sets = append(sets, func() int { return capi.Ants_options_set_stack_size(h, int64(o.StackSize)) })
	}
	for _, set := range sets {
		if err := statusErr(set()); err != nil {
			capi.Ants_options_free(h)
			return 0, err
		}
	}
	return h, nil
}
