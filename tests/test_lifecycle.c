/*
 * test_lifecycle.c - nothing hangs and nothing is left behind at the end of
 * a pool's life: every ants_pool_free brings the process back to its thread
 * count, callers blocked in submit are woken with ANTS_ERR_POOL_CLOSED by
 * free and by release, and accepted tasks (queued ones too) still run once.
 * Linked against the shipped libants.so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <ants.h>

#include "support.h"

static int baseline_threads;
static int record_baseline(void **state) {
  (void)state;
  warm_up_threads();
  baseline_threads = thread_count();
  return 0;
}
static void assert_threads_at_baseline(void) {
  assert_true(wait_until(thread_count() <= baseline_threads));
}

enum { KIND_PLAIN, KIND_FUNC, KIND_MULTI_RR, KIND_MULTI_LT, KIND_COUNT };

/* Pools whose function is task_gate_pass, so invoke(arg = gate) blocks. */
static ants_pool *make_pool(int kind, int size, const ants_options *o) {
  ants_pool *p = NULL;
  int rc;
  switch (kind) {
    case KIND_PLAIN: rc = ants_pool_new(&p, size, o); break;
    case KIND_FUNC: rc = ants_pool_with_func_new(&p, size, task_gate_pass, o); break;
    case KIND_MULTI_RR: rc = ants_multipool_new(&p, 3, size, ANTS_ROUND_ROBIN, o); break;
    default: rc = ants_multipool_with_func_new(&p, 3, size, task_gate_pass, ANTS_LEAST_TASKS, o); break;
  }
  assert_int_equal(rc, ANTS_OK);
  return p;
}
static int is_func(int kind) { return kind == KIND_FUNC || kind == KIND_MULTI_LT; }
static int sub_pools(int kind) { return kind >= KIND_MULTI_RR ? 3 : 1; }

static int submit_gated(ants_pool *p, int kind, gate *g) {
  return is_func(kind) ? ants_invoke(p, g) : ants_submit(p, task_gate_pass, g);
}

struct caller {
  ants_pool *pool;
  int kind;
  gate *g;
  atomic_int done;
  int status;
  pthread_t thread;
};

static void *caller_main(void *arg) {
  struct caller *c = arg;
  c->status = submit_gated(c->pool, c->kind, c->g);
  atomic_store(&c->done, 1);
  return NULL;
}

static void start_caller(struct caller *c, ants_pool *p, int kind, gate *g) {
  c->pool = p;
  c->kind = kind;
  c->g = g;
  c->status = 1;
  atomic_init(&c->done, 0);
  assert_int_equal(pthread_create(&c->thread, NULL, caller_main, c), 0);
}

enum { CALLERS = 4 };

struct opener {
  struct caller *callers;
  int n;
  gate *g;
  int all_woken;
};

/* Opens the gate once every blocked caller has returned. If free waited for
 * the workers before waking the callers, this never happens and the test's
 * deadline reports it instead of hanging. */
static void *opener_main(void *arg) {
  struct opener *op = arg;
  int ok = 1;
  for (int i = 0; i < op->n; ++i) ok &= wait_until(atomic_load(&op->callers[i].done) == 1);
  op->all_woken = ok;
  gate_open(op->g);
  return NULL;
}

/* Saturates a pool with gated tasks, blocks CALLERS callers in submit, then
 * frees (or releases) the pool: every caller gets ANTS_ERR_POOL_CLOSED and
 * the accepted tasks still run. */
static void blocked_callers_woken(int kind, int by_free) {
  ants_pool *p = make_pool(kind, 1, NULL);
  gate g;
  gate_init(&g);
  int n = sub_pools(kind);
  for (int i = 0; i < n; ++i) assert_int_equal(submit_gated(p, kind, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == n));
  struct caller callers[CALLERS];
  for (int i = 0; i < CALLERS; ++i) start_caller(&callers[i], p, kind, &g);
  assert_true(wait_until(ants_waiting(p) == CALLERS));

  struct opener op = {callers, CALLERS, &g, 0};
  pthread_t opener;
  assert_int_equal(pthread_create(&opener, NULL, opener_main, &op), 0);
  if (by_free) {
    ants_pool_free(p);
  } else {
    ants_release(p);
    assert_true(wait_until(atomic_load(&g.arrived) == n));
  }
  pthread_join(opener, NULL);
  assert_true(op.all_woken);
  for (int i = 0; i < CALLERS; ++i) {
    pthread_join(callers[i].thread, NULL);
    assert_int_equal(callers[i].status, ANTS_ERR_POOL_CLOSED);
  }
  if (!by_free) {
    assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
    assert_int_equal(ants_running(p), 0);
    ants_pool_free(p);
  }
  /* Only the accepted tasks went through the gate. */
  assert_int_equal(atomic_load(&g.arrived), n);
  gate_destroy(&g);
  assert_threads_at_baseline();
}

