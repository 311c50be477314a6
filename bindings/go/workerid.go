package ants

import (
	"reflect"
	"runtime"
	"sync"
)

// Reading back the worker id a goroutine worker wrote into its own stack
// (see wkStart in goworkers.go). From the outermost frame inward, a
// worker's stack reads: runtime.goexit, wkStart, then per bit of its id
// (least significant first) wkNext and wkMark0 or wkMark1, then wkNext and
// wkMarkEnd, then the worker loop and the task. Every frame of the chain is
// a real frame (//go:noinline), so runtime.Callers sees each one.

type frameKind uint8

const (
	frameOther frameKind = iota
	frameStart
	frameNext
	frameMark0
	frameMark1
	frameEnd
)

var frameNames = sync.OnceValue(func() map[string]frameKind {
	name := func(f any) string { return runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name() }
	return map[string]frameKind{
		name(wkStart): frameStart, name(wkNext): frameNext, name(wkMark0): frameMark0,
		name(wkMark1): frameMark1, name(wkMarkEnd): frameEnd,
	}
})

// frameKinds caches the kind of each return PC looked at (a few per
// goroutine entry point in the program).
var frameKinds sync.Map

func kindOf(pc uintptr) frameKind {
	if k, ok := frameKinds.Load(pc); ok {
		return k.(frameKind)
	}
	k := frameOther
	if f := runtime.FuncForPC(pc - 1); f != nil {
		k = frameNames()[f.Name()]
	}
	frameKinds.Store(pc, k)
	return k
}

// currentWorker returns the goroutine worker the caller runs on, or nil if
// the calling goroutine is not one. It walks the whole stack: for slow
// paths only (a submit that would wait, WaitIdle, ReleaseTimeout,
// Group.Wait).
func currentWorker() *goWorker {
	var buf [64]uintptr
	pcs := buf[:]
	n := runtime.Callers(1, pcs)
	for n == len(pcs) {
		if len(pcs) >= 1<<20 {
			return nil // a stack this deep is no worker of ours
		}
		pcs = make([]uintptr, 4*len(pcs))
		n = runtime.Callers(1, pcs)
	}
	pcs = pcs[:n]
	i := len(pcs) - 1
	for ; i >= 0 && i >= len(pcs)-3; i-- {
		if kindOf(pcs[i]) == frameStart {
			break
		}
	}
	if i < 0 || i < len(pcs)-3 {
		return nil
	}
	var id uint32
	bit := 0
	for i--; i >= 0 && bit <= 32; i-- {
		switch kindOf(pcs[i]) {
		case frameNext:
		case frameMark0:
			bit++
		case frameMark1:
			id |= 1 << bit
			bit++
		case frameEnd:
			return workerTab.at(id)
		default:
			return nil
		}
	}
	return nil
}
