/*
 * test_pool_basic.c - submit, invoke, the counters, the unlimited pool,
 * LIFO reuse and the capacity invariant (issue 2, lines 1-3, 10, 13).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

/* A pool whose idle workers never expire, so counts cannot drift while a
 * slow (sanitized, loaded) test looks at them. */
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

static void test_ants_pool_wait_to_get_worker(void **state) {
  (void)state;
  ants_pool *p = NULL;
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_pool_new(&p, 4, NULL), ANTS_OK);
  for (int i = 0; i < 1000; i++) assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1000));
  assert_true(ants_running(p) <= 4);
  ants_pool_free(p);
}

static void test_workers_are_created_lazily(void **state) {
  (void)state;
  ants_pool *p = new_pool(8, "lazy");
  assert_int_equal(thread_count_named("lazy"), 0);
  assert_int_equal(ants_running(p), 0);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  /* One task needed one worker, not the full capacity. */
  assert_true(wait_until(ants_busy(p) == 0));
  assert_int_equal(ants_running(p), 1);
  assert_int_equal(thread_count_named("lazy"), 1);
  ants_pool_free(p);
  assert_true(wait_until(thread_count_named("lazy") == 0));
}

static void test_running_busy_available(void **state) {
  (void)state;
  ants_pool *p = new_pool(4, NULL);
  gate g;
  gate_init(&g);
  assert_int_equal(ants_cap(p), 4);
  assert_int_equal(ants_available(p), 4);
  assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 2));
  assert_int_equal(ants_busy(p), 2);
  assert_int_equal(ants_running(p), 2);
  assert_int_equal(ants_available(p), 2);
  assert_int_equal(ants_waiting(p), 0);
  gate_open(&g);
  assert_true(wait_until(ants_busy(p) == 0));
  /* Running counts idle workers too, as ants' Running() does. */
  assert_int_equal(ants_running(p), 2);
  assert_int_equal(ants_available(p), 2);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_infinite_pool(void **state) {
  (void)state;
  const int sizes[] = {0, -1, -100};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    ants_pool *p = new_pool(sizes[s], NULL);
    gate g;
    gate_init(&g);
    assert_int_equal(ants_cap(p), -1);
    assert_int_equal(ants_available(p), -1);
    /* Far more concurrent tasks than any small default: none has to wait. */
    for (int i = 0; i < 64; i++) assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
    assert_true(wait_until(atomic_load(&g.arrived) == 64));
    assert_int_equal(ants_running(p), 64);
    assert_int_equal(ants_busy(p), 64);
    assert_int_equal(ants_available(p), -1);
    assert_int_equal(ants_waiting(p), 0);
    ants_tune(p, 10); /* a no-op on an unlimited pool */
    assert_int_equal(ants_cap(p), -1);
    gate_open(&g);
    ants_pool_free(p);
    gate_destroy(&g);
  }
}

static void test_lifo_reuse(void **state) {
  (void)state;
  /* The most recently idle worker is reused first, so the cold ones are
   * those left to expire. */
  ants_pool *p = new_pool(3, NULL);
  held_task first[3], again[3];
  for (int i = 0; i < 3; i++) {
    held_init(&first[i]);
    held_init(&again[i]);
    assert_int_equal(ants_submit(p, held_task_run, &first[i]), ANTS_OK);
  }
  for (int i = 0; i < 3; i++) assert_true(wait_until(atomic_load(&first[i].g.arrived) == 1));
  /* Let them go idle one at a time: 0, then 1, then 2. */
  for (int i = 0; i < 3; i++) {
    gate_open(&first[i].g);
    assert_true(wait_until(ants_busy(p) == 2 - i));
  }
  assert_int_equal(ants_running(p), 3);
  /* Each new task, held, takes the most recent idle worker: 2, 1, 0. */
  for (int i = 0; i < 3; i++) {
    assert_int_equal(ants_submit(p, held_task_run, &again[i]), ANTS_OK);
    assert_true(wait_until(atomic_load(&again[i].g.arrived) == 1));
    assert_int_equal(atomic_load(&again[i].tid), atomic_load(&first[2 - i].tid));
  }
  assert_int_equal(ants_running(p), 3);
  for (int i = 0; i < 3; i++) gate_open(&again[i].g);
  ants_pool_free(p);
  for (int i = 0; i < 3; i++) {
    gate_destroy(&first[i].g);
    gate_destroy(&again[i].g);
  }
}

