/*
 * test_pool_blocking.c - a full pool: blocking submit, nonblocking submit,
 * max_blocking_tasks and the waiting count (issue 2, line 4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

static ants_pool *new_pool(int size, int nonblocking, int max_blocking) {
  ants_options *o = NULL;
  ants_pool *p = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_disable_purge(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, nonblocking), ANTS_OK);
  assert_int_equal(ants_options_set_max_blocking_tasks(o, max_blocking), ANTS_OK);
  assert_int_equal(ants_pool_new(&p, size, o), ANTS_OK);
  ants_options_free(o);
  return p;
}

static void test_blocking_submit_waits_for_a_worker(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, 0, 0);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, 1));
  bg_submit bg;
  bg_submit_start(&bg, p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == 1));
  /* Blocked, not queued: the task has not run and the caller still waits. */
  assert_int_equal(atomic_load(&bg.done), 0);
  assert_int_equal(atomic_load(&ran), 0);
  gate_open(&g);
  assert_int_equal(bg_submit_join(&bg), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  assert_int_equal(ants_waiting(p), 0);
  assert_int_equal(ants_running(p), 1); /* the freed worker was reused */
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_waiting_counts_every_blocked_caller(void **state) {
  (void)state;
  enum { CALLERS = 5 };
  ants_pool *p = new_pool(2, 0, 0);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, 2));
  bg_submit bg[CALLERS];
  for (int i = 0; i < CALLERS; i++) bg_submit_start(&bg[i], p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == CALLERS));
  assert_int_equal(atomic_load(&ran), 0);
  gate_open(&g);
  for (int i = 0; i < CALLERS; i++) assert_int_equal(bg_submit_join(&bg[i]), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == CALLERS));
  assert_int_equal(ants_waiting(p), 0);
  assert_true(ants_running(p) <= 2);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_nonblocking_submit(void **state) {
  (void)state;
  enum { SIZE = 10 };
  ants_pool *p = new_pool(SIZE, 1, 0);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, SIZE));
  /* The first caller that finds no worker fails at once; nothing waits. */
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_OVERLOAD);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_OVERLOAD);
  assert_int_equal(ants_waiting(p), 0);
  gate_open(&g);
  assert_true(wait_until(ants_busy(p) == 0));
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_max_blocking_submit(void **state) {
  (void)state;
  enum { SIZE = 10 };
  ants_pool *p = new_pool(SIZE, 0, 1);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, SIZE));
  bg_submit bg;
  bg_submit_start(&bg, p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == 1));
  /* One caller already blocks: the next is refused at once. */
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_OVERLOAD);
  assert_int_equal(ants_waiting(p), 1);
  gate_open(&g);
  assert_int_equal(bg_submit_join(&bg), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  assert_int_equal(ants_waiting(p), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_max_blocking_submit_several_callers(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, 0, 3);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, 1));
  bg_submit bg[3];
  for (int i = 0; i < 3; i++) bg_submit_start(&bg[i], p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == 3));
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_OVERLOAD);
  gate_open(&g);
  for (int i = 0; i < 3; i++) assert_int_equal(bg_submit_join(&bg[i]), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 3));
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_ants_pool_with_func_nonblocking_invoke(void **state) {
  (void)state;
  ants_options *o = NULL;
  ants_pool *p = NULL;
  gate g;
  gate_init(&g);
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  assert_int_equal(ants_pool_with_func_new(&p, 2, task_gate_pass, o), ANTS_OK);
  ants_options_free(o);
  assert_int_equal(ants_invoke(p, &g), ANTS_OK);
  assert_int_equal(ants_invoke(p, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 2));
  assert_int_equal(ants_invoke(p, &g), ANTS_ERR_POOL_OVERLOAD);
  gate_open(&g);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_ants_pool_with_func_max_blocking_invoke(void **state) {
  (void)state;
  ants_options *o = NULL;
  ants_pool *p = NULL;
  gate g;
  gate_init(&g);
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_max_blocking_tasks(o, 1), ANTS_OK);
  assert_int_equal(ants_pool_with_func_new(&p, 1, task_gate_pass, o), ANTS_OK);
  ants_options_free(o);
  assert_int_equal(ants_invoke(p, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 1));
  bg_submit bg;
  bg_submit_start(&bg, p, NULL, &g); /* fn NULL: invoke */
  assert_true(wait_until(ants_waiting(p) == 1));
  assert_int_equal(ants_invoke(p, &g), ANTS_ERR_POOL_OVERLOAD);
  gate_open(&g);
  assert_int_equal(bg_submit_join(&bg), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.left) == 2));
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_submit_timeout_on_full_pool(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, 0, 0);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, 1));
  assert_int_equal(ants_submit_timeout(p, task_count, &ran, 0), ANTS_ERR_TIMEOUT);
  assert_int_equal(ants_submit_timeout(p, task_count, &ran, 20), ANTS_ERR_TIMEOUT);
  assert_int_equal(ants_waiting(p), 0);
  gate_open(&g);
  assert_true(wait_until(ants_busy(p) == 0));
  assert_int_equal(ants_submit_timeout(p, task_count, &ran, 10000), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  ants_pool_free(p);
  /* A timed-out task never runs. */
  assert_int_equal(atomic_load(&ran), 1);
  gate_destroy(&g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_blocking_submit_waits_for_a_worker),
      cmocka_unit_test(test_waiting_counts_every_blocked_caller),
      cmocka_unit_test(test_nonblocking_submit),
      cmocka_unit_test(test_max_blocking_submit),
      cmocka_unit_test(test_max_blocking_submit_several_callers),
      cmocka_unit_test(test_ants_pool_with_func_nonblocking_invoke),
      cmocka_unit_test(test_ants_pool_with_func_max_blocking_invoke),
      cmocka_unit_test(test_submit_timeout_on_full_pool),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
