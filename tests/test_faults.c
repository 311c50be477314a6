/*
 * test_faults.c - the pool when the OS refuses a thread or an allocation
 * fails, through the test-only fault points of ants::testing
 * (core/fault_injection.h).
 *
 * What ants.h promises and these tests hold it to: a failed creation is
 * ANTS_ERR_NO_MEMORY and leaves nothing behind (LeakSanitizer and valgrind
 * check that); a refused thread is ANTS_ERR_SYSTEM for a nonblocking submit
 * while a blocking one waits for a live worker; nothing accepted is lost;
 * the pool works again once the fault clears; no thread is left over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ants.h>

#include "fault_injection.h"
#include "support.h"

/* Every test ends with no fault armed, whatever happened in it. */
static int clear_faults(void **state) {
  (void)state;
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  return 0;
}

static int baseline_threads;
static int record_baseline(void **state) {
  clear_faults(state);
  warm_up_threads();
  baseline_threads = thread_count();
  return 0;
}

/* Threads come back to the count before the test: freed pools leave none. */
static void assert_threads_at_baseline(void) {
  assert_true(wait_until(thread_count() <= baseline_threads));
}

static void quiet_logger(void *ctx, const char *msg) {
  (void)msg;
  atomic_fetch_add((atomic_int *)ctx, 1);
}

static atomic_int log_lines;

/* Options whose logger counts lines instead of printing them. */
static ants_options *quiet_options(void) {
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_logger(o, quiet_logger, &log_lines), ANTS_OK);
  return o;
}

/* ------------------------------------------------------------------------ */
/* Creation under allocation failure                                         */
/* ------------------------------------------------------------------------ */

enum { KIND_PLAIN, KIND_FUNC, KIND_MULTI, KIND_MULTI_FUNC, KIND_COUNT };

static int create(ants_pool **out, int kind, int size, const ants_options *o) {
  switch (kind) {
    case KIND_PLAIN: return ants_pool_new(out, size, o);
    case KIND_FUNC: return ants_pool_with_func_new(out, size, task_count, o);
    case KIND_MULTI: return ants_multipool_new(out, 3, size, ANTS_ROUND_ROBIN, o);
    default: return ants_multipool_with_func_new(out, 3, size, task_count, ANTS_LEAST_TASKS, o);
  }
}

/* Fails each allocation of a creation in turn (skip = 0, 1, 2, ...) until
 * the creation needs no more: every partial state must be cleaned up
 * (checked by LeakSanitizer / valgrind) and report ANTS_ERR_NO_MEMORY. */
static void sweep_creation(int kind, int pre_alloc) {
  ants_options *o = quiet_options();
  assert_int_equal(ants_options_set_pre_alloc(o, pre_alloc), ANTS_OK);
  int failures = 0;
  for (int skip = 0; skip < 64; ++skip) {
    ants_pool *p = NULL;
    int hits = ants_fault_hits(ANTS_FAULT_ALLOC);
    ants_fault_inject_after(ANTS_FAULT_ALLOC, skip, 1);
    int rc = create(&p, kind, 2, o);
    ants_fault_inject(ANTS_FAULT_ALLOC, 0);
    if (ants_fault_hits(ANTS_FAULT_ALLOC) == hits) {
      /* The creation finished before reaching the armed failure. */
      assert_int_equal(rc, ANTS_OK);
      assert_non_null(p);
      int ran = 0;
      atomic_int counter;
      atomic_init(&counter, 0);
      if (kind == KIND_FUNC || kind == KIND_MULTI_FUNC)
        assert_int_equal(ants_invoke(p, &counter), ANTS_OK);
      else
        assert_int_equal(ants_submit(p, task_count, &counter), ANTS_OK);
      assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
      ran = atomic_load(&counter);
      assert_int_equal(ran, 1);
      ants_pool_free(p);
      break;
    }
    assert_int_equal(rc, ANTS_ERR_NO_MEMORY);
    assert_null(p);
    ++failures;
  }
  assert_true(failures >= 1);
  ants_options_free(o);
  assert_threads_at_baseline();
}

