/*
 * support.h - synchronisation helpers shared by the cmocka suites.
 *
 * Tests never sleep to synchronise: they block on a gate or a latch, or poll
 * a condition with a deadline (wait_until) and fail if it never holds. The
 * deadlines are generous (they only bound a failing test, they are not
 * timing assertions), so a loaded CI machine does not make tests flaky.
 */
#ifndef ANTS_TEST_SUPPORT_H
#define ANTS_TEST_SUPPORT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Bound for any wait in a test: long enough for a sanitizer build on a busy
 * 2-core machine, short enough that a hang fails the test rather than CI. */
#define TEST_DEADLINE_MS 30000

static inline int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void pause_ms(int64_t ms) {
  struct timespec ts = {(time_t)(ms / 1000), (long)((ms % 1000) * 1000000)};
  nanosleep(&ts, NULL);
}

/* Polls cond (an expression) every millisecond until it holds or the deadline
 * passes; evaluates to 1 if it held. */
#define wait_until(cond) wait_until_ms((cond), TEST_DEADLINE_MS)
#define wait_until_ms(cond, ms)                                       \
  ({                                                                  \
    int64_t wu_deadline_ = now_ms() + (ms);                           \
    int wu_ok_ = 0;                                                   \
    for (;;) {                                                        \
      if (cond) { wu_ok_ = 1; break; }                                \
      if (now_ms() > wu_deadline_) break;                             \
      pause_ms(1);                                                    \
    }                                                                 \
    wu_ok_;                                                           \
  })

/* A gate: tasks block in gate_pass() until the test opens it. */
typedef struct gate {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int open;
  atomic_int arrived; /* how many callers reached the gate */
} gate;

static inline void gate_init(gate *g) {
  pthread_mutex_init(&g->mu, NULL);
  pthread_cond_init(&g->cv, NULL);
  g->open = 0;
  atomic_init(&g->arrived, 0);
}
static inline void gate_destroy(gate *g) {
  pthread_cond_destroy(&g->cv);
  pthread_mutex_destroy(&g->mu);
}
static inline void gate_open(gate *g) {
  pthread_mutex_lock(&g->mu);
  g->open = 1;
  pthread_cond_broadcast(&g->cv);
  pthread_mutex_unlock(&g->mu);
}
static inline void gate_pass(gate *g) {
  atomic_fetch_add(&g->arrived, 1);
  pthread_mutex_lock(&g->mu);
  while (!g->open) pthread_cond_wait(&g->cv, &g->mu);
  pthread_mutex_unlock(&g->mu);
}
/* Task adapter: arg is a gate. */
static inline void task_gate_pass(void *arg) { gate_pass((gate *)arg); }

/* Number of threads in this process, from /proc (-1 if unreadable). */
static inline int thread_count(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  int n = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "Threads:", 8) == 0) {
      sscanf(line + 8, "%d", &n);
      break;
    }
  }
  fclose(f);
  return n;
}

/* Task adapter: arg is an atomic_int to increment. */
static inline void task_count(void *arg) { atomic_fetch_add((atomic_int *)arg, 1); }

#endif
