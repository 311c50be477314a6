package ants

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Go tasks run on recycled goroutines, as in ants, and each goroutine
// worker holds a *slot* of the native pool (ants.h, "Slots"): Go tasks and
// C/C++ tasks share one capacity, and Running, Busy, Waiting, WaitIdle and
// ReleaseTimeout count both, while a Go task never runs on (nor blocks) a
// native thread.
//
//   - Idle goroutine workers form a LIFO stack per pool wrapper, each
//     waiting on its own channel. Submit pops the most recently idled one,
//     makes its slot busy (ants_slot_begin) and hands it the task: one cgo
//     call and one channel send.
//   - Without an idle worker, Submit takes a slot with
//     ants_slot_acquire_async: at once if the pool has room (a new worker
//     goroutine starts with it), else the submitter waits in line with
//     native submitters, on a channel (no OS thread held), until a slot is
//     granted or the pool closes. Nonblocking pools and MaxBlockingTasks
//     are the C side's rules.
//   - After each task the worker calls ants_slot_end: kept (the slot is now
//     idle, the goroutine parks on the stack) or given back (closed,
//     rebooted, shrunk, or someone waits: the goroutine exits). When the
//     slot goes to a submitter of the same pool wrapper, the grant arrives
//     inside that very ants_slot_end call (a thread-local in glue.go names
//     the worker), and the worker takes the submitter's task itself: a
//     saturated pool hands tasks from submitter to worker without starting
//     goroutines.
//   - Idle workers expire after the pool's expiry (ants_pool_expiry_ms),
//     and the pool's slot listener asks for idle slots back when a native
//     submitter would wait, the capacity shrinks or the pool is released.
//
// Pools with a task queue keep the callback path (glue.go): slots exist only
// for ants' own semantics. A pool shared with C whose kind is unknown finds
// out at its first acquire (ANTS_ERR_INVALID_ARGUMENT) and falls back.

// maxInlineDepth bounds nested submits run inline on a worker goroutine;
// deeper ones are deferred to the same worker (as libants does on its
// threads with ANTS_MAX_INLINE_DEPTH). The identity check walks the stack,
// so the bound is lower here.
const maxInlineDepth = 64

// goWorkers is the Go side of one pool wrapper's slots. It holds no pointer
// to the pool value, so idle workers never keep a pool alive.
type goWorkers struct {
	h          uintptr
	expiry     time.Duration // <= 0: idle workers never expire
	blocking   bool          // known to block when full (not nonblocking): made here
	id         uint32        // in gwTab: the listener's context
	listenerID int64

	mu      sync.Mutex
	idle    []*goWorker // LIFO: idle[len-1] is the hottest, idle[0] the coldest
	timer   *time.Timer
	timerOn bool
	dead    bool // the wrapper was freed: workers give their slots back

	noSlots    atomic.Bool   // the pool has a task queue: Go tasks use the callback path
	handedOver atomic.Int32  // tasks sent to workers that have not received them yet
	asked      atomic.Uint32 // requests for idle slots (listener, Release) so far
}

var gwTab idTable[goWorkers]

// newGoWorkers sets up the slot path for the pool h and registers its
// slot listener; nil if that fails (the callback path stays).
func newGoWorkers(h uintptr) *goWorkers {
	gw := &goWorkers{h: h}
	if ms := cPoolExpiryMS(h); ms > 0 {
		gw.expiry = time.Duration(ms) * time.Millisecond
	}
	gw.id = gwTab.add(gw)
	id, st := cSlotListenerAdd(h, uintptr(gw.id))
	if st != 0 {
		gwTab.remove(gw.id)
		return nil
	}
	gw.listenerID = id
	return gw
}

// usable reports whether Go tasks take the slot path.
func (gw *goWorkers) usable() bool {
	return gw != nil && !gw.noSlots.Load()
}

// shutdown runs when the pool wrapper is freed: idle workers give their
// slots back, busy ones will when their task ends, and the listener goes.
func (gw *goWorkers) shutdown() {
	gw.mu.Lock()
	gw.dead = true
	ws := gw.idle
	gw.idle = nil
	if gw.timer != nil {
		gw.timer.Stop()
	}
	gw.mu.Unlock()
	gw.retire(ws)
	cSlotListenerRemove(gw.h, gw.listenerID)
	gwTab.remove(gw.id)
}

// giveBack releases up to n idle slots, coldest first (the slot listener,
// and Release).
func (gw *goWorkers) giveBack(n int) {
	gw.asked.Add(1)
	gw.mu.Lock()
	n = min(n, len(gw.idle))
	ws := make([]*goWorker, n)
	copy(ws, gw.idle[:n])
	gw.dropColdest(n)
	gw.mu.Unlock()
	gw.retire(ws)
}