static void test_pool_new_alloc_failure_sweep(void **state) {
  (void)state;
  sweep_creation(KIND_PLAIN, 0);
  sweep_creation(KIND_PLAIN, 1);
}

static void test_pool_with_func_new_alloc_failure_sweep(void **state) {
  (void)state;
  sweep_creation(KIND_FUNC, 0);
  sweep_creation(KIND_FUNC, 1);
}

static void test_multipool_new_alloc_failure_sweep(void **state) {
  (void)state;
  sweep_creation(KIND_MULTI, 0);
  sweep_creation(KIND_MULTI, 1);
  sweep_creation(KIND_MULTI_FUNC, 0);
  sweep_creation(KIND_MULTI_FUNC, 1);
}

static void test_options_and_group_new_alloc_failure(void **state) {
  (void)state;
  ants_options *o = NULL;
  ants_group *g = NULL;
  ants_fault_inject(ANTS_FAULT_ALLOC, -1);
  assert_int_equal(ants_options_new(&o), ANTS_ERR_NO_MEMORY);
  assert_int_equal(ants_group_new(&g), ANTS_ERR_NO_MEMORY);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  assert_null(o);
  assert_null(g);
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_group_new(&g), ANTS_OK);
  ants_options_free(o);
  ants_group_free(g);
}

/* ------------------------------------------------------------------------ */
/* Submit when the OS refuses a thread                                       */
/* ------------------------------------------------------------------------ */

static void test_nonblocking_submit_thread_refused_returns_system(void **state) {
  (void)state;
  ants_options *o = quiet_options();
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, o), ANTS_OK);
  ants_options_free(o);
  atomic_int ran;
  atomic_init(&ran, 0);

  int hits = ants_fault_hits(ANTS_FAULT_THREAD_CREATE);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, -1);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_SYSTEM);
  assert_int_equal(ants_submit_timeout(p, task_count, &ran, 1000), ANTS_ERR_SYSTEM);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  assert_true(ants_fault_hits(ANTS_FAULT_THREAD_CREATE) >= hits + 2);
  /* The refused thread's slot was given back: nothing is counted. */
  assert_int_equal(ants_running(p), 0);
  assert_int_equal(ants_busy(p), 0);
  assert_int_equal(ants_available(p), 2);

  /* Fault cleared: the pool works, and the rejected tasks never ran. */
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  ants_pool_free(p);
  assert_threads_at_baseline();
}

/* With one live worker, a nonblocking submit that cannot start a second
 * one reports the OS's refusal, not an overload. */
static void test_nonblocking_submit_thread_refused_with_busy_worker(void **state) {
  (void)state;
  ants_options *o = quiet_options();
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 3, o), ANTS_OK);
  ants_options_free(o);
  gate g;
  gate_init(&g);
  assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 1));

  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 1);
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_SYSTEM);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  assert_int_equal(ants_running(p), 1);

  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  gate_open(&g);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  ants_pool_free(p);
  gate_destroy(&g);
  assert_threads_at_baseline();
}

struct submitter {
  ants_pool *pool;
  ants_task_fn fn;
  void *arg;
  int64_t timeout_ms; /* < 0: ants_submit */
  atomic_int done;
  int status;
  pthread_t thread;
};

static void *submitter_main(void *arg) {
  struct submitter *s = arg;
  s->status = s->timeout_ms < 0 ? ants_submit(s->pool, s->fn, s->arg)
                                : ants_submit_timeout(s->pool, s->fn, s->arg, s->timeout_ms);
  atomic_store(&s->done, 1);
  return NULL;
}

static void start_submitter(struct submitter *s, ants_pool *p, ants_task_fn fn, void *arg,
                            int64_t timeout_ms) {
  s->pool = p;
  s->fn = fn;
  s->arg = arg;
  s->timeout_ms = timeout_ms;
  atomic_init(&s->done, 0);
  s->status = 1;
  assert_int_equal(pthread_create(&s->thread, NULL, submitter_main, s), 0);
}

