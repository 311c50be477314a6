package ants_test

// The behavioural cases of the C suite, driven through the Go API, named
// after ants' own tests. Synchronisation is by channels and WaitGroups;
// where a state can only be observed (a caller blocked in Submit, a worker
// expired) the test polls for it with a generous deadline and never asserts
// on elapsed time.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"libants/ants"
)

// eventually polls cond until it holds, failing the test after 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// gate holds tasks until opened.
type gate chan struct{}

func (g gate) wait() { <-g }
func (g gate) open() { close(g) }
func newGate() gate  { return make(gate) }
func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func mustIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}

// occupy fills all n workers of p with tasks blocked on g and returns once
// they all run.
func occupy(t *testing.T, p interface{ Submit(func()) error }, n int, g gate) {
	t.Helper()
	var started sync.WaitGroup
	started.Add(n)
	for i := 0; i < n; i++ {
		mustNil(t, p.Submit(func() {
			started.Done()
			g.wait()
		}))
	}
	started.Wait()
}

func TestPoolSubmit(t *testing.T) {
	p, err := ants.NewPool(10)
	mustNil(t, err)
	defer p.Release()
	var wg sync.WaitGroup
	var n atomic.Int32
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		mustNil(t, p.Submit(func() { n.Add(1); wg.Done() }))
	}
	wg.Wait()
	if n.Load() != 1000 {
		t.Fatalf("ran %d tasks, want 1000", n.Load())
	}
	if p.Cap() != 10 || p.Running() > 10 || p.Running() < 1 {
		t.Fatalf("cap %d running %d", p.Cap(), p.Running())
	}
	if p.Free() != p.Cap()-p.Running() {
		t.Fatalf("free %d != cap %d - running %d", p.Free(), p.Cap(), p.Running())
	}
}

func TestSubmitNil(t *testing.T) {
	p, err := ants.NewPool(1)
	mustNil(t, err)
	defer p.Release()
	mustIs(t, p.Submit(nil), ants.ErrInvalidArgument)
	mustIs(t, p.SubmitTimeout(nil, time.Second), ants.ErrInvalidArgument)
	mustIs(t, p.SubmitContext(context.Background(), nil), ants.ErrInvalidArgument)
	mustIs(t, p.SubmitNative(nil, nil), ants.ErrInvalidArgument)
}

// TestSubmitNilToClosedPool: "closed" is checked first, as in ants, whose
// own tests probe a closed pool with Submit(nil) (issue 14).
func TestSubmitNilToClosedPool(t *testing.T) {
	p, err := ants.NewPool(1)
	mustNil(t, err)
	mp, err := ants.NewMultiPool(2, 1, ants.RoundRobin)
	mustNil(t, err)
	grp, err := ants.NewGroup()
	mustNil(t, err)
	p.Release()
	mp.Release()
	for _, s := range []interface {
		ants.Submitter
		SubmitTimeout(func(), time.Duration) error
		SubmitContext(context.Context, func()) error
		SubmitNative(fn, arg unsafe.Pointer) error
	}{p, mp} {
		mustIs(t, s.Submit(nil), ants.ErrPoolClosed)
		mustIs(t, s.SubmitTimeout(nil, time.Second), ants.ErrPoolClosed)
		mustIs(t, s.SubmitContext(context.Background(), nil), ants.ErrPoolClosed)
		mustIs(t, s.SubmitNative(nil, nil), ants.ErrPoolClosed)
		mustIs(t, grp.Submit(s, nil), ants.ErrPoolClosed)
		mustIs(t, grp.SubmitNative(s, nil, nil), ants.ErrPoolClosed)
	}
	mustIs(t, ants.Submit(nil), ants.ErrInvalidArgument) // the default pool is open
}

