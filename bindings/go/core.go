package ants

import (
	"context"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"libants/ants/internal/capi"
)

// hooks are a pool's Go callbacks. libants reaches them through an integer
// id (the ctx of its logger and panic handler), never a Go pointer.
type hooks struct {
	logger       Logger
	panicHandler func(any)
}

var defaultHooks = &hooks{logger: defaultLogger}

// The registry maps the integer ids libants holds to hooks. It must never
// keep a pool alive: a panic handler or logger that refers to its own pool
// would then make the pool unreachable never. On Go >= 1.24 it holds weak
// pointers (the pool holds its hooks strongly); on older Go it holds them
// strongly and such a pool must be released explicitly (lifetime_*.go).
var hookRegistry struct {
	mu   sync.RWMutex
	m    map[uintptr]hookRef
	next uintptr
}

func registerHooks(h *hooks) uintptr {
	hookRegistry.mu.Lock()
	defer hookRegistry.mu.Unlock()
	if hookRegistry.m == nil {
		hookRegistry.m = make(map[uintptr]hookRef)
	}
	hookRegistry.next++
	hookRegistry.m[hookRegistry.next] = makeHookRef(h)
	return hookRegistry.next
}

func unregisterHooks(id uintptr) {
	hookRegistry.mu.Lock()
	delete(hookRegistry.m, id)
	hookRegistry.mu.Unlock()
}

func lookupHooks(id uintptr) *hooks {
	hookRegistry.mu.RLock()
	r, ok := hookRegistry.m[id]
	hookRegistry.mu.RUnlock()
	var h *hooks
	if ok {
		h = derefHooks(r)
	}
	if h == nil {
		// The default pool (id 0), or a pool already collected whose
		// native side is still shutting down and logs on its way out.
		return defaultHooks
	}
	return h
}

// hooksRegistered reports whether id is still registered; tests use it to
// see that a collected pool was freed (freeNative unregisters last).
func hooksRegistered(id uintptr) bool {
	hookRegistry.mu.RLock()
	_, ok := hookRegistry.m[id]
	hookRegistry.mu.RUnlock()
	return ok
}

// poolCore is what every pool type shares: the libants handle and the Go
// side of its options. Every pool type embeds it, so its exported methods
// are the pools' methods.
//
// Lifetime: slots of pending tasks point at the core, which keeps the pool
// value alive until its last task has run. Once nothing references it, a
// cleanup (Go >= 1.24: runtime.AddCleanup, which also frees pools whose
// function or panic handler refers to the pool; older Go: a finalizer)
// frees the libants pool (ants_pool_free: release, join workers); see
// setLifetime. Methods call runtime.KeepAlive after each C call so that the
// pool cannot be freed while a call is using its handle.
type poolCore struct {
	h      uintptr
	pf     func(any) // the pool function of with-func pools
	hooks  *hooks
	hookID uintptr    // 0 for the default pool
	gw     *goWorkers // Go tasks on goroutines holding slots; nil: callback path
}

// poolKind selects the libants constructor.
type poolKind struct {
	multi    bool
	subPools int
	lbs      LoadBalancingStrategy
	withFunc bool
}

