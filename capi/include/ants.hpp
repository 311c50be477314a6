/*
 * ants.hpp - the C++17 interface of libants: lambdas, futures, RAII,
 * exceptions. Header-only, over the C ABI of ants.h alone: nothing here is
 * compiled into libants.so, which exports only ants_* symbols.
 *
 *   ants::pool pool(8, ants::options().expiry(std::chrono::seconds(2)));
 *   pool.submit([&] { work(); });                  // blocks while the pool is full
 *   std::future<int> f = pool.async([] { return 42; });
 *   f.get();                                       // 42, or the task's exception
 *                                                  // ~pool: release, wait, free
 *
 * Every failure of the C API is thrown as ants::error, whose code() is the
 * ANTS_ERR_* status; functions whose answer is "not now" (try_submit,
 * submit_for, wait_idle_for, release_timeout) return false for that instead.
 *
 * How a callable travels (no heap allocation per task in steady state)
 *   - A trivially copyable callable no bigger than a pointer (a lambda
 *     capturing nothing, one pointer or one reference) is copied into the
 *     `void *arg` of the C task itself: nothing is allocated, nothing needs
 *     destroying.
 *   - Any other callable (move-only ones included) is moved into a slot of
 *     a slab owned by the pool: slots come in size classes of 64 B to 64 KiB,
 *     are recycled through lock-free free lists, and the slab only grows
 *     (one allocation per doubling of a size class) until it holds as many
 *     slots as tasks were ever in flight at once. The slot is returned and
 *     the callable destroyed right after it ran - also when it threw.
 *     Callables over 64 KiB take one allocation each.
 *   - async() also allocates its future's shared state from a process-wide
 *     slab (the future may outlive the pool), so it too allocates nothing
 *     per task in steady state.
 *   - Over-aligned callables (alignas above alignof(std::max_align_t)) are
 *     rejected at compile time.
 *
 * What happens to the callable
 *   - Accepted: it runs exactly once on a worker (or inline on the calling
 *     worker, under ants.h's nested-submit rule), then is destroyed there.
 *   - Refused (an exception, or false from try_submit/submit_for): the
 *     pool's copy is destroyed before the call returns; a callable passed as
 *     an rvalue has been moved from either way.
 *   - Cancelled by cancel_queued(): destroyed without running (the pool
 *     installs a task destructor for it). An async() task cancelled this
 *     way leaves its future with std::future_errc::broken_promise.
 *   - An exception escaping a submit()ted callable goes to the pool's panic
 *     handler (options::panic_handler; without one it is logged), exactly as
 *     for a C task: the worker carries on, nothing is rethrown. async()
 *     catches it instead and stores it in the future.
 *
 * Thread-safety: every member may be called concurrently except moving,
 * assigning and destroying a wrapper, which need the usual exclusive
 * access. Callbacks given to options (panic handler, logger, hooks) run on
 * worker threads; a logger or hook that throws calls std::terminate.
 */
#ifndef ANTS_HPP
#define ANTS_HPP

#include "ants.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace ants {

/** A failed call: what() is ants_strerror(code()), code() the ANTS_ERR_* status. */
class error : public std::runtime_error {
 public:
  explicit error(int code) : std::runtime_error(ants_strerror(code)), code_(code) {}
  int code() const noexcept { return code_; }

 private:
  int code_;
};

/** Multipool load-balancing strategies. */
enum class lb { round_robin = ANTS_ROUND_ROBIN, least_tasks = ANTS_LEAST_TASKS };

class options;
class pool;
class group;
template <class T>
class pool_with_func;

