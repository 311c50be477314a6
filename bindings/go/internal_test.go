package ants

import (
	"runtime"
	"runtime/cgo"
	"sync"
	"testing"
	"time"
)

func TestSlotTablePutTake(t *testing.T) {
	var tb slotTable
	ran := 0
	keys := make([]uintptr, 3*slotChunkSize) // forces growth by two chunks
	for i := range keys {
		keys[i] = tb.put(slotEntry{task: func() { ran++ }})
		if keys[i] < keyBase {
			t.Fatalf("key %#x below keyBase", keys[i])
		}
	}
	if tb.inUse() != len(keys) {
		t.Fatalf("inUse %d, want %d", tb.inUse(), len(keys))
	}
	for _, k := range keys {
		e, ok := tb.take(k)
		if !ok {
			t.Fatalf("take(%#x) failed", k)
		}
		e.task()
		if _, again := tb.take(k); again {
			t.Fatalf("take(%#x) succeeded twice", k)
		}
	}
	if ran != len(keys) || tb.inUse() != 0 {
		t.Fatalf("ran %d inUse %d", ran, tb.inUse())
	}
	for _, bad := range []uintptr{0, 1, keyBase - 1, keyBase + 1<<30} {
		if _, ok := tb.take(bad); ok {
			t.Fatalf("take(%#x) of a key never handed out succeeded", bad)
		}
	}
}

func TestSlotTableConcurrent(t *testing.T) {
	var tb slotTable
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20000; i++ {
				k := tb.put(slotEntry{arg: i})
				e, ok := tb.take(k)
				if !ok || e.arg.(int) != i {
					t.Errorf("lost slot %#x: %v %v", k, ok, e.arg)
					return
				}
			}
		}()
	}
	wg.Wait()
	if tb.inUse() != 0 {
		t.Fatalf("inUse %d after balanced put/take", tb.inUse())
	}
}

// TestSlotsNeverLeak: every slot is freed exactly once, by the worker or
// by a failed submit, whatever happens to the pool.
func TestSlotsNeverLeak(t *testing.T) {
	base := slots.inUse()
	p, err := NewPool(2, WithNonblocking(true))
	if err != nil {
		t.Fatal(err)
	}
	gate := make(chan struct{})
	var wg sync.WaitGroup
	accepted, rejected := 0, 0
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		if err := p.Submit(func() { <-gate; wg.Done() }); err != nil {
			wg.Done()
			rejected++
		} else {
			accepted++
		}
	}
	if accepted != 2 || rejected != 998 {
		t.Fatalf("accepted %d rejected %d, want 2 998", accepted, rejected)
	}
	// A worker frees the slot when it starts the task, so the two accepted
	// tasks hold at most two slots, the 998 rejected ones none.
	if n := slots.inUse() - base; n > 2 {
		t.Fatalf("%d slots in use with two tasks accepted", n)
	}
	// Context and timeout submits that fail free their slots too.
	_ = p.SubmitTimeout(func() {}, time.Millisecond)
	bp, err := NewPool(1)
	if err != nil {
		t.Fatal(err)
	}
	bgate := make(chan struct{})
	if err := bp.Submit(func() { <-bgate }); err != nil {
		t.Fatal(err)
	}
	_ = bp.SubmitTimeout(func() {}, time.Millisecond)
	blocked := make(chan error)
	go func() { blocked <- bp.Submit(func() {}) }()
	for bp.Waiting() != 1 {
		time.Sleep(time.Millisecond)
	}
	bp.Release() // the blocked caller gets ErrPoolClosed and frees its slot
	if err := <-blocked; err != ErrPoolClosed {
		t.Fatalf("blocked submit got %v", err)
	}
	close(bgate)
	close(gate)
	wg.Wait()
	if err := p.ReleaseTimeout(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if err := bp.ReleaseTimeout(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if n := slots.inUse() - base; n != 0 {
		t.Fatalf("%d slots leaked", n)
	}
}

// TestUnreachablePoolIsFreed: the finalizer frees the libants pool and
// drops the pool's hooks from the registry.
func TestUnreachablePoolIsFreed(t *testing.T) {
	registered := func() int {
		hookRegistry.mu.RLock()
		defer hookRegistry.mu.RUnlock()
		return len(hookRegistry.m)
	}
	before := registered()
	func() {
		p, err := NewPool(2)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		if err := p.Submit(func() { close(done) }); err != nil {
			t.Fatal(err)
		}
		<-done
	}()
	deadline := time.Now().Add(10 * time.Second)
	for registered() > before {
		if time.Now().After(deadline) {
			t.Fatal("an unreachable pool was never freed")
		}
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
}

func TestDurationMS(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want int64
	}{
		{0, 0}, {1, 1}, {time.Millisecond, 1}, {time.Millisecond + 1, 2},
		{-1, -1}, {-time.Millisecond, -1}, {-time.Millisecond - 1, -2}, {time.Second, 1000},
	} {
		if got := durationMS(c.d); got != c.want {
			t.Errorf("durationMS(%v) = %d, want %d", c.d, got, c.want)
		}
	}
}

func BenchmarkSlotPutTake(b *testing.B) {
	var tb slotTable
	e := slotEntry{task: func() {}}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tb.take(tb.put(e))
		}
	})
}

