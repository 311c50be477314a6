/*
 * test_pool_release.c - release, release_timeout, reboot and pool_free,
 * including from inside the pool's own tasks (issue 2, lines 6, 14).
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
  /* Idle workers stay until release, so only release can remove them. */
  assert_int_equal(ants_options_set_disable_purge(o, 1), ANTS_OK);
  if (name) assert_int_equal(ants_options_set_thread_name(o, name), ANTS_OK);
  assert_int_equal(ants_pool_new(&p, size, o), ANTS_OK);
  ants_options_free(o);
  return p;
}

/* ants_release_timeout or ants_pool_free on a background thread. */
typedef struct bg_call {
  pthread_t th;
  ants_pool *p;
  int64_t timeout_ms; /* INT64_MIN: call ants_pool_free instead */
  int rc;
  atomic_int done;
} bg_call;
static void *bg_call_main(void *arg) {
  bg_call *c = (bg_call *)arg;
  if (c->timeout_ms == INT64_MIN)
    ants_pool_free(c->p);
  else
    c->rc = ants_release_timeout(c->p, c->timeout_ms);
  atomic_store(&c->done, 1);
  return NULL;
}
static void bg_call_start(bg_call *c, ants_pool *p, int64_t timeout_ms) {
  c->p = p;
  c->timeout_ms = timeout_ms;
  c->rc = 1;
  atomic_init(&c->done, 0);
  pthread_create(&c->th, NULL, bg_call_main, c);
}
static int bg_call_join(bg_call *c) {
  pthread_join(c->th, NULL);
  return c->rc;
}

static void test_release(void **state) {
  (void)state;
  ants_pool *p = new_pool(5, "release");
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, 5));
  /* Returns at once although five tasks are still held. */
  ants_release(p);
  assert_int_equal(ants_is_closed(p), 1);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_CLOSED);
  ants_release(p); /* twice is harmless */
  assert_int_equal(ants_is_closed(p), 1);
  /* Running tasks are never interrupted. */
  assert_int_equal(atomic_load(&g.left), 0);
  assert_int_equal(ants_busy(p), 5);
  gate_open(&g);
  assert_true(wait_until(atomic_load(&g.left) == 5));
  /* Workers finishing after release exit instead of going idle. */
  assert_true(wait_until(ants_running(p) == 0));
  assert_true(wait_until(thread_count_named("release") == 0));
  assert_int_equal(atomic_load(&ran), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_release_idle_workers_exit(void **state) {
  (void)state;
  ants_pool *p = new_pool(3, "relidle");
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 3));
  gate_open(&g);
  assert_true(wait_until(ants_busy(p) == 0));
  assert_int_equal(ants_running(p), 3);
  ants_release(p);
  assert_true(wait_until(ants_running(p) == 0));
  assert_true(wait_until(thread_count_named("relidle") == 0));
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_release_wakes_blocked_callers(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, NULL);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, 1));
  bg_submit bg[2];
  for (int i = 0; i < 2; i++) bg_submit_start(&bg[i], p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == 2));
  ants_release(p);
  for (int i = 0; i < 2; i++) assert_int_equal(bg_submit_join(&bg[i]), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(ants_waiting(p), 0);
  gate_open(&g);
  ants_pool_free(p);
  /* A refused task never runs. */
  assert_int_equal(atomic_load(&ran), 0);
  gate_destroy(&g);
}

