// unwind.h - letting pthread_exit and thread cancellation through.
//
// glibc ends a thread by unwinding it with a "forced unwind" that C++ code
// may clean up after but must not swallow: every catch-all around user code
// on a worker thread first rethrows abi::__forced_unwind. That catch binds a
// reference to an exception that has no C++ object, which UBSan's null check
// reports although the reference is never used: functions holding such a
// catch are marked with ANTS_CATCHES_FORCED_UNWIND.
#ifndef ANTS_CORE_UNWIND_H
#define ANTS_CORE_UNWIND_H

#include <cxxabi.h>

#define ANTS_CATCHES_FORCED_UNWIND __attribute__((no_sanitize("null")))

#endif
