/*
 * test_submit_timeout.c - submit with a deadline (issue 8), and the bounded
 * task queue it interacts with (ants_options_set_queue_size), including
 * cancelling queued tasks (ants_cancel_queued).
 *
 * The only timing assertions are generous bounds around a deadline the test
 * itself chose: a timed-out submit must not return before its timeout and
 * must return well within a few seconds of it.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ants.h"
#include "support.h"
#include "support_extra.h"

/* now_ms() truncates to whole milliseconds, so a wait of at least T ms can
 * read as T - 1. */
#define AT_LEAST(elapsed, t) ((elapsed) >= (t)-1)
/* Upper bound for "returned in time" / "returned at once": only a hang or a
 * wait for the wrong deadline exceeds it, even under sanitizers. */
#define PROMPT_MS 5000

static ants_pool *new_pool(int size, int nonblocking, int max_blocking, int queue) {
  ants_options *o = NULL;
  ants_pool *p = NULL;
  if (ants_options_new(&o) != ANTS_OK) return NULL;
  ants_options_set_nonblocking(o, nonblocking);
  ants_options_set_max_blocking_tasks(o, max_blocking);
  ants_options_set_queue_size(o, queue);
  int rc = ants_pool_new(&p, size, o);
  ants_options_free(o);
  return rc == ANTS_OK ? p : NULL;
}

/* Calls made on helper threads. */
typedef struct call_ctx {
  ants_pool *p;
  ants_task_fn fn;
  void *arg;
  int64_t timeout_ms;
} call_ctx;
static int op_submit_timeout(void *arg) {
  call_ctx *c = (call_ctx *)arg;
  return ants_submit_timeout(c->p, c->fn, c->arg, c->timeout_ms);
}
static int op_invoke_timeout(void *arg) {
  call_ctx *c = (call_ctx *)arg;
  return ants_invoke_timeout(c->p, c->arg, c->timeout_ms);
}
static int op_submit(void *arg) {
  call_ctx *c = (call_ctx *)arg;
  return ants_submit(c->p, c->fn, c->arg);
}
static int op_pool_free(void *arg) {
  ants_pool_free(((call_ctx *)arg)->p);
  return 0;
}

/* Fills a pool of `size` workers with tasks held on g. */
static void fill(ants_pool *p, int size, gate *g) {
  for (int i = 0; i < size; i++) assert_int_equal(ants_submit(p, task_gate_pass, g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g->arrived) == size));
}

/* ---- Arguments ------------------------------------------------------------ */

static void test_submit_timeout_invalid_arguments(void **state) {
  (void)state;
  static atomic_int count;
  atomic_init(&count, 0);
  ants_pool *p = NULL, *pf = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  assert_int_equal(ants_pool_with_func_new(&pf, 1, task_count, NULL), ANTS_OK);
  assert_int_equal(ants_submit_timeout(NULL, task_count, &count, 10), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_submit_timeout(p, NULL, &count, 10), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_submit_timeout(pf, task_count, &count, 10), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_invoke_timeout(NULL, &count, 10), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_invoke_timeout(p, &count, 10), ANTS_ERR_LACK_POOL_FUNC);
  ants_pool_free(p);
  ants_pool_free(pf);
  assert_int_equal(atomic_load(&count), 0);
}

/* ---- Deadlines ---------------------------------------------------------- */

/* With a worker free, every deadline (none, some, forever) succeeds. */
static void test_submit_timeout_free_worker(void **state) {
  (void)state;
  static atomic_int count;
  atomic_init(&count, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 4, NULL), ANTS_OK);
  assert_int_equal(ants_submit_timeout(p, task_count, &count, 0), ANTS_OK);
  assert_int_equal(ants_submit_timeout(p, task_count, &count, 50), ANTS_OK);
  assert_int_equal(ants_submit_timeout(p, task_count, &count, -1), ANTS_OK);
  assert_int_equal(ants_submit_timeout(p, task_count, &count, INT64_MAX), ANTS_OK);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&count), 4);
  ants_pool_free(p);
}

/* No worker frees up in time: TIMEOUT, not before the deadline, and the
 * task never runs. */
static void test_submit_timeout_times_out(void **state) {
  (void)state;
  static gate g;
  static atomic_int count;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  fill(p, 1, &g);

  int64_t t0 = now_ms();
  assert_int_equal(ants_submit_timeout(p, task_count, &count, 50), ANTS_ERR_TIMEOUT);
  int64_t elapsed = now_ms() - t0;
  print_message("submit_timeout(50) returned after %lld ms\n", (long long)elapsed);
  assert_true(AT_LEAST(elapsed, 50));
  assert_true(elapsed < PROMPT_MS);
  assert_int_equal(ants_waiting(p), 0);

  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&count), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* A worker frees up before the deadline: the waiting caller gets it. */