// dropColdest removes the n coldest idle workers from the stack; mu held.
func (gw *goWorkers) dropColdest(n int) {
	if n == 0 {
		return
	}
	rest := copy(gw.idle, gw.idle[n:])
	clear(gw.idle[rest:])
	gw.idle = gw.idle[:rest]
}

// retire gives back the slots of workers taken off the idle stack and
// stops their goroutines.
func (gw *goWorkers) retire(ws []*goWorker) {
	for _, w := range ws {
		cSlotRelease(gw.h, w.token)
		close(w.tasks)
	}
}

func (gw *goWorkers) pop() *goWorker {
	gw.mu.Lock()
	n := len(gw.idle)
	if n == 0 {
		gw.mu.Unlock()
		return nil
	}
	w := gw.idle[n-1]
	gw.idle[n-1] = nil
	gw.idle = gw.idle[:n-1]
	gw.mu.Unlock()
	return w
}

// park puts w, whose slot is idle, on the stack; false if the wrapper is
// gone, or if the pool asked for idle slots back since asked was read
// before ants_slot_end (w was not on the stack to be found then: a
// release would otherwise wait for its slot until it expires). w must then
// give its slot back and exit.
func (gw *goWorkers) park(w *goWorker, asked uint32) bool {
	var now time.Time
	if gw.expiry > 0 {
		now = time.Now()
	}
	gw.mu.Lock()
	if gw.dead || gw.asked.Load() != asked {
		gw.mu.Unlock()
		return false
	}
	w.idleSince = now
	gw.idle = append(gw.idle, w)
	arm := gw.expiry > 0 && !gw.timerOn
	if arm {
		gw.timerOn = true
		if gw.timer == nil {
			gw.timer = time.AfterFunc(gw.expiry, gw.purge)
		} else {
			gw.timer.Reset(gw.expiry)
		}
	}
	gw.mu.Unlock()
	return true
}

// purge retires the workers idle for the expiry or longer. The stack is
// ordered by idle time, so they are a prefix. It runs on a timer, armed
// only while workers are idle (no goroutine lives for it), at most every
// quarter expiry: a worker lives idle between 1 and 1.25 expiries.
func (gw *goWorkers) purge() {
	now := time.Now()
	gw.mu.Lock()
	n := 0
	for n < len(gw.idle) && now.Sub(gw.idle[n].idleSince) >= gw.expiry {
		n++
	}
	ws := make([]*goWorker, n)
	copy(ws, gw.idle[:n])
	gw.dropColdest(n)
	if len(gw.idle) > 0 && !gw.dead {
		gw.timer.Reset(max(gw.expiry-now.Sub(gw.idle[0].idleSince), gw.expiry/4))
	} else {
		gw.timerOn = false
	}
	gw.mu.Unlock()
	gw.retire(ws)
}

// waitSpec is how long a submitter may wait for a slot: forever (zero
// value), until a deadline, or until a context ends.
type waitSpec struct {
	deadline time.Time
	ctx      context.Context
}

// errNoSlots: the pool has a task queue; the caller takes the callback path.
var errNoSlots = errors.New("ants: pool has a task queue")

// submit runs e on a goroutine worker holding a slot of the pool. It
// returns errNoSlots (nothing done) when the pool turns out to have a task
// queue.
func (gw *goWorkers) submit(e slotEntry, ws waitSpec) error {
	if gw.reuse(e) {
		return nil
	}
	if gw.handedOver.Load() > 0 {
		// Workers handed a task have not run yet (on this P, as likely as
		// not): let them, and take one that parks, before queueing for a
		// slot - as a full ants pool's submitter waits for a worker.
		runtime.Gosched()
		if gw.reuse(e) {
			return nil
		}
	}
	wt := getWaiter()
	wt.gw, wt.e = gw, e
	token, ticket, st := cSlotAcquireAsync(gw.h, uintptr(wt.id))
	switch {
	case st == statusInvalidArgument:
		putWaiter(wt)
		gw.noSlots.Store(true)
		return errNoSlots
	case st == statusOverload && gw.blocking:
		// MaxBlockingTasks callers wait already. A task of this pool is
		// exempt, as on native workers: it never blocks, it runs inline.
		putWaiter(wt)
		if w := currentWorker(); w != nil && w.gw.h == gw.h {
			w.runNested(e)
			return nil
		}
		return statusErr(st)
	case st != 0:
		putWaiter(wt)
		return statusErr(st)
	case token != 0:
		putWaiter(wt)
		gw.start(token, e)
		return nil
	}
	// The pool is saturated. A task of this very pool would wait for
	// itself: it runs the new task inline instead, as libants does on its
	// own threads.
	if w := currentWorker(); w != nil && w.gw.h == gw.h && cSlotCancel(gw.h, ticket) == 0 {
		putWaiter(wt)
		w.runNested(e)
		return nil
	}
	g, err := wt.wait(gw.h, ticket, ws)
	putWaiter(wt)
	if err != nil {
		return err
	}
	switch {
	case g.taken:
		return nil // a worker of this wrapper took the task with the slot
	case g.status != 0:
		return statusErr(g.status)
	}
	gw.start(g.token, e)
	return nil
}

