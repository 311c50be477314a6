// fault_injection.h - test-only failure points inside the engine.
//
// The engine asks fault::fail(kind) right before each operation that can
// fail for reasons outside the caller's control (starting a thread,
// allocating). In libants.so the answer is a compile-time `false` and the
// check vanishes; only the test library `ants::testing`, built with
// ANTS_FAULT_INJECTION, can make those operations fail on demand, through the
// C functions declared below (not exported by libants.so).
#ifndef ANTS_CORE_FAULT_INJECTION_H
#define ANTS_CORE_FAULT_INJECTION_H

#ifdef __cplusplus
extern "C" {
#endif

enum ants_fault_kind {
  ANTS_FAULT_THREAD_CREATE = 1,  // starting a worker thread fails (as EAGAIN)
  ANTS_FAULT_ALLOC = 2,          // an allocation inside the library fails
};

// The next `count` operations of `kind` fail; count < 0 makes every one fail
// until cleared; count == 0 clears. Thread-safe.
void ants_fault_inject(int kind, int count);
// As ants_fault_inject, after letting the next `skip` operations of `kind`
// succeed: sweeping skip = 0, 1, 2, ... fails each operation of a call in
// turn, so the cleanup after every partial step is exercised.
void ants_fault_inject_after(int kind, int skip, int count);
// How many failures of `kind` have been injected since the process started.
int ants_fault_hits(int kind);
// The next operation of `kind` stops inside the library (outside any lock,
// where the real operation would take its time) until ants_fault_unhold(),
// then fails if then_fail is non-zero and proceeds otherwise. A test holds a
// thread creation this way to act while it is "in progress" - the window a
// slow pthread_create under RLIMIT_NPROC or a full pid_max opens.
void ants_fault_hold_next(int kind, int then_fail);
// How many operations of `kind` are stopped in a hold right now.
int ants_fault_holding(int kind);
// Lets every held operation of `kind` go on.
void ants_fault_unhold(int kind);

#ifdef __cplusplus
}

namespace ants::fault {
#ifdef ANTS_FAULT_INJECTION
bool fail(ants_fault_kind kind);
#else
constexpr bool fail(ants_fault_kind) { return false; }
#endif
}  // namespace ants::fault
#endif

#endif
