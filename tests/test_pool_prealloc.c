/*
 * test_pool_prealloc.c - pre-alloc pools: FIFO reuse, size validation, tune
 * as a no-op, expiry (issue 2, line 8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

static ants_options *prealloc_options(int64_t expiry_ms, int disable_purge) {
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_pre_alloc(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, expiry_ms), ANTS_OK);
  assert_int_equal(ants_options_set_disable_purge(o, disable_purge), ANTS_OK);
  return o;
}

static ants_pool *new_pool(int size, int64_t expiry_ms, int disable_purge) {
  ants_options *o = prealloc_options(expiry_ms, disable_purge);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, size, o), ANTS_OK);
  ants_options_free(o);
  return p;
}

static void test_pre_alloc_invalid_size(void **state) {
  (void)state;
  ants_options *o = prealloc_options(0, 0);
  const int sizes[] = {0, -1, -1000};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    ants_pool *p = NULL;
    assert_int_equal(ants_pool_new(&p, sizes[i], o), ANTS_ERR_INVALID_PRE_ALLOC_SIZE);
    assert_int_equal(ants_pool_with_func_new(&p, sizes[i], task_count, o),
                     ANTS_ERR_INVALID_PRE_ALLOC_SIZE);
  }
  ants_options_free(o);
}

static void test_pre_alloc_runs_tasks(void **state) {
  (void)state;
  ants_pool *p = new_pool(4, 0, 0);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_cap(p), 4);
  for (int i = 0; i < 500; i++) assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 500));
  assert_true(ants_running(p) <= 4);
  ants_pool_free(p);
}

static void test_ants_pool_with_func_get_worker_from_cache_pre_malloc(void **state) {
  (void)state;
  ants_options *o = prealloc_options(0, 0);
  ants_pool *p = NULL;
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_pool_with_func_new(&p, 3, task_count, o), ANTS_OK);
  ants_options_free(o);
  for (int i = 0; i < 100; i++) assert_int_equal(ants_invoke(p, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 100));
  ants_pool_free(p);
}

static void test_pre_alloc_fifo_reuse(void **state) {
  (void)state;
  /* The pre-allocated ring hands idle workers out first-in first-out. */
  ants_pool *p = new_pool(3, 0, 1);
  held_task first[3], again[3];
  for (int i = 0; i < 3; i++) {
    held_init(&first[i]);
    held_init(&again[i]);
    assert_int_equal(ants_submit(p, held_task_run, &first[i]), ANTS_OK);
  }
  for (int i = 0; i < 3; i++) assert_true(wait_until(atomic_load(&first[i].g.arrived) == 1));
  for (int i = 0; i < 3; i++) {
    gate_open(&first[i].g);
    assert_true(wait_until(ants_busy(p) == 2 - i));
  }
  /* Idle in the order 0, 1, 2: reused in the same order. */
  for (int i = 0; i < 3; i++) {
    assert_int_equal(ants_submit(p, held_task_run, &again[i]), ANTS_OK);
    assert_true(wait_until(atomic_load(&again[i].g.arrived) == 1));
    assert_int_equal(atomic_load(&again[i].tid), atomic_load(&first[i].tid));
  }
  for (int i = 0; i < 3; i++) gate_open(&again[i].g);
  ants_pool_free(p);
  for (int i = 0; i < 3; i++) {
    gate_destroy(&first[i].g);
    gate_destroy(&again[i].g);
  }
}

static void record_tid(void *arg) { atomic_store((atomic_long *)arg, test_gettid()); }