static void test_submit_timeout_succeeds_when_worker_frees(void **state) {
  (void)state;
  static gate g;
  static atomic_int count;
  static call_ctx ctx;
  static bg_call caller;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  fill(p, 1, &g);

  ctx = (call_ctx){p, task_count, &count, TEST_DEADLINE_MS};
  assert_int_equal(bg_call_start(&caller, op_submit_timeout, &ctx), 0);
  assert_true(wait_until(ants_waiting(p) == 1));
  assert_int_equal(atomic_load(&caller.done), 0);
  gate_open(&g);
  assert_int_equal(bg_call_join(&caller), ANTS_OK);
  assert_true(caller.elapsed_ms < TEST_DEADLINE_MS);
  assert_true(wait_until(atomic_load(&count) == 1));
  assert_int_equal(ants_waiting(p), 0);
  ants_pool_free(p);
  assert_int_equal(atomic_load(&count), 1);
  gate_destroy(&g);
}

/* timeout 0: do not wait at all. */
static void test_submit_timeout_zero_does_not_wait(void **state) {
  (void)state;
  static gate g;
  static atomic_int count;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, NULL), ANTS_OK);
  fill(p, 2, &g);
  int64_t t0 = now_ms();
  for (int i = 0; i < 20; i++)
    assert_int_equal(ants_submit_timeout(p, task_count, &count, 0), ANTS_ERR_TIMEOUT);
  assert_true(now_ms() - t0 < PROMPT_MS);
  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&count), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* A negative timeout waits as long as it takes, and so does a huge one (a
 * deadline computed as now + timeout must not overflow into the past). */
static void run_waits_forever(int64_t timeout_ms) {
  static gate g;
  static atomic_int count;
  static call_ctx ctx;
  static bg_call caller;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  fill(p, 1, &g);
  ctx = (call_ctx){p, task_count, &count, timeout_ms};
  assert_int_equal(bg_call_start(&caller, op_submit_timeout, &ctx), 0);
  assert_true(wait_until(ants_waiting(p) == 1));
  /* Not synchronisation: a check that the caller is still blocked well
   * after any short deadline would have expired. */
  pause_ms(150);
  assert_int_equal(atomic_load(&caller.done), 0);
  assert_int_equal(ants_waiting(p), 1);
  gate_open(&g);
  assert_int_equal(bg_call_join(&caller), ANTS_OK);
  ants_pool_free(p);
  assert_int_equal(atomic_load(&count), 1);
  gate_destroy(&g);
}
static void test_submit_timeout_negative_waits_forever(void **state) {
  (void)state;
  run_waits_forever(-1);
  run_waits_forever(INT64_MIN);
}
static void test_submit_timeout_huge_does_not_overflow(void **state) {
  (void)state;
  run_waits_forever(INT64_MAX);
}

/* A nonblocking pool never waits, whatever the deadline: OVERLOAD at once. */
static void test_submit_timeout_nonblocking_never_waits(void **state) {
  (void)state;
  static gate g;
  static atomic_int count;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_pool *p = new_pool(1, 1, 0, 0);
  assert_non_null(p);
  fill(p, 1, &g);
  int64_t t0 = now_ms();
  assert_int_equal(ants_submit_timeout(p, task_count, &count, TEST_DEADLINE_MS),
                   ANTS_ERR_POOL_OVERLOAD);
  assert_int_equal(ants_submit_timeout(p, task_count, &count, -1), ANTS_ERR_POOL_OVERLOAD);
  assert_int_equal(ants_submit_timeout(p, task_count, &count, 0), ANTS_ERR_POOL_OVERLOAD);
  assert_true(now_ms() - t0 < PROMPT_MS);
  assert_int_equal(ants_waiting(p), 0);
  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&count), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* The blocked-caller quota applies to timed submits too. */
static void test_submit_timeout_max_blocking(void **state) {
  (void)state;
  static gate g;
  static atomic_int count;
  static call_ctx ctx;
  static bg_call caller;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_pool *p = new_pool(1, 0, 1, 0);
  assert_non_null(p);
  fill(p, 1, &g);
  ctx = (call_ctx){p, task_count, &count, -1};
  assert_int_equal(bg_call_start(&caller, op_submit_timeout, &ctx), 0);
  assert_true(wait_until(ants_waiting(p) == 1));
  int64_t t0 = now_ms();
  assert_int_equal(ants_submit_timeout(p, task_count, &count, TEST_DEADLINE_MS),
                   ANTS_ERR_POOL_OVERLOAD);
  assert_true(now_ms() - t0 < PROMPT_MS);
  gate_open(&g);
  assert_int_equal(bg_call_join(&caller), ANTS_OK);
  ants_pool_free(p);
  assert_int_equal(atomic_load(&count), 1);
  gate_destroy(&g);
}

