// The Go side of the shared-pool example: a Go "service" makes one pool,
// hands it to the C++ engine (examples/shared/engine.h), and keeps
// submitting Go tasks of its own while the engine does its parallel work
// on the very same pool: one thread budget for the whole process.
package main

/*
#include <pthread.h>
#include "engine.h"

static void thread_name(char *buf, size_t n) { pthread_getname_np(pthread_self(), buf, n); }
*/
import "C"

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	ants "libants/ants"
)

const (
	capacity     = 4
	serviceTasks = 64
	shards       = 64
)

func threadName() string {
	var buf [16]C.char
	C.thread_name(&buf[0], C.size_t(len(buf)))
	return C.GoString(&buf[0])
}

func main() {
	pool, err := ants.NewPool(capacity)
	if err != nil {
		fmt.Println("NewPool:", err)
		os.Exit(1)
	}
	var e *C.engine
	if rc := C.engine_open(&e, (*C.ants_pool)(pool.Handle())); rc != 0 {
		fmt.Println("engine_open:", rc)
		os.Exit(1)
	}

	var ran, maxBusy atomic.Int64
	var mu sync.Mutex
	names := map[string]bool{}
	var wg sync.WaitGroup
	wg.Add(serviceTasks)
	go func() {
		for i := 0; i < serviceTasks; i++ {
			err := pool.Submit(func() {
				defer wg.Done()
				for b := int64(pool.Busy()); ; {
					seen := maxBusy.Load()
					if b <= seen || maxBusy.CompareAndSwap(seen, b) {
						break
					}
				}
				name := threadName()
				mu.Lock()
				names[name] = true
				mu.Unlock()
				ran.Add(1)
			})
			if err != nil {
				fmt.Println("Submit:", err)
				os.Exit(1)
			}
		}
	}()
	var r C.engine_report
	rc := C.engine_search(e, shards, &r)
	wg.Wait()
	if rc != 0 {
		fmt.Println("engine_search:", rc)
		os.Exit(1)
	}

	goThreads := make([]string, 0, len(names))
	for n := range names {
		goThreads = append(goThreads, n)
	}
	sort.Strings(goThreads)
	busy := max(int64(r.max_busy), maxBusy.Load())
	fmt.Printf("engine (C++): %d shards on %s, score %d\n", r.tasks, C.GoString(&r.threads[0]), r.score)
	fmt.Printf("service (Go): %d tasks on %s\n", ran.Load(), strings.Join(goThreads, " "))
	fmt.Printf("one budget:   at most %d of %d workers busy at once\n", busy, pool.Cap())
	ok := int(r.tasks) == shards && ran.Load() == serviceTasks && busy <= capacity

	// The engine lets go of its ownership first; the Go pool then releases.
	C.engine_close(e)
	pool.Release()
	if ok {
		fmt.Println("shared: ok")
	} else {
		fmt.Println("shared: FAILED")
		os.Exit(1)
	}
}
