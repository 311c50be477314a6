// test_cpp_api.cpp - the C++ interface (ants.hpp, issue 16): every class and
// function, the life of a callable on every path (run, refused, cancelled,
// thrown), and no heap allocation per task in steady state.
//
// A plain C++ program, no cmocka: each test is a function, CHECK throws on
// failure, the runner prints "N passed, N failed" and exits non-zero on any
// failure. Synchronisation is by gates and polling with deadlines only; no
// test asserts on timing.
#include <pthread.h>
#include <ants.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

// --- Counting every heap allocation made through operator new -------------

// Clang's TSan build links the static runtime, with its own operator new
// and delete, into executables: there this test cannot replace them and
// does not count (every other build does).
#if defined(__clang__) && defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ANTS_TEST_NO_ALLOC_COUNT 1
#endif
#endif
#ifndef ANTS_TEST_NO_ALLOC_COUNT
#define ANTS_TEST_NO_ALLOC_COUNT 0
#endif

// The replacements below pair operator new with malloc and operator delete
// with free, which is correct; GCC sees free() of a pointer that came from
// "operator new" once both are inlined, and warns.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
std::atomic<long> g_allocs{0};
}  // namespace

#if !ANTS_TEST_NO_ALLOC_COUNT

void *operator new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void *p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void *operator new[](std::size_t n) {
  return operator new(n);
}
void *operator new(std::size_t n, const std::nothrow_t &) noexcept {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void *operator new[](std::size_t n, const std::nothrow_t &t) noexcept {
  return operator new(n, t);
}
void *operator new(std::size_t n, std::align_val_t a) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  const std::size_t al = static_cast<std::size_t>(a);
  if (void *p = std::aligned_alloc(al, (n + al - 1) / al * al)) return p;
  throw std::bad_alloc();
}
void *operator new[](std::size_t n, std::align_val_t a) {
  return operator new(n, a);
}
void operator delete(void *p) noexcept {
  std::free(p);
}
void operator delete[](void *p) noexcept {
  std::free(p);
}
void operator delete(void *p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void *p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void *p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void *p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void *p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
#endif  // !ANTS_TEST_NO_ALLOC_COUNT

namespace {

using namespace std::chrono_literals;

// --- A tiny harness ----------------------------------------------------------

struct check_failed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

#define CHECK(cond)                                                                            \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      throw check_failed(std::string(__FILE__) + ":" + std::to_string(__LINE__) + ": " #cond); \
    }                                                                                          \
  } while (0)

// Runs `stmt`, which must throw ants::error with `status`.
#define CHECK_THROWS_CODE(stmt, status) \
  do {                                  \
    int code_ = 0;                      \
    try {                               \
      stmt;                             \
    } catch (const ants::error &e) {    \
      code_ = e.code();                 \
    }                                   \
    CHECK(code_ == (status));           \
  } while (0)

constexpr auto kDeadline = 30s;

// Polls `pred` until it holds or kDeadline passes; false on the deadline.
template <class Pred>
bool eventually(Pred pred) {
  const auto until = std::chrono::steady_clock::now() + kDeadline;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}

// Tasks wait here until the test opens it; the test can wait for n waiters.
class gate {
 public:
  void pass() {
    std::unique_lock<std::mutex> lock(mu_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
  }
  bool wait_for_waiters(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kDeadline, [&] { return waiting_ >= n; });
  }
  void open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_ = 0;
  bool open_ = false;
};

// A callable too big to travel inline, counting its copies and runs.
struct tracker {
  static std::atomic<int> alive;
  static std::atomic<int> runs;
  std::array<char, 40> pad{};
  tracker() { alive.fetch_add(1); }
  tracker(const tracker &) { alive.fetch_add(1); }
  tracker(tracker &&) noexcept { alive.fetch_add(1); }
  tracker &operator=(const tracker &) = default;
  ~tracker() { alive.fetch_sub(1); }
  void operator()() const { runs.fetch_add(1); }
  static void reset() {
    alive = 0;
    runs = 0;
  }
};
std::atomic<int> tracker::alive{0};
std::atomic<int> tracker::runs{0};

