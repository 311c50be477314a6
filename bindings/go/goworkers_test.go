package ants_test

// Go tasks on goroutine workers holding slots of the native pool (issue 14).
// Synchronisation by channels and C latches; states that can only be
// observed (a blocked caller, an expired worker) are polled with a deadline
// (eventually), never slept for.

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"libants/ants"
	"libants/ants/internal/nativetest"
)

// idleGoWorkers runs n Go tasks at once and waits until all of them ended,
// leaving n idle goroutine workers that hold n idle slots.
func idleGoWorkers(t *testing.T, p *ants.Pool, n int) {
	t.Helper()
	g := newGate()
	occupy(t, p, n, g)
	g.open()
	// A worker ends its slot (Busy drops) just before it parks.
	eventually(t, "workers idle", func() bool { return p.Busy() == 0 && ants.IdleGoWorkers(p) == n })
}

func TestSlotPathIsUsed(t *testing.T) {
	p, err := ants.NewPool(2)
	mustNil(t, err)
	defer p.Release()
	if !ants.UsesGoWorkers(p) {
		t.Fatal("a pool without a queue does not run Go tasks on goroutine workers")
	}
	q, err := ants.NewPool(2, ants.WithQueueSize(4))
	mustNil(t, err)
	defer q.Release()
	if ants.UsesGoWorkers(q) {
		t.Fatal("a pool with a task queue took the slot path")
	}
	done := make(chan struct{})
	mustNil(t, q.Submit(func() { close(done) }))
	<-done
}

// TestSlotsShareCapacityWithC: a held C task and a held Go task fill a pool
// of 2; a third submit overloads (nonblocking) or blocks until the C task
// ends (blocking), and then runs.
func TestSlotsShareCapacityWithC(t *testing.T) {
	for _, nonblocking := range []bool{true, false} {
		p, err := ants.NewPool(2, ants.WithNonblocking(nonblocking))
		mustNil(t, err)
		l := nativetest.NewLatch()
		mustNil(t, p.SubmitNative(nativetest.HoldTask(), l.Ptr()))
		eventually(t, "C task started", func() bool { return l.Started() == 1 })
		gate := newGate()
		occupy(t, p, 1, gate)
		if p.Running() != 2 || p.Busy() != 2 || p.Free() != 0 {
			t.Fatalf("running %d busy %d free %d, want 2 2 0", p.Running(), p.Busy(), p.Free())
		}
		ran := make(chan struct{})
		if nonblocking {
			mustIs(t, p.Submit(func() {}), ants.ErrPoolOverload)
			mustIs(t, p.SubmitNative(nativetest.HoldTask(), l.Ptr()), ants.ErrPoolOverload)
			l.Open()
		} else {
			res := make(chan error, 1)
			go func() { res <- p.Submit(func() { close(ran) }) }()
			eventually(t, "Go submitter blocked", func() bool { return p.Waiting() == 1 })
			select {
			case err := <-res:
				t.Fatalf("submit to a full pool returned %v", err)
			default:
			}
			l.Open() // the C task ends: its slot goes to the Go submitter
			mustNil(t, <-res)
			<-ran
		}
		gate.open()
		mustNil(t, p.ReleaseTimeout(10*time.Second))
		if p.Running() != 0 {
			t.Fatalf("running %d after ReleaseTimeout", p.Running())
		}
		l.Free()
	}
}

// TestSlotsNativeSubmitterGetsIdleGoSlot: a native submitter finds the pool
// full of idle Go workers; the slot listener gives one back.
func TestSlotsNativeSubmitterGetsIdleGoSlot(t *testing.T) {
	p, err := ants.NewPool(2, ants.WithExpiryDuration(time.Hour))
	mustNil(t, err)
	defer p.Release()
	idleGoWorkers(t, p, 2)
	if p.Running() != 2 {
		t.Fatalf("running %d with two idle Go workers", p.Running())
	}
	c := nativetest.NewCounter()
	defer c.Free()
	bg := nativetest.SubmitInBackground(p.Handle(), c)
	if st := bg.Join(); st != 0 {
		t.Fatalf("native submit: status %d", st)
	}
	eventually(t, "native task ran", func() bool { return c.Load() == 1 })
	if n := ants.IdleGoWorkers(p); n != 1 {
		t.Fatalf("%d idle Go workers after the native submit, want 1", n)
	}
}