static void test_pool_free_wakes_blocked_submitters(void **state) {
  (void)state;
  for (int k = 0; k < KIND_COUNT; ++k) blocked_callers_woken(k, 1);
}

static void test_release_wakes_blocked_submitters(void **state) {
  (void)state;
  for (int k = 0; k < KIND_COUNT; ++k) blocked_callers_woken(k, 0);
}

/* Many workers, every kind of pool: free returns only when all of them
 * have exited, so the thread count is back at once (polled, since /proc may
 * lag a thread's last instructions). */
static void test_thread_count_back_to_baseline_after_every_free(void **state) {
  (void)state;
  for (int round = 0; round < 3; ++round) {
    for (int k = 0; k < KIND_COUNT; ++k) {
      ants_options *o = NULL;
      assert_int_equal(ants_options_new(&o), ANTS_OK);
      assert_int_equal(ants_options_set_disable_purge(o, round == 1), ANTS_OK);
      ants_pool *p = make_pool(k, round == 2 ? 0 : 8, o);
      ants_options_free(o);
      gate g;
      gate_init(&g);
      int n = round == 2 ? 40 : 8 * sub_pools(k);
      if (k == KIND_MULTI_RR && round != 2) n = 8 * 3;
      int accepted = 0;
      for (int i = 0; i < n; ++i) accepted += submit_gated(p, k, &g) == ANTS_OK;
      assert_int_equal(accepted, n);
      assert_true(wait_until(atomic_load(&g.arrived) == n));
      assert_true(thread_count() >= baseline_threads + n);
      gate_open(&g);
      ants_pool_free(p);
      gate_destroy(&g);
      assert_threads_at_baseline();
    }
  }
}

/* Idle workers expire by themselves: the thread count comes back without
 * any free, and the pool still works afterwards. */
static void test_expired_workers_leave_no_thread(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, 10), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 16, o), ANTS_OK);
  ants_options_free(o);
  gate g;
  gate_init(&g);
  for (int i = 0; i < 16; ++i) assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 16));
  gate_open(&g);
  assert_true(wait_until(ants_running(p) == 0));
  assert_threads_at_baseline();
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  ants_pool_free(p);
  gate_destroy(&g);
  assert_threads_at_baseline();
}

/* Tasks accepted into the optional queue run before free returns. */
static void test_pool_free_runs_queued_tasks(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 5), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 1));
  for (int i = 0; i < 5; ++i) assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_queued(p), 5);
  struct opener op = {NULL, 0, &g, 0};
  pthread_t opener;
  assert_int_equal(pthread_create(&opener, NULL, opener_main, &op), 0);
  ants_pool_free(p);
  pthread_join(opener, NULL);
  assert_int_equal(atomic_load(&ran), 5);
  gate_destroy(&g);
  assert_threads_at_baseline();
}

struct self_free {
  ants_pool *pool;
  gate submitted; /* opened once ants_submit has returned */
  atomic_int returned;
};
/* Waits until the submitter is out of ants_submit: freeing a pool while
 * another thread is still inside a call on it is a use after free by the
 * caller ("the handle must not be used afterwards"). */
static void task_free_own_pool(void *arg) {
  struct self_free *sf = arg;
  gate_pass(&sf->submitted);
  ants_pool_free(sf->pool);
  atomic_store(&sf->returned, 1);
}

/* ants_pool_free from a task of the pool itself returns at once, and the
 * pool goes away with its last worker: no hang, no thread left. */