func (c *poolCore) init(size int, pf func(any), kind poolKind, options []Option) error {
	size = cInt(size)
	kind.subPools = cInt(kind.subPools)
	o := loadOptions(options...)
	hk := &hooks{logger: o.Logger, panicHandler: o.PanicHandler}
	if hk.logger == nil {
		hk.logger = defaultLogger
	}
	opts, err := newCOptions(o)
	if err != nil {
		return err
	}
	defer capi.Ants_options_free(opts)
	id := registerHooks(hk)
	st := cSetCallbacks(opts, id, hk.panicHandler != nil)
	var h uintptr
	if st == 0 {
		out := []uintptr{0}
		switch {
		case !kind.multi && !kind.withFunc:
			st = capi.Ants_pool_new(out, size, opts)
			h = out[0]
		case !kind.multi:
			h, st = cPoolWithFuncNew(size, opts)
		case !kind.withFunc:
			st = capi.Ants_multipool_new(out, kind.subPools, size, kind.lbs.c(), opts)
			h = out[0]
		default:
			h, st = cMultiPoolWithFuncNew(kind.subPools, size, kind.lbs.c(), opts)
		}
	}
	if st != 0 {
		unregisterHooks(id)
		return statusErr(st)
	}
	c.h, c.pf, c.hooks, c.hookID = h, pf, hk, id
	if o.QueueSize == 0 {
		c.gw = newGoWorkers(h)
		if c.gw != nil {
			c.gw.blocking = !o.Nonblocking
		}
	}
	return nil
}

// nativeRef is what freeing a collected pool needs: plain values, so that
// the cleanup holds no pointer into the pool it frees.
type nativeRef struct {
	h, hookID uintptr
	gw        *goWorkers
}

// freeNative frees the libants pool of a collected pool value. It runs on a
// goroutine of its own: ants_pool_free waits for workers still finishing a
// task, and the runtime's cleanup/finalizer goroutine must not block.
func freeNative(r nativeRef) {
	go func() {
		if r.gw != nil {
			r.gw.shutdown()
		}
		capi.Ants_pool_free(r.h)
		unregisterHooks(r.hookID)
		if hook := onNativeFree.Load(); hook != nil {
			(*hook)(r.h)
		}
	}()
}

// onNativeFree, when set (by tests), is called with each handle freeNative
// has passed to ants_pool_free: a pool shared with C (FromHandle) has no
// hooks to watch.
var onNativeFree atomic.Pointer[func(h uintptr)]

// nilTaskErr is the error for a nil task: ErrPoolClosed on a closed pool
// (ants' own tests probe closed pools with Submit(nil)), else
// ErrInvalidArgument (ants would lose a worker to a nil task).
func (c *poolCore) nilTaskErr() error {
	if c.IsClosed() {
		return ErrPoolClosed
	}
	return ErrInvalidArgument
}

// viaSlots runs e on a goroutine worker holding a slot (goworkers.go);
// handled is false for a pool with a task queue, which takes the callback
// path below instead.
func (c *poolCore) viaSlots(e slotEntry, ws waitSpec) (handled bool, err error) {
	if !c.gw.usable() {
		return false, nil
	}
	err = c.gw.submit(e, ws)
	runtime.KeepAlive(c)
	if err == errNoSlots {
		return false, nil
	}
	return true, err
}

// submit is the hot path: an idle goroutine worker and one cgo call, or
// (callback path) one slot put and one cgo call.
func (c *poolCore) submit(task func()) error {
	if task == nil {
		return c.nilTaskErr()
	}
	e := slotEntry{task: task, owner: c}
	if ok, err := c.viaSlots(e, waitSpec{}); ok {
		return err
	}
	key := slots.put(e)
	st := cSubmit(c.h, key)
	runtime.KeepAlive(c)
	if st != 0 {
		slots.take(key) // not accepted: the slot is ours to free
		return statusErr(st)
	}
	return nil
}

func (c *poolCore) invoke(arg any) error {
	e := slotEntry{arg: arg, owner: c}
	if ok, err := c.viaSlots(e, waitSpec{}); ok {
		return err
	}
	key := slots.put(e)
	st := cInvoke(c.h, key)
	runtime.KeepAlive(c)
	if st != 0 {
		slots.take(key)
		return statusErr(st)
	}
	return nil
}