namespace detail {

inline void check(int rc) {
  if (rc != ANTS_OK) throw error(rc);
}

// Timeouts for the C API, in whole milliseconds rounded up (a wait of
// 0.1 ms must not become "do not wait"); negative durations do not wait.
template <class Rep, class Period>
int64_t to_ms(std::chrono::duration<Rep, Period> d) {
  if (d <= d.zero()) return 0;
  return static_cast<int64_t>(std::chrono::ceil<std::chrono::milliseconds>(d).count());
}

// ---------------------------------------------------------------------------
// The slab: recycled slots for callables (and future states).

class slab_class;

// A slot's header; the payload follows at kPayloadOffset.
struct slot {
  std::atomic<uint32_t> next{0};     // free list: 1 + index of the next free slot, 0 = end
  uint32_t index = 0;                // position in its class
  slab_class *home = nullptr;        // nullptr: a one-off heap slot
  void (*invoke)(slot *) = nullptr;  // runs the callable
  void (*destroy)(slot *) noexcept = nullptr;  // destroys it
};

constexpr std::size_t kPayloadOffset = (sizeof(slot) + alignof(std::max_align_t) - 1) /
                                       alignof(std::max_align_t) * alignof(std::max_align_t);

inline void *payload(slot *s) noexcept {
  return reinterpret_cast<unsigned char *>(s) + kPayloadOffset;
}
inline slot *slot_of(void *payload) noexcept {
  return reinterpret_cast<slot *>(static_cast<unsigned char *>(payload) - kPayloadOffset);
}

// One size class: chunks of 16, 32, 64, ... slots that are never freed
// before the class, and two lock-free lists linked by slot index. Takers
// (submitting threads) pop from the free list, a Treiber stack whose head
// carries a 32-bit tag against ABA. Givers (workers, after a task) push onto
// a separate returned list, which a taker that finds the free list empty
// takes whole in one exchange: submitters and workers then do not pass one
// cache line back and forth per task. Growing takes a mutex; steady state
// never does.
class slab_class {
 public:
  slab_class() = default;
  slab_class(const slab_class &) = delete;
  slab_class &operator=(const slab_class &) = delete;
  ~slab_class() {
    for (int j = 0; j < chunks_n_; ++j) {
      ::operator delete(chunks_[j].load(std::memory_order_relaxed));
    }
  }

  void set_slot_size(std::size_t bytes) { size_ = bytes; }
  std::size_t slot_size() const { return size_; }

  // A free slot; nullptr only if the class is at its size limit.
  slot *take() {
    if (slot *s = try_pop()) return s;
    if (refill()) {
      if (slot *s = try_pop()) return s;
    }
    return grow();
  }

  // Any thread may return a slot, concurrently with takers. Push-only with
  // take-all is free of ABA, so this list needs no tag.
  void give_back(slot *s) noexcept {
    uint32_t h = returned_.load(std::memory_order_relaxed);
    do {
      s->next.store(h, std::memory_order_relaxed);
    } while (!returned_.compare_exchange_weak(h, s->index + 1, std::memory_order_release,
                                              std::memory_order_relaxed));
  }

 private:
  static constexpr int kFirstShift = 4;  // the first chunk holds 16 slots
  static constexpr int kMaxChunks = 27;  // 16 * (2^27 - 1) slots: indices fit 32 bits

  static uint64_t tag_after(uint64_t h) { return ((h >> 32) + 1) << 32; }

  slot *at(uint32_t index) const {
    const uint64_t i = static_cast<uint64_t>(index) + (1u << kFirstShift);
    int top = 63;
#if defined(__GNUC__)
    top = 63 - __builtin_clzll(i);
#else
    while (!(i >> top)) --top;
#endif
    const int j = top - kFirstShift;
    const uint64_t offset = i - (static_cast<uint64_t>(1) << top);
    unsigned char *chunk = chunks_[j].load(std::memory_order_acquire);
    return reinterpret_cast<slot *>(chunk + offset * size_);
  }

  slot *try_pop() {
    uint64_t h = free_.load(std::memory_order_acquire);
    for (;;) {
      const uint32_t top = static_cast<uint32_t>(h);
      if (top == 0) return nullptr;
      slot *s = at(top - 1);
      // s may be taken and given back meanwhile: then the tag has moved on
      // and the exchange fails, so a stale `next` is never installed.
      const uint64_t nh = tag_after(h) | s->next.load(std::memory_order_relaxed);
      if (free_.compare_exchange_weak(h, nh, std::memory_order_acquire,
                                      std::memory_order_acquire)) {
        return s;
      }
    }
  }

  // Pushes the chain first..last (linked by `next`) onto the free list.
  void push_free(uint32_t first, slot *last) {
    uint64_t h = free_.load(std::memory_order_relaxed);
    uint64_t nh;
    do {
      last->next.store(static_cast<uint32_t>(h), std::memory_order_relaxed);
      nh = tag_after(h) | first;
    } while (
        !free_.compare_exchange_weak(h, nh, std::memory_order_release, std::memory_order_relaxed));
  }

  // Moves the returned list onto the free list; false if it was empty.
  bool refill() {
    const uint32_t chain = returned_.exchange(0, std::memory_order_acquire);
    if (chain == 0) return false;
    // Usually the free list is still empty and the chain simply becomes it;
    // if another taker filled it meanwhile, walk to the chain's end.
    uint64_t h = free_.load(std::memory_order_relaxed);
    while (static_cast<uint32_t>(h) == 0) {
      if (free_.compare_exchange_weak(h, tag_after(h) | chain, std::memory_order_release,
                                      std::memory_order_relaxed)) {
        return true;
      }
    }
    slot *last = at(chain - 1);
    for (uint32_t n = last->next.load(std::memory_order_relaxed); n != 0;
         n = last->next.load(std::memory_order_relaxed)) {
      last = at(n - 1);
    }
    push_free(chain, last);
    return true;
  }

