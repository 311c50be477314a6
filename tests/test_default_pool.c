/*
 * test_default_pool.c - the process-wide default pool (issue 2, line 12).
 *
 * The default pool lives as long as the process, so this suite has its own
 * executable and its tests run in order: the first checks the state before
 * anything touched the pool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

enum { CALLERS = 8 };
typedef struct first_use {
  gate start;
  ants_pool *seen[CALLERS];
} first_use;
static first_use the_first_use;
static void *call_default_pool(void *arg) {
  ants_pool **slot = (ants_pool **)arg;
  gate_pass(&the_first_use.start);
  *slot = ants_default_pool();
  return NULL;
}

static void test_default_pool_made_on_first_use(void **state) {
  (void)state;
  /* Loading the library started no thread. */
  assert_int_equal(thread_count_named("ants"), 0);
  /* Many threads race to make it: all get the same pool. */
  first_use *f = &the_first_use;
  pthread_t th[CALLERS];
  gate_init(&f->start);
  for (int i = 0; i < CALLERS; i++) pthread_create(&th[i], NULL, call_default_pool, &f->seen[i]);
  assert_true(wait_until(atomic_load(&f->start.arrived) == CALLERS));
  gate_open(&f->start);
  for (int i = 0; i < CALLERS; i++) pthread_join(th[i], NULL);
  assert_non_null(f->seen[0]);
  for (int i = 1; i < CALLERS; i++) assert_ptr_equal(f->seen[i], f->seen[0]);
  assert_ptr_equal(ants_default_pool(), f->seen[0]);
  gate_destroy(&f->start);
  /* Made, but lazily: no worker until a task needs one. */
  assert_int_equal(ants_running(ants_default_pool()), 0);
}

static void test_default_pool_capacity(void **state) {
  (void)state;
  ants_pool *p = ants_default_pool();
  assert_int_equal(ants_cap(p), ANTS_DEFAULT_POOL_SIZE);
  assert_true(ANTS_DEFAULT_POOL_SIZE > 0); /* finite, unlike ants' MaxInt32 */
  assert_int_equal(ants_available(p), ANTS_DEFAULT_POOL_SIZE - ants_running(p));
  assert_int_equal(ants_is_closed(p), 0);
}

static void test_default_pool_runs_tasks(void **state) {
  (void)state;
  ants_pool *p = ants_default_pool();
  atomic_int ran;
  atomic_init(&ran, 0);
  for (int i = 0; i < 100; i++) assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 100));
  assert_true(ants_running(p) >= 1);
  assert_true(thread_count_named("ants-") >= 1);
}

static void test_default_pool_free_is_noop(void **state) {
  (void)state;
  ants_pool *p = ants_default_pool();
  ants_pool_free(p);
  assert_ptr_equal(ants_default_pool(), p);
  assert_int_equal(ants_is_closed(p), 0);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
}

static void test_reboot_default_pool(void **state) {
  (void)state;
  /* ants' TestRebootDefaultPool. */
  ants_pool *p = ants_default_pool();
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_release_timeout(p, -1), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  assert_int_equal(ants_is_closed(p), 1);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_CLOSED);
  ants_reboot(p);
  assert_int_equal(ants_is_closed(p), 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 2));
  assert_ptr_equal(ants_default_pool(), p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_default_pool_made_on_first_use),
      cmocka_unit_test(test_default_pool_capacity),
      cmocka_unit_test(test_default_pool_runs_tasks),
      cmocka_unit_test(test_default_pool_free_is_noop),
      cmocka_unit_test(test_reboot_default_pool),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
