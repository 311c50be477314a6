// api_fuzzer.cpp - libFuzzer target: the C API driven by byte-coded operation
// sequences and checked against a small reference model of ants.h.
//
// An input is a sequence of operations on two pool slots: create (every kind
// and option), submit/invoke in all their forms with tasks that return, block
// on a gate, sleep, throw, submit again or wait on themselves, tune, release,
// release_timeout, reboot, wait_idle, stats, free, groups, invalid arguments
// and (in the fault-injection build) failing thread creation or allocation.
//
// The model only predicts what ants.h promises and what a single driving
// thread can know for sure:
//   - "stuck" tasks block on a gate the driver controls, so the driver knows
//     exactly how many workers they hold; every other task finishes by
//     itself. A submit is predicted to find room iff stuck < cap; a
//     prediction of "no room" is exact (stuck tasks cannot finish), a
//     prediction of "room" is checked as "eventually accepted" because a
//     worker that just finished a task may not be reusable yet.
//   - callers blocked in submit are helper threads; the model knows when
//     they must stay blocked (ants_waiting counts them) and what each must
//     eventually return (OK after room appears, POOL_CLOSED after release or
//     free).
//   - every accepted task runs exactly once, every rejected one never; this
//     is checked after wait_idle, group_wait and free, and at the end.
//   - running <= cap whenever no shrink is pending; after a shrink, once the
//     stuck tasks are released, running comes back under cap.
// Where the documented semantics leave a choice (a task queue, sub-pool
// choice after an overload, workers of a previous generation after reboot),
// the slot becomes "lenient": only the set of allowed statuses is checked
// and no call that could block without bound is made.
//
// Every operation runs under a watchdog: a call that hangs past its bound
// aborts with the operation trace, which libFuzzer records as a crash.
#include <ants.h>

#ifdef ANTS_FUZZ_FAULTS
#include "fault_injection.h"
#endif

#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

// ---------------------------------------------------------------------------
// Bounds. Generous: they only turn a hang into a report; nothing here times
// the library.
// ---------------------------------------------------------------------------
constexpr int kSlots = 2;
constexpr size_t kMaxOps = 96;
constexpr size_t kMaxTasks = 384;
constexpr int kMaxStuck = 40;       // gated tasks alive at once (threads)
constexpr size_t kMaxWaiters = 6;   // helper threads blocked in submit
constexpr int64_t kPollMs = 15000;  // a predicted state must appear by then
constexpr int64_t kBoundMs = 15000; // timeout for calls predicted to succeed
constexpr int64_t kWatchdogMs = 60000;
constexpr int64_t kShortMs = 5;     // timeout for calls predicted to time out

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

int thread_count() {
  FILE *f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  int n = -1;
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, "Threads:", 8) == 0) {
      n = std::atoi(line + 8);
      break;
    }
  }
  std::fclose(f);
  return n;
}

// ---------------------------------------------------------------------------
// Failure reporting and the watchdog.
// ---------------------------------------------------------------------------
std::mutex g_trace_mu;
std::string g_trace;  // operations of the current input, for the report
std::atomic<int64_t> g_op_deadline{0};
std::atomic<uint64_t> g_total_ops{0};

void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void trace(const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  std::lock_guard<std::mutex> lk(g_trace_mu);
  g_trace += buf;
  g_trace += '\n';
}

[[noreturn]] void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
[[noreturn]] void fail(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  {
    std::lock_guard<std::mutex> lk(g_trace_mu);
    std::fprintf(stderr, "ants_api_fuzzer: operations of this input:\n%s", g_trace.c_str());
  }
  std::fprintf(stderr, "ants_api_fuzzer: MODEL VIOLATION: %s\n", buf);
  std::fflush(stderr);
  std::abort();
}

#define CHECK(cond, ...)          \
  do {                            \
    if (!(cond)) fail(__VA_ARGS__); \
  } while (0)

const char *st(int s) { return ants_strerror(s); }

void expect_status(int got, int want, const char *what) {
  if (got != want) fail("%s: expected %d (%s), got %d (%s)", what, want, st(want), got, st(got));
}

// The watchdog: one thread for the whole process, started before the first
// input so it is part of the thread-count baseline.
void watchdog_loop() {
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    int64_t d = g_op_deadline.load();
    if (d != 0 && now_ms() > d) fail("an operation hung for more than %lld ms", (long long)kWatchdogMs);
  }
}

struct OpGuard {
  OpGuard() { g_op_deadline.store(now_ms() + kWatchdogMs); }
  ~OpGuard() { g_op_deadline.store(0); }
};