  slot *grow() {
    std::lock_guard<std::mutex> lock(grow_mu_);
    if (slot *s = try_pop()) return s;  // another thread grew or refilled meanwhile
    if (refill()) {
      if (slot *s = try_pop()) return s;
    }
    if (chunks_n_ == kMaxChunks) return nullptr;
    const uint32_t n = 1u << (kFirstShift + chunks_n_);
    auto *mem = static_cast<unsigned char *>(::operator new (std::size_t{n} * size_));
    for (uint32_t k = 0; k < n; ++k) {
      slot *s = ::new (mem + std::size_t{k} * size_) slot;
      s->index = count_ + k;
      s->home = this;
      if (k + 1 < n) s->next.store(count_ + k + 2, std::memory_order_relaxed);
    }
    chunks_[chunks_n_].store(mem, std::memory_order_release);
    ++chunks_n_;
    count_ += n;
    // Slot 0 is the caller's; 1..n-1 join the free list in one exchange.
    slot *first = reinterpret_cast<slot *>(mem + size_);
    push_free(first->index + 1, reinterpret_cast<slot *>(mem + std::size_t{n - 1} * size_));
    return reinterpret_cast<slot *>(mem);
  }

  // Free list: tag << 32 | (1 + index of the top slot); 0 in the low half = empty.
  alignas(64) std::atomic<uint64_t> free_{0};
  // Returned list: 1 + index of the top slot, 0 = empty. Its own cache line.
  alignas(64) std::atomic<uint32_t> returned_{0};
  alignas(64) std::size_t size_ = 0;
  std::mutex grow_mu_;
  int chunks_n_ = 0;    // guarded by grow_mu_
  uint32_t count_ = 0;  // guarded by grow_mu_
  std::atomic<unsigned char *> chunks_[kMaxChunks] = {};
};

// Size classes of 64 B .. 64 KiB (header included).
class slab {
 public:
  static constexpr int kClasses = 11;
  static constexpr std::size_t kSmallest = 64;

  slab() {
    for (int c = 0; c < kClasses; ++c) classes_[c].set_slot_size(kSmallest << c);
  }

  // A slot whose payload holds `bytes`; from the heap when no class fits.
  slot *take(std::size_t bytes) {
    const std::size_t need = kPayloadOffset + bytes;
    for (int c = 0; c < kClasses; ++c) {
      if (need <= classes_[c].slot_size()) {
        if (slot *s = classes_[c].take()) return s;
        break;
      }
    }
    return ::new (::operator new(need)) slot;
  }

  static void give_back(slot *s) noexcept {
    if (s->home != nullptr) {
      s->home->give_back(s);
    } else {
      s->~slot();
      ::operator delete(s);
    }
  }

