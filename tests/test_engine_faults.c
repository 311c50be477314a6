/*
 * test_engine_faults.c - the engine's promises on its failure paths (issue
 * 11): every accepted task runs exactly once and no call hangs, when a
 * thread creation fails while other callers queue or block behind it, when a
 * task ends its own thread, when user callbacks throw; bounds on values that
 * cannot be represented; ants.h and the engine agreeing on tune, reboot, the
 * blocked-caller limit and the waiting count.
 *
 * A thread creation is held "in progress" with ants_fault_hold_next() (the
 * test library ants::testing), which is how a slow pthread_create that ends
 * in EAGAIN (RLIMIT_NPROC, a full pid_max) looks to the pool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <limits.h>
#include <pthread.h>

#include <ants.h>

#include "fault_injection.h"
#include "support.h"
#include "throwing_task.h"

static int clear_faults(void **state) {
  (void)state;
  ants_fault_unhold(ANTS_FAULT_THREAD_CREATE);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  return 0;
}

static ants_options *opts_new(void) {
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  return o;
}

static ants_pool *pool_new(int size, ants_options *o) {
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, size, o), ANTS_OK);
  ants_options_free(o);
  return p;
}

/* Starts a background submit whose thread creation is held in progress;
 * returns when the pool is inside that creation. */
static void start_held_spawn(bg_submit *a, ants_pool *p, atomic_int *ran, int then_fail) {
  ants_fault_hold_next(ANTS_FAULT_THREAD_CREATE, then_fail);
  bg_submit_start(a, p, task_count, ran);
  assert_true(wait_until(ants_fault_holding(ANTS_FAULT_THREAD_CREATE) == 1));
}

/* Waits (bounded) for a background submit to return; 1 if it did. */
static int bg_returned(bg_submit *b) { return wait_until(atomic_load(&b->done) == 1); }

/* --- 1. A task queued behind a spawn that then fails still runs ---------- */

static void queued_task_runs_when_the_spawn_ahead_fails(void **state) {
  (void)state;
  ants_options *o = opts_new();
  assert_int_equal(ants_options_set_queue_size(o, 4), ANTS_OK);
  ants_pool *p = pool_new(2, o);
  atomic_int ran_a = 0, ran_b = 0;
  bg_submit a;
  start_held_spawn(&a, p, &ran_a, 1);

  /* B is accepted while A's thread is still being created. */
  assert_int_equal(ants_submit(p, task_count, &ran_b), ANTS_OK);
  ants_fault_unhold(ANTS_FAULT_THREAD_CREATE);
  assert_true(bg_returned(&a));
  /* A's own thread failed; its task either found B's worker (accepted) or
   * was refused with the OS's reason. */
  const int rc_a = bg_submit_join(&a);
  assert_true(rc_a == ANTS_OK || rc_a == ANTS_ERR_SYSTEM);

  /* Accepted means it runs: B's task is not stranded in the queue. */
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran_b), 1);
  assert_int_equal(atomic_load(&ran_a), rc_a == ANTS_OK);
  assert_int_equal(ants_queued(p), 0);
  ants_pool_free(p);
}

/* --- 2. Callers blocked behind a failing spawn are woken ---------------- */

static void blocked_caller_is_woken_when_the_spawn_ahead_fails(void **state) {
  (void)state;
  for (int queue = 0; queue <= 1; queue++) {
    ants_options *o = opts_new();
    if (queue) assert_int_equal(ants_options_set_queue_size(o, 4), ANTS_OK);
    ants_pool *p = pool_new(1, o);
    atomic_int ran_a = 0, ran_b = 0;
    bg_submit a, b;
    start_held_spawn(&a, p, &ran_a, 1);
    bg_submit_start(&b, p, task_count, &ran_b);
    assert_true(wait_until(ants_waiting(p) == 1));

    ants_fault_unhold(ANTS_FAULT_THREAD_CREATE);
    assert_true(bg_returned(&a));
    const int rc_a = bg_submit_join(&a);
    assert_true(rc_a == ANTS_OK || rc_a == ANTS_ERR_SYSTEM);
    /* B takes the slot A's failed thread gave back. */
    assert_true(bg_returned(&b));
    assert_int_equal(bg_submit_join(&b), ANTS_OK);
    assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
    assert_int_equal(atomic_load(&ran_b), 1);
    assert_int_equal(atomic_load(&ran_a), rc_a == ANTS_OK);
    ants_pool_free(p);
  }
}