// Occupies all `n` workers of p with tasks waiting at g.
void fill(ants::pool &p, gate &g, int n) {
  for (int i = 0; i < n; ++i) p.submit([&g] { g.pass(); });
  CHECK(g.wait_for_waiters(n));
}

// --- Submitting ---------------------------------------------------------------

void test_inline_lambdas_run() {
  ants::pool p(4);
  std::atomic<int> n{0};
  static std::atomic<int> empty_runs{0};
  empty_runs = 0;
  for (int i = 0; i < 1000; ++i) p.submit([&n] { n.fetch_add(1); });       // one reference
  for (int i = 0; i < 10; ++i) p.submit([] { empty_runs.fetch_add(1); });  // captures nothing
  p.wait_idle();
  CHECK(n == 1000);
  CHECK(empty_runs == 10);
}

void test_slab_callables_run_and_are_destroyed_once() {
  tracker::reset();
  {
    ants::pool p(3);
    tracker t;
    for (int i = 0; i < 500; ++i) p.submit(t);          // copies
    for (int i = 0; i < 500; ++i) p.submit(tracker());  // moves
    p.wait_idle();
    CHECK(tracker::runs == 1000);
    CHECK(tracker::alive == 1);  // only t
  }
  CHECK(tracker::alive == 0);
}

void test_move_only_callables() {
  ants::pool p(2);
  std::atomic<int> sum{0};
  for (int i = 0; i < 100; ++i) {
    auto v = std::make_unique<int>(i);
    p.submit([v = std::move(v), &sum] { sum.fetch_add(*v); });
  }
  p.wait_idle();
  CHECK(sum == 4950);
  auto v = std::make_unique<int>(7);
  std::future<int> f = p.async([v = std::move(v)] { return *v * 6; });
  CHECK(f.get() == 42);
}

void test_async_carries_value_void_and_exception() {
  ants::pool p(2);
  CHECK(p.async([] { return std::string("value"); }).get() == "value");
  std::atomic<bool> ran{false};
  std::future<void> v = p.async([&ran] { ran = true; });
  v.get();
  CHECK(ran);
  std::future<int> e = p.async([]() -> int { throw std::out_of_range("through the future"); });
  // Let the worker drop its promise first: otherwise it may free the
  // exception after this thread read it, ordered only by libstdc++'s
  // uninstrumented exception refcount, which TSan reports as a race.
  p.wait_idle();
  bool caught = false;
  try {
    e.get();
  } catch (const std::out_of_range &ex) {
    caught = std::strcmp(ex.what(), "through the future") == 0;
  }
  CHECK(caught);
  int x = 5;
  std::future<int &> r = p.async([&x]() -> int & { return x; });
  CHECK(&r.get() == &x);
}

void test_exception_in_submit_goes_to_panic_handler() {
  std::mutex mu;
  std::string seen;
  std::atomic<int> calls{0};
  ants::pool p(1, ants::options().panic_handler([&](const char *what) {
    std::lock_guard<std::mutex> lock(mu);
    seen = what;
    calls.fetch_add(1);
  }));
  p.submit([] { throw std::runtime_error("boom"); });
  tracker::reset();
  p.submit([t = tracker()] {
    t();
    throw 42;  // not a std::exception
  });
  CHECK(eventually([&] { return calls == 2; }));
  p.wait_idle();
  CHECK(tracker::runs == 1);
  CHECK(tracker::alive == 0);  // destroyed although it threw
  std::atomic<int> after{0};
  p.submit([&after] { after = 1; });  // the worker carried on
  p.wait_idle();
  CHECK(after == 1);
  std::lock_guard<std::mutex> lock(mu);
  CHECK(!seen.empty());
}

