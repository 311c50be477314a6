/*
 * test_wait_idle.c - ants_wait_idle (issue 8): wait until no task runs, none
 * is queued and no caller is blocked in submit, without closing the pool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ants.h"
#include "support.h"
#include "support_extra.h"

#define AT_LEAST(elapsed, t) ((elapsed) >= (t)-1) /* now_ms() truncates */
#define PROMPT_MS 5000

typedef struct call_ctx {
  ants_pool *p;
  ants_task_fn fn;
  void *arg;
  int64_t timeout_ms;
} call_ctx;
static int op_wait_idle(void *arg) {
  call_ctx *c = (call_ctx *)arg;
  return ants_wait_idle(c->p, c->timeout_ms);
}
static int op_submit(void *arg) {
  call_ctx *c = (call_ctx *)arg;
  return ants_submit(c->p, c->fn, c->arg);
}

static void fill(ants_pool *p, int size, gate *g) {
  for (int i = 0; i < size; i++) assert_int_equal(ants_submit(p, task_gate_pass, g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g->arrived) == size));
}

static void test_wait_idle_invalid_argument(void **state) {
  (void)state;
  assert_int_equal(ants_wait_idle(NULL, 0), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_wait_idle(NULL, -1), ANTS_ERR_INVALID_ARGUMENT);
}

/* A pool that never ran anything is idle, whatever the timeout. */
static void test_wait_idle_fresh_pool(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, NULL), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, 0), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, 10), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, -1), ANTS_OK);
  ants_pool_free(p);
}

/* Returns once the running tasks end; the pool stays open and usable, its
 * workers alive (unlike release_timeout). */
static void test_wait_idle_returns_when_idle(void **state) {
  (void)state;
  static gate g;
  static atomic_int count;
  static call_ctx ctx;
  static bg_call waiter;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_disable_purge(o, 1), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, o), ANTS_OK);
  ants_options_free(o);
  fill(p, 2, &g);

  assert_int_equal(ants_wait_idle(p, 0), ANTS_ERR_TIMEOUT);
  ctx = (call_ctx){p, NULL, NULL, -1};
  assert_int_equal(bg_call_start(&waiter, op_wait_idle, &ctx), 0);
  assert_true(wait_until(atomic_load(&waiter.started)));
  assert_int_equal(atomic_load(&waiter.done), 0);
  gate_open(&g);
  assert_int_equal(bg_call_join(&waiter), ANTS_OK);
  assert_int_equal(ants_busy(p), 0);
  assert_int_equal(ants_is_closed(p), 0);
  assert_int_equal(ants_running(p), 2); /* workers kept, not shut down */

  assert_int_equal(ants_submit(p, task_count, &count), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&count), 1);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* Still busy at the deadline: TIMEOUT, not before it. */
static void test_wait_idle_timeout(void **state) {
  (void)state;
  static gate g;
  gate_init(&g);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  fill(p, 1, &g);
  int64_t t0 = now_ms();
  assert_int_equal(ants_wait_idle(p, 50), ANTS_ERR_TIMEOUT);
  int64_t elapsed = now_ms() - t0;
  print_message("wait_idle(50) returned after %lld ms\n", (long long)elapsed);
  assert_true(AT_LEAST(elapsed, 50));
  assert_true(elapsed < PROMPT_MS);
  assert_int_equal(ants_is_closed(p), 0);
  gate_open(&g);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* Every task submitted before wait_idle has finished when it returns. */
static void test_wait_idle_sees_every_task(void **state) {
  (void)state;
  static atomic_int count;
  atomic_init(&count, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 3, NULL), ANTS_OK);
  for (int round = 1; round <= 50; round++) {
    for (int i = 0; i < 10; i++) assert_int_equal(ants_submit(p, task_count, &count), ANTS_OK);
    assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
    assert_int_equal(atomic_load(&count), round * 10);
  }
  ants_pool_free(p);
}