 private:
  slab_class classes_[kClasses];
};

// The slab of pools this header did not create (adopted and default pools)
// and of future states, which may outlive any pool: never destroyed.
inline slab &shared_slab() {
  static slab *s = new slab;
  return *s;
}

// The C task that runs a slot's callable, then destroys it and returns the
// slot - also when the callable threw (the exception goes on to the engine,
// which hands it to the panic handler).
inline void run_slot(void *arg) {
  struct finish {
    slot *s;
    ~finish() {
      s->destroy(s);
      slab::give_back(s);
    }
  } guard{static_cast<slot *>(arg)};
  guard.s->invoke(guard.s);
}

// The task destructor of pools made here: a cancelled task's callable is
// destroyed and its slot returned. Inline tasks are trivially destructible.
inline void cancel_task(void *, ants_task_fn fn, void *arg) {
  if (fn == &run_slot) {
    slot *s = static_cast<slot *>(arg);
    s->destroy(s);
    slab::give_back(s);
  }
}

template <class D>
constexpr bool fits_inline = std::is_trivially_copyable_v<D> && sizeof(D) <= sizeof(void *) &&
                             alignof(D) <= alignof(void *);

// A value of a small trivially copyable type, carried in a void *.
template <class D>
void *pack(const D &d) noexcept {
  void *arg = nullptr;
  std::memcpy(&arg, &d, sizeof(D));
  return arg;
}
template <class D>
struct unpacked {
  explicit unpacked(void *arg) noexcept { std::memcpy(buf, &arg, sizeof(D)); }
  D &get() noexcept { return *std::launder(reinterpret_cast<D *>(buf)); }
  alignas(D) unsigned char buf[sizeof(D)];
};

template <class D>
void run_inline(void *arg) {
  unpacked<D> d(arg);
  d.get()();
}

// Turns a callable into a C task and hands it to `c_submit(fn, arg)`, which
// returns a status; a refused callable is destroyed before this returns.
template <class F, class Submit>
int submit_callable(slab &sl, F &&f, Submit &&c_submit) {
  using D = std::decay_t<F>;
  static_assert(std::is_invocable_v<D &>, "a task must be callable with no arguments");
  static_assert(alignof(D) <= alignof(std::max_align_t),
                "over-aligned callables are not supported: capture a pointer to the data");
  if constexpr (fits_inline<D>) {
    const D d(std::forward<F>(f));
    return c_submit(&run_inline<D>, pack(d));
  } else {
    slot *s = sl.take(sizeof(D));
    try {
      ::new (payload(s)) D(std::forward<F>(f));
    } catch (...) {
      slab::give_back(s);
      throw;
    }
    s->invoke = [](slot *x) { (*std::launder(static_cast<D *>(payload(x))))(); };
    s->destroy = [](slot *x) noexcept { std::launder(static_cast<D *>(payload(x)))->~D(); };
    const int rc = c_submit(&run_slot, static_cast<void *>(s));
    if (rc != ANTS_OK) {
      s->destroy(s);
      slab::give_back(s);
    }
    return rc;
  }
}

// An allocator over the shared slab, for future states.
template <class T>
struct slab_allocator {
  using value_type = T;
  slab_allocator() = default;
  template <class U>
  slab_allocator(const slab_allocator<U> &) noexcept {}
  T *allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    return static_cast<T *>(payload(shared_slab().take(n * sizeof(T))));
  }
  void deallocate(T *p, std::size_t) noexcept { slab::give_back(slot_of(p)); }
  template <class U>
  bool operator==(const slab_allocator<U> &) const noexcept {
    return true;
  }
  template <class U>
  bool operator!=(const slab_allocator<U> &) const noexcept {
    return false;
  }
};

template <class D, class R>
struct async_task {
  std::promise<R> promise;
  D fn;
  void operator()() {
    try {
      if constexpr (std::is_void_v<R>) {
        fn();
        promise.set_value();
      } else {
        promise.set_value(fn());
      }
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
  }
};

// The function of a pool_with_func<T>; workers find it through a
// thread-local pointer set by their start hook (a worker serves one pool).
struct func_base {
  virtual ~func_base() = default;
};
template <class T>
struct func_holder final : func_base {
  explicit func_holder(std::function<void(T)> f) : fn(std::move(f)) {}
  std::function<void(T)> fn;
};
inline thread_local func_base *tls_func = nullptr;

template <class T>
void run_func(void *arg) {
  unpacked<T> v(arg);
  static_cast<func_holder<T> *>(tls_func)->fn(v.get());
}

// What a pool made here owns besides its handle.
struct pool_state {
  slab *tasks = &shared_slab();
  std::unique_ptr<slab> own_tasks;
  std::function<void(const char *)> panic, logger;
  std::function<void()> on_start, on_exit;
  std::unique_ptr<func_base> func;

  slab &task_slab() { return *tasks; }
};

inline void panic_trampoline(void *ctx, const char *what) {
  static_cast<pool_state *>(ctx)->panic(what);
}
inline void log_trampoline(void *ctx, const char *msg) noexcept {
  static_cast<pool_state *>(ctx)->logger(msg);
}
inline void start_trampoline(void *ctx) noexcept {
  auto *st = static_cast<pool_state *>(ctx);
  tls_func = st->func.get();
  if (st->on_start) st->on_start();
}
inline void exit_trampoline(void *ctx) noexcept {
  auto *st = static_cast<pool_state *>(ctx);
  if (st->on_exit) st->on_exit();
  tls_func = nullptr;
}

class c_options;
struct access;

}  // namespace detail

/**
 * Pool options, set fluently and copied by the pool at construction:
 *   ants::pool p(8, ants::options().expiry(std::chrono::seconds(2)).nonblocking());
 * Each setter maps to one ants_options_set_* of ants.h; a value the C API
 * rejects (a negative expiry, a too small stack) makes the pool constructor
 * throw ants::error with that status.
 */