void test_try_submit_refuses_when_full() {
  tracker::reset();
  gate g;
  {
    ants::pool p(1, ants::options().nonblocking());
    fill(p, g, 1);
    CHECK(!p.try_submit(tracker()));
    CHECK(tracker::alive == 0);  // the refused copy is gone already
    CHECK_THROWS_CODE(p.submit(tracker()), ANTS_ERR_POOL_OVERLOAD);
    CHECK(tracker::alive == 0);
    std::atomic<int> n{0};
    CHECK(!p.try_submit([&n] { n = 1; }));
    g.open();
    p.wait_idle();
    CHECK(p.try_submit([&n] { n = 2; }));
    p.wait_idle();
    CHECK(n == 2);
  }
  gate g2;
  ants::pool blocking(1);
  fill(blocking, g2, 1);
  CHECK(!blocking.try_submit(tracker()));  // a blocking pool: try_submit does not wait
  CHECK(tracker::alive == 0);
  g2.open();
  CHECK(tracker::runs == 0);
}

void test_submit_for_times_out() {
  tracker::reset();
  gate g;
  ants::pool p(1);
  fill(p, g, 1);
  CHECK(!p.submit_for(tracker(), 20ms));
  CHECK(!p.submit_for(tracker(), -5ms));   // negative: do not wait
  CHECK(!p.submit_for(tracker(), 100us));  // rounded up to 1 ms, not 0
  CHECK(tracker::alive == 0);
  g.open();
  CHECK(p.submit_for(tracker(), 30s));
  p.wait_idle();
  CHECK(tracker::runs == 1);
  CHECK(tracker::alive == 0);
}

void test_submit_to_closed_pool_throws() {
  tracker::reset();
  ants::pool p(2);
  p.release();
  CHECK(p.is_closed());
  CHECK_THROWS_CODE(p.submit(tracker()), ANTS_ERR_POOL_CLOSED);
  CHECK_THROWS_CODE(p.submit([] {}), ANTS_ERR_POOL_CLOSED);
  CHECK_THROWS_CODE((void)p.async([] { return 1; }), ANTS_ERR_POOL_CLOSED);
  CHECK_THROWS_CODE((void)p.try_submit(tracker()), ANTS_ERR_POOL_CLOSED);
  CHECK(tracker::alive == 0);
  p.reboot();
  CHECK(!p.is_closed());
  CHECK(p.async([] { return 3; }).get() == 3);
  try {
    throw ants::error(ANTS_ERR_POOL_OVERLOAD);
  } catch (const std::runtime_error &e) {
    CHECK(std::strcmp(e.what(), ants_strerror(ANTS_ERR_POOL_OVERLOAD)) == 0);
  }
}

// A callable whose move throws: the exception reaches the caller and the
// slot goes back (the allocation count shows no slot is lost).
struct throwing_move {
  std::array<char, 40> pad{};
  throwing_move() = default;
  throwing_move(const throwing_move &) { throw std::length_error("copy"); }
  void operator()() const {}
};

void test_callable_whose_copy_throws() {
  ants::pool p(1);
  throwing_move t;
  bool caught = false;
  try {
    p.submit(t);
  } catch (const std::length_error &) {
    caught = true;
  }
  CHECK(caught);
  p.submit([] {});
  p.wait_idle();
}

// --- Observing and controlling ----------------------------------------------

void test_getters_tune_release_reboot() {
  gate g;
  ants::pool p(2, ants::options().disable_purge());
  CHECK(p.cap() == 2);
  CHECK(p.running() == 0);
  CHECK(p.available() == 2);
  fill(p, g, 2);
  CHECK(p.busy() == 2);
  CHECK(p.running() == 2);
  CHECK(p.available() == 0);
  CHECK(p.queued() == 0);
  std::thread blocked([&p] { p.submit([] {}); });
  CHECK(eventually([&] { return p.waiting() == 1; }));
  p.tune(3);  // growing lets the blocked caller in
  CHECK(p.cap() == 3);
  blocked.join();
  g.open();
  p.wait_idle();
  CHECK(p.busy() == 0);
  CHECK(p.wait_idle_for(1s));
  p.tune(1);
  CHECK(p.cap() == 1);
  CHECK(p.release_timeout(30s));
  CHECK(p.is_closed());
  CHECK(p.running() == 0);
  p.reboot();
  CHECK(!p.is_closed());
  p.submit([] {});
  p.wait_idle();
}

