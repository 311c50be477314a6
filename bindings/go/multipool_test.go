package ants_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"libants/ants"
)

func TestMultiPoolWithRoundRobin(t *testing.T) {
	mp, err := ants.NewMultiPool(4, 2, ants.RoundRobin)
	mustNil(t, err)
	defer mp.ReleaseTimeout(10 * time.Second)
	if mp.Cap() != 8 {
		t.Fatalf("cap %d, want 8", mp.Cap())
	}
	// Round-robin starts at sub-pool 0 and visits each in turn: four
	// blocked tasks land on four different sub-pools.
	g := newGate()
	occupy(t, mp, 4, g)
	for i := 0; i < 4; i++ {
		n, err := mp.RunningByIndex(i)
		mustNil(t, err)
		if n != 1 {
			t.Fatalf("sub-pool %d runs %d workers, want 1", i, n)
		}
		b, err := mp.BusyByIndex(i)
		mustNil(t, err)
		f, err := mp.FreeByIndex(i)
		mustNil(t, err)
		w, err := mp.WaitingByIndex(i)
		mustNil(t, err)
		if b != 1 || f != 1 || w != 0 {
			t.Fatalf("sub-pool %d: busy %d free %d waiting %d", i, b, f, w)
		}
	}
	g.open()
	var wg sync.WaitGroup
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		mustNil(t, mp.Submit(wg.Done))
	}
	wg.Wait()
	mp.Tune(3)
	if mp.Cap() != 12 {
		t.Fatalf("cap %d after Tune(3) of 4 sub-pools, want 12", mp.Cap())
	}
}

func TestMultiPoolWithLeastTasks(t *testing.T) {
	mp, err := ants.NewMultiPool(3, 4, ants.LeastTasks)
	mustNil(t, err)
	defer mp.ReleaseTimeout(10 * time.Second)
	// Each blocked task makes its sub-pool busier, so three tasks spread
	// over the three sub-pools (ties go to the lowest index).
	g := newGate()
	occupy(t, mp, 3, g)
	for i := 0; i < 3; i++ {
		if b, _ := mp.BusyByIndex(i); b != 1 {
			t.Fatalf("sub-pool %d busy %d, want 1", i, b)
		}
	}
	g.open()
}

func TestMultiPoolErrors(t *testing.T) {
	_, err := ants.NewMultiPool(0, 1, ants.RoundRobin)
	mustIs(t, err, ants.ErrInvalidMultiPoolSize)
	_, err = ants.NewMultiPool(2, 1, ants.LoadBalancingStrategy(99))
	mustIs(t, err, ants.ErrInvalidLoadBalancingStrategy)
	_, err = ants.NewMultiPoolWithFunc(0, 1, nil, ants.RoundRobin)
	mustIs(t, err, ants.ErrInvalidMultiPoolSize)
	_, err = ants.NewMultiPoolWithFunc(1, 1, nil, ants.RoundRobin)
	mustIs(t, err, ants.ErrLackPoolFunc)
	_, err = ants.NewMultiPoolWithFuncGeneric[int](1, 1, func(int) {}, 0)
	mustIs(t, err, ants.ErrInvalidLoadBalancingStrategy)

	mp, err := ants.NewMultiPool(2, -1, ants.RoundRobin)
	mustNil(t, err)
	defer mp.Release()
	if mp.Cap() != -1 || mp.Free() != -1 {
		t.Fatalf("unlimited sub-pools: cap %d free %d, want -1 -1", mp.Cap(), mp.Free())
	}
	for _, idx := range []int{-1, 2} {
		n, err := mp.RunningByIndex(idx)
		mustIs(t, err, ants.ErrInvalidPoolIndex)
		if n != -1 {
			t.Fatalf("RunningByIndex(%d) = %d with an error, want -1", idx, n)
		}
		_, err = mp.FreeByIndex(idx)
		mustIs(t, err, ants.ErrInvalidPoolIndex)
		_, err = mp.WaitingByIndex(idx)
		mustIs(t, err, ants.ErrInvalidPoolIndex)
	}
}

func TestMultiPoolReleaseAndReboot(t *testing.T) {
	mp, err := ants.NewMultiPool(2, 1, ants.RoundRobin)
	mustNil(t, err)
	g := newGate()
	occupy(t, mp, 2, g)
	mustIs(t, mp.ReleaseTimeout(20*time.Millisecond), ants.ErrTimeout)
	if !mp.IsClosed() {
		t.Fatal("multipool open after ReleaseTimeout")
	}
	mustIs(t, mp.Submit(func() {}), ants.ErrPoolClosed)
	g.open()
	mustNil(t, mp.ReleaseTimeout(10*time.Second))
	if mp.Running() != 0 {
		t.Fatalf("running %d after ReleaseTimeout", mp.Running())
	}
	mp.Reboot()
	done := make(chan struct{})
	mustNil(t, mp.Submit(func() { close(done) }))
	<-done
	mp.Release()
}

func TestMultiPoolWithFunc(t *testing.T) {
	var sum atomic.Int64
	var wg sync.WaitGroup
	mpf, err := ants.NewMultiPoolWithFunc(10, 100, func(i any) {
		sum.Add(int64(i.(int32)))
		wg.Done()
	}, ants.LeastTasks)
	mustNil(t, err)
	defer mpf.ReleaseTimeout(10 * time.Second)
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		mustNil(t, mpf.Invoke(int32(i)))
	}
	wg.Wait()
	if sum.Load() != 499500 {
		t.Fatalf("sum %d, want 499500", sum.Load())
	}
	if _, err := mpf.RunningByIndex(10); err != ants.ErrInvalidPoolIndex {
		t.Fatalf("RunningByIndex(10): %v", err)
	}
}

func TestMultiPoolWithFuncGeneric(t *testing.T) {
	var sum atomic.Int64
	var wg sync.WaitGroup
	mpf, err := ants.NewMultiPoolWithFuncGeneric(4, 2, func(s string) {
		sum.Add(int64(len(s)))
		wg.Done()
	}, ants.RoundRobin)
	mustNil(t, err)
	defer mpf.ReleaseTimeout(10 * time.Second)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		mustNil(t, mpf.Invoke("abc"))
	}
	wg.Wait()
	if sum.Load() != 300 {
		t.Fatalf("sum %d, want 300", sum.Load())
	}
	if w, err := mpf.WaitingByIndex(3); err != nil || w != 0 {
		t.Fatalf("WaitingByIndex(3) = %d, %v", w, err)
	}
}