/* ants.h: "a blocking caller waits for a worker instead" of failing when
 * the OS refuses a thread - and takes the worker when it frees up. */
static void test_blocking_submit_waits_for_worker_when_thread_refused(void **state) {
  (void)state;
  ants_options *o = quiet_options();
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 4, o), ANTS_OK);
  ants_options_free(o);
  gate g;
  gate_init(&g);
  assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 1));

  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, -1);
  atomic_int ran;
  atomic_init(&ran, 0);
  struct submitter s;
  start_submitter(&s, p, task_count, &ran, -1);
  assert_true(wait_until(ants_waiting(p) == 1));
  assert_int_equal(atomic_load(&s.done), 0);
  assert_int_equal(atomic_load(&ran), 0);

  /* The only worker frees up: the waiting caller hands its task to it,
   * although the OS still refuses new threads. */
  gate_open(&g);
  assert_true(wait_until(atomic_load(&s.done) == 1));
  pthread_join(s.thread, NULL);
  assert_int_equal(s.status, ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  assert_int_equal(ants_running(p), 1);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);

  ants_pool_free(p);
  gate_destroy(&g);
  assert_threads_at_baseline();
}

/* A blocking submit into a pool with no live worker, when the OS refuses
 * the thread, has no worker to wait for: it fails with ANTS_ERR_SYSTEM at
 * once instead of waiting forever (the engine's choice; ants.h describes
 * only the case with a live worker). */
static void test_blocking_submit_on_empty_pool_thread_refused(void **state) {
  (void)state;
  ants_options *o = quiet_options();
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 4, o), ANTS_OK);
  ants_options_free(o);
  atomic_int ran;
  atomic_init(&ran, 0);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, -1);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_SYSTEM);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  ants_pool_free(p);
  assert_threads_at_baseline();
}

/* ------------------------------------------------------------------------ */
/* Submit when an allocation fails                                           */
/* ------------------------------------------------------------------------ */

static void test_submit_alloc_failure_returns_no_memory(void **state) {
  (void)state;
  ants_pool *p = NULL;
  ants_options *o = quiet_options();
  assert_int_equal(ants_pool_new(&p, 2, o), ANTS_OK);
  ants_options_free(o);
  atomic_int ran;
  atomic_init(&ran, 0);
  ants_fault_inject(ANTS_FAULT_ALLOC, -1);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_NO_MEMORY);
  assert_int_equal(ants_submit_timeout(p, task_count, &ran, 0), ANTS_ERR_NO_MEMORY);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  assert_int_equal(ants_running(p), 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&ran), 1);
  ants_pool_free(p);
  assert_threads_at_baseline();
}

/* ants.h: with pre-alloc "submit never allocates" - so an allocation fault
 * cannot touch it. */
static void test_pre_alloc_submit_never_allocates(void **state) {
  (void)state;
  ants_options *o = quiet_options();
  assert_int_equal(ants_options_set_pre_alloc(o, 1), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 3, o), ANTS_OK);
  ants_options_free(o);
  gate g;
  gate_init(&g);
  int hits = ants_fault_hits(ANTS_FAULT_ALLOC);
  ants_fault_inject(ANTS_FAULT_ALLOC, -1);
  for (int i = 0; i < 3; ++i) assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 3));
  gate_open(&g);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  assert_int_equal(ants_fault_hits(ANTS_FAULT_ALLOC), hits);
  ants_pool_free(p);
  gate_destroy(&g);
  assert_threads_at_baseline();
}

/* ------------------------------------------------------------------------ */
/* Nothing lost under intermittent faults                                    */
/* ------------------------------------------------------------------------ */

enum { STORM_THREADS = 4, STORM_TASKS = 1500 };

struct storm {
  ants_pool *pools[3];
  int func[3];
  atomic_uchar runs[STORM_THREADS][STORM_TASKS];
  unsigned char accepted[STORM_THREADS][STORM_TASKS];
  atomic_int stop_faults;
  atomic_int statuses[16];
};

struct storm_arg {
  struct storm *st;
  int id;
};