// reuse hands e to the most recently idled worker, if there is one.
func (gw *goWorkers) reuse(e slotEntry) bool {
	for {
		w := gw.pop()
		if w == nil {
			return false
		}
		if cSlotBegin(gw.h, w.token) == 0 {
			gw.handedOver.Add(1)
			w.tasks <- e
			return true
		}
		// Closed or rebooted since the slot was kept: give it back, drop
		// the worker, and acquire (which answers for the pool's state).
		gw.retire([]*goWorker{w})
	}
}

// start begins a goroutine worker on a busy slot with its first task.
func (gw *goWorkers) start(token int64, e slotEntry) {
	w := &goWorker{gw: gw, token: token, tasks: make(chan slotEntry, 1), first: e}
	w.id = workerTab.add(w)
	gw.handedOver.Add(1)
	go wkStart(w)
}

// slotWaiter is a submitter waiting for a slot. The grant callback finds it
// by id; waiters are reused, with their id and channel.
type slotWaiter struct {
	id uint32
	gw *goWorkers
	e  slotEntry
	ch chan slotGrant // one grant per ticket
}

type slotGrant struct {
	status int
	token  int64
	taken  bool // a worker of the same wrapper runs the task on the slot
}

var (
	waiterTab  idTable[slotWaiter]
	waiterPool struct {
		mu   sync.Mutex
		free []*slotWaiter
	}
)

func getWaiter() *slotWaiter {
	waiterPool.mu.Lock()
	if n := len(waiterPool.free); n > 0 {
		wt := waiterPool.free[n-1]
		waiterPool.free = waiterPool.free[:n-1]
		waiterPool.mu.Unlock()
		return wt
	}
	waiterPool.mu.Unlock()
	wt := &slotWaiter{ch: make(chan slotGrant, 1)}
	wt.id = waiterTab.add(wt)
	return wt
}

func putWaiter(wt *slotWaiter) {
	wt.gw, wt.e = nil, slotEntry{}
	waiterPool.mu.Lock()
	waiterPool.free = append(waiterPool.free, wt)
	waiterPool.mu.Unlock()
}

// wait waits for the grant of ticket, or gives up when ws says so. A grant
// that comes in the meantime wins: if ants_slot_cancel finds the ticket
// already served, the grant is taken and the task runs (the submit
// succeeded just before its time ran out).
func (wt *slotWaiter) wait(h uintptr, ticket int64, ws waitSpec) (slotGrant, error) {
	var timeout <-chan time.Time
	if !ws.deadline.IsZero() {
		t := time.NewTimer(time.Until(ws.deadline))
		defer t.Stop()
		timeout = t.C
	}
	var done <-chan struct{}
	if ws.ctx != nil {
		done = ws.ctx.Done()
	}
	select {
	case g := <-wt.ch:
		return g, nil
	case <-timeout:
		if cSlotCancel(h, ticket) == 0 {
			return slotGrant{}, ErrTimeout
		}
	case <-done:
		if cSlotCancel(h, ticket) == 0 {
			return slotGrant{}, ws.ctx.Err()
		}
	}
	return <-wt.ch, nil
}

// grant delivers the outcome of a waiting acquire. worker is the id of the
// goroutine worker whose ants_slot_end freed the slot, if any: when it
// serves this very wrapper, it takes the task and the slot itself.
func grant(waiterID uint32, status int, token int64, worker uint32) {
	wt := waiterTab.at(waiterID)
	if wt == nil {
		return // cannot happen: a waiter stays registered for good
	}
	if status == 0 && worker != 0 {
		if w := workerTab.at(worker); w != nil && w.gw == wt.gw && !w.hasHandoff {
			w.hasHandoff, w.handoffToken, w.handoffEntry = true, token, wt.e
			wt.ch <- slotGrant{taken: true}
			return
		}
	}
	wt.ch <- slotGrant{status: status, token: token}
}

// listen is the pool's request for up to count idle slots back.
func listen(gwID uint32, count int) {
	if gw := gwTab.at(gwID); gw != nil {
		gw.giveBack(count)
	}
}