class options {
 public:
  template <class Rep, class Period>
  options &expiry(std::chrono::duration<Rep, Period> d) {
    expiry_ms_ =
        d < d.zero()
            ? -1
            : static_cast<int64_t>(std::chrono::ceil<std::chrono::milliseconds>(d).count());
    return *this;
  }
  options &pre_alloc(bool on = true) {
    pre_alloc_ = on;
    return *this;
  }
  options &max_blocking_tasks(int n) {
    max_blocking_ = n;
    return *this;
  }
  options &nonblocking(bool on = true) {
    nonblocking_ = on;
    return *this;
  }
  options &disable_purge(bool on = true) {
    disable_purge_ = on;
    return *this;
  }
  /** Receives what() of an exception escaping a submit()ted task. */
  options &panic_handler(std::function<void(const char *what)> fn) {
    panic_ = std::move(fn);
    return *this;
  }
  options &logger(std::function<void(const char *msg)> fn) {
    logger_ = std::move(fn);
    return *this;
  }
  /** Run on each worker thread at its start and before it exits; either may be empty. */
  options &worker_hooks(std::function<void()> on_start, std::function<void()> on_exit) {
    on_start_ = std::move(on_start);
    on_exit_ = std::move(on_exit);
    return *this;
  }
  options &stack_size(std::size_t bytes) {
    stack_size_ = bytes;
    return *this;
  }
  options &thread_name(std::string prefix) {
    thread_name_ = std::move(prefix);
    return *this;
  }
  options &queue_size(int n) {
    queue_size_ = n;
    return *this;
  }

 private:
  friend class detail::c_options;
  int64_t expiry_ms_ = 0;
  bool pre_alloc_ = false;
  int max_blocking_ = 0;
  bool nonblocking_ = false;
  bool disable_purge_ = false;
  std::function<void(const char *)> panic_, logger_;
  std::function<void()> on_start_, on_exit_;
  std::size_t stack_size_ = 0;
  std::string thread_name_;
  int queue_size_ = 0;
};

namespace detail {

// An ants_options built from options, with the callbacks moved into the
// pool's state and the trampolines pointing at it.
class c_options {
 public:
  c_options(const options &o, pool_state &st) {
    ants_options *raw = nullptr;
    check(ants_options_new(&raw));
    opts_.reset(raw);
    check(ants_options_set_expiry_ms(raw, o.expiry_ms_));
    check(ants_options_set_pre_alloc(raw, o.pre_alloc_));
    check(ants_options_set_max_blocking_tasks(raw, o.max_blocking_));
    check(ants_options_set_nonblocking(raw, o.nonblocking_));
    check(ants_options_set_disable_purge(raw, o.disable_purge_));
    check(ants_options_set_stack_size(raw, o.stack_size_));
    check(ants_options_set_thread_name(raw, o.thread_name_.c_str()));
    check(ants_options_set_queue_size(raw, o.queue_size_));
    check(ants_options_set_task_destructor(raw, &cancel_task, nullptr));
    st.panic = o.panic_;
    st.logger = o.logger_;
    st.on_start = o.on_start_;
    st.on_exit = o.on_exit_;
    if (st.panic) check(ants_options_set_panic_handler(raw, &panic_trampoline, &st));
    if (st.logger) check(ants_options_set_logger(raw, &log_trampoline, &st));
    if (st.on_start || st.on_exit || st.func) {
      check(ants_options_set_worker_hooks(raw, &start_trampoline, &exit_trampoline, &st));
    }
  }
  const ants_options *get() const { return opts_.get(); }

 private:
  struct options_free {
    void operator()(ants_options *o) const noexcept { ants_options_free(o); }
  };
  std::unique_ptr<ants_options, options_free> opts_;
};

// Frees a handle and the state its tasks use. A pool made here (it has a
// slab of its own, and its callbacks point into the state) destroyed from
// one of its own tasks - ants_wait_idle says so - would see ants_pool_free
// return before its other tasks finished with the slab: it is closed now,
// and a task on the default pool finishes the free and deletes the state
// afterwards. An adopted or retained handle just loses this owner: its
// tasks use the shared slab, which is never freed.
inline void free_pool(ants_pool *h, pool_state *st) noexcept {
  if (h != nullptr && st != nullptr && st->own_tasks != nullptr &&
      ants_wait_idle(h, 0) == ANTS_ERR_WOULD_DEADLOCK) {
    ants_release(h);
    struct later {
      ants_pool *h;
      pool_state *st;
      static void run(void *arg) {
        auto *l = static_cast<later *>(arg);
        ants_pool_free(l->h);
        delete l->st;
        delete l;
      }
    };
    auto *l = new (std::nothrow) later{h, st};
    if (l != nullptr && ants_submit(ants_default_pool(), &later::run, l) == ANTS_OK) return;
    delete l;
    ants_pool_free(h);  // returns at once; the state is leaked rather than freed too early
    return;
  }
  ants_pool_free(h);
  delete st;
}

}  // namespace detail