static atomic_int storm_calls;
/* Every 8th task lingers a little, so workers are busy when others come. */
static void storm_task(void *arg) {
  atomic_fetch_add((atomic_uchar *)arg, 1);
  if (atomic_fetch_add(&storm_calls, 1) % 8 == 0) {
    struct timespec ts = {0, 100000};
    nanosleep(&ts, NULL);
  }
}

static void *storm_submitter(void *arg) {
  struct storm_arg *a = arg;
  struct storm *st = a->st;
  unsigned seed = (unsigned)a->id * 7919u + 1u;
  for (int i = 0; i < STORM_TASKS; ++i) {
    seed = seed * 1103515245u + 12345u;
    int which = (int)((seed >> 16) % 3);
    ants_pool *p = st->pools[which];
    void *slot = &st->runs[a->id][i];
    int rc;
    /* Bounded waits only: under a fault storm a blocking caller may wait
     * for a worker while the generator keeps refusing threads. */
    if (st->func[which])
      rc = ants_invoke_timeout(p, slot, TEST_DEADLINE_MS);
    else
      rc = ants_submit_timeout(p, storm_task, slot, TEST_DEADLINE_MS);
    st->accepted[a->id][i] = rc == ANTS_OK;
    atomic_fetch_add(&st->statuses[-rc], 1);
  }
  return NULL;
}

/* Arms short bursts of faults and, so that workers keep being started
 * (where the faults bite), shrinks and grows the pools all the time. */
static void *fault_generator(void *arg) {
  struct storm *st = arg;
  unsigned seed = 42;
  for (int i = 0; !atomic_load(&st->stop_faults); ++i) {
    seed = seed * 1103515245u + 12345u;
    int kind = (seed >> 16) & 1 ? ANTS_FAULT_THREAD_CREATE : ANTS_FAULT_ALLOC;
    ants_fault_inject(kind, 1 + (int)((seed >> 20) % 3));
    ants_tune(st->pools[i % 3], i % 2 ? 1 : 4);
    /* Not synchronisation: only spaces the bursts so submits also succeed. */
    struct timespec ts = {0, 200000};
    nanosleep(&ts, NULL);
  }
  clear_faults(NULL);
  return NULL;
}