func (c *poolCore) sendTimeout(e slotEntry, timeout time.Duration) error {
	if e.task == nil && c.pf == nil {
		return ErrInvalidArgument
	}
	if ok, err := c.viaSlots(e, waitSpec{deadline: time.Now().Add(max(timeout, 0))}); ok {
		return err
	}
	ms := durationMS(timeout)
	if ms < 0 {
		ms = 0 // a negative timeout has already expired; libants' -1 is "forever"
	}
	key := slots.put(e)
	st := c.sendKey(key, e.task == nil, ms)
	if st != 0 {
		slots.take(key)
		return statusErr(st)
	}
	return nil
}

func (c *poolCore) sendKey(key uintptr, invoke bool, ms int64) int {
	var st int
	if invoke {
		st = cInvokeTimeout(c.h, key, ms)
	} else {
		st = cSubmitTimeout(c.h, key, ms)
	}
	runtime.KeepAlive(c)
	return st
}

// ctxPollInterval bounds how late SubmitContext notices a cancellation
// that has no deadline on the callback path (pools with a task queue):
// libants cannot be woken by a Go context, so a blocked submit waits in
// slices of this length and checks ctx in between. On the slot path a
// submitter waits on a channel and notices at once.
const ctxPollInterval = 10 * time.Millisecond

