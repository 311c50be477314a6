/*
 * test_fault_injection.c - when the OS refuses a thread or memory runs out
 * (issue 2, lines 9 and 11): blocking submit waits for a worker, nonblocking
 * submit says ANTS_ERR_SYSTEM, allocation failures say ANTS_ERR_NO_MEMORY,
 * nothing crashes and every accepted task still runs exactly once.
 *
 * Linked against ants::testing, the static build of the library whose
 * thread creation and allocations can be made to fail on demand.
 */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fault_injection.h"
#include "support.h"

static atomic_int logged;
static void count_log(void *ctx, const char *msg) {
  (void)ctx;
  if (msg && msg[0]) atomic_fetch_add(&logged, 1);
}

static ants_pool *new_pool(int size, int nonblocking) {
  ants_options *o = NULL;
  ants_pool *p = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, nonblocking), ANTS_OK);
  assert_int_equal(ants_options_set_disable_purge(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_logger(o, count_log, NULL), ANTS_OK);
  assert_int_equal(ants_pool_new(&p, size, o), ANTS_OK);
  ants_options_free(o);
  return p;
}

static int clear_faults(void **state) {
  (void)state;
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  atomic_store(&logged, 0);
  return 0;
}

static void test_thread_refused_nonblocking_returns_system(void **state) {
  (void)state;
  ants_pool *p = new_pool(4, 1);
  atomic_int ran;
  atomic_init(&ran, 0);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 1);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_SYSTEM);
  assert_int_equal(ants_fault_hits(ANTS_FAULT_THREAD_CREATE) > 0, 1);
  assert_int_equal(ants_running(p), 0);
  assert_int_equal(ants_busy(p), 0);
  assert_true(atomic_load(&logged) >= 1); /* the refusal is logged, not silent */
  /* The pool is whole: the next thread starts. */
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  assert_int_equal(ants_running(p), 1);
  ants_pool_free(p);
}

static void test_thread_refused_blocking_waits_for_a_worker(void **state) {
  (void)state;
  ants_pool *p = new_pool(4, 0);
  gate g;
  gate_init(&g);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 1));
  /* Below capacity, but the OS refuses every new thread: the caller waits
   * for the one live worker instead of failing. */
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, -1);
  bg_submit bg;
  bg_submit_start(&bg, p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == 1));
  assert_int_equal(atomic_load(&ran), 0);
  gate_open(&g);
  assert_int_equal(bg_submit_join(&bg), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  assert_int_equal(ants_running(p), 1);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

static void test_thread_refused_with_no_worker_alive(void **state) {
  (void)state;
  /* No live worker could ever take the task: waiting would be forever, so
   * even a blocking submit reports the refusal. */
  ants_pool *p = new_pool(4, 0);
  atomic_int ran;
  atomic_init(&ran, 0);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, -1);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_SYSTEM);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  assert_int_equal(ants_running(p), 0);
  assert_int_equal(ants_waiting(p), 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  ants_pool_free(p);
}

static void test_constructors_out_of_memory(void **state) {
  (void)state;
  ants_options *o = NULL;
  ants_pool *p = NULL;
  ants_group *g = NULL;
  ants_fault_inject(ANTS_FAULT_ALLOC, 1);
  assert_int_equal(ants_options_new(&o), ANTS_ERR_NO_MEMORY);
  ants_fault_inject(ANTS_FAULT_ALLOC, 1);
  assert_int_equal(ants_pool_new(&p, 4, NULL), ANTS_ERR_NO_MEMORY);
  ants_fault_inject(ANTS_FAULT_ALLOC, 1);
  assert_int_equal(ants_pool_with_func_new(&p, 4, task_count, NULL), ANTS_ERR_NO_MEMORY);
  ants_fault_inject(ANTS_FAULT_ALLOC, 1);
  assert_int_equal(ants_group_new(&g), ANTS_ERR_NO_MEMORY);
  /* Out-parameters are untouched on failure. */
  assert_null(o);
  assert_null(p);
  assert_null(g);
  /* Every allocation failing, whatever the order inside: still a status. */
  ants_fault_inject(ANTS_FAULT_ALLOC, -1);
  assert_int_equal(ants_options_new(&o), ANTS_ERR_NO_MEMORY);
  assert_int_equal(ants_pool_new(&p, 4, NULL), ANTS_ERR_NO_MEMORY);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  assert_int_equal(ants_pool_new(&p, 4, NULL), ANTS_OK);
  ants_pool_free(p);
}