typedef struct bg_release {
  pthread_t th;
  ants_pool *pool;
  int rc;
  atomic_int done;
} bg_release;

static void *bg_release_main(void *arg) {
  bg_release *r = (bg_release *)arg;
  r->rc = ants_release_timeout(r->pool, -1);
  atomic_store(&r->done, 1);
  return NULL;
}

static void release_timeout_returns_when_the_last_spawn_fails(void **state) {
  (void)state;
  ants_pool *p = pool_new(1, NULL);
  atomic_int ran = 0;
  bg_submit a;
  start_held_spawn(&a, p, &ran, 1);
  assert_int_equal(ants_running(p), 1); /* the slot is counted while spawning */

  bg_release r = {.pool = p, .rc = 1};
  atomic_init(&r.done, 0);
  assert_int_equal(pthread_create(&r.th, NULL, bg_release_main, &r), 0);
  assert_true(wait_until(ants_is_closed(p)));
  ants_fault_unhold(ANTS_FAULT_THREAD_CREATE);

  assert_true(bg_returned(&a));
  /* Closed while its thread was being created, then refused a thread. */
  const int rc_a = bg_submit_join(&a);
  assert_true(rc_a == ANTS_ERR_SYSTEM || rc_a == ANTS_ERR_POOL_CLOSED);
  assert_true(wait_until(atomic_load(&r.done) == 1));
  pthread_join(r.th, NULL);
  assert_int_equal(r.rc, ANTS_OK);
  assert_int_equal(ants_running(p), 0);
  ants_pool_free(p);
}

/* --- 3. A task that ends its own thread ---------------------------------- */

typedef struct hook_counts {
  atomic_int starts, exits;
} hook_counts;
static void count_start(void *ctx) { atomic_fetch_add(&((hook_counts *)ctx)->starts, 1); }
static void count_exit(void *ctx) { atomic_fetch_add(&((hook_counts *)ctx)->exits, 1); }

static void task_pthread_exit(void *arg) {
  atomic_fetch_add((atomic_int *)arg, 1);
  pthread_exit(NULL);
}

static void pthread_exit_in_a_task_gives_its_slot_back(void **state) {
  (void)state;
  hook_counts h = {0, 0};
  ants_options *o = opts_new();
  assert_int_equal(ants_options_set_worker_hooks(o, count_start, count_exit, &h), ANTS_OK);
  ants_pool *p = pool_new(1, o);
  ants_group *g = NULL;
  assert_int_equal(ants_group_new(&g), ANTS_OK);
  atomic_int exited = 0, ran = 0;

  assert_int_equal(ants_group_submit(g, p, task_pthread_exit, &exited), ANTS_OK);
  assert_int_equal(ants_group_wait(g, TEST_DEADLINE_MS), ANTS_OK);
  assert_true(wait_until(ants_running(p) == 0 && ants_busy(p) == 0));
  assert_true(wait_until(atomic_load(&h.exits) == 1)); /* its exit hook ran */
  assert_int_equal(ants_group_panicked(g), 1);         /* it did not complete */

  /* The slot is usable again, and nothing waits for a thread that is gone. */
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  ants_group_free(g);
  ants_pool_free(p);
  assert_int_equal(atomic_load(&exited), 1);
}

/* A caller blocked behind the task that exits its thread gets the slot. */
typedef struct exit_after_gate {
  gate g;
} exit_after_gate;
static void task_gate_then_exit(void *arg) {
  gate_pass(&((exit_after_gate *)arg)->g);
  pthread_exit(NULL);
}

static void pthread_exit_wakes_a_blocked_caller(void **state) {
  (void)state;
  ants_pool *p = pool_new(1, NULL);
  exit_after_gate e;
  gate_init(&e.g);
  atomic_int ran = 0;
  assert_int_equal(ants_submit(p, task_gate_then_exit, &e), ANTS_OK);
  assert_true(wait_until(atomic_load(&e.g.arrived) == 1));
  bg_submit b;
  bg_submit_start(&b, p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == 1));
  gate_open(&e.g);
  assert_true(bg_returned(&b));
  assert_int_equal(bg_submit_join(&b), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  ants_pool_free(p);
  gate_destroy(&e.g);
}