// Polls cond until it holds or kPollMs passes.
template <class F>
bool poll(F cond) {
  int64_t deadline = now_ms() + kPollMs;
  for (int i = 0;; ++i) {
    if (cond()) return true;
    if (now_ms() > deadline) return false;
    if (i < 50)
      std::this_thread::yield();
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// ---------------------------------------------------------------------------
// Gates and tasks.
// ---------------------------------------------------------------------------
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool opened = false;
  std::atomic<int> arrived{0};
  void pass() {
    arrived.fetch_add(1);
    std::unique_lock<std::mutex> lk(mu);
    cv.wait(lk, [&] { return opened; });
  }
  void open() {
    std::lock_guard<std::mutex> lk(mu);
    opened = true;
    cv.notify_all();
  }
  bool is_open() {
    std::lock_guard<std::mutex> lk(mu);
    return opened;
  }
};

enum Kind { K_QUICK, K_GATED, K_SLEEP, K_THROW, K_NESTED, K_SELFWAIT, K_COUNT };
const char *kind_name[K_COUNT] = {"quick", "gated", "sleep", "throw", "nested", "selfwait"};

constexpr int kNotRun = 1;  // no status is positive

struct Task {
  Kind kind = K_QUICK;
  int slot = 0;
  int pool_gen = 0;                 // which pool of the slot (per input)
  std::atomic<int> runs{0};
  Gate *gate = nullptr;             // K_GATED
  ants_pool *pool = nullptr;        // K_NESTED, K_SELFWAIT
  bool func_pool = false;
  ants_group *group = nullptr;      // K_SELFWAIT member of a group
  Task *child = nullptr;            // K_NESTED
  std::atomic<int> status{kNotRun}; // K_NESTED: inner submit; K_SELFWAIT: wait_idle
  std::atomic<int> status2{kNotRun};// K_SELFWAIT: group_wait
  std::atomic<int> cancelled{0};    // times handed to the task destructor
  bool accepted = false;            // decided by the driver (or the parent)
  bool decided = false;
  bool is_child = false;
  bool in_group = false;
};

void run_task(void *arg) {
  Task *t = static_cast<Task *>(arg);
  t->runs.fetch_add(1);
  switch (t->kind) {
    case K_QUICK:
      break;
    case K_GATED:
      t->gate->pass();
      break;
    case K_SLEEP:
      std::this_thread::sleep_for(std::chrono::microseconds(300));
      break;
    case K_THROW:
      throw std::runtime_error("fuzz task threw on purpose");
    case K_NESTED: {
      int s = t->func_pool ? ants_invoke(t->pool, t->child) : ants_submit(t->pool, run_task, t->child);
      t->status.store(s);
      break;
    }
    case K_SELFWAIT: {
      // Bounded, so a missing deadlock check shows as TIMEOUT, not a hang.
      t->status.store(ants_wait_idle(t->pool, 2000));
      if (t->group) t->status2.store(ants_group_wait(t->group, 2000));
      break;
    }
    default:
      break;
  }
}

// Per-pool callback counters: kept until the end of the input because
// workers may call them until ants_pool_free returns.
struct PoolCtx {
  std::atomic<int> panics{0}, logs{0}, starts{0}, exits{0};
};
void on_panic(void *ctx, const char *what) {
  if (!what) fail("panic handler got a NULL text");
  static_cast<PoolCtx *>(ctx)->panics.fetch_add(1);
}
void on_log(void *ctx, const char *msg) {
  if (!msg) fail("logger got a NULL message");
  static_cast<PoolCtx *>(ctx)->logs.fetch_add(1);
}
void on_start(void *ctx) { static_cast<PoolCtx *>(ctx)->starts.fetch_add(1); }
std::atomic<int> g_dtor_calls{0};
// Task destructor: a queued task dropped by ants_cancel_queued.
void on_cancel(void *ctx, ants_task_fn fn, void *arg) {
  (void)ctx;
  if (fn != run_task || !arg) fail("task destructor got fn %p arg %p", reinterpret_cast<void *>(fn), arg);
  static_cast<Task *>(arg)->cancelled.fetch_add(1);
  g_dtor_calls.fetch_add(1);
}
void on_exit(void *ctx) { static_cast<PoolCtx *>(ctx)->exits.fetch_add(1); }

// A helper thread blocked in a blocking submit.
enum Expect { E_PENDING, E_OK, E_CLOSED, E_EITHER };
struct Waiter {
  std::thread th;
  Task *task = nullptr;
  std::atomic<bool> done{false};
  std::atomic<int> status{kNotRun};
  Expect expect = E_PENDING;
  bool checked = false;
};

// ---------------------------------------------------------------------------
// The model of one pool slot.
// ---------------------------------------------------------------------------
struct Slot {
  ants_pool *p = nullptr;
  int gen = 0;
  bool func = false, multi = false;
  int n = 1;
  int cap_per = 0;  // <= 0: unlimited
  int strategy = ANTS_ROUND_ROBIN;
  bool nonblocking = false, prealloc = false, handler = false, logger = false, hooks = false;
  int max_blocking = 0, queue = 0;
  bool closed = false;
  bool lenient = false;         // queue configured: placement not predictable
  bool old_gen = false;         // rebooted while stuck tasks of the old generation ran
  bool shrink_pending = false;  // running may exceed cap until stuck tasks end
  int stuck = 0;                // accepted gated tasks whose gate is closed
  std::vector<int> stuck_sub;   // multipool: observed placement of stuck tasks
  int throws = 0;               // accepted throwing tasks (panics expected)
  int cancelled_throws = 0;     // of those, dropped from the queue
  PoolCtx *ctx = nullptr;
  Gate *gate = nullptr;
  std::vector<std::unique_ptr<Waiter>> waiters;

  bool exists() const { return p != nullptr; }
  bool unlimited() const { return cap_per <= 0; }
  int cap_total() const { return unlimited() ? -1 : cap_per * n; }
  bool exact() const { return !lenient && !old_gen; }
  // Callers still inside submit (what ants_waiting counts once settled).
  int pending_waiters() const {
    int k = 0;
    for (auto &w : waiters)
      if (!w->done.load()) ++k;
    return k;
  }
  // Callers whose outcome the model has not checked yet: a woken caller may
  // return before the driver looks, so decisions use this count.
  int unchecked_waiters() const {
    int k = 0;
    for (auto &w : waiters)
      if (!w->checked) ++k;
    return k;
  }
};

struct World {
  Slot s[kSlots];
  std::vector<std::unique_ptr<Task>> tasks;
  std::vector<std::unique_ptr<Gate>> gates;
  std::vector<std::unique_ptr<PoolCtx>> ctxs;
  ants_group *group = nullptr;
  std::vector<Task *> group_members;
  int group_throws = 0;
  int baseline_threads = 0;
  int next_gen = 0;
};

// ---------------------------------------------------------------------------
// Reading the input.
// ---------------------------------------------------------------------------
struct Reader {
  const uint8_t *d;
  size_t n, i = 0;
  Reader(const uint8_t *data, size_t size) : d(data), n(size) {}
  bool more() const { return i < n; }
  uint8_t u8() { return i < n ? d[i++] : 0; }
  int pick(int k) { return u8() % k; }
};

Task *new_task(World &w, Slot &sl, int slot, Kind k) {
  if (w.tasks.size() >= kMaxTasks) return nullptr;
  // Tasks that would throw into a pool with neither handler nor logger would
  // print to stderr; the library is still exercised by the other pools.
  if (k == K_THROW && !sl.handler && !sl.logger) k = K_QUICK;
  if (k == K_GATED && sl.stuck >= kMaxStuck) k = K_QUICK;
  auto t = std::make_unique<Task>();
  t->kind = k;
  t->slot = slot;
  t->pool_gen = sl.gen;
  t->gate = sl.gate;
  t->pool = sl.p;
  t->func_pool = sl.func;
  if (k == K_NESTED) {
    auto c = std::make_unique<Task>();
    c->kind = K_QUICK;
    c->slot = slot;
    c->pool_gen = sl.gen;
    c->is_child = true;
    t->child = c.get();
    w.tasks.push_back(std::move(c));
  }
  Task *r = t.get();
  w.tasks.push_back(std::move(t));
  return r;
}

// Records the driver's verdict on a submission.
void decide(Slot &sl, Task *t, bool accepted) {
  t->decided = true;
  t->accepted = accepted;
  if (!accepted) return;
  if (t->kind == K_GATED) sl.stuck++;
  if (t->kind == K_THROW) sl.throws++;
}

// Submits t through `mode`: 0 submit/invoke, 1 *_timeout(0), 2 *_timeout(short),
// 3 *_timeout(bound), 4 group_submit/group_invoke.
int do_submit(World &w, Slot &sl, Task *t, int mode) {
  switch (mode) {
    case 0:
      return sl.func ? ants_invoke(sl.p, t) : ants_submit(sl.p, run_task, t);
    case 1:
      return sl.func ? ants_invoke_timeout(sl.p, t, 0) : ants_submit_timeout(sl.p, run_task, t, 0);
    case 2:
      return sl.func ? ants_invoke_timeout(sl.p, t, kShortMs)
                     : ants_submit_timeout(sl.p, run_task, t, kShortMs);
    case 3:
      return sl.func ? ants_invoke_timeout(sl.p, t, kBoundMs)
                     : ants_submit_timeout(sl.p, run_task, t, kBoundMs);
    default:
      return sl.func ? ants_group_invoke(w.group, sl.p, t) : ants_group_submit(w.group, sl.p, run_task, t);
  }
}

// Waits until the slot shows only its stuck tasks busy and its pending
// waiters blocked; then, for a multipool, learns where the stuck tasks are.
void quiesce(Slot &sl, const char *why) {
  if (!sl.exists()) return;
  int want_wait = sl.pending_waiters();
  bool ok = poll([&] {
    if (ants_waiting(sl.p) != want_wait) return false;
    // Without an exact model, tasks queued behind stuck ones (or old-
    // generation workers) may stay busy: only a drained pool is checked.
    if (!sl.exact()) return sl.stuck > 0 || (ants_busy(sl.p) == 0 && ants_queued(sl.p) == 0);
    return ants_busy(sl.p) == sl.stuck;
  });
  CHECK(ok, "%s: pool never settled: busy %d (stuck tasks %d), waiting %d (blocked callers %d)", why,
        ants_busy(sl.p), sl.stuck, ants_waiting(sl.p), want_wait);
  if (sl.multi && sl.exact()) {
    int sum = 0;
    for (int i = 0; i < sl.n; ++i) {
      int b = -1;
      expect_status(ants_busy_by_index(&b, sl.p, i), ANTS_OK, "ants_busy_by_index");
      sl.stuck_sub[static_cast<size_t>(i)] = b;
      sum += b;
    }
    CHECK(sum == sl.stuck, "%s: sub-pools report %d busy, %d stuck tasks accepted", why, sum, sl.stuck);
  }
}

// Room for one more task without waiting, per the model: 1 yes, 0 no, -1 unknown.
int room(const Slot &sl) {
  if (!sl.exact()) return -1;
  if (sl.unlimited()) return 1;
  if (!sl.multi) return sl.stuck < sl.cap_per ? 1 : 0;
  int with_room = 0;
  int min_busy = 1 << 30;
  for (int b : sl.stuck_sub) {
    if (b < sl.cap_per) ++with_room;
    min_busy = std::min(min_busy, b);
  }
  if (with_room == sl.n) return 1;
  if (with_room == 0) return 0;
  // Some sub-pools are full. Least-tasks picks the least busy one, which has
  // room; round-robin may pick a full one (and, nonblocking, retries on a
  // "least-loaded" one, whose measure ants.h leaves open).
  return sl.strategy == ANTS_LEAST_TASKS ? 1 : -1;
}

void check_waiters(Slot &sl, const char *why) {
  for (auto &wt : sl.waiters) {
    if (wt->checked || wt->expect == E_PENDING) continue;
    bool ok = poll([&] { return wt->done.load(); });
    CHECK(ok, "%s: a caller blocked in submit was never woken (expected %s)", why,
          wt->expect == E_OK ? "OK" : wt->expect == E_CLOSED ? "POOL_CLOSED" : "OK or POOL_CLOSED");
    wt->th.join();
    int s = wt->status.load();
    if (wt->expect == E_OK) expect_status(s, ANTS_OK, "blocked submit woken by room");
    if (wt->expect == E_CLOSED) expect_status(s, ANTS_ERR_POOL_CLOSED, "blocked submit woken by close");
    if (wt->expect == E_EITHER)
      CHECK(s == ANTS_OK || s == ANTS_ERR_POOL_CLOSED, "%s: blocked submit returned %d (%s)", why, s, st(s));
    wt->task->decided = true;
    wt->task->accepted = (s == ANTS_OK);
    wt->checked = true;
  }
  // Only the live ones stay.
  sl.waiters.erase(std::remove_if(sl.waiters.begin(), sl.waiters.end(),
                                  [](const std::unique_ptr<Waiter> &x) { return x->checked; }),
                   sl.waiters.end());
}

// Only undecided callers get an expectation; one already judged "either"
// (woken by partial room, or not) keeps it, whatever happens next.
void set_waiters(Slot &sl, Expect e) {
  for (auto &wt : sl.waiters)
    if (!wt->checked && wt->expect == E_PENDING) wt->expect = e;
}

void open_gate(World &w, Slot &sl) {
  sl.gate->open();
  auto g = std::make_unique<Gate>();
  sl.gate = g.get();
  w.gates.push_back(std::move(g));
  sl.stuck = 0;
  std::fill(sl.stuck_sub.begin(), sl.stuck_sub.end(), 0);
  sl.old_gen = false;
  if (!sl.closed) set_waiters(sl, E_OK);
}

// Checks the run counts of every decided task of a slot's current pool.
void check_runs(World &w, int slot, int gen, bool only_unstuck, const char *why) {
  for (auto &t : w.tasks) {
    if (t->slot != slot || t->pool_gen != gen) continue;
    if (t->is_child) continue;  // checked through its parent
    if (!t->decided) continue;
    if (only_unstuck && t->kind == K_GATED && !t->gate->is_open()) continue;
    int want = t->accepted ? 1 : 0;
    int got = t->runs.load() + t->cancelled.load();  // cancelled instead of run: once
    CHECK(got == want, "%s: a %s task %s ran %d times (cancelled %d)", why, kind_name[t->kind],
          t->accepted ? "accepted" : "rejected", t->runs.load(), t->cancelled.load());
    if (t->cancelled.load() && t->kind != K_GATED) continue;
    if (t->kind == K_NESTED && t->accepted && t->runs.load()) {
      int s = t->status.load();
      CHECK(s != kNotRun, "%s: nested task ran but its inner submit never returned", why);
      CHECK(s == ANTS_OK || s == ANTS_ERR_POOL_CLOSED || s == ANTS_ERR_POOL_OVERLOAD ||
                s == ANTS_ERR_SYSTEM || s == ANTS_ERR_NO_MEMORY,
            "%s: nested submit returned %d (%s)", why, s, st(s));
      int cw = s == ANTS_OK ? 1 : 0;
      CHECK(t->child->runs.load() + t->child->cancelled.load() == cw,
            "%s: nested task's child (status %s) ran %d times", why, st(s), t->child->runs.load());
    }
    if (t->kind == K_SELFWAIT && t->accepted && t->runs.load()) {
      expect_status(t->status.load(), ANTS_ERR_WOULD_DEADLOCK, "ants_wait_idle from a task of the pool");
      if (t->group)
        expect_status(t->status2.load(), ANTS_ERR_WOULD_DEADLOCK, "ants_group_wait from a task of the group");
    }
  }
}

// ---------------------------------------------------------------------------
// Operations.
// ---------------------------------------------------------------------------
void free_slot(World &w, int idx, const char *why);

void op_new(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  Slot &sl = w.s[idx];
  if (sl.exists()) free_slot(w, idx, "free before new");
  int kind = r.pick(4);  // 0 plain, 1 func, 2 multi, 3 multi func
  int size = r.pick(8) - 1;  // -1..6; <= 0 unlimited
  uint8_t bits = r.u8();
  int n = 1 + r.pick(3);
  int strategy = 1 + r.pick(2);
  int64_t expiry = std::array<int64_t, 4>{0, 1, 20, 200}[static_cast<size_t>(r.pick(4))];
  int maxb = r.pick(3);
  int queue = (bits & 0x80) ? 1 + r.pick(3) : 0;
  bool use_opts = (bits & 1) != 0;
  bool nonblocking = use_opts && (bits & 2);
  bool prealloc = use_opts && (bits & 4);
  bool purge_off = use_opts && (bits & 8);
  bool handler = use_opts && (bits & 16);
  bool logger = use_opts && (bits & 32);
  bool hooks = use_opts && (bits & 64);
  if (!use_opts) maxb = 0, queue = 0;
  if (kind >= 2 && prealloc && size <= 0) size = 2;  // tested by the invalid ops
  if (prealloc && size <= 0) prealloc = false;

  auto ctx = std::make_unique<PoolCtx>();
  ants_options *o = nullptr;
  if (use_opts) {
    expect_status(ants_options_new(&o), ANTS_OK, "ants_options_new");
    expect_status(ants_options_set_expiry_ms(o, expiry), ANTS_OK, "set_expiry_ms");
    expect_status(ants_options_set_nonblocking(o, nonblocking), ANTS_OK, "set_nonblocking");
    expect_status(ants_options_set_pre_alloc(o, prealloc), ANTS_OK, "set_pre_alloc");
    expect_status(ants_options_set_disable_purge(o, purge_off), ANTS_OK, "set_disable_purge");
    expect_status(ants_options_set_max_blocking_tasks(o, maxb), ANTS_OK, "set_max_blocking_tasks");
    expect_status(ants_options_set_queue_size(o, queue), ANTS_OK, "set_queue_size");
    if (queue > 0) expect_status(ants_options_set_task_destructor(o, on_cancel, nullptr), ANTS_OK, "set_task_destructor");
    if (handler) expect_status(ants_options_set_panic_handler(o, on_panic, ctx.get()), ANTS_OK, "set_panic_handler");
    if (logger) expect_status(ants_options_set_logger(o, on_log, ctx.get()), ANTS_OK, "set_logger");
    if (hooks) expect_status(ants_options_set_worker_hooks(o, on_start, on_exit, ctx.get()), ANTS_OK, "set_worker_hooks");
    if (bits & 0x40) expect_status(ants_options_set_stack_size(o, 512 * 1024), ANTS_OK, "set_stack_size");
    expect_status(ants_options_set_thread_name(o, (bits & 2) ? "fuzzpool-with-a-long-name" : "fz"), ANTS_OK,
                  "set_thread_name");
  }
  ants_pool *p = nullptr;
  int s;
  switch (kind) {
    case 0: s = ants_pool_new(&p, size, o); break;
    case 1: s = ants_pool_with_func_new(&p, size, run_task, o); break;
    case 2: s = ants_multipool_new(&p, n, size, strategy, o); break;
    default: s = ants_multipool_with_func_new(&p, n, size, run_task, strategy, o); break;
  }
  ants_options_free(o);  // the pool keeps its own copy
  trace("new slot=%d kind=%d size=%d n=%d lb=%d opts=%d nb=%d pre=%d maxb=%d q=%d exp=%lld -> %d", idx, kind,
        size, n, strategy, use_opts, nonblocking, prealloc, maxb, queue, (long long)expiry, s);
  expect_status(s, ANTS_OK, "pool creation");
  CHECK(p != nullptr, "pool creation returned OK and no pool");

  sl = Slot();
  sl.p = p;
  sl.gen = ++w.next_gen;
  sl.func = (kind & 1) != 0;
  sl.multi = kind >= 2;
  sl.n = sl.multi ? n : 1;
  sl.cap_per = size;
  sl.strategy = strategy;
  sl.nonblocking = nonblocking;
  sl.prealloc = prealloc;
  sl.handler = handler;
  sl.logger = logger;
  sl.hooks = hooks;
  sl.max_blocking = maxb;
  sl.queue = queue;
  sl.lenient = queue > 0;
  sl.stuck_sub.assign(static_cast<size_t>(sl.n), 0);
  sl.ctx = ctx.get();
  w.ctxs.push_back(std::move(ctx));
  auto g = std::make_unique<Gate>();
  sl.gate = g.get();
  w.gates.push_back(std::move(g));

  expect_status(ants_is_closed(p), 0, "ants_is_closed on a new pool");
  expect_status(ants_cap(p), sl.cap_total(), "ants_cap on a new pool");
  expect_status(ants_running(p), 0, "ants_running on a new pool (threads start lazily)");
}

// One submission predicted and checked.
void submit_one(World &w, Slot &sl, Task *t, int mode, const char *what) {
  const int slot_no = static_cast<int>(&sl - w.s);
  bool via_group = mode == 4;
  if (via_group) {
    if (!w.group) expect_status(ants_group_new(&w.group), ANTS_OK, "ants_group_new");
    t->group = t->kind == K_SELFWAIT ? w.group : nullptr;
  }
  if (sl.closed) {
    int s = do_submit(w, sl, t, mode);
    trace("  %s slot=%d %s on closed pool -> %d", what, slot_no, kind_name[t->kind], s);
    expect_status(s, ANTS_ERR_POOL_CLOSED, "submit on a released pool");
    decide(sl, t, false);
    return;
  }
  // Without an exact model, never make a call that could block without
  // bound: blocking forms become bounded-timeout ones.
  int rm = room(sl);
  if (rm != 1 && (mode == 0 || mode == 3 || mode == 4)) {
    if (rm == 0 && mode == 0 && !via_group) {
      // handled by the blocker operation; here a bounded wait instead
    }
    mode = 2;
    t->group = nullptr;
    via_group = false;
  }
  if (rm == 1) {
    // Predicted to find room: must be accepted, possibly after a transient
    // refusal while a finishing worker becomes reusable (nonblocking, or a
    // zero/short timeout). A refused attempt is a rejected task.
    int64_t deadline = now_ms() + kPollMs;
    for (;;) {
      int s = do_submit(w, sl, t, mode);
      trace("  %s slot=%d %s mode=%d -> %d", what, slot_no, kind_name[t->kind], mode, s);
      if (s == ANTS_OK) {
        decide(sl, t, true);
        if (via_group) {
          w.group_members.push_back(t);
          t->in_group = true;
          if (t->kind == K_THROW) w.group_throws++;
        }
        if (t->kind == K_GATED) quiesce(sl, "after accepting a gated task");
        return;
      }
      bool transient = (s == ANTS_ERR_POOL_OVERLOAD && sl.nonblocking) ||
                       (s == ANTS_ERR_TIMEOUT && (mode == 1 || mode == 2));
      if (!transient) fail("%s with room in the pool: got %d (%s)", what, s, st(s));
      decide(sl, t, false);
      if (now_ms() > deadline) fail("%s with room in the pool: refused for %lld ms", what, (long long)kPollMs);
      Kind k = t->kind;
      t = new_task(w, sl, slot_no, k);
      if (!t) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  int s = do_submit(w, sl, t, mode);
  trace("  %s slot=%d %s mode=%d room=%d -> %d", what, slot_no, kind_name[t->kind], mode, rm, s);
  if (rm == 0) {
    int waiting = sl.pending_waiters();
    bool at_max = sl.max_blocking > 0 && waiting >= sl.max_blocking;
    if (sl.nonblocking) {
      expect_status(s, ANTS_ERR_POOL_OVERLOAD, "submit on a full nonblocking pool");
    } else if (sl.multi && sl.max_blocking > 0 && waiting > 0) {
      // max_blocking counts per sub-pool; the balancer may pick one whose
      // blocked callers are below the limit.
      CHECK(s == ANTS_ERR_TIMEOUT || s == ANTS_ERR_POOL_OVERLOAD, "full multipool: got %d (%s)", s, st(s));
    } else if (at_max && mode != 1) {
      expect_status(s, ANTS_ERR_POOL_OVERLOAD, "submit with max_blocking callers already blocked");
    } else if (at_max) {
      CHECK(s == ANTS_ERR_TIMEOUT || s == ANTS_ERR_POOL_OVERLOAD, "full pool, timeout 0: got %d (%s)", s, st(s));
    } else {
      expect_status(s, ANTS_ERR_TIMEOUT, "bounded submit on a full pool");
    }
    decide(sl, t, false);
    return;
  }
  // Unknown room: any of the documented outcomes.
  CHECK(s == ANTS_OK || s == ANTS_ERR_TIMEOUT || s == ANTS_ERR_POOL_OVERLOAD,
        "%s (outcome not predictable): got %d (%s)", what, s, st(s));
  decide(sl, t, s == ANTS_OK);
  if (s == ANTS_OK && t->kind == K_GATED && sl.multi && sl.exact()) quiesce(sl, "after a gated task");
}

void op_submit(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  Slot &sl = w.s[idx];
  Kind k = static_cast<Kind>(r.pick(K_COUNT));
  int mode = r.pick(5);
  if (!sl.exists()) return;
  Task *t = new_task(w, sl, idx, k);
  if (!t) return;
  // Settle first wherever the outcome depends on a snapshot: a nonblocking
  // or short-timeout submit, and any multipool with stuck tasks (least-tasks
  // picks by busy count, so a quick task still finishing can tip the choice
  // onto a full sub-pool, where a blocking caller then rightly waits).
  if (mode == 4 || t->kind == K_GATED || sl.nonblocking || mode == 1 || mode == 2 ||
      (sl.multi && sl.stuck > 0))
    quiesce(sl, "before submit");
  submit_one(w, sl, t, mode, sl.func ? "invoke" : "submit");
}

// Several short tasks back to back, without settling in between: the
// capacity invariant is checked while they run.
void op_burst(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  int count = 1 + r.pick(24);
  bool sleepy = r.pick(2) != 0;
  Slot &sl = w.s[idx];
  if (!sl.exists()) return;
  trace("burst slot=%d count=%d sleepy=%d", idx, count, sleepy);
  int rm = room(sl);
  // Back-to-back tasks leave busy counts in flux, so a multipool's choice of
  // sub-pool is not predictable while some sub-pool is full.
  if (rm == 1 && sl.multi && sl.stuck > 0) rm = -1;
  for (int i = 0; i < count; ++i) {
    Task *t = new_task(w, sl, idx, sleepy ? K_SLEEP : K_QUICK);
    if (!t) return;
    int s = sl.closed || rm != 1 || sl.nonblocking ? do_submit(w, sl, t, 2) : do_submit(w, sl, t, 0);
    if (sl.closed) {
      expect_status(s, ANTS_ERR_POOL_CLOSED, "burst on a closed pool");
    } else if (rm == 1 && !sl.nonblocking) {
      expect_status(s, ANTS_OK, "blocking burst with room");
    } else if (rm == 0) {
      CHECK(s == ANTS_ERR_TIMEOUT || s == ANTS_ERR_POOL_OVERLOAD, "burst on a full pool: %d (%s)", s, st(s));
    } else {
      CHECK(s == ANTS_OK || s == ANTS_ERR_TIMEOUT || s == ANTS_ERR_POOL_OVERLOAD, "burst: %d (%s)", s, st(s));
    }
    decide(sl, t, s == ANTS_OK);
    if (!sl.shrink_pending && !sl.old_gen && !sl.unlimited()) {
      int run = ants_running(sl.p);
      CHECK(run <= sl.cap_total(), "capacity exceeded during a burst: running %d > cap %d", run, sl.cap_total());
    }
  }
}

// A helper thread makes a blocking submit that the model says must block.
void op_blocker(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  Slot &sl = w.s[idx];
  if (!sl.exists() || sl.closed || sl.nonblocking) return;
  quiesce(sl, "before a blocking submit");
  if (room(sl) != 0) return;
  if (sl.waiters.size() >= kMaxWaiters) return;
  // max_blocking is per sub-pool, and which sub-pool a blocked caller waits
  // on is the balancer's choice: a multipool is not probed past its first.
  if (sl.multi && sl.max_blocking > 0 && sl.pending_waiters() > 0) return;
  if (sl.max_blocking > 0 && sl.pending_waiters() >= sl.max_blocking) {
    Task *t = new_task(w, sl, idx, K_QUICK);
    if (!t) return;
    int s = do_submit(w, sl, t, 0);
    trace("blocker slot=%d at max_blocking -> %d", idx, s);
    expect_status(s, ANTS_ERR_POOL_OVERLOAD, "blocking submit with max_blocking callers already blocked");
    decide(sl, t, false);
    return;
  }
  Task *t = new_task(w, sl, idx, K_QUICK);
  if (!t) return;
  auto wt = std::make_unique<Waiter>();
  wt->task = t;
  Waiter *wp = wt.get();
  ants_pool *p = sl.p;
  bool func = sl.func;
  wt->th = std::thread([wp, p, func] {
    int s = func ? ants_invoke(p, wp->task) : ants_submit(p, run_task, wp->task);
    wp->status.store(s);
    wp->done.store(true);
  });
  sl.waiters.push_back(std::move(wt));
  trace("blocker slot=%d waiters=%zu", idx, sl.waiters.size());
  quiesce(sl, "after a caller blocked");
  CHECK(!wp->done.load(), "a blocking submit on a full pool returned %d (%s) instead of waiting", wp->status.load(),
        st(wp->status.load()));
}

void op_tune(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  int size = r.pick(10) - 2;  // -2..7
  Slot &sl = w.s[idx];
  if (!sl.exists()) return;
  trace("tune slot=%d size=%d", idx, size);
  ants_tune(sl.p, size);
  if (size <= 0 || sl.unlimited() || sl.prealloc || size == sl.cap_per) {
    expect_status(ants_cap(sl.p), sl.cap_total(), "ants_cap after a no-op tune");
    return;
  }
  if (size < sl.cap_per) sl.shrink_pending = true;
  sl.cap_per = size;
  expect_status(ants_cap(sl.p), sl.cap_total(), "ants_cap after tune");
  if (sl.unchecked_waiters() > 0 && !sl.closed) {
    int rm = room(sl);
    if (rm == 1) {
      set_waiters(sl, E_OK);
      check_waiters(sl, "tune up");
    } else if (rm == -1) {
      for (auto &wt : sl.waiters)
        if (wt->expect == E_PENDING) wt->expect = E_EITHER;  // resolved by a later gate or close
    }
  }
}

void op_release(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  Slot &sl = w.s[idx];
  if (!sl.exists()) return;
  trace("release slot=%d", idx);
  ants_release(sl.p);
  if (r.pick(2)) ants_release(sl.p);  // twice is harmless
  sl.closed = true;
  set_waiters(sl, E_CLOSED);
  check_waiters(sl, "release");
  expect_status(ants_is_closed(sl.p), 1, "ants_is_closed after release");
  quiesce(sl, "after release");
}

void op_release_timeout(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  Slot &sl = w.s[idx];
  if (!sl.exists()) return;
  bool blocked = sl.stuck > 0;
  int s = ants_release_timeout(sl.p, blocked ? kShortMs : kBoundMs);
  trace("release_timeout slot=%d stuck=%d -> %d", idx, sl.stuck, s);
  sl.closed = true;
  set_waiters(sl, E_CLOSED);
  check_waiters(sl, "release_timeout");
  if (blocked) {
    expect_status(s, ANTS_ERR_TIMEOUT, "release_timeout with tasks that cannot finish");
  } else {
    expect_status(s, ANTS_OK, "release_timeout with tasks that all finish");
    // Every worker has exited: the pool is empty.
    expect_status(ants_running(sl.p), 0, "ants_running after a successful release_timeout");
    expect_status(ants_busy(sl.p), 0, "ants_busy after a successful release_timeout");
    sl.shrink_pending = false;
    sl.old_gen = false;
    check_runs(w, idx, sl.gen, false, "after release_timeout");
  }
  expect_status(ants_is_closed(sl.p), 1, "ants_is_closed after release_timeout");
}

void op_reboot(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  Slot &sl = w.s[idx];
  if (!sl.exists()) return;
  trace("reboot slot=%d closed=%d stuck=%d", idx, sl.closed, sl.stuck);
  ants_reboot(sl.p);
  if (sl.closed) {
    sl.closed = false;
    // Old-generation workers are still running stuck tasks: whether they
    // count against the new generation is the engine's choice.
    if (sl.stuck > 0) sl.old_gen = true;
  }
  expect_status(ants_is_closed(sl.p), 0, "ants_is_closed after reboot");
  expect_status(ants_cap(sl.p), sl.cap_total(), "ants_cap after reboot");
}

void op_wait_idle(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  Slot &sl = w.s[idx];
  if (!sl.exists()) return;
  bool busy = sl.stuck > 0 || sl.pending_waiters() > 0;
  int s = ants_wait_idle(sl.p, busy ? kShortMs : kBoundMs);
  trace("wait_idle slot=%d stuck=%d -> %d", idx, sl.stuck, s);
  if (busy && sl.old_gen && sl.pending_waiters() == 0) {
    CHECK(s == ANTS_OK || s == ANTS_ERR_TIMEOUT, "wait_idle after reboot: %d (%s)", s, st(s));
  } else if (busy) {
    expect_status(s, ANTS_ERR_TIMEOUT, "wait_idle with tasks that cannot finish");
  } else {
    expect_status(s, ANTS_OK, "wait_idle with tasks that all finish");
    check_runs(w, idx, sl.gen, true, "after wait_idle");
    CHECK(poll([&] { return ants_busy(sl.p) == 0; }), "ants_busy stays %d after wait_idle", ants_busy(sl.p));
  }
}

void check_stats(World &w, int idx, const char *why) {
  (void)w;
  Slot &sl = w.s[idx];
  if (!sl.exists()) return;
  quiesce(sl, why);
  ants_pool *p = sl.p;
  expect_status(ants_cap(p), sl.cap_total(), "ants_cap");
  expect_status(ants_is_closed(p), sl.closed ? 1 : 0, "ants_is_closed");
  expect_status(ants_waiting(p), sl.pending_waiters(), "ants_waiting");
  if (sl.queue == 0) expect_status(ants_queued(p), 0, "ants_queued without a queue");
  int r1 = ants_running(p);
  int busy = ants_busy(p);
  int avail = ants_available(p);
  int r2 = ants_running(p);
  CHECK(busy >= 0 && r1 >= 0, "negative counters: busy %d running %d", busy, r1);
  if (sl.exact()) CHECK(busy <= r1 || busy <= r2, "ants_busy %d above ants_running %d", busy, r1);
  if (sl.unlimited()) {
    expect_status(avail, -1, "ants_available of an unlimited pool");
  } else if (r1 == r2 && (!sl.multi || !sl.shrink_pending)) {
    expect_status(avail, std::max(0, sl.cap_total() - r1), "ants_available (cap - running, clamped)");
  }
  CHECK(avail >= -1, "ants_available %d below -1", avail);
  if (!sl.unlimited() && !sl.old_gen) {
    if (sl.shrink_pending) {
      // Surplus workers leave once their task ends; the stuck ones stay.
      bool ok = poll([&] { return ants_running(p) <= std::max(sl.cap_total(), ants_busy(p)); });
      CHECK(ok, "after a shrink, running %d stays above max(cap %d, busy %d)", ants_running(p), sl.cap_total(),
            ants_busy(p));
      if (sl.stuck == 0 && sl.exact()) sl.shrink_pending = false;
    } else {
      CHECK(r1 <= sl.cap_total(), "capacity exceeded: running %d > cap %d", r1, sl.cap_total());
    }
  }
  if (sl.multi) {
    int out = 0;
    for (int i = 0; i < sl.n; ++i) {
      expect_status(ants_running_by_index(&out, p, i), ANTS_OK, "ants_running_by_index");
      if (!sl.unlimited() && !sl.shrink_pending && !sl.old_gen)
        CHECK(out <= sl.cap_per, "sub-pool %d runs %d workers, cap %d", i, out, sl.cap_per);
      expect_status(ants_available_by_index(&out, p, i), ANTS_OK, "ants_available_by_index");
      if (sl.unlimited()) expect_status(out, -1, "ants_available_by_index of an unlimited sub-pool");
      expect_status(ants_waiting_by_index(&out, p, i), ANTS_OK, "ants_waiting_by_index");
      expect_status(ants_busy_by_index(&out, p, i), ANTS_OK, "ants_busy_by_index");
    }
    expect_status(ants_running_by_index(&out, p, sl.n), ANTS_ERR_INVALID_POOL_INDEX, "index n");
    expect_status(ants_busy_by_index(&out, p, -1), ANTS_ERR_INVALID_POOL_INDEX, "index -1");
    expect_status(ants_waiting_by_index(nullptr, p, 0), ANTS_ERR_INVALID_ARGUMENT, "by_index out NULL");
  } else {
    int out = 0;
    expect_status(ants_running_by_index(&out, p, 0), ANTS_ERR_INVALID_ARGUMENT, "by_index on a plain pool");
    expect_status(ants_available_by_index(&out, p, 0), ANTS_ERR_INVALID_ARGUMENT, "by_index on a plain pool");
  }
}

void op_stats(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  trace("stats slot=%d", idx);
  check_stats(w, idx, "stats");
}

void op_open_gate(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  Slot &sl = w.s[idx];
  if (!sl.exists()) return;
  trace("open_gate slot=%d stuck=%d waiters=%d", idx, sl.stuck, sl.pending_waiters());
  open_gate(w, sl);
  check_waiters(sl, "gate opened");
}

void free_slot(World &w, int idx, const char *why) {
  Slot &sl = w.s[idx];
  if (!sl.exists()) return;
  trace("free slot=%d stuck=%d waiters=%d (%s)", idx, sl.stuck, sl.pending_waiters(), why);
  quiesce(sl, "before free");
  // Free must wake every blocked caller with POOL_CLOSED before it waits for
  // the workers; the stuck tasks hold their workers until the callers have
  // returned, so a free that waits first would hang here (the watchdog
  // reports it).
  std::vector<Waiter *> pending;
  for (auto &wt : sl.waiters)
    if (!wt->checked) pending.push_back(wt.get());
  Gate *gate = sl.gate;
  std::atomic<bool> opener_ok{true};
  std::thread opener([&pending, gate, &opener_ok] {
    int64_t deadline = now_ms() + kPollMs;
    for (Waiter *wt : pending) {
      while (!wt->done.load()) {
        if (now_ms() > deadline) {
          opener_ok.store(false);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    gate->open();
  });
  ants_pool_free(sl.p);
  opener.join();
  CHECK(opener_ok.load(), "ants_pool_free left callers blocked in submit");
  for (Waiter *wt : pending) {
    wt->th.join();
    int st_ = wt->status.load();
    if (wt->expect == E_EITHER)
      CHECK(st_ == ANTS_OK || st_ == ANTS_ERR_POOL_CLOSED, "blocked submit (maybe woken by room): %d", st_);
    else
      expect_status(st_, ANTS_ERR_POOL_CLOSED, "blocked submit woken by ants_pool_free");
    wt->task->decided = true;
    wt->task->accepted = st_ == ANTS_OK;
    wt->checked = true;
  }
  sl.waiters.clear();
  sl.p = nullptr;
  // Every accepted task has run before free returned, exactly once.
  check_runs(w, idx, sl.gen, false, "after free");
  if (sl.handler)
    CHECK(sl.ctx->panics.load() == sl.throws - sl.cancelled_throws, "panic handler ran %d times for %d throwing tasks",
          sl.ctx->panics.load(), sl.throws - sl.cancelled_throws);
  else if (sl.logger)
    CHECK(sl.ctx->logs.load() >= sl.throws - sl.cancelled_throws, "logger got %d messages for %d throwing tasks",
          sl.ctx->logs.load(), sl.throws - sl.cancelled_throws);
  if (sl.hooks)
    CHECK(sl.ctx->starts.load() == sl.ctx->exits.load(), "worker hooks: %d starts, %d exits after free",
          sl.ctx->starts.load(), sl.ctx->exits.load());
  // The workers are gone: with the other slot empty, the process is back to
  // its baseline thread count.
  if (!w.s[1 - idx].exists() && w.s[1 - idx].waiters.empty()) {
    bool ok = poll([&] { return thread_count() <= w.baseline_threads; });
    CHECK(ok, "thread count %d above baseline %d after ants_pool_free", thread_count(), w.baseline_threads);
  }
  Gate *keep = sl.gate;
  (void)keep;
  sl = Slot();
}

void op_free(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  free_slot(w, idx, "op");
}

bool group_may_block(World &w) {
  for (Task *t : w.group_members) {
    if (t->kind == K_GATED && !t->gate->is_open()) return true;
    Slot &sl = w.s[t->slot];
    if (sl.exists() && sl.gen == t->pool_gen && !sl.exact() && sl.stuck > 0) return true;
  }
  return false;
}

void op_group_wait(World &w, Reader &r) {
  (void)r;
  if (!w.group) return;
  bool blocks = group_may_block(w);
  bool maybe = false;
  for (Task *t : w.group_members)
    if (!(t->kind == K_GATED && !t->gate->is_open())) {
      Slot &sl = w.s[t->slot];
      if (sl.exists() && sl.gen == t->pool_gen && !sl.exact() && sl.stuck > 0) maybe = true;
    }
  bool definitely = false;
  for (Task *t : w.group_members)
    if (t->kind == K_GATED && !t->gate->is_open()) definitely = true;
  int s = ants_group_wait(w.group, blocks ? kShortMs : kBoundMs);
  trace("group_wait members=%zu blocks=%d -> %d", w.group_members.size(), blocks, s);
  if (definitely) {
    expect_status(s, ANTS_ERR_TIMEOUT, "group_wait with a member that cannot finish");
  } else if (maybe) {
    CHECK(s == ANTS_OK || s == ANTS_ERR_TIMEOUT, "group_wait: %d (%s)", s, st(s));
  } else {
    expect_status(s, ANTS_OK, "group_wait with members that all finish");
    expect_status(ants_group_pending(w.group), 0, "ants_group_pending after group_wait");
    int cancelled_throws = 0;
    for (Task *t : w.group_members) cancelled_throws += t->kind == K_THROW && t->cancelled.load();
    expect_status(ants_group_panicked(w.group), w.group_throws - cancelled_throws, "ants_group_panicked");
    for (Task *t : w.group_members)
      CHECK(t->runs.load() + t->cancelled.load() == 1, "group member (%s) ran %d times (cancelled %d)",
            kind_name[t->kind], t->runs.load(), t->cancelled.load());
  }
}

void op_group_free(World &w, Reader &r) {
  (void)r;
  if (!w.group || group_may_block(w)) return;
  trace("group_free members=%zu", w.group_members.size());
  ants_group_free(w.group);  // waits for pending members
  for (Task *t : w.group_members) {
    CHECK(t->runs.load() + t->cancelled.load() == 1, "group member ran %d times after group_free",
          t->runs.load());
    t->group = nullptr;
  }
  w.group = nullptr;
  w.group_members.clear();
  w.group_throws = 0;
}

void op_invalid(World &w, Reader &r) {
  int which = r.pick(24);
  int idx = r.pick(kSlots);
  Slot &sl = w.s[idx];
  trace("invalid %d slot=%d", which, idx);
  int s;
  ants_pool *p = sl.p;
  switch (which) {
    case 0: expect_status(ants_submit(nullptr, run_task, nullptr), ANTS_ERR_INVALID_ARGUMENT, "submit NULL pool"); break;
    case 1: expect_status(ants_invoke(nullptr, nullptr), ANTS_ERR_INVALID_ARGUMENT, "invoke NULL pool"); break;
    case 2:
      if (!p) break;
      s = ants_submit(p, nullptr, nullptr);
      CHECK(s == ANTS_ERR_INVALID_ARGUMENT || (sl.closed && s == ANTS_ERR_POOL_CLOSED), "submit NULL fn: %d", s);
      break;
    case 3:
      if (!p) break;
      s = sl.func ? ants_submit(p, run_task, nullptr) : ants_invoke(p, nullptr);
      if (sl.func)
        CHECK(s == ANTS_ERR_INVALID_ARGUMENT || (sl.closed && s == ANTS_ERR_POOL_CLOSED), "submit on func pool: %d", s);
      else
        CHECK(s == ANTS_ERR_LACK_POOL_FUNC || (sl.closed && s == ANTS_ERR_POOL_CLOSED), "invoke on plain pool: %d", s);
      break;
    case 4:
      if (!p) break;
      s = sl.func ? ants_submit_timeout(p, run_task, nullptr, 0) : ants_invoke_timeout(p, nullptr, 0);
      CHECK(s == (sl.func ? ANTS_ERR_INVALID_ARGUMENT : ANTS_ERR_LACK_POOL_FUNC) ||
                (sl.closed && s == ANTS_ERR_POOL_CLOSED),
            "wrong-kind timed submit: %d", s);
      break;
    case 5: expect_status(ants_release_timeout(nullptr, 0), ANTS_ERR_INVALID_ARGUMENT, "release_timeout NULL"); break;
    case 6: expect_status(ants_wait_idle(nullptr, 0), ANTS_ERR_INVALID_ARGUMENT, "wait_idle NULL"); break;
    case 7:
      ants_tune(nullptr, 3);
      ants_release(nullptr);
      ants_reboot(nullptr);
      ants_pool_free(nullptr);
      ants_group_free(nullptr);
      ants_options_free(nullptr);
      CHECK(ants_running(nullptr) == 0 && ants_cap(nullptr) == 0 && ants_waiting(nullptr) == 0 &&
                ants_busy(nullptr) == 0 && ants_available(nullptr) == 0 && ants_queued(nullptr) == 0 &&
                ants_is_closed(nullptr) == 0,
            "a getter on NULL is not 0");
      break;
    case 8: {
      int out = 0;
      expect_status(ants_running_by_index(&out, nullptr, 0), ANTS_ERR_INVALID_ARGUMENT, "by_index NULL pool");
      break;
    }
    case 9: {
      ants_options *o = nullptr;
      expect_status(ants_options_new(nullptr), ANTS_ERR_INVALID_ARGUMENT, "options_new NULL");
      expect_status(ants_options_new(&o), ANTS_OK, "options_new");
      expect_status(ants_options_set_expiry_ms(o, -1), ANTS_ERR_INVALID_POOL_EXPIRY, "expiry -1");
      expect_status(ants_options_set_max_blocking_tasks(o, -1), ANTS_ERR_INVALID_ARGUMENT, "max_blocking -1");
      expect_status(ants_options_set_stack_size(o, 1000), ANTS_ERR_INVALID_ARGUMENT, "stack 1000 bytes");
      expect_status(ants_options_set_queue_size(o, -2), ANTS_ERR_INVALID_ARGUMENT, "queue -2");
      expect_status(ants_options_set_thread_name(o, nullptr), ANTS_OK, "thread_name NULL");
      expect_status(ants_options_set_panic_handler(o, nullptr, nullptr), ANTS_OK, "panic handler NULL");
      expect_status(ants_options_set_logger(o, nullptr, nullptr), ANTS_OK, "logger NULL");
      ants_options_free(o);
      break;
    }
    case 10:
      expect_status(ants_options_set_expiry_ms(nullptr, 1), ANTS_ERR_INVALID_ARGUMENT, "setter NULL");
      expect_status(ants_options_set_nonblocking(nullptr, 1), ANTS_ERR_INVALID_ARGUMENT, "setter NULL");
      expect_status(ants_options_set_pre_alloc(nullptr, 1), ANTS_ERR_INVALID_ARGUMENT, "setter NULL");
      expect_status(ants_options_set_disable_purge(nullptr, 1), ANTS_ERR_INVALID_ARGUMENT, "setter NULL");
      expect_status(ants_options_set_queue_size(nullptr, 1), ANTS_ERR_INVALID_ARGUMENT, "setter NULL");
      expect_status(ants_options_set_thread_name(nullptr, "x"), ANTS_ERR_INVALID_ARGUMENT, "setter NULL");
      expect_status(ants_options_set_worker_hooks(nullptr, nullptr, nullptr, nullptr), ANTS_ERR_INVALID_ARGUMENT,
                    "setter NULL");
      break;
    case 11: {
      ants_pool *q = nullptr;
      expect_status(ants_pool_new(nullptr, 1, nullptr), ANTS_ERR_INVALID_ARGUMENT, "pool_new out NULL");
      expect_status(ants_pool_with_func_new(&q, 1, nullptr, nullptr), ANTS_ERR_LACK_POOL_FUNC, "with_func fn NULL");
      expect_status(ants_multipool_new(&q, 0, 1, ANTS_ROUND_ROBIN, nullptr), ANTS_ERR_INVALID_MULTI_POOL_SIZE, "n 0");
      expect_status(ants_multipool_new(&q, 2, 1, 7, nullptr), ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY, "lb 7");
      expect_status(ants_multipool_with_func_new(&q, -1, 1, run_task, ANTS_LEAST_TASKS, nullptr),
                    ANTS_ERR_INVALID_MULTI_POOL_SIZE, "n -1");
      CHECK(q == nullptr, "a failed creation wrote a pool");
      break;
    }
    case 12: {
      ants_options *o = nullptr;
      ants_pool *q = nullptr;
      expect_status(ants_options_new(&o), ANTS_OK, "options_new");
      expect_status(ants_options_set_pre_alloc(o, 1), ANTS_OK, "pre_alloc");
      expect_status(ants_pool_new(&q, r.pick(2) ? 0 : -3, o), ANTS_ERR_INVALID_PRE_ALLOC_SIZE, "pre-alloc size <= 0");
      expect_status(ants_multipool_new(&q, 2, 0, ANTS_ROUND_ROBIN, o), ANTS_ERR_INVALID_PRE_ALLOC_SIZE,
                    "pre-alloc multipool size 0");
      ants_options_free(o);
      CHECK(q == nullptr, "a failed creation wrote a pool");
      break;
    }
    case 13: {
      for (int c = -14; c <= 1; ++c) CHECK(ants_strerror(c) != nullptr, "strerror NULL");
      CHECK(ants_strerror(-999) != nullptr && ants_strerror(12345) != nullptr, "strerror unknown NULL");
      CHECK(std::strcmp(ants_strerror(ANTS_ERR_TIMEOUT), ants_strerror(ANTS_ERR_POOL_CLOSED)) != 0, "strerror same");
      CHECK(ants_version() != nullptr && ants_version_number() == ANTS_VERSION_NUMBER, "version skew");
      break;
    }
    case 14:
      expect_status(ants_group_new(nullptr), ANTS_ERR_INVALID_ARGUMENT, "group_new NULL");
      expect_status(ants_group_wait(nullptr, 0), ANTS_ERR_INVALID_ARGUMENT, "group_wait NULL");
      if (p && !sl.func)
        expect_status(ants_group_submit(nullptr, p, run_task, nullptr), ANTS_ERR_INVALID_ARGUMENT, "group_submit NULL");
      if (p && sl.func)
        expect_status(ants_group_invoke(nullptr, p, nullptr), ANTS_ERR_INVALID_ARGUMENT, "group_invoke NULL");
      break;
    case 15:
      if (!w.group) expect_status(ants_group_new(&w.group), ANTS_OK, "group_new");
      s = ants_group_submit(w.group, nullptr, run_task, nullptr);
      expect_status(s, ANTS_ERR_INVALID_ARGUMENT, "group_submit NULL pool");
      break;
    case 16:
      if (!p) break;
      s = ants_submit_timeout(p, nullptr, nullptr, 5);
      CHECK(s == ANTS_ERR_INVALID_ARGUMENT || (sl.closed && s == ANTS_ERR_POOL_CLOSED), "timed submit NULL fn: %d", s);
      break;
    case 17:
      if (!p) break;
      {
        int out = 0;
        s = ants_busy_by_index(&out, p, sl.multi ? sl.n + 3 : 0);
        expect_status(s, sl.multi ? ANTS_ERR_INVALID_POOL_INDEX : ANTS_ERR_INVALID_ARGUMENT, "by_index out of range");
      }
      break;
    case 18:
      // Slots the fuzzer never took: whatever the token, nothing to begin,
      // end or release (and the model's counts stay untouched).
      if (!p) break;
      {
        const ants_slot bogus = static_cast<ants_slot>(r.pick(256)) << 20;  // 0 included
        expect_status(ants_slot_begin(p, bogus), ANTS_ERR_INVALID_ARGUMENT, "slot_begin unheld");
        expect_status(ants_slot_end(p, bogus), ANTS_ERR_INVALID_ARGUMENT, "slot_end unheld");
        expect_status(ants_slot_release(p, bogus), ANTS_ERR_INVALID_ARGUMENT, "slot_release unheld");
        expect_status(ants_slot_cancel(p, bogus), ANTS_ERR_INVALID_ARGUMENT, "slot_cancel unknown");
        expect_status(ants_slot_acquire(nullptr, p, 0), ANTS_ERR_INVALID_ARGUMENT, "slot_acquire NULL out");
      }
      break;
    case 19:
      if (!p) break;
      {
        int64_t id = 0, ms = 0;
        expect_status(ants_slot_listener_add(&id, p, [](void *, ants_pool *, int) {}, nullptr), ANTS_OK,
                      "slot_listener_add");
        expect_status(ants_slot_listener_remove(p, id), ANTS_OK, "slot_listener_remove");
        expect_status(ants_slot_listener_remove(p, id), ANTS_ERR_INVALID_ARGUMENT, "slot_listener_remove twice");
        expect_status(ants_pool_expiry_ms(&ms, p), ANTS_OK, "pool_expiry_ms");
        CHECK(ms == -1 || ms > 0, "expiry %lld", static_cast<long long>(ms));
      }
      break;
    default:
      break;
  }
}

// Injected failures of thread creation or allocation around one submit or
// creation: the outcome is one of the documented failures or success; an
// accepted task still runs exactly once.
void op_fault(World &w, Reader &r) {
  // Always five bytes, so an operation code keeps its meaning in the corpus
  // whether or not the build injects faults.
  int idx = r.pick(kSlots);
  int kind = r.pick(2) ? 1 : 2;  // ANTS_FAULT_THREAD_CREATE : ANTS_FAULT_ALLOC
  int count = 1 + r.pick(3);
  int what = r.pick(3);
  bool gated = r.pick(2) != 0;
#ifndef ANTS_FUZZ_FAULTS
  (void)w, (void)idx, (void)kind, (void)count, (void)what, (void)gated;
#else
  Slot &sl = w.s[idx];
  if (w.s[0].pending_waiters() || w.s[1].pending_waiters()) return;
  if (what == 0) {
    ants_pool *q = nullptr;
    ants_options *o = nullptr;
    auto ctx = std::make_unique<PoolCtx>();
    expect_status(ants_options_new(&o), ANTS_OK, "ants_options_new");
    expect_status(ants_options_set_logger(o, on_log, ctx.get()), ANTS_OK, "set_logger");
    ants_fault_inject(kind, count);
    int s = ants_pool_new(&q, 2, o);
    ants_fault_inject(kind, 0);
    ants_options_free(o);
    w.ctxs.push_back(std::move(ctx));
    trace("fault kind=%d count=%d pool_new -> %d", kind, count, s);
    CHECK(s == ANTS_OK || s == ANTS_ERR_NO_MEMORY, "pool_new under faults: %d (%s)", s, st(s));
    if (s == ANTS_OK) {
      Task *t = new_task(w, sl, idx, K_QUICK);
      if (!t) {
        ants_pool_free(q);
        return;
      }
      int rs = ants_submit(q, run_task, t);
      expect_status(rs, ANTS_OK, "submit after the fault cleared");
      ants_pool_free(q);
      CHECK(t->runs.load() == 1, "task ran %d times", t->runs.load());
      t->decided = true;
      t->accepted = true;
      t->slot = -1;
    } else {
      CHECK(q == nullptr, "failed creation wrote a pool");
    }
    return;
  }
  if (!sl.exists() || sl.closed) return;
  quiesce(sl, "before fault");
  Task *t = new_task(w, sl, idx, gated ? K_GATED : K_QUICK);
  if (!t) return;
  // Bounded form only: a blocking caller waits for a worker when the OS
  // refuses a thread, and there may be none.
  ants_fault_inject(kind, count);
  int s = do_submit(w, sl, t, 2);
  ants_fault_inject(kind, 0);
  trace("fault kind=%d count=%d submit %s -> %d", kind, count, kind_name[t->kind], s);
  CHECK(s == ANTS_OK || s == ANTS_ERR_NO_MEMORY || s == ANTS_ERR_SYSTEM || s == ANTS_ERR_TIMEOUT ||
            s == ANTS_ERR_POOL_OVERLOAD,
        "submit under injected faults: %d (%s)", s, st(s));
  if (s == ANTS_ERR_SYSTEM) CHECK(sl.nonblocking || kind == ANTS_FAULT_THREAD_CREATE, "SYSTEM from an alloc fault");
  decide(sl, t, s == ANTS_OK);
  if (s == ANTS_OK && t->kind == K_GATED) quiesce(sl, "after a gated task under faults");
#endif
}

// Cancels the queued tasks of a pool: each goes to the task destructor
// exactly once instead of running; *out says how many.
void op_cancel(World &w, Reader &r) {
  int idx = r.pick(kSlots);
  bool with_out = r.pick(4) != 0;
  Slot &sl = w.s[idx];
  if (!sl.exists()) {
    if (!with_out) expect_status(ants_cancel_queued(nullptr, nullptr), ANTS_ERR_INVALID_ARGUMENT, "cancel NULL");
    return;
  }
  int before = g_dtor_calls.load();
  int out = -1;
  int s = ants_cancel_queued(with_out ? &out : nullptr, sl.p);
  int calls = g_dtor_calls.load() - before;
  trace("cancel slot=%d -> %d out=%d destructor calls=%d", idx, s, out, calls);
  expect_status(s, ANTS_OK, "ants_cancel_queued");
  if (with_out) expect_status(out, calls, "ants_cancel_queued count vs destructor calls");
  if (sl.queue == 0) expect_status(calls, 0, "ants_cancel_queued without a queue");
  // Cancelled gated tasks no longer hold anything.
  int stuck = 0, cthrows = 0;
  for (auto &t : w.tasks) {
    if (t->slot != idx || t->pool_gen != sl.gen || !t->accepted) continue;
    if (t->kind == K_GATED && t->gate == sl.gate && !t->cancelled.load()) ++stuck;
    if (t->kind == K_THROW && t->cancelled.load()) ++cthrows;
  }
  sl.stuck = stuck;
  sl.cancelled_throws = cthrows;
}

// Scratch pools for the engine's failure paths (issue 11): scenarios that
// need callers queued or blocked behind a thread creation that then fails,
// or tasks that end their own thread. Each builds its own pool, so the
// slots' model is untouched; exactly-once and no-hang are checked here (the
// watchdog turns a hang into a failure).
ants_pool *scratch_pool(World &w, bool queue, int cap) {
  ants_options *o = nullptr;
  auto ctx = std::make_unique<PoolCtx>();
  expect_status(ants_options_new(&o), ANTS_OK, "ants_options_new");
  expect_status(ants_options_set_logger(o, on_log, ctx.get()), ANTS_OK, "set_logger");
  if (queue) expect_status(ants_options_set_queue_size(o, 4), ANTS_OK, "set_queue_size");
  ants_pool *q = nullptr;
  expect_status(ants_pool_new(&q, cap, o), ANTS_OK, "scratch ants_pool_new");
  ants_options_free(o);
  w.ctxs.push_back(std::move(ctx));
  return q;
}

void count_run(void *arg) { static_cast<std::atomic<int> *>(arg)->fetch_add(1); }

// A thread creation held in progress, then failing (or not), while another
// caller queues or blocks behind it; the pool may then be released.
void op_spawn_race(World &w, Reader &r) {
  bool queue = r.pick(2) != 0;
  int cap = 1 + r.pick(2);
  bool then_fail = r.pick(4) != 0;
  bool bounded = r.pick(2) != 0;
  bool release = r.pick(3) == 0;
#ifndef ANTS_FUZZ_FAULTS
  (void)w, (void)queue, (void)cap, (void)then_fail, (void)bounded, (void)release;
#else
  // A held creation is global: keep it away from the slots' blocked callers.
  if (w.s[0].pending_waiters() || w.s[1].pending_waiters()) return;
  trace("spawn_race queue=%d cap=%d fail=%d bounded=%d release=%d", queue, cap, then_fail, bounded,
        release);
  ants_pool *q = scratch_pool(w, queue, cap);
  std::atomic<int> ran_a{0}, ran_b{0};
  std::atomic<int> rc_a{kNotRun}, rc_b{kNotRun};
  ants_fault_hold_next(ANTS_FAULT_THREAD_CREATE, then_fail ? 1 : 0);
  std::thread a([&] { rc_a.store(ants_submit(q, count_run, &ran_a)); });
  bool held = poll([&] { return ants_fault_holding(ANTS_FAULT_THREAD_CREATE) == 1; });
  CHECK(held, "the first submit into an empty pool started no thread");
  std::thread b([&] {
    rc_b.store(bounded ? ants_submit_timeout(q, count_run, &ran_b, kBoundMs)
                       : ants_submit(q, count_run, &ran_b));
  });
  // B is queued, blocked, or has started a thread of its own by now (or soon).
  poll([&] { return rc_b.load() != kNotRun || ants_waiting(q) == 1; });
  if (release) ants_release(q);
  ants_fault_unhold(ANTS_FAULT_THREAD_CREATE);
  a.join();
  b.join();
  const int sa = rc_a.load(), sb = rc_b.load();
  CHECK(sa == ANTS_OK || sa == ANTS_ERR_SYSTEM || sa == ANTS_ERR_POOL_CLOSED, "held submit: %d (%s)", sa,
        st(sa));
  CHECK(sb == ANTS_OK || sb == ANTS_ERR_SYSTEM || sb == ANTS_ERR_POOL_CLOSED, "second submit: %d (%s)", sb,
        st(sb));
  if (!then_fail && !release) CHECK(sa == ANTS_OK, "held submit that did not fail: %d (%s)", sa, st(sa));
  if (!release) {
    expect_status(ants_wait_idle(q, kBoundMs), ANTS_OK, "wait_idle after a spawn race");
  }
  expect_status(ants_release_timeout(q, kBoundMs), ANTS_OK, "release_timeout after a spawn race");
  ants_pool_free(q);
  CHECK(ran_a.load() == (sa == ANTS_OK ? 1 : 0), "held task: status %d, ran %d times", sa, ran_a.load());
  CHECK(ran_b.load() == (sb == ANTS_OK ? 1 : 0), "second task: status %d, ran %d times", sb, ran_b.load());
#endif
}

// Tasks that end their own thread with pthread_exit, among ordinary ones,
// some queued behind them: every slot comes back and every other task runs.
struct ExitTask {
  std::atomic<int> *ran;
  bool exit_thread;
};
void run_exit_task(void *arg) {
  auto *t = static_cast<ExitTask *>(arg);
  t->ran->fetch_add(1);
  if (t->exit_thread) pthread_exit(nullptr);
}

void op_thread_exit(World &w, Reader &r) {
  bool queue = r.pick(2) != 0;
  int cap = 1 + r.pick(3);
  int n = 1 + r.pick(8);
  uint8_t exits = r.u8();
  trace("thread_exit queue=%d cap=%d n=%d exits=%#x", queue, cap, n, exits);
  ants_pool *q = scratch_pool(w, queue, cap);
  std::atomic<int> ran{0};
  std::vector<ExitTask> tasks(static_cast<size_t>(n));
  int accepted = 0;
  for (int i = 0; i < n; ++i) {
    tasks[static_cast<size_t>(i)] = ExitTask{&ran, ((exits >> (i % 8)) & 1) != 0};
    int s = ants_submit_timeout(q, run_exit_task, &tasks[static_cast<size_t>(i)], kBoundMs);
    CHECK(s == ANTS_OK, "submit among thread-ending tasks: %d (%s)", s, st(s));
    if (s == ANTS_OK) ++accepted;
  }
  expect_status(ants_wait_idle(q, kBoundMs), ANTS_OK, "wait_idle after thread-ending tasks");
  expect_status(ran.load(), accepted, "tasks run among thread-ending ones");
  bool settled = poll([&] { return ants_busy(q) == 0 && ants_running(q) <= cap; });
  CHECK(settled, "busy %d running %d after thread-ending tasks", ants_busy(q), ants_running(q));
  expect_status(ants_release_timeout(q, kBoundMs), ANTS_OK, "release_timeout after thread-ending tasks");
  expect_status(ants_running(q), 0, "running after release_timeout");
  ants_pool_free(q);
}

using OpFn = void (*)(World &, Reader &);
const OpFn kOps[] = {
    op_new,  op_submit,     op_submit,     op_burst,  op_tune,        op_release,
    op_release_timeout,     op_reboot,     op_wait_idle, op_stats,    op_free,
    op_open_gate,           op_blocker,    op_group_wait, op_invalid, op_group_free,
    op_fault,               op_cancel,     op_spawn_race, op_thread_exit,
};
constexpr size_t kNumOps = sizeof kOps / sizeof kOps[0];

void finish(World &w) {
  trace("end of input");
  for (int i = 0; i < kSlots; ++i) {
    if (w.s[i].exists()) {
      check_stats(w, i, "final stats");
      free_slot(w, i, "end");
    }
  }
  if (w.group) {
    ants_group_free(w.group);
    w.group = nullptr;
  }
  for (auto &t : w.tasks) {
    if (t->is_child || !t->decided || t->slot < 0) continue;
    int want = t->accepted ? 1 : 0;
    CHECK(t->runs.load() + t->cancelled.load() == want, "end: a %s task (%s) ran %d times, cancelled %d",
          kind_name[t->kind], t->accepted ? "accepted" : "rejected", t->runs.load(), t->cancelled.load());
  }
  bool ok = poll([&] { return thread_count() <= w.baseline_threads; });
  CHECK(ok, "end: %d threads, baseline %d", thread_count(), w.baseline_threads);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static std::once_flag once;
  std::call_once(once, [] {
    std::thread(watchdog_loop).detach();
    // libFuzzer ends a timed session with exit(): report the figure then.
    std::atexit([] {
      std::fprintf(stderr, "ants_api_fuzzer: %llu operations checked against the model\n",
                   static_cast<unsigned long long>(g_total_ops.load()));
    });
  });
  {
    std::lock_guard<std::mutex> lk(g_trace_mu);
    g_trace.clear();
  }
  World w;
  w.baseline_threads = thread_count();
  Reader r(data, size);
  size_t ops = 0;
  while (r.more() && ops < kMaxOps) {
    OpGuard guard;
    kOps[r.u8() % kNumOps](w, r);
    ++ops;
    g_total_ops.fetch_add(1);
  }
  OpGuard guard;
  finish(w);
  return 0;
}

// For the replay driver's summary.
extern "C" unsigned long long ants_fuzz_total_ops(void) { return g_total_ops.load(); }
