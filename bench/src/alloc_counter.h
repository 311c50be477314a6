// alloc_counter.h - counts heap allocations made by any thread (B6).
//
// alloc_counter.cpp defines malloc, calloc, realloc and the aligned
// allocators in the executable itself; the dynamic linker binds every
// library's calls (libants, libstdc++, GLib, ...) to them, and they forward
// to glibc's __libc_* entry points. No LD_PRELOAD needed. Allocators that
// manage their own memory (oneTBB's scalable allocator, GLib's GSlice) are
// only seen when they go to malloc for more.
#ifndef ANTS_BENCH_ALLOC_COUNTER_H
#define ANTS_BENCH_ALLOC_COUNTER_H

#include <cstdint>

namespace bench {

void alloc_counting_start();     // zero the count, start counting
uint64_t alloc_counting_stop();  // stop; the allocations since start

}  // namespace bench

#endif