static void test_pool_free_from_own_task(void **state) {
  (void)state;
  for (int k = 0; k < 2; ++k) {
    struct self_free sf;
    atomic_init(&sf.returned, 0);
    gate_init(&sf.submitted);
    if (k == 0)
      assert_int_equal(ants_pool_new(&sf.pool, 2, NULL), ANTS_OK);
    else
      assert_int_equal(ants_multipool_new(&sf.pool, 2, 2, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
    assert_int_equal(ants_submit(sf.pool, task_free_own_pool, &sf), ANTS_OK);
    gate_open(&sf.submitted);
    assert_true(wait_until(atomic_load(&sf.returned) == 1));
    assert_threads_at_baseline();
    gate_destroy(&sf.submitted);
  }
}

/* A group freed while its tasks are pending waits for them. */
static void test_group_free_waits_for_pending_tasks(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 4, NULL), ANTS_OK);
  ants_group *grp = NULL;
  assert_int_equal(ants_group_new(&grp), ANTS_OK);
  gate g;
  gate_init(&g);
  for (int i = 0; i < 4; ++i) assert_int_equal(ants_group_submit(grp, p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 4));
  assert_int_equal(ants_group_pending(grp), 4);
  assert_int_equal(ants_group_wait(grp, 1), ANTS_ERR_TIMEOUT);
  struct opener op = {NULL, 0, &g, 0};
  pthread_t opener;
  assert_int_equal(pthread_create(&opener, NULL, opener_main, &op), 0);
  ants_group_free(grp);
  pthread_join(opener, NULL);
  ants_pool_free(p);
  gate_destroy(&g);
  assert_threads_at_baseline();
}

/* Release, reboot and release_timeout cycles leave no thread behind. */
static void test_release_reboot_cycles_leave_no_thread(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_multipool_new(&p, 2, 4, ANTS_LEAST_TASKS, NULL), ANTS_OK);
  atomic_int ran;
  atomic_init(&ran, 0);
  int accepted = 0;
  for (int cycle = 0; cycle < 20; ++cycle) {
    for (int i = 0; i < 16; ++i) accepted += ants_submit(p, task_count, &ran) == ANTS_OK;
    if (cycle % 2) {
      ants_release(p);
      assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_CLOSED);
    }
    assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
    assert_int_equal(ants_running(p), 0);
    assert_threads_at_baseline();
    ants_reboot(p);
  }
  assert_int_equal(accepted, 20 * 16);
  assert_int_equal(atomic_load(&ran), accepted);
  ants_pool_free(p);
  assert_threads_at_baseline();
}

/* A worker's on_exit hook that takes a while (a binding detaching the
 * thread from its VM): it widens the moment when an expiring worker has
 * decided to exit but still counts as running. */
static void slow_exit_hook(void *ctx) {
  (void)ctx;
  struct timespec ts = {0, 300000};
  nanosleep(&ts, NULL);
}

/* A task accepted into the queue while the only worker is on its way out
 * must still run: no worker may be left that never looks at the queue. The
 * submitter paces itself near the expiry so that submits land in that
 * moment (not synchronisation: a miss only makes the test weaker). */
static void test_queued_task_not_stranded_by_exiting_worker(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 4), ANTS_OK);
  assert_int_equal(ants_options_set_worker_hooks(o, NULL, slow_exit_hook, NULL), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  atomic_int ran;
  atomic_init(&ran, 0);
  int accepted = 0;
  for (int i = 0; i < 400; ++i) {
    accepted += ants_submit(p, task_count, &ran) == ANTS_OK;
    struct timespec ts = {0, 900000 + (i % 200) * 1000L};
    nanosleep(&ts, NULL);
    if (i % 20 == 19) {
      assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
      assert_int_equal(atomic_load(&ran), accepted);
    }
  }
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), accepted);
  assert_int_equal(ants_queued(p), 0);
  ants_pool_free(p);
  assert_threads_at_baseline();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_pool_free_wakes_blocked_submitters, record_baseline),
      cmocka_unit_test_setup(test_release_wakes_blocked_submitters, record_baseline),
      cmocka_unit_test_setup(test_thread_count_back_to_baseline_after_every_free, record_baseline),
      cmocka_unit_test_setup(test_expired_workers_leave_no_thread, record_baseline),
      cmocka_unit_test_setup(test_pool_free_runs_queued_tasks, record_baseline),
      cmocka_unit_test_setup(test_pool_free_from_own_task, record_baseline),
      cmocka_unit_test_setup(test_group_free_waits_for_pending_tasks, record_baseline),
      cmocka_unit_test_setup(test_release_reboot_cycles_leave_no_thread, record_baseline),
      cmocka_unit_test_setup(test_queued_task_not_stranded_by_exiting_worker, record_baseline),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