void test_wait_idle_for_and_release_timeout_time_out() {
  gate g;
  ants::pool p(1);
  fill(p, g, 1);
  CHECK(!p.wait_idle_for(10ms));
  CHECK(!p.release_timeout(10ms));
  CHECK(p.is_closed());
  g.open();
  CHECK(p.release_timeout(30s));
}

void test_would_deadlock_is_an_error() {
  ants::pool p(2);
  std::future<int> f = p.async([&p] {
    try {
      p.wait_idle();
    } catch (const ants::error &e) {
      return e.code();
    }
    return 0;
  });
  CHECK(f.get() == ANTS_ERR_WOULD_DEADLOCK);
}

void test_nested_submit_runs_inline() {
  ants::pool p(1);
  std::future<int> f = p.async([&p] {
    int inner = 0;
    p.submit([&inner] { inner = 5; });  // saturated pool, own worker: runs inline
    return inner;
  });
  CHECK(f.get() == 5);
}

// --- Options ------------------------------------------------------------------

void test_options_are_applied() {
  std::atomic<int> starts{0}, exits{0};
  std::mutex mu;
  std::string logged;
  char name[16] = {};
  gate g;  // outlives the pool: its workers are still leaving pass()
  {
    ants::pool p(2, ants::options()
                        .expiry(5s)
                        .max_blocking_tasks(1)
                        .stack_size(256 * 1024)
                        .thread_name("cpptest")
                        .queue_size(4)
                        .worker_hooks([&] { starts.fetch_add(1); }, [&] { exits.fetch_add(1); })
                        .logger([&](const char *msg) {
                          std::lock_guard<std::mutex> lock(mu);
                          logged = msg;
                        }));
    p.submit([&name] { pthread_getname_np(pthread_self(), name, sizeof name); });
    p.submit([] { throw std::runtime_error("to the logger"); });  // no panic handler
    CHECK(eventually([&] {
      std::lock_guard<std::mutex> lock(mu);
      return logged.find("to the logger") != std::string::npos;
    }));
    p.wait_idle();
    CHECK(std::strncmp(name, "cpptest-", 8) == 0);
    CHECK(starts >= 1);
    fill(p, g, 2);
    for (int i = 0; i < 4; ++i) p.submit([] {});
    CHECK(p.queued() == 4);
    g.open();
  }
  CHECK(starts == exits);
  // pre-alloc, nonblocking, disable_purge
  ants::pool pre(2, ants::options().pre_alloc().nonblocking().disable_purge());
  CHECK(pre.async([] { return 1; }).get() == 1);
  pre.tune(5);  // a no-op for pre-alloc pools
  CHECK(pre.cap() == 2);
}

void test_invalid_options_throw() {
  CHECK_THROWS_CODE(ants::pool(1, ants::options().expiry(-1ms)), ANTS_ERR_INVALID_POOL_EXPIRY);
  CHECK_THROWS_CODE(ants::pool(1, ants::options().stack_size(1)), ANTS_ERR_INVALID_ARGUMENT);
  CHECK_THROWS_CODE(ants::pool(0, ants::options().pre_alloc()), ANTS_ERR_INVALID_PRE_ALLOC_SIZE);
  CHECK_THROWS_CODE(ants::pool(1, ants::options().queue_size(-1)), ANTS_ERR_INVALID_ARGUMENT);
  CHECK_THROWS_CODE(ants::pool(1, ants::options().max_blocking_tasks(-1)),
                    ANTS_ERR_INVALID_ARGUMENT);
}

void test_cancel_queued_destroys_callables() {
  tracker::reset();
  gate g;
  ants::pool p(1, ants::options().queue_size(16));
  fill(p, g, 1);
  std::atomic<int> inline_runs{0};
  for (int i = 0; i < 5; ++i) p.submit(tracker());
  for (int i = 0; i < 3; ++i) p.submit([&inline_runs] { inline_runs.fetch_add(1); });
  std::future<int> f = p.async([] { return 1; });
  CHECK(p.queued() == 9);
  CHECK(tracker::alive == 5);
  CHECK(p.cancel_queued() == 9);
  CHECK(tracker::alive == 0);
  bool broken = false;
  try {
    f.get();
  } catch (const std::future_error &e) {
    broken = e.code() == std::future_errc::broken_promise;
  }
  CHECK(broken);
  g.open();
  p.wait_idle();
  CHECK(tracker::runs == 0);
  CHECK(inline_runs == 0);
  CHECK(p.cancel_queued() == 0);
}

