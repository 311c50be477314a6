// Command ants_bench_go runs one workload of bench/ (B1-B7, see
// bench/README.md) once against Go's ants v2, the library libants ports, so
// that ants is a column of the same table as the C and C++ pools.
//
// ants_bench (bench/src/peer_go.cpp) starts it as a child process per run,
// with the same counts, busy-loop length and time budgets the C++ peers
// get, and reads one line from its standard output:
//
//	figures <wall_s> <figure> ...
//
// in the order of the workload's figures in bench/src/workloads.h. After that
// line the program releases the pool and waits for its workers (the
// harness times that as the teardown), then exits. Errors go to standard
// error with exit status 2.
//
// ants comes from the Go module cache (fetched by `go build`, never
// vendored); bench/run.sh builds this program into the build directory.
package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/panjf2000/ants/v2"
)

var (
	workload    = flag.String("workload", "", "B1 .. B7")
	concurrency = flag.Int("concurrency", 2, "pool capacity (B1, B3, B4, B6, B7)")
	capacity    = flag.Int("capacity", 10000, "pool capacity (B2); workers (B5)")
	tasks       = flag.Int64("tasks", 0, "tasks per run (B1, B2, B3, B6); samples (B4)")
	budget      = flag.Float64("budget", 0, "B1/B3: stop submitting after this many seconds (0: never)")
	busyIters   = flag.Uint64("busy-iters", 0, "B3: spin rounds per task; B7: per leaf")
	periodUs    = flag.Float64("period-us", 100, "B4: µs between submits")
	idleS       = flag.Float64("idle-s", 1, "B5: length of the idle window")
	leaves      = flag.Int64("leaves", 1<<20, "B7: leaves of the recursion")
	grain       = flag.Int64("grain", 64, "B7: ranges of at most this many leaves are summed serially")
	serialReps  = flag.Int("serial-reps", 3, "B7: runs of the serial computation (median)")
	teardownCap = flag.Duration("teardown-cap", 10*time.Second, "longest wait for the workers to exit")
)

func main() {
	flag.Parse()
	bodies := map[string]func() ([]float64, *ants.Pool, error){
		"B1": b1, "B2": b2, "B3": b3, "B4": b4, "B5": b5, "B6": b6, "B7": b7,
	}
	body, ok := bodies[*workload]
	if !ok {
		fatal(fmt.Errorf("unknown workload %q", *workload))
	}
	figures, pool, err := body()
	if err != nil {
		fatal(err)
	}
	parts := make([]string, len(figures))
	for i, v := range figures {
		parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	fmt.Printf("figures %s\n", strings.Join(parts, " "))
	os.Stdout.Sync()
	// The teardown: close the pool and wait for its workers to exit (the
	// harness kills the process at its own cap).
	if pool != nil {
		_ = pool.ReleaseTimeout(*teardownCap)
	}
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "ants_bench_go: %v\n", err)
	os.Exit(2)
}

// completion is bench/src/completion.h: each task one atomic increment, the
// last one wakes the waiter, so no pool's own wait primitive is measured.
type completion struct {
	count, target atomic.Int64
	mu            sync.Mutex
	finished      bool
	ch            chan struct{}
}

func (c *completion) reset(target int64) {
	c.mu.Lock()
	c.finished = false
	c.ch = make(chan struct{})
	c.mu.Unlock()
	c.count.Store(0)
	c.target.Store(target)
}

func (c *completion) finish() {
	c.mu.Lock()
	if !c.finished {
		c.finished = true
		close(c.ch)
	}
	c.mu.Unlock()
}

func (c *completion) done() {
	if c.count.Add(1) == c.target.Load() {
		c.finish()
	}
}

// lowerTarget: a run that stopped submitting early (its time budget).
func (c *completion) lowerTarget(target int64) {
	c.target.Store(target)
	if c.count.Load() >= target {
		c.finish()
	}
}

func (c *completion) wait() { <-c.ch }

var doneAll completion

// maxBacklog: as run_round in bench/src/workloads.cpp.
const maxBacklog = 100000

// runRound submits n copies of task and waits for them; with budgetS > 0 it
// stops submitting after that long. Returns the tasks submitted.
func runRound(p *ants.Pool, n int64, task func(), budgetS float64) (int64, error) {
	doneAll.reset(n)
	var stopAt time.Time
	if budgetS > 0 {
		stopAt = time.Now().Add(time.Duration(budgetS * 1e9))
	}
	var i int64
	for ; i < n; i++ {
		if budgetS > 0 && i&1023 == 1023 {
			if time.Now().After(stopAt) {
				doneAll.lowerTarget(i)
				break
			}
			for i-doneAll.count.Load() > maxBacklog && !time.Now().After(stopAt) {
				time.Sleep(200 * time.Microsecond)
			}
		}
		if err := p.Submit(task); err != nil {
			return i, err
		}
	}
	doneAll.wait()
	return i, nil
}