static void test_ants_pool_with_func_release_timeout(void **state) {
  (void)state;
  ants_pool *p = NULL;
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_pool_with_func_new(&p, 2, task_count, NULL), ANTS_OK);
  assert_int_equal(ants_invoke(p, &ran), ANTS_OK);
  ants_release(p);
  assert_int_equal(ants_invoke(p, &ran), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(ants_release_timeout(p, -1), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  ants_pool_free(p);
}

static void test_release_timeout(void **state) {
  (void)state;
  /* ants' TestReleaseTimeout: waits for running tasks, then returns OK. */
  ants_pool *p = new_pool(10, "reltimeout");
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 10));
  bg_call c;
  bg_call_start(&c, p, -1);
  assert_true(wait_until(ants_is_closed(p) == 1));
  assert_int_equal(atomic_load(&g.left), 0);
  assert_int_equal(atomic_load(&c.done), 0); /* the tasks are still held */
  gate_open(&g);
  assert_int_equal(bg_call_join(&c), ANTS_OK);
  assert_int_equal(atomic_load(&g.left), 10);
  assert_int_equal(ants_running(p), 0);
  assert_true(wait_until(thread_count_named("reltimeout") == 0));
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_release_timeout_runs_out(void **state) {
  (void)state;
  ants_pool *p = new_pool(2, NULL);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, 2));
  assert_int_equal(ants_release_timeout(p, 30), ANTS_ERR_TIMEOUT);
  assert_int_equal(ants_release_timeout(p, 0), ANTS_ERR_TIMEOUT);
  /* The pool stays closed after a timeout. */
  assert_int_equal(ants_is_closed(p), 1);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_CLOSED);
  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, -1), ANTS_OK);
  assert_int_equal(ants_running(p), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_release_timeout_after_release(void **state) {
  (void)state;
  /* Differs from ants, which returns ErrPoolClosed here without waiting. */
  ants_pool *p = new_pool(3, "relafter");
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 3));
  ants_release(p);
  /* It waits rather than reporting "closed": held tasks make it time out. */
  assert_int_equal(ants_release_timeout(p, 20), ANTS_ERR_TIMEOUT);
  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, -1), ANTS_OK);
  assert_int_equal(ants_running(p), 0);
  assert_true(wait_until(thread_count_named("relafter") == 0));
  assert_int_equal(ants_release_timeout(p, -1), ANTS_OK); /* and again */
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_release_timeout_idle_pool(void **state) {
  (void)state;
  ants_pool *p = new_pool(4, NULL);
  atomic_int ran;
  atomic_init(&ran, 0);
  for (int i = 0; i < 100; i++) assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_release_timeout(p, -1), ANTS_OK);
  /* Every accepted task ran before the workers were allowed to exit. */
  assert_int_equal(atomic_load(&ran), 100);
  assert_int_equal(ants_running(p), 0);
  ants_pool_free(p);
}

typedef struct self_call {
  ants_pool *p;
  atomic_int rc_forever, rc_timed, rc_idle, done;
} self_call;
static self_call the_self_call;
static void release_timeout_from_task(void *arg) {
  self_call *s = (self_call *)arg;
  atomic_store(&s->rc_forever, ants_release_timeout(s->p, -1));
  atomic_store(&s->rc_timed, ants_release_timeout(s->p, 60000));
  atomic_store(&s->rc_idle, ants_wait_idle(s->p, -1));
  atomic_store(&s->done, 1);
}

static void test_release_timeout_from_own_task_would_deadlock(void **state) {
  (void)state;
  self_call *s = &the_self_call;
  atomic_init(&s->rc_forever, 1);
  atomic_init(&s->rc_timed, 1);
  atomic_init(&s->rc_idle, 1);
  atomic_init(&s->done, 0);
  s->p = new_pool(2, NULL);
  assert_int_equal(ants_submit(s->p, release_timeout_from_task, s), ANTS_OK);
  /* "Returns at once": well before the 60 s timeout it was given. */
  assert_true(wait_until(atomic_load(&s->done) == 1));
  assert_int_equal(atomic_load(&s->rc_forever), ANTS_ERR_WOULD_DEADLOCK);
  assert_int_equal(atomic_load(&s->rc_timed), ANTS_ERR_WOULD_DEADLOCK);
  assert_int_equal(atomic_load(&s->rc_idle), ANTS_ERR_WOULD_DEADLOCK);
  /* It left the pool as it was: still open and serving. */
  assert_int_equal(ants_is_closed(s->p), 0);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_submit(s->p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  ants_pool_free(s->p);
}

typedef struct self_release {
  ants_pool *p;
  atomic_int done, closed_inside;
} self_release;
static self_release the_self_release;
static void release_from_task(void *arg) {
  self_release *s = (self_release *)arg;
  ants_release(s->p); /* returns at once: it never waits for workers */
  atomic_store(&s->closed_inside, ants_is_closed(s->p));
  atomic_store(&s->done, 1);
}

static void test_release_from_own_task(void **state) {
  (void)state;
  self_release *s = &the_self_release;
  atomic_init(&s->done, 0);
  atomic_init(&s->closed_inside, 0);
  s->p = new_pool(2, "selfrelease");
  assert_int_equal(ants_submit(s->p, release_from_task, s), ANTS_OK);
  assert_true(wait_until(atomic_load(&s->done) == 1));
  assert_int_equal(atomic_load(&s->closed_inside), 1);
  /* The releasing task's own worker leaves once the task is over. */
  assert_true(wait_until(ants_running(s->p) == 0));
  assert_int_equal(ants_release_timeout(s->p, -1), ANTS_OK);
  ants_pool_free(s->p);
  assert_true(wait_until(thread_count_named("selfrelease") == 0));
}

static void test_reboot_new_pool(void **state) {
  (void)state;
  /* ants' TestRebootNewPool. */
  ants_pool *p = new_pool(10, NULL);
  atomic_int ran;
  atomic_init(&ran, 0);
  ants_reboot(p); /* a no-op on an open pool */
  assert_int_equal(ants_is_closed(p), 0);
  for (int i = 0; i < 10; i++) assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_release_timeout(p, -1), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 10);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_CLOSED);
  ants_reboot(p);
  assert_int_equal(ants_is_closed(p), 0);
  for (int i = 0; i < 10; i++) assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 20));
  assert_int_equal(ants_cap(p), 10);
  ants_pool_free(p);
}