/* Closed pool: POOL_CLOSED, and a caller waiting with a deadline is woken
 * by the release at once rather than at its deadline. */
static void test_submit_timeout_closed(void **state) {
  (void)state;
  static gate g;
  static atomic_int count;
  static call_ctx ctx;
  static bg_call caller;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  fill(p, 1, &g);
  ctx = (call_ctx){p, task_count, &count, 10 * TEST_DEADLINE_MS};
  assert_int_equal(bg_call_start(&caller, op_submit_timeout, &ctx), 0);
  assert_true(wait_until(ants_waiting(p) == 1));
  ants_release(p);
  assert_int_equal(bg_call_join(&caller), ANTS_ERR_POOL_CLOSED);
  assert_true(caller.elapsed_ms < TEST_DEADLINE_MS);
  assert_int_equal(ants_submit_timeout(p, task_count, &count, 10), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(ants_submit_timeout(p, task_count, &count, 0), ANTS_ERR_POOL_CLOSED);
  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&count), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* ants_invoke_timeout on a pool with a function: same deadline rules. */
static void test_invoke_timeout(void **state) {
  (void)state;
  static gate g;
  static call_ctx ctx;
  static bg_call caller;
  gate_init(&g);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_with_func_new(&p, 1, task_gate_pass, NULL), ANTS_OK);
  assert_int_equal(ants_invoke_timeout(p, &g, 0), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 1));

  int64_t t0 = now_ms();
  assert_int_equal(ants_invoke_timeout(p, &g, 50), ANTS_ERR_TIMEOUT);
  int64_t elapsed = now_ms() - t0;
  assert_true(AT_LEAST(elapsed, 50));
  assert_true(elapsed < PROMPT_MS);
  assert_int_equal(ants_invoke_timeout(p, &g, 0), ANTS_ERR_TIMEOUT);

  ctx = (call_ctx){p, NULL, &g, TEST_DEADLINE_MS};
  assert_int_equal(bg_call_start(&caller, op_invoke_timeout, &ctx), 0);
  assert_true(wait_until(ants_waiting(p) == 1));
  gate_open(&g);
  assert_int_equal(bg_call_join(&caller), ANTS_OK);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&g.arrived), 2); /* the timed-out ones never ran */
  assert_int_equal(ants_invoke_timeout(p, &g, 10), ANTS_ERR_POOL_CLOSED);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* A multipool applies the deadline to the sub-pool it picked. */
static void test_submit_timeout_multipool(void **state) {
  (void)state;
  static gate g;
  static atomic_int count;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 2, 1, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  fill(mp, 2, &g);
  int64_t t0 = now_ms();
  assert_int_equal(ants_submit_timeout(mp, task_count, &count, 50), ANTS_ERR_TIMEOUT);
  int64_t elapsed = now_ms() - t0;
  assert_true(AT_LEAST(elapsed, 50));
  assert_true(elapsed < PROMPT_MS);
  gate_open(&g);
  assert_int_equal(ants_submit_timeout(mp, task_count, &count, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&count), 1);
  ants_pool_free(mp);
  gate_destroy(&g);
}

/*
 * Many callers racing short deadlines against workers freeing up: a submit
 * that returned OK ran exactly once, one that returned TIMEOUT never ran.
 * This is where a hand-off racing the deadline would lose or duplicate.
 */
enum { RACE_THREADS = 4, RACE_PER_THREAD = 400 };
typedef struct race_ctx {
  ants_pool *p;
  slots *s;
  int first;
  int rc[RACE_PER_THREAD];
} race_ctx;
static int op_race(void *arg) {
  race_ctx *c = (race_ctx *)arg;
  for (int i = 0; i < RACE_PER_THREAD; i++)
    c->rc[i] = ants_submit_timeout(c->p, task_count, &c->s->n[c->first + i], i % 3);
  return 0;
}
static void test_submit_timeout_exactly_once(void **state) {
  (void)state;
  static slots s;
  static race_ctx ctx[RACE_THREADS];
  static bg_call callers[RACE_THREADS];
  slots_init(&s);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, NULL), ANTS_OK);
  for (int t = 0; t < RACE_THREADS; t++) {
    ctx[t].p = p;
    ctx[t].s = &s;
    ctx[t].first = t * RACE_PER_THREAD;
    assert_int_equal(bg_call_start(&callers[t], op_race, &ctx[t]), 0);
  }
  for (int t = 0; t < RACE_THREADS; t++) bg_call_join(&callers[t]);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  int ok = 0, timed_out = 0;
  for (int t = 0; t < RACE_THREADS; t++) {
    for (int i = 0; i < RACE_PER_THREAD; i++) {
      int rc = ctx[t].rc[i];
      int ran = atomic_load(&s.n[ctx[t].first + i]);
      assert_true(rc == ANTS_OK || rc == ANTS_ERR_TIMEOUT);
      assert_int_equal(ran, rc == ANTS_OK ? 1 : 0);
      if (rc == ANTS_OK) ok++;
      else timed_out++;
    }
  }
  print_message("%d accepted, %d timed out\n", ok, timed_out);
  assert_true(ok > 0);
  ants_pool_free(p);
}

