/*
 * test_multipool.c - multipools (issue 3): n independent sub-pools behind
 * one ants_pool handle, spread by round-robin or least-tasks.
 *
 * Which sub-pool ran a task is observed through the *_by_index getters while
 * the task is held on a gate, so nothing here depends on timing.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ants.h"
#include "support.h"
#include "support_extra.h"

/* A getter's value, or INT_MIN if it failed (real values are >= -1). */
typedef int (*by_index_fn)(int *out, const ants_pool *p, int index);
static int getv(by_index_fn get, const ants_pool *p, int index) {
  int v = INT_MIN;
  return get(&v, p, index) == ANTS_OK ? v : INT_MIN;
}
static int busy_at(const ants_pool *p, int i) { return getv(ants_busy_by_index, p, i); }
static int running_at(const ants_pool *p, int i) {
  return getv(ants_running_by_index, p, i);
}
static int waiting_at(const ants_pool *p, int i) {
  return getv(ants_waiting_by_index, p, i);
}
static int available_at(const ants_pool *p, int i) {
  return getv(ants_available_by_index, p, i);
}

/* Asserts that sub-pool i has want[i] busy workers, for each of n. */
static void assert_busy_vector(const ants_pool *p, int n, const int *want) {
  for (int i = 0; i < n; i++) {
    if (busy_at(p, i) != want[i]) print_error("sub-pool %d: busy %d, want %d\n", i,
                                              busy_at(p, i), want[i]);
    assert_int_equal(busy_at(p, i), want[i]);
  }
}

/* A blocking submit of a gate task, run on a helper thread. */
typedef struct submit_ctx {
  ants_pool *p;
  gate *g;
} submit_ctx;
static int op_submit_gate(void *arg) {
  submit_ctx *c = (submit_ctx *)arg;
  return ants_submit(c->p, task_gate_pass, c->g);
}
static int op_pool_free(void *arg) {
  ants_pool_free((ants_pool *)arg);
  return 0;
}

/* ---- Creation --------------------------------------------------------- */

static void test_multi_pool_invalid_size(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_multipool_new(&p, 0, 5, ANTS_ROUND_ROBIN, NULL),
                   ANTS_ERR_INVALID_MULTI_POOL_SIZE);
  assert_int_equal(ants_multipool_new(&p, -1, 5, ANTS_LEAST_TASKS, NULL),
                   ANTS_ERR_INVALID_MULTI_POOL_SIZE);
  assert_int_equal(ants_multipool_with_func_new(&p, 0, 5, task_count, ANTS_ROUND_ROBIN, NULL),
                   ANTS_ERR_INVALID_MULTI_POOL_SIZE);
  assert_int_equal(
      ants_multipool_with_func_new(&p, INT_MIN, 5, task_count, ANTS_LEAST_TASKS, NULL),
      ANTS_ERR_INVALID_MULTI_POOL_SIZE);
  assert_null(p);
}

static void test_multi_pool_invalid_strategy(void **state) {
  (void)state;
  static const int bad[] = {0, 3, -1, 99, INT_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ants_pool *p = NULL;
    assert_int_equal(ants_multipool_new(&p, 2, 5, bad[i], NULL),
                     ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY);
    assert_int_equal(ants_multipool_with_func_new(&p, 2, 5, task_count, bad[i], NULL),
                     ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY);
    assert_null(p);
  }
}

static void test_multi_pool_invalid_arguments(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_multipool_new(NULL, 2, 5, ANTS_ROUND_ROBIN, NULL),
                   ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_multipool_with_func_new(NULL, 2, 5, task_count, ANTS_ROUND_ROBIN, NULL),
                   ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_multipool_with_func_new(&p, 2, 5, NULL, ANTS_ROUND_ROBIN, NULL),
                   ANTS_ERR_LACK_POOL_FUNC);
  assert_null(p);

  /* Sub-pools inherit the options, so pre-alloc needs a positive size. */
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_pre_alloc(o, 1), ANTS_OK);
  assert_int_equal(ants_multipool_new(&p, 2, 0, ANTS_ROUND_ROBIN, o),
                   ANTS_ERR_INVALID_PRE_ALLOC_SIZE);
  assert_int_equal(ants_multipool_new(&p, 2, -1, ANTS_LEAST_TASKS, o),
                   ANTS_ERR_INVALID_PRE_ALLOC_SIZE);
  assert_null(p);
  assert_int_equal(ants_multipool_new(&p, 2, 3, ANTS_LEAST_TASKS, o), ANTS_OK);
  assert_int_equal(ants_cap(p), 6);
  ants_tune(p, 5); /* a no-op on pre-alloc sub-pools */
  assert_int_equal(ants_cap(p), 6);
  ants_pool_free(p);
  ants_options_free(o);
}

