// soak.cpp - the pool under sustained, adversarial load for a bounded time.
//
// Rounds of: several pools of every kind; submitter threads pushing tasks
// that return, sleep, throw or submit again, through every submit form and
// task groups; a controller tuning capacities, releasing and rebooting,
// waiting for idle and (in the fault build) injecting failures; a watcher
// checking the capacity invariant and sampling RSS and threads. At the end
// of each round every pool is freed and the round is audited:
//   - every accepted task ran exactly once, every rejected one never;
//   - the panic handler ran once per accepted throwing task;
//   - only documented statuses were returned;
//   - the thread count is back to the baseline;
//   - after a shrink, running comes back under the new capacity under load.
// Exits 0 with a summary line, or 1 at the first violation.
//
//   ants_soak [--seconds N] [--threads N] [--max-rss-mb N] [--seed N] [--no-faults]
#include <ants.h>

#ifdef ANTS_SOAK_FAULTS
#include "fault_injection.h"
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

long proc_status(const char *key) {
  FILE *f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long v = -1;
  size_t n = std::strlen(key);
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, key, n) == 0) {
      v = std::atol(line + n);
      break;
    }
  }
  std::fclose(f);
  return v;
}
int thread_count() { return static_cast<int>(proc_status("Threads:")); }
long rss_kb() { return proc_status("VmRSS:"); }

[[noreturn]] void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
[[noreturn]] void fail(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  std::fprintf(stderr, "soak: VIOLATION: %s\n", buf);
  std::fflush(stderr);
  std::_Exit(1);
}

