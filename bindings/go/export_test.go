package ants

// Internals the external tests (package ants_test) look at.

// IdleGoWorkers is the number of idle goroutine workers of p's wrapper.
func IdleGoWorkers(p Submitter) int {
	gw := p.core().gw
	gw.mu.Lock()
	defer gw.mu.Unlock()
	return len(gw.idle)
}

// UsesGoWorkers reports whether p runs Go tasks on goroutine workers.
func UsesGoWorkers(p Submitter) bool { return p.core().gw.usable() }

// GoWorkersExpire reports whether p's idle goroutine workers expire.
func GoWorkersExpire(p Submitter) bool { return p.core().gw.expiry > 0 }

// GoWorkerCount is the number of live goroutine workers, all pools.
func GoWorkerCount() int { return workerTab.count() }