static void test_nothing_lost_under_intermittent_faults(void **state) {
  (void)state;
  struct storm *st = calloc(1, sizeof *st);
  assert_non_null(st);
  ants_options *o = quiet_options();
  assert_int_equal(ants_options_set_expiry_ms(o, 1), ANTS_OK); /* churn threads */
  assert_int_equal(ants_pool_new(&st->pools[0], 4, o), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 8), ANTS_OK);
  assert_int_equal(ants_multipool_with_func_new(&st->pools[1], 3, 2, storm_task, ANTS_ROUND_ROBIN, o),
                   ANTS_OK);
  st->func[1] = 1;
  assert_int_equal(ants_options_set_queue_size(o, 0), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  assert_int_equal(ants_pool_new(&st->pools[2], 3, o), ANTS_OK);
  ants_options_free(o);

  int hits0 = ants_fault_hits(ANTS_FAULT_THREAD_CREATE) + ants_fault_hits(ANTS_FAULT_ALLOC);
  pthread_t gen;
  struct storm_arg args[STORM_THREADS];
  pthread_t th[STORM_THREADS];
  atomic_init(&st->stop_faults, 0);
  assert_int_equal(pthread_create(&gen, NULL, fault_generator, st), 0);
  for (int i = 0; i < STORM_THREADS; ++i) {
    args[i].st = st;
    args[i].id = i;
    assert_int_equal(pthread_create(&th[i], NULL, storm_submitter, &args[i]), 0);
  }
  for (int i = 0; i < STORM_THREADS; ++i) pthread_join(th[i], NULL);
  atomic_store(&st->stop_faults, 1);
  pthread_join(gen, NULL);
  int hits = ants_fault_hits(ANTS_FAULT_THREAD_CREATE) + ants_fault_hits(ANTS_FAULT_ALLOC) - hits0;

  for (int i = 0; i < 3; ++i) assert_int_equal(ants_wait_idle(st->pools[i], TEST_DEADLINE_MS), ANTS_OK);
  /* Only documented outcomes; every accepted task ran once, no other did. */
  for (int s = 0; s < 16; ++s) {
    int n = atomic_load(&st->statuses[s]);
    if (n == 0) continue;
    int rc = -s;
    assert_true(rc == ANTS_OK || rc == ANTS_ERR_SYSTEM || rc == ANTS_ERR_NO_MEMORY ||
                rc == ANTS_ERR_POOL_OVERLOAD || rc == ANTS_ERR_TIMEOUT);
  }
  int accepted = 0;
  for (int t = 0; t < STORM_THREADS; ++t) {
    for (int i = 0; i < STORM_TASKS; ++i) {
      assert_int_equal(atomic_load(&st->runs[t][i]), st->accepted[t][i]);
      accepted += st->accepted[t][i];
    }
  }
  print_message("fault storm: %d faults injected, %d of %d tasks accepted, all ran once\n", hits,
                accepted, STORM_THREADS * STORM_TASKS);
  assert_true(hits > 0);
  assert_true(accepted > 0);

  /* Faults cleared: every pool takes work again. */
  atomic_uchar after;
  atomic_init(&after, 0);
  assert_int_equal(ants_submit(st->pools[0], storm_task, &after), ANTS_OK);
  assert_int_equal(ants_invoke(st->pools[1], &after), ANTS_OK);
  assert_int_equal(ants_wait_idle(st->pools[0], TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(ants_wait_idle(st->pools[1], TEST_DEADLINE_MS), ANTS_OK);
  assert_true(wait_until(ants_submit(st->pools[2], storm_task, &after) == ANTS_OK));
  assert_int_equal(ants_wait_idle(st->pools[2], TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&after), 3);
  for (int i = 0; i < 3; ++i) ants_pool_free(st->pools[i]);
  free(st);
  assert_threads_at_baseline();
}

/* A refused thread at creation of a worker does not leak its slot: after a
 * run of failures the pool can still grow to its full capacity. */
static void test_capacity_intact_after_thread_faults(void **state) {
  (void)state;
  ants_options *o = quiet_options();
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 3, o), ANTS_OK);
  ants_options_free(o);
  /* Allocation first: after a refused thread the engine keeps the worker's
   * memory for reuse, and a later submit then allocates nothing. */
  ants_fault_inject(ANTS_FAULT_ALLOC, 10);
  for (int i = 0; i < 10; ++i) assert_int_equal(ants_submit(p, task_count, NULL), ANTS_ERR_NO_MEMORY);
  ants_fault_inject(ANTS_FAULT_ALLOC, 0);
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 10);
  for (int i = 0; i < 10; ++i) assert_int_equal(ants_submit(p, task_count, NULL), ANTS_ERR_SYSTEM);
  clear_faults(NULL);
  gate g;
  gate_init(&g);
  for (int i = 0; i < 3; ++i) assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 3));
  assert_int_equal(ants_running(p), 3);
  assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_ERR_POOL_OVERLOAD);
  gate_open(&g);
  ants_pool_free(p);
  gate_destroy(&g);
  assert_threads_at_baseline();
}

/* Refused threads while the capacity keeps changing, on a pool with a task
 * queue: a worker that popped a queued task to start a thread for it puts
 * the task back when the OS refuses, and the queue may have filled up
 * meanwhile. Every accepted task must still run exactly once. */
