// Package compare runs one program against native ants and against the
// libants Go binding (and, as the floor, a goroutine per task), so that the
// two are measured side by side in the same run (issue 14). It is a module
// of its own: ants comes from the Go module proxy as a bench-only
// dependency, never vendored; the binding is the module CMake assembles.
//
//	scripts/bench-go-vs-ants.sh [build-dir]     (see bindings/go/README.md)
//
// One op is one whole workload (-benchtime 1x); ns/task divides it by the
// number of tasks. benchstat -col /impl puts the implementations side by
// side.
package compare

import (
	"sync"
	"testing"
	"time"

	native "github.com/panjf2000/ants/v2"

	"libants/ants"
)

// pool is the part of the API the workloads use: the same calls on both.
type pool interface {
	Submit(task func()) error
	Release()
}

// goroutines is the floor: a goroutine per task, no capacity bound.
type goroutines struct{}

func (goroutines) Submit(task func()) error { go task(); return nil }
func (goroutines) Release()                 {}

var impls = []struct {
	name string
	make func(size int) (pool, error)
}{
	{"ants", func(n int) (pool, error) { return native.NewPool(n) }},
	{"libants", func(n int) (pool, error) { return ants.NewPool(n) }},
	{"goroutine", func(int) (pool, error) { return goroutines{}, nil }},
}

// run submits tasks tasks of work to a fresh pool of capacity capacity and
// waits for the last one; the pool's creation is not timed.
func run(b *testing.B, capacity, tasks int, work func()) {
	for _, im := range impls {
		im := im
		b.Run("impl="+im.name, func(b *testing.B) {
			var total time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				p, err := im.make(capacity)
				if err != nil {
					b.Fatal(err)
				}
				var wg sync.WaitGroup
				task := func() { work(); wg.Done() }
				wg.Add(tasks)
				b.StartTimer()
				start := time.Now()
				for j := 0; j < tasks; j++ {
					if err := p.Submit(task); err != nil {
						b.Fatal(err)
					}
				}
				wg.Wait()
				total += time.Since(start)
				b.StopTimer()
				p.Release()
				b.StartTimer()
			}
			b.ReportMetric(float64(total.Nanoseconds())/float64(b.N*tasks), "ns/task")
		})
	}
}

// BenchmarkEmptyTasks: 200,000 empty tasks at capacity 2 (the cost of the
// task path itself).
func BenchmarkEmptyTasks(b *testing.B) {
	run(b, 2, 200_000, func() {})
}

// BenchmarkSleep1msTasks: 20,000 tasks sleeping 1 ms at capacity 1,000
// (ideal: 20 ms; the cost of tasks that block).
func BenchmarkSleep1msTasks(b *testing.B) {
	run(b, 1_000, 20_000, func() { time.Sleep(time.Millisecond) })
}
