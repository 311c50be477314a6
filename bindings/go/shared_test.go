package ants

import (
	"runtime"
	"sync"
	"testing"
	"time"
	"unsafe"

	"libants/ants/internal/nativetest"
)

// Pools shared between C and Go (issue 13). The C side is
// internal/nativetest: pools made, retained, fed and freed by C code.

// freedWatch records the handles freeNative let go of.
type freedWatch struct {
	mu    sync.Mutex
	freed map[uintptr]int
}

func watchFrees(t *testing.T) *freedWatch {
	w := &freedWatch{freed: make(map[uintptr]int)}
	hook := func(h uintptr) {
		w.mu.Lock()
		w.freed[h]++
		w.mu.Unlock()
	}
	onNativeFree.Store(&hook)
	t.Cleanup(func() { onNativeFree.Store(nil) })
	return w
}

// wait collects garbage until the Go owner of h has let go of it.
func (w *freedWatch) wait(t *testing.T, h unsafe.Pointer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		w.mu.Lock()
		n := w.freed[uintptr(h)]
		w.mu.Unlock()
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Go owner of shared pool %p never let go", h)
		}
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
}

// useAndFreeFromC: once the Go owner is gone, C still submits n tasks to h,
// waits for them, and frees the pool as its last owner.
func useAndFreeFromC(t *testing.T, h unsafe.Pointer, n int, tr nativetest.Tracker) {
	t.Helper()
	if st := nativetest.SubmitN(h, n, tr); st != 0 {
		t.Fatalf("C submit after the Go owner was collected: %d", st)
	}
	if st := nativetest.WaitIdle(h); st != 0 {
		t.Fatalf("ants_wait_idle: %d", st)
	}
	nativetest.Free(h) // the last owner: released, joined, freed
}

func TestSharedDefaultPoolIsAntsDefaultPool(t *testing.T) {
	if got, want := defaultPool().h, uintptr(nativetest.DefaultPool()); got != want {
		t.Fatalf("Go's default pool %#x, ants_default_pool() %#x", got, want)
	}
	p, err := FromHandle(nativetest.DefaultPool())
	if err != nil {
		t.Fatal(err)
	}
	if p.Cap() != Cap() {
		t.Fatalf("FromHandle(default) cap %d, Cap() %d", p.Cap(), Cap())
	}
}

func TestSharedFromHandleNil(t *testing.T) {
	if _, err := FromHandle(nil); err != ErrInvalidArgument {
		t.Fatalf("FromHandle(nil): %v", err)
	}
}

// TestSharedCAndGoSubmitToOnePool: C code and Go code submit to one pool at
// once; every task runs exactly once and running never exceeds capacity
// across both.
func TestSharedCAndGoSubmitToOnePool(t *testing.T) {
	const size, n = 3, 300
	h := nativetest.NewPool(size)
	if h == nil {
		t.Fatal("ants_pool_new failed")
	}
	defer nativetest.Free(h) // C's ownership
	p, err := FromHandle(h)
	if err != nil {
		t.Fatal(err)
	}
	tr := nativetest.NewTracker()
	defer tr.Free()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // C submits
		defer wg.Done()
		if st := nativetest.SubmitN(h, n, tr); st != 0 {
			t.Errorf("ants_submit from C: %d", st)
		}
	}()
	go func() { // Go submits
		defer wg.Done()
		for i := 0; i < n; i++ {
			if err := p.Submit(tr.Run); err != nil {
				t.Errorf("Submit from Go: %v", err)
				return
			}
		}
	}()
	wg.Wait()
	if err := p.WaitIdle(); err != nil {
		t.Fatal(err)
	}
	if tr.Count() != 2*n {
		t.Fatalf("%d tasks ran, want %d", tr.Count(), 2*n)
	}
	if tr.Max() > size {
		t.Fatalf("%d tasks ran at once in a pool of %d", tr.Max(), size)
	}
}