/* ---- Bounded task queue -------------------------------------------------- */

static void test_queue_size_option(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_set_queue_size(NULL, 1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, -1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_queue_size(o, INT_MIN), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_queue_size(o, 0), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 4), ANTS_OK);
  ants_options_free(o);
}

/* No queue (the default): nothing is ever queued; a full pool blocks. */
static void test_queue_default_is_none(void **state) {
  (void)state;
  static gate g;
  static atomic_int count;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  fill(p, 1, &g);
  assert_int_equal(ants_queued(p), 0);
  assert_int_equal(ants_submit_timeout(p, task_count, &count, 0), ANTS_ERR_TIMEOUT);
  assert_int_equal(ants_queued(p), 0);
  gate_open(&g);
  ants_pool_free(p);
  assert_int_equal(atomic_load(&count), 0);
  assert_int_equal(ants_queued(NULL), 0);
  gate_destroy(&g);
}

/* Tasks queue while no worker is free; submit blocks only once the queue
 * is full; every queued task then runs exactly once. */
static void test_queue_tasks_queue_when_no_worker_free(void **state) {
  (void)state;
  static gate g;
  static slots s;
  static call_ctx ctx;
  static bg_call caller;
  gate_init(&g);
  slots_init(&s);
  ants_pool *p = new_pool(1, 0, 0, 3);
  assert_non_null(p);
  fill(p, 1, &g);
  /* submit_timeout(0) proves these do not wait: with a free queue slot they
   * are accepted at once. */
  for (int i = 0; i < 3; i++)
    assert_int_equal(ants_submit_timeout(p, task_count, &s.n[i], 0), ANTS_OK);
  assert_int_equal(ants_queued(p), 3);
  assert_int_equal(ants_waiting(p), 0);
  assert_int_equal(ants_running(p), 1);
  assert_int_equal(ants_busy(p), 1);
  assert_int_equal(slots_sum(&s, 3), 0);

  /* Queue full: the next caller blocks. */
  ctx = (call_ctx){p, task_count, &s.n[3], 0};
  assert_int_equal(bg_call_start(&caller, op_submit, &ctx), 0);
  assert_true(wait_until(ants_waiting(p) == 1));
  assert_int_equal(ants_queued(p), 3);
  assert_int_equal(atomic_load(&caller.done), 0);

  gate_open(&g);
  assert_int_equal(bg_call_join(&caller), ANTS_OK);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(slots_first_not(&s, 4, 1), -1);
  assert_int_equal(ants_queued(p), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* Nonblocking with a queue: overload only when the queue is full. */
static void test_queue_nonblocking_overloads_when_full(void **state) {
  (void)state;
  static gate g;
  static slots s;
  gate_init(&g);
  slots_init(&s);
  ants_pool *p = new_pool(1, 1, 0, 2);
  assert_non_null(p);
  fill(p, 1, &g);
  assert_int_equal(ants_submit(p, task_count, &s.n[0]), ANTS_OK);
  assert_int_equal(ants_submit(p, task_count, &s.n[1]), ANTS_OK);
  assert_int_equal(ants_queued(p), 2);
  assert_int_equal(ants_submit(p, task_count, &s.n[2]), ANTS_ERR_POOL_OVERLOAD);
  assert_int_equal(ants_queued(p), 2);
  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&s.n[0]), 1);
  assert_int_equal(atomic_load(&s.n[1]), 1);
  assert_int_equal(atomic_load(&s.n[2]), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* Queue full: a timed submit times out and its task never runs. */
static void test_queue_submit_timeout_when_full(void **state) {
  (void)state;
  static gate g;
  static slots s;
  gate_init(&g);
  slots_init(&s);
  ants_pool *p = new_pool(1, 0, 0, 1);
  assert_non_null(p);
  fill(p, 1, &g);
  assert_int_equal(ants_submit_timeout(p, task_count, &s.n[0], 50), ANTS_OK);
  int64_t t0 = now_ms();
  assert_int_equal(ants_submit_timeout(p, task_count, &s.n[1], 50), ANTS_ERR_TIMEOUT);
  int64_t elapsed = now_ms() - t0;
  assert_true(AT_LEAST(elapsed, 50));
  assert_true(elapsed < PROMPT_MS);
  assert_int_equal(ants_queued(p), 1);
  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&s.n[0]), 1);
  assert_int_equal(atomic_load(&s.n[1]), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* Release closes the pool but queued tasks were accepted: they still run. */
static void test_queue_release_runs_queued(void **state) {
  (void)state;
  static gate g;
  static slots s;
  gate_init(&g);
  slots_init(&s);
  ants_pool *p = new_pool(1, 0, 0, 4);
  assert_non_null(p);
  fill(p, 1, &g);
  for (int i = 0; i < 3; i++) assert_int_equal(ants_submit(p, task_count, &s.n[i]), ANTS_OK);
  assert_int_equal(ants_queued(p), 3);
  ants_release(p);
  assert_int_equal(ants_is_closed(p), 1);
  assert_int_equal(ants_submit(p, task_count, &s.n[3]), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(ants_release_timeout(p, 50), ANTS_ERR_TIMEOUT); /* task still held */
  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(slots_first_not(&s, 3, 1), -1);
  assert_int_equal(atomic_load(&s.n[3]), 0);
  assert_int_equal(ants_queued(p), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* ants_pool_free runs queued tasks before it returns. */
static void test_queue_pool_free_runs_queued(void **state) {
  (void)state;
  static gate g;
  static slots s;
  static call_ctx ctx;
  static bg_call freer;
  gate_init(&g);
  slots_init(&s);
  ants_pool *p = new_pool(1, 0, 0, 4);
  assert_non_null(p);
  fill(p, 1, &g);
  for (int i = 0; i < 4; i++) assert_int_equal(ants_submit(p, task_count, &s.n[i]), ANTS_OK);
  ctx.p = p;
  assert_int_equal(bg_call_start(&freer, op_pool_free, &ctx), 0);
  assert_true(wait_until(atomic_load(&freer.done) || ants_is_closed(p) == 1));
  assert_int_equal(atomic_load(&freer.done), 0);
  gate_open(&g);
  bg_call_join(&freer);
  assert_int_equal(slots_first_not(&s, 4, 1), -1);
  gate_destroy(&g);
}

/* Growing the pool hands queued tasks to the new room at once. */
static void test_queue_tune_serves_queued(void **state) {
  (void)state;
  static gate g;
  gate_init(&g);
  ants_pool *p = new_pool(1, 0, 0, 4);
  assert_non_null(p);
  fill(p, 1, &g);
  for (int i = 0; i < 3; i++) assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_int_equal(ants_queued(p), 3);
  ants_tune(p, 3);
  assert_true(wait_until(atomic_load(&g.arrived) == 3));
  assert_int_equal(ants_queued(p), 1);
  assert_int_equal(ants_busy(p), 3);
  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&g.arrived), 4);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* A multipool's sub-pools each get the queue; ants_queued sums them. */
static void test_queue_multipool(void **state) {
  (void)state;
  static gate g;
  static slots s;
  gate_init(&g);
  slots_init(&s);
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 2), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 2, 1, ANTS_ROUND_ROBIN, o), ANTS_OK);
  ants_options_free(o);
  fill(mp, 2, &g);
  for (int i = 0; i < 4; i++) assert_int_equal(ants_submit(mp, task_count, &s.n[i]), ANTS_OK);
  assert_int_equal(ants_queued(mp), 4);
  assert_int_equal(ants_submit(mp, task_count, &s.n[4]), ANTS_ERR_POOL_OVERLOAD);
  gate_open(&g);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(slots_first_not(&s, 4, 1), -1);
  assert_int_equal(atomic_load(&s.n[4]), 0);
  ants_pool_free(mp);
  gate_destroy(&g);
}

/* Many submitters through a small pool with a queue: exactly once. */
enum { Q_THREADS = 4, Q_PER_THREAD = 500 };
typedef struct q_ctx {
  ants_pool *p;
  slots *s;
  int first;
  atomic_int failures;
} q_ctx;
static int op_submit_many(void *arg) {
  q_ctx *c = (q_ctx *)arg;
  for (int i = c->first; i < c->first + Q_PER_THREAD; i++)
    if (ants_submit(c->p, task_count, &c->s->n[i]) != ANTS_OK)
      atomic_fetch_add(&c->failures, 1);
  return 0;
}
static void test_queue_exactly_once(void **state) {
  (void)state;
  static slots s;
  static q_ctx ctx[Q_THREADS];
  static bg_call callers[Q_THREADS];
  slots_init(&s);
  ants_pool *p = new_pool(2, 0, 0, 8);
  assert_non_null(p);
  for (int t = 0; t < Q_THREADS; t++) {
    ctx[t].p = p;
    ctx[t].s = &s;
    ctx[t].first = t * Q_PER_THREAD;
    atomic_init(&ctx[t].failures, 0);
    assert_int_equal(bg_call_start(&callers[t], op_submit_many, &ctx[t]), 0);
  }
  for (int t = 0; t < Q_THREADS; t++) {
    bg_call_join(&callers[t]);
    assert_int_equal(atomic_load(&ctx[t].failures), 0);
  }
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(slots_first_not(&s, Q_THREADS * Q_PER_THREAD, 1), -1);
  assert_int_equal(ants_queued(p), 0);
  ants_pool_free(p);
}

/*
 * Bursts separated by idle spells, so each burst meets parked workers with
 * the queue in play (the queue's wake-up chain, not just busy workers,
 * must get every task run): after each burst the pool goes idle with every
 * task of the burst run exactly once.
 */
enum { BURST_THREADS = 2, BURST_PER_THREAD = 60, BURSTS = 25 };
static int op_burst(void *arg) {
  q_ctx *c = (q_ctx *)arg;
  for (int i = c->first; i < c->first + BURST_PER_THREAD; i++)
    if (ants_submit(c->p, task_count, &c->s->n[i]) != ANTS_OK) atomic_fetch_add(&c->failures, 1);
  return 0;
}
static void test_queue_bursts_meet_parked_workers(void **state) {
  (void)state;
  static slots s;
  static q_ctx ctx[BURST_THREADS];
  static bg_call callers[BURST_THREADS];
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 16), ANTS_OK);
  assert_int_equal(ants_options_set_disable_purge(o, 1), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 4, o), ANTS_OK);
  ants_options_free(o);
  for (int b = 0; b < BURSTS; b++) {
    slots_init(&s);
    for (int t = 0; t < BURST_THREADS; t++) {
      ctx[t].p = p;
      ctx[t].s = &s;
      ctx[t].first = t * BURST_PER_THREAD;
      atomic_init(&ctx[t].failures, 0);
      assert_int_equal(bg_call_start(&callers[t], op_burst, &ctx[t]), 0);
    }
    for (int t = 0; t < BURST_THREADS; t++) {
      bg_call_join(&callers[t]);
      assert_int_equal(atomic_load(&ctx[t].failures), 0);
    }
    assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
    assert_int_equal(slots_first_not(&s, BURST_THREADS * BURST_PER_THREAD, 1), -1);
    assert_int_equal(ants_queued(p), 0);
  }
  ants_pool_free(p);
}