func TestInfinitePool(t *testing.T) {
	p, err := ants.NewPool(-1)
	mustNil(t, err)
	defer p.Release()
	if p.Cap() != -1 || p.Free() != -1 {
		t.Fatalf("unlimited pool: cap %d free %d, want -1 -1", p.Cap(), p.Free())
	}
	g := newGate()
	occupy(t, p, 20, g)
	if p.Running() != 20 {
		t.Fatalf("running %d, want 20", p.Running())
	}
	g.open()
	p.Tune(10) // no-op on an unlimited pool
	if p.Cap() != -1 {
		t.Fatalf("tune changed an unlimited pool: cap %d", p.Cap())
	}
}

func TestPoolWithFuncInvoke(t *testing.T) {
	var sum atomic.Int64
	var wg sync.WaitGroup
	p, err := ants.NewPoolWithFunc(4, func(i any) {
		sum.Add(int64(i.(int)))
		wg.Done()
	})
	mustNil(t, err)
	defer p.Release()
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		mustNil(t, p.Invoke(i))
	}
	wg.Wait()
	if sum.Load() != 499500 {
		t.Fatalf("sum %d, want 499500", sum.Load())
	}
	_, err = ants.NewPoolWithFunc(4, nil)
	mustIs(t, err, ants.ErrLackPoolFunc)
}

func TestPoolWithFuncGeneric(t *testing.T) {
	var sum atomic.Int64
	var wg sync.WaitGroup
	p, err := ants.NewPoolWithFuncGeneric(4, func(i int64) {
		sum.Add(i)
		wg.Done()
	})
	mustNil(t, err)
	defer p.Release()
	for i := int64(0); i < 1000; i++ {
		wg.Add(1)
		mustNil(t, p.Invoke(i))
	}
	wg.Wait()
	if sum.Load() != 499500 {
		t.Fatalf("sum %d, want 499500", sum.Load())
	}
	// A nil interface argument reaches the function as nil.
	got := make(chan error, 1)
	pe, err := ants.NewPoolWithFuncGeneric(1, func(e error) { got <- e })
	mustNil(t, err)
	defer pe.Release()
	mustNil(t, pe.Invoke(nil))
	if e := <-got; e != nil {
		t.Fatalf("got %v, want nil", e)
	}
	_, err = ants.NewPoolWithFuncGeneric[int](1, nil)
	mustIs(t, err, ants.ErrLackPoolFunc)
}

func TestBlockingSubmit(t *testing.T) {
	p, err := ants.NewPool(1)
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 1, g)
	done := make(chan error, 1)
	ran := make(chan struct{})
	go func() { done <- p.Submit(func() { close(ran) }) }()
	eventually(t, "a caller blocked in Submit", func() bool { return p.Waiting() == 1 })
	g.open()
	mustNil(t, <-done)
	<-ran
}

func TestNonblockingSubmit(t *testing.T) {
	p, err := ants.NewPool(1, ants.WithNonblocking(true))
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 1, g)
	mustIs(t, p.Submit(func() {}), ants.ErrPoolOverload)
	g.open()
	eventually(t, "worker idle again", func() bool { return p.Submit(func() {}) == nil })
}

func TestMaxBlockingSubmit(t *testing.T) {
	p, err := ants.NewPool(1, ants.WithMaxBlockingTasks(1))
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 1, g)
	done := make(chan error, 1)
	go func() { done <- p.Submit(func() {}) }()
	eventually(t, "one caller blocked", func() bool { return p.Waiting() == 1 })
	mustIs(t, p.Submit(func() {}), ants.ErrPoolOverload)
	g.open()
	mustNil(t, <-done)
}