// --- Ownership --------------------------------------------------------------

void test_move_construct_and_assign() {
  ants::pool a(2);
  ants_pool *h = a.handle();
  ants::pool b(std::move(a));
  CHECK(b.handle() == h);
  CHECK(a.handle() == nullptr);  // NOLINT(bugprone-use-after-move): documented state
  CHECK_THROWS_CODE(a.submit(tracker()), ANTS_ERR_INVALID_ARGUMENT);
  CHECK_THROWS_CODE(a.submit([] {}), ANTS_ERR_INVALID_ARGUMENT);
  CHECK(a.cap() == 0);
  ants::pool c(1);
  c = std::move(b);  // c's own pool is freed here
  CHECK(c.handle() == h);
  CHECK(c.async([] { return 9; }).get() == 9);
}

void c_task(void *arg) {
  static_cast<std::atomic<int> *>(arg)->fetch_add(1);
}

void test_handle_adopt_and_retain() {
  std::atomic<int> n{0};
  ants::pool p(2);
  CHECK(ants_submit(p.handle(), c_task, &n) == ANTS_OK);  // C code on a C++ pool
  p.wait_idle();
  CHECK(n == 1);

  ants_options *opts = nullptr;
  CHECK(ants_options_new(&opts) == ANTS_OK);
  CHECK(ants_options_set_queue_size(opts, 8) == ANTS_OK);
  CHECK(ants_options_set_task_destructor(opts, ants::cancel_task_destructor, nullptr) == ANTS_OK);
  ants_pool *h = nullptr;
  CHECK(ants_pool_new(&h, 1, opts) == ANTS_OK);
  ants_options_free(opts);
  gate g;
  {
    ants::pool adopted = ants::pool::adopt(h);  // owns h from here
    CHECK(adopted.handle() == h);
    CHECK(adopted.async([] { return 11; }).get() == 11);
    tracker::reset();
    fill(adopted, g, 1);
    adopted.submit(tracker());
    CHECK(adopted.cancel_queued() == 1);
    CHECK(tracker::alive == 0);
    g.open();
  }
  CHECK_THROWS_CODE(ants::pool::adopt(nullptr), ANTS_ERR_INVALID_ARGUMENT);
  CHECK_THROWS_CODE(ants::pool::retain(nullptr), ANTS_ERR_INVALID_ARGUMENT);

  ants_pool *shared = nullptr;
  CHECK(ants_pool_new(&shared, 2, nullptr) == ANTS_OK);
  {
    {
      ants::pool r = ants::pool::retain(shared);
      CHECK(r.async([] { return 12; }).get() == 12);
    }  // drops the C++ owner; the C owner still has the pool
    CHECK(ants_submit(shared, c_task, &n) == ANTS_OK);
    CHECK(ants_wait_idle(shared, -1) == ANTS_OK);
    CHECK(n == 2);
    // A retained wrapper dropped by one of the pool's own tasks only drops
    // its ownership: the pool stays open for the C owner.
    auto owner = std::make_unique<ants::pool>(ants::pool::retain(shared));
    std::atomic<bool> dropped{false};
    owner->submit([&owner, &dropped] {
      owner.reset();
      dropped = true;
    });
    CHECK(eventually([&] { return dropped.load(); }));
    CHECK(ants_is_closed(shared) == 0);
    CHECK(ants_submit(shared, c_task, &n) == ANTS_OK);
    CHECK(ants_wait_idle(shared, -1) == ANTS_OK);
    CHECK(n == 3);
  }
  ants_pool_free(shared);
}

