package ants

import (
	"log"
	"os"
	"sync"
	"time"

	"libants/ants/internal/capi"
)

const (
	// DefaultAntsPoolSize is the capacity of the default pool. ants uses
	// math.MaxInt32 goroutines; libants' workers are OS threads, so its
	// default pool is capped at a size the kernel can always provide
	// (ANTS_DEFAULT_POOL_SIZE in ants.h; a test checks that they agree).
	// Untyped, as in ants, so that it converts to any integer type.
	DefaultAntsPoolSize = 4096

	// DefaultCleanIntervalTime is the default idle time after which a
	// worker exits.
	DefaultCleanIntervalTime = time.Duration(capi.ANTS_DEFAULT_EXPIRY_MS) * time.Millisecond
)

const (
	// OPENED represents that the pool is opened.
	OPENED = iota

	// CLOSED represents that the pool is closed.
	CLOSED
)

// Logger is used for logging formatted messages.
type Logger interface {
	// Printf must have the same semantics as log.Printf.
	Printf(format string, args ...any)
}

var defaultLogger = Logger(log.New(os.Stderr, "[ants]: ", log.LstdFlags|log.Lmsgprefix|log.Lmicroseconds))

// The default pool is libants' process-wide default pool, shared with C,
// C++ and Java code in the same process. It is made on first use; no
// thread exists before a task needs one.
var defaultPool = sync.OnceValue(func() *Pool {
	p := &Pool{}
	p.h = capi.Ants_default_pool()
	p.hooks = defaultHooks
	if p.h == 0 {
		panic("ants: libants could not create its default pool (out of memory)")
	}
	p.gw = newGoWorkers(p.h)
	return p // never freed: libants keeps its default pool for the process
})

// Submit submits a task to the default pool.
func Submit(task func()) error {
	return defaultPool().Submit(task)
}

// Running returns the number of live workers of the default pool.
func Running() int {
	return defaultPool().Running()
}

// Cap returns the capacity of the default pool.
func Cap() int {
	return defaultPool().Cap()
}

// Free returns the number of workers the default pool may still start.
func Free() int {
	return defaultPool().Free()
}

// Release closes the default pool.
func Release() {
	defaultPool().Release()
}

// ReleaseTimeout closes the default pool and waits for its workers to exit.
func ReleaseTimeout(timeout time.Duration) error {
	return defaultPool().ReleaseTimeout(timeout)
}

// Reboot reopens the default pool.
func Reboot() {
	defaultPool().Reboot()
}