static void test_submit_out_of_memory_for_a_worker(void **state) {
  (void)state;
  ants_pool *p = new_pool(4, 1);
  atomic_int ran;
  atomic_init(&ran, 0);
  ants_fault_inject(ANTS_FAULT_ALLOC, -1);
  int rc = ants_submit(p, task_count, &ran);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  assert_int_equal(rc, ANTS_ERR_NO_MEMORY);
  assert_int_equal(ants_running(p), 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  ants_pool_free(p);
  assert_int_equal(atomic_load(&ran), 1);
}

/* --- exactly once while threads are refused --------------------------- */

enum { SUBMITTERS = 3, PER_SUBMITTER = 3000 };
typedef struct refused_run {
  ants_pool *p;
  atomic_int counts[SUBMITTERS * PER_SUBMITTER];
  unsigned char accepted[SUBMITTERS * PER_SUBMITTER];
  atomic_int unexpected, stop, submitters_left;
  int nonblocking;
} refused_run;
typedef struct sub_arg {
  refused_run *r;
  int index;
} sub_arg;

static void *refused_submitter(void *arg) {
  sub_arg *a = (sub_arg *)arg;
  refused_run *r = a->r;
  for (int i = 0; i < PER_SUBMITTER; i++) {
    int id = a->index * PER_SUBMITTER + i;
    int rc = ants_submit(r->p, task_count, &r->counts[id]);
    r->accepted[id] = rc == ANTS_OK;
    if (rc != ANTS_OK && rc != ANTS_ERR_SYSTEM &&
        !(r->nonblocking && rc == ANTS_ERR_POOL_OVERLOAD))
      atomic_fetch_add(&r->unexpected, 1);
  }
  atomic_fetch_sub(&r->submitters_left, 1);
  return NULL;
}

static void *refuser(void *arg) {
  refused_run *r = (refused_run *)arg;
  while (atomic_load(&r->submitters_left) > 0) {
    ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 2);
    pause_ms(1);
    ants_tune(r->p, 2 + (int)(now_ms() % 6)); /* make shrunk workers exit */
  }
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  return NULL;
}

static void exercise_refused(int nonblocking) {
  refused_run *r = calloc(1, sizeof *r);
  assert_non_null(r);
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, nonblocking), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, 2), ANTS_OK); /* new threads keep coming */
  assert_int_equal(ants_options_set_logger(o, count_log, NULL), ANTS_OK);
  assert_int_equal(ants_pool_new(&r->p, 6, o), ANTS_OK);
  ants_options_free(o);
  r->nonblocking = nonblocking;
  for (int i = 0; i < SUBMITTERS * PER_SUBMITTER; i++) atomic_init(&r->counts[i], 0);
  atomic_init(&r->unexpected, 0);
  atomic_init(&r->submitters_left, SUBMITTERS);

  pthread_t sub[SUBMITTERS], ref;
  sub_arg args[SUBMITTERS];
  pthread_create(&ref, NULL, refuser, r);
  for (int i = 0; i < SUBMITTERS; i++) {
    args[i].r = r;
    args[i].index = i;
    pthread_create(&sub[i], NULL, refused_submitter, &args[i]);
  }
  for (int i = 0; i < SUBMITTERS; i++) pthread_join(sub[i], NULL);
  pthread_join(ref, NULL);
  assert_int_equal(ants_release_timeout(r->p, -1), ANTS_OK);

  int accepted = 0, wrong = 0;
  for (int id = 0; id < SUBMITTERS * PER_SUBMITTER; id++) {
    int n = atomic_load(&r->counts[id]);
    if (r->accepted[id]) accepted++;
    if (n != (r->accepted[id] ? 1 : 0)) wrong++;
  }
  print_message("accepted %d of %d, %d thread refusals, wrong %d\n", accepted,
                SUBMITTERS * PER_SUBMITTER, ants_fault_hits(ANTS_FAULT_THREAD_CREATE), wrong);
  assert_int_equal(atomic_load(&r->unexpected), 0);
  assert_int_equal(wrong, 0);
  assert_true(accepted > 0);
  ants_pool_free(r->p);
  free(r);
}

static void test_exactly_once_while_threads_are_refused(void **state) {
  (void)state;
  exercise_refused(0);
}

static void test_exactly_once_while_threads_are_refused_nonblocking(void **state) {
  (void)state;
  exercise_refused(1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_thread_refused_nonblocking_returns_system, clear_faults),
      cmocka_unit_test_teardown(test_thread_refused_blocking_waits_for_a_worker, clear_faults),
      cmocka_unit_test_teardown(test_thread_refused_with_no_worker_alive, clear_faults),
      cmocka_unit_test_teardown(test_constructors_out_of_memory, clear_faults),
      cmocka_unit_test_teardown(test_submit_out_of_memory_for_a_worker, clear_faults),
      cmocka_unit_test_teardown(test_exactly_once_while_threads_are_refused, clear_faults),
      cmocka_unit_test_teardown(test_exactly_once_while_threads_are_refused_nonblocking,
                                clear_faults),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
