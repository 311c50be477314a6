package ants_test

// Per-task cost of the binding against the two things a Go programmer would
// do instead: a goroutine per task, and a goroutine per task behind a
// semaphore of the pool's capacity. One op is one task; ns/op is the wall
// time from the first submit to the last completion, divided by the tasks.
//
//	go test -run '^$' -bench . -benchtime 200000x   (see README.md)

import (
	"sync"
	"testing"
	"time"

	"libants/ants"
	"libants/ants/internal/nativetest"
)

const (
	emptyCap = 64  // capacity for empty tasks: enough to keep every core busy
	sleepCap = 500 // capacity for 1 ms tasks: the concurrency they need
)

func sleepTask() { time.Sleep(time.Millisecond) }

func benchPool(b *testing.B, capacity int, work func()) {
	p, err := ants.NewPool(capacity)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Release()
	var wg sync.WaitGroup
	task := func() { work(); wg.Done() }
	b.ResetTimer()
	wg.Add(b.N)
	for i := 0; i < b.N; i++ {
		if err := p.Submit(task); err != nil {
			b.Fatal(err)
		}
	}
	wg.Wait()
}

func benchPoolWithFunc(b *testing.B, capacity int, work func()) {
	var wg sync.WaitGroup
	p, err := ants.NewPoolWithFunc(capacity, func(any) { work(); wg.Done() })
	if err != nil {
		b.Fatal(err)
	}
	defer p.Release()
	b.ResetTimer()
	wg.Add(b.N)
	for i := 0; i < b.N; i++ {
		if err := p.Invoke(nil); err != nil {
			b.Fatal(err)
		}
	}
	wg.Wait()
}

func benchGoroutines(b *testing.B, work func()) {
	var wg sync.WaitGroup
	b.ResetTimer()
	wg.Add(b.N)
	for i := 0; i < b.N; i++ {
		go func() { work(); wg.Done() }()
	}
	wg.Wait()
}

func benchSemaphore(b *testing.B, capacity int, work func()) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, capacity)
	b.ResetTimer()
	wg.Add(b.N)
	for i := 0; i < b.N; i++ {
		sem <- struct{}{}
		go func() { work(); <-sem; wg.Done() }()
	}
	wg.Wait()
}

func BenchmarkEmptyTask(b *testing.B) {
	empty := func() {}
	b.Run("AntsSubmit", func(b *testing.B) { benchPool(b, emptyCap, empty) })
	b.Run("AntsInvoke", func(b *testing.B) { benchPoolWithFunc(b, emptyCap, empty) })
	b.Run("Goroutine", func(b *testing.B) { benchGoroutines(b, empty) })
	b.Run("GoroutineSemaphore", func(b *testing.B) { benchSemaphore(b, emptyCap, empty) })
	b.Run("AntsSubmitNative", func(b *testing.B) {
		// A C task: no Go callback at all. WaitIdle stands in for the
		// WaitGroup the C task cannot call.
		c := nativetest.NewCounter()
		defer c.Free()
		p, err := ants.NewPool(emptyCap)
		if err != nil {
			b.Fatal(err)
		}
		defer p.Release()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := p.SubmitNative(nativetest.CountTask(), c.Ptr()); err != nil {
				b.Fatal(err)
			}
		}
		if err := p.WaitIdle(); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkSleep1msTask(b *testing.B) {
	b.Run("AntsSubmit", func(b *testing.B) { benchPool(b, sleepCap, sleepTask) })
	b.Run("Goroutine", func(b *testing.B) { benchGoroutines(b, sleepTask) })
	b.Run("GoroutineSemaphore", func(b *testing.B) { benchSemaphore(b, sleepCap, sleepTask) })
}
