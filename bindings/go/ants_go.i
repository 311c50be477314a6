/* ants_go.i - Go typemaps over the shared interface ../ants.i.
 *
 * Generated with: swig -go -cgo -intgosize 64 (see CMakeLists.txt). The
 * output is the internal package libants/ants/internal/capi; package ants
 * wraps it. Only typemaps and the out-parameter functions the Go layer needs
 * live here; the allowlist itself is ../ants.i.
 *
 * Why handles are uintptr: SWIG's default maps an opaque pointer to an
 * interface type (Struct_SS_ants_pool); converting a uintptr-backed value to
 * an interface allocates on every call, and the hand-written task path in
 * package ants passes handles to its own C glue as uintptr_t. One
 * representation everywhere keeps both cheap and free of unsafe.Pointer
 * conversions in Go.
 */
%module capi

%include <typemaps.i>

/* Opaque handles as uintptr. */
%define ANTS_GO_HANDLE(TYPE)
%typemap(gotype) TYPE *, const TYPE * "uintptr"
%typemap(in) TYPE *, const TYPE * %{ $1 = ($1_ltype)$input; %}
%typemap(out) TYPE *, const TYPE * %{ $result = ($1_ltype)$1; %}

/* Constructors' out-parameter: a Go []uintptr of length >= 1 receives the
 * new handle (the Go SWIG convention for OUTPUT arguments). The slice holds
 * no Go pointers, so passing it to C follows the cgo rules. */
%typemap(gotype) TYPE **out "[]uintptr"
%typemap(in) TYPE **out (TYPE *temp) {
  if ($input.len == 0) {
    _swig_gopanic("out needs at least one element");
  }
  temp = NULL;
  $1 = &temp;
}
%typemap(argout) TYPE **out {
  ((uintptr_t *)$input.array)[0] = (uintptr_t)temp$argnum;
}
%enddef

ANTS_GO_HANDLE(ants_pool)
ANTS_GO_HANDLE(ants_options)
ANTS_GO_HANDLE(ants_group)

/* The int *out of the *_by_index getters and ants_cancel_queued: a Go []int
 * of length >= 1. Not SWIG's int *OUTPUT: under -intgosize 64 its argout
 * stores a 32-bit C int into the first half of a 64-bit Go int, so -1
 * read back as 4294967295. This converts to intgo, sign included. */
%typemap(gotype) int *out "[]int"
%typemap(in) int *out (int temp) {
  if ($input.len == 0) {
    _swig_gopanic("out needs at least one element");
  }
  temp = 0;
  $1 = &temp;
}
%typemap(argout) int *out {
  ((intgo *)$input.array)[0] = (intgo)temp$argnum;
}

/* Out-parameter functions without callbacks, exposed for Go only (ants.i
 * leaves them to each binding). Everything taking a callback (tasks,
 * with-func pools, panic handler, logger) is hand-written cgo in package
 * ants, not SWIG. */
%rename("%s") ants_options_new;
%rename("%s") ants_pool_new;
%rename("%s") ants_multipool_new;
%rename("%s") ants_group_new;
%rename("%s") ants_running_by_index;
%rename("%s") ants_available_by_index;
%rename("%s") ants_waiting_by_index;
%rename("%s") ants_busy_by_index;
%rename("%s") ants_cancel_queued;

%include "../ants.i"