static void test_pre_alloc_fifo_reuse_back_to_back(void **state) {
  (void)state;
  /* FIFO holds however fast the next task comes: a worker that has just
   * finished goes to the back, so two idle workers strictly alternate. The
   * loop polls without sleeping so that the next task follows at once. */
  ants_pool *p = new_pool(2, 0, 1);
  held_task first[2];
  for (int i = 0; i < 2; i++) {
    held_init(&first[i]);
    assert_int_equal(ants_submit(p, held_task_run, &first[i]), ANTS_OK);
  }
  for (int i = 0; i < 2; i++) assert_true(wait_until(atomic_load(&first[i].g.arrived) == 1));
  for (int i = 0; i < 2; i++) {
    gate_open(&first[i].g);
    assert_true(wait_until(ants_busy(p) == 1 - i));
  }
  long want[2] = {atomic_load(&first[0].tid), atomic_load(&first[1].tid)};
  for (int i = 0; i < 20; i++) {
    atomic_long tid;
    atomic_init(&tid, 0);
    assert_int_equal(ants_submit(p, record_tid, &tid), ANTS_OK);
    const int64_t deadline = now_ms() + TEST_DEADLINE_MS;
    while ((atomic_load(&tid) == 0 || ants_busy(p) != 0) && now_ms() < deadline) {
    }
    assert_int_equal(ants_busy(p), 0);
    assert_int_equal(atomic_load(&tid), want[i % 2]);
  }
  ants_pool_free(p);
  for (int i = 0; i < 2; i++) gate_destroy(&first[i].g);
}

static void test_pre_alloc_tune_is_noop(void **state) {
  (void)state;
  ants_pool *p = new_pool(5, 0, 0);
  ants_tune(p, 10);
  assert_int_equal(ants_cap(p), 5);
  ants_tune(p, 2);
  assert_int_equal(ants_cap(p), 5);
  assert_int_equal(ants_available(p), 5);
  ants_pool_free(p);
}

static void test_pre_alloc_full_pool_blocks_and_overloads(void **state) {
  (void)state;
  ants_options *o = prealloc_options(0, 1);
  ants_pool *p = NULL;
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  assert_int_equal(ants_pool_new(&p, 2, o), ANTS_OK);
  ants_options_free(o);
  for (int i = 0; i < 2; i++) assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 2));
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_OVERLOAD);
  gate_open(&g);
  ants_pool_free(p);
  assert_int_equal(atomic_load(&ran), 0);
  gate_destroy(&g);
}

static void test_purge_pre_malloc_pool(void **state) {
  (void)state;
  /* ants' TestPurgePreMallocPool: gone within 2x expiry, plus generous
   * slack for a loaded machine. */
  ants_pool *p = new_pool(6, 100, 0);
  gate g;
  gate_init(&g);
  for (int i = 0; i < 6; i++) assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 6));
  gate_open(&g);
  assert_true(wait_until(ants_busy(p) == 0));
  assert_true(wait_until_ms(ants_running(p) == 0, 2 * 100 + 5000));
  /* The ring is reusable after a purge. */
  atomic_int ran;
  atomic_init(&ran, 0);
  for (int i = 0; i < 20; i++) assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 20));
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_pre_alloc_reboot(void **state) {
  (void)state;
  ants_pool *p = new_pool(3, 0, 0);
  atomic_int ran;
  atomic_init(&ran, 0);
  for (int i = 0; i < 10; i++) assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_release_timeout(p, -1), ANTS_OK);
  ants_reboot(p);
  for (int i = 0; i < 10; i++) assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 20));
  assert_true(ants_running(p) <= 3);
  ants_pool_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pre_alloc_invalid_size),
      cmocka_unit_test(test_pre_alloc_runs_tasks),
      cmocka_unit_test(test_ants_pool_with_func_get_worker_from_cache_pre_malloc),
      cmocka_unit_test(test_pre_alloc_fifo_reuse),
      cmocka_unit_test(test_pre_alloc_fifo_reuse_back_to_back),
      cmocka_unit_test(test_pre_alloc_tune_is_noop),
      cmocka_unit_test(test_pre_alloc_full_pool_blocks_and_overloads),
      cmocka_unit_test(test_purge_pre_malloc_pool),
      cmocka_unit_test(test_pre_alloc_reboot),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