// TestSlotsGoWaiterGrantedByGoWorker: a blocked Go submitter gets its slot
// from a Go task that ends (the task moves to that worker).
func TestSlotsGoWaiterGrantedByGoWorker(t *testing.T) {
	p, err := ants.NewPool(1)
	mustNil(t, err)
	defer p.Release()
	gate := newGate()
	occupy(t, p, 1, gate)
	res := make(chan error, 1)
	ran := make(chan struct{})
	go func() { res <- p.Submit(func() { close(ran) }) }()
	eventually(t, "Go submitter blocked", func() bool { return p.Waiting() == 1 })
	gate.open()
	mustNil(t, <-res)
	<-ran
	eventually(t, "one worker left", func() bool { return p.Running() == 1 && p.Busy() == 0 })
}

func TestSlotsTuneDownReleasesIdleWorkers(t *testing.T) {
	p, err := ants.NewPool(4, ants.WithExpiryDuration(time.Hour))
	mustNil(t, err)
	defer p.Release()
	idleGoWorkers(t, p, 4)
	p.Tune(1)
	eventually(t, "idle workers given back", func() bool { return p.Running() <= 1 })
	done := make(chan struct{})
	mustNil(t, p.Submit(func() { close(done) }))
	<-done
}

func TestSlotsReleaseWithIdleWorkers(t *testing.T) {
	base := ants.GoWorkerCount()
	p, err := ants.NewPool(4, ants.WithExpiryDuration(time.Hour))
	mustNil(t, err)
	idleGoWorkers(t, p, 4)
	p.Release()
	mustNil(t, p.ReleaseTimeout(10*time.Second))
	if p.Running() != 0 {
		t.Fatalf("running %d after ReleaseTimeout", p.Running())
	}
	eventually(t, "worker goroutines gone", func() bool { return ants.GoWorkerCount() <= base })

	q, err := ants.NewPool(4, ants.WithExpiryDuration(time.Hour))
	mustNil(t, err)
	idleGoWorkers(t, q, 3)
	mustNil(t, q.ReleaseTimeout(10*time.Second)) // without Release first
	if q.Running() != 0 {
		t.Fatalf("running %d after ReleaseTimeout", q.Running())
	}
	mustIs(t, q.Submit(func() {}), ants.ErrPoolClosed)
	// Reboot: the old generation's workers are gone, new ones serve.
	q.Reboot()
	ran := make(chan struct{}, 10)
	for i := 0; i < cap(ran); i++ {
		mustNil(t, q.Submit(func() { ran <- struct{}{} }))
	}
	for i := 0; i < cap(ran); i++ {
		<-ran
	}
	if r := q.Running(); r < 1 || r > 4 {
		t.Fatalf("running %d after reboot", r)
	}
	mustNil(t, q.ReleaseTimeout(10*time.Second))
	eventually(t, "worker goroutines gone", func() bool { return ants.GoWorkerCount() <= base })
}

func TestSlotsIdleWorkersExpire(t *testing.T) {
	base := ants.GoWorkerCount()
	p, err := ants.NewPool(3, ants.WithExpiryDuration(20*time.Millisecond))
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 3, g)
	if p.Running() != 3 {
		t.Fatalf("running %d with three Go tasks", p.Running())
	}
	g.open() // the three go idle, then expire
	eventually(t, "idle workers expired", func() bool { return p.Running() == 0 })
	eventually(t, "worker goroutines gone", func() bool { return ants.GoWorkerCount() <= base })
	done := make(chan struct{})
	mustNil(t, p.Submit(func() { close(done) }))
	<-done
}

func TestSlotsDisablePurgeKeepsIdleWorkers(t *testing.T) {
	p, err := ants.NewPool(2, ants.WithDisablePurge(true))
	mustNil(t, err)
	defer p.Release()
	if ants.GoWorkersExpire(p) {
		t.Fatal("idle goroutine workers expire with DisablePurge")
	}
	idleGoWorkers(t, p, 2)
	if p.Running() != 2 {
		t.Fatalf("running %d", p.Running())
	}
}