static void record_tid(void *arg) { atomic_store((atomic_long *)arg, test_gettid()); }

static void test_lifo_reuse_back_to_back(void **state) {
  (void)state;
  /* However fast tasks follow each other, the worker that just finished is
   * the most recent idle one, so it takes every next task; the other one
   * stays cold. The loop polls without sleeping so the next task follows at
   * once. */
  ants_pool *p = new_pool(2, NULL);
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
  const long hot = atomic_load(&first[1].tid);
  for (int i = 0; i < 20; i++) {
    atomic_long tid;
    atomic_init(&tid, 0);
    assert_int_equal(ants_submit(p, record_tid, &tid), ANTS_OK);
    const int64_t deadline = now_ms() + TEST_DEADLINE_MS;
    while ((atomic_load(&tid) == 0 || ants_busy(p) != 0) && now_ms() < deadline) {
    }
    assert_int_equal(ants_busy(p), 0);
    assert_int_equal(atomic_load(&tid), hot);
  }
  ants_pool_free(p);
  for (int i = 0; i < 2; i++) gate_destroy(&first[i].g);
}

/* --- the capacity invariant under concurrency ------------------------- */

typedef struct inflight {
  atomic_int cur, max, ran;
} inflight;
static void note_max(atomic_int *max, int v) {
  int m = atomic_load(max);
  while (v > m && !atomic_compare_exchange_weak(max, &m, v)) {
  }
}
static void task_track(void *arg) {
  inflight *f = (inflight *)arg;
  note_max(&f->max, atomic_fetch_add(&f->cur, 1) + 1);
  sched_yield(); /* widen the window in which tasks overlap */
  atomic_fetch_sub(&f->cur, 1);
  atomic_fetch_add(&f->ran, 1);
}

typedef struct stress {
  ants_pool *p;
  inflight f;
  atomic_int stop;
  atomic_int max_running, max_named; /* sampled by the monitor */
  atomic_int submitted;
  const char *name;
  int per_thread;
} stress;

static void *submitter(void *arg) {
  stress *s = (stress *)arg;
  for (int i = 0; i < s->per_thread; i++)
    if (ants_submit(s->p, task_track, &s->f) == ANTS_OK) atomic_fetch_add(&s->submitted, 1);
  return NULL;
}
static void *monitor(void *arg) {
  stress *s = (stress *)arg;
  while (!atomic_load(&s->stop)) {
    note_max(&s->max_running, ants_running(s->p));
    if (s->name) note_max(&s->max_named, thread_count_named(s->name));
    sched_yield();
  }
  return NULL;
}
static void *tuner(void *arg) {
  stress *s = (stress *)arg;
  for (int i = 0; !atomic_load(&s->stop); i++) {
    ants_tune(s->p, 1 + (i * 7 + (int)(test_gettid() % 3)) % 6); /* sizes 1..6 */
    sched_yield();
  }
  return NULL;
}

static void stress_init(stress *s, ants_pool *p, const char *name) {
  s->p = p;
  atomic_init(&s->f.cur, 0);
  atomic_init(&s->f.max, 0);
  atomic_init(&s->f.ran, 0);
  atomic_init(&s->stop, 0);
  atomic_init(&s->max_running, 0);
  atomic_init(&s->max_named, 0);
  atomic_init(&s->submitted, 0);
  s->name = name;
  s->per_thread = 2000;
}