/* Submitting the wrong kind of task to a multipool is refused like on a pool. */
static void test_multi_pool_wrong_task_kind(void **state) {
  (void)state;
  static atomic_int count;
  atomic_init(&count, 0);
  ants_pool *plain = NULL, *with_func = NULL;
  assert_int_equal(ants_multipool_new(&plain, 2, 2, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  assert_int_equal(ants_multipool_with_func_new(&with_func, 2, 2, task_count, ANTS_ROUND_ROBIN,
                                                NULL),
                   ANTS_OK);
  assert_int_equal(ants_invoke(plain, &count), ANTS_ERR_LACK_POOL_FUNC);
  assert_int_equal(ants_submit(with_func, task_count, &count), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_submit(plain, NULL, &count), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_invoke(with_func, &count), ANTS_OK);
  assert_int_equal(ants_release_timeout(with_func, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&count), 1);
  ants_pool_free(plain);
  ants_pool_free(with_func);
}

/* ---- ants' TestMultiPool* twins --------------------------------------- */

/*
 * ants' twin: 10 sub-pools of 5, 50 long-running tasks fill every sub-pool
 * exactly; the aggregates and every by-index getter agree; ReleaseTimeout
 * closes; Reboot reopens and the same checks pass again.
 */
typedef int (*give_fn)(ants_pool *p, gate *g);
static int give_submit(ants_pool *p, gate *g) { return ants_submit(p, task_gate_pass, g); }
static int give_invoke(ants_pool *p, gate *g) { return ants_invoke(p, g); }

static void run_full_multipool_round(ants_pool *mp, give_fn give, gate *g) {
  enum { N = 10, SIZE = 5, TASKS = N * SIZE };
  gate_init(g);
  for (int i = 0; i < TASKS; i++) assert_int_equal(give(mp, g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g->arrived) == TASKS));

  assert_int_equal(ants_waiting(mp), 0);
  assert_int_equal(ants_running(mp), TASKS);
  assert_int_equal(ants_busy(mp), TASKS);
  assert_int_equal(ants_available(mp), 0);
  assert_int_equal(ants_cap(mp), TASKS);
  assert_int_equal(ants_is_closed(mp), 0);
  for (int i = 0; i < N; i++) {
    assert_int_equal(waiting_at(mp, i), 0);
    assert_int_equal(running_at(mp, i), SIZE);
    assert_int_equal(busy_at(mp, i), SIZE);
    assert_int_equal(available_at(mp, i), 0);
  }
  by_index_fn getters[] = {ants_running_by_index, ants_available_by_index,
                           ants_waiting_by_index, ants_busy_by_index};
  for (size_t k = 0; k < sizeof getters / sizeof getters[0]; k++) {
    int v = 0;
    assert_int_equal(getters[k](&v, mp, -1), ANTS_ERR_INVALID_POOL_INDEX);
    assert_int_equal(getters[k](&v, mp, N), ANTS_ERR_INVALID_POOL_INDEX);
    assert_int_equal(getters[k](&v, mp, N + 1), ANTS_ERR_INVALID_POOL_INDEX);
  }

  gate_open(g);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(give(mp, g), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(ants_is_closed(mp), 1);
  assert_int_equal(ants_running(mp), 0);
  assert_int_equal(ants_busy(mp), 0);
  gate_destroy(g);
}

static void run_multi_pool_twin(int strategy, int with_func) {
  static gate g;
  ants_pool *mp = NULL;
  if (with_func)
    assert_int_equal(ants_multipool_with_func_new(&mp, 10, 5, task_gate_pass, strategy, NULL),
                     ANTS_OK);
  else
    assert_int_equal(ants_multipool_new(&mp, 10, 5, strategy, NULL), ANTS_OK);
  give_fn give = with_func ? give_invoke : give_submit;
  run_full_multipool_round(mp, give, &g);
  ants_reboot(mp);
  assert_int_equal(ants_is_closed(mp), 0);
  run_full_multipool_round(mp, give, &g);
  ants_pool_free(mp);

  /* Unlimited sub-pools: -1 means unlimited, for cap and available alike
   * (ants reports -n); tune is a no-op on them. */
  static gate g2;
  gate_init(&g2);
  if (with_func)
    assert_int_equal(ants_multipool_with_func_new(&mp, 10, -1, task_gate_pass, strategy, NULL),
                     ANTS_OK);
  else
    assert_int_equal(ants_multipool_new(&mp, 10, -1, strategy, NULL), ANTS_OK);
  for (int i = 0; i < 50; i++) assert_int_equal(give(mp, &g2), ANTS_OK);
  assert_true(wait_until(atomic_load(&g2.arrived) == 50));
  assert_int_equal(ants_waiting(mp), 0);
  assert_int_equal(ants_running(mp), 50);
  assert_int_equal(ants_busy(mp), 50);
  assert_int_equal(ants_available(mp), -1);
  assert_int_equal(ants_cap(mp), -1);
  for (int i = 0; i < 10; i++) {
    assert_int_equal(waiting_at(mp, i), 0);
    assert_int_equal(running_at(mp, i), 5);
    assert_int_equal(available_at(mp, i), -1);
  }
  ants_tune(mp, 10);
  assert_int_equal(ants_cap(mp), -1);
  assert_int_equal(ants_available(mp), -1);
  gate_open(&g2);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(give(mp, &g2), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(ants_is_closed(mp), 1);
  ants_pool_free(mp);
  gate_destroy(&g2);
}

static void test_multi_pool_with_round_robin(void **state) {
  (void)state;
  run_multi_pool_twin(ANTS_ROUND_ROBIN, 0);
}
static void test_multi_pool_with_least_tasks(void **state) {
  (void)state;
  run_multi_pool_twin(ANTS_LEAST_TASKS, 0);
}
static void test_multi_pool_with_func_round_robin(void **state) {
  (void)state;
  run_multi_pool_twin(ANTS_ROUND_ROBIN, 1);
}
static void test_multi_pool_with_func_least_tasks(void **state) {
  (void)state;
  run_multi_pool_twin(ANTS_LEAST_TASKS, 1);
}

/* ---- Getters and aggregates ------------------------------------------ */

static void test_multi_pool_by_index_getters(void **state) {
  (void)state;
  by_index_fn getters[] = {ants_running_by_index, ants_available_by_index,
                           ants_waiting_by_index, ants_busy_by_index};
  ants_pool *mp = NULL, *plain = NULL;
  assert_int_equal(ants_multipool_new(&mp, 3, 4, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  assert_int_equal(ants_pool_new(&plain, 4, NULL), ANTS_OK);
  for (size_t k = 0; k < sizeof getters / sizeof getters[0]; k++) {
    int v = 12345;
    assert_int_equal(getters[k](&v, mp, -1), ANTS_ERR_INVALID_POOL_INDEX);
    assert_int_equal(getters[k](&v, mp, 3), ANTS_ERR_INVALID_POOL_INDEX);
    assert_int_equal(getters[k](&v, mp, INT_MAX), ANTS_ERR_INVALID_POOL_INDEX);
    assert_int_equal(getters[k](&v, mp, INT_MIN), ANTS_ERR_INVALID_POOL_INDEX);
    /* A plain pool has no sub-pools: that is a wrong argument, not an index. */
    assert_int_equal(getters[k](&v, plain, 0), ANTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(getters[k](NULL, mp, 0), ANTS_ERR_INVALID_ARGUMENT);
    assert_int_equal(getters[k](&v, NULL, 0), ANTS_ERR_INVALID_ARGUMENT);
    for (int i = 0; i < 3; i++) assert_int_equal(getters[k](&v, mp, i), ANTS_OK);
  }
  for (int i = 0; i < 3; i++) {
    assert_int_equal(running_at(mp, i), 0);
    assert_int_equal(busy_at(mp, i), 0);
    assert_int_equal(waiting_at(mp, i), 0);
    assert_int_equal(available_at(mp, i), 4);
  }
  ants_pool_free(plain);
  ants_pool_free(mp);
}

static void test_multi_pool_aggregates(void **state) {
  (void)state;
  enum { N = 4, SIZE = 3 };
  static gate g;
  static bg_call blocked[2];
  static submit_ctx ctx;
  gate_init(&g);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, N, SIZE, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  assert_int_equal(ants_cap(mp), N * SIZE);
  assert_int_equal(ants_available(mp), N * SIZE);
  assert_int_equal(ants_running(mp), 0);
  assert_int_equal(ants_busy(mp), 0);
  assert_int_equal(ants_waiting(mp), 0);
  assert_int_equal(ants_queued(mp), 0);
  assert_int_equal(ants_is_closed(mp), 0);

  for (int i = 0; i < 5; i++) assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 5));
  assert_int_equal(ants_running(mp), 5);
  assert_int_equal(ants_busy(mp), 5);
  assert_int_equal(ants_available(mp), N * SIZE - 5);
  int sum_running = 0, sum_busy = 0, sum_available = 0;
  for (int i = 0; i < N; i++) {
    sum_running += running_at(mp, i);
    sum_busy += busy_at(mp, i);
    sum_available += available_at(mp, i);
  }
  assert_int_equal(sum_running, 5);
  assert_int_equal(sum_busy, 5);
  assert_int_equal(sum_available, N * SIZE - 5);

  /* Fill every sub-pool, then two callers block: waiting sums them. */
  for (int i = 5; i < N * SIZE; i++)
    assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == N * SIZE));
  assert_int_equal(ants_available(mp), 0);
  ctx.p = mp;
  ctx.g = &g;
  for (int i = 0; i < 2; i++) assert_int_equal(bg_call_start(&blocked[i], op_submit_gate, &ctx), 0);
  assert_true(wait_until(ants_waiting(mp) == 2));
  int sum_waiting = 0;
  for (int i = 0; i < N; i++) sum_waiting += waiting_at(mp, i);
  assert_int_equal(sum_waiting, 2);
  assert_int_equal(atomic_load(&blocked[0].done) + atomic_load(&blocked[1].done), 0);

  gate_open(&g);
  for (int i = 0; i < 2; i++) assert_int_equal(bg_call_join(&blocked[i]), ANTS_OK);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&g.arrived), N * SIZE + 2);
  ants_pool_free(mp);
  gate_destroy(&g);
}