/* Cancellation of a worker thread inside its task unwinds the same way. */
typedef struct cancellable {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  atomic_int waiting;
  pthread_t self;
} cancellable;
static void unlock_mutex(void *mu) { pthread_mutex_unlock((pthread_mutex_t *)mu); }
static void task_wait_to_be_cancelled(void *arg) {
  cancellable *c = (cancellable *)arg;
  pthread_mutex_lock(&c->mu);
  c->self = pthread_self();
  atomic_store(&c->waiting, 1);
  pthread_cleanup_push(unlock_mutex, &c->mu);
  for (;;) pthread_cond_wait(&c->cv, &c->mu); /* a cancellation point */
  pthread_cleanup_pop(1);
}

static void cancelled_worker_gives_its_slot_back(void **state) {
  (void)state;
  ants_options *o = opts_new();
  assert_int_equal(ants_options_set_queue_size(o, 4), ANTS_OK);
  ants_pool *p = pool_new(1, o);
  cancellable c;
  pthread_mutex_init(&c.mu, NULL);
  pthread_cond_init(&c.cv, NULL);
  atomic_init(&c.waiting, 0);
  atomic_int ran = 0;
  assert_int_equal(ants_submit(p, task_wait_to_be_cancelled, &c), ANTS_OK);
  assert_true(wait_until(atomic_load(&c.waiting) == 1));
  /* Queued behind the task that will be cancelled: must still run. */
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  pthread_mutex_lock(&c.mu); /* the task is inside pthread_cond_wait now */
  pthread_t victim = c.self;
  pthread_mutex_unlock(&c.mu);
  assert_int_equal(pthread_cancel(victim), 0);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  ants_pool_free(p);
  pthread_cond_destroy(&c.cv);
  pthread_mutex_destroy(&c.mu);
}

/* --- 4. free returns only after every worker thread is gone -------------- */

static pthread_key_t slow_key;
static atomic_int slow_dtor_done;
static void slow_tls_dtor(void *v) {
  (void)v;
  pause_ms(100); /* widens the window in which the thread is still alive */
  atomic_store(&slow_dtor_done, 1);
}
static void task_set_slow_tls(void *arg) {
  (void)arg;
  pthread_setspecific(slow_key, (void *)1);
}

static void free_waits_for_thread_exit_not_just_the_count(void **state) {
  (void)state;
  assert_int_equal(pthread_key_create(&slow_key, slow_tls_dtor), 0);
  atomic_store(&slow_dtor_done, 0);
  ants_pool *p = pool_new(1, NULL);
  assert_int_equal(ants_submit(p, task_set_slow_tls, NULL), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  ants_pool_free(p);
  /* The worker's TLS destructors ran before free returned: the thread had
   * left every piece of code, libants' and its users', by then. */
  assert_int_equal(atomic_load(&slow_dtor_done), 1);

  atomic_store(&slow_dtor_done, 0);
  p = pool_new(1, NULL);
  assert_int_equal(ants_submit(p, task_set_slow_tls, NULL), ANTS_OK);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&slow_dtor_done), 1);
  ants_pool_free(p);
  pthread_key_delete(slow_key);
}

/* --- 5. Values that cannot be represented are refused --------------------- */

