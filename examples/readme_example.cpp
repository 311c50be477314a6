// The ants README example in C++ through ants.hpp: the default pool, a pool
// with a function (capacity 10, 1000 invokes, sum 499500), the two
// multipools - plus a lambda with captures and a future.
//
// Build against an installed libants:
//   c++ -std=c++17 readme_example.cpp $(pkg-config --cflags --libs ants) -o readme_example_cpp
#include <ants.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

namespace {

constexpr int kRunTimes = 1000;

// ants' demoFunc: a task that sleeps 10 ms.
void demo_func() {
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

// Submits kRunTimes tasks as one group and waits for exactly them: ants'
// sync.WaitGroup in its example.
void run_all(ants::pool &pool) {
  ants::group wg;
  for (int i = 0; i < kRunTimes; ++i) wg.submit(pool, demo_func);
  wg.wait();
}

template <class T>
void invoke_all(ants::pool_with_func<T> &pool) {
  ants::group wg;
  for (int i = 0; i < kRunTimes; ++i) wg.invoke(pool, i);
  wg.wait();
}

}  // namespace

int main() {
  try {
    std::printf("libants %s\n", ants_version());

    // Use the common pool.
    run_all(ants::default_pool());
    std::printf("running workers: %d\n", ants::default_pool().running());
    std::printf("finish all tasks.\n");

    // A pool with a function, capacity 10; ~pool releases, waits and frees.
    std::atomic<long> sum{0};
    {
      ants::pool_with_func<int> p(10, [&sum](int i) { sum += i; });
      invoke_all(p);
      std::printf("running workers: %d\n", p.running());
      std::printf("finish all tasks, result is %ld\n", sum.load());
    }
    if (sum != 499500) return 1;

    // A multipool of 10 unlimited pools, round-robin.
    {
      ants::multipool mp(10, -1, ants::lb::round_robin);
      run_all(mp);
      std::printf("running workers: %d\n", mp.running());
      std::printf("finish all tasks.\n");
      mp.release_timeout(std::chrono::seconds(5));
    }

    // A multipool with a function: 10 pools of kRunTimes/10, least-tasks.
    sum = 0;
    {
      ants::multipool_with_func<int> mpf(
          10, kRunTimes / 10, [&sum](int i) { sum += i; }, ants::lb::least_tasks);
      invoke_all(mpf);
      std::printf("running workers: %d\n", mpf.running());
      std::printf("finish all tasks, result is %ld\n", sum.load());
    }
    if (sum != 499500) return 1;

    // Beyond ants: a lambda's value through a future.
    ants::pool p(2, ants::options().expiry(std::chrono::seconds(2)));
    std::printf("the answer is %d\n", p.async([] { return 6 * 7; }).get());
    return 0;
  } catch (const ants::error &e) {
    std::fprintf(stderr, "libants: %s (%d)\n", e.what(), e.code());
    return 1;
  }
}
