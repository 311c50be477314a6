/*
 * test_exactly_once.c - every task that submit/invoke accepted runs exactly
 * once, while other threads tune, release, release_timeout and reboot the
 * pool (issue 2, line 11). Each task has an id and its own counter: a lost
 * task reads 0, a duplicated one 2, a refused one must read 0.
 */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "support.h"

enum { SUBMITTERS = 4, PER_SUBMITTER = 20000, CYCLES = 40 };

typedef struct run {
  ants_pool *p;
  int use_invoke;
  atomic_int counts[SUBMITTERS * PER_SUBMITTER];
  unsigned char accepted[SUBMITTERS * PER_SUBMITTER]; /* written by its submitter */
  int tried[SUBMITTERS];
  atomic_int unexpected; /* a status no accepted/refused rule allows */
  atomic_int stop;
  int allow_overload;
} run;

typedef struct submitter_arg {
  run *r;
  int index;
} submitter_arg;

static void *submitter(void *arg) {
  submitter_arg *a = (submitter_arg *)arg;
  run *r = a->r;
  int i = 0;
  for (; i < PER_SUBMITTER && !atomic_load(&r->stop); i++) {
    int id = a->index * PER_SUBMITTER + i;
    void *counter = &r->counts[id];
    int rc = r->use_invoke ? ants_invoke(r->p, counter) : ants_submit(r->p, task_count, counter);
    r->accepted[id] = rc == ANTS_OK;
    if (rc != ANTS_OK && rc != ANTS_ERR_POOL_CLOSED &&
        !(r->allow_overload && rc == ANTS_ERR_POOL_OVERLOAD))
      atomic_fetch_add(&r->unexpected, 1);
  }
  r->tried[a->index] = i;
  return NULL;
}

/* Tunes up and down, and closes and reopens the pool, CYCLES times. */
static void *chaos(void *arg) {
  run *r = (run *)arg;
  for (int c = 0; c < CYCLES; c++) {
    for (int t = 0; t < 10; t++) {
      ants_tune(r->p, 1 + (c + t * 3) % 8);
      sched_yield();
    }
    switch (c % 4) {
      case 0: ants_release(r->p); break;
      case 1: (void)ants_release_timeout(r->p, -1); break;
      case 2: (void)ants_release_timeout(r->p, 0); break;
      default: ants_release(r->p); ants_release(r->p); break;
    }
    sched_yield();
    ants_reboot(r->p);
    pause_ms(2); /* let submitters get some tasks in between cycles */
  }
  atomic_store(&r->stop, 1);
  return NULL;
}

static void exercise(ants_pool *p, int use_invoke, int allow_overload) {
  run *r = calloc(1, sizeof *r);
  assert_non_null(r);
  r->p = p;
  r->use_invoke = use_invoke;
  r->allow_overload = allow_overload;
  for (int i = 0; i < SUBMITTERS * PER_SUBMITTER; i++) atomic_init(&r->counts[i], 0);
  atomic_init(&r->unexpected, 0);
  atomic_init(&r->stop, 0);

  pthread_t sub[SUBMITTERS], ch;
  submitter_arg args[SUBMITTERS];
  for (int i = 0; i < SUBMITTERS; i++) {
    args[i].r = r;
    args[i].index = i;
    pthread_create(&sub[i], NULL, submitter, &args[i]);
  }
  pthread_create(&ch, NULL, chaos, r);
  for (int i = 0; i < SUBMITTERS; i++) pthread_join(sub[i], NULL);
  atomic_store(&r->stop, 1);
  pthread_join(ch, NULL);

  /* Once every worker has exited, every accepted task has run. */
  assert_int_equal(ants_release_timeout(p, -1), ANTS_OK);
  assert_int_equal(atomic_load(&r->unexpected), 0);
  int accepted = 0, refused = 0, wrong = 0;
  for (int s = 0; s < SUBMITTERS; s++)
    for (int i = 0; i < r->tried[s]; i++) {
      int id = s * PER_SUBMITTER + i;
      int n = atomic_load(&r->counts[id]);
      if (r->accepted[id]) {
        accepted++;
        if (n != 1) wrong++;
      } else {
        refused++;
        if (n != 0) wrong++;
      }
    }
  print_message("accepted %d, refused %d, wrong %d\n", accepted, refused, wrong);
  assert_int_equal(wrong, 0);
  assert_true(accepted > 0);
  free(r);
}

static ants_pool *new_pool(int nonblocking, ants_task_fn fn) {
  ants_options *o = NULL;
  ants_pool *p = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, nonblocking), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, 5), ANTS_OK); /* churn workers too */
  if (fn)
    assert_int_equal(ants_pool_with_func_new(&p, 4, fn, o), ANTS_OK);
  else
    assert_int_equal(ants_pool_new(&p, 4, o), ANTS_OK);
  ants_options_free(o);
  return p;
}

static void test_exactly_once_submit(void **state) {
  (void)state;
  ants_pool *p = new_pool(0, NULL);
  exercise(p, 0, 0);
  ants_pool_free(p);
}

static void test_exactly_once_nonblocking_submit(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, NULL);
  exercise(p, 0, 1);
  ants_pool_free(p);
}

static void test_ants_pool_with_func_exactly_once_invoke(void **state) {
  (void)state;
  ants_pool *p = new_pool(0, task_count);
  exercise(p, 1, 0);
  ants_pool_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exactly_once_submit),
      cmocka_unit_test(test_exactly_once_nonblocking_submit),
      cmocka_unit_test(test_ants_pool_with_func_exactly_once_invoke),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
