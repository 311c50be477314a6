/*
 * test_multipool_faults.c - multipools when the system says no (issue 3):
 * allocation failures and refused threads, injected through the test-only
 * library ants::testing (core/fault_injection.h).
 *
 * The contract under test is ants_submit's: a task accepted with ANTS_OK runs
 * exactly once; a task refused never runs; a blocking caller whose thread
 * was refused waits for a live worker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ants.h"
#include "fault_injection.h"
#include "support.h"
#include "support_extra.h"

/* Bound for "a task that was accepted eventually runs": far above any real
 * hand-off, but a failure should not cost the full test deadline. */
#define RUNS_SOON_MS 5000

static int clear_faults(void **state) {
  (void)state;
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  return 0;
}
static int setup(void **state) {
  clear_faults(state);
  return watchdog_arm(state);
}
#define FTEST(fn) cmocka_unit_test_setup_teardown(fn, setup, clear_faults)

/* The library logs refused threads; count them instead of printing. */
static void count_log(void *ctx, const char *msg) {
  (void)msg;
  atomic_fetch_add((atomic_int *)ctx, 1);
}

static ants_pool *new_multipool(int n, int size, int nonblocking, int queue, atomic_int *logged) {
  ants_options *o = NULL;
  ants_pool *mp = NULL;
  if (ants_options_new(&o) != ANTS_OK) return NULL;
  ants_options_set_nonblocking(o, nonblocking);
  ants_options_set_queue_size(o, queue);
  ants_options_set_logger(o, count_log, logged);
  int rc = ants_multipool_new(&mp, n, size, ANTS_ROUND_ROBIN, o);
  ants_options_free(o);
  return rc == ANTS_OK ? mp : NULL;
}

static int waiting_at(const ants_pool *p, int i) {
  int v = -1000;
  return ants_waiting_by_index(&v, p, i) == ANTS_OK ? v : -1000;
}

typedef struct submit_ctx {
  ants_pool *p;
  ants_task_fn fn;
  void *arg;
} submit_ctx;
static int op_submit(void *arg) {
  submit_ctx *c = (submit_ctx *)arg;
  return ants_submit(c->p, c->fn, c->arg);
}

/* Creation that cannot allocate reports NO_MEMORY and leaves *out alone
 * (ASan's leak check covers anything half built). */