/* ---- Round-robin ------------------------------------------------------ */

/* Tasks go to sub-pool 0, 1, 2, 0, 1, 2, ... */
static void test_multi_pool_round_robin_order(void **state) {
  (void)state;
  enum { N = 3, TASKS = 9 };
  static gate g;
  gate_init(&g);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, N, 3, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  int want[N] = {0};
  for (int i = 0; i < TASKS; i++) {
    assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK);
    assert_true(wait_until(atomic_load(&g.arrived) == i + 1));
    want[i % N]++;
    assert_busy_vector(mp, N, want);
  }
  gate_open(&g);
  ants_pool_free(mp);
  gate_destroy(&g);
}

/*
 * Round-robin's chosen sub-pool is overloaded: the task is retried once on
 * the least-loaded sub-pool. The idle sub-pool is made empty (its worker
 * expired) so it is least loaded whichever load measure is used.
 */
static void test_multi_pool_round_robin_overload_retry(void **state) {
  (void)state;
  enum { N = 3 };
  static gate g0, g2, g3;
  static atomic_int quick;
  gate_init(&g0);
  gate_init(&g2);
  gate_init(&g3);
  atomic_init(&quick, 0);
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, 20), ANTS_OK);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, N, 1, ANTS_ROUND_ROBIN, o), ANTS_OK);
  ants_options_free(o);

  assert_int_equal(ants_submit(mp, task_gate_pass, &g0), ANTS_OK); /* -> 0 */
  assert_true(wait_until(atomic_load(&g0.arrived) == 1));
  assert_int_equal(ants_submit(mp, task_count, &quick), ANTS_OK); /* -> 1 */
  assert_int_equal(ants_submit(mp, task_gate_pass, &g2), ANTS_OK); /* -> 2 */
  assert_true(wait_until(atomic_load(&g2.arrived) == 1));
  assert_true(wait_until(atomic_load(&quick) == 1 && running_at(mp, 1) == 0));
  int want[N] = {1, 0, 1};
  assert_busy_vector(mp, N, want);

  /* Next in turn is sub-pool 0, which is full and nonblocking. */
  assert_int_equal(ants_submit(mp, task_gate_pass, &g3), ANTS_OK);
  assert_true(wait_until(atomic_load(&g3.arrived) == 1));
  int want2[N] = {1, 1, 1};
  assert_busy_vector(mp, N, want2);

  /* Everything is full now: the retry is overloaded too. */
  assert_int_equal(ants_submit(mp, task_count, &quick), ANTS_ERR_POOL_OVERLOAD);
  assert_int_equal(atomic_load(&quick), 1);

  gate_open(&g0);
  gate_open(&g2);
  gate_open(&g3);
  ants_pool_free(mp);
  assert_int_equal(atomic_load(&quick), 1);
  gate_destroy(&g0);
  gate_destroy(&g2);
  gate_destroy(&g3);
}

