/*
 * support_extra.h - more helpers for the multipool and beyond-ants suites
 * (issues 3 and 8), kept apart from support.h so the suites of different
 * issues can grow without touching a shared file.
 *
 * Rules these helpers exist to keep:
 *   - cmocka's assertions longjmp, which is only defined on the thread that
 *     runs the test, so helper threads and tasks never assert: they record
 *     what they saw and the test asserts on its own thread.
 *   - A test that fails half-way leaves workers blocked on its gates, so
 *     state shared with tasks lives in static storage, never on the stack of
 *     a test that may be abandoned.
 *   - A hang must fail one test quickly with its name visible, not eat the
 *     whole ctest timeout: every test arms a watchdog in its setup.
 */
#ifndef ANTS_TEST_SUPPORT_EXTRA_H
#define ANTS_TEST_SUPPORT_EXTRA_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "support.h"

/* Per-test bound, well above TEST_DEADLINE_MS so a wait_until that fails
 * reports itself before the watchdog fires. */
#define WATCHDOG_S 90

static inline void watchdog_fired_(int sig) {
  static const char msg[] = "\nwatchdog: a test hung; the last [ RUN ] above names it\n";
  (void)sig;
  ssize_t ignored = write(2, msg, sizeof msg - 1);
  (void)ignored;
  _exit(3);
}

/* Called first in main(): unbuffered stdout so cmocka's "[ RUN ]" line is
 * out before a hang kills the process. */
static inline void watchdog_install(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  signal(SIGALRM, watchdog_fired_);
}

/* cmocka setup function: restart the watchdog for the coming test. */
static inline int watchdog_arm(void **state) {
  (void)state;
  alarm(WATCHDOG_S);
  return 0;
}

#define TEST(fn) cmocka_unit_test_setup(fn, watchdog_arm)

/* ---- A call made on a helper thread ------------------------------------ */

/* Runs op(ctx) on its own thread, so the test can observe a caller that
 * blocks (in submit, wait_idle, group_wait, ...) and then unblock it. */
typedef int (*bg_op)(void *ctx);

typedef struct bg_call {
  pthread_t thread;
  bg_op op;
  void *ctx;
  atomic_int started; /* op is about to be called */
  atomic_int done;    /* op returned; rc and elapsed_ms are valid */
  int rc;
  int64_t elapsed_ms;
} bg_call;

static inline void *bg_call_main_(void *arg) {
  bg_call *c = (bg_call *)arg;
  atomic_store(&c->started, 1);
  int64_t t0 = now_ms();
  int rc = c->op(c->ctx);
  c->elapsed_ms = now_ms() - t0;
  c->rc = rc;
  atomic_store(&c->done, 1);
  return NULL;
}

/* Returns 0 on success (the thread runs), else the pthread error. */
static inline int bg_call_start(bg_call *c, bg_op op, void *ctx) {
  c->op = op;
  c->ctx = ctx;
  c->rc = 0x7fff;
  c->elapsed_ms = -1;
  atomic_init(&c->started, 0);
  atomic_init(&c->done, 0);
  return pthread_create(&c->thread, NULL, bg_call_main_, c);
}

/* Joins the thread and returns what op returned. */
static inline int bg_call_join(bg_call *c) {
  pthread_join(c->thread, NULL);
  return c->rc;
}

/* ---- Tasks --------------------------------------------------------------- */

/* Records the worker thread a task ran on and that it ran. */
typedef struct where_ran {
  pthread_t thread;
  atomic_int ran; /* times run */
} where_ran;

static inline void where_ran_init(where_ran *w) { atomic_init(&w->ran, 0); }

static inline void task_record_thread(void *arg) {
  where_ran *w = (where_ran *)arg;
  w->thread = pthread_self();
  atomic_fetch_add(&w->ran, 1);
}

/* ---- Exactly-once bookkeeping ------------------------------------------- */

/* One counter per submitted task: a task that runs twice or never shows. */
#define SLOTS_MAX 4096
typedef struct slots {
  atomic_int n[SLOTS_MAX];
} slots;

static inline void slots_init(slots *s) {
  for (int i = 0; i < SLOTS_MAX; i++) atomic_init(&s->n[i], 0);
}

/* Index of the first slot whose count is not `want` among the first `count`,
 * or -1 if all are. */
static inline int slots_first_not(slots *s, int count, int want) {
  for (int i = 0; i < count; i++)
    if (atomic_load(&s->n[i]) != want) return i;
  return -1;
}

/* Sum of the first `count` slots. */
static inline int slots_sum(slots *s, int count) {
  int sum = 0;
  for (int i = 0; i < count; i++) sum += atomic_load(&s->n[i]);
  return sum;
}

/* ---- Throwing tasks (group_throwing_task.cpp; link it to use them) ------ */

/* Throws std::runtime_error("task_throw_runtime_error"). */
void task_throw_runtime_error(void *arg);
/* Throws an int, which is not a std::exception. */
void task_throw_int(void *arg);

#endif
