/*
 * test_pool_tune.c - ants_tune: no-ops, growing wakes blocked callers,
 * shrinking interrupts nothing (issue 2, line 5).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

static ants_pool *new_pool(int size, const char *name) {
  ants_options *o = NULL;
  ants_pool *p = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_disable_purge(o, 1), ANTS_OK);
  if (name) assert_int_equal(ants_options_set_thread_name(o, name), ANTS_OK);
  assert_int_equal(ants_pool_new(&p, size, o), ANTS_OK);
  ants_options_free(o);
  return p;
}

static void test_pool_tune_noops(void **state) {
  (void)state;
  ants_pool *p = new_pool(5, NULL);
  ants_tune(p, 0);
  assert_int_equal(ants_cap(p), 5);
  ants_tune(p, -3);
  assert_int_equal(ants_cap(p), 5);
  ants_tune(p, 5);
  assert_int_equal(ants_cap(p), 5);
  ants_pool_free(p);

  ants_pool *unlimited = new_pool(0, NULL);
  ants_tune(unlimited, 8);
  assert_int_equal(ants_cap(unlimited), -1);
  assert_int_equal(ants_available(unlimited), -1);
  ants_pool_free(unlimited);
}

static void test_pool_tune_changes_cap(void **state) {
  (void)state;
  ants_pool *p = new_pool(5, NULL);
  ants_tune(p, 9);
  assert_int_equal(ants_cap(p), 9);
  assert_int_equal(ants_available(p), 9);
  ants_tune(p, 2);
  assert_int_equal(ants_cap(p), 2);
  assert_int_equal(ants_available(p), 2);
  ants_pool_free(p);
}

static void test_pool_tune_scale_up(void **state) {
  (void)state;
  /* ants' TestPoolTuneScaleUp: a full pool with blocked callers grows and
   * every caller the new room allows gets a worker. */
  ants_pool *p = new_pool(2, NULL);
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 2));
  bg_submit bg[2];
  for (int i = 0; i < 2; i++) bg_submit_start(&bg[i], p, task_gate_pass, &g);
  assert_true(wait_until(ants_waiting(p) == 2));
  ants_tune(p, 4);
  assert_int_equal(ants_cap(p), 4);
  for (int i = 0; i < 2; i++) assert_int_equal(bg_submit_join(&bg[i]), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 4));
  assert_int_equal(ants_running(p), 4);
  assert_int_equal(ants_waiting(p), 0);
  gate_open(&g);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_pool_tune_scale_up_by_one_wakes_one(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, NULL);
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 1));
  bg_submit bg[3];
  for (int i = 0; i < 3; i++) bg_submit_start(&bg[i], p, task_gate_pass, &g);
  assert_true(wait_until(ants_waiting(p) == 3));
  ants_tune(p, 2);
  /* Room for one more worker: exactly one caller gets through. */
  assert_true(wait_until(atomic_load(&g.arrived) == 2));
  assert_true(wait_until(ants_waiting(p) == 2));
  assert_int_equal(ants_running(p), 2);
  ants_tune(p, 4);
  assert_true(wait_until(atomic_load(&g.arrived) == 4));
  assert_int_equal(ants_waiting(p), 0);
  gate_open(&g);
  for (int i = 0; i < 3; i++) assert_int_equal(bg_submit_join(&bg[i]), ANTS_OK);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_pool_tune_scale_down_interrupts_nothing(void **state) {
  (void)state;
  ants_pool *p = new_pool(4, "shrinkbusy");
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 4));
  ants_tune(p, 2);
  assert_int_equal(ants_cap(p), 2);
  /* All four tasks go on; available is clamped at 0 (ants goes negative). */
  assert_int_equal(ants_running(p), 4);
  assert_int_equal(ants_busy(p), 4);
  assert_int_equal(ants_available(p), 0);
  assert_int_equal(atomic_load(&g.left), 0);
  gate_open(&g);
  assert_true(wait_until(atomic_load(&g.left) == 4));
  /* Surplus workers exit when their task ends; the rest stay idle. */
  assert_true(wait_until(ants_running(p) == 2));
  assert_true(wait_until(thread_count_named("shrinkbusy") == 2));
  assert_int_equal(ants_available(p), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_pool_tune_scale_down_idle_workers_exit(void **state) {
  (void)state;
  ants_pool *p = new_pool(4, "shrinkidle");
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 4));
  gate_open(&g);
  assert_true(wait_until(ants_busy(p) == 0));
  assert_int_equal(ants_running(p), 4);
  ants_tune(p, 1);
  /* Idle surplus exits at once - not at the next expiry (purge is off). */
  assert_true(wait_until(ants_running(p) == 1));
  assert_true(wait_until(thread_count_named("shrinkidle") == 1));
  assert_int_equal(ants_available(p), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_pool_tune_scale_down_then_up(void **state) {
  (void)state;
  /* Shrinking below running and growing back must never let the live
   * worker count pass the capacity in force when a worker is started. */
  ants_pool *p = new_pool(3, NULL);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, 3));
  ants_tune(p, 1);
  bg_submit bg;
  bg_submit_start(&bg, p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == 1));
  ants_tune(p, 3); /* still 3 live workers: no room yet */
  assert_int_equal(ants_running(p), 3);
  assert_true(wait_until(ants_waiting(p) == 1));
  assert_int_equal(atomic_load(&ran), 0);
  gate_open(&g);
  assert_int_equal(bg_submit_join(&bg), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  assert_true(ants_running(p) <= 3);
  ants_pool_free(p);
  gate_destroy(&g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pool_tune_noops),
      cmocka_unit_test(test_pool_tune_changes_cap),
      cmocka_unit_test(test_pool_tune_scale_up),
      cmocka_unit_test(test_pool_tune_scale_up_by_one_wakes_one),
      cmocka_unit_test(test_pool_tune_scale_down_interrupts_nothing),
      cmocka_unit_test(test_pool_tune_scale_down_idle_workers_exit),
      cmocka_unit_test(test_pool_tune_scale_down_then_up),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
