package ants_test

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"libants/ants"
)

// Some behaviours end (or, before a fix, ended) the whole process: those
// tests rerun this test binary for one test in a child process, selected by
// this variable, and judge its exit and output.
const childEnv = "LIBANTS_GO_TEST_CHILD"

func runChild(t *testing.T, test, mode string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("child %s/%s hung:\n%s", test, mode, out)
	}
	return string(out), err
}

// TestGoexitInTaskExplainsAbort (issue 17): runtime.Goexit in a task, or
// in a panic handler (t.FailNow, require.* ...), run on a native worker (a
// pool with a task queue: the callback path) cannot return to the C worker
// below it and the Go runtime aborts the process. The binding says why, in
// plain words, before that happens. On goroutine workers (no queue) it is
// survived: TestSlotsGoexitInTaskIsSurvived.
func TestGoexitInTaskExplainsAbort(t *testing.T) {
	if mode := os.Getenv(childEnv); mode != "" {
		if strings.HasPrefix(mode, "goexit-") {
			goexitChild(t, mode)
		}
		return
	}
	for _, mode := range []string{"goexit-task", "goexit-failnow", "goexit-panichandler"} {
		out, err := runChild(t, "TestGoexitInTaskExplainsAbort", mode)
		if err == nil || strings.Contains(out, "child survived") {
			t.Fatalf("%s: the child survived a Goexit on a worker (now possible? update the test and docs):\n%s", mode, out)
		}
		if !strings.Contains(out, "called runtime.Goexit") {
			t.Fatalf("%s: no explanation before the abort:\n%s", mode, out)
		}
	}
}

func goexitChild(t *testing.T, mode string) {
	opts := []ants.Option{ants.WithQueueSize(1)} // Go tasks on native workers
	task := func() { runtime.Goexit() }
	switch mode {
	case "goexit-failnow":
		task = func() { t.FailNow() }
	case "goexit-panichandler":
		opts = append(opts, ants.WithPanicHandler(func(any) { runtime.Goexit() }))
		task = func() { panic("boom") }
	}
	p, err := ants.NewPool(1, opts...)
	mustNil(t, err)
	mustNil(t, p.Submit(task))
	// The runtime aborts the process while this waits; a generous bound
	// only keeps a broken child from hanging.
	_ = p.WaitIdleTimeout(time.Minute)
	os.Stdout.WriteString("child survived\n")
	os.Exit(0)
}

// TestRecursiveInvokeDepth20000 (issue 17): a pool of size 1 whose function
// invokes its own pool runs the nested task inline; at depth 20,000 the
// nested libants and cgo frames overflowed the worker thread's stack and
// killed the process. libants now runs at most ANTS_MAX_INLINE_DEPTH
// levels inline and defers deeper ones to the same worker. Each level must
// run exactly once, without a crash; a child process keeps a regression
// from taking the whole test binary down.
func TestRecursiveInvokeDepth20000(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		out, err := runChild(t, "TestRecursiveInvokeDepth20000", "recursive")
		if err != nil || !strings.Contains(out, "\nPASS") {
			t.Fatalf("child failed (%v):\n%s", err, out)
		}
		return
	}
	if os.Getenv(childEnv) != "recursive" {
		return
	}
	const depth = 20000
	ran := make([]atomic.Int32, depth+1)
	var p *ants.PoolWithFuncGeneric[int]
	var err error
	p, err = ants.NewPoolWithFuncGeneric(1, func(d int) {
		ran[d].Add(1)
		if d < depth {
			if err := p.Invoke(d + 1); err != nil {
				t.Errorf("Invoke at depth %d: %v", d+1, err)
			}
		}
	})
	mustNil(t, err)
	defer p.Release()
	mustNil(t, p.Invoke(0))
	mustNil(t, p.WaitIdle())
	for d := range ran {
		if n := ran[d].Load(); n != 1 {
			t.Fatalf("depth %d ran %d times, want 1", d, n)
		}
	}
}