func (c *poolCore) sendContext(ctx context.Context, e slotEntry) error {
	if e.task == nil && c.pf == nil {
		return ErrInvalidArgument
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if ok, err := c.viaSlots(e, waitSpec{ctx: ctx}); ok {
		return err
	}
	key := slots.put(e)
	for {
		ms := int64(-1) // no Done channel: ctx can never end, wait forever
		if ctx.Done() != nil {
			wait := ctxPollInterval
			if dl, ok := ctx.Deadline(); ok {
				rem := time.Until(dl)
				if rem <= 0 {
					slots.take(key)
					return context.DeadlineExceeded
				}
				wait = min(wait, rem)
			}
			ms = durationMS(wait)
		}
		st := c.sendKey(key, e.task == nil, ms)
		if st == 0 {
			return nil
		}
		if st != statusTimeout {
			slots.take(key)
			return statusErr(st)
		}
		if err := ctx.Err(); err != nil {
			slots.take(key)
			return err
		}
	}
}

func (c *poolCore) submitNative(fn, arg unsafe.Pointer) error {
	if fn == nil {
		return c.nilTaskErr()
	}
	st := cSubmitNative(c.h, fn, arg)
	runtime.KeepAlive(c)
	return statusErr(st)
}

// Running returns the number of live workers, busy or idle (as in ants: it
// stays at the worker count after all tasks finish, until idle workers
// expire).
func (c *poolCore) Running() int {
	n := capi.Ants_running(c.h)
	runtime.KeepAlive(c)
	return n
}

// Free returns the number of workers that may still be started: Cap() -
// Running(), never below 0 (ants lets it go negative after a shrink); -1
// for an unlimited pool.
func (c *poolCore) Free() int {
	n := capi.Ants_available(c.h)
	runtime.KeepAlive(c)
	return n
}

// Waiting returns the number of callers blocked in Submit or Invoke.
func (c *poolCore) Waiting() int {
	n := capi.Ants_waiting(c.h)
	runtime.KeepAlive(c)
	return n
}

// Cap returns the capacity of this pool; -1 if it is unlimited (also for a
// multipool of unlimited sub-pools, where ants returns -n).
func (c *poolCore) Cap() int {
	n := capi.Ants_cap(c.h)
	runtime.KeepAlive(c)
	return n
}

// Busy returns the number of workers running a task right now (libants
// extension; ants has no busy count).
func (c *poolCore) Busy() int {
	n := capi.Ants_busy(c.h)
	runtime.KeepAlive(c)
	return n
}

// Queued returns the number of tasks in the task queue (libants extension;
// always 0 without WithQueueSize).
func (c *poolCore) Queued() int {
	n := capi.Ants_queued(c.h)
	runtime.KeepAlive(c)
	return n
}

// Tune changes the capacity of this pool; a no-op for size <= 0, an
// unlimited pool or a pre-alloc pool. Shrinking interrupts no task. On a
// multipool every sub-pool gets size.
func (c *poolCore) Tune(size int) {
	capi.Ants_tune(c.h, cInt(size))
	runtime.KeepAlive(c)
}

// IsClosed indicates whether the pool is closed.
func (c *poolCore) IsClosed() bool {
	closed := capi.Ants_is_closed(c.h) != 0
	runtime.KeepAlive(c)
	return closed
}

// Release closes the pool: later submits and every caller blocked in
// Submit get ErrPoolClosed, idle workers exit, running tasks finish. It
// does not wait; see ReleaseTimeout.
func (c *poolCore) Release() {
	capi.Ants_release(c.h)
	if c.gw != nil {
		c.gw.giveBack(math.MaxInt) // the slot listener does it too
	}
	runtime.KeepAlive(c)
}

// calledFromOwnTask reports whether the caller is a Go task of this pool
// running on a goroutine worker (libants sees its own threads itself).
func (c *poolCore) calledFromOwnTask() bool {
	if c.gw == nil {
		return false
	}
	w := currentWorker()
	return w != nil && w.gw.h == c.h
}

// ReleaseTimeout closes the pool and waits until every worker has exited,
// or returns ErrTimeout. Unlike ants it also waits after an earlier
// Release. From a task of this pool it returns ErrWouldDeadlock at once.
func (c *poolCore) ReleaseTimeout(timeout time.Duration) error {
	if c.calledFromOwnTask() {
		return ErrWouldDeadlock
	}
	ms := durationMS(timeout)
	if ms < 0 {
		ms = 0
	}
	err := statusErr(capi.Ants_release_timeout(c.h, ms))
	runtime.KeepAlive(c)
	return err
}

// Reboot reopens a released pool. Workers still finishing tasks from
// before never rejoin it (unlike ants, #330). A multipool restarts its
// round-robin at sub-pool 0.
func (c *poolCore) Reboot() {
	capi.Ants_reboot(c.h)
	runtime.KeepAlive(c)
}

// WaitIdle waits until no task is running or queued and no caller is
// blocked in Submit, without closing the pool (libants extension). From a
// task of this pool it returns ErrWouldDeadlock at once.
func (c *poolCore) WaitIdle() error {
	if c.calledFromOwnTask() {
		return ErrWouldDeadlock
	}
	err := statusErr(capi.Ants_wait_idle(c.h, -1))
	runtime.KeepAlive(c)
	return err
}

// WaitIdleTimeout is WaitIdle giving up with ErrTimeout after timeout.
func (c *poolCore) WaitIdleTimeout(timeout time.Duration) error {
	if c.calledFromOwnTask() {
		return ErrWouldDeadlock
	}
	ms := durationMS(timeout)
	if ms < 0 {
		ms = 0
	}
	err := statusErr(capi.Ants_wait_idle(c.h, ms))
	runtime.KeepAlive(c)
	return err
}

// CancelQueued drops the tasks waiting in the task queue (WithQueueSize)
// that no worker has started, and returns how many it dropped (libants
// extension). They never run; a Group counts them as finished. It is the
// one exception to "an accepted task runs exactly once", and only on
// request. Without a queue it returns 0.
func (c *poolCore) CancelQueued() int {
	out := []int{0}
	st := capi.Ants_cancel_queued(out, c.h)
	runtime.KeepAlive(c)
	if st != 0 {
		return 0 // only ANTS_ERR_INVALID_ARGUMENT, for a nil handle
	}
	return out[0]
}

// byIndex runs one of libants' *_by_index getters; ants returns -1 with
// its error.
func (c *poolCore) byIndex(get func([]int, uintptr, int) int, idx int) (int, error) {
	out := []int{0}
	st := get(out, c.h, idx)
	runtime.KeepAlive(c)
	if st != 0 {
		return -1, statusErr(st)
	}
	return out[0], nil
}
