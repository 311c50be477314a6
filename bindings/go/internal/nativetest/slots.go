package nativetest

// C helpers for the tests of Go tasks on goroutine workers (issue 14): C
// tasks that hold a worker until released, and a native submitter that may
// block, on a thread of its own.

/*
#cgo pkg-config: ants
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <ants.h>

void nativetest_count_task(void *arg); // nativetest.go

// A task that holds its worker until the latch opens.
typedef struct {
	int started, open;
} nativetest_latch;

void nativetest_hold_task(void *arg);
void nativetest_hold_task(void *arg) {
	nativetest_latch *l = arg;
	__atomic_add_fetch(&l->started, 1, __ATOMIC_SEQ_CST);
	struct timespec ts = {0, 100000};
	while (!__atomic_load_n(&l->open, __ATOMIC_SEQ_CST))
		nanosleep(&ts, NULL);
}

static nativetest_latch *latch_new(void) {
	return calloc(1, sizeof(nativetest_latch));
}
static int latch_started(nativetest_latch *l) {
	return __atomic_load_n(&l->started, __ATOMIC_SEQ_CST);
}
static void latch_open(nativetest_latch *l) {
	__atomic_store_n(&l->open, 1, __ATOMIC_SEQ_CST);
}

// ants_submit(p, nativetest_count_task, counter) on a thread of its own.
typedef struct {
	ants_pool *p;
	int *counter;
	int status, done;
	pthread_t th;
} nativetest_bg;

static void *bg_main(void *arg) {
	nativetest_bg *b = arg;
	b->status = ants_submit(b->p, nativetest_count_task, b->counter);
	__atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}
static nativetest_bg *bg_submit(void *p, int *counter) {
	nativetest_bg *b = calloc(1, sizeof(nativetest_bg));
	if (!b)
		return NULL;
	b->p = p;
	b->counter = counter;
	if (pthread_create(&b->th, NULL, bg_main, b) != 0) {
		free(b);
		return NULL;
	}
	return b;
}
static int bg_done(nativetest_bg *b) {
	return __atomic_load_n(&b->done, __ATOMIC_SEQ_CST);
}
// A pool made with a function (CountTask) and queue_size q; NULL on error.
static void *with_func_new(int size, int q) {
	ants_pool *p = NULL;
	ants_options *o = NULL;
	if (ants_options_new(&o) != ANTS_OK)
		return NULL;
	int st = ants_options_set_queue_size(o, q);
	if (st == ANTS_OK)
		st = ants_pool_with_func_new(&p, size, nativetest_count_task, o);
	ants_options_free(o);
	return st == ANTS_OK ? (void *)p : NULL;
}

static int bg_join(nativetest_bg *b) {
	pthread_join(b->th, NULL);
	int st = b->status;
	free(b);
	return st;
}
*/
import "C"

import "unsafe"

// HoldTask is a C task that holds its worker until its Latch opens.
func HoldTask() unsafe.Pointer { return unsafe.Pointer(C.nativetest_hold_task) }

// Latch is the argument of HoldTask, in C memory.
type Latch struct{ p *C.nativetest_latch }

// NewLatch allocates a closed latch; Free releases it.
func NewLatch() Latch { return Latch{C.latch_new()} }

// Ptr is the argument to pass with HoldTask.
func (l Latch) Ptr() unsafe.Pointer { return unsafe.Pointer(l.p) }

// Started is how many HoldTasks have started on this latch.
func (l Latch) Started() int { return int(C.latch_started(l.p)) }

// Open lets every HoldTask on this latch finish.
func (l Latch) Open() { C.latch_open(l.p) }

// Free releases the latch's C memory (after its tasks finished).
func (l Latch) Free() { C.free(unsafe.Pointer(l.p)) }

// Background is a native thread that submits one CountTask with
// ants_submit, which may block.
type Background struct{ p *C.nativetest_bg }

// SubmitInBackground starts a thread that submits CountTask(c) to pool p.
func SubmitInBackground(p unsafe.Pointer, c Counter) Background {
	b := C.bg_submit(p, c.p)
	if b == nil {
		panic("nativetest: pthread_create failed")
	}
	return Background{b}
}

// Done reports whether ants_submit has returned.
func (b Background) Done() bool { return C.bg_done(b.p) != 0 }

// Join waits for the thread and returns ants_submit's status.
func (b Background) Join() int { return int(C.bg_join(b.p)) }

// NewPoolWithFunc makes a pool in C whose function is CountTask, with a task
// queue of queueSize (0: none); nil on error. Free it with Free.
func NewPoolWithFunc(size, queueSize int) unsafe.Pointer {
	return C.with_func_new(C.int(size), C.int(queueSize))
}