/**
 * What every kind of pool has: RAII ownership of an ants_pool handle,
 * the getters and the controls. Not used directly; see pool,
 * pool_with_func, multipool and multipool_with_func.
 */
class pool_base {
 public:
  pool_base(const pool_base &) = delete;
  pool_base &operator=(const pool_base &) = delete;
  pool_base(pool_base &&o) noexcept
      : h_(std::exchange(o.h_, nullptr)), st_(std::exchange(o.st_, nullptr)) {}
  pool_base &operator=(pool_base &&o) noexcept {
    if (this != &o) {
      detail::free_pool(h_, st_);
      h_ = std::exchange(o.h_, nullptr);
      st_ = std::exchange(o.st_, nullptr);
    }
    return *this;
  }
  /** ants_pool_free(): release, wait until every worker has exited, free. */
  ~pool_base() { detail::free_pool(h_, st_); }

  /**
   * The handle, for C code; it stays owned by this object. C code must not
   * ants_pool_retain() the handle of a pool made by this header: its
   * callbacks and slab end with this object. To share one pool between C
   * and C++ owners, make it in C and wrap it with pool::retain().
   */
  ants_pool *handle() const noexcept { return h_; }

  int running() const noexcept { return ants_running(h_); }
  int busy() const noexcept { return ants_busy(h_); }
  int available() const noexcept { return ants_available(h_); }
  int cap() const noexcept { return ants_cap(h_); }
  int waiting() const noexcept { return ants_waiting(h_); }
  int queued() const noexcept { return ants_queued(h_); }
  bool is_closed() const noexcept { return ants_is_closed(h_) != 0; }

  void tune(int size) noexcept { ants_tune(h_, size); }
  void release() noexcept { ants_release(h_); }
  void reboot() noexcept { ants_reboot(h_); }
  /** Closes the pool and waits for its workers to exit; false on timeout. */
  template <class Rep, class Period>
  bool release_timeout(std::chrono::duration<Rep, Period> timeout) {
    return wait_status(ants_release_timeout(h_, detail::to_ms(timeout)));
  }
  /** Waits until no task runs, is queued or blocked in submit. */
  void wait_idle() { detail::check(ants_wait_idle(h_, -1)); }
  /** As wait_idle(), for at most `timeout`; false if it ran out. */
  template <class Rep, class Period>
  bool wait_idle_for(std::chrono::duration<Rep, Period> timeout) {
    return wait_status(ants_wait_idle(h_, detail::to_ms(timeout)));
  }
  /** Drops the queued tasks no worker has started (their callables are destroyed). */
  int cancel_queued() {
    int n = 0;
    detail::check(ants_cancel_queued(&n, h_));
    return n;
  }

 protected:
  pool_base() = default;
  // Makes the handle with `create(&h, c_options)`; the pool gets its own slab.
  template <class Create>
  pool_base(const options &o, std::unique_ptr<detail::func_base> func, Create &&create) {
    auto st = std::make_unique<detail::pool_state>();
    st->own_tasks = std::make_unique<detail::slab>();
    st->tasks = st->own_tasks.get();
    st->func = std::move(func);
    detail::c_options co(o, *st);
    detail::check(create(&h_, co.get()));
    st_ = st.release();
  }
  // Owns a handle made elsewhere; its tasks use the shared slab.
  explicit pool_base(ants_pool *h) {
    if (h == nullptr) throw error(ANTS_ERR_INVALID_ARGUMENT);
    st_ = new detail::pool_state;
    h_ = h;
  }

  static bool wait_status(int rc) {
    if (rc == ANTS_ERR_TIMEOUT) return false;
    detail::check(rc);
    return true;
  }
  // For multipools: one sub-pool's figure.
  int by_index(int (*get)(int *, const ants_pool *, int), int index) const {
    int out = 0;
    detail::check(get(&out, h_, index));
    return out;
  }
  template <class F>
  int submit_status(F &&f, int64_t timeout_ms) {
    if (st_ == nullptr) return ANTS_ERR_INVALID_ARGUMENT;  // moved from
    return detail::submit_callable(
        st_->task_slab(), std::forward<F>(f), [this, timeout_ms](ants_task_fn fn, void *arg) {
          return timeout_ms < 0 ? ants_submit(h_, fn, arg)
                                : ants_submit_timeout(h_, fn, arg, timeout_ms);
        });
  }
  static bool room_status(int rc) {
    if (rc == ANTS_ERR_POOL_OVERLOAD || rc == ANTS_ERR_TIMEOUT) return false;
    detail::check(rc);
    return true;
  }

