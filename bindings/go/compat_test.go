package ants_test

// Compatibility edges found by running ants' own tests against the binding
// (issue 14), and the out-parameter getters (issue 17).

import (
	"math"
	"sync"
	"testing"
	"time"

	"libants/ants"
)

func TestOpenedClosedConstants(t *testing.T) {
	// ants: const ( OPENED = iota; CLOSED ), untyped.
	var o, c int32 = ants.OPENED, ants.CLOSED
	if o != 0 || c != 1 {
		t.Fatalf("OPENED, CLOSED = %d, %d; want 0, 1", o, c)
	}
}

func TestDefaultAntsPoolSizeIsUntyped(t *testing.T) {
	// These lines compile only if the constant is untyped, as in ants.
	var n32 int32 = ants.DefaultAntsPoolSize
	var u uint64 = ants.DefaultAntsPoolSize
	var f float64 = ants.DefaultAntsPoolSize
	if int(n32) != ants.DefaultAntsPoolSize || int(u) != ants.DefaultAntsPoolSize ||
		int(f) != ants.DefaultAntsPoolSize || ants.DefaultAntsPoolSize > math.MaxInt32 {
		t.Fatal("DefaultAntsPoolSize does not convert")
	}
	// libants' default pool has exactly that capacity (ANTS_DEFAULT_POOL_SIZE).
	if ants.Cap() != ants.DefaultAntsPoolSize {
		t.Fatalf("default pool cap %d, DefaultAntsPoolSize %d", ants.Cap(), ants.DefaultAntsPoolSize)
	}
}

// multi is what the three multipool types share for this test.
type multi interface {
	Running() int
	Free() int
	Waiting() int
	Busy() int
	RunningByIndex(int) (int, error)
	FreeByIndex(int) (int, error)
	WaitingByIndex(int) (int, error)
	BusyByIndex(int) (int, error)
	ReleaseTimeout(time.Duration) error
}

// checkByIndex compares every *ByIndex getter with its aggregate: the sum
// over the sub-pools, or -1 in each for an unlimited pool's Free (issue 17:
// -1 came back as 4294967295 through SWIG's int *OUTPUT).
func checkByIndex(t *testing.T, name string, mp multi, n int) {
	t.Helper()
	type getter struct {
		what  string
		agg   func() int
		index func(int) (int, error)
	}
	for _, g := range []getter{
		{"Running", mp.Running, mp.RunningByIndex},
		{"Free", mp.Free, mp.FreeByIndex},
		{"Waiting", mp.Waiting, mp.WaitingByIndex},
		{"Busy", mp.Busy, mp.BusyByIndex},
	} {
		agg := g.agg()
		sum := 0
		for i := 0; i < n; i++ {
			v, err := g.index(i)
			mustNil(t, err)
			if v < -1 || v > math.MaxInt32 {
				t.Fatalf("%s: %sByIndex(%d) = %d: not a C int", name, g.what, i, v)
			}
			if agg == -1 {
				if v != -1 {
					t.Fatalf("%s: %s() = -1 (unlimited) but %sByIndex(%d) = %d", name, g.what, g.what, i, v)
				}
				continue
			}
			sum += v
		}
		if agg != -1 && sum != agg {
			t.Fatalf("%s: %s() = %d but the sub-pools sum to %d", name, g.what, agg, sum)
		}
	}
}

func TestByIndexAgreesWithAggregate(t *testing.T) {
	for _, size := range []int{0, 3} { // unlimited, then bounded sub-pools
		mp, err := ants.NewMultiPool(2, size, ants.RoundRobin)
		mustNil(t, err)
		var mu sync.Mutex // the gate of the With-func pools below
		mpf, err := ants.NewMultiPoolWithFunc(2, size, func(any) { mu.Lock(); mu.Unlock() }, ants.RoundRobin)
		mustNil(t, err)
		mpg, err := ants.NewMultiPoolWithFuncGeneric(2, size, func(int) { mu.Lock(); mu.Unlock() }, ants.RoundRobin)
		mustNil(t, err)
		checkByIndex(t, "MultiPool idle", mp, 2)
		checkByIndex(t, "MultiPoolWithFunc idle", mpf, 2)
		checkByIndex(t, "MultiPoolWithFuncGeneric idle", mpg, 2)

		// Busy workers on both sub-pools.
		g := newGate()
		occupy(t, mp, 2, g)
		mu.Lock()
		mustNil(t, mpf.Invoke(1))
		mustNil(t, mpf.Invoke(2))
		mustNil(t, mpg.Invoke(1))
		mustNil(t, mpg.Invoke(2))
		eventually(t, "with-func tasks busy", func() bool { return mpf.Busy() == 2 && mpg.Busy() == 2 })
		checkByIndex(t, "MultiPool busy", mp, 2)
		checkByIndex(t, "MultiPoolWithFunc busy", mpf, 2)
		checkByIndex(t, "MultiPoolWithFuncGeneric busy", mpg, 2)
		g.open()
		mu.Unlock()
		for _, m := range []multi{mp, mpf, mpg} {
			mustNil(t, m.ReleaseTimeout(10*time.Second))
		}
	}
}

// TestCancelQueuedCount: CancelQueued goes through the same out-parameter
// path as the *ByIndex getters; its count is exact.
func TestCancelQueuedCount(t *testing.T) {
	p, err := ants.NewPool(1, ants.WithQueueSize(8))
	mustNil(t, err)
	defer p.Release()
	g := newGate()
	occupy(t, p, 1, g)
	for i := 0; i < 5; i++ {
		mustNil(t, p.Submit(func() { t.Error("a cancelled task ran") }))
	}
	if q := p.Queued(); q != 5 {
		t.Fatalf("Queued() = %d, want 5", q)
	}
	if n := p.CancelQueued(); n != 5 {
		t.Fatalf("CancelQueued() = %d, want 5", n)
	}
	if n := p.CancelQueued(); n != 0 {
		t.Fatalf("second CancelQueued() = %d, want 0", n)
	}
	g.open()
	mustNil(t, p.WaitIdle())
}