static void test_multi_pool_new_no_memory(void **state) {
  (void)state;
  ants_pool *p = NULL;
  ants_fault_inject(ANTS_FAULT_ALLOC, 1);
  assert_int_equal(ants_multipool_new(&p, 4, 2, ANTS_ROUND_ROBIN, NULL), ANTS_ERR_NO_MEMORY);
  assert_null(p);
  ants_fault_inject(ANTS_FAULT_ALLOC, -1);
  assert_int_equal(ants_multipool_with_func_new(&p, 4, 2, task_count, ANTS_LEAST_TASKS, NULL),
                   ANTS_ERR_NO_MEMORY);
  assert_null(p);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  assert_int_equal(ants_multipool_new(&p, 4, 2, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  assert_non_null(p);
  ants_pool_free(p);
}

/* Every allocation of the creation fails in turn (skip = 0, 1, 2, ...):
 * each partial multipool is torn down (ASan's leak check), until the sweep
 * passes the last allocation and creation succeeds. */
static void test_multi_pool_new_no_memory_sweep(void **state) {
  (void)state;
  int created_at = -1;
  for (int skip = 0; skip < 64 && created_at < 0; skip++) {
    ants_pool *p = NULL;
    ants_fault_inject_after(ANTS_FAULT_ALLOC, skip, 1);
    int rc = ants_multipool_new(&p, 4, 2, ANTS_LEAST_TASKS, NULL);
    ants_fault_inject(ANTS_FAULT_ALLOC, 0);
    if (rc == ANTS_OK) {
      created_at = skip;
      assert_non_null(p);
      static atomic_int ran;
      atomic_init(&ran, 0);
      assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
      assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
      assert_int_equal(atomic_load(&ran), 1);
      ants_pool_free(p);
    } else {
      assert_int_equal(rc, ANTS_ERR_NO_MEMORY);
      assert_null(p);
    }
  }
  /* At least the multipool and its four sub-pools allocate. */
  print_message("creation succeeded once %d allocations were let through\n", created_at);
  assert_true(created_at >= 5);
}

/* Nonblocking: the refused thread is the caller's answer (SYSTEM, not an
 * overload, so round-robin does not retry it elsewhere); the refused task
 * never runs, and the multipool works once threads are available again. */
static void test_multi_pool_spawn_failure_nonblocking(void **state) {
  (void)state;
  static atomic_int logged, ran;
  atomic_init(&logged, 0);
  atomic_init(&ran, 0);
  ants_pool *mp = new_multipool(2, 1, 1, 0, &logged);
  assert_non_null(mp);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 1);
  assert_int_equal(ants_submit(mp, task_count, &ran), ANTS_ERR_SYSTEM);
  assert_int_equal(ants_running(mp), 0);
  assert_int_equal(ants_busy(mp), 0);
  assert_true(atomic_load(&logged) >= 1);
  assert_int_equal(ants_submit(mp, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  ants_pool_free(mp);
}

/* Blocking: a sub-pool with no live worker cannot ever take the task
 * (SYSTEM); one with a live worker makes the caller wait for it. */
static void test_multi_pool_spawn_failure_blocking(void **state) {
  (void)state;
  static atomic_int logged, ran;
  static gate g;
  static submit_ctx ctx;
  static bg_call caller;
  atomic_init(&logged, 0);
  atomic_init(&ran, 0);
  gate_init(&g);
  ants_pool *mp = new_multipool(2, 2, 0, 0, &logged);
  assert_non_null(mp);
  assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK); /* turn 0 -> 0 */
  assert_true(wait_until(atomic_load(&g.arrived) == 1));

  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, -1);
  assert_int_equal(ants_submit(mp, task_count, &ran), ANTS_ERR_SYSTEM); /* turn 1 -> 1 */
  ctx = (submit_ctx){mp, task_count, &ran};
  assert_int_equal(bg_call_start(&caller, op_submit, &ctx), 0); /* turn 2 -> 0 */
  assert_true(wait_until(waiting_at(mp, 0) == 1));
  assert_int_equal(atomic_load(&caller.done), 0);
  gate_open(&g);
  assert_int_equal(bg_call_join(&caller), ANTS_OK);
  assert_true(wait_until_ms(atomic_load(&ran) == 1, RUNS_SOON_MS));
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  ants_pool_free(mp);
  gate_destroy(&g);
}

/*
 * With a task queue, a submit whose thread was refused must not leave its
 * task queued where no worker will ever come for it: either the submit
 * fails, or the accepted task runs.
 */
static void test_multi_pool_spawn_failure_with_queue(void **state) {
  (void)state;
  static atomic_int logged, ran;
  atomic_init(&logged, 0);
  atomic_init(&ran, 0);
  ants_pool *mp = new_multipool(2, 2, 0, 4, &logged);
  assert_non_null(mp);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 1);
  int rc = ants_submit(mp, task_count, &ran);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  print_message("submit with its thread refused, queue configured: %s\n", ants_strerror(rc));
  if (rc == ANTS_OK) {
    assert_true(wait_until_ms(atomic_load(&ran) == 1, RUNS_SOON_MS));
    assert_int_equal(ants_wait_idle(mp, RUNS_SOON_MS), ANTS_OK);
  } else {
    assert_int_equal(rc, ANTS_ERR_SYSTEM);
    assert_int_equal(ants_queued(mp), 0);
  }
  assert_int_equal(ants_release_timeout(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), rc == ANTS_OK ? 1 : 0);
  ants_pool_free(mp);
}

int main(void) {
  watchdog_install();
  const struct CMUnitTest tests[] = {
      FTEST(test_multi_pool_new_no_memory),
      FTEST(test_multi_pool_new_no_memory_sweep),
      FTEST(test_multi_pool_spawn_failure_nonblocking),
      FTEST(test_multi_pool_spawn_failure_blocking),
      FTEST(test_multi_pool_spawn_failure_with_queue),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
