package ants

// The hand-written half of the binding: everything that hands libants a
// callback. SWIG (package internal/capi) covers the rest of the flat API.
//
// Each helper below is one cgo call from Go. Handles and slot keys travel
// as uintptr_t, so Go never converts an integer to unsafe.Pointer (go vet's
// unsafeptr check, and checkptr under -race, stay quiet) and never passes
// a Go pointer that C could keep.

/*
#cgo pkg-config: ants
// cgo's own export wrappers have unused parameters, hence
// -Wno-unused-parameter. -Werror is not here: a newer compiler's new warning
// must not break users' builds. The project's CI adds it with the build tag
// ants_werror (werror.go).
#cgo CFLAGS: -Wall -Wextra -Wno-unused-parameter
#include <stdint.h>
#include <ants.h>

// Defined in callbacks.go with //export. goAntsTask has exactly the type
// ants_task_fn, so it is passed to libants as is, without a cast.
extern void goAntsTask(void *arg);
extern void goAntsLog(uintptr_t ctx, char *msg);
extern void goAntsNativePanic(uintptr_t ctx, char *what);
extern void goAntsDropTask(uintptr_t key);

// cgo cannot export a const char * parameter: these shims give the logger
// and panic handler their exact C types.
static void goants_log_shim(void *ctx, const char *msg) {
	goAntsLog((uintptr_t)ctx, (char *)msg);
}
static void goants_panic_shim(void *ctx, const char *what) {
	goAntsNativePanic((uintptr_t)ctx, (char *)what);
}

// ants_cancel_queued drops queued tasks through this: a Go task's slot
// must be freed (its fn is goAntsTask for Submit and Invoke alike). A
// native task's arg belongs to the user, who asked for the cancellation.
static void goants_dtor_shim(void *ctx, ants_task_fn fn, void *arg) {
	if (fn == goAntsTask)
		goAntsDropTask((uintptr_t)arg);
}

static int goants_set_callbacks(uintptr_t opts, uintptr_t ctx, int with_panic) {
	int st = ants_options_set_logger((ants_options *)opts, goants_log_shim, (void *)ctx);
	if (st == ANTS_OK)
		st = ants_options_set_task_destructor((ants_options *)opts, goants_dtor_shim, NULL);
	if (st == ANTS_OK && with_panic)
		st = ants_options_set_panic_handler((ants_options *)opts, goants_panic_shim,
		                                    (void *)ctx);
	return st;
}

typedef struct {
	uintptr_t pool;
	int status;
} goants_new_result;

static goants_new_result goants_pool_with_func_new(int size, uintptr_t opts) {
	ants_pool *p = NULL;
	goants_new_result r;
	r.status = ants_pool_with_func_new(&p, size, goAntsTask, (const ants_options *)opts);
	r.pool = (uintptr_t)p;
	return r;
}

static goants_new_result goants_multipool_with_func_new(int n, int size, int strategy,
                                                        uintptr_t opts) {
	ants_pool *p = NULL;
	goants_new_result r;
	r.status = ants_multipool_with_func_new(&p, n, size, goAntsTask, strategy,
	                                        (const ants_options *)opts);
	r.pool = (uintptr_t)p;
	return r;
}

static int goants_submit(uintptr_t p, uintptr_t key) {
	return ants_submit((ants_pool *)p, goAntsTask, (void *)key);
}
static int goants_submit_timeout(uintptr_t p, uintptr_t key, int64_t ms) {
	return ants_submit_timeout((ants_pool *)p, goAntsTask, (void *)key, ms);
}
static int goants_invoke(uintptr_t p, uintptr_t key) {
	return ants_invoke((ants_pool *)p, (void *)key);
}
static int goants_invoke_timeout(uintptr_t p, uintptr_t key, int64_t ms) {
	return ants_invoke_timeout((ants_pool *)p, (void *)key, ms);
}
static int goants_group_submit(uintptr_t g, uintptr_t p, uintptr_t key) {
	return ants_group_submit((ants_group *)g, (ants_pool *)p, goAntsTask, (void *)key);
}
static int goants_group_invoke(uintptr_t g, uintptr_t p, uintptr_t key) {
	return ants_group_invoke((ants_group *)g, (ants_pool *)p, (void *)key);
}

// Shared pools (issue 13): ants_pool_retain is called here rather than
// through SWIG, and a handle becomes a void * in C, so that Go never turns
// an integer into an unsafe.Pointer.
static int goants_pool_retain(uintptr_t p) {
	return ants_pool_retain((ants_pool *)p);
}
static void *goants_handle_ptr(uintptr_t p) {
	return (void *)p;
}

// Native tasks: fn is a C function void fn(void *) handed over from the
// user's cgo code as a void *; converting it back is what POSIX dlsym
// users do too.
static int goants_submit_native(uintptr_t p, void *fn, void *arg) {
	return ants_submit((ants_pool *)p, (ants_task_fn)fn, arg);
}
static int goants_group_submit_native(uintptr_t g, uintptr_t p, void *fn, void *arg) {
	return ants_group_submit((ants_group *)g, (ants_pool *)p, (ants_task_fn)fn, arg);
}

// Slots (goworkers.go): Go tasks on goroutines that hold a slot each.
extern void goAntsSlotGrant(uintptr_t waiter, int status, int64_t slot, uintptr_t worker);
extern void goAntsSlotListener(uintptr_t ctx, int count);

// The goroutine worker inside goants_slot_end on this thread, if any: a
// grant made by that very call (a submitter of the same pool waited) is
// handed to that worker with the submitter's task. A goroutine stays on
// its thread for the whole cgo call, callback included.
static __thread uintptr_t goants_ending_worker;

static void goants_grant_shim(void *ctx, int status, ants_slot slot) {
	goAntsSlotGrant((uintptr_t)ctx, status, slot, goants_ending_worker);
}
static void goants_listener_shim(void *ctx, ants_pool *p, int count) {
	(void)p;
	goAntsSlotListener((uintptr_t)ctx, count);
}

typedef struct {
	int64_t slot, ticket;
	int status;
} goants_acquire_result;

static goants_acquire_result goants_slot_acquire_async(uintptr_t p, uintptr_t waiter) {
	goants_acquire_result r = {0, 0, 0};
	r.status = ants_slot_acquire_async(&r.slot, &r.ticket, (ants_pool *)p, goants_grant_shim,
	                                   (void *)waiter);
	return r;
}
static int goants_slot_cancel(uintptr_t p, int64_t ticket) {
	return ants_slot_cancel((ants_pool *)p, ticket);
}
static int goants_slot_begin(uintptr_t p, int64_t slot) {
	return ants_slot_begin((ants_pool *)p, slot);
}
static int goants_slot_end(uintptr_t p, int64_t slot, uintptr_t worker) {
	goants_ending_worker = worker;
	int r = ants_slot_end((ants_pool *)p, slot);
	goants_ending_worker = 0;
	return r;
}
static int goants_slot_release(uintptr_t p, int64_t slot) {
	return ants_slot_release((ants_pool *)p, slot);
}

typedef struct {
	int64_t id;
	int status;
} goants_listener_result;

static goants_listener_result goants_slot_listener_add(uintptr_t p, uintptr_t ctx) {
	goants_listener_result r = {0, 0};
	r.status = ants_slot_listener_add(&r.id, (ants_pool *)p, goants_listener_shim, (void *)ctx);
	return r;
}
static int goants_slot_listener_remove(uintptr_t p, int64_t id) {
	return ants_slot_listener_remove((ants_pool *)p, id);
}
static int64_t goants_pool_expiry_ms(uintptr_t p) {
	int64_t ms = -1;
	return ants_pool_expiry_ms(&ms, (const ants_pool *)p) == ANTS_OK ? ms : -1;
}
static int goants_group_enter(uintptr_t g) {
	return ants_group_enter((ants_group *)g);
}
static int goants_group_leave(uintptr_t g, int panicked) {
	return ants_group_leave((ants_group *)g, panicked);
}
*/
import "C"