void test_pool_destroyed_by_its_own_task() {
  tracker::reset();
  gate g;
  auto owned = std::make_unique<ants::pool>(2, ants::options().queue_size(8));
  ants::pool *p = owned.get();
  fill(*p, g, 1);
  for (int i = 0; i < 3; ++i) p->submit(tracker());  // other tasks on the slab, queued
  std::atomic<bool> freed{false};
  // The last worker task frees the pool; the queued trackers still run.
  p->submit([&owned, &freed] {
    owned.reset();
    freed = true;
  });
  g.open();
  CHECK(eventually([&] { return freed.load() && tracker::alive == 0; }));
  CHECK(tracker::runs == 3);
  // The deferred free runs on the default pool: wait for it.
  CHECK(ants_wait_idle(ants_default_pool(), -1) == ANTS_OK);
}

void test_large_callable_beyond_the_slab() {
  ants::pool p(1);
  std::array<char, 70 * 1024> big{};
  big[100] = 7;
  std::atomic<int> seen{0};
  p.submit([big, &seen] { seen = big[100]; });
  p.wait_idle();
  CHECK(seen == 7);
}

// --- Pools with a function, multipools, groups, the default pool --------------

void test_pool_with_func() {
  std::atomic<int> sum{0};
  ants::pool_with_func<int> p(10, [&sum](int i) { sum.fetch_add(i); });
  for (int i = 0; i < 1000; ++i) p.invoke(i);
  p.wait_idle();
  CHECK(sum == 499500);  // ants' README example
  CHECK(p.cap() == 10);

  gate g;
  struct ctx {
    gate *g;
    std::atomic<int> n{0};
  } c{&g};
  ants::pool_with_func<ctx *> q(
      1,
      [](ctx *x) {
        if (x->n.fetch_add(1) == 0) x->g->pass();
      },
      ants::options().nonblocking());
  q.invoke(&c);
  CHECK(g.wait_for_waiters(1));
  CHECK(!q.try_invoke(&c));
  CHECK(!q.invoke_for(&c, 5ms));
  CHECK_THROWS_CODE(q.invoke(&c), ANTS_ERR_POOL_OVERLOAD);
  g.open();
  q.wait_idle();
  CHECK(q.try_invoke(&c));
  q.wait_idle();  // nonblocking: the next one needs the worker free again
  CHECK(q.invoke_for(&c, 30s));
  q.wait_idle();
  CHECK(c.n == 3);
  CHECK(ants_submit(q.handle(), c_task, nullptr) == ANTS_ERR_INVALID_ARGUMENT);
}

void test_multipool() {
  ants::multipool m(3, 2, ants::lb::round_robin, ants::options().disable_purge());
  CHECK(m.cap() == 6);
  std::atomic<int> n{0};
  for (int i = 0; i < 30; ++i) m.submit([&n] { n.fetch_add(1); });
  CHECK(m.async([] { return 2; }).get() == 2);
  m.wait_idle();
  CHECK(n == 30);
  int live = 0;
  for (int i = 0; i < 3; ++i) {
    live += m.running_at(i);
    CHECK(m.busy_at(i) == 0);
    CHECK(m.waiting_at(i) == 0);
    CHECK(m.available_at(i) == 2 - m.running_at(i));
  }
  CHECK(live == m.running());
  CHECK_THROWS_CODE(m.running_at(3), ANTS_ERR_INVALID_POOL_INDEX);
  CHECK_THROWS_CODE(m.busy_at(-1), ANTS_ERR_INVALID_POOL_INDEX);
  CHECK_THROWS_CODE(ants::multipool(0, 1, ants::lb::least_tasks), ANTS_ERR_INVALID_MULTI_POOL_SIZE);
  CHECK_THROWS_CODE(ants::multipool(2, 1, static_cast<ants::lb>(99)),
                    ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY);
  ants::multipool least(2, 1, ants::lb::least_tasks);
  CHECK(least.async([] { return 4; }).get() == 4);
}

void test_multipool_with_func() {
  std::atomic<long> sum{0};
  ants::multipool_with_func<long> m(
      2, 3, [&sum](long v) { sum.fetch_add(v); }, ants::lb::least_tasks);
  for (long i = 1; i <= 100; ++i) m.invoke(i);
  m.wait_idle();
  CHECK(sum == 5050);
  CHECK(m.running_at(0) + m.running_at(1) == m.running());
  CHECK(m.available_at(1) >= 0);
  CHECK(m.waiting_at(0) == 0);
  CHECK(m.busy_at(1) == 0);
  CHECK_THROWS_CODE(m.waiting_at(2), ANTS_ERR_INVALID_POOL_INDEX);
}