// TestNegativeMaxBlockingIsInvalid: one rule in every language (issue 17):
// libants rejects a negative MaxBlockingTasks, and so does every Go
// constructor (ants would treat it as Nonblocking).
func TestNegativeMaxBlockingIsInvalid(t *testing.T) {
	neg := ants.WithMaxBlockingTasks(-1)
	_, err := ants.NewPool(1, neg)
	mustIs(t, err, ants.ErrInvalidArgument)
	if !strings.Contains(err.Error(), "MaxBlockingTasks -1") {
		t.Fatalf("error %q does not name the option", err)
	}
	_, err = ants.NewPoolWithFunc(1, func(any) {}, neg)
	mustIs(t, err, ants.ErrInvalidArgument)
	_, err = ants.NewPoolWithFuncGeneric(1, func(int) {}, neg)
	mustIs(t, err, ants.ErrInvalidArgument)
	_, err = ants.NewMultiPool(2, 1, ants.RoundRobin, neg)
	mustIs(t, err, ants.ErrInvalidArgument)
	_, err = ants.NewMultiPoolWithFunc(2, 1, func(any) {}, ants.LeastTasks, neg)
	mustIs(t, err, ants.ErrInvalidArgument)
	_, err = ants.NewMultiPoolWithFuncGeneric(2, 1, func(int) {}, ants.LeastTasks,
		ants.WithOptions(ants.Options{MaxBlockingTasks: -5}))
	mustIs(t, err, ants.ErrInvalidArgument)
	// 0 is "no limit" and valid, as in ants.
	p, err := ants.NewPool(1, ants.WithMaxBlockingTasks(0))
	mustNil(t, err)
	p.Release()
}

func TestPoolTuneScaleUp(t *testing.T) {
	p, err := ants.NewPool(2)
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 2, g)
	done := make(chan error, 1)
	ran := make(chan struct{})
	go func() { done <- p.Submit(func() { close(ran); g.wait() }) }()
	eventually(t, "a caller blocked", func() bool { return p.Waiting() == 1 })
	p.Tune(3)
	if p.Cap() != 3 {
		t.Fatalf("cap %d after Tune(3)", p.Cap())
	}
	mustNil(t, <-done)
	<-ran
	for _, n := range []int{0, -1, 3} {
		p.Tune(n) // no-ops
		if p.Cap() != 3 {
			t.Fatalf("Tune(%d) changed cap to %d", n, p.Cap())
		}
	}
	p.Tune(1) // shrinking interrupts nothing
	if p.Cap() != 1 || p.Running() != 3 {
		t.Fatalf("after shrink: cap %d running %d, want 1 3", p.Cap(), p.Running())
	}
	if p.Free() != 0 {
		t.Fatalf("free %d after shrink below running, want 0 (clamped)", p.Free())
	}
	g.open()
	eventually(t, "workers above cap exit", func() bool { return p.Running() <= 1 })
}

func TestRelease(t *testing.T) {
	p, err := ants.NewPool(1)
	mustNil(t, err)
	g := newGate()
	occupy(t, p, 1, g)
	blocked := make(chan error, 1)
	go func() { blocked <- p.Submit(func() {}) }()
	eventually(t, "a caller blocked", func() bool { return p.Waiting() == 1 })
	p.Release()
	if !p.IsClosed() {
		t.Fatal("IsClosed false after Release")
	}
	mustIs(t, <-blocked, ants.ErrPoolClosed)
	mustIs(t, p.Submit(func() {}), ants.ErrPoolClosed)
	p.Release() // twice is harmless
	g.open()
	mustNil(t, p.ReleaseTimeout(10*time.Second))
	if p.Running() != 0 {
		t.Fatalf("running %d after ReleaseTimeout", p.Running())
	}
}

func TestReleaseTimeout(t *testing.T) {
	p, err := ants.NewPool(2)
	mustNil(t, err)
	g := newGate()
	occupy(t, p, 2, g)
	mustIs(t, p.ReleaseTimeout(20*time.Millisecond), ants.ErrTimeout)
	if !p.IsClosed() {
		t.Fatal("pool not closed after a timed-out ReleaseTimeout")
	}
	g.open()
	mustNil(t, p.ReleaseTimeout(10*time.Second))
	if p.Running() != 0 {
		t.Fatalf("running %d after ReleaseTimeout", p.Running())
	}
}