template <class F>
bool poll_for(int64_t ms, F cond) {
  int64_t deadline = now_ms() + ms;
  for (;;) {
    if (cond()) return true;
    if (now_ms() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

constexpr int64_t kBoundMs = 60000;  // any single wait; only a hang hits it

// ---------------------------------------------------------------------------
// Settings and figures
// ---------------------------------------------------------------------------
struct Config {
  int seconds = 20;
  int threads = 6;
  long max_rss_mb = 0;  // 0: default for the build
  unsigned seed = 1;
  bool faults = true;
};

struct Figures {
  std::atomic<uint64_t> cancelled{0};
  std::atomic<uint64_t> ops{0}, submitted{0}, accepted{0}, run{0}, panics{0}, nested{0},
      groups{0}, tunes{0}, releases{0}, reboots{0}, wait_idles{0}, shrink_checks{0};
  std::atomic<long> max_rss_kb{0};
  std::atomic<int> max_threads{0};
  std::atomic<uint64_t> status_count[16]{};
};
Figures fig;

// ---------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------
enum Kind : uint8_t { K_QUICK, K_SLEEP, K_THROW, K_NESTED, K_COUNT };

struct Rec {
  std::atomic<uint8_t> runs{0};
  std::atomic<uint8_t> accepted{0};
  std::atomic<uint8_t> cancelled{0};  // dropped from a queue by ants_cancel_queued
  uint8_t kind = K_QUICK;
  uint8_t pool = 0;
};

struct PoolInfo {
  ants_pool *p = nullptr;
  bool func = false;
  int n = 1;                       // sub-pools
  bool unlimited = false;
  bool fixed = false;              // pre-alloc: tune is a no-op
  std::atomic<int> cap_per{0};
  std::atomic<int> bound_per{0};   // cap before an unsettled shrink, or cap
  std::atomic<uint64_t> throws{0};
  std::atomic<uint64_t> panics{0};
  std::atomic<uint64_t> cancelled_throws{0};
};

struct Round {
  std::vector<std::unique_ptr<PoolInfo>> pools;
  std::unique_ptr<Rec[]> recs;
  size_t per_thread = 0, child_base = 0, child_cap = 0;
  std::atomic<size_t> child_next{0};
  std::atomic<bool> stop{false};
};
Round *g_round = nullptr;

void on_panic(void *ctx, const char *what) {
  if (!what) fail("panic handler got NULL");
  static_cast<PoolInfo *>(ctx)->panics.fetch_add(1);
  fig.panics.fetch_add(1);
}
void soak_task(void *arg);
// Task destructor: a queued task cancelled instead of run.
void on_cancel(void *ctx, ants_task_fn fn, void *arg) {
  if (fn != soak_task || !arg) fail("task destructor got a foreign task");
  Rec *r = static_cast<Rec *>(arg);
  r->cancelled.fetch_add(1);
  if (r->kind == K_THROW) static_cast<PoolInfo *>(ctx)->cancelled_throws.fetch_add(1);
  fig.cancelled.fetch_add(1);
}
void on_log(void *, const char *msg) {
  if (!msg) fail("logger got NULL");
}

void check_status(int s, const char *what) {
  bool ok = s == ANTS_OK || s == ANTS_ERR_POOL_CLOSED || s == ANTS_ERR_POOL_OVERLOAD ||
            s == ANTS_ERR_TIMEOUT || s == ANTS_ERR_SYSTEM || s == ANTS_ERR_NO_MEMORY;
  if (!ok) fail("%s returned %d (%s)", what, s, ants_strerror(s));
  fig.status_count[-s].fetch_add(1);
}


// mode 0: submit/invoke, 1: *_timeout, 2: group_submit/group_invoke.
int submit_any(PoolInfo &pi, Rec *r, int mode, int64_t timeout_ms, ants_group *g) {
  fig.ops.fetch_add(1);
  fig.submitted.fetch_add(1);
  switch (mode) {
    case 0: return pi.func ? ants_invoke(pi.p, r) : ants_submit(pi.p, soak_task, r);
    case 1:
      return pi.func ? ants_invoke_timeout(pi.p, r, timeout_ms) : ants_submit_timeout(pi.p, soak_task, r, timeout_ms);
    default: return pi.func ? ants_group_invoke(g, pi.p, r) : ants_group_submit(g, pi.p, soak_task, r);
  }
}

void soak_task(void *arg) {
  Rec *r = static_cast<Rec *>(arg);
  r->runs.fetch_add(1);
  fig.run.fetch_add(1);
  switch (r->kind) {
    case K_SLEEP:
      std::this_thread::sleep_for(std::chrono::microseconds(50 + (reinterpret_cast<uintptr_t>(r) >> 4) % 200));
      break;
    case K_THROW:
      throw std::runtime_error("soak task throws on purpose");
    case K_NESTED: {
      Round *rd = g_round;
      size_t i = rd->child_next.fetch_add(1);
      if (i >= rd->child_cap) break;
      Rec *c = &rd->recs[rd->child_base + i];
      c->kind = K_QUICK;
      c->pool = r->pool;
      PoolInfo &pi = *rd->pools[r->pool];
      // Into its own pool: a saturated pool runs it inline, never deadlocks.
      int s = submit_any(pi, c, 0, -1, nullptr);
      check_status(s, "nested submit");
      if (s == ANTS_OK) {
        c->accepted.store(1);
        fig.accepted.fetch_add(1);
        fig.nested.fetch_add(1);
      }
      break;
    }
    default:
      break;
  }
}

// ---------------------------------------------------------------------------
// Round set-up
// ---------------------------------------------------------------------------
void make_pools(Round &rd, std::mt19937 &rng) {
  auto add = [&](int kind, int n, int size, int strategy, bool nonblocking, int maxb, int queue, bool pre,
                 int64_t expiry) {
    auto pi = std::make_unique<PoolInfo>();
    ants_options *o = nullptr;
    if (ants_options_new(&o) != ANTS_OK) fail("options_new");
    ants_options_set_panic_handler(o, on_panic, pi.get());
    ants_options_set_logger(o, on_log, nullptr);
    ants_options_set_nonblocking(o, nonblocking);
    ants_options_set_max_blocking_tasks(o, maxb);
    ants_options_set_queue_size(o, queue);
    ants_options_set_task_destructor(o, on_cancel, pi.get());
    ants_options_set_pre_alloc(o, pre);
    ants_options_set_expiry_ms(o, expiry);
    ants_options_set_thread_name(o, "soak");
    int s;
    switch (kind) {
      case 0: s = ants_pool_new(&pi->p, size, o); break;
      case 1: s = ants_pool_with_func_new(&pi->p, size, soak_task, o); break;
      case 2: s = ants_multipool_new(&pi->p, n, size, strategy, o); break;
      default: s = ants_multipool_with_func_new(&pi->p, n, size, soak_task, strategy, o); break;
    }
    ants_options_free(o);
    if (s != ANTS_OK) fail("pool creation (kind %d) returned %d (%s)", kind, s, ants_strerror(s));
    pi->func = kind == 1 || kind == 3;
    pi->n = kind >= 2 ? n : 1;
    pi->unlimited = size <= 0;
    pi->fixed = pre;
    pi->cap_per.store(size);
    pi->bound_per.store(size);
    rd.pools.push_back(std::move(pi));
  };
  std::uniform_int_distribution<int> cap(2, 12);
  add(0, 1, cap(rng), 0, false, 0, 0, false, 200);                  // plain, blocking
  add(1, 1, 4, 0, true, 0, 0, false, 20);                           // func, nonblocking
  add(2, 3, 4, ANTS_ROUND_ROBIN, false, 0, 0, false, 50);           // multipool
  add(3, 2, 3, ANTS_LEAST_TASKS, false, 0, 4, false, 5);            // multipool with func + queue
  add(0, 1, 3, 0, false, 2, 0, false, 1);                           // max blocking, fast expiry
  add(0, 1, 4, 0, false, 0, 0, true, 100);                          // pre-alloc
  add(1, 1, 0, 0, false, 0, 0, false, 10);                          // unlimited
}

// ---------------------------------------------------------------------------
// Threads of a round
// ---------------------------------------------------------------------------
void submitter(Round &rd, int id, unsigned seed, std::atomic<int64_t> &heartbeat) {
  std::mt19937 rng(seed);
  size_t next = static_cast<size_t>(id) * rd.per_thread, end = next + rd.per_thread;
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  while (!rd.stop.load() && next < end) {
    heartbeat.store(now_ms());
    if (pick(400) == 0) {
      // A group across pools: waits for exactly its own accepted tasks.
      ants_group *g = nullptr;
      int s = ants_group_new(&g);
      if (s != ANTS_OK) {
        check_status(s, "ants_group_new");
        continue;
      }
      fig.groups.fetch_add(1);
      uint64_t throws = 0, members = 0;
      std::vector<Rec *> thrown;
      int count = 2 + pick(16);
      for (int i = 0; i < count && next < end; ++i) {
        Rec *r = &rd.recs[next++];
        r->kind = static_cast<uint8_t>(pick(3));  // quick, sleep, throw
        r->pool = static_cast<uint8_t>(pick(static_cast<int>(rd.pools.size())));
        PoolInfo &pi = *rd.pools[r->pool];
        s = submit_any(pi, r, 2, -1, g);
        check_status(s, "group submit");
        if (s == ANTS_OK) {
          r->accepted.store(1);
          fig.accepted.fetch_add(1);
          ++members;
          if (r->kind == K_THROW) {
            ++throws;
            thrown.push_back(r);
            pi.throws.fetch_add(1);
          }
        }
      }
      s = ants_group_wait(g, kBoundMs);
      if (s != ANTS_OK) fail("group_wait over %llu short tasks returned %d (%s)", (unsigned long long)members, s,
                             ants_strerror(s));
      if (ants_group_pending(g) != 0) fail("group pending %d after wait", ants_group_pending(g));
      // A member cancelled from a queue finished without running (or throwing).
      for (Rec *t : thrown) throws -= t->cancelled.load();
      if (static_cast<uint64_t>(ants_group_panicked(g)) != throws)
        fail("group panicked %d, %llu members threw", ants_group_panicked(g), (unsigned long long)throws);
      ants_group_free(g);
      continue;
    }
    Rec *r = &rd.recs[next++];
    int k = pick(100);
    r->kind = k < 60 ? K_QUICK : k < 80 ? K_SLEEP : k < 90 ? K_THROW : K_NESTED;
    r->pool = static_cast<uint8_t>(pick(static_cast<int>(rd.pools.size())));
    PoolInfo &pi = *rd.pools[r->pool];
    int mode = pick(2);
    int s = submit_any(pi, r, mode, pick(4), nullptr);
    check_status(s, mode ? "submit_timeout" : "submit");
    if (s == ANTS_OK) {
      r->accepted.store(1);
      fig.accepted.fetch_add(1);
      if (r->kind == K_THROW) pi.throws.fetch_add(1);
    }
  }
  heartbeat.store(0);
}

// After a shrink, running must come back under the new capacity even while
// the submitters keep going: surplus workers leave when their task ends.
void settle(PoolInfo &pi) {
  int cap = pi.cap_per.load();
  bool ok = poll_for(kBoundMs, [&] {
    if (pi.n == 1) return ants_running(pi.p) <= cap;
    for (int i = 0; i < pi.n; ++i) {
      int r = 0;
      if (ants_running_by_index(&r, pi.p, i) != ANTS_OK) fail("running_by_index");
      if (r > cap) return false;
    }
    return true;
  });
  if (!ok) fail("running %d stays above cap %d x %d after a shrink", ants_running(pi.p), cap, pi.n);
  pi.bound_per.store(cap);
  fig.shrink_checks.fetch_add(1);
}

void controller(Round &rd, unsigned seed, const Config &cfg) {
  std::mt19937 rng(seed);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  while (!rd.stop.load()) {
    PoolInfo &pi = *rd.pools[static_cast<size_t>(pick(static_cast<int>(rd.pools.size())))];
    int action = pick(10);
    fig.ops.fetch_add(1);
    if (action < 4 && !pi.unlimited && !pi.fixed) {
      int size = 1 + pick(12);
      int old = pi.cap_per.load();
      if (size > old) pi.bound_per.store(std::max(pi.bound_per.load(), size));
      pi.cap_per.store(size);
      ants_tune(pi.p, size);
      fig.tunes.fetch_add(1);
      int want = pi.n * size;
      if (ants_cap(pi.p) != want) fail("ants_cap %d after tune to %d x %d", ants_cap(pi.p), size, pi.n);
      if (size < old) settle(pi);
      else pi.bound_per.store(size);
    } else if (action < 6) {
      ants_release(pi.p);
      fig.releases.fetch_add(1);
      if (!ants_is_closed(pi.p)) fail("not closed after release");
      std::this_thread::sleep_for(std::chrono::microseconds(200));  // let submitters see it closed
      ants_reboot(pi.p);
      fig.reboots.fetch_add(1);
    } else if (action < 7) {
      int s = ants_release_timeout(pi.p, kBoundMs);
      fig.releases.fetch_add(1);
      if (s != ANTS_OK) fail("release_timeout over short tasks returned %d (%s)", s, ants_strerror(s));
      // Closed, and every worker gone: nothing may have started since.
      if (ants_running(pi.p) != 0) fail("running %d after release_timeout", ants_running(pi.p));
      ants_reboot(pi.p);
      fig.reboots.fetch_add(1);
    } else if (action < 8) {
      int out = -1;
      int s = ants_cancel_queued(&out, pi.p);
      if (s != ANTS_OK || out < 0) fail("ants_cancel_queued returned %d (out %d)", s, out);
    } else if (action < 9) {
      int s = ants_wait_idle(pi.p, pick(3));
      fig.wait_idles.fetch_add(1);
      if (s != ANTS_OK && s != ANTS_ERR_TIMEOUT) fail("wait_idle returned %d (%s)", s, ants_strerror(s));
    } else {
#ifdef ANTS_SOAK_FAULTS
      if (cfg.faults) ants_fault_inject(pick(2) ? ANTS_FAULT_THREAD_CREATE : ANTS_FAULT_ALLOC, 1 + pick(3));
#endif
    }
    (void)cfg;
    std::this_thread::sleep_for(std::chrono::microseconds(500 + pick(2000)));
  }
#ifdef ANTS_SOAK_FAULTS
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
#endif
}

void watcher(Round &rd, std::vector<std::atomic<int64_t>> &beats) {
  while (!rd.stop.load()) {
    for (auto &pp : rd.pools) {
      PoolInfo &pi = *pp;
      if (pi.unlimited) continue;
      // bound before and after: a grow raises it before tuning, a settle
      // lowers it only once running is under the new cap.
      int b1 = pi.bound_per.load();
      int run = ants_running(pi.p);
      int b2 = pi.bound_per.load();
      int bound = std::max(b1, b2) * pi.n;
      if (run > bound) fail("capacity exceeded: running %d > %d", run, bound);
    }
    long rss = rss_kb();
    if (rss > fig.max_rss_kb.load()) fig.max_rss_kb.store(rss);
    int th = thread_count();
    if (th > fig.max_threads.load()) fig.max_threads.store(th);
    int64_t now = now_ms();
    for (size_t i = 0; i < beats.size(); ++i) {
      int64_t b = beats[i].load();
      if (b != 0 && now - b > kBoundMs) fail("submitter %zu stuck in one call for %lld ms", i, (long long)(now - b));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void audit(Round &rd, size_t used_per_thread_max) {
  (void)used_per_thread_max;
  size_t total = rd.child_base + std::min(rd.child_next.load(), rd.child_cap);
  for (size_t i = 0; i < total; ++i) {
    Rec &r = rd.recs[i];
    int runs = r.runs.load(), acc = r.accepted.load(), can = r.cancelled.load();
    // Exactly once: run, or (only at the caller's request) cancelled.
    if (runs + can != acc)
      fail("task %zu (kind %d, pool %d): accepted %d, ran %d times, cancelled %d", i, r.kind, r.pool, acc, runs, can);
  }
  for (auto &pp : rd.pools)
    if (pp->panics.load() != pp->throws.load() - pp->cancelled_throws.load())
      fail("panic handler ran %llu times for %llu accepted throwing tasks", (unsigned long long)pp->panics.load(),
           (unsigned long long)pp->throws.load());
}

// Starts a harness thread, retrying while the OS refuses one: under a real
// thread limit (soak_thread_limit) the pools' workers may hold every thread
// the limit allows for a moment, and only the pools must see that.
template <typename... Args>
std::thread start_thread(const Args &...args) {
  for (int tries = 0;; ++tries) {
    try {
      return std::thread(args...);
    } catch (const std::system_error &) {
      if (tries >= 30000) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
}

Config parse(int argc, char **argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> long {
      if (i + 1 >= argc) fail("%s needs a value", a.c_str());
      return std::atol(argv[++i]);
    };
    if (a == "--seconds") c.seconds = static_cast<int>(val());
    else if (a == "--threads") c.threads = static_cast<int>(val());
    else if (a == "--max-rss-mb") c.max_rss_mb = val();
    else if (a == "--seed") c.seed = static_cast<unsigned>(val());
    else if (a == "--no-faults") c.faults = false;
    else {
      std::fprintf(stderr, "usage: %s [--seconds N] [--threads N] [--max-rss-mb N] [--seed N] [--no-faults]\n",
                   argv[0]);
      std::exit(2);
    }
  }
  if (c.max_rss_mb == 0) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    c.max_rss_mb = 3072;  // shadow memory and quarantine
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
    c.max_rss_mb = 3072;
#else
    c.max_rss_mb = 512;
#endif
#else
    c.max_rss_mb = 512;
#endif
  }
  return c;
}

}  // namespace

int main(int argc, char **argv) {
  Config cfg = parse(argc, argv);
#ifndef ANTS_SOAK_FAULTS
  cfg.faults = false;
#endif

  // The default pool first: its workers expire by themselves (within twice
  // the 1 s expiry), and only then is the thread baseline taken.
  {
    ants_pool *d = ants_default_pool();
    if (!d) fail("ants_default_pool returned NULL");
    std::atomic<int> ran{0};
    for (int i = 0; i < 64; ++i) {
      int s = ants_submit(d, [](void *a) { static_cast<std::atomic<int> *>(a)->fetch_add(1); }, &ran);
      if (s != ANTS_OK) fail("default pool submit returned %d", s);
    }
    if (ants_wait_idle(d, kBoundMs) != ANTS_OK || ran.load() != 64) fail("default pool lost tasks");
    if (!poll_for(kBoundMs, [&] { return ants_running(d) == 0; })) fail("default pool workers never expired");
  }
  const int baseline = thread_count();
  const int64_t start = now_ms(), end = start + static_cast<int64_t>(cfg.seconds) * 1000;
  const int64_t round_ms = std::max<int64_t>(1000, std::min<int64_t>(5000, cfg.seconds * 1000 / 4));
  std::mt19937 rng(cfg.seed);
  int rounds = 0;
  long first_round_rss = 0;

  while (now_ms() < end) {
    auto rd = std::make_unique<Round>();
    rd->per_thread = 400000;
    rd->child_base = rd->per_thread * static_cast<size_t>(cfg.threads);
    rd->child_cap = 200000;
    rd->recs.reset(new Rec[rd->child_base + rd->child_cap]);
    make_pools(*rd, rng);
    g_round = rd.get();

    std::vector<std::atomic<int64_t>> beats(static_cast<size_t>(cfg.threads));
    std::vector<std::thread> th;
    for (int i = 0; i < cfg.threads; ++i)
      th.push_back(start_thread(submitter, std::ref(*rd), i, static_cast<unsigned>(rng()),
                                std::ref(beats[static_cast<size_t>(i)])));
    std::thread ctl = start_thread(controller, std::ref(*rd), static_cast<unsigned>(rng()), std::cref(cfg));
    std::thread wat = start_thread(watcher, std::ref(*rd), std::ref(beats));

    int64_t round_end = std::min(end, now_ms() + round_ms);
    while (now_ms() < round_end) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    rd->stop.store(true);
    for (auto &t : th) t.join();
    ctl.join();
    wat.join();

    // Drain and free; accepted tasks all finish before free returns.
    for (auto &pp : rd->pools) {
      int s = ants_wait_idle(pp->p, kBoundMs);
      if (s != ANTS_OK) fail("wait_idle at round end returned %d (%s)", s, ants_strerror(s));
    }
    for (auto &pp : rd->pools) ants_pool_free(pp->p);
    audit(*rd, rd->per_thread);
    if (!poll_for(kBoundMs, [&] { return thread_count() <= baseline; }))
      fail("thread count %d above baseline %d after freeing every pool", thread_count(), baseline);
    long rss = rss_kb();
    if (rss > fig.max_rss_kb.load()) fig.max_rss_kb.store(rss);
    if (rounds == 0) first_round_rss = rss;
    if (fig.max_rss_kb.load() > cfg.max_rss_mb * 1024)
      fail("RSS %ld KiB above the bound of %ld MiB", fig.max_rss_kb.load(), cfg.max_rss_mb);
    ++rounds;
    g_round = nullptr;
    rd.reset();
  }

  int faults = 0;
#ifdef ANTS_SOAK_FAULTS
  faults = ants_fault_hits(ANTS_FAULT_THREAD_CREATE) + ants_fault_hits(ANTS_FAULT_ALLOC);
#endif
  std::printf(
      "soak: PASS seconds=%d threads=%d rounds=%d ops=%llu tasks_submitted=%llu tasks_accepted=%llu "
      "tasks_run=%llu nested=%llu panics=%llu groups=%llu tunes=%llu shrink_checks=%llu releases=%llu "
      "reboots=%llu wait_idles=%llu cancelled=%llu faults_injected=%d overloads=%llu closed=%llu timeouts=%llu "
      "system=%llu no_memory=%llu max_rss_mb=%ld first_round_rss_mb=%ld max_threads=%d baseline_threads=%d\n",
      static_cast<int>((now_ms() - start) / 1000), cfg.threads, rounds, (unsigned long long)fig.ops.load(),
      (unsigned long long)fig.submitted.load(), (unsigned long long)fig.accepted.load(),
      (unsigned long long)fig.run.load(), (unsigned long long)fig.nested.load(),
      (unsigned long long)fig.panics.load(), (unsigned long long)fig.groups.load(),
      (unsigned long long)fig.tunes.load(), (unsigned long long)fig.shrink_checks.load(),
      (unsigned long long)fig.releases.load(), (unsigned long long)fig.reboots.load(),
      (unsigned long long)fig.wait_idles.load(), (unsigned long long)fig.cancelled.load(), faults,
      (unsigned long long)fig.status_count[-ANTS_ERR_POOL_OVERLOAD].load(),
      (unsigned long long)fig.status_count[-ANTS_ERR_POOL_CLOSED].load(),
      (unsigned long long)fig.status_count[-ANTS_ERR_TIMEOUT].load(),
      (unsigned long long)fig.status_count[-ANTS_ERR_SYSTEM].load(),
      (unsigned long long)fig.status_count[-ANTS_ERR_NO_MEMORY].load(), fig.max_rss_kb.load() / 1024,
      first_round_rss / 1024, fig.max_threads.load(), baseline);
  return 0;
}
