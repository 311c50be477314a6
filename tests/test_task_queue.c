/*
 * test_task_queue.c - the optional task queue (ants_options_set_queue_size):
 * how callers blocked on a full queue get back in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "support.h"

static int baseline_threads;
static int record_baseline(void **state) {
  (void)state;
  warm_up_threads();
  baseline_threads = thread_count();
  return 0;
}

static ants_pool *queue_pool(int size, int queue_size) {
  ants_options *o = NULL;
  ants_pool *p = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, queue_size), ANTS_OK);
  assert_int_equal(ants_pool_new(&p, size, o), ANTS_OK);
  ants_options_free(o);
  return p;
}

/* One worker held on held[0], held[1..queued] in the queue, each on its own
 * gate, so the test frees queue places one at a time. */
static void hold_worker_and_fill(ants_pool *p, held_task *held, int queued) {
  for (int i = 0; i <= queued; ++i) held_init(&held[i]);
  assert_int_equal(ants_submit(p, held_task_run, &held[0]), ANTS_OK);
  assert_true(wait_until(atomic_load(&held[0].tid) != 0));
  for (int i = 1; i <= queued; ++i)
    assert_int_equal(ants_submit(p, held_task_run, &held[i]), ANTS_OK);
  assert_int_equal(ants_queued(p), queued);
}

/* Lets held[i] finish and waits until the worker has taken held[i + 1] off
 * the queue: the place it freed has been given out (or not) by then, under
 * the same lock as the pop. */
static void free_one_place(held_task *held, int i) {
  gate_open(&held[i].g);
  assert_true(wait_until(atomic_load(&held[i + 1].tid) != 0));
}

static void release_all(ants_pool *p, held_task *held, int n) {
  for (int i = 0; i < n; ++i) gate_open(&held[i].g);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  for (int i = 0; i < n; ++i) gate_destroy(&held[i].g);
}

/* A queue of 32: a blocked caller enters once 2 places (a sixteenth) are
 * free, not at the first; meanwhile a new caller lines up behind it rather
 * than taking the free place. */
static void test_blocked_caller_enters_once_a_sixteenth_is_free(void **state) {
  (void)state;
  enum { QUEUE = 32 };
  ants_pool *p = queue_pool(1, QUEUE);
  held_task held[QUEUE + 1];
  hold_worker_and_fill(p, held, QUEUE);
  atomic_int ran_blocked, ran_late;
  atomic_init(&ran_blocked, 0);
  atomic_init(&ran_late, 0);
  bg_submit blocked;
  bg_submit_start(&blocked, p, task_count, &ran_blocked);
  assert_true(wait_until(ants_waiting(p) == 1));

  free_one_place(held, 0);
  assert_int_equal(ants_queued(p), QUEUE - 1);
  assert_int_equal(ants_waiting(p), 1);
  assert_int_equal(atomic_load(&blocked.done), 0);
  /* One place is free, but the line goes first. */
  assert_int_equal(ants_submit_timeout(p, task_count, &ran_late, 0), ANTS_ERR_TIMEOUT);

  free_one_place(held, 1);
  assert_int_equal(bg_submit_join(&blocked), ANTS_OK);
  assert_int_equal(ants_waiting(p), 0);
  assert_int_equal(ants_queued(p), QUEUE - 1);

  release_all(p, held, QUEUE + 1);
  assert_int_equal(atomic_load(&ran_blocked), 1);
  assert_int_equal(atomic_load(&ran_late), 0);
  ants_pool_free(p);
  assert_true(wait_until(thread_count() <= baseline_threads));
}

/* A queue shorter than 16: the first free place goes to the blocked caller. */
static void test_small_queue_blocked_caller_enters_at_first_free_place(void **state) {
  (void)state;
  enum { QUEUE = 3 };
  ants_pool *p = queue_pool(1, QUEUE);
  held_task held[QUEUE + 1];
  hold_worker_and_fill(p, held, QUEUE);
  atomic_int ran;
  atomic_init(&ran, 0);
  bg_submit blocked;
  bg_submit_start(&blocked, p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == 1));
  free_one_place(held, 0);
  assert_int_equal(bg_submit_join(&blocked), ANTS_OK);
  assert_int_equal(ants_queued(p), QUEUE);
  release_all(p, held, QUEUE + 1);
  assert_int_equal(atomic_load(&ran), 1);
  ants_pool_free(p);
  assert_true(wait_until(thread_count() <= baseline_threads));
}

/* Blocked callers enter in the order they blocked. */
enum { ORDER_CALLERS = 4 };
static atomic_int order_next;
static int order_seen[ORDER_CALLERS];
static void record_order(void *arg) {
  order_seen[atomic_fetch_add(&order_next, 1)] = (int)(intptr_t)arg;
}
static void test_blocked_callers_enter_in_order(void **state) {
  (void)state;
  enum { QUEUE = 16 };
  ants_pool *p = queue_pool(1, QUEUE);
  held_task held[QUEUE + 1];
  hold_worker_and_fill(p, held, QUEUE);
  atomic_init(&order_next, 0);
  bg_submit callers[ORDER_CALLERS];
  for (int i = 0; i < ORDER_CALLERS; ++i) {
    bg_submit_start(&callers[i], p, record_order, (void *)(intptr_t)i);
    assert_true(wait_until(ants_waiting(p) == i + 1));
  }
  release_all(p, held, QUEUE + 1);
  for (int i = 0; i < ORDER_CALLERS; ++i) assert_int_equal(bg_submit_join(&callers[i]), ANTS_OK);
  assert_int_equal(atomic_load(&order_next), ORDER_CALLERS);
  for (int i = 0; i < ORDER_CALLERS; ++i) assert_int_equal(order_seen[i], i);
  ants_pool_free(p);
  assert_true(wait_until(thread_count() <= baseline_threads));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_blocked_caller_enters_once_a_sixteenth_is_free, record_baseline),
      cmocka_unit_test_setup(test_small_queue_blocked_caller_enters_at_first_free_place,
                             record_baseline),
      cmocka_unit_test_setup(test_blocked_callers_enter_in_order, record_baseline),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