/* With max_blocking_tasks, a blocking sub-pool whose quota of blocked
 * callers is used up overloads on its turn; the retry goes to a sub-pool
 * that has room (emptied by expiry, so least loaded by any measure). */
static void test_multi_pool_round_robin_overload_retry_blocking(void **state) {
  (void)state;
  static gate g;
  static atomic_int quick;
  static bg_call blocked;
  static submit_ctx ctx;
  gate_init(&g);
  atomic_init(&quick, 0);
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_max_blocking_tasks(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, 20), ANTS_OK);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 2, 1, ANTS_ROUND_ROBIN, o), ANTS_OK);
  ants_options_free(o);

  assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK); /* turn 0 -> 0 */
  assert_true(wait_until(atomic_load(&g.arrived) == 1));
  assert_int_equal(ants_submit(mp, task_count, &quick), ANTS_OK); /* turn 1 -> 1 */
  assert_true(wait_until(atomic_load(&quick) == 1));
  ctx.p = mp;
  ctx.g = &g;
  assert_int_equal(bg_call_start(&blocked, op_submit_gate, &ctx), 0); /* turn 2 -> 0 */
  assert_true(wait_until(waiting_at(mp, 0) == 1));
  assert_int_equal(ants_submit(mp, task_count, &quick), ANTS_OK); /* turn 3 -> 1 */
  assert_true(wait_until(atomic_load(&quick) == 2 && running_at(mp, 1) == 0));

  /* Turn 4 is sub-pool 0: full, its one blocked-caller slot taken. */
  assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 2));
  assert_int_equal(busy_at(mp, 0), 1);
  assert_int_equal(busy_at(mp, 1), 1);
  assert_int_equal(waiting_at(mp, 0), 1);
  assert_int_equal(atomic_load(&blocked.done), 0);

  gate_open(&g);
  assert_int_equal(bg_call_join(&blocked), ANTS_OK);
  ants_pool_free(mp);
  assert_int_equal(atomic_load(&g.arrived), 3);
  assert_int_equal(atomic_load(&quick), 2);
  gate_destroy(&g);
}