enum { PUTBACK_THREADS = 4, PUTBACK_TASKS = 40000 };
struct putback {
  ants_pool *pool;
  atomic_uchar *runs;
  unsigned char *accepted;
  atomic_int stop;
};
struct putback_arg {
  struct putback *pb;
  int id;
};
static void putback_task(void *arg) { atomic_fetch_add((atomic_uchar *)arg, 1); }
static void *putback_submitter(void *arg) {
  struct putback_arg *a = arg;
  for (int i = 0; i < PUTBACK_TASKS; ++i) {
    int k = a->id * PUTBACK_TASKS + i;
    int rc = ants_invoke_timeout(a->pb->pool, &a->pb->runs[k], i % 3);
    a->pb->accepted[k] = rc == ANTS_OK;
  }
  return NULL;
}
static void *putback_controller(void *arg) {
  struct putback *pb = arg;
  unsigned seed = 7;
  while (!atomic_load(&pb->stop)) {
    seed = seed * 1103515245u + 12345u;
    ants_tune(pb->pool, 1 + (int)((seed >> 16) % 12));
    ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 1 + (int)((seed >> 24) % 3));
    struct timespec ts = {0, 300000}; /* spacing only, not synchronisation */
    nanosleep(&ts, NULL);
  }
  clear_faults(NULL);
  return NULL;
}
static void test_queue_put_back_under_thread_faults(void **state) {
  (void)state;
  struct putback pb;
  ants_options *o = quiet_options();
  assert_int_equal(ants_options_set_queue_size(o, 4), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, 5), ANTS_OK);
  assert_int_equal(ants_pool_with_func_new(&pb.pool, 3, putback_task, o), ANTS_OK);
  ants_options_free(o);
  pb.runs = calloc(PUTBACK_THREADS * PUTBACK_TASKS, sizeof *pb.runs);
  pb.accepted = calloc(PUTBACK_THREADS * PUTBACK_TASKS, 1);
  assert_non_null(pb.runs);
  assert_non_null(pb.accepted);
  atomic_init(&pb.stop, 0);
  pthread_t ctl, th[PUTBACK_THREADS];
  struct putback_arg args[PUTBACK_THREADS];
  assert_int_equal(pthread_create(&ctl, NULL, putback_controller, &pb), 0);
  for (int i = 0; i < PUTBACK_THREADS; ++i) {
    args[i].pb = &pb;
    args[i].id = i;
    assert_int_equal(pthread_create(&th[i], NULL, putback_submitter, &args[i]), 0);
  }
  for (int i = 0; i < PUTBACK_THREADS; ++i) pthread_join(th[i], NULL);
  atomic_store(&pb.stop, 1);
  pthread_join(ctl, NULL);
  assert_int_equal(ants_wait_idle(pb.pool, TEST_DEADLINE_MS), ANTS_OK);
  ants_pool_free(pb.pool);
  for (int k = 0; k < PUTBACK_THREADS * PUTBACK_TASKS; ++k)
    assert_int_equal(atomic_load(&pb.runs[k]), pb.accepted[k]);
  free(pb.runs);
  free(pb.accepted);
  assert_threads_at_baseline();
}

/* Two hand-offs of queued tasks fail at once, and each puts its task back
 * (issue 12's CI failure: a queued task ran twice). A tune that grows the
 * pool pops the queue's head to start a thread for it; when the OS refuses,
 * the task goes back to the queue's head. Each of those calls drops the pool
 * lock before its put-back (to log), so a second one can pop the next task
 * and submitters can fill the queue meanwhile. The put-backs must still fit:
 * a queued task counts against the queue's size until its hand-off settles.
 * The logger holds both failing calls at that point, deterministically. */