// goWorker is one goroutine worker. The fields after tasks belong to the
// worker's own goroutine (the grant callback writes the handoff fields on
// it too, inside the worker's ants_slot_end).
type goWorker struct {
	gw        *goWorkers
	id        uint32 // in workerTab, and encoded in the goroutine's stack
	token     int64  // the slot held
	tasks     chan slotEntry
	idleSince time.Time // under gw.mu

	first        slotEntry
	depth        int         // nested submits running inline
	deferred     []slotEntry // nested submits beyond maxInlineDepth
	groups       []*groupCore
	hasHandoff   bool
	handoffToken int64
	handoffEntry slotEntry
}

var workerTab idTable[goWorker]

// loop is the worker's life: run a task, end it, park, repeat.
func (w *goWorker) loop() {
	gw := w.gw
	returned := false
	defer func() {
		if !returned {
			w.goexited()
		}
		workerTab.remove(w.id)
	}()
	e := w.first
	w.first = slotEntry{}
	if e.owner != nil {
		gw.handedOver.Add(-1)
	}
	for {
		w.runOuter(e)
		e = slotEntry{}
		asked := gw.asked.Load()
		kept := cSlotEnd(gw.h, w.token, uintptr(w.id))
		if w.hasHandoff {
			w.hasHandoff = false
			next := w.handoffEntry
			w.handoffEntry = slotEntry{}
			if kept == 1 {
				// Our own slot stayed ours (idle) besides the one granted:
				// the granted one starts a worker of its own.
				gw.start(w.handoffToken, next)
			} else {
				w.token, e = w.handoffToken, next
				continue
			}
		}
		if kept != 1 {
			break
		}
		if !gw.park(w, asked) {
			cSlotRelease(gw.h, w.token)
			break
		}
		var ok bool
		if e, ok = <-w.tasks; !ok {
			break // retired: the slot was given back by whoever closed tasks
		}
		gw.handedOver.Add(-1)
	}
	returned = true
}

// runOuter runs a task (none for a worker taking over from one that
// Goexited) and then the nested tasks deferred by it.
func (w *goWorker) runOuter(e slotEntry) {
	if e.owner != nil {
		w.runTask(&e)
	}
	for len(w.deferred) > 0 {
		next := w.deferred[0]
		w.deferred[0] = slotEntry{}
		w.deferred = w.deferred[1:]
		w.runTask(&next)
	}
	w.deferred = nil
}

// runTask runs one task, recovering its panic, and tells its group.
func (w *goWorker) runTask(e *slotEntry) {
	g := e.group
	if g == nil {
		runEntry(e)
		return
	}
	w.groups = append(w.groups, g)
	panicked := false
	defer func() {
		w.groups = w.groups[:len(w.groups)-1]
		cGroupLeave(g.h, panicked)
	}()
	panicked = runEntry(e)
}

// runNested runs a task submitted by a task of this worker's pool while
// the pool is saturated: inline, or deferred past maxInlineDepth.
func (w *goWorker) runNested(e slotEntry) {
	if w.depth >= maxInlineDepth {
		w.deferred = append(w.deferred, e)
		return
	}
	w.depth++
	defer func() { w.depth-- }()
	w.runTask(&e)
}

// inGroup reports whether the worker is running a task of g.
func (w *goWorker) inGroup(g *groupCore) bool {
	for _, x := range w.groups {
		if x == g {
			return true
		}
	}
	return false
}

// goexited: a task called runtime.Goexit (t.FailNow in a task, say). The
// goroutine cannot be saved, but the slot can: a new worker takes it over,
// busy, with the tasks this one still owed (deferred nested tasks).
func (w *goWorker) goexited() {
	w.depth = 0
	w.groups = nil
	nw := &goWorker{gw: w.gw, token: w.token, tasks: make(chan slotEntry, 1), deferred: w.deferred}
	w.deferred = nil
	nw.id = workerTab.add(nw)
	go wkStart(nw)
}

// A nested submit, WaitIdle, ReleaseTimeout and Group.Wait must know whether
// the calling goroutine is a worker (and which): Go has no goroutine-local
// storage, so a worker writes its id into its own stack, one bit per frame
// (wkMark0 / wkMark1, least significant bit outermost), between wkStart and
// wkMarkEnd; currentWorker (workerid.go) reads it back with
// runtime.Callers. That costs nothing per task, only on the paths that
// need it.

//go:noinline
func wkStart(w *goWorker) { wkNext(w, w.id) }

//go:noinline
func wkNext(w *goWorker, rest uint32) {
	switch {
	case rest == 0:
		wkMarkEnd(w)
	case rest&1 == 0:
		wkMark0(w, rest>>1)
	default:
		wkMark1(w, rest>>1)
	}
}

//go:noinline
func wkMark0(w *goWorker, rest uint32) { wkNext(w, rest) }

//go:noinline
func wkMark1(w *goWorker, rest uint32) { wkNext(w, rest) }

//go:noinline
func wkMarkEnd(w *goWorker) { w.loop() }