/* ---- Least-tasks ------------------------------------------------------ */

/*
 * Least-tasks picks the sub-pool with the fewest BUSY workers, ties to the
 * lowest index. Idle workers do not count (differs from ants, which counts
 * live workers).
 */
static void test_multi_pool_least_tasks_order(void **state) {
  (void)state;
  enum { N = 3, T = 7 };
  static gate g[T];
  for (int i = 0; i < T; i++) gate_init(&g[i]);
  ants_pool *mp = NULL;
  /* Idle workers must stay for the check below; never purge them. */
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_disable_purge(o, 1), ANTS_OK);
  assert_int_equal(ants_multipool_new(&mp, N, 3, ANTS_LEAST_TASKS, o), ANTS_OK);
  ants_options_free(o);

  /* All equal: 0, then 1, 2, and back to 0 on the three-way tie. */
  int want[N] = {0};
  for (int i = 0; i < 4; i++) {
    assert_int_equal(ants_submit(mp, task_gate_pass, &g[i]), ANTS_OK);
    assert_true(wait_until(atomic_load(&g[i].arrived) == 1));
    want[i % N]++;
    assert_busy_vector(mp, N, want);
  }
  /* busy {2,1,1}: finish task 1 (on sub-pool 1) -> {2,0,1}: next goes to 1. */
  gate_open(&g[1]);
  assert_true(wait_until(busy_at(mp, 1) == 0));
  assert_int_equal(ants_submit(mp, task_gate_pass, &g[4]), ANTS_OK);
  assert_true(wait_until(atomic_load(&g[4].arrived) == 1));
  int want2[N] = {2, 1, 1};
  assert_busy_vector(mp, N, want2);

  /* Finish both tasks of sub-pool 0: busy {0,1,1}, but sub-pool 0 keeps two
   * idle workers, so it has the MOST live workers. Busy decides: 0. */
  gate_open(&g[0]);
  gate_open(&g[3]);
  assert_true(wait_until(busy_at(mp, 0) == 0));
  assert_int_equal(running_at(mp, 0), 2);
  assert_int_equal(ants_submit(mp, task_gate_pass, &g[5]), ANTS_OK);
  assert_true(wait_until(atomic_load(&g[5].arrived) == 1));
  int want3[N] = {1, 1, 1};
  assert_busy_vector(mp, N, want3);

  /* Tie {1,1,1} again: lowest index. */
  assert_int_equal(ants_submit(mp, task_gate_pass, &g[6]), ANTS_OK);
  assert_true(wait_until(atomic_load(&g[6].arrived) == 1));
  int want4[N] = {2, 1, 1};
  assert_busy_vector(mp, N, want4);

  for (int i = 0; i < T; i++) gate_open(&g[i]);
  ants_pool_free(mp);
  for (int i = 0; i < T; i++) gate_destroy(&g[i]);
}

/* ---- Tune, release, reboot ------------------------------------------- */

static void test_multi_pool_tune(void **state) {
  (void)state;
  static gate g;
  static bg_call blocked;
  static submit_ctx ctx;
  gate_init(&g);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 3, 2, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  ants_tune(mp, 5);
  assert_int_equal(ants_cap(mp), 15);
  for (int i = 0; i < 3; i++) assert_int_equal(available_at(mp, i), 5);
  ants_tune(mp, 1);
  assert_int_equal(ants_cap(mp), 3);
  for (int i = 0; i < 3; i++) assert_int_equal(available_at(mp, i), 1);
  ants_tune(mp, 0); /* no-op */
  ants_tune(mp, -3); /* no-op */
  assert_int_equal(ants_cap(mp), 3);
  ants_tune(NULL, 4); /* no-op */

  /* Growing wakes a caller blocked in a full sub-pool. */
  for (int i = 0; i < 3; i++) assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 3));
  ctx.p = mp;
  ctx.g = &g;
  assert_int_equal(bg_call_start(&blocked, op_submit_gate, &ctx), 0);
  assert_true(wait_until(ants_waiting(mp) == 1));
  assert_int_equal(waiting_at(mp, 0), 1); /* round-robin turn 3 is sub-pool 0 */
  ants_tune(mp, 2);
  assert_int_equal(ants_cap(mp), 6);
  assert_int_equal(bg_call_join(&blocked), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 4));
  assert_int_equal(busy_at(mp, 0), 2);
  assert_int_equal(ants_waiting(mp), 0);

  gate_open(&g);
  ants_pool_free(mp);
  gate_destroy(&g);
}

/* All sub-pools are waited for in parallel within ONE deadline: eight stuck
 * sub-pools and a 150 ms timeout take about 150 ms, not 8 x 150 ms. */
