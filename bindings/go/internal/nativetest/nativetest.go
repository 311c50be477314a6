// Package nativetest provides C tasks for the tests of SubmitNative; test
// files cannot use cgo themselves.
package nativetest

/*
#cgo CFLAGS: -Wall -Wextra
#cgo LDFLAGS: -lstdc++
#include <stdlib.h>

// Adds one to the int counter at arg.
void nativetest_count_task(void *arg);
void nativetest_count_task(void *arg) {
	__atomic_fetch_add((int *)arg, 1, __ATOMIC_SEQ_CST);
}

static int *new_counter(void) {
	return calloc(1, sizeof(int));
}

static int load_counter(int *c) {
	return __atomic_load_n(c, __ATOMIC_SEQ_CST);
}

// Throws a std::runtime_error("native boom"); defined in throw.cc.
extern void nativetest_throw_task(void *arg);
*/
import "C"

import "unsafe"

// CountTask is a C task that atomically adds one to the counter it gets.
func CountTask() unsafe.Pointer { return unsafe.Pointer(C.nativetest_count_task) }

// ThrowTask is a C++ task that throws std::runtime_error("native boom").
func ThrowTask() unsafe.Pointer { return unsafe.Pointer(C.nativetest_throw_task) }

// Counter is an int in C memory, so that a C task may keep a pointer to it.
type Counter struct{ p *C.int }

// NewCounter allocates a zeroed counter; Free releases it.
func NewCounter() Counter { return Counter{C.new_counter()} }

// Ptr is the argument to pass with CountTask.
func (c Counter) Ptr() unsafe.Pointer { return unsafe.Pointer(c.p) }

// Load reads the counter atomically.
func (c Counter) Load() int { return int(C.load_counter(c.p)) }

// Free releases the counter's C memory.
func (c Counter) Free() { C.free(unsafe.Pointer(c.p)) }
