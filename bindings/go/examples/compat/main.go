// Command compat is an ants v2 program, written the way code against ants
// v2.11 is written, that uses every identifier of the ants API the binding
// promises. Against ants itself it differs in one line: the import path.
// ctest runs it (go_compat_example); it prints "compat: ok" on success.
package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"libants/ants" // the only change: ants' own module path was here
)

type stdLogger struct{ *log.Logger }

var _ ants.Logger = stdLogger{}

func check(cond bool, what string) {
	if !cond {
		fmt.Println("compat: FAILED:", what)
		os.Exit(1)
	}
}

func main() {
	defer ants.Release()

	// Package-level functions on the default pool.
	var wg sync.WaitGroup
	wg.Add(1)
	check(ants.Submit(wg.Done) == nil, "ants.Submit")
	wg.Wait()
	check(ants.Cap() == ants.DefaultAntsPoolSize, "ants.Cap")
	var size32 int32 = ants.DefaultAntsPoolSize // untyped, as in ants
	check(int(size32) == ants.Cap() && ants.OPENED == 0 && ants.CLOSED == 1, "constants")
	check(ants.Running() >= 1 && ants.Free() == ants.Cap()-ants.Running(), "ants.Running/Free")

	// Options, both ways.
	var panics atomic.Int32
	var opt ants.Option = ants.WithOptions(ants.Options{
		ExpiryDuration: ants.DefaultCleanIntervalTime,
		PanicHandler:   func(any) { panics.Add(1) },
		Logger:         stdLogger{log.New(os.Stderr, "compat: ", 0)},
	})
	p, err := ants.NewPool(2, opt, ants.WithExpiryDuration(time.Second),
		ants.WithMaxBlockingTasks(8), ants.WithNonblocking(false),
		ants.WithPanicHandler(func(any) { panics.Add(1) }),
		ants.WithLogger(stdLogger{log.New(os.Stderr, "compat: ", 0)}),
		ants.WithDisablePurge(false), ants.WithPreAlloc(false))
	check(err == nil, "NewPool")
	wg.Add(1)
	check(p.Submit(func() { defer wg.Done(); panic("recovered by the PanicHandler") }) == nil, "Submit")
	wg.Wait()
	p.Tune(4)
	check(p.Cap() == 4 && p.Waiting() == 0 && p.Running() <= 4 && p.Free() >= 0, "Tune/Cap/Waiting/Running/Free")
	p.Release()
	check(p.IsClosed() && errors.Is(p.Submit(func() {}), ants.ErrPoolClosed), "Release/IsClosed/ErrPoolClosed")
	check(errors.Is(p.Submit(nil), ants.ErrPoolClosed), "Submit(nil) on a closed pool")
	p.Reboot()
	check(!p.IsClosed(), "Reboot")
	check(p.ReleaseTimeout(10*time.Second) == nil, "ReleaseTimeout")
	check(panics.Load() == 1, "PanicHandler")

	var sum atomic.Int64
	pf, err := ants.NewPoolWithFunc(10, func(i any) { sum.Add(int64(i.(int))); wg.Done() })
	check(err == nil, "NewPoolWithFunc")
	pg, err := ants.NewPoolWithFuncGeneric(10, func(i int) { sum.Add(int64(i)); wg.Done() })
	check(err == nil, "NewPoolWithFuncGeneric")
	mp, err := ants.NewMultiPool(4, -1, ants.RoundRobin)
	check(err == nil, "NewMultiPool")
	mpf, err := ants.NewMultiPoolWithFunc(4, 10, func(i any) { sum.Add(int64(i.(int))); wg.Done() }, ants.LeastTasks)
	check(err == nil, "NewMultiPoolWithFunc")
	mpg, err := ants.NewMultiPoolWithFuncGeneric(4, 10, func(i int) { sum.Add(int64(i)); wg.Done() }, ants.RoundRobin)
	check(err == nil, "NewMultiPoolWithFuncGeneric")
	for i := 0; i < 100; i++ {
		i := i // the module says go 1.21: one i per loop, not per iteration
		wg.Add(5)
		check(pf.Invoke(i) == nil && pg.Invoke(i) == nil && mpf.Invoke(i) == nil &&
			mpg.Invoke(i) == nil && mp.Submit(func() { sum.Add(int64(i)); wg.Done() }) == nil, "Invoke/Submit")
	}
	wg.Wait()
	check(sum.Load() == 5*4950, "sum")
	for i := 0; i < 4; i++ {
		_, e1 := mp.RunningByIndex(i)
		_, e2 := mpf.FreeByIndex(i)
		_, e3 := mpg.WaitingByIndex(i)
		check(e1 == nil && e2 == nil && e3 == nil, "ByIndex")
	}
	_, err = mp.RunningByIndex(4)
	check(err == ants.ErrInvalidPoolIndex, "ErrInvalidPoolIndex")
	mp.Tune(8)
	check(mp.Cap() == -1 && mpf.Cap() == 40 && mpg.Running() >= 1 && !mp.IsClosed(), "multipool getters")
	check(mp.ReleaseTimeout(10*time.Second) == nil && mpf.ReleaseTimeout(10*time.Second) == nil &&
		mpg.ReleaseTimeout(10*time.Second) == nil, "multipool ReleaseTimeout")
	mp.Reboot()
	pf.Release()
	pg.Release()

	// Every error value of the API, where ants returns it.
	_, err = ants.NewPoolWithFunc(1, nil)
	check(err == ants.ErrLackPoolFunc, "ErrLackPoolFunc")
	_, err = ants.NewPool(1, ants.WithExpiryDuration(-1))
	check(err == ants.ErrInvalidPoolExpiry, "ErrInvalidPoolExpiry")
	_, err = ants.NewPool(-1, ants.WithPreAlloc(true))
	check(err == ants.ErrInvalidPreAllocSize, "ErrInvalidPreAllocSize")
	_, err = ants.NewMultiPool(0, 1, ants.RoundRobin)
	check(err == ants.ErrInvalidMultiPoolSize, "ErrInvalidMultiPoolSize")
	_, err = ants.NewMultiPool(1, 1, ants.LoadBalancingStrategy(0))
	check(err == ants.ErrInvalidLoadBalancingStrategy, "ErrInvalidLoadBalancingStrategy")
	np, err := ants.NewPool(1, ants.WithNonblocking(true))
	check(err == nil, "NewPool nonblocking")
	hold := make(chan struct{})
	started := make(chan struct{})
	check(np.Submit(func() { close(started); <-hold }) == nil, "Submit")
	<-started
	check(errors.Is(np.Submit(func() {}), ants.ErrPoolOverload), "ErrPoolOverload")
	check(np.ReleaseTimeout(time.Millisecond) == ants.ErrTimeout, "ErrTimeout")
	close(hold)
	check(ants.ReleaseTimeout(10*time.Second) == nil, "ants.ReleaseTimeout")
	ants.Reboot()
	fmt.Println("compat: ok")
}