static void test_multi_pool_release_timeout(void **state) {
  (void)state;
  enum { N = 8 };
  static gate g;
  gate_init(&g);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, N, 1, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  for (int i = 0; i < N; i++) assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == N));

  int64_t t0 = now_ms();
  assert_int_equal(ants_release_timeout(mp, 150), ANTS_ERR_TIMEOUT);
  int64_t elapsed = now_ms() - t0;
  print_message("release_timeout(150) over %d stuck sub-pools took %lld ms\n", N,
                (long long)elapsed);
  assert_true(elapsed >= 140);
  assert_true(elapsed < N * 150 - 200); /* generous; sequential would be >= 1200 */
  assert_int_equal(ants_is_closed(mp), 1);
  assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_ERR_POOL_CLOSED);

  /* Released already, it still waits (differs from ants). */
  gate_open(&g);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(ants_running(mp), 0);
  for (int i = 0; i < N; i++) assert_int_equal(running_at(mp, i), 0);
  assert_int_equal(ants_release_timeout(mp, 0), ANTS_OK);
  assert_int_equal(ants_release_timeout(NULL, 10), ANTS_ERR_INVALID_ARGUMENT);
  ants_pool_free(mp);
  gate_destroy(&g);
}

/* From a task of the multipool, release_timeout could never see its own
 * worker exit. */
typedef struct self_release {
  ants_pool *p;
  atomic_int rc;
  atomic_int ran;
} self_release;
static void task_self_release_timeout(void *arg) {
  self_release *s = (self_release *)arg;
  atomic_store(&s->rc, ants_release_timeout(s->p, 5000));
  atomic_store(&s->ran, 1);
}
static void test_multi_pool_release_timeout_from_own_task(void **state) {
  (void)state;
  static self_release s;
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 3, 2, ANTS_LEAST_TASKS, NULL), ANTS_OK);
  s.p = mp;
  atomic_init(&s.rc, 1);
  atomic_init(&s.ran, 0);
  int64_t t0 = now_ms();
  assert_int_equal(ants_submit(mp, task_self_release_timeout, &s), ANTS_OK);
  assert_true(wait_until(atomic_load(&s.ran) == 1));
  assert_int_equal(atomic_load(&s.rc), ANTS_ERR_WOULD_DEADLOCK);
  assert_true(now_ms() - t0 < 4000); /* returned at once, not after its 5 s */
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  ants_pool_free(mp);
}

/* Reboot reopens every sub-pool and round-robin starts again at 0. */
static void test_multi_pool_reboot(void **state) {
  (void)state;
  enum { N = 3 };
  static gate g;
  static atomic_int count;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, N, 2, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  ants_reboot(mp); /* open: no-op */
  assert_int_equal(ants_is_closed(mp), 0);
  /* Advance the round-robin cursor to sub-pool 2. */
  assert_int_equal(ants_submit(mp, task_count, &count), ANTS_OK);
  assert_int_equal(ants_submit(mp, task_count, &count), ANTS_OK);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&count), 2);
  assert_int_equal(ants_submit(mp, task_count, &count), ANTS_ERR_POOL_CLOSED);

  ants_reboot(mp);
  assert_int_equal(ants_is_closed(mp), 0);
  for (int i = 0; i < N; i++) assert_int_equal(waiting_at(mp, i), 0);
  assert_int_equal(ants_cap(mp), N * 2);
  assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 1));
  int want[N] = {1, 0, 0};
  assert_busy_vector(mp, N, want);
  assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 2));
  int want2[N] = {1, 1, 0};
  assert_busy_vector(mp, N, want2);

  /* Release with tasks running, reboot at once: the old tasks still run
   * exactly once and the new generation serves new tasks. */
  ants_release(mp);
  assert_int_equal(ants_is_closed(mp), 1);
  ants_reboot(mp);
  assert_int_equal(ants_is_closed(mp), 0);
  assert_int_equal(ants_submit(mp, task_count, &count), ANTS_OK);
  assert_true(wait_until(atomic_load(&count) == 3));
  gate_open(&g);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&g.arrived), 2);
  assert_int_equal(atomic_load(&count), 3);
  ants_reboot(NULL); /* no-op */
  ants_pool_free(mp);
  gate_destroy(&g);
}

/* ---- Closed ------------------------------------------------------------ */