func TestSlotsGroup(t *testing.T) {
	var handled atomic.Int32
	p, err := ants.NewPool(2, ants.WithPanicHandler(func(any) { handled.Add(1) }))
	mustNil(t, err)
	defer p.Release()
	g, err := ants.NewGroup()
	mustNil(t, err)
	gate := make(chan struct{})
	started := make(chan struct{}, 2)
	mustNil(t, g.Submit(p, func() { started <- struct{}{}; <-gate }))
	mustNil(t, g.Submit(p, func() { started <- struct{}{}; <-gate; panic("member") }))
	<-started
	<-started
	if g.Pending() != 2 {
		t.Fatalf("pending %d, want 2", g.Pending())
	}
	res := make(chan error, 1)
	go func() { res <- g.Submit(p, func() {}) }() // blocks until a member ends
	eventually(t, "member submit blocked", func() bool { return p.Waiting() == 1 })
	mustIs(t, g.WaitTimeout(10*time.Millisecond), ants.ErrTimeout)
	close(gate)
	mustNil(t, <-res)
	mustNil(t, g.Wait())
	if g.Pending() != 0 || g.Panicked() != 1 || handled.Load() != 1 {
		t.Fatalf("pending %d panicked %d handled %d, want 0 1 1", g.Pending(), g.Panicked(), handled.Load())
	}
}

func TestSlotsPanicKeepsWorkerAndSlot(t *testing.T) {
	var handled atomic.Int32
	p, err := ants.NewPool(1, ants.WithPanicHandler(func(any) { handled.Add(1) }))
	mustNil(t, err)
	defer p.Release()
	for i := 0; i < 100; i++ {
		mustNil(t, p.Submit(func() { panic("boom") }))
	}
	eventually(t, "panics handled", func() bool { return handled.Load() == 100 })
	// The one worker survived every panic and kept its slot.
	eventually(t, "worker idle", func() bool { return p.Busy() == 0 && ants.IdleGoWorkers(p) == 1 })
	if p.Running() != 1 {
		t.Fatalf("running %d after panics, want 1", p.Running())
	}
}

// TestSlotsGoexitInTaskIsSurvived: runtime.Goexit in a task ends its
// goroutine; the slot goes to a new worker, nothing leaks.
func TestSlotsGoexitInTaskIsSurvived(t *testing.T) {
	base := ants.GoWorkerCount()
	p, err := ants.NewPool(1)
	mustNil(t, err)
	g, err := ants.NewGroup()
	mustNil(t, err)
	mustNil(t, g.Submit(p, func() { runtime.Goexit() }))
	mustNil(t, g.Wait())
	done := make(chan struct{})
	mustNil(t, p.Submit(func() { close(done) }))
	<-done
	mustNil(t, p.ReleaseTimeout(10*time.Second))
	if p.Running() != 0 || g.Panicked() != 0 {
		t.Fatalf("running %d panicked %d", p.Running(), g.Panicked())
	}
	eventually(t, "worker goroutines gone", func() bool { return ants.GoWorkerCount() <= base })

	// In a panic handler, and through t.FailNow's cousin in a nested task.
	q, err := ants.NewPool(1, ants.WithPanicHandler(func(any) { runtime.Goexit() }))
	mustNil(t, err)
	mustNil(t, q.Submit(func() { panic("boom") }))
	inner := make(chan struct{})
	mustNil(t, q.Submit(func() {
		_ = q.Submit(func() { close(inner); runtime.Goexit() }) // full: runs inline
	}))
	<-inner
	mustNil(t, q.ReleaseTimeout(10*time.Second))
	eventually(t, "worker goroutines gone", func() bool { return ants.GoWorkerCount() <= base })
}

func TestSlotsMultiPool(t *testing.T) {
	mp, err := ants.NewMultiPool(2, 2, ants.RoundRobin)
	mustNil(t, err)
	if !ants.UsesGoWorkers(mp) {
		t.Fatal("multipool without queues does not use slots")
	}
	gate := newGate()
	occupy(t, mp, 4, gate)
	r0, _ := mp.RunningByIndex(0)
	r1, _ := mp.RunningByIndex(1)
	if r0 != 2 || r1 != 2 || mp.Running() != 4 {
		t.Fatalf("running %d+%d (%d), want 2+2", r0, r1, mp.Running())
	}
	gate.open()
	mustNil(t, mp.ReleaseTimeout(10*time.Second))
}