static void test_capacity_invariant_under_concurrent_submit(void **state) {
  (void)state;
  enum { CAP = 4, SUBMITTERS = 4 };
  stress s;
  stress_init(&s, new_pool(CAP, "capinv"), "capinv");
  pthread_t sub[SUBMITTERS], mon;
  pthread_create(&mon, NULL, monitor, &s);
  for (int i = 0; i < SUBMITTERS; i++) pthread_create(&sub[i], NULL, submitter, &s);
  for (int i = 0; i < SUBMITTERS; i++) pthread_join(sub[i], NULL);
  assert_true(wait_until(atomic_load(&s.f.ran) == SUBMITTERS * s.per_thread));
  atomic_store(&s.stop, 1);
  pthread_join(mon, NULL);
  assert_int_equal(atomic_load(&s.submitted), SUBMITTERS * s.per_thread);
  assert_true(atomic_load(&s.f.max) <= CAP);
  assert_true(atomic_load(&s.max_running) <= CAP);
  /* OS threads too: workers never expire here, so none is mid-exit. */
  assert_true(atomic_load(&s.max_named) <= CAP);
  ants_pool_free(s.p);
}

static void test_capacity_invariant_under_concurrent_tune(void **state) {
  (void)state;
  enum { SUBMITTERS = 3, TUNERS = 2, MAXCAP = 6 };
  stress s;
  stress_init(&s, new_pool(MAXCAP, NULL), NULL);
  pthread_t sub[SUBMITTERS], tun[TUNERS], mon;
  pthread_create(&mon, NULL, monitor, &s);
  for (int i = 0; i < TUNERS; i++) pthread_create(&tun[i], NULL, tuner, &s);
  for (int i = 0; i < SUBMITTERS; i++) pthread_create(&sub[i], NULL, submitter, &s);
  for (int i = 0; i < SUBMITTERS; i++) pthread_join(sub[i], NULL);
  assert_true(wait_until(atomic_load(&s.f.ran) == SUBMITTERS * s.per_thread));
  atomic_store(&s.stop, 1);
  for (int i = 0; i < TUNERS; i++) pthread_join(tun[i], NULL);
  pthread_join(mon, NULL);
  assert_int_equal(atomic_load(&s.submitted), SUBMITTERS * s.per_thread);
  /* Whatever the interleaving, no capacity above MAXCAP was ever set. */
  assert_true(atomic_load(&s.f.max) <= MAXCAP);
  assert_true(atomic_load(&s.max_running) <= MAXCAP);
  int cap = ants_cap(s.p);
  assert_true(cap >= 1 && cap <= MAXCAP);
  assert_true(ants_running(s.p) <= MAXCAP);
  ants_pool_free(s.p);
}

/* --- pools with a function -------------------------------------------- */

typedef struct summer {
  atomic_long sum;
  atomic_int calls;
} summer;
static summer the_sum;
static void add_arg(void *arg) {
  atomic_fetch_add(&the_sum.sum, *(const int *)arg);
  atomic_fetch_add(&the_sum.calls, 1);
}

static void test_ants_pool_with_func_wait_to_get_worker(void **state) {
  (void)state;
  /* The ants README example: 1000 invokes on a pool of 10 sum to 499500. */
  static int args[1000];
  ants_pool *p = NULL;
  atomic_init(&the_sum.sum, 0);
  atomic_init(&the_sum.calls, 0);
  assert_int_equal(ants_pool_with_func_new(&p, 10, add_arg, NULL), ANTS_OK);
  assert_int_equal(ants_cap(p), 10);
  for (int i = 0; i < 1000; i++) {
    args[i] = i;
    assert_int_equal(ants_invoke(p, &args[i]), ANTS_OK);
  }
  assert_true(wait_until(atomic_load(&the_sum.calls) == 1000));
  assert_int_equal(atomic_load(&the_sum.sum), 499500);
  assert_true(ants_running(p) <= 10);
  ants_pool_free(p);
}

