/*
 * test_options.c - the options object: defaults, validation by each setter,
 * and the pool keeping its own copy (issue 2, "Options").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "support.h"

static void noop_panic(void *ctx, const char *what) { (void)ctx, (void)what; }
static void noop_log(void *ctx, const char *msg) { (void)ctx, (void)msg; }
static void noop_hook(void *ctx) { (void)ctx; }

static void test_options_new_and_free(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_non_null(o);
  ants_options_free(o);
  ants_options_free(NULL); /* destructors accept NULL */
  assert_int_equal(ants_options_new(NULL), ANTS_ERR_INVALID_ARGUMENT);
}

static void test_every_setter_accepts_valid_values(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, 0), ANTS_OK); /* 0 = default */
  assert_int_equal(ants_options_set_expiry_ms(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, 3600000), ANTS_OK);
  assert_int_equal(ants_options_set_pre_alloc(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_pre_alloc(o, 0), ANTS_OK);
  assert_int_equal(ants_options_set_max_blocking_tasks(o, 0), ANTS_OK);
  assert_int_equal(ants_options_set_max_blocking_tasks(o, 7), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, 0), ANTS_OK);
  assert_int_equal(ants_options_set_disable_purge(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_disable_purge(o, 0), ANTS_OK);
  assert_int_equal(ants_options_set_panic_handler(o, noop_panic, o), ANTS_OK);
  assert_int_equal(ants_options_set_panic_handler(o, NULL, NULL), ANTS_OK);
  assert_int_equal(ants_options_set_logger(o, noop_log, o), ANTS_OK);
  assert_int_equal(ants_options_set_logger(o, NULL, NULL), ANTS_OK);
  assert_int_equal(ants_options_set_worker_hooks(o, noop_hook, noop_hook, o), ANTS_OK);
  assert_int_equal(ants_options_set_worker_hooks(o, NULL, noop_hook, NULL), ANTS_OK);
  assert_int_equal(ants_options_set_worker_hooks(o, NULL, NULL, NULL), ANTS_OK);
  assert_int_equal(ants_options_set_stack_size(o, 0), ANTS_OK);
  assert_int_equal(ants_options_set_stack_size(o, 16 * 1024), ANTS_OK);
  assert_int_equal(ants_options_set_stack_size(o, 4 * 1024 * 1024), ANTS_OK);
  assert_int_equal(ants_options_set_thread_name(o, "io"), ANTS_OK);
  assert_int_equal(ants_options_set_thread_name(o, ""), ANTS_OK);
  assert_int_equal(ants_options_set_thread_name(o, NULL), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 0), ANTS_OK);
  ants_options_free(o);
}

static void test_invalid_values_are_rejected(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  /* The header documents that the setter, not pool creation, checks expiry. */
  assert_int_equal(ants_options_set_expiry_ms(o, -1), ANTS_ERR_INVALID_POOL_EXPIRY);
  assert_int_equal(ants_options_set_expiry_ms(o, INT64_MIN), ANTS_ERR_INVALID_POOL_EXPIRY);
  assert_int_equal(ants_options_set_max_blocking_tasks(o, -1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_stack_size(o, 1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_stack_size(o, 16 * 1024 - 1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_queue_size(o, -1), ANTS_ERR_INVALID_ARGUMENT);
  /* A rejected value leaves the options usable. */
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, o), ANTS_OK);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  ants_pool_free(p);
  ants_options_free(o);
}

static void test_every_setter_rejects_null_options(void **state) {
  (void)state;
  assert_int_equal(ants_options_set_expiry_ms(NULL, 10), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_pre_alloc(NULL, 1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_max_blocking_tasks(NULL, 1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_nonblocking(NULL, 1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_disable_purge(NULL, 1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_panic_handler(NULL, noop_panic, NULL),
                   ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_logger(NULL, noop_log, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_worker_hooks(NULL, noop_hook, noop_hook, NULL),
                   ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_stack_size(NULL, 0), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_thread_name(NULL, "x"), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_queue_size(NULL, 0), ANTS_ERR_INVALID_ARGUMENT);
}

static void test_pool_copies_options(void **state) {
  (void)state;
  /* The pool must not keep a pointer into the options: they are freed before
   * the pool is used (ASan catches a use after free). */
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_thread_name(o, "copied"), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);

  gate g;
  gate_init(&g);
  assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 1));
  /* Nonblocking survived the free: a full pool fails at once. */
  assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_ERR_POOL_OVERLOAD);
  gate_open(&g);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_options_reusable_for_several_pools(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  ants_pool *a = NULL, *b = NULL;
  assert_int_equal(ants_pool_new(&a, 3, o), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  assert_int_equal(ants_pool_new(&b, 5, o), ANTS_OK);
  ants_options_free(o);
  assert_int_equal(ants_cap(a), 3);
  assert_int_equal(ants_cap(b), 5);
  /* Pool a was made before nonblocking was set: it keeps blocking. */
  gate g;
  gate_init(&g);
  bg_submit bg;
  for (int i = 0; i < 3; i++) assert_int_equal(ants_submit(a, task_gate_pass, &g), ANTS_OK);
  bg_submit_start(&bg, a, task_gate_pass, &g);
  assert_true(wait_until(ants_waiting(a) == 1));
  gate_open(&g);
  assert_int_equal(bg_submit_join(&bg), ANTS_OK);
  ants_pool_free(a);
  ants_pool_free(b);
  gate_destroy(&g);
}

static void test_pool_new_null_options_uses_defaults(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 4, NULL), ANTS_OK);
  assert_int_equal(ants_cap(p), 4);
  assert_int_equal(ants_is_closed(p), 0);
  assert_int_equal(ants_queued(p), 0);
  ants_pool_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_options_new_and_free),
      cmocka_unit_test(test_every_setter_accepts_valid_values),
      cmocka_unit_test(test_invalid_values_are_rejected),
      cmocka_unit_test(test_every_setter_rejects_null_options),
      cmocka_unit_test(test_pool_copies_options),
      cmocka_unit_test(test_options_reusable_for_several_pools),
      cmocka_unit_test(test_pool_new_null_options_uses_defaults),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
