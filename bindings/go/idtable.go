package ants

import "sync"

// idTable hands out small integer ids (from 1) for values that C code, or
// a goroutine's own stack, must name without holding a Go pointer: the
// goroutine workers, the submitters waiting for a slot, the pools with a
// slot listener. Ids are reused after remove. The lock is held for a few
// instructions only; lookups happen on slow paths (a grant, a listener
// call, a nested submit).
type idTable[T any] struct {
	mu   sync.Mutex
	vals []*T
	free []uint32
}

func (t *idTable[T]) add(v *T) uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n := len(t.free); n > 0 {
		id := t.free[n-1]
		t.free = t.free[:n-1]
		t.vals[id-1] = v
		return id
	}
	t.vals = append(t.vals, v)
	return uint32(len(t.vals))
}

func (t *idTable[T]) remove(id uint32) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.vals[id-1] = nil
	t.free = append(t.free, id)
}

// at returns the value of id, or nil for an id not in use.
func (t *idTable[T]) at(id uint32) *T {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id == 0 || int(id) > len(t.vals) {
		return nil
	}
	return t.vals[id-1]
}

// count is the number of ids in use (tests: no worker leaks).
func (t *idTable[T]) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.vals) - len(t.free)
}
