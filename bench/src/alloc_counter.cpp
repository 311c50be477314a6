// alloc_counter.cpp - the malloc interposer. Counting is off except inside
// B6's measured window, so the other workloads pay one relaxed load.
#include "alloc_counter.h"

#include <malloc.h>
#include <stdlib.h>

#include <atomic>
#include <cerrno>
#include <cstddef>

extern "C" {
// glibc's own allocator entry points, exported for exactly this use.
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void *__libc_memalign(size_t alignment, size_t size);
void __libc_free(void *p);
}

namespace {

std::atomic<bool> g_counting{false};
std::atomic<uint64_t> g_allocs{0};

inline void count_one() {
  if (__builtin_expect(g_counting.load(std::memory_order_relaxed), 0)) {
    g_allocs.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace

namespace bench {

void alloc_counting_start() {
  g_allocs.store(0, std::memory_order_relaxed);
  g_counting.store(true, std::memory_order_seq_cst);
}

uint64_t alloc_counting_stop() {
  g_counting.store(false, std::memory_order_seq_cst);
  return g_allocs.load(std::memory_order_relaxed);
}

}  // namespace bench

// The declarations in <stdlib.h> are noexcept; the definitions must match.
extern "C" {

void *malloc(size_t size) noexcept {
  count_one();
  return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) noexcept {
  count_one();
  return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size) noexcept {
  count_one();
  return __libc_realloc(p, size);
}

void free(void *p) noexcept { __libc_free(p); }

void *memalign(size_t alignment, size_t size) noexcept {
  count_one();
  return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) noexcept {
  count_one();
  return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) noexcept {
  // The contract of posix_memalign: a power of two, a multiple of void*.
  if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  count_one();
  void *p = __libc_memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

}  // extern "C"