// TestSharedPoolSurvivesGoWrapper: the pool outlives a collected Go
// wrapper, C can free first or last, and Release closes it for both sides.
func TestSharedPoolSurvivesGoWrapper(t *testing.T) {
	tr := nativetest.NewTracker()
	defer tr.Free()

	// Go's owner goes first: C keeps using the pool.
	w := watchFrees(t)
	h := nativetest.NewPool(2)
	func() {
		p, err := FromHandle(h)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Submit(tr.Run); err != nil {
			t.Fatal(err)
		}
		if err := p.WaitIdle(); err != nil {
			t.Fatal(err)
		}
	}()
	w.wait(t, h)
	useAndFreeFromC(t, h, 5, tr)

	// C's owner goes first: Go keeps using the pool.
	h = nativetest.NewPool(2)
	p, err := FromHandle(h)
	if err != nil {
		t.Fatal(err)
	}
	nativetest.Free(h)
	if err := p.Submit(tr.Run); err != nil {
		t.Fatalf("Go submit after C freed its ownership: %v", err)
	}
	if err := p.WaitIdle(); err != nil {
		t.Fatal(err)
	}

	// Release from either side closes the pool for both.
	if nativetest.Retain(h) != 0 {
		t.Fatal("ants_pool_retain failed")
	}
	p.Release()
	if st := nativetest.SubmitN(h, 1, tr); st != nativetest.StatusPoolClosed {
		t.Fatalf("C submit to a pool Go released: %d", st)
	}
	p.Reboot()
	nativetest.Release(h)
	if err := p.Submit(tr.Run); err != ErrPoolClosed {
		t.Fatalf("Go submit to a pool C released: %v", err)
	}
	nativetest.Free(h)
	runtime.KeepAlive(p)
	if tr.Count() != 7 {
		t.Fatalf("%d tasks ran, want 7", tr.Count())
	}
}

// TestSharedHandleToC: C code retains the handle of a Go pool, submits to
// it, and keeps it after the Go value is gone.
func TestSharedHandleToC(t *testing.T) {
	tr := nativetest.NewTracker()
	defer tr.Free()
	var h unsafe.Pointer
	w := watchFrees(t)
	func() {
		p, err := NewPool(2)
		if err != nil {
			t.Fatal(err)
		}
		h = p.Handle()
		if st := nativetest.Retain(h); st != 0 {
			t.Fatalf("ants_pool_retain: %d", st)
		}
		if err := p.Submit(tr.Run); err != nil {
			t.Fatal(err)
		}
		if st := nativetest.SubmitN(h, 3, tr); st != 0 {
			t.Fatalf("C submit to a Go pool: %d", st)
		}
		if err := p.WaitIdle(); err != nil {
			t.Fatal(err)
		}
	}()
	w.wait(t, h)
	useAndFreeFromC(t, h, 3, tr)
	if tr.Count() != 7 {
		t.Fatalf("%d tasks ran, want 7", tr.Count())
	}
	mp, err := NewMultiPool(2, 1, RoundRobin)
	if err != nil {
		t.Fatal(err)
	}
	defer mp.Release()
	if mp.Handle() == nil {
		t.Fatal("a multipool has no handle")
	}
}

// TestSharedPoolWithFuncFromC: a pool C made with a function runs Go tasks
// on goroutine workers within its capacity; with a task queue (native
// workers run only its function) it refuses them.
func TestSharedPoolWithFuncFromC(t *testing.T) {
	h := nativetest.NewPoolWithFunc(2, 0)
	p, err := FromHandle(h)
	if err != nil {
		t.Fatal(err)
	}
	nativetest.Free(h)
	ran := make(chan struct{})
	if err := p.Submit(func() { close(ran) }); err != nil {
		t.Fatalf("Go task on a C pool with a function: %v", err)
	}
	<-ran
	if err := p.ReleaseTimeout(10 * time.Second); err != nil {
		t.Fatal(err)
	}

	hq := nativetest.NewPoolWithFunc(2, 4)
	q, err := FromHandle(hq)
	if err != nil {
		t.Fatal(err)
	}
	nativetest.Free(hq)
	if err := q.Submit(func() {}); err != ErrInvalidArgument {
		t.Fatalf("Go task on a C pool with a function and a queue: %v", err)
	}
	q.Release()
}
