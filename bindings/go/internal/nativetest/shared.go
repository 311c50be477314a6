package nativetest

// C helpers for the tests of pools shared between C and Go (issue 13):
// pools made, retained, fed and freed by C code.

/*
#cgo pkg-config: ants
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <ants.h>

// A task that counts itself and records how many tasks ran at once.
typedef struct {
	int cur, max, count;
} nativetest_tracker;

void nativetest_track_task(void *arg);
void nativetest_track_task(void *arg) {
	nativetest_tracker *t = arg;
	int now = __atomic_add_fetch(&t->cur, 1, __ATOMIC_SEQ_CST);
	int seen = __atomic_load_n(&t->max, __ATOMIC_SEQ_CST);
	while (now > seen &&
	       !__atomic_compare_exchange_n(&t->max, &seen, now, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
	}
	struct timespec ts = {0, 20000}; // 20 us: long enough for tasks to overlap
	nanosleep(&ts, NULL);
	__atomic_sub_fetch(&t->cur, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&t->count, 1, __ATOMIC_SEQ_CST);
}

static nativetest_tracker *tracker_new(void) {
	return calloc(1, sizeof(nativetest_tracker));
}

static int tracker_get(nativetest_tracker *t, int which) {
	int *f = which == 0 ? &t->max : &t->count;
	return __atomic_load_n(f, __ATOMIC_SEQ_CST);
}

static void *pool_new(int size) {
	ants_pool *p = NULL;
	return ants_pool_new(&p, size, NULL) == ANTS_OK ? (void *)p : NULL;
}

// Submits n tracking tasks from C; the first failure's status, else 0.
static int submit_n(void *p, int n, nativetest_tracker *t) {
	for (int i = 0; i < n; i++) {
		int st = ants_submit((ants_pool *)p, nativetest_track_task, t);
		if (st != ANTS_OK)
			return st;
	}
	return ANTS_OK;
}
*/
import "C"

import "unsafe"

// StatusPoolClosed is ANTS_ERR_POOL_CLOSED.
const StatusPoolClosed = int(C.ANTS_ERR_POOL_CLOSED)

// Tracker counts tracking tasks and the most that ran at once; C memory.
type Tracker struct{ p *C.nativetest_tracker }

// NewTracker allocates a zeroed tracker; Free releases it.
func NewTracker() Tracker { return Tracker{C.tracker_new()} }

// Run runs one tracking task here (a Go task calls it on its worker).
func (t Tracker) Run() { C.nativetest_track_task(unsafe.Pointer(t.p)) }

// Max is the most tracking tasks that ran at once.
func (t Tracker) Max() int { return int(C.tracker_get(t.p, 0)) }

// Count is how many tracking tasks ran.
func (t Tracker) Count() int { return int(C.tracker_get(t.p, 1)) }

// Free releases the tracker's C memory.
func (t Tracker) Free() { C.free(unsafe.Pointer(t.p)) }

// NewPool makes a pool of size workers in C (ants_pool_new); nil on error.
func NewPool(size int) unsafe.Pointer { return C.pool_new(C.int(size)) }

// Retain is ants_pool_retain from C.
func Retain(p unsafe.Pointer) int { return int(C.ants_pool_retain((*C.ants_pool)(p))) }

// Free is ants_pool_free from C.
func Free(p unsafe.Pointer) { C.ants_pool_free((*C.ants_pool)(p)) }

// Release is ants_release from C.
func Release(p unsafe.Pointer) { C.ants_release((*C.ants_pool)(p)) }

// WaitIdle is ants_wait_idle(p, -1) from C.
func WaitIdle(p unsafe.Pointer) int { return int(C.ants_wait_idle((*C.ants_pool)(p), -1)) }

// SubmitN submits n tracking tasks to p from C; the first failing status.
func SubmitN(p unsafe.Pointer, n int, t Tracker) int { return int(C.submit_n(p, C.int(n), t.p)) }

// DefaultPool is ants_default_pool() as C sees it.
func DefaultPool() unsafe.Pointer { return unsafe.Pointer(C.ants_default_pool()) }