// TestSlotsNoLeakAfterManyTasks: a million tasks, then release: every
// goroutine worker is gone and no slot is held.
func TestSlotsNoLeakAfterManyTasks(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	baseG := runtime.NumGoroutine()
	baseW := ants.GoWorkerCount()
	p, err := ants.NewPool(8)
	mustNil(t, err)
	var wg sync.WaitGroup
	wg.Add(n)
	task := func() { wg.Done() }
	for i := 0; i < n; i++ {
		if err := p.Submit(task); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	mustNil(t, p.ReleaseTimeout(30*time.Second))
	if p.Running() != 0 || p.Busy() != 0 || p.Waiting() != 0 {
		t.Fatalf("running %d busy %d waiting %d after release", p.Running(), p.Busy(), p.Waiting())
	}
	eventually(t, "goroutines back to baseline", func() bool {
		return runtime.NumGoroutine() <= baseG && ants.GoWorkerCount() <= baseW
	})
}

// TestSlotsNestedSubmitIgnoresMaxBlocking: MaxBlockingTasks callers wait
// already; a task of the pool submitting into it runs the task inline
// instead of getting ErrPoolOverload (it never blocks).
func TestSlotsNestedSubmitIgnoresMaxBlocking(t *testing.T) {
	p, err := ants.NewPool(1, ants.WithMaxBlockingTasks(1))
	mustNil(t, err)
	defer p.Release()
	nest := newGate()
	res := make(chan error, 1)
	mustNil(t, p.Submit(func() {
		nest.wait()
		inner := false
		err := p.Submit(func() { inner = true })
		if err == nil && !inner {
			err = errors.New("nested task had not run when Submit returned")
		}
		res <- err
	}))
	blocked := make(chan error, 1)
	go func() { blocked <- p.Submit(func() {}) }()
	eventually(t, "outside submitter blocked", func() bool { return p.Waiting() == 1 })
	mustIs(t, p.Submit(func() {}), ants.ErrPoolOverload)
	nest.open()
	mustNil(t, <-res)
	mustNil(t, <-blocked)
}

// TestSlotsChurn: submitters (plain, timed, nesting) run while the pool is
// tuned down and up, released and rebooted; every accepted task runs
// exactly once, ReleaseTimeout finishes, nothing is left behind. The pauses
// only let traffic flow between the steps; nothing waits on them.
func TestSlotsChurn(t *testing.T) {
	base := ants.GoWorkerCount()
	for round := 0; round < 10; round++ {
		p, err := ants.NewPool(4, ants.WithExpiryDuration(5*time.Millisecond))
		mustNil(t, err)
		var accepted, ran atomic.Int64
		count := func(err error) {
			switch {
			case err == nil:
				accepted.Add(1)
			case !errors.Is(err, ants.ErrPoolClosed) && !errors.Is(err, ants.ErrTimeout):
				t.Error(err)
			}
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for g := 0; g < 6; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					switch g % 3 {
					case 0:
						count(p.Submit(func() { ran.Add(1) }))
					case 1:
						count(p.SubmitTimeout(func() { ran.Add(1) }, time.Millisecond))
					default:
						count(p.Submit(func() { ran.Add(1); count(p.Submit(func() { ran.Add(1) })) }))
					}
				}
			}(g)
		}
		time.Sleep(2 * time.Millisecond)
		p.Tune(2)
		time.Sleep(2 * time.Millisecond)
		p.Tune(6)
		if round%2 == 0 {
			p.Release()
			p.Reboot()
		}
		time.Sleep(2 * time.Millisecond)
		mustNil(t, p.ReleaseTimeout(10*time.Second))
		close(stop)
		wg.Wait()
		mustNil(t, p.ReleaseTimeout(10*time.Second))
		if p.Running() != 0 || ran.Load() != accepted.Load() {
			t.Fatalf("round %d: running %d, ran %d of %d accepted", round, p.Running(), ran.Load(), accepted.Load())
		}
	}
	eventually(t, "worker goroutines gone", func() bool { return ants.GoWorkerCount() <= base })
}
