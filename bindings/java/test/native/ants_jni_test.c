/*
 * ants_jni_test.c - test support for SharedPoolTest: C code submitting C
 * tasks to a pool that Java code submits to at the same time, and one
 * concurrency gauge both kinds of task pass through. Built only with the
 * tests (libants_jni_test.so), never shipped.
 */
#include <jni.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "ants.h"

static atomic_int g_inside;     /* tasks of either language running now */
static atomic_int g_max_inside; /* the most ever seen at once */
static atomic_int g_c_ran;      /* C tasks that ran */
static atomic_int g_c_refused;  /* C submits that failed */

static void gauge_enter(void) {
  int now = atomic_fetch_add(&g_inside, 1) + 1;
  int seen = atomic_load(&g_max_inside);
  while (now > seen && !atomic_compare_exchange_weak(&g_max_inside, &seen, now)) {
  }
}

static void gauge_leave(void) { atomic_fetch_sub(&g_inside, 1); }

/* A C task: inside the gauge for a little while (a yield keeps it there
 * long enough for tasks of both languages to overlap). */
static void c_task(void *arg) {
  (void)arg;
  gauge_enter();
  sched_yield();
  atomic_fetch_add(&g_c_ran, 1);
  gauge_leave();
}

typedef struct submitters {
  ants_pool *pool;
  int threads;
  int tasks;
  pthread_t tid[16];
} submitters;

static void *submit_loop(void *p) {
  submitters *s = (submitters *)p;
  for (int i = 0; i < s->tasks; i++) {
    if (ants_submit(s->pool, c_task, NULL) != ANTS_OK) atomic_fetch_add(&g_c_refused, 1);
  }
  return NULL;
}

JNIEXPORT void JNICALL Java_org_libants_CSide_reset(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  atomic_store(&g_inside, 0);
  atomic_store(&g_max_inside, 0);
  atomic_store(&g_c_ran, 0);
  atomic_store(&g_c_refused, 0);
}

JNIEXPORT void JNICALL Java_org_libants_CSide_enter(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  gauge_enter();
}

JNIEXPORT void JNICALL Java_org_libants_CSide_leave(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  gauge_leave();
}

/* Starts `threads` C threads, each submitting `tasks` C tasks to pool; the
 * pool is retained for them (they are owners while they run). */
JNIEXPORT jlong JNICALL Java_org_libants_CSide_startSubmitters(JNIEnv *env, jclass cls,
                                                               jlong pool, jint threads,
                                                               jint tasks) {
  (void)env;
  (void)cls;
  submitters *s = (submitters *)calloc(1, sizeof *s);
  if (!s || threads < 1 || threads > 16) {
    free(s);
    return 0;
  }
  s->pool = (ants_pool *)(intptr_t)pool;
  s->threads = threads;
  s->tasks = tasks;
  if (ants_pool_retain(s->pool) != ANTS_OK) {
    free(s);
    return 0;
  }
  for (int i = 0; i < threads; i++) pthread_create(&s->tid[i], NULL, submit_loop, s);
  return (jlong)(intptr_t)s;
}

/* Joins the submitters, drops their ownership; returns the refused count. */
JNIEXPORT jint JNICALL Java_org_libants_CSide_joinSubmitters(JNIEnv *env, jclass cls,
                                                             jlong handle) {
  (void)env;
  (void)cls;
  submitters *s = (submitters *)(intptr_t)handle;
  for (int i = 0; i < s->threads; i++) pthread_join(s->tid[i], NULL);
  ants_pool_free(s->pool);
  free(s);
  return atomic_load(&g_c_refused);
}

JNIEXPORT jint JNICALL Java_org_libants_CSide_cTasksRan(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return atomic_load(&g_c_ran);
}

JNIEXPORT jint JNICALL Java_org_libants_CSide_maxConcurrent(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return atomic_load(&g_max_inside);
}

/* One C task submitted from C; returns the status. */
JNIEXPORT jint JNICALL Java_org_libants_CSide_submitOne(JNIEnv *env, jclass cls, jlong pool) {
  (void)env;
  (void)cls;
  return ants_submit((ants_pool *)(intptr_t)pool, c_task, NULL);
}