static void unrepresentable_values_are_refused(void **state) {
  (void)state;
  ants_options *o = opts_new();
  /* 2^64 ns in ms: overflowed to a 0.45 ms expiry before. */
  assert_int_equal(ants_options_set_expiry_ms(o, 18446744073710LL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_expiry_ms(o, INT64_MAX), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_expiry_ms(o, ANTS_MAX_EXPIRY_MS + 1),
                   ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_queue_size(o, INT_MAX), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_options_set_queue_size(o, ANTS_MAX_QUEUE_SIZE + 1),
                   ANTS_ERR_INVALID_ARGUMENT);
  /* The largest expiry is usable: a worker parks with it (UBSan watches). */
  assert_int_equal(ants_options_set_expiry_ms(o, ANTS_MAX_EXPIRY_MS), ANTS_OK);
  ants_pool *p = pool_new(1, o);
  atomic_int ran = 0;
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_true(wait_until(ants_running(p) == 1 && ants_busy(p) == 0));
  pause_ms(20); /* let it spin out and park with the huge timeout */
  assert_int_equal(ants_running(p), 1); /* not expired after 0.45 ms */
  ants_pool_free(p);
}

/* --- 6. Callbacks that throw are reported, the pool goes on -------------- */

static void throwing_hooks_and_logger_do_not_terminate(void **state) {
  (void)state;
  atomic_int hooks = 0, logged = 0, handled = 0, ran = 0;
  ants_options *o = opts_new();
  assert_int_equal(ants_options_set_worker_hooks(o, throw_hook, throw_hook, &hooks), ANTS_OK);
  assert_int_equal(ants_options_set_logger(o, throw_logger, &logged), ANTS_OK);
  assert_int_equal(ants_options_set_panic_handler(o, throw_panic_handler, &handled), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, 10), ANTS_OK);
  ants_pool *p = pool_new(2, o);
  assert_int_equal(ants_submit(p, throw_std_task, "boom"), ANTS_OK);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  assert_true(atomic_load(&handled) >= 1);
  assert_true(atomic_load(&hooks) >= 1);
  /* Workers expire through the throwing exit hook; the pool still works. */
  assert_true(wait_until(ants_running(p) == 0));
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 2);
  ants_pool_free(p);
  assert_true(atomic_load(&logged) >= 1);
}

static void throwing_task_destructor_still_finishes_the_group(void **state) {
  (void)state;
  atomic_int dtors = 0;
  ants_options *o = opts_new();
  assert_int_equal(ants_options_set_queue_size(o, 8), ANTS_OK);
  assert_int_equal(ants_options_set_task_destructor(o, throw_task_dtor, &dtors), ANTS_OK);
  assert_int_equal(ants_options_set_logger(o, throw_logger, NULL), ANTS_OK);
  ants_pool *p = pool_new(1, o);
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 1));
  ants_group *grp = NULL;
  assert_int_equal(ants_group_new(&grp), ANTS_OK);
  atomic_int ran = 0;
  for (int i = 0; i < 3; i++) assert_int_equal(ants_group_submit(grp, p, task_count, &ran), ANTS_OK);
  int n = -1;
  assert_int_equal(ants_cancel_queued(&n, p), ANTS_OK);
  assert_int_equal(n, 3);
  assert_int_equal(atomic_load(&dtors), 3);
  assert_int_equal(ants_group_wait(grp, TEST_DEADLINE_MS), ANTS_OK);
  gate_open(&g);
  ants_group_free(grp);
  ants_pool_free(p);
  gate_destroy(&g);
  assert_int_equal(atomic_load(&ran), 0);
}

/* The default pool's creation failing is a NULL now and a pool later. */
static void default_pool_survives_a_failed_creation(void **state) {
  (void)state;
  ants_fault_inject(ANTS_FAULT_ALLOC, -1);
  assert_null(ants_default_pool());
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  ants_pool *d = ants_default_pool();
  assert_non_null(d);
  atomic_int ran = 0;
  assert_int_equal(ants_submit(d, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
}

/* --- 7. ants.h and the engine agree --------------------------------------- */

/* Tune shrinks a queue-mode pool even while a backlog exists. */
static atomic_int concurrent, max_concurrent;
static void task_measure_concurrency(void *arg) {
  (void)arg;
  int now = atomic_fetch_add(&concurrent, 1) + 1;
  int seen = atomic_load(&max_concurrent);
  while (now > seen && !atomic_compare_exchange_weak(&max_concurrent, &seen, now)) {
  }
  pause_ms(2); /* long enough for siblings to overlap if they may */
  atomic_fetch_sub(&concurrent, 1);
}

static void tune_shrinks_a_pool_with_a_backlog(void **state) {
  (void)state;
  ants_options *o = opts_new();
  assert_int_equal(ants_options_set_queue_size(o, 64), ANTS_OK);
  ants_pool *p = pool_new(3, o);
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 3));
  atomic_store(&concurrent, 0);
  atomic_store(&max_concurrent, 0);
  for (int i = 0; i < 20; i++) {
    assert_int_equal(ants_submit(p, task_measure_concurrency, NULL), ANTS_OK);
  }
  assert_int_equal(ants_queued(p), 20);
  ants_tune(p, 1);
  gate_open(&g);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&max_concurrent), 1);
  assert_true(ants_running(p) <= 1);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* After a reboot, workers of the old generation take no new task. */