static void test_pool_with_func_infinite(void **state) {
  (void)state;
  ants_pool *p = NULL;
  gate g;
  gate_init(&g);
  assert_int_equal(ants_pool_with_func_new(&p, 0, task_gate_pass, NULL), ANTS_OK);
  assert_int_equal(ants_cap(p), -1);
  for (int i = 0; i < 20; i++) assert_int_equal(ants_invoke(p, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 20));
  gate_open(&g);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_submit_and_invoke_need_the_right_pool(void **state) {
  (void)state;
  ants_pool *plain = NULL, *with_func = NULL;
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_pool_new(&plain, 2, NULL), ANTS_OK);
  assert_int_equal(ants_pool_with_func_new(&with_func, 2, task_count, NULL), ANTS_OK);
  assert_int_equal(ants_invoke(plain, &ran), ANTS_ERR_LACK_POOL_FUNC);
  assert_int_equal(ants_submit(with_func, task_count, &ran), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_submit(plain, NULL, &ran), ANTS_ERR_INVALID_ARGUMENT);
  ants_pool *none = NULL;
  assert_int_equal(ants_pool_with_func_new(&none, 2, NULL, NULL), ANTS_ERR_LACK_POOL_FUNC);
  /* Nothing rejected ran. */
  assert_int_equal(atomic_load(&ran), 0);
  assert_int_equal(ants_invoke(with_func, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  ants_pool_free(plain);
  ants_pool_free(with_func);
}

/* --- callbacks run with no library lock held -------------------------- */

typedef struct nested {
  ants_pool *p;
  atomic_int inner_ran;
  atomic_int rc;
  atomic_int inner_before_return;
  atomic_long outer_tid, inner_tid;
  atomic_int done;
} nested;
static nested the_nested;
static void inner_task(void *arg) {
  nested *n = (nested *)arg;
  atomic_store(&n->inner_tid, test_gettid());
  atomic_store(&n->inner_ran, 1);
}
static void outer_task(void *arg) {
  nested *n = (nested *)arg;
  atomic_store(&n->outer_tid, test_gettid());
  /* The pool's only worker is this one: ants would deadlock here. */
  atomic_store(&n->rc, ants_submit(n->p, inner_task, n));
  atomic_store(&n->inner_before_return, atomic_load(&n->inner_ran));
  /* Calls back into the library from a task must not deadlock either. */
  ants_tune(n->p, ants_cap(n->p));
  (void)ants_running(n->p);
  atomic_store(&n->done, 1);
}

static void test_nested_submit_on_saturated_pool_runs_inline(void **state) {
  (void)state;
  nested *n = &the_nested;
  atomic_init(&n->inner_ran, 0);
  atomic_init(&n->rc, 1);
  atomic_init(&n->inner_before_return, 0);
  atomic_init(&n->outer_tid, 0);
  atomic_init(&n->inner_tid, 0);
  atomic_init(&n->done, 0);
  assert_int_equal(ants_pool_new(&n->p, 1, NULL), ANTS_OK);
  assert_int_equal(ants_submit(n->p, outer_task, n), ANTS_OK);
  assert_true(wait_until(atomic_load(&n->done) == 1));
  assert_int_equal(atomic_load(&n->rc), ANTS_OK);
  assert_int_equal(atomic_load(&n->inner_before_return), 1);
  assert_int_equal(atomic_load(&n->inner_tid), atomic_load(&n->outer_tid));
  ants_pool_free(n->p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ants_pool_wait_to_get_worker),
      cmocka_unit_test(test_workers_are_created_lazily),
      cmocka_unit_test(test_running_busy_available),
      cmocka_unit_test(test_infinite_pool),
      cmocka_unit_test(test_lifo_reuse),
      cmocka_unit_test(test_lifo_reuse_back_to_back),
      cmocka_unit_test(test_capacity_invariant_under_concurrent_submit),
      cmocka_unit_test(test_capacity_invariant_under_concurrent_tune),
      cmocka_unit_test(test_ants_pool_with_func_wait_to_get_worker),
      cmocka_unit_test(test_pool_with_func_infinite),
      cmocka_unit_test(test_submit_and_invoke_need_the_right_pool),
      cmocka_unit_test(test_nested_submit_on_saturated_pool_runs_inline),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