/* ---- Cancelling queued tasks -------------------------------------------- */

/* Records what the task destructor was given. */
enum { DTOR_MAX = 64 };
typedef struct dtor_log {
  pthread_mutex_t mu;
  int n;
  ants_task_fn fn[DTOR_MAX];
  void *arg[DTOR_MAX];
  pthread_t thread[DTOR_MAX];
} dtor_log;
static dtor_log dlog = {PTHREAD_MUTEX_INITIALIZER, 0, {0}, {0}, {0}};
static void record_dtor(void *ctx, ants_task_fn fn, void *arg) {
  dtor_log *d = (dtor_log *)ctx;
  pthread_mutex_lock(&d->mu);
  if (d->n < DTOR_MAX) {
    d->fn[d->n] = fn;
    d->arg[d->n] = arg;
    d->thread[d->n] = pthread_self();
  }
  d->n++;
  pthread_mutex_unlock(&d->mu);
}
static void dtor_log_reset(void) {
  pthread_mutex_lock(&dlog.mu);
  dlog.n = 0;
  pthread_mutex_unlock(&dlog.mu);
}
/* How many times the destructor got arg (-1 if it got a wrong fn for it). */
static int dtor_calls_for(ants_task_fn fn, void *arg) {
  int hits = 0;
  pthread_mutex_lock(&dlog.mu);
  for (int i = 0; i < dlog.n && i < DTOR_MAX; i++) {
    if (dlog.arg[i] != arg) continue;
    hits = dlog.fn[i] == fn && hits >= 0 ? hits + 1 : -1;
  }
  pthread_mutex_unlock(&dlog.mu);
  return hits;
}
static int dtor_count(void) {
  pthread_mutex_lock(&dlog.mu);
  int n = dlog.n;
  pthread_mutex_unlock(&dlog.mu);
  return n;
}