  ants_pool *h_ = nullptr;
  detail::pool_state *st_ = nullptr;

  friend struct detail::access;
};

/** A pool running any callable: ants_pool_new(). */
class pool : public pool_base {
 public:
  /** At most `capacity` workers (<= 0: unlimited). */
  explicit pool(int capacity, const options &o = options())
      : pool_base(o, nullptr, [capacity](ants_pool **out, const ants_options *co) {
          return ants_pool_new(out, capacity, co);
        }) {}

  /**
   * Takes ownership of a handle made by C code: this object frees it. Its
   * tasks use a process-wide slab, and a pool made without
   * ants_options_set_task_destructor(opts, ants::cancel_task_destructor, NULL)
   * cannot destroy the callables of tasks that cancel_queued() drops.
   */
  static pool adopt(ants_pool *h) { return pool(h); }

  /**
   * Wraps a handle C code keeps too: ants_pool_retain() adds this object as
   * an owner, and its destructor drops that ownership; the pool lives until
   * its last owner frees it. Its tasks use the process-wide slab.
   */
  static pool retain(ants_pool *h) {
    detail::check(ants_pool_retain(h));
    return pool(h);
  }

  /** ants_submit(): blocks while the pool is full (per its options); throws on failure. */
  template <class F>
  void submit(F &&f) {
    detail::check(submit_status(std::forward<F>(f), -1));
  }
  /** Never waits: false when no worker can take the task now. */
  template <class F>
  [[nodiscard]] bool try_submit(F &&f) {
    return room_status(submit_status(std::forward<F>(f), 0));
  }
  /** Waits at most `timeout` for a worker; false if none came. */
  template <class F, class Rep, class Period>
  [[nodiscard]] bool submit_for(F &&f, std::chrono::duration<Rep, Period> timeout) {
    return room_status(submit_status(std::forward<F>(f), detail::to_ms(timeout)));
  }
  /** submit() for a task whose result, or exception, the future carries. */
  template <class F>
  auto async(F &&f) -> std::future<std::invoke_result_t<std::decay_t<F> &>> {
    using D = std::decay_t<F>;
    using R = std::invoke_result_t<D &>;
    std::promise<R> promise(std::allocator_arg, detail::slab_allocator<char>());
    std::future<R> future = promise.get_future();
    submit(detail::async_task<D, R>{std::move(promise), D(std::forward<F>(f))});
    return future;
  }

 protected:
  template <class Create>
  pool(const options &o, Create &&create) : pool_base(o, nullptr, std::forward<Create>(create)) {}
  explicit pool(ants_pool *h) : pool_base(h) {}
  friend pool &default_pool();
};

/** A multipool (ants_multipool_new): `n` pools behind one handle. */
class multipool : public pool {
 public:
  multipool(int n, int size_per_pool, lb strategy, const options &o = options())
      : pool(o, [=](ants_pool **out, const ants_options *co) {
          return ants_multipool_new(out, n, size_per_pool, static_cast<int>(strategy), co);
        }) {}

  int running_at(int index) const { return by_index(&ants_running_by_index, index); }
  int available_at(int index) const { return by_index(&ants_available_by_index, index); }
  int waiting_at(int index) const { return by_index(&ants_waiting_by_index, index); }
  int busy_at(int index) const { return by_index(&ants_busy_by_index, index); }
};

/**
 * A pool whose tasks all run one function with an argument of type T
 * (ants_pool_with_func_new, ants_invoke). T travels in the C task's
 * pointer, so it must be trivially copyable and no bigger than a pointer
 * (an int, a pointer): invoking allocates nothing.
 */
template <class T>
class pool_with_func : public pool_base {
  static_assert(detail::fits_inline<T>,
                "the argument must be trivially copyable and fit in a pointer");

 public:
  template <class F>
  pool_with_func(int capacity, F &&fn, const options &o = options())
      : pool_with_func(o, std::forward<F>(fn), [capacity](ants_pool **out, const ants_options *co) {
          return ants_pool_with_func_new(out, capacity, &detail::run_func<T>, co);
        }) {}

  /** ants_invoke(): blocks while the pool is full; throws on failure. */
  void invoke(T arg) { detail::check(ants_invoke(h_, detail::pack(arg))); }
  /** Never waits: false when no worker can take it now. */
  [[nodiscard]] bool try_invoke(T arg) {
    return room_status(ants_invoke_timeout(h_, detail::pack(arg), 0));
  }
  template <class Rep, class Period>
  [[nodiscard]] bool invoke_for(T arg, std::chrono::duration<Rep, Period> timeout) {
    return room_status(ants_invoke_timeout(h_, detail::pack(arg), detail::to_ms(timeout)));
  }