func countTask() { doneAll.done() }

// sink keeps the spin loop's result alive.
var sink atomic.Uint64

// busyChain is bench/src/busy.cpp's loop: the same dependent chain of
// multiply-adds, so the same number of rounds costs the same on one core,
// and from the same seed it ends on the same value (B7's leaves).
func busyChain(seed, iters uint64) uint64 {
	x := seed
	for i := uint64(0); i < iters; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

func busySpin(iters uint64) uint64 { return busyChain(iters|1, iters) }

func statusKiB(field string) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, field+":") {
			f := strings.Fields(line[len(field)+1:])
			if len(f) > 0 {
				v, _ := strconv.ParseFloat(f[0], 64)
				return v
			}
		}
	}
	return -1
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)*1e-6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

func median(v []float64) float64 {
	sort.Float64s(v)
	return v[len(v)/2]
}

func b1() ([]float64, *ants.Pool, error) {
	p, err := ants.NewPool(*concurrency)
	if err != nil {
		return nil, nil, err
	}
	if _, err := runRound(p, min(10000, *tasks/10+1), countTask, *budget); err != nil {
		return nil, p, err
	}
	t0 := time.Now()
	ran, err := runRound(p, *tasks, countTask, *budget)
	wall := time.Since(t0).Seconds()
	return []float64{wall, wall * 1e9 / float64(ran), float64(ran)}, p, err
}

func b2() ([]float64, *ants.Pool, error) {
	t0 := time.Now()
	p, err := ants.NewPool(*capacity)
	if err != nil {
		return nil, nil, err
	}
	_, err = runRound(p, *tasks, func() { time.Sleep(10 * time.Millisecond); doneAll.done() }, 0)
	wall := time.Since(t0).Seconds()
	ideal := float64(*tasks) * 0.010 / float64(*capacity)
	return []float64{wall, wall / ideal, statusKiB("VmHWM") / 1024}, p, err
}

func b3() ([]float64, *ants.Pool, error) {
	iters := *busyIters
	// The task's own cost, serially, just before: median of 9 batches.
	batch := min(*tasks/36+1, 11000)
	per := make([]float64, 0, 9)
	for b := 0; b < 9; b++ {
		s0 := time.Now()
		for i := int64(0); i < batch; i++ {
			sink.Store(busySpin(iters))
		}
		per = append(per, time.Since(s0).Seconds()/float64(batch))
	}
	taskS := median(per)
	p, err := ants.NewPool(*concurrency)
	if err != nil {
		return nil, nil, err
	}
	task := func() { sink.Store(busySpin(iters)); doneAll.done() }
	if _, err := runRound(p, min(2000, *tasks/10+1), task, *budget); err != nil {
		return nil, p, err
	}
	t0 := time.Now()
	ran, err := runRound(p, *tasks, task, *budget)
	wall := time.Since(t0).Seconds()
	ideal := float64(ran) * taskS / float64(*concurrency)
	return []float64{wall, wall / ideal, taskS * 1e6, float64(ran)}, p, err
}

func b4() ([]float64, *ants.Pool, error) {
	p, err := ants.NewPool(*concurrency)
	if err != nil {
		return nil, nil, err
	}
	warm := min(200, *tasks/10+1)
	n := warm + *tasks
	submit := make([]time.Duration, n)
	start := make([]time.Duration, n)
	base := time.Now()
	period := time.Duration(*periodUs * 1000)
	doneAll.reset(n)
	next := time.Since(base)
	for i := int64(0); i < n; i++ {
		// An absolute schedule, as in the C++ harness.
		next += period
		if d := next - time.Since(base); d > 0 {
			time.Sleep(d)
		}
		i := i
		submit[i] = time.Since(base)
		if err := p.Submit(func() { start[i] = time.Since(base); doneAll.done() }); err != nil {
			return nil, p, err
		}
	}
	doneAll.wait()
	wall := time.Since(base).Seconds()
	lat := make([]float64, 0, *tasks)
	for i := warm; i < n; i++ {
		lat = append(lat, float64(start[i]-submit[i])/1e3)
	}
	sort.Float64s(lat)
	pct := func(q float64) float64 {
		rank := int(math.Ceil(q * float64(len(lat))))
		return lat[max(0, min(len(lat)-1, rank-1))]
	}
	return []float64{wall, pct(0.50), pct(0.99), pct(0.999)}, p, nil
}