static ants_pool *new_queue_pool(int size, int queue, int with_dtor) {
  ants_options *o = NULL;
  ants_pool *p = NULL;
  if (ants_options_new(&o) != ANTS_OK) return NULL;
  ants_options_set_queue_size(o, queue);
  if (with_dtor) ants_options_set_task_destructor(o, record_dtor, &dlog);
  int rc = ants_pool_new(&p, size, o);
  ants_options_free(o);
  return rc == ANTS_OK ? p : NULL;
}

static void test_cancel_queued_invalid_arguments(void **state) {
  (void)state;
  int n = 7;
  assert_int_equal(ants_cancel_queued(&n, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_task_destructor(NULL, record_dtor, &dlog),
                   ANTS_ERR_INVALID_ARGUMENT);
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_task_destructor(o, record_dtor, &dlog), ANTS_OK);
  assert_int_equal(ants_options_set_task_destructor(o, NULL, NULL), ANTS_OK);
  ants_options_free(o);
}

/* Nothing queued, or no queue at all: nothing to cancel. */
static void test_cancel_queued_nothing(void **state) {
  (void)state;
  static gate g;
  gate_init(&g);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  fill(p, 1, &g);
  int n = 7;
  assert_int_equal(ants_cancel_queued(&n, p), ANTS_OK);
  assert_int_equal(n, 0);
  assert_int_equal(ants_cancel_queued(NULL, p), ANTS_OK);
  gate_open(&g);
  ants_pool_free(p);
  ants_pool *q = new_queue_pool(2, 4, 0);
  assert_non_null(q);
  assert_int_equal(ants_cancel_queued(&n, q), ANTS_OK);
  assert_int_equal(n, 0);
  ants_pool_free(q);
  gate_destroy(&g);
}