void test_group_across_pools() {
  ants::pool a(2), b(1);
  std::atomic<int> sum{0};
  ants::pool_with_func<int> f(2, [&sum](int v) { sum.fetch_add(v); });
  tracker::reset();
  {
    ants::group g;
    for (int i = 0; i < 10; ++i) g.submit(a, [&sum] { sum.fetch_add(1); });
    g.submit(b, tracker());
    g.submit(b, [] { throw std::runtime_error("group member"); });
    g.invoke(f, 100);
    g.wait();
    CHECK(g.pending() == 0);
    CHECK(g.panicked() == 1);
    CHECK(sum == 110);
    CHECK(tracker::runs == 1);
    CHECK(tracker::alive == 0);
    CHECK(g.wait_for(1ms));
    CHECK(g.handle() != nullptr);

    gate gt;
    g.submit(a, [&gt] { gt.pass(); });
    CHECK(gt.wait_for_waiters(1));
    CHECK(g.pending() == 1);
    CHECK(!g.wait_for(5ms));
    ants::group moved(std::move(g));
    gt.open();
    moved.wait();
  }
  ants::pool closed(1);
  closed.release();
  ants::group g;
  CHECK_THROWS_CODE(g.submit(closed, tracker()), ANTS_ERR_POOL_CLOSED);
  CHECK(tracker::alive == 0);
  CHECK(g.pending() == 0);
}

void test_default_pool() {
  ants::pool &d = ants::default_pool();
  CHECK(&d == &ants::default_pool());
  CHECK(d.handle() == ants_default_pool());
  CHECK(d.cap() == ANTS_DEFAULT_POOL_SIZE);
  std::atomic<int> n{0};
  ants::submit([&n] { n = 1; });
  CHECK(d.async([] { return 8; }).get() == 8);
  CHECK(eventually([&] { return n == 1; }));
}

// --- No allocation per task in steady state ------------------------------------

// Allocations made while `body` submits `n` tasks, after the same body ran
// once to warm up (threads started, slab grown).
template <class Body>
long allocations_of(ants::pool_base &p, Body body) {
  body();
  p.wait_idle();
  const long before = g_allocs.load();
  body();
  p.wait_idle();
  return g_allocs.load() - before;
}

void test_no_allocation_per_task() {
  constexpr int kTasks = 10000;
  ants::pool p(2, ants::options().disable_purge());
  std::atomic<long> n{0};
  std::atomic<long> *np = &n;

  const long inline_allocs = allocations_of(p, [&] {
    for (int i = 0; i < kTasks; ++i) p.submit([np] { np->fetch_add(1); });
  });
  long a = 1, b = 2, c = 3;
  const long slab_allocs = allocations_of(p, [&] {
    for (int i = 0; i < kTasks; ++i) p.submit([np, a, b, c] { np->fetch_add(a + b + c); });
  });
  const long move_only_allocs = allocations_of(p, [&] {
    for (int i = 0; i < kTasks; ++i) {
      p.submit([np, t = std::unique_ptr<int>()] { np->fetch_add(t ? 1 : 2); });
    }
  });
  const long async_allocs = allocations_of(p, [&] {
    for (int i = 0; i < kTasks; ++i) {
      if (p.async([np] { return np->fetch_add(1); }).get() < 0) std::abort();
    }
  });
  ants::group g;
  const long group_allocs = allocations_of(p, [&] {
    for (int i = 0; i < kTasks; ++i) g.submit(p, [np, a, b] { np->fetch_add(a + b); });
    g.wait();
  });
  ants::pool_with_func<long *> f(
      2, [](long *x) { (void)x; }, ants::options().disable_purge());
  const long invoke_allocs = allocations_of(f, [&] {
    for (int i = 0; i < kTasks; ++i) f.invoke(&a);
  });
  std::printf(
      "  allocations per %d tasks: inline %ld, slab %ld, move-only %ld, async %ld, "
      "group %ld, invoke %ld\n",
      kTasks, inline_allocs, slab_allocs, move_only_allocs, async_allocs, group_allocs,
      invoke_allocs);
  if (ANTS_TEST_NO_ALLOC_COUNT) {
    std::printf("  (not counted: clang's TSan runtime owns operator new in this build)\n");
    return;
  }
  CHECK(inline_allocs == 0);
  CHECK(slab_allocs == 0);
  CHECK(move_only_allocs == 0);
  CHECK(async_allocs == 0);
  CHECK(group_allocs == 0);
  CHECK(invoke_allocs == 0);
}