static void test_reboot_new_pool_with_func(void **state) {
  (void)state;
  ants_pool *p = NULL;
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_pool_with_func_new(&p, 4, task_count, NULL), ANTS_OK);
  for (int i = 0; i < 10; i++) assert_int_equal(ants_invoke(p, &ran), ANTS_OK);
  assert_int_equal(ants_release_timeout(p, -1), ANTS_OK);
  assert_int_equal(ants_invoke(p, &ran), ANTS_ERR_POOL_CLOSED);
  ants_reboot(p);
  for (int i = 0; i < 10; i++) assert_int_equal(ants_invoke(p, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 20));
  ants_pool_free(p);
}

/* A held task that records which thread ran it. */
typedef struct shared_gate_task {
  gate *g;
  atomic_long tid;
} shared_gate_task;
static void shared_gate_task_run(void *arg) {
  shared_gate_task *h = (shared_gate_task *)arg;
  atomic_store(&h->tid, test_gettid());
  gate_pass(h->g);
}

static void test_reboot_old_generation_never_rejoins(void **state) {
  (void)state;
  /* ants lets a worker of the old generation, finishing an old task, join
   * the rebooted pool (ants #330); libants retires it. */
  ants_pool *p = new_pool(2, "oldgen");
  gate old_gate, new_gate;
  gate_init(&old_gate);
  gate_init(&new_gate);
  shared_gate_task old_tasks[2], new_tasks[2];
  for (int i = 0; i < 2; i++) {
    old_tasks[i].g = &old_gate;
    new_tasks[i].g = &new_gate;
    atomic_init(&old_tasks[i].tid, 0);
    atomic_init(&new_tasks[i].tid, 0);
    assert_int_equal(ants_submit(p, shared_gate_task_run, &old_tasks[i]), ANTS_OK);
  }
  assert_true(wait_until(atomic_load(&old_gate.arrived) == 2));
  ants_release(p);
  ants_reboot(p);
  assert_int_equal(ants_is_closed(p), 0);
  gate_open(&old_gate);
  assert_true(wait_until(atomic_load(&old_gate.left) == 2));
  /* With purge off, a rejoined worker would stay alive as an idle worker. */
  assert_true(wait_until(thread_count_named("oldgen") == 0));
  assert_true(wait_until(ants_running(p) == 0));
  for (int i = 0; i < 2; i++)
    assert_int_equal(ants_submit(p, shared_gate_task_run, &new_tasks[i]), ANTS_OK);
  assert_true(wait_until(atomic_load(&new_gate.arrived) == 2));
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++)
      assert_int_not_equal(atomic_load(&new_tasks[i].tid), atomic_load(&old_tasks[j].tid));
  assert_int_equal(ants_running(p), 2);
  gate_open(&new_gate);
  ants_pool_free(p);
  gate_destroy(&old_gate);
  gate_destroy(&new_gate);
}

static void test_reboot_while_old_tasks_run_accepts_new_tasks(void **state) {
  (void)state;
  ants_pool *p = new_pool(2, NULL);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, 2));
  ants_release(p);
  ants_reboot(p);
  /* New tasks are accepted at once; they run no later than when the old
   * generation's tasks finish. */
  bg_submit bg;
  bg_submit_start(&bg, p, task_count, &ran);
  gate_open(&g);
  assert_int_equal(bg_submit_join(&bg), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  ants_pool_free(p);
  gate_destroy(&g);
}

typedef struct self_free {
  ants_pool *p;
  atomic_int returned;
} self_free;
static self_free the_self_free;
static void free_from_task(void *arg) {
  self_free *s = (self_free *)arg;
  ants_pool_free(s->p);
  atomic_store(&s->returned, 1);
}