import (
	"unsafe"
)

func cSetCallbacks(opts, ctx uintptr, withPanic bool) int {
	return int(C.goants_set_callbacks(C.uintptr_t(opts), C.uintptr_t(ctx), C.int(boolInt(withPanic))))
}

func cPoolWithFuncNew(size int, opts uintptr) (uintptr, int) {
	r := C.goants_pool_with_func_new(C.int(size), C.uintptr_t(opts))
	return uintptr(r.pool), int(r.status)
}

func cMultiPoolWithFuncNew(n, size, strategy int, opts uintptr) (uintptr, int) {
	r := C.goants_multipool_with_func_new(C.int(n), C.int(size), C.int(strategy), C.uintptr_t(opts))
	return uintptr(r.pool), int(r.status)
}

func cSubmit(p, key uintptr) int {
	return int(C.goants_submit(C.uintptr_t(p), C.uintptr_t(key)))
}

func cSubmitTimeout(p, key uintptr, ms int64) int {
	return int(C.goants_submit_timeout(C.uintptr_t(p), C.uintptr_t(key), C.int64_t(ms)))
}

func cInvoke(p, key uintptr) int {
	return int(C.goants_invoke(C.uintptr_t(p), C.uintptr_t(key)))
}

func cInvokeTimeout(p, key uintptr, ms int64) int {
	return int(C.goants_invoke_timeout(C.uintptr_t(p), C.uintptr_t(key), C.int64_t(ms)))
}

