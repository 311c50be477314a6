/*
 * test_pool_retain.c - shared ownership of one pool handle: every owner frees
 * once, only the last free releases, waits and frees (ants_pool_retain).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "support.h"

static void retain_null_is_invalid(void **state) {
  (void)state;
  assert_int_equal(ants_pool_retain(NULL), ANTS_ERR_INVALID_ARGUMENT);
}

/* A second owner keeps the pool alive and open after the first one frees. */
static void pool_outlives_its_first_owner(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, NULL), ANTS_OK);
  assert_int_equal(ants_pool_retain(p), ANTS_OK);
  ants_pool_free(p); /* the creator lets go */

  atomic_int ran = 0;
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  assert_false(ants_is_closed(p));
  ants_pool_free(p); /* the last owner: releases, waits, frees */
}

/* The last free waits for the workers like a plain free does. */
static void last_free_waits_for_workers(void **state) {
  (void)state;
  warm_up_threads();
  const int base = thread_count();
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_thread_name(o, "retainw"), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 3, o), ANTS_OK);
  ants_options_free(o);
  for (int i = 0; i < 2; i++) assert_int_equal(ants_pool_retain(p), ANTS_OK);
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 3));
  ants_pool_free(p);
  ants_pool_free(p);
  /* Two owners gone, one left: nothing was released. */
  assert_false(ants_is_closed(p));
  assert_int_equal(ants_running(p), 3);
  gate_open(&g);
  ants_pool_free(p);
  assert_int_equal(thread_count_named("retainw"), 0);
  /* <=, polled: a thread joined before (warm-up, earlier tests) may still
   * have been listed in base - the kernel wakes a joiner a moment before it
   * reaps the thread - and one joined here may still be listed now. */
  assert_true(wait_until(thread_count() <= base));
  gate_destroy(&g);
}

/* Release is shared: one owner closing the pool closes it for every owner. */
static void release_by_one_owner_closes_for_all(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  assert_int_equal(ants_pool_retain(p), ANTS_OK);
  ants_release(p);
  atomic_int ran = 0;
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_CLOSED);
  ants_pool_free(p);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_CLOSED);
  ants_pool_free(p);
  assert_int_equal(atomic_load(&ran), 0);
}

/* Owners on several threads free at once while their tasks run: exactly one
 * of them frees, after every task ran (ASan sees any use after free). */
enum { kOwners = 4, kTasksPerOwner = 200 };
typedef struct owner_ctx {
  ants_pool *pool;
  atomic_int *ran;
  int rc;
} owner_ctx;

static void *owner_main(void *arg) {
  owner_ctx *c = (owner_ctx *)arg;
  c->rc = ANTS_OK;
  for (int i = 0; i < kTasksPerOwner; i++) {
    int rc = ants_submit(c->pool, task_count, c->ran);
    if (rc != ANTS_OK) c->rc = rc;
  }
  ants_pool_free(c->pool);
  return NULL;
}

static void owners_free_concurrently(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, NULL), ANTS_OK);
  atomic_int ran = 0;
  pthread_t th[kOwners];
  owner_ctx ctx[kOwners];
  /* The creator's ownership passes to the first thread; the others retain. */
  for (int i = 1; i < kOwners; i++) assert_int_equal(ants_pool_retain(p), ANTS_OK);
  for (int i = 0; i < kOwners; i++) {
    ctx[i] = (owner_ctx){p, &ran, 1};
    assert_int_equal(pthread_create(&th[i], NULL, owner_main, &ctx[i]), 0);
  }
  for (int i = 0; i < kOwners; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(ctx[i].rc, ANTS_OK);
  }
  /* The last free waited for the workers; every accepted task ran. */
  assert_int_equal(atomic_load(&ran), kOwners * kTasksPerOwner);
}

/* The default pool is never freed: retaining and freeing it are harmless. */
static void default_pool_retain_is_harmless(void **state) {
  (void)state;
  ants_pool *d = ants_default_pool();
  assert_non_null(d);
  assert_int_equal(ants_pool_retain(d), ANTS_OK);
  ants_pool_free(d);
  ants_pool_free(d);
  atomic_int ran = 0;
  assert_int_equal(ants_submit(d, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
}

/* Multipools share the same handle type and the same rule. */
static void multipool_shared_ownership(void **state) {
  (void)state;
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 2, 2, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  assert_int_equal(ants_pool_retain(mp), ANTS_OK);
  ants_pool_free(mp);
  atomic_int ran = 0;
  assert_int_equal(ants_submit(mp, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_wait_idle(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  ants_pool_free(mp);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(retain_null_is_invalid),
      cmocka_unit_test(pool_outlives_its_first_owner),
      cmocka_unit_test(last_free_waits_for_workers),
      cmocka_unit_test(release_by_one_owner_closes_for_all),
      cmocka_unit_test(owners_free_concurrently),
      cmocka_unit_test(default_pool_retain_is_harmless),
      cmocka_unit_test(multipool_shared_ownership),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