static void test_multi_pool_closed(void **state) {
  (void)state;
  static gate g;
  static bg_call blocked;
  static submit_ctx ctx;
  static atomic_int count;
  gate_init(&g);
  atomic_init(&count, 0);
  ants_pool *mp = NULL, *mpf = NULL;
  assert_int_equal(ants_multipool_new(&mp, 2, 1, ANTS_LEAST_TASKS, NULL), ANTS_OK);
  assert_int_equal(ants_multipool_with_func_new(&mpf, 2, 1, task_count, ANTS_ROUND_ROBIN, NULL),
                   ANTS_OK);

  /* A caller blocked in a full multipool gets POOL_CLOSED on release. */
  for (int i = 0; i < 2; i++) assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 2));
  ctx.p = mp;
  ctx.g = &g;
  assert_int_equal(bg_call_start(&blocked, op_submit_gate, &ctx), 0);
  assert_true(wait_until(ants_waiting(mp) == 1));
  ants_release(mp);
  assert_int_equal(bg_call_join(&blocked), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(ants_is_closed(mp), 1);
  assert_int_equal(ants_submit(mp, task_count, &count), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(ants_submit_timeout(mp, task_count, &count, 10), ANTS_ERR_POOL_CLOSED);
  ants_release(mp); /* twice is harmless */

  ants_release(mpf);
  assert_int_equal(ants_is_closed(mpf), 1);
  assert_int_equal(ants_invoke(mpf, &count), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(ants_invoke_timeout(mpf, &count, 10), ANTS_ERR_POOL_CLOSED);

  gate_open(&g);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&g.arrived), 2); /* the refused task never ran */
  assert_int_equal(atomic_load(&count), 0);
  ants_pool_free(mp);
  ants_pool_free(mpf);
  gate_destroy(&g);
}

/* ants_pool_free on a multipool runs accepted tasks to completion first. */
static void test_multi_pool_free_waits_for_tasks(void **state) {
  (void)state;
  static gate g;
  static bg_call freer;
  gate_init(&g);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 3, 2, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  for (int i = 0; i < 4; i++) assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 4));
  assert_int_equal(bg_call_start(&freer, op_pool_free, mp), 0);
  assert_true(wait_until(atomic_load(&freer.done) || ants_is_closed(mp) == 1));
  assert_int_equal(atomic_load(&freer.done), 0);
  gate_open(&g);
  bg_call_join(&freer);
  ants_pool_free(NULL);
  gate_destroy(&g);
}

/* Freed from inside one of its own tasks, a multipool is released at once
 * (the call cannot wait for its own worker) and goes away when the last
 * worker leaves: the threads disappear, and ASan's leak check at exit would
 * name anything left behind. */
typedef struct self_free {
  ants_pool *mp;
  atomic_int freed;
} self_free;
static void task_free_own_multipool(void *arg) {
  self_free *s = (self_free *)arg;
  ants_pool_free(s->mp);
  atomic_store(&s->freed, 1);
}
/* Passes the gate, then says it is out of it: the gate may be destroyed
 * only after that (a thread's exit is no synchronisation TSan can see). */
static atomic_int left_gate;
static void task_gate_pass_then_leave(void *arg) {
  gate_pass((gate *)arg);
  atomic_fetch_add(&left_gate, 1);
}
static void test_multi_pool_free_from_own_task(void **state) {
  (void)state;
  static gate g;
  static self_free s;
  gate_init(&g);
  int baseline = thread_count();
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 3, 2, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  atomic_store(&left_gate, 0);
  assert_int_equal(ants_submit(mp, task_gate_pass_then_leave, &g), ANTS_OK); /* -> 0 */
  assert_true(wait_until(atomic_load(&g.arrived) == 1));
  s.mp = mp;
  atomic_init(&s.freed, 0);
  assert_int_equal(ants_submit(mp, task_free_own_multipool, &s), ANTS_OK); /* -> 1 */
  assert_true(wait_until(atomic_load(&s.freed) == 1));
  /* The handle is gone; the held task still finishes, then every thread. */
  gate_open(&g);
  assert_true(wait_until(thread_count() <= baseline));
  assert_true(wait_until(atomic_load(&left_gate) == 1));
  gate_destroy(&g);
}

/* ---- Exactly once ---------------------------------------------------- */

enum { EO_THREADS = 4, EO_PER_THREAD = 500, EO_TASKS = EO_THREADS * EO_PER_THREAD };
typedef struct eo_ctx {
  ants_pool *p;
  slots *s;
  int first;
  int with_func;
  atomic_int failures;
} eo_ctx;
static int op_submit_slots(void *arg) {
  eo_ctx *c = (eo_ctx *)arg;
  for (int i = c->first; i < c->first + EO_PER_THREAD; i++) {
    int rc = c->with_func ? ants_invoke(c->p, &c->s->n[i])
                          : ants_submit(c->p, task_count, &c->s->n[i]);
    if (rc != ANTS_OK) atomic_fetch_add(&c->failures, 1);
  }
  return 0;
}

static void run_exactly_once(int strategy, int with_func) {
  static slots s;
  static eo_ctx ctx[EO_THREADS];
  static bg_call callers[EO_THREADS];
  slots_init(&s);
  ants_pool *mp = NULL;
  if (with_func)
    assert_int_equal(ants_multipool_with_func_new(&mp, 4, 2, task_count, strategy, NULL),
                     ANTS_OK);
  else
    assert_int_equal(ants_multipool_new(&mp, 4, 2, strategy, NULL), ANTS_OK);
  for (int t = 0; t < EO_THREADS; t++) {
    ctx[t].p = mp;
    ctx[t].s = &s;
    ctx[t].first = t * EO_PER_THREAD;
    ctx[t].with_func = with_func;
    atomic_init(&ctx[t].failures, 0);
    assert_int_equal(bg_call_start(&callers[t], op_submit_slots, &ctx[t]), 0);
  }
  for (int t = 0; t < EO_THREADS; t++) {
    bg_call_join(&callers[t]);
    assert_int_equal(atomic_load(&ctx[t].failures), 0);
  }
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(slots_first_not(&s, EO_TASKS, 1), -1);
  assert_int_equal(ants_cap(mp), 8);
  ants_pool_free(mp);
}