func TestReleaseTimeoutFromTask(t *testing.T) {
	p, err := ants.NewPool(1)
	mustNil(t, err)
	defer p.Release()
	res := make(chan error, 1)
	mustNil(t, p.Submit(func() { res <- p.ReleaseTimeout(time.Second) }))
	mustIs(t, <-res, ants.ErrWouldDeadlock)
}

func TestRebootPool(t *testing.T) {
	p, err := ants.NewPool(2)
	mustNil(t, err)
	mustNil(t, p.ReleaseTimeout(10*time.Second))
	mustIs(t, p.Submit(func() {}), ants.ErrPoolClosed)
	p.Reboot()
	if p.IsClosed() {
		t.Fatal("closed after Reboot")
	}
	done := make(chan struct{})
	mustNil(t, p.Submit(func() { close(done) }))
	<-done
	p.Release()
}

func TestRebootDefaultPool(t *testing.T) {
	defer ants.Reboot()
	mustNil(t, ants.ReleaseTimeout(10*time.Second))
	mustIs(t, ants.Submit(func() {}), ants.ErrPoolClosed)
	ants.Reboot()
	done := make(chan struct{})
	mustNil(t, ants.Submit(func() { close(done) }))
	<-done
	if ants.Cap() != ants.DefaultAntsPoolSize {
		t.Fatalf("default cap %d, want %d", ants.Cap(), ants.DefaultAntsPoolSize)
	}
	if ants.Running() < 1 || ants.Free() != ants.Cap()-ants.Running() {
		t.Fatalf("default pool: running %d free %d", ants.Running(), ants.Free())
	}
	ants.Release()
}

func TestPurgePool(t *testing.T) {
	p, err := ants.NewPool(10, ants.WithExpiryDuration(20*time.Millisecond))
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 10, g)
	g.open()
	eventually(t, "idle workers expire", func() bool { return p.Running() == 0 })
}

func TestDisablePurge(t *testing.T) {
	p, err := ants.NewPool(4, ants.WithExpiryDuration(5*time.Millisecond), ants.WithDisablePurge(true))
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 4, g)
	g.open()
	eventually(t, "tasks finish", func() bool { return p.Busy() == 0 })
	time.Sleep(50 * time.Millisecond) // ten expiry periods: nothing may expire
	if p.Running() != 4 {
		t.Fatalf("running %d with purge disabled, want 4", p.Running())
	}
}

func TestInvalidOptions(t *testing.T) {
	_, err := ants.NewPool(1, ants.WithExpiryDuration(-time.Second))
	mustIs(t, err, ants.ErrInvalidPoolExpiry)
	// As in ants, the expiry is not checked when purging is disabled.
	p, err := ants.NewPool(1, ants.WithExpiryDuration(-time.Second), ants.WithDisablePurge(true))
	mustNil(t, err)
	p.Release()
	_, err = ants.NewPool(0, ants.WithPreAlloc(true))
	mustIs(t, err, ants.ErrInvalidPreAllocSize)
	_, err = ants.NewPool(1, ants.WithQueueSize(-1))
	mustIs(t, err, ants.ErrInvalidArgument)
}

func TestPreAlloc(t *testing.T) {
	p, err := ants.NewPool(4, ants.WithPreAlloc(true))
	mustNil(t, err)
	defer p.Release()
	p.Tune(8) // no-op with PreAlloc
	if p.Cap() != 4 {
		t.Fatalf("cap %d after Tune on a pre-alloc pool, want 4", p.Cap())
	}
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		mustNil(t, p.Submit(wg.Done))
	}
	wg.Wait()
}

func TestWithOptions(t *testing.T) {
	p, err := ants.NewPool(1, ants.WithOptions(ants.Options{Nonblocking: true, ThreadName: "gotest"}))
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 1, g)
	mustIs(t, p.Submit(func() {}), ants.ErrPoolOverload)
	g.open()
}

type captureLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *captureLogger) Printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *captureLogger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func TestPanicHandler(t *testing.T) {
	got := make(chan any, 1)
	p, err := ants.NewPool(1, ants.WithPanicHandler(func(v any) { got <- v }))
	mustNil(t, err)
	defer p.Release()
	mustNil(t, p.Submit(func() { panic("boom") }))
	if v := <-got; v != "boom" {
		t.Fatalf("handler got %v, want boom", v)
	}
	// The worker survives: the one-worker pool still runs tasks.
	done := make(chan struct{})
	mustNil(t, p.Submit(func() { close(done) }))
	<-done
	if p.Running() != 1 {
		t.Fatalf("running %d after a panic, want the same worker", p.Running())
	}
}

func TestPanicWithoutHandlerLogs(t *testing.T) {
	l := &captureLogger{}
	p, err := ants.NewPoolWithFunc(1, func(any) { panic(errors.New("kaboom")) }, ants.WithLogger(l))
	mustNil(t, err)
	defer p.Release()
	mustNil(t, p.Invoke(nil))
	mustNil(t, p.WaitIdle())
	if s := l.text(); !strings.Contains(s, "kaboom") || !strings.Contains(s, "goroutine") {
		t.Fatalf("log lacks the panic or its stack: %q", s)
	}
}

func TestPanicHandlerPanics(t *testing.T) {
	l := &captureLogger{}
	p, err := ants.NewPool(1, ants.WithLogger(l), ants.WithPanicHandler(func(v any) { panic("again") }))
	mustNil(t, err)
	defer p.Release()
	mustNil(t, p.Submit(func() { panic("first") }))
	mustNil(t, p.WaitIdle())
	if s := l.text(); !strings.Contains(s, "again") {
		t.Fatalf("a panicking handler was not logged: %q", s)
	}
}

func TestNestedSubmitRunsInline(t *testing.T) {
	p, err := ants.NewPool(1)
	mustNil(t, err)
	defer p.Release()
	done := make(chan error, 1)
	mustNil(t, p.Submit(func() {
		inner := false
		err := p.Submit(func() { inner = true })
		if err == nil && !inner {
			err = errors.New("nested task had not run when Submit returned")
		}
		done <- err
	}))
	mustNil(t, <-done)
}

func TestWaitIdle(t *testing.T) {
	p, err := ants.NewPool(4)
	mustNil(t, err)
	defer p.Release()
	var n int // plain int: WaitIdle must order the tasks' writes before its return
	var mu sync.Mutex
	for i := 0; i < 100; i++ {
		mustNil(t, p.Submit(func() { mu.Lock(); n++; mu.Unlock() }))
	}
	mustNil(t, p.WaitIdle())
	mu.Lock()
	defer mu.Unlock()
	if n != 100 || p.Busy() != 0 || p.IsClosed() {
		t.Fatalf("after WaitIdle: n %d busy %d closed %v", n, p.Busy(), p.IsClosed())
	}
}

func TestWaitIdleTimeoutAndFromTask(t *testing.T) {
	p, err := ants.NewPool(2)
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 1, g)
	mustIs(t, p.WaitIdleTimeout(10*time.Millisecond), ants.ErrTimeout)
	g.open()
	mustNil(t, p.WaitIdleTimeout(10*time.Second))
	res := make(chan error, 1)
	mustNil(t, p.Submit(func() { res <- p.WaitIdle() }))
	mustIs(t, <-res, ants.ErrWouldDeadlock)
}

func TestSubmitTimeout(t *testing.T) {
	p, err := ants.NewPool(1)
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 1, g)
	mustIs(t, p.SubmitTimeout(func() {}, 10*time.Millisecond), ants.ErrTimeout)
	g.open()
	done := make(chan struct{})
	mustNil(t, p.SubmitTimeout(func() { close(done) }, 10*time.Second))
	<-done
}