 protected:
  template <class F, class Create>
  pool_with_func(const options &o, F &&fn, Create &&create)
      : pool_base(o, std::make_unique<detail::func_holder<T>>(std::forward<F>(fn)),
                  std::forward<Create>(create)) {}
};

/** A multipool whose tasks all run one function (ants_multipool_with_func_new). */
template <class T>
class multipool_with_func : public pool_with_func<T> {
 public:
  template <class F>
  multipool_with_func(int n, int size_per_pool, F &&fn, lb strategy, const options &o = options())
      : pool_with_func<T>(o, std::forward<F>(fn), [=](ants_pool **out, const ants_options *co) {
          return ants_multipool_with_func_new(out, n, size_per_pool, &detail::run_func<T>,
                                              static_cast<int>(strategy), co);
        }) {}

  int running_at(int index) const { return this->by_index(&ants_running_by_index, index); }
  int available_at(int index) const { return this->by_index(&ants_available_by_index, index); }
  int waiting_at(int index) const { return this->by_index(&ants_waiting_by_index, index); }
  int busy_at(int index) const { return this->by_index(&ants_busy_by_index, index); }
};

namespace detail {
struct access {
  static ants_pool *handle(pool_base &p) { return p.h_; }
  static slab &tasks(pool_base &p) {
    if (p.st_ == nullptr) throw error(ANTS_ERR_INVALID_ARGUMENT);
    return p.st_->task_slab();
  }
};
}  // namespace detail

/**
 * The process-wide default pool (ants_default_pool(): ANTS_DEFAULT_POOL_SIZE
 * workers, made on first use, never freed). Do not move from it.
 */
inline pool &default_pool() {
  static pool *p = [] {
    ants_pool *h = ants_default_pool();
    if (h == nullptr) throw error(ANTS_ERR_NO_MEMORY);
    return new pool(h);  // never destroyed: the default pool outlives static destructors
  }();
  return *p;
}

/** default_pool().submit(f), as ants' package-level Submit. */
template <class F>
void submit(F &&f) {
  default_pool().submit(std::forward<F>(f));
}

/**
 * A set of tasks, possibly across pools, to wait for together
 * (ants_group_*). The destructor waits for pending members.
 */
class group {
 public:
  group() { detail::check(ants_group_new(&g_)); }
  ~group() { ants_group_free(g_); }
  group(const group &) = delete;
  group &operator=(const group &) = delete;
  group(group &&o) noexcept : g_(std::exchange(o.g_, nullptr)) {}
  group &operator=(group &&o) noexcept {
    if (this != &o) {
      ants_group_free(g_);
      g_ = std::exchange(o.g_, nullptr);
    }
    return *this;
  }

  /** p.submit(f) as a member of this group. */
  template <class F>
  void submit(pool &p, F &&f) {
    ants_pool *h = detail::access::handle(p);
    detail::check(detail::submit_callable(
        detail::access::tasks(p), std::forward<F>(f),
        [this, h](ants_task_fn fn, void *arg) { return ants_group_submit(g_, h, fn, arg); }));
  }
  /** p.invoke(arg) as a member of this group. */
  template <class T>
  void invoke(pool_with_func<T> &p, T arg) {
    detail::check(ants_group_invoke(g_, detail::access::handle(p), detail::pack(arg)));
  }

  void wait() { detail::check(ants_group_wait(g_, -1)); }
  template <class Rep, class Period>
  bool wait_for(std::chrono::duration<Rep, Period> timeout) {
    const int rc = ants_group_wait(g_, detail::to_ms(timeout));
    if (rc == ANTS_ERR_TIMEOUT) return false;
    detail::check(rc);
    return true;
  }
  int pending() const noexcept { return ants_group_pending(g_); }
  /** Members that ended with an exception. */
  int panicked() const noexcept { return ants_group_panicked(g_); }

  ants_group *handle() const noexcept { return g_; }

 private:
  ants_group *g_ = nullptr;
};

/**
 * The task destructor for a pool made by C code that ants::pool::adopt()
 * or retain() will wrap, so that cancel_queued() destroys the callables of
 * C++ tasks: ants_options_set_task_destructor(opts, ants::cancel_task_destructor, NULL).
 */
constexpr ants_task_dtor_fn cancel_task_destructor = &detail::cancel_task;

}  // namespace ants

#endif  // ANTS_HPP