func cGroupSubmit(g, p, key uintptr) int {
	return int(C.goants_group_submit(C.uintptr_t(g), C.uintptr_t(p), C.uintptr_t(key)))
}

func cGroupInvoke(g, p, key uintptr) int {
	return int(C.goants_group_invoke(C.uintptr_t(g), C.uintptr_t(p), C.uintptr_t(key)))
}

func cPoolRetain(p uintptr) int {
	return int(C.goants_pool_retain(C.uintptr_t(p)))
}

func cHandlePtr(p uintptr) unsafe.Pointer {
	return C.goants_handle_ptr(C.uintptr_t(p))
}

func cSubmitNative(p uintptr, fn, arg unsafe.Pointer) int {
	return int(C.goants_submit_native(C.uintptr_t(p), fn, arg))
}

func cGroupSubmitNative(g, p uintptr, fn, arg unsafe.Pointer) int {
	return int(C.goants_group_submit_native(C.uintptr_t(g), C.uintptr_t(p), fn, arg))
}

func cSlotAcquireAsync(p, waiter uintptr) (slot, ticket int64, status int) {
	r := C.goants_slot_acquire_async(C.uintptr_t(p), C.uintptr_t(waiter))
	return int64(r.slot), int64(r.ticket), int(r.status)
}

func cSlotCancel(p uintptr, ticket int64) int {
	return int(C.goants_slot_cancel(C.uintptr_t(p), C.int64_t(ticket)))
}

func cSlotBegin(p uintptr, slot int64) int {
	return int(C.goants_slot_begin(C.uintptr_t(p), C.int64_t(slot)))
}

// cSlotEnd ends the task on a busy slot for the goroutine worker with id
// worker: 1 kept (idle), 0 given back, < 0 an error.
func cSlotEnd(p uintptr, slot int64, worker uintptr) int {
	return int(C.goants_slot_end(C.uintptr_t(p), C.int64_t(slot), C.uintptr_t(worker)))
}

func cSlotRelease(p uintptr, slot int64) int {
	return int(C.goants_slot_release(C.uintptr_t(p), C.int64_t(slot)))
}

func cSlotListenerAdd(p, ctx uintptr) (int64, int) {
	r := C.goants_slot_listener_add(C.uintptr_t(p), C.uintptr_t(ctx))
	return int64(r.id), int(r.status)
}

func cSlotListenerRemove(p uintptr, id int64) int {
	return int(C.goants_slot_listener_remove(C.uintptr_t(p), C.int64_t(id)))
}

// cPoolExpiryMS is the pool's idle expiry in ms; -1 for never.
func cPoolExpiryMS(p uintptr) int64 {
	return int64(C.goants_pool_expiry_ms(C.uintptr_t(p)))
}

func cGroupEnter(g uintptr) int {
	return int(C.goants_group_enter(C.uintptr_t(g)))
}

func cGroupLeave(g uintptr, panicked bool) int {
	return int(C.goants_group_leave(C.uintptr_t(g), C.int(boolInt(panicked))))
}