typedef struct tid_task {
  atomic_long tid;
} tid_task;
static void task_record_tid(void *arg) { atomic_store(&((tid_task *)arg)->tid, test_gettid()); }

static void old_generation_serves_no_new_task_after_reboot(void **state) {
  (void)state;
  ants_options *o = opts_new();
  assert_int_equal(ants_options_set_queue_size(o, 16), ANTS_OK);
  ants_pool *p = pool_new(2, o);
  held_task h[2];
  for (int i = 0; i < 2; i++) {
    held_init(&h[i]);
    assert_int_equal(ants_submit(p, held_task_run, &h[i]), ANTS_OK);
  }
  assert_true(wait_until(atomic_load(&h[0].tid) != 0 && atomic_load(&h[1].tid) != 0));
  ants_release(p);
  ants_reboot(p);
  tid_task t[4];
  for (int i = 0; i < 4; i++) {
    atomic_init(&t[i].tid, 0);
    assert_int_equal(ants_submit(p, task_record_tid, &t[i]), ANTS_OK);
  }
  for (int i = 0; i < 2; i++) gate_open(&h[i].g);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  for (int i = 0; i < 4; i++) {
    long tid = atomic_load(&t[i].tid);
    assert_true(tid != 0);
    assert_true(tid != atomic_load(&h[0].tid) && tid != atomic_load(&h[1].tid));
  }
  ants_pool_free(p);
  for (int i = 0; i < 2; i++) gate_destroy(&h[i].g);
}

/* A worker's nested submit into its own full pool runs inline even when the
 * blocked-caller limit is reached: it never blocks, so the limit is moot. */
typedef struct nested_ctx {
  ants_pool *pool;
  gate g;
  atomic_int ran;
  int rc;
} nested_ctx;
static void task_nested_after_gate(void *arg) {
  nested_ctx *c = (nested_ctx *)arg;
  gate_pass(&c->g);
  c->rc = ants_submit(c->pool, task_count, &c->ran);
}

static void nested_submit_ignores_the_blocked_caller_limit(void **state) {
  (void)state;
  ants_options *o = opts_new();
  assert_int_equal(ants_options_set_max_blocking_tasks(o, 1), ANTS_OK);
  ants_pool *p = pool_new(1, o);
  nested_ctx c = {.pool = p, .rc = 1};
  gate_init(&c.g);
  atomic_init(&c.ran, 0);
  assert_int_equal(ants_submit(p, task_nested_after_gate, &c), ANTS_OK);
  assert_true(wait_until(atomic_load(&c.g.arrived) == 1));
  atomic_int outside = 0;
  bg_submit b;
  bg_submit_start(&b, p, task_count, &outside);
  assert_true(wait_until(ants_waiting(p) == 1)); /* the limit is reached */
  gate_open(&c.g);
  assert_true(bg_returned(&b));
  assert_int_equal(bg_submit_join(&b), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(c.rc, ANTS_OK);
  assert_int_equal(atomic_load(&c.ran), 1);
  ants_pool_free(p);
  gate_destroy(&c.g);
}

/* A caller that found the pool full counts in ants_waiting from the start,
 * spinning or asleep, and so against the blocked-caller limit: of two
 * callers racing for the one blocked place, one is refused. (Before, both
 * could spin uncounted and then both block, two over a limit of one.) */
typedef struct racer {
  pthread_t th;
  ants_pool *pool;
  atomic_int *go;
  atomic_int *ran;
  atomic_int rc;
} racer;
static void *racer_main(void *arg) {
  racer *r = (racer *)arg;
  while (!atomic_load(r->go)) {
  }
  atomic_store(&r->rc, ants_submit(r->pool, task_count, r->ran));
  return NULL;
}

static void a_caller_waiting_for_room_counts_at_once(void **state) {
  (void)state;
  ants_options *o = opts_new();
  assert_int_equal(ants_options_set_max_blocking_tasks(o, 1), ANTS_OK);
  ants_pool *p = pool_new(1, o);
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 1));
  for (int round = 0; round < 20; round++) {
    atomic_int go = 0, ran = 0;
    racer r[2];
    for (int i = 0; i < 2; i++) {
      r[i] = (racer){.pool = p, .go = &go, .ran = &ran};
      atomic_init(&r[i].rc, 1);
      assert_int_equal(pthread_create(&r[i].th, NULL, racer_main, &r[i]), 0);
    }
    atomic_store(&go, 1);
    /* One is refused, the other waits: never two waiting. */
    assert_true(wait_until(atomic_load(&r[0].rc) == ANTS_ERR_POOL_OVERLOAD ||
                           atomic_load(&r[1].rc) == ANTS_ERR_POOL_OVERLOAD ||
                           ants_waiting(p) == 2));
    assert_true(wait_until(ants_waiting(p) >= 1));
    assert_int_equal(ants_waiting(p), 1);
    ants_release(p); /* wakes the waiting one with ANTS_ERR_POOL_CLOSED */
    for (int i = 0; i < 2; i++) pthread_join(r[i].th, NULL);
    int overloads = (atomic_load(&r[0].rc) == ANTS_ERR_POOL_OVERLOAD) +
                    (atomic_load(&r[1].rc) == ANTS_ERR_POOL_OVERLOAD);
    assert_int_equal(overloads, 1);
    ants_reboot(p);
  }
  gate_open(&g);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* --- Issue 17, line 1: inline nesting is bounded ------------------------- */

