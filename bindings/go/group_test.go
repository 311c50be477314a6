package ants_test

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"libants/ants"
	"libants/ants/internal/nativetest"
)

func TestGroupAcrossPools(t *testing.T) {
	p1, err := ants.NewPool(10)
	mustNil(t, err)
	defer p1.Release()
	p2, err := ants.NewMultiPool(2, 5, ants.RoundRobin)
	mustNil(t, err)
	defer p2.Release()
	pf, err := ants.NewPoolWithFunc(2, func(any) {})
	mustNil(t, err)
	defer pf.Release()
	pg, err := ants.NewPoolWithFuncGeneric(2, func(int) {})
	mustNil(t, err)
	defer pg.Release()

	grp, err := ants.NewGroup()
	mustNil(t, err)
	g := newGate()
	var n atomic.Int32
	for i := 0; i < 10; i++ {
		mustNil(t, grp.Submit(p1, func() { g.wait(); n.Add(1) }))
		mustNil(t, grp.Submit(p2, func() { g.wait(); n.Add(1) }))
	}
	mustNil(t, grp.Invoke(pf, 1))
	mustNil(t, ants.GroupInvoke(grp, pg, 2))
	mustIs(t, grp.WaitTimeout(10*time.Millisecond), ants.ErrTimeout)
	if grp.Pending() == 0 {
		t.Fatal("no task pending behind a closed gate")
	}
	g.open()
	mustNil(t, grp.Wait())
	if n.Load() != 20 || grp.Pending() != 0 || grp.Panicked() != 0 {
		t.Fatalf("ran %d pending %d panicked %d", n.Load(), grp.Pending(), grp.Panicked())
	}
	// Only accepted tasks join: a closed pool's rejection adds nothing.
	p1.Release()
	mustIs(t, grp.Submit(p1, func() {}), ants.ErrPoolClosed)
	if grp.Pending() != 0 {
		t.Fatalf("pending %d after a rejected submit", grp.Pending())
	}
}

func TestGroupPanickedAndWaitFromTask(t *testing.T) {
	var handled atomic.Int32
	p, err := ants.NewPool(2, ants.WithPanicHandler(func(any) { handled.Add(1) }))
	mustNil(t, err)
	defer p.Release()
	grp, err := ants.NewGroup()
	mustNil(t, err)
	mustNil(t, grp.Submit(p, func() { panic("one") }))
	mustNil(t, grp.Submit(p, func() { panic("two") }))
	mustNil(t, grp.Wait())
	if grp.Panicked() != 2 || handled.Load() != 2 {
		t.Fatalf("panicked %d handled %d, want 2 2", grp.Panicked(), handled.Load())
	}
	res := make(chan error, 1)
	mustNil(t, grp.Submit(p, func() { res <- grp.Wait() }))
	mustIs(t, <-res, ants.ErrWouldDeadlock)
}

func TestSubmitNative(t *testing.T) {
	c := nativetest.NewCounter()
	defer c.Free()
	p, err := ants.NewPool(2)
	mustNil(t, err)
	defer p.Release()
	mp, err := ants.NewMultiPool(2, 2, ants.LeastTasks)
	mustNil(t, err)
	defer mp.Release()
	for i := 0; i < 100; i++ {
		mustNil(t, p.SubmitNative(nativetest.CountTask(), c.Ptr()))
		mustNil(t, mp.SubmitNative(nativetest.CountTask(), c.Ptr()))
	}
	grp, err := ants.NewGroup()
	mustNil(t, err)
	for i := 0; i < 100; i++ {
		mustNil(t, grp.SubmitNative(p, nativetest.CountTask(), c.Ptr()))
	}
	mustNil(t, grp.Wait())
	mustNil(t, p.WaitIdle())
	mustNil(t, mp.WaitIdle())
	if c.Load() != 300 {
		t.Fatalf("native tasks counted %d, want 300", c.Load())
	}
	mustIs(t, p.SubmitNative(nil, nil), ants.ErrInvalidArgument)
}

func TestNativePanicReachesHandler(t *testing.T) {
	got := make(chan any, 1)
	p, err := ants.NewPool(1, ants.WithPanicHandler(func(v any) { got <- v }))
	mustNil(t, err)
	defer p.Release()
	mustNil(t, p.SubmitNative(nativetest.ThrowTask(), nil))
	v := <-got
	var np *ants.NativePanic
	if err, ok := v.(error); !ok || !errors.As(err, &np) || np.What != "native boom" {
		t.Fatalf("handler got %#v, want *NativePanic{native boom}", v)
	}
}

func TestLibantsMessagesReachLogger(t *testing.T) {
	// A C++ exception from a native task, without a PanicHandler, is
	// logged by libants through the pool's Go Logger.
	l := &captureLogger{}
	p, err := ants.NewPool(1, ants.WithLogger(l))
	mustNil(t, err)
	defer p.Release()
	mustNil(t, p.SubmitNative(nativetest.ThrowTask(), nil))
	mustNil(t, p.WaitIdle())
	if s := l.text(); !strings.Contains(s, "native boom") {
		t.Fatalf("libants' message did not reach the Go logger: %q", s)
	}

	// A worker thread the OS refuses (a 1 TiB stack): a nonblocking native
	// submit gets ErrSystem, and libants says why through the Logger. A Go
	// task needs no thread: it runs on a goroutine worker.
	l2 := &captureLogger{}
	big, err := ants.NewPool(1, ants.WithNonblocking(true), ants.WithStackSize(1<<40), ants.WithLogger(l2))
	mustNil(t, err)
	defer big.Release()
	c := nativetest.NewCounter()
	defer c.Free()
	mustIs(t, big.SubmitNative(nativetest.CountTask(), c.Ptr()), ants.ErrSystem)
	if s := l2.text(); !strings.Contains(s, "worker thread") {
		t.Fatalf("no thread-creation message in the log: %q", s)
	}
	ran := make(chan struct{})
	mustNil(t, big.Submit(func() { close(ran) }))
	<-ran
}