static void test_multi_pool_exactly_once_round_robin(void **state) {
  (void)state;
  run_exactly_once(ANTS_ROUND_ROBIN, 0);
}
static void test_multi_pool_exactly_once_least_tasks(void **state) {
  (void)state;
  run_exactly_once(ANTS_LEAST_TASKS, 0);
}
static void test_multi_pool_with_func_exactly_once(void **state) {
  (void)state;
  run_exactly_once(ANTS_ROUND_ROBIN, 1);
  run_exactly_once(ANTS_LEAST_TASKS, 1);
}

/*
 * Submitters race a release: every submit that returned OK ran exactly once
 * and every one refused with POOL_CLOSED never ran - nothing accepted is
 * dropped by the closing sub-pools, nothing refused sneaks in.
 */
enum { RR_THREADS = 4, RR_PER_THREAD = 400 };
typedef struct race_ctx {
  ants_pool *p;
  slots *s;
  int first;
  int rc[RR_PER_THREAD];
} race_ctx;
static int op_submit_recording(void *arg) {
  race_ctx *c = (race_ctx *)arg;
  for (int i = 0; i < RR_PER_THREAD; i++)
    c->rc[i] = ants_submit(c->p, task_count, &c->s->n[c->first + i]);
  return 0;
}
static void run_release_race(int strategy) {
  static slots s;
  static race_ctx ctx[RR_THREADS];
  static bg_call callers[RR_THREADS];
  slots_init(&s);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 3, 2, strategy, NULL), ANTS_OK);
  for (int t = 0; t < RR_THREADS; t++) {
    ctx[t].p = mp;
    ctx[t].s = &s;
    ctx[t].first = t * RR_PER_THREAD;
    assert_int_equal(bg_call_start(&callers[t], op_submit_recording, &ctx[t]), 0);
  }
  /* Release somewhere in the middle of the stream. */
  assert_true(wait_until(slots_sum(&s, RR_THREADS * RR_PER_THREAD) >= 100));
  ants_release(mp);
  for (int t = 0; t < RR_THREADS; t++) bg_call_join(&callers[t]);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  int accepted = 0, refused = 0;
  for (int t = 0; t < RR_THREADS; t++) {
    for (int i = 0; i < RR_PER_THREAD; i++) {
      int rc = ctx[t].rc[i];
      assert_true(rc == ANTS_OK || rc == ANTS_ERR_POOL_CLOSED);
      assert_int_equal(atomic_load(&s.n[ctx[t].first + i]), rc == ANTS_OK ? 1 : 0);
      if (rc == ANTS_OK) accepted++;
      else refused++;
    }
  }
  print_message("%d accepted, %d refused\n", accepted, refused);
  assert_true(accepted >= 100);
  ants_pool_free(mp);
}
static void test_multi_pool_release_races_submit(void **state) {
  (void)state;
  run_release_race(ANTS_ROUND_ROBIN);
  run_release_race(ANTS_LEAST_TASKS);
}

int main(void) {
  watchdog_install();
  const struct CMUnitTest tests[] = {
      TEST(test_multi_pool_invalid_size),
      TEST(test_multi_pool_invalid_strategy),
      TEST(test_multi_pool_invalid_arguments),
      TEST(test_multi_pool_wrong_task_kind),
      TEST(test_multi_pool_with_round_robin),
      TEST(test_multi_pool_with_least_tasks),
      TEST(test_multi_pool_with_func_round_robin),
      TEST(test_multi_pool_with_func_least_tasks),
      TEST(test_multi_pool_by_index_getters),
      TEST(test_multi_pool_aggregates),
      TEST(test_multi_pool_round_robin_order),
      TEST(test_multi_pool_round_robin_overload_retry),
      TEST(test_multi_pool_round_robin_overload_retry_blocking),
      TEST(test_multi_pool_least_tasks_order),
      TEST(test_multi_pool_tune),
      TEST(test_multi_pool_release_timeout),
      TEST(test_multi_pool_release_timeout_from_own_task),
      TEST(test_multi_pool_reboot),
      TEST(test_multi_pool_closed),
      TEST(test_multi_pool_free_waits_for_tasks),
      TEST(test_multi_pool_free_from_own_task),
      TEST(test_multi_pool_exactly_once_round_robin),
      TEST(test_multi_pool_exactly_once_least_tasks),
      TEST(test_multi_pool_with_func_exactly_once),
      TEST(test_multi_pool_release_races_submit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