typedef struct chain {
  ants_pool *pool;
  atomic_int ran;
  atomic_int failed;
  int depth;
} chain;
static chain the_chain;
static void chain_step(void *arg) {
  chain *c = (chain *)arg;
  int n = atomic_fetch_add(&c->ran, 1) + 1;
  if (n < c->depth && ants_invoke(c->pool, c) != ANTS_OK) atomic_fetch_add(&c->failed, 1);
}

static void deep_recursive_invoke_neither_crashes_nor_loses_tasks(void **state) {
  (void)state;
  const size_t stacks[] = {0, 64 * 1024};
  for (size_t s = 0; s < sizeof stacks / sizeof stacks[0]; s++) {
    ants_options *o = opts_new();
    if (stacks[s]) assert_int_equal(ants_options_set_stack_size(o, stacks[s]), ANTS_OK);
    ants_pool *p = NULL;
    assert_int_equal(ants_pool_with_func_new(&p, 1, chain_step, o), ANTS_OK);
    ants_options_free(o);
    the_chain.pool = p;
    the_chain.depth = 100000;
    atomic_store(&the_chain.ran, 0);
    atomic_store(&the_chain.failed, 0);
    assert_int_equal(ants_invoke(p, &the_chain), ANTS_OK);
    assert_true(wait_until(atomic_load(&the_chain.ran) == the_chain.depth));
    assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
    assert_int_equal(atomic_load(&the_chain.ran), the_chain.depth);
    assert_int_equal(atomic_load(&the_chain.failed), 0);
    ants_pool_free(p);
  }
}

int main(int argc, char **argv) {
  /* One test by name (a glob), for bisecting: test_engine_faults 'tune_*'. */
  if (argc > 1) cmocka_set_test_filter(argv[1]);
  const struct CMUnitTest tests[] = {
      /* First: it needs the default pool not to exist yet. */
      cmocka_unit_test_teardown(default_pool_survives_a_failed_creation, clear_faults),
      cmocka_unit_test_teardown(queued_task_runs_when_the_spawn_ahead_fails, clear_faults),
      cmocka_unit_test_teardown(blocked_caller_is_woken_when_the_spawn_ahead_fails, clear_faults),
      cmocka_unit_test_teardown(release_timeout_returns_when_the_last_spawn_fails, clear_faults),
      cmocka_unit_test(pthread_exit_in_a_task_gives_its_slot_back),
      cmocka_unit_test(pthread_exit_wakes_a_blocked_caller),
      cmocka_unit_test(cancelled_worker_gives_its_slot_back),
      cmocka_unit_test(free_waits_for_thread_exit_not_just_the_count),
      cmocka_unit_test(unrepresentable_values_are_refused),
      cmocka_unit_test(throwing_hooks_and_logger_do_not_terminate),
      cmocka_unit_test(throwing_task_destructor_still_finishes_the_group),
      cmocka_unit_test(tune_shrinks_a_pool_with_a_backlog),
      cmocka_unit_test(old_generation_serves_no_new_task_after_reboot),
      cmocka_unit_test(nested_submit_ignores_the_blocked_caller_limit),
      cmocka_unit_test(a_caller_waiting_for_room_counts_at_once),
      cmocka_unit_test(deep_recursive_invoke_neither_crashes_nor_loses_tasks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