func b5() ([]float64, *ants.Pool, error) {
	workers := *capacity
	runtime.GC()
	baseKiB := statusKiB("VmRSS")
	t0 := time.Now()
	p, err := ants.NewPool(workers)
	if err != nil {
		return nil, nil, err
	}
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		arrived int
		open    bool
	)
	doneAll.reset(int64(workers))
	task := func() {
		mu.Lock()
		arrived++
		if arrived == workers {
			cond.Broadcast()
		}
		for !open {
			cond.Wait()
		}
		mu.Unlock()
		doneAll.done()
	}
	for i := 0; i < workers; i++ {
		if err := p.Submit(task); err != nil {
			return nil, p, err
		}
	}
	// Until all arrived, or arrivals stall for 2 s (as the C++ harness).
	seen, stalled := -1, 0
	for {
		mu.Lock()
		a := arrived
		mu.Unlock()
		if a >= workers || stalled >= 2 {
			break
		}
		time.Sleep(time.Second)
		mu.Lock()
		if arrived == seen {
			stalled++
		} else {
			stalled = 0
		}
		seen = arrived
		mu.Unlock()
	}
	mu.Lock()
	ranAtOnce := float64(arrived)
	open = true
	cond.Broadcast()
	mu.Unlock()
	doneAll.wait()
	wall := time.Since(t0).Seconds()
	time.Sleep(100 * time.Millisecond)
	idleKiB := statusKiB("VmRSS")
	cpu0 := cpuSeconds()
	time.Sleep(time.Duration(*idleS * 1e9))
	cpuMsPerS := (cpuSeconds() - cpu0) * 1000 / *idleS
	// Workers are goroutines: "alive" is ants' own count of live workers.
	return []float64{wall, (idleKiB - baseKiB) / float64(workers), cpuMsPerS,
		float64(p.Running()), ranAtOnce}, p, nil
}

func b6() ([]float64, *ants.Pool, error) {
	p, err := ants.NewPool(*concurrency)
	if err != nil {
		return nil, nil, err
	}
	if _, err := runRound(p, min(20000, *tasks), countTask, 0); err != nil {
		return nil, p, err
	}
	var m0, m1 runtime.MemStats
	t0 := time.Now()
	runtime.ReadMemStats(&m0)
	_, err = runRound(p, *tasks, countTask, 0)
	runtime.ReadMemStats(&m1)
	wall := time.Since(t0).Seconds()
	return []float64{wall, float64(m1.Mallocs-m0.Mallocs) / float64(*tasks)}, p, err
}

// ---- B7: nested fork-join ---------------------------------------------------

// serialSum is bench/src/workloads.cpp's: the same leaf values, so every
// pool's sum must equal the serial one.
func serialSum(lo, hi int64, iters uint64) uint64 {
	var s uint64
	for i := lo; i < hi; i++ {
		s += busyChain(uint64(i)|1, iters)
	}
	return s
}

// forkJoin sums [lo, hi): each half a task of the same pool, awaited with a
// sync.WaitGroup. ants blocks a nested submit into its full pool forever
// (every worker waiting for a worker), so the pool is nonblocking and a
// child it refuses runs inline - what a Go user of ants writes.
func forkJoin(p *ants.Pool, lo, hi, grain int64, iters uint64) uint64 {
	if hi-lo <= grain {
		return serialSum(lo, hi, iters)
	}
	mid := lo + (hi-lo)/2
	var left, right uint64
	var wg sync.WaitGroup
	wg.Add(2)
	spawn := func(lo, hi int64, out *uint64) {
		task := func() { *out = forkJoin(p, lo, hi, grain, iters); wg.Done() }
		if err := p.Submit(task); err != nil {
			if !errors.Is(err, ants.ErrPoolOverload) {
				fatal(err)
			}
			task()
		}
	}
	spawn(lo, mid, &left)
	spawn(mid, hi, &right)
	wg.Wait()
	return left + right
}

func b7() ([]float64, *ants.Pool, error) {
	iters := *busyIters
	serial := make([]float64, 0, *serialReps)
	var want uint64
	for r := 0; r < *serialReps; r++ {
		s0 := time.Now()
		want = serialSum(0, *leaves, iters)
		serial = append(serial, time.Since(s0).Seconds())
	}
	serialS := median(serial)
	p, err := ants.NewPool(*concurrency, ants.WithNonblocking(true))
	if err != nil {
		return nil, nil, err
	}
	// The root is submitted from outside like every other peer's; the
	// submitter waits on the harness's completion, not in the pool.
	run := func() (uint64, error) {
		var got uint64
		doneAll.reset(1)
		if err := p.Submit(func() { got = forkJoin(p, 0, *leaves, *grain, iters); doneAll.done() }); err != nil {
			return 0, err
		}
		doneAll.wait()
		return got, nil
	}
	if _, err := run(); err != nil { // warm-up: start the workers
		return nil, p, err
	}
	t0 := time.Now()
	got, err := run()
	wall := time.Since(t0).Seconds()
	if err == nil && got != want {
		err = fmt.Errorf("fork-join sum %d, serial sum %d", got, want)
	}
	return []float64{wall, serialS / wall, serialS}, p, err
}
