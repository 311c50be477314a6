/*
 * test_null_handles.c - NULL handles never crash (issue 2, line 10): every
 * status-returning function says ANTS_ERR_INVALID_ARGUMENT, getters read 0,
 * destructors and void controls are no-ops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

static void noop_task(void *arg) { (void)arg; }

static void test_status_functions_reject_null_pool(void **state) {
  (void)state;
  int x = 0;
  assert_int_equal(ants_submit(NULL, noop_task, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_invoke(NULL, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_submit_timeout(NULL, noop_task, NULL, 10), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_invoke_timeout(NULL, NULL, 10), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_release_timeout(NULL, 10), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_release_timeout(NULL, -1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_wait_idle(NULL, 10), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_running_by_index(&x, NULL, 0), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_available_by_index(&x, NULL, 0), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_waiting_by_index(&x, NULL, 0), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_busy_by_index(&x, NULL, 0), ANTS_ERR_INVALID_ARGUMENT);
}

static void test_constructors_reject_null_out(void **state) {
  (void)state;
  assert_int_equal(ants_options_new(NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_pool_new(NULL, 1, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_pool_with_func_new(NULL, 1, noop_task, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_multipool_new(NULL, 2, 1, ANTS_ROUND_ROBIN, NULL),
                   ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_multipool_with_func_new(NULL, 2, 1, noop_task, ANTS_ROUND_ROBIN, NULL),
                   ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_group_new(NULL), ANTS_ERR_INVALID_ARGUMENT);
}

static void test_by_index_getters_reject_null_out(void **state) {
  (void)state;
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 2, 1, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  assert_int_equal(ants_running_by_index(NULL, mp, 0), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_available_by_index(NULL, mp, 0), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_waiting_by_index(NULL, mp, 0), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_busy_by_index(NULL, mp, 0), ANTS_ERR_INVALID_ARGUMENT);
  ants_pool_free(mp);
}

static void test_group_functions_reject_null_group(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  assert_int_equal(ants_group_submit(NULL, p, noop_task, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_group_invoke(NULL, p, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_group_wait(NULL, 10), ANTS_ERR_INVALID_ARGUMENT);
  ants_group *g = NULL;
  assert_int_equal(ants_group_new(&g), ANTS_OK);
  /* A NULL pool is a NULL handle too (rules of ants_submit). */
  assert_int_equal(ants_group_submit(g, NULL, noop_task, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_group_invoke(g, NULL, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_group_submit(g, p, NULL, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_group_pending(g), 0);
  ants_group_free(g);
  ants_pool_free(p);
}

static void test_getters_on_null_read_zero(void **state) {
  (void)state;
  assert_int_equal(ants_running(NULL), 0);
  assert_int_equal(ants_busy(NULL), 0);
  assert_int_equal(ants_available(NULL), 0);
  assert_int_equal(ants_cap(NULL), 0);
  assert_int_equal(ants_waiting(NULL), 0);
  assert_int_equal(ants_queued(NULL), 0);
  assert_int_equal(ants_is_closed(NULL), 0);
  assert_int_equal(ants_group_pending(NULL), 0);
  assert_int_equal(ants_group_panicked(NULL), 0);
}

static void test_destructors_and_controls_accept_null(void **state) {
  (void)state;
  ants_pool_free(NULL);
  ants_options_free(NULL);
  ants_group_free(NULL);
  ants_tune(NULL, 10);
  ants_release(NULL);
  ants_reboot(NULL);
}

static void test_submit_null_function(void **state) {
  (void)state;
  /* ants treats a nil task as its worker's stop signal and silently loses a
   * worker; libants rejects it and the pool stays whole. */
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  assert_int_equal(ants_submit(p, NULL, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_submit_timeout(p, NULL, NULL, 10), ANTS_ERR_INVALID_ARGUMENT);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  ants_pool_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_status_functions_reject_null_pool),
      cmocka_unit_test(test_constructors_reject_null_out),
      cmocka_unit_test(test_by_index_getters_reject_null_out),
      cmocka_unit_test(test_group_functions_reject_null_group),
      cmocka_unit_test(test_getters_on_null_read_zero),
      cmocka_unit_test(test_destructors_and_controls_accept_null),
      cmocka_unit_test(test_submit_null_function),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