// TestCancelQueuedFreesSlots: queued tasks dropped by CancelQueued never
// run, release their slots, and count as finished for their group.
func TestCancelQueuedFreesSlots(t *testing.T) {
	base := slots.inUse()
	p, err := NewPool(1, WithQueueSize(4))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()
	gate := make(chan struct{})
	started := make(chan struct{})
	if err := p.Submit(func() { close(started); <-gate }); err != nil {
		t.Fatal(err)
	}
	<-started
	g, err := NewGroup()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := p.Submit(func() { t.Error("a cancelled task ran") }); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Submit(p, func() { t.Error("a cancelled group task ran") }); err != nil {
		t.Fatal(err)
	}
	if n := slots.inUse() - base; n != 4 {
		t.Fatalf("%d slots in use with four queued tasks", n)
	}
	if n := p.CancelQueued(); n != 4 {
		t.Fatalf("CancelQueued() = %d, want 4", n)
	}
	if n := slots.inUse() - base; n != 0 {
		t.Fatalf("%d slots leaked by cancellation", n)
	}
	if err := g.WaitTimeout(10 * time.Second); err != nil {
		t.Fatalf("group wait after cancellation: %v", err)
	}
	close(gate)
	if err := p.WaitIdle(); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkSlotPutTakeSerial(b *testing.B) {
	var tb slotTable
	e := slotEntry{task: func() {}}
	for i := 0; i < b.N; i++ {
		tb.take(tb.put(e))
	}
}

// BenchmarkCgoHandle is the alternative the slot table replaces.
func BenchmarkCgoHandle(b *testing.B) {
	e := slotEntry{task: func() {}}
	for i := 0; i < b.N; i++ {
		h := cgo.NewHandle(e)
		_ = h.Value().(slotEntry)
		h.Delete()
	}
}

func TestCIntClamps(t *testing.T) {
	if cInt(1<<40) != 1<<31-1 || cInt(-1<<40) != -1<<31 || cInt(7) != 7 {
		t.Fatal("cInt does not clamp to the C int range")
	}
}

// TestReleaseRunsQueuedTasks: tasks already queued when the pool is
// released still run exactly once, and their slots come back.
func TestReleaseRunsQueuedTasks(t *testing.T) {
	base := slots.inUse()
	p, err := NewPool(1, WithQueueSize(3))
	if err != nil {
		t.Fatal(err)
	}
	gate := make(chan struct{})
	started := make(chan struct{})
	if err := p.Submit(func() { close(started); <-gate }); err != nil {
		t.Fatal(err)
	}
	<-started
	var ran sync.WaitGroup
	ran.Add(3)
	for i := 0; i < 3; i++ {
		if err := p.Submit(ran.Done); err != nil {
			t.Fatal(err)
		}
	}
	p.Release()
	if err := p.Submit(func() {}); err != ErrPoolClosed {
		t.Fatalf("submit after Release: %v", err)
	}
	close(gate)
	ran.Wait()
	if err := p.ReleaseTimeout(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if n := slots.inUse() - base; n != 0 {
		t.Fatalf("%d slots leaked", n)
	}
}