/* From inside a task of the pool, waiting for the pool to be idle would wait
 * for the caller itself. */
typedef struct self_wait {
  ants_pool *target;
  atomic_int rc;
  atomic_int ran;
} self_wait;
static void task_wait_idle_on(void *arg) {
  self_wait *s = (self_wait *)arg;
  /* A bounded wait so a wrong engine fails the test instead of hanging. */
  atomic_store(&s->rc, ants_wait_idle(s->target, 3000));
  atomic_store(&s->ran, 1);
}
static void run_self_wait(ants_pool *run_on, ants_pool *target, int want) {
  static self_wait s;
  s.target = target;
  atomic_init(&s.rc, 1);
  atomic_init(&s.ran, 0);
  assert_int_equal(ants_submit(run_on, task_wait_idle_on, &s), ANTS_OK);
  assert_true(wait_until(atomic_load(&s.ran) == 1));
  assert_int_equal(atomic_load(&s.rc), want);
}
static void test_wait_idle_would_deadlock_from_own_task(void **state) {
  (void)state;
  ants_pool *p = NULL, *other = NULL, *mp = NULL;
  assert_int_equal(ants_pool_new(&p, 2, NULL), ANTS_OK);
  assert_int_equal(ants_pool_new(&other, 2, NULL), ANTS_OK);
  assert_int_equal(ants_multipool_new(&mp, 3, 1, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  run_self_wait(p, p, ANTS_ERR_WOULD_DEADLOCK);
  /* Any sub-pool's task is a task of the multipool. */
  for (int i = 0; i < 3; i++) run_self_wait(mp, mp, ANTS_ERR_WOULD_DEADLOCK);
  /* Waiting for ANOTHER (idle) pool from a task is fine. */
  run_self_wait(other, p, ANTS_OK);
  run_self_wait(p, mp, ANTS_OK);
  run_self_wait(mp, other, ANTS_OK);
  assert_int_equal(ants_is_closed(p), 0);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(ants_wait_idle(mp, TEST_DEADLINE_MS), ANTS_OK);
  ants_pool_free(p);
  ants_pool_free(other);
  ants_pool_free(mp);
}

/* A caller blocked in submit keeps the pool from being idle: when the
 * running task ends, the blocked caller's task takes the worker and
 * wait_idle goes on waiting for that one too. */
static void test_wait_idle_counts_blocked_callers(void **state) {
  (void)state;
  static gate ga, gb;
  static call_ctx sub, wctx;
  static bg_call blocked, waiter;
  gate_init(&ga);
  gate_init(&gb);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  fill(p, 1, &ga);
  sub = (call_ctx){p, task_gate_pass, &gb, -1};
  assert_int_equal(bg_call_start(&blocked, op_submit, &sub), 0);
  assert_true(wait_until(ants_waiting(p) == 1));
  assert_int_equal(ants_wait_idle(p, 30), ANTS_ERR_TIMEOUT);

  wctx = (call_ctx){p, NULL, NULL, -1};
  assert_int_equal(bg_call_start(&waiter, op_wait_idle, &wctx), 0);
  assert_true(wait_until(atomic_load(&waiter.started)));
  gate_open(&ga);
  assert_int_equal(bg_call_join(&blocked), ANTS_OK);
  assert_true(wait_until(atomic_load(&gb.arrived) == 1));
  assert_int_equal(atomic_load(&waiter.done), 0);
  assert_int_equal(ants_wait_idle(p, 30), ANTS_ERR_TIMEOUT);
  gate_open(&gb);
  assert_int_equal(bg_call_join(&waiter), ANTS_OK);
  assert_int_equal(ants_waiting(p), 0);
  assert_int_equal(ants_busy(p), 0);
  ants_pool_free(p);
  gate_destroy(&ga);
  gate_destroy(&gb);
}

/* Queued tasks keep the pool from being idle; when wait_idle returns they
 * have all run. */
static void test_wait_idle_counts_queued_tasks(void **state) {
  (void)state;
  static gate g;
  static atomic_int count;
  static call_ctx wctx;
  static bg_call waiter;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 8), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  fill(p, 1, &g);
  for (int i = 0; i < 5; i++) assert_int_equal(ants_submit(p, task_count, &count), ANTS_OK);
  assert_int_equal(ants_queued(p), 5);
  assert_int_equal(ants_wait_idle(p, 30), ANTS_ERR_TIMEOUT);

  wctx = (call_ctx){p, NULL, NULL, -1};
  assert_int_equal(bg_call_start(&waiter, op_wait_idle, &wctx), 0);
  assert_true(wait_until(atomic_load(&waiter.started)));
  gate_open(&g);
  assert_int_equal(bg_call_join(&waiter), ANTS_OK);
  assert_int_equal(atomic_load(&count), 5);
  assert_int_equal(ants_queued(p), 0);
  assert_int_equal(ants_is_closed(p), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* On a multipool, idle means every sub-pool is idle. */
static void test_wait_idle_multipool(void **state) {
  (void)state;
  enum { N = 3 };
  static gate g[N];
  for (int i = 0; i < N; i++) gate_init(&g[i]);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, N, 1, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  for (int i = 0; i < N; i++) {
    assert_int_equal(ants_submit(mp, task_gate_pass, &g[i]), ANTS_OK);
    assert_true(wait_until(atomic_load(&g[i].arrived) == 1));
  }
  assert_int_equal(ants_wait_idle(mp, 30), ANTS_ERR_TIMEOUT);
  gate_open(&g[0]);
  gate_open(&g[2]);
  assert_true(wait_until(ants_busy(mp) == 1));
  assert_int_equal(ants_wait_idle(mp, 30), ANTS_ERR_TIMEOUT);
  gate_open(&g[1]);
  assert_int_equal(ants_wait_idle(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(ants_busy(mp), 0);
  assert_int_equal(ants_is_closed(mp), 0);
  ants_pool_free(mp);
  for (int i = 0; i < N; i++) gate_destroy(&g[i]);
}

/* Several callers may wait at once; all are released. */
static void test_wait_idle_concurrent_waiters(void **state) {
  (void)state;
  enum { W = 4 };
  static gate g;
  static call_ctx wctx;
  static bg_call waiters[W];
  gate_init(&g);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, NULL), ANTS_OK);
  fill(p, 2, &g);
  wctx = (call_ctx){p, NULL, NULL, TEST_DEADLINE_MS};
  for (int i = 0; i < W; i++) assert_int_equal(bg_call_start(&waiters[i], op_wait_idle, &wctx), 0);
  for (int i = 0; i < W; i++) assert_true(wait_until(atomic_load(&waiters[i].started)));
  gate_open(&g);
  for (int i = 0; i < W; i++) assert_int_equal(bg_call_join(&waiters[i]), ANTS_OK);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* A released pool whose tasks are done is idle too. */
static void test_wait_idle_after_release(void **state) {
  (void)state;
  static gate g;
  gate_init(&g);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  fill(p, 1, &g);
  ants_release(p);
  assert_int_equal(ants_wait_idle(p, 30), ANTS_ERR_TIMEOUT);
  gate_open(&g);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  ants_pool_free(p);
  gate_destroy(&g);
}

int main(void) {
  watchdog_install();
  const struct CMUnitTest tests[] = {
      TEST(test_wait_idle_invalid_argument),
      TEST(test_wait_idle_fresh_pool),
      TEST(test_wait_idle_returns_when_idle),
      TEST(test_wait_idle_timeout),
      TEST(test_wait_idle_sees_every_task),
      TEST(test_wait_idle_would_deadlock_from_own_task),
      TEST(test_wait_idle_counts_blocked_callers),
      TEST(test_wait_idle_counts_queued_tasks),
      TEST(test_wait_idle_multipool),
      TEST(test_wait_idle_concurrent_waiters),
      TEST(test_wait_idle_after_release),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
