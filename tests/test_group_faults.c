/*
 * test_group_faults.c - task groups when the system says no (issue 8),
 * through the test-only library ants::testing (core/fault_injection.h):
 * a member the pool refused is no member - it is not pending, never
 * counted as panicked, and no wait is held up by it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ants.h"
#include "fault_injection.h"
#include "support.h"
#include "support_extra.h"

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

static void count_log(void *ctx, const char *msg) {
  (void)msg;
  atomic_fetch_add((atomic_int *)ctx, 1);
}
static ants_pool *new_pool(int size, int nonblocking, atomic_int *logged) {
  ants_options *o = NULL;
  ants_pool *p = NULL;
  if (ants_options_new(&o) != ANTS_OK) return NULL;
  ants_options_set_nonblocking(o, nonblocking);
  ants_options_set_logger(o, count_log, logged);
  int rc = ants_pool_new(&p, size, o);
  ants_options_free(o);
  return rc == ANTS_OK ? p : NULL;
}

static void test_group_new_no_memory(void **state) {
  (void)state;
  ants_group *g = NULL;
  ants_fault_inject(ANTS_FAULT_ALLOC, 1);
  assert_int_equal(ants_group_new(&g), ANTS_ERR_NO_MEMORY);
  assert_null(g);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  assert_int_equal(ants_group_new(&g), ANTS_OK);
  assert_non_null(g);
  ants_group_free(g);
}

/* The pool cannot start a thread for the member (nonblocking, or blocking
 * with no live worker): refused with SYSTEM, and the group is as before. */
static void run_refused_member(int nonblocking) {
  static atomic_int logged, ran;
  atomic_init(&logged, 0);
  atomic_init(&ran, 0);
  ants_pool *p = new_pool(2, nonblocking, &logged);
  assert_non_null(p);
  ants_group *g = NULL;
  assert_int_equal(ants_group_new(&g), ANTS_OK);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 1);
  assert_int_equal(ants_group_submit(g, p, task_count, &ran), ANTS_ERR_SYSTEM);
  assert_int_equal(ants_group_pending(g), 0);
  assert_int_equal(ants_group_panicked(g), 0);
  assert_int_equal(ants_group_wait(g, 0), ANTS_OK);
  assert_true(atomic_load(&logged) >= 1);

  /* Threads available again: the group works as usual. */
  assert_int_equal(ants_group_submit(g, p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_group_wait(g, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  ants_group_free(g);
  ants_pool_free(p);
}
static void test_group_member_refused_nonblocking(void **state) {
  (void)state;
  run_refused_member(1);
}
static void test_group_member_refused_blocking(void **state) {
  (void)state;
  run_refused_member(0);
}

/* The worker's bookkeeping cannot be allocated: NO_MEMORY, not a member. */
static void test_group_member_no_memory(void **state) {
  (void)state;
  static atomic_int logged, ran;
  atomic_init(&logged, 0);
  atomic_init(&ran, 0);
  ants_pool *p = new_pool(2, 0, &logged);
  assert_non_null(p);
  ants_group *g = NULL;
  assert_int_equal(ants_group_new(&g), ANTS_OK);
  ants_fault_inject(ANTS_FAULT_ALLOC, -1);
  assert_int_equal(ants_group_submit(g, p, task_count, &ran), ANTS_ERR_NO_MEMORY);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  assert_int_equal(ants_group_pending(g), 0);
  assert_int_equal(ants_group_wait(g, 0), ANTS_OK);
  ants_group_free(g);
  ants_pool_free(p);
  assert_int_equal(atomic_load(&ran), 0);
}

/* Refused and accepted members mixed, on two pools: the wait covers the
 * accepted ones only, each of which ran once. */
static void test_group_mixed_refusals(void **state) {
  (void)state;
  static atomic_int logged;
  static slots s;
  atomic_init(&logged, 0);
  slots_init(&s);
  ants_pool *a = new_pool(2, 1, &logged);
  ants_pool *b = new_pool(2, 1, &logged);
  assert_non_null(a);
  assert_non_null(b);
  ants_group *g = NULL;
  assert_int_equal(ants_group_new(&g), ANTS_OK);
  int rc[40];
  for (int i = 0; i < 40; i++) {
    /* Every third submit finds its thread refused (when it needs one). */
    if (i % 3 == 0) ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 1);
    rc[i] = ants_group_submit(g, i % 2 ? a : b, task_count, &s.n[i]);
    ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  }
  assert_int_equal(ants_group_wait(g, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(ants_group_pending(g), 0);
  assert_int_equal(ants_wait_idle(a, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(ants_wait_idle(b, TEST_DEADLINE_MS), ANTS_OK);
  for (int i = 0; i < 40; i++) {
    assert_true(rc[i] == ANTS_OK || rc[i] == ANTS_ERR_SYSTEM || rc[i] == ANTS_ERR_POOL_OVERLOAD);
    assert_int_equal(atomic_load(&s.n[i]), rc[i] == ANTS_OK ? 1 : 0);
  }
  ants_group_free(g);
  ants_pool_free(a);
  ants_pool_free(b);
}

int main(void) {
  watchdog_install();
  const struct CMUnitTest tests[] = {
      FTEST(test_group_new_no_memory),
      FTEST(test_group_member_refused_nonblocking),
      FTEST(test_group_member_refused_blocking),
      FTEST(test_group_member_no_memory),
      FTEST(test_group_mixed_refusals),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