struct held_log {
  gate g;
  atomic_int held; /* failing thread starts held in the logger so far */
  int hold;        /* how many to hold */
};
static void holding_logger(void *ctx, const char *msg) {
  struct held_log *h = ctx;
  if (strncmp(msg, "cannot start a worker thread", 28) != 0) return;
  if (atomic_fetch_add(&h->held, 1) < h->hold) gate_pass(&h->g);
}
struct tune_arg {
  ants_pool *pool;
  int size;
  pthread_t th;
};
static void *tune_main(void *arg) {
  struct tune_arg *t = arg;
  ants_tune(t->pool, t->size);
  return NULL;
}
static void test_two_failed_queue_hand_offs_put_back_in_flight(void **state) {
  (void)state;
  struct held_log log;
  gate_init(&log.g);
  atomic_init(&log.held, 0);
  log.hold = 2;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_logger(o, holding_logger, &log), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 2), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);

  /* The only worker is busy; A and B fill the queue. */
  gate busy;
  gate_init(&busy);
  enum { A, B, C, D, N };
  atomic_int runs[N];
  int accepted[N];
  for (int i = 0; i < N; ++i) atomic_init(&runs[i], 0);
  assert_int_equal(ants_submit(p, task_gate_pass, &busy), ANTS_OK);
  assert_true(wait_until(atomic_load(&busy.arrived) == 1));
  accepted[A] = ants_submit_timeout(p, task_count, &runs[A], 0) == ANTS_OK;
  accepted[B] = ants_submit_timeout(p, task_count, &runs[B], 0) == ANTS_OK;
  assert_true(accepted[A] && accepted[B]);
  assert_int_equal(ants_queued(p), 2);

  /* Two tunes, each popping a task for a thread the OS refuses, held in the
   * logger before their put-backs. */
  ants_fault_inject(ANTS_FAULT_THREAD_CREATE, 1000);
  struct tune_arg t1 = {p, 2, 0}, t2 = {p, 3, 0};
  assert_int_equal(pthread_create(&t1.th, NULL, tune_main, &t1), 0);
  assert_true(wait_until(atomic_load(&log.held) == 1));
  assert_int_equal(pthread_create(&t2.th, NULL, tune_main, &t2), 0);
  assert_true(wait_until(atomic_load(&log.held) == 2));
  /* A and B are out of the queue but not settled: no room for C or D. */
  accepted[C] = ants_submit_timeout(p, task_count, &runs[C], 0) == ANTS_OK;
  accepted[D] = ants_submit_timeout(p, task_count, &runs[D], 0) == ANTS_OK;
  gate_open(&log.g);
  pthread_join(t1.th, NULL);
  pthread_join(t2.th, NULL);
  clear_faults(NULL);
  assert_true(ants_queued(p) <= 2);

  gate_open(&busy);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  ants_pool_free(p);
  for (int i = 0; i < N; ++i) assert_int_equal(atomic_load(&runs[i]), accepted[i]);
  gate_destroy(&busy);
  gate_destroy(&log.g);
  assert_threads_at_baseline();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_pool_new_alloc_failure_sweep, record_baseline, clear_faults),
      cmocka_unit_test_setup_teardown(test_pool_with_func_new_alloc_failure_sweep, record_baseline,
                                      clear_faults),
      cmocka_unit_test_setup_teardown(test_multipool_new_alloc_failure_sweep, record_baseline, clear_faults),
      cmocka_unit_test_setup_teardown(test_options_and_group_new_alloc_failure, record_baseline,
                                      clear_faults),
      cmocka_unit_test_setup_teardown(test_nonblocking_submit_thread_refused_returns_system, record_baseline,
                                      clear_faults),
      cmocka_unit_test_setup_teardown(test_nonblocking_submit_thread_refused_with_busy_worker,
                                      record_baseline, clear_faults),
      cmocka_unit_test_setup_teardown(test_blocking_submit_waits_for_worker_when_thread_refused,
                                      record_baseline, clear_faults),
      cmocka_unit_test_setup_teardown(test_blocking_submit_on_empty_pool_thread_refused, record_baseline,
                                      clear_faults),
      cmocka_unit_test_setup_teardown(test_submit_alloc_failure_returns_no_memory, record_baseline,
                                      clear_faults),
      cmocka_unit_test_setup_teardown(test_pre_alloc_submit_never_allocates, record_baseline, clear_faults),
      cmocka_unit_test_setup_teardown(test_nothing_lost_under_intermittent_faults, record_baseline,
                                      clear_faults),
      cmocka_unit_test_setup_teardown(test_capacity_intact_after_thread_faults, record_baseline,
                                      clear_faults),
      cmocka_unit_test_setup_teardown(test_queue_put_back_under_thread_faults, record_baseline,
                                      clear_faults),
      cmocka_unit_test_setup_teardown(test_two_failed_queue_hand_offs_put_back_in_flight,
                                      record_baseline, clear_faults),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