// Many submitters into one slab: every callable runs once and is destroyed
// (the sanitizer builds check the free lists for races and reuse).
void test_concurrent_submitters_share_the_slab() {
  tracker::reset();
  {
    ants::pool p(4, ants::options().queue_size(64));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&p] {
        for (int i = 0; i < 2000; ++i) {
          if ((i & 1) == 0) {
            p.submit(tracker());
          } else if (!p.try_submit(tracker())) {
            p.submit(tracker());
          }
          if (i % 100 == 0 && p.async([] { return 1; }).get() != 1) std::abort();
        }
      });
    }
    for (auto &t : threads) t.join();
    p.wait_idle();
  }
  CHECK(tracker::runs == 8000);
  CHECK(tracker::alive == 0);
}

struct test_case {
  const char *name;
  void (*fn)();
};

const test_case kTests[] = {
    {"inline_lambdas_run", test_inline_lambdas_run},
    {"slab_callables_run_and_are_destroyed_once", test_slab_callables_run_and_are_destroyed_once},
    {"move_only_callables", test_move_only_callables},
    {"async_carries_value_void_and_exception", test_async_carries_value_void_and_exception},
    {"exception_in_submit_goes_to_panic_handler", test_exception_in_submit_goes_to_panic_handler},
    {"try_submit_refuses_when_full", test_try_submit_refuses_when_full},
    {"submit_for_times_out", test_submit_for_times_out},
    {"submit_to_closed_pool_throws", test_submit_to_closed_pool_throws},
    {"callable_whose_copy_throws", test_callable_whose_copy_throws},
    {"getters_tune_release_reboot", test_getters_tune_release_reboot},
    {"wait_idle_for_and_release_timeout_time_out", test_wait_idle_for_and_release_timeout_time_out},
    {"would_deadlock_is_an_error", test_would_deadlock_is_an_error},
    {"nested_submit_runs_inline", test_nested_submit_runs_inline},
    {"options_are_applied", test_options_are_applied},
    {"invalid_options_throw", test_invalid_options_throw},
    {"cancel_queued_destroys_callables", test_cancel_queued_destroys_callables},
    {"move_construct_and_assign", test_move_construct_and_assign},
    {"handle_adopt_and_retain", test_handle_adopt_and_retain},
    {"pool_destroyed_by_its_own_task", test_pool_destroyed_by_its_own_task},
    {"large_callable_beyond_the_slab", test_large_callable_beyond_the_slab},
    {"pool_with_func", test_pool_with_func},
    {"multipool", test_multipool},
    {"multipool_with_func", test_multipool_with_func},
    {"group_across_pools", test_group_across_pools},
    {"default_pool", test_default_pool},
    {"no_allocation_per_task", test_no_allocation_per_task},
    {"concurrent_submitters_share_the_slab", test_concurrent_submitters_share_the_slab},
};

}  // namespace

int main(int argc, char **argv) {
  int passed = 0, failed = 0;
  for (const test_case &t : kTests) {
    if (argc > 1 && std::strstr(t.name, argv[1]) == nullptr) continue;
    std::printf("[ RUN  ] %s\n", t.name);
    std::fflush(stdout);
    try {
      t.fn();
      ++passed;
      std::printf("[  OK  ] %s\n", t.name);
    } catch (const std::exception &e) {
      ++failed;
      std::printf("[ FAIL ] %s: %s\n", t.name, e.what());
    }
    std::fflush(stdout);
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}
