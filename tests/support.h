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

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ants.h"

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
  atomic_int left;    /* how many callers passed it */
} gate;

static inline void gate_init(gate *g) {
  pthread_mutex_init(&g->mu, NULL);
  pthread_cond_init(&g->cv, NULL);
  g->open = 0;
  atomic_init(&g->arrived, 0);
  atomic_init(&g->left, 0);
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
  atomic_fetch_add(&g->left, 1);
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

/* Number of threads of this process whose name starts with prefix: tells
 * the library's workers apart from threads a sanitizer runtime may add. */
static inline int thread_count_named(const char *prefix) {
  DIR *d = opendir("/proc/self/task");
  struct dirent *e;
  int n = 0;
  if (!d) return -1;
  while ((e = readdir(d)) != NULL) {
    char path[300], comm[64] = "";
    FILE *f;
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
    f = fopen(path, "r");
    if (!f) continue; /* the thread exited while we listed */
    if (fgets(comm, sizeof comm, f) && strncmp(comm, prefix, strlen(prefix)) == 0) n++;
    fclose(f);
  }
  closedir(d);
  return n;
}

/* Kernel thread id: unlike pthread_t it is not recycled at once when a thread
 * exits, so tests can tell worker threads apart over a pool's lifetime. */
static inline long test_gettid(void) { return (long)syscall(SYS_gettid); }

/* Task adapter: arg is an atomic_int to increment. */
static inline void task_count(void *arg) { atomic_fetch_add((atomic_int *)arg, 1); }

/* A submit from a background thread, for tests about callers that block:
 * cmocka asserts must stay on the main thread, so the result is stored. */
typedef struct bg_submit {
  pthread_t th;
  ants_pool *pool;
  ants_task_fn fn; /* NULL: ants_invoke(pool, arg) */
  void *arg;
  int rc;
  atomic_int done;
} bg_submit;

static inline void *bg_submit_main(void *arg) {
  bg_submit *b = (bg_submit *)arg;
  b->rc = b->fn ? ants_submit(b->pool, b->fn, b->arg) : ants_invoke(b->pool, b->arg);
  atomic_store(&b->done, 1);
  return NULL;
}
static inline void bg_submit_start(bg_submit *b, ants_pool *pool, ants_task_fn fn, void *arg) {
  b->pool = pool;
  b->fn = fn;
  b->arg = arg;
  b->rc = 1;
  atomic_init(&b->done, 0);
  pthread_create(&b->th, NULL, bg_submit_main, b);
}
/* Joins the thread and returns the status its submit returned. */
static inline int bg_submit_join(bg_submit *b) {
  pthread_join(b->th, NULL);
  return b->rc;
}

/* Sanitizer runtimes start helper threads of their own on the first
 * pthread_create (TSan's background thread): start and join one thread
 * before taking a thread-count baseline so those are counted in it. */
static inline void *noop_thread(void *arg) {
  *(long *)arg = test_gettid();
  return NULL;
}
static inline int thread_listed(long tid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%ld", tid);
  return access(path, F_OK) == 0;
}
static inline void warm_up_threads(void) {
  static int done;
  if (done) return;
  pthread_t t;
  long tid = 0;
  if (pthread_create(&t, NULL, noop_thread, &tid) == 0) {
    pthread_join(t, NULL);
    /* The kernel wakes a joiner a moment before it reaps the thread, which
     * stays listed until then: let it go, or callers' baselines count it. */
    (void)wait_until(!thread_listed(tid));
  }
  done = 1;
}

/* Submits n tasks held on g and waits until all of them arrived, so the
 * pool's n workers are known to be busy; 1 on success. */
static inline int gate_fill(ants_pool *p, gate *g, int n) {
  for (int i = 0; i < n; i++) {
    if (ants_submit(p, task_gate_pass, g) != ANTS_OK) return 0;
  }
  return wait_until(atomic_load(&g->arrived) == n);
}

/* A task held on its own gate that records which thread ran it. */
typedef struct held_task {
  gate g;
  atomic_long tid;
} held_task;
static inline void held_task_run(void *arg) {
  held_task *h = (held_task *)arg;
  atomic_store(&h->tid, test_gettid());
  gate_pass(&h->g);
}
static inline void held_init(held_task *h) {
  gate_init(&h->g);
  atomic_init(&h->tid, 0);
}

#endif
