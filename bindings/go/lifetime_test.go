package ants

import (
	"runtime"
	"testing"
	"time"
)

// waitFreed polls, with the garbage collector running, until every id has
// left the hook registry: freeNative unregisters after ants_pool_free.
func waitFreed(t *testing.T, what string, ids ...uintptr) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for _, id := range ids {
		for hooksRegistered(id) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: an unreachable pool (hook id %d) was never freed", what, id)
			}
			runtime.GC()
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// TestPoolInCycleIsFreed (issue 17): a pool whose function, panic handler
// or logger refers to the pool itself is freed once unreachable. Needs
// Go >= 1.24 (weak pointers, runtime.AddCleanup); before, such a pool must
// be released explicitly, as lifetime_legacy.go and the README say.
func TestPoolInCycleIsFreed(t *testing.T) {
	if !weakLifetime {
		t.Skip("Go < 1.24: a pool referred to by its own function or hooks is not collected; Release is required")
	}
	var ids []uintptr
	func() {
		handled := make(chan struct{}, 1)
		var p *Pool
		var err error
		p, err = NewPool(2,
			WithPanicHandler(func(any) { _ = p.Cap(); handled <- struct{}{} }),
			WithLogger(loggerFunc(func(string, ...any) { _ = p.Running() })))
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Submit(func() { panic("boom") }); err != nil {
			t.Fatal(err)
		}
		<-handled

		ran := make(chan struct{}, 1)
		var pf *PoolWithFunc
		pf, err = NewPoolWithFunc(2, func(any) { _ = pf.Running(); ran <- struct{}{} })
		if err != nil {
			t.Fatal(err)
		}
		if err := pf.Invoke(nil); err != nil {
			t.Fatal(err)
		}
		<-ran

		var mp *MultiPoolWithFuncGeneric[int]
		mp, err = NewMultiPoolWithFuncGeneric(2, 1, func(int) { _ = mp.Busy(); ran <- struct{}{} }, RoundRobin)
		if err != nil {
			t.Fatal(err)
		}
		if err := mp.Invoke(1); err != nil {
			t.Fatal(err)
		}
		<-ran
		ids = append(ids, p.hookID, pf.hookID, mp.hookID)
	}()
	waitFreed(t, "cycle", ids...)
}

type loggerFunc func(string, ...any)

func (f loggerFunc) Printf(format string, args ...any) { f(format, args...) }