/* A pool made by C code, for Pool.fromHandle (the caller owns it). */
JNIEXPORT jlong JNICALL Java_org_libants_CSide_newPool(JNIEnv *env, jclass cls, jint size) {
  (void)env;
  (void)cls;
  ants_pool *p = NULL;
  if (ants_pool_new(&p, size, NULL) != ANTS_OK) return 0;
  return (jlong)(intptr_t)p;
}

JNIEXPORT void JNICALL Java_org_libants_CSide_freePool(JNIEnv *env, jclass cls, jlong pool) {
  (void)env;
  (void)cls;
  ants_pool_free((ants_pool *)(intptr_t)pool);
}

/* ---- held C tasks, for SlotTest: a C task that runs until the gate opens,
 * submitted from the calling thread or from a C thread of its own (a native
 * submitter that may block). */
static pthread_mutex_t g_gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_gate_cv = PTHREAD_COND_INITIALIZER;
static int g_gate_open;
static atomic_int g_held_started;
static atomic_int g_held_done;

/* Gives up after 30 s (TestSupport.DEADLINE_MS), so that a test failing
 * before it opens the gate fails instead of hanging in close(). */
static void held_task(void *arg) {
  (void)arg;
  atomic_fetch_add(&g_held_started, 1);
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 30;
  pthread_mutex_lock(&g_gate_mu);
  while (!g_gate_open) {
    if (pthread_cond_timedwait(&g_gate_cv, &g_gate_mu, &deadline) != 0) break;
  }
  pthread_mutex_unlock(&g_gate_mu);
  atomic_fetch_add(&g_held_done, 1);
}

/* Closes the gate and zeroes the counts. */
JNIEXPORT void JNICALL Java_org_libants_CSide_heldReset(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  pthread_mutex_lock(&g_gate_mu);
  g_gate_open = 0;
  pthread_mutex_unlock(&g_gate_mu);
  atomic_store(&g_held_started, 0);
  atomic_store(&g_held_done, 0);
}

JNIEXPORT void JNICALL Java_org_libants_CSide_heldOpen(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  pthread_mutex_lock(&g_gate_mu);
  g_gate_open = 1;
  pthread_cond_broadcast(&g_gate_cv);
  pthread_mutex_unlock(&g_gate_mu);
}

JNIEXPORT jint JNICALL Java_org_libants_CSide_heldStarted(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return atomic_load(&g_held_started);
}

JNIEXPORT jint JNICALL Java_org_libants_CSide_heldDone(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return atomic_load(&g_held_done);
}

/* ants_submit_timeout of a held task from the calling thread; the status. */
JNIEXPORT jint JNICALL Java_org_libants_CSide_heldSubmit(JNIEnv *env, jclass cls, jlong pool,
                                                         jlong timeout_ms) {
  (void)env;
  (void)cls;
  return ants_submit_timeout((ants_pool *)(intptr_t)pool, held_task, NULL, timeout_ms);
}

typedef struct held_submitter {
  pthread_t tid;
  ants_pool *pool;
  int status;
} held_submitter;

static void *held_submit_thread(void *p) {
  held_submitter *s = (held_submitter *)p;
  s->status = ants_submit(s->pool, held_task, NULL);
  return NULL;
}

/* A C thread that submits one held task with ants_submit (blocking while
 * the pool is full); heldJoin returns its status. */
JNIEXPORT jlong JNICALL Java_org_libants_CSide_heldSubmitFromCThread(JNIEnv *env, jclass cls,
                                                                     jlong pool) {
  (void)env;
  (void)cls;
  held_submitter *s = (held_submitter *)calloc(1, sizeof *s);
  if (!s) return 0;
  s->pool = (ants_pool *)(intptr_t)pool;
  if (pthread_create(&s->tid, NULL, held_submit_thread, s) != 0) {
    free(s);
    return 0;
  }
  return (jlong)(intptr_t)s;
}

JNIEXPORT jint JNICALL Java_org_libants_CSide_heldJoin(JNIEnv *env, jclass cls, jlong submitter) {
  (void)env;
  (void)cls;
  held_submitter *s = (held_submitter *)(intptr_t)submitter;
  pthread_join(s->tid, NULL);
  int status = s->status;
  free(s);
  return status;
}