func TestSubmitContext(t *testing.T) {
	p, err := ants.NewPool(1)
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 1, g)

	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan error, 1)
	go func() { res <- p.SubmitContext(ctx, func() {}) }()
	eventually(t, "a caller blocked", func() bool { return p.Waiting() == 1 })
	cancel()
	mustIs(t, <-res, context.Canceled)

	dctx, dcancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer dcancel()
	mustIs(t, p.SubmitContext(dctx, func() {}), context.DeadlineExceeded)
	mustIs(t, p.SubmitContext(ctx, func() {}), context.Canceled) // already done

	g.open()
	done := make(chan struct{})
	mustNil(t, p.SubmitContext(context.Background(), func() { close(done) }))
	<-done

	var sum atomic.Int64
	pf, err := ants.NewPoolWithFuncGeneric(1, func(i int) { sum.Add(int64(i)) })
	mustNil(t, err)
	defer pf.Release()
	mustNil(t, pf.InvokeContext(context.Background(), 5))
	mustNil(t, pf.InvokeTimeout(6, 10*time.Second))
	mustNil(t, pf.WaitIdle())
	if sum.Load() != 11 {
		t.Fatalf("sum %d, want 11", sum.Load())
	}
}

func TestQueueSize(t *testing.T) {
	p, err := ants.NewPool(1, ants.WithQueueSize(2), ants.WithNonblocking(true))
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 1, g)
	var ran atomic.Int32
	mustNil(t, p.Submit(func() { ran.Add(1) }))
	mustNil(t, p.Submit(func() { ran.Add(1) }))
	if p.Queued() != 2 {
		t.Fatalf("queued %d, want 2", p.Queued())
	}
	mustIs(t, p.Submit(func() {}), ants.ErrPoolOverload)
	g.open()
	mustNil(t, p.WaitIdle())
	if ran.Load() != 2 {
		t.Fatalf("queued tasks ran %d times, want 2", ran.Load())
	}
}

func TestErrorsAreDistinct(t *testing.T) {
	all := []error{ants.ErrLackPoolFunc, ants.ErrInvalidPoolExpiry, ants.ErrPoolClosed,
		ants.ErrPoolOverload, ants.ErrInvalidPreAllocSize, ants.ErrTimeout,
		ants.ErrInvalidPoolIndex, ants.ErrInvalidLoadBalancingStrategy,
		ants.ErrInvalidMultiPoolSize, ants.ErrInvalidArgument, ants.ErrNoMemory,
		ants.ErrSystem, ants.ErrWouldDeadlock}
	for i, a := range all {
		for j, b := range all {
			if (i == j) != errors.Is(a, b) {
				t.Fatalf("errors.Is(%v, %v) = %v", a, b, errors.Is(a, b))
			}
		}
	}
	wrapped := fmt.Errorf("submit: %w", ants.ErrPoolClosed)
	if !errors.Is(wrapped, ants.ErrPoolClosed) {
		t.Fatal("a wrapped ErrPoolClosed is not errors.Is ErrPoolClosed")
	}
}

// TestWaitsOrderTaskWrites: what tasks wrote without synchronisation of
// their own is visible after WaitIdle, Group.Wait and ReleaseTimeout, and
// the race detector agrees (libants' own ordering is invisible to it).
func TestWaitsOrderTaskWrites(t *testing.T) {
	p, err := ants.NewPool(4)
	mustNil(t, err)
	results := make([]int, 64)
	for i := range results[:32] {
		i := i // go.mod says go 1.21: one i per loop, not per iteration
		mustNil(t, p.Submit(func() { results[i] = i }))
	}
	mustNil(t, p.WaitIdle())
	grp, err := ants.NewGroup()
	mustNil(t, err)
	for i := 32; i < 48; i++ {
		i := i
		mustNil(t, grp.Submit(p, func() { results[i] = i }))
	}
	mustNil(t, grp.Wait())
	for i := 48; i < 64; i++ {
		i := i
		mustNil(t, p.Submit(func() { results[i] = i }))
	}
	mustNil(t, p.ReleaseTimeout(10*time.Second))
	for i, v := range results {
		if v != i {
			t.Fatalf("results[%d] = %d", i, v)
		}
	}
}
