// hpp_overhead.cpp - ants_bench_hpp: what ants.hpp adds to a submit, read
// against the C function-pointer submit of the same pool (issue 16's goal:
// a lambda capturing one pointer within 1.2x of it).
//
//   ants_bench_hpp [--queue N] [--tasks N] [--rounds N]
//
// One pool of 2 workers, one submitting thread, empty tasks. The forms are
// interleaved round by round (C, lambda of one pointer, lambda of two
// pointers through the slab, async with the future dropped), so a busy
// neighbour on a shared machine slows all of them alike; each prints the
// minimum and median ns per task over the rounds. ants_bench's rows of the
// same forms (libants_hpp*) run in separate processes one after the other,
// which on a loaded machine moves them further apart than the forms differ.
#include <ants.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

std::atomic<long> g_count{0};

void c_task(void *) {
  g_count.fetch_add(1, std::memory_order_relaxed);
}

enum Form { kC, kOnePointer, kTwoPointers, kAsync, kForms };
const char *const kNames[kForms] = {"C ants_submit(fn, arg)", "ants.hpp lambda, 1 pointer",
                                    "ants.hpp lambda, 2 pointers", "ants.hpp async"};

// ns per task of one round of `tasks` submits of `form`, drained.
double round_ns(ants::pool &pool, Form form, int tasks) {
  std::atomic<long> *count = &g_count;
  const long one = 1;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < tasks; ++i) {
    switch (form) {
      case kC:
        if (ants_submit(pool.handle(), c_task, nullptr) != ANTS_OK) std::abort();
        break;
      case kOnePointer:
        pool.submit([count] { count->fetch_add(1, std::memory_order_relaxed); });
        break;
      case kTwoPointers:
        pool.submit([count, one] { count->fetch_add(one, std::memory_order_relaxed); });
        break;
      default:
        (void)pool.async([count] { count->fetch_add(1, std::memory_order_relaxed); });
        break;
    }
  }
  pool.wait_idle();
  const std::chrono::duration<double, std::nano> d = std::chrono::steady_clock::now() - t0;
  return d.count() / tasks;
}

}  // namespace

int main(int argc, char **argv) {
  int queue = 65536, tasks = 200000, rounds = 15;
  for (int i = 1; i + 1 < argc; i += 2) {
    const int v = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--queue") == 0) queue = v;
    if (std::strcmp(argv[i], "--tasks") == 0) tasks = v;
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = v;
  }
  if (tasks <= 0 || rounds <= 0 || queue < 0) {
    std::fprintf(stderr, "usage: ants_bench_hpp [--queue N] [--tasks N] [--rounds N]\n");
    return 2;
  }
  try {
    ants::options opts;
    opts.disable_purge().queue_size(queue);
    ants::pool pool(2, opts);
    std::vector<double> ns[kForms];
    for (int f = 0; f < kForms; ++f) round_ns(pool, static_cast<Form>(f), tasks);  // warm-up
    for (int r = 0; r < rounds; ++r) {
      for (int f = 0; f < kForms; ++f) ns[f].push_back(round_ns(pool, static_cast<Form>(f), tasks));
    }
    std::printf("pool of 2 workers, queue %d, %d tasks x %d rounds, interleaved\n", queue, tasks,
                rounds);
    for (int f = 0; f < kForms; ++f) {
      std::sort(ns[f].begin(), ns[f].end());
      const double median = ns[f][ns[f].size() / 2];
      std::printf("  %-30s min %7.0f  median %7.0f ns/task  (%.2fx C)\n", kNames[f], ns[f].front(),
                  median, median / ns[kC][ns[kC].size() / 2]);
    }
  } catch (const ants::error &e) {
    std::fprintf(stderr, "ants_bench_hpp: %s\n", e.what());
    return 1;
  }
  return 0;
}