static void test_pool_free_from_own_task(void **state) {
  (void)state;
  /* Releases at once; the pool is freed when its last worker exits. A hang
   * fails the deadline, a leak fails LeakSanitizer. */
  self_free *s = &the_self_free;
  atomic_init(&s->returned, 0);
  s->p = new_pool(2, "selffree");
  assert_int_equal(ants_submit(s->p, free_from_task, s), ANTS_OK);
  assert_true(wait_until(atomic_load(&s->returned) == 1));
  assert_true(wait_until(thread_count_named("selffree") == 0));
}

static void test_pool_free_from_own_task_repeatedly(void **state) {
  (void)state;
  /* The task may free the pool while the submit that started its worker is
   * still on its way out: that submit must not touch the freed pool. Many
   * rounds make the window likely to be hit under a sanitizer. */
  self_free *s = &the_self_free;
  for (int i = 0; i < 300; i++) {
    atomic_init(&s->returned, 0);
    s->p = new_pool(1, "selffreeN");
    assert_int_equal(ants_submit(s->p, free_from_task, s), ANTS_OK);
    assert_true(wait_until(atomic_load(&s->returned) == 1));
  }
  assert_true(wait_until(thread_count_named("selffreeN") == 0));
}

static void test_pool_free_from_own_task_while_others_run(void **state) {
  (void)state;
  self_free *s = &the_self_free;
  gate g;
  gate_init(&g);
  atomic_init(&s->returned, 0);
  s->p = new_pool(3, "selffree2");
  assert_true(gate_fill(s->p, &g, 2));
  assert_int_equal(ants_submit(s->p, free_from_task, s), ANTS_OK);
  assert_true(wait_until(atomic_load(&s->returned) == 1));
  /* The held tasks still run to completion; then everything goes. */
  assert_int_equal(atomic_load(&g.left), 0);
  gate_open(&g);
  assert_true(wait_until(atomic_load(&g.left) == 2));
  assert_true(wait_until(thread_count_named("selffree2") == 0));
  gate_destroy(&g);
}

static void test_pool_free_wakes_blocked_callers(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, "freewake");
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_true(gate_fill(p, &g, 1));
  bg_submit bg;
  bg_submit_start(&bg, p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == 1));
  bg_call f;
  bg_call_start(&f, p, INT64_MIN);
  /* The blocked caller is turned away while free still waits for the held
   * task, which it lets finish. */
  assert_true(wait_until(atomic_load(&bg.done) == 1));
  assert_int_equal(bg_submit_join(&bg), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(atomic_load(&f.done), 0);
  assert_int_equal(atomic_load(&g.left), 0);
  gate_open(&g);
  bg_call_join(&f);
  assert_int_equal(atomic_load(&g.left), 1);
  assert_int_equal(atomic_load(&ran), 0);
  assert_true(wait_until(thread_count_named("freewake") == 0));
  gate_destroy(&g);
}

static void test_thread_count_back_to_baseline(void **state) {
  (void)state;
  const int baseline = thread_count();
  const int sizes[] = {8, 0};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    ants_pool *p = new_pool(sizes[s], NULL);
    gate g;
    gate_init(&g);
    assert_true(gate_fill(p, &g, 8));
    assert_true(thread_count() >= baseline + 8);
    gate_open(&g);
    ants_pool_free(p);
    assert_true(wait_until(thread_count() <= baseline));  /* <=: see test_pool_retain */
    gate_destroy(&g);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_release),
      cmocka_unit_test(test_release_idle_workers_exit),
      cmocka_unit_test(test_release_wakes_blocked_callers),
      cmocka_unit_test(test_ants_pool_with_func_release_timeout),
      cmocka_unit_test(test_release_timeout),
      cmocka_unit_test(test_release_timeout_runs_out),
      cmocka_unit_test(test_release_timeout_after_release),
      cmocka_unit_test(test_release_timeout_idle_pool),
      cmocka_unit_test(test_release_timeout_from_own_task_would_deadlock),
      cmocka_unit_test(test_release_from_own_task),
      cmocka_unit_test(test_reboot_new_pool),
      cmocka_unit_test(test_reboot_new_pool_with_func),
      cmocka_unit_test(test_reboot_old_generation_never_rejoins),
      cmocka_unit_test(test_reboot_while_old_tasks_run_accepts_new_tasks),
      cmocka_unit_test(test_pool_free_from_own_task),
      cmocka_unit_test(test_pool_free_from_own_task_repeatedly),
      cmocka_unit_test(test_pool_free_from_own_task_while_others_run),
      cmocka_unit_test(test_pool_free_wakes_blocked_callers),
      cmocka_unit_test(test_thread_count_back_to_baseline),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