/* Queued tasks go to the destructor (once each, with their fn and arg, on
 * the cancelling thread) instead of running; the running task is untouched
 * and the pool goes on working. */
static void test_cancel_queued_runs_destructor(void **state) {
  (void)state;
  static gate g;
  static slots s;
  gate_init(&g);
  slots_init(&s);
  dtor_log_reset();
  ants_pool *p = new_queue_pool(1, 4, 1);
  assert_non_null(p);
  fill(p, 1, &g);
  for (int i = 0; i < 3; i++) assert_int_equal(ants_submit(p, task_count, &s.n[i]), ANTS_OK);
  assert_int_equal(ants_queued(p), 3);
  int n = 0;
  assert_int_equal(ants_cancel_queued(&n, p), ANTS_OK);
  assert_int_equal(n, 3);
  assert_int_equal(ants_queued(p), 0);
  assert_int_equal(dtor_count(), 3);
  for (int i = 0; i < 3; i++) assert_int_equal(dtor_calls_for(task_count, &s.n[i]), 1);
  pthread_mutex_lock(&dlog.mu);
  int same_thread = 1;
  for (int i = 0; i < 3; i++) same_thread &= pthread_equal(dlog.thread[i], pthread_self()) != 0;
  pthread_mutex_unlock(&dlog.mu);
  assert_true(same_thread);
  assert_int_equal(ants_busy(p), 1); /* the running task was not touched */

  gate_open(&g);
  assert_int_equal(ants_submit(p, task_count, &s.n[3]), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(slots_sum(&s, 3), 0); /* cancelled ones never ran */
  assert_int_equal(atomic_load(&s.n[3]), 1);
  assert_int_equal(atomic_load(&g.arrived), 1);
  assert_int_equal(dtor_count(), 3);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* Without a destructor cancelled tasks are simply dropped. */
static void test_cancel_queued_without_destructor(void **state) {
  (void)state;
  static gate g;
  static slots s;
  gate_init(&g);
  slots_init(&s);
  ants_pool *p = new_queue_pool(1, 2, 0);
  assert_non_null(p);
  fill(p, 1, &g);
  for (int i = 0; i < 2; i++) assert_int_equal(ants_submit(p, task_count, &s.n[i]), ANTS_OK);
  int n = 0;
  assert_int_equal(ants_cancel_queued(&n, p), ANTS_OK);
  assert_int_equal(n, 2);
  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(slots_sum(&s, 2), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* A cancelled group member counts as finished (not as panicked): the group's
 * wait is not held up by a task that will never run. */
static void test_cancel_queued_group_members(void **state) {
  (void)state;
  static gate g;
  static slots s;
  gate_init(&g);
  slots_init(&s);
  dtor_log_reset();
  ants_pool *p = new_queue_pool(1, 4, 1);
  assert_non_null(p);
  ants_group *grp = NULL;
  assert_int_equal(ants_group_new(&grp), ANTS_OK);
  assert_int_equal(ants_group_submit(grp, p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 1));
  for (int i = 0; i < 3; i++)
    assert_int_equal(ants_group_submit(grp, p, task_count, &s.n[i]), ANTS_OK);
  assert_int_equal(ants_group_pending(grp), 4);
  int n = 0;
  assert_int_equal(ants_cancel_queued(&n, p), ANTS_OK);
  assert_int_equal(n, 3);
  assert_int_equal(ants_group_pending(grp), 1);
  assert_int_equal(ants_group_wait(grp, 30), ANTS_ERR_TIMEOUT); /* the running one */
  gate_open(&g);
  assert_int_equal(ants_group_wait(grp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(ants_group_pending(grp), 0);
  assert_int_equal(ants_group_panicked(grp), 0);
  assert_int_equal(slots_sum(&s, 3), 0);
  assert_int_equal(dtor_count(), 3);
  ants_group_free(grp);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* A caller blocked on the full queue is let in by the room a cancel makes:
 * it returns OK, and its task then either runs or is cancelled - exactly
 * one of the two. */
static void test_cancel_queued_admits_blocked_caller(void **state) {
  (void)state;
  static gate g;
  static slots s;
  static call_ctx ctx;
  static bg_call caller;
  gate_init(&g);
  slots_init(&s);
  dtor_log_reset();
  ants_pool *p = new_queue_pool(1, 2, 1);
  assert_non_null(p);
  fill(p, 1, &g);
  for (int i = 0; i < 2; i++) assert_int_equal(ants_submit(p, task_count, &s.n[i]), ANTS_OK);
  ctx = (call_ctx){p, task_count, &s.n[2], 0};
  assert_int_equal(bg_call_start(&caller, op_submit, &ctx), 0);
  assert_true(wait_until(ants_waiting(p) == 1));
  int n = 0;
  assert_int_equal(ants_cancel_queued(&n, p), ANTS_OK);
  assert_int_equal(bg_call_join(&caller), ANTS_OK);
  assert_int_equal(ants_waiting(p), 0);
  gate_open(&g);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  for (int i = 0; i < 3; i++)
    assert_int_equal(atomic_load(&s.n[i]) + dtor_calls_for(task_count, &s.n[i]), 1);
  assert_int_equal(n, dtor_count());
  assert_true(n >= 2);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* On a multipool, every sub-pool's queue is cancelled; *out is the total. */
static void test_cancel_queued_multipool(void **state) {
  (void)state;
  static gate g;
  static slots s;
  gate_init(&g);
  slots_init(&s);
  dtor_log_reset();
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 2), ANTS_OK);
  assert_int_equal(ants_options_set_task_destructor(o, record_dtor, &dlog), ANTS_OK);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 2, 1, ANTS_ROUND_ROBIN, o), ANTS_OK);
  ants_options_free(o);
  fill(mp, 2, &g);
  for (int i = 0; i < 4; i++) assert_int_equal(ants_submit(mp, task_count, &s.n[i]), ANTS_OK);
  assert_int_equal(ants_queued(mp), 4);
  int n = 0;
  assert_int_equal(ants_cancel_queued(&n, mp), ANTS_OK);
  assert_int_equal(n, 4);
  assert_int_equal(ants_queued(mp), 0);
  gate_open(&g);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(slots_sum(&s, 4), 0);
  for (int i = 0; i < 4; i++) assert_int_equal(dtor_calls_for(task_count, &s.n[i]), 1);
  ants_pool_free(mp);
  gate_destroy(&g);
}

int main(void) {
  watchdog_install();
  const struct CMUnitTest tests[] = {
      TEST(test_submit_timeout_invalid_arguments),
      TEST(test_submit_timeout_free_worker),
      TEST(test_submit_timeout_times_out),
      TEST(test_submit_timeout_succeeds_when_worker_frees),
      TEST(test_submit_timeout_zero_does_not_wait),
      TEST(test_submit_timeout_negative_waits_forever),
      TEST(test_submit_timeout_huge_does_not_overflow),
      TEST(test_submit_timeout_nonblocking_never_waits),
      TEST(test_submit_timeout_max_blocking),
      TEST(test_submit_timeout_closed),
      TEST(test_invoke_timeout),
      TEST(test_submit_timeout_multipool),
      TEST(test_submit_timeout_exactly_once),
      TEST(test_queue_size_option),
      TEST(test_queue_default_is_none),
      TEST(test_queue_tasks_queue_when_no_worker_free),
      TEST(test_queue_nonblocking_overloads_when_full),
      TEST(test_queue_submit_timeout_when_full),
      TEST(test_queue_release_runs_queued),
      TEST(test_queue_pool_free_runs_queued),
      TEST(test_queue_tune_serves_queued),
      TEST(test_queue_multipool),
      TEST(test_queue_exactly_once),
      TEST(test_queue_bursts_meet_parked_workers),
      TEST(test_cancel_queued_invalid_arguments),
      TEST(test_cancel_queued_nothing),
      TEST(test_cancel_queued_runs_destructor),
      TEST(test_cancel_queued_without_destructor),
      TEST(test_cancel_queued_group_members),
      TEST(test_cancel_queued_admits_blocked_caller),
      TEST(test_cancel_queued_multipool),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
