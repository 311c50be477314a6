/*
 * test_slots.c - slots: a pool's capacity shared between its own workers and
 * tasks another runtime runs on threads of its own (ants_slot_*).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "support.h"

static ants_pool *new_pool(int size, int nonblocking, int max_blocking, int queue) {
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, nonblocking), ANTS_OK);
  assert_int_equal(ants_options_set_max_blocking_tasks(o, max_blocking), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, queue), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, size, o), ANTS_OK);
  ants_options_free(o);
  return p;
}

/* A slot acquired in the background, for callers that block. */
typedef struct bg_slot {
  pthread_t th;
  ants_pool *pool;
  int64_t timeout_ms;
  ants_slot slot;
  int rc;
  atomic_int done;
} bg_slot;

static void *bg_slot_main(void *arg) {
  bg_slot *b = (bg_slot *)arg;
  b->rc = ants_slot_acquire(&b->slot, b->pool, b->timeout_ms);
  atomic_store(&b->done, 1);
  return NULL;
}
static void bg_slot_start(bg_slot *b, ants_pool *p, int64_t timeout_ms) {
  b->pool = p;
  b->timeout_ms = timeout_ms;
  b->slot = 0;
  b->rc = 1;
  atomic_init(&b->done, 0);
  pthread_create(&b->th, NULL, bg_slot_main, b);
}

/* The outcome of an asynchronous acquire, as its callback reported it. */
typedef struct grant {
  atomic_int calls;
  atomic_int status;
  atomic_llong slot;
} grant;
static void grant_init(grant *g) {
  atomic_init(&g->calls, 0);
  atomic_init(&g->status, 1);
  atomic_init(&g->slot, 0);
}
static void on_grant(void *ctx, int status, ants_slot slot) {
  grant *g = (grant *)ctx;
  atomic_store(&g->status, status);
  atomic_store(&g->slot, slot);
  atomic_fetch_add(&g->calls, 1);
}

/* A holder with idle slots that gives them back when asked. */
typedef struct holder {
  ants_slot idle[8];
  int n_idle;
  atomic_int asked;
  atomic_int last_count;
} holder;
static void holder_listen(void *ctx, ants_pool *p, int count) {
  holder *h = (holder *)ctx;
  atomic_fetch_add(&h->asked, 1);
  atomic_store(&h->last_count, count);
  while (count-- > 0 && h->n_idle > 0) {
    assert_int_equal(ants_slot_release(p, h->idle[--h->n_idle]), ANTS_OK);
  }
}

/* Ends the task on a busy slot that the pool lets its holder keep, then
 * gives the idle slot back, as a holder's expiry would. */
static void slot_give_back(ants_pool *p, ants_slot s) {
  assert_int_equal(ants_slot_end(p, s), 1);
  assert_int_equal(ants_slot_release(p, s), ANTS_OK);
}

/* Takes n slots of p and ends their first task: they sit idle in slots[]. */
static void hold_idle_slots(ants_pool *p, ants_slot *slots, int n) {
  for (int i = 0; i < n; i++) assert_int_equal(ants_slot_acquire(&slots[i], p, -1), ANTS_OK);
  for (int i = 0; i < n; i++) assert_int_equal(ants_slot_end(p, slots[i]), 1);
}

/* Registers h as p's listener, holding n idle slots; returns its id. */
static int64_t holder_start(holder *h, ants_pool *p, int n) {
  h->n_idle = 0;
  atomic_init(&h->asked, 0);
  atomic_init(&h->last_count, 0);
  int64_t id = 0;
  assert_int_equal(ants_slot_listener_add(&id, p, holder_listen, h), ANTS_OK);
  hold_idle_slots(p, h->idle, n);
  h->n_idle = n;
  return id;
}

static void bad_input_is_refused(void **state) {
  (void)state;
  ants_slot s = 0;
  int64_t ticket = 0, id = 0;
  assert_int_equal(ants_slot_acquire(NULL, NULL, 0), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_acquire(&s, NULL, 0), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_acquire_async(&s, &ticket, NULL, on_grant, NULL),
                   ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_begin(NULL, 1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_end(NULL, 1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_release(NULL, 1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_cancel(NULL, 1), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_listener_add(&id, NULL, holder_listen, NULL),
                   ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_pool_expiry_ms(NULL, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_group_enter(NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_group_leave(NULL, 0), ANTS_ERR_INVALID_ARGUMENT);

  ants_pool *p = new_pool(2, 0, 0, 0);
  assert_int_equal(ants_slot_acquire_async(&s, &ticket, p, NULL, NULL),
                   ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_begin(p, 0), ANTS_ERR_INVALID_ARGUMENT);
  /* No slot is held: nothing to begin, end or release. */
  assert_int_equal(ants_slot_begin(p, 1 << 24), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_end(p, 1 << 24), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_release(p, 1 << 24), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_cancel(p, 12345), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_listener_remove(p, 987654), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_listener_add(&id, p, NULL, NULL), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_running(p), 0);
  ants_pool_free(p);

  /* A pool with a task queue keeps its own semantics: no slots. */
  p = new_pool(2, 0, 0, 16);
  assert_int_equal(ants_slot_acquire(&s, p, 0), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_slot_acquire_async(&s, &ticket, p, on_grant, NULL),
                   ANTS_ERR_INVALID_ARGUMENT);
  ants_pool_free(p);
}

/* acquire -> busy; end -> idle (kept); begin -> busy; release -> gone. */
static void a_slot_counts_like_a_worker(void **state) {
  (void)state;
  ants_pool *p = new_pool(2, 0, 0, 0);
  ants_slot s = 0;
  assert_int_equal(ants_slot_acquire(&s, p, -1), ANTS_OK);
  assert_true(s != 0);
  assert_int_equal(ants_running(p), 1);
  assert_int_equal(ants_busy(p), 1);
  assert_int_equal(ants_available(p), 1);
  assert_int_equal(ants_slot_end(p, s), 1);
  assert_int_equal(ants_running(p), 1);
  assert_int_equal(ants_busy(p), 0);
  assert_int_equal(ants_slot_end(p, s), ANTS_ERR_INVALID_ARGUMENT); /* not busy */
  assert_int_equal(ants_slot_begin(p, s), ANTS_OK);
  assert_int_equal(ants_busy(p), 1);
  assert_int_equal(ants_slot_release(p, s), ANTS_ERR_INVALID_ARGUMENT); /* busy */
  slot_give_back(p, s);
  assert_int_equal(ants_running(p), 0);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  ants_pool_free(p);
}

/* Native workers and slots share one capacity. */
static void native_tasks_and_slots_share_the_capacity(void **state) {
  (void)state;
  ants_pool *p = new_pool(2, 1, 0, 0);
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 1));
  ants_slot s = 0, s2 = 0;
  assert_int_equal(ants_slot_acquire(&s, p, -1), ANTS_OK);
  assert_int_equal(ants_running(p), 2);
  assert_int_equal(ants_busy(p), 2);
  /* Full: neither a native task nor another slot gets in. */
  atomic_int ran = 0;
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_OVERLOAD);
  assert_int_equal(ants_slot_acquire(&s2, p, -1), ANTS_ERR_POOL_OVERLOAD);
  /* The slot ends: its place serves the native task. */
  slot_give_back(p, s);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  gate_open(&g);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* A full blocking pool: the acquirer waits in line, counted in waiting, and
 * gets the place of the worker that finishes (which then exits). */
static void a_blocked_acquirer_gets_a_finishing_workers_place(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_thread_name(o, "slotw"), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 1));
  ants_slot s = 0;
  assert_int_equal(ants_slot_acquire(&s, p, 0), ANTS_ERR_TIMEOUT);
  bg_slot b;
  bg_slot_start(&b, p, -1);
  assert_true(wait_until(ants_waiting(p) == 1));
  gate_open(&g);
  pthread_join(b.th, NULL);
  assert_int_equal(b.rc, ANTS_OK);
  assert_int_equal(ants_waiting(p), 0);
  assert_int_equal(ants_running(p), 1);
  assert_int_equal(ants_busy(p), 1);
  /* The worker gave its place away and left. */
  assert_true(wait_until(thread_count_named("slotw") == 0));
  slot_give_back(p, b.slot);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* A full pool whose place is held by an idle worker: the worker leaves and
 * the slot takes its place at once; running never exceeds the capacity. */
static void an_idle_worker_gives_its_place_to_a_slot(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, 1, 0, 0);
  atomic_int ran = 0;
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1 && ants_busy(p) == 0));
  assert_int_equal(ants_running(p), 1);
  ants_slot s = 0;
  assert_int_equal(ants_slot_acquire(&s, p, 0), ANTS_OK);
  assert_int_equal(ants_running(p), 1);
  assert_int_equal(ants_busy(p), 1);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_OVERLOAD);
  slot_give_back(p, s);
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  ants_pool_free(p);
}

/* Asynchronous acquire: granted later through the callback, or cancelled. */
static void an_async_acquire_is_granted_or_cancelled(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, 0, 0, 0);
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 1));

  grant first, second;
  grant_init(&first);
  grant_init(&second);
  ants_slot s = -1;
  int64_t t1 = 0, t2 = 0;
  assert_int_equal(ants_slot_acquire_async(&s, &t1, p, on_grant, &first), ANTS_OK);
  assert_int_equal(s, 0);
  assert_true(t1 != 0);
  assert_int_equal(ants_slot_acquire_async(&s, &t2, p, on_grant, &second), ANTS_OK);
  assert_true(t2 != 0 && t2 != t1);
  assert_int_equal(ants_waiting(p), 2);
  /* The second one gives up; cancelling twice is refused. */
  assert_int_equal(ants_slot_cancel(p, t2), ANTS_OK);
  assert_int_equal(ants_slot_cancel(p, t2), ANTS_ERR_INVALID_ARGUMENT);
  assert_int_equal(ants_waiting(p), 1);

  gate_open(&g);
  assert_true(wait_until(atomic_load(&first.calls) == 1));
  assert_int_equal(atomic_load(&first.status), ANTS_OK);
  assert_true(atomic_load(&first.slot) != 0);
  assert_int_equal(ants_slot_cancel(p, t1), ANTS_ERR_INVALID_ARGUMENT); /* too late */
  assert_int_equal(ants_waiting(p), 0);
  assert_int_equal(ants_running(p), 1);
  slot_give_back(p, atomic_load(&first.slot));
  assert_int_equal(atomic_load(&second.calls), 0);
  ants_pool_free(p);
  gate_destroy(&g);
}

/* Releasing the pool refuses waiting acquirers, asynchronous ones too. */
static void release_refuses_waiting_acquirers(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, 0, 0, 0);
  ants_slot held = 0, s = 0;
  assert_int_equal(ants_slot_acquire(&held, p, -1), ANTS_OK);
  grant a;
  grant_init(&a);
  int64_t ticket = 0;
  assert_int_equal(ants_slot_acquire_async(&s, &ticket, p, on_grant, &a), ANTS_OK);
  bg_slot b;
  bg_slot_start(&b, p, -1);
  assert_true(wait_until(ants_waiting(p) == 2));
  ants_release(p);
  pthread_join(b.th, NULL);
  assert_int_equal(b.rc, ANTS_ERR_POOL_CLOSED);
  assert_true(wait_until(atomic_load(&a.calls) == 1));
  assert_int_equal(atomic_load(&a.status), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(atomic_load(&a.slot), 0);
  assert_int_equal(ants_slot_acquire(&s, p, -1), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(ants_slot_acquire_async(&s, &ticket, p, on_grant, &a), ANTS_ERR_POOL_CLOSED);
  /* The busy slot is given back when its task ends. */
  assert_int_equal(ants_slot_end(p, held), 0);
  assert_int_equal(ants_running(p), 0);
  ants_pool_free(p);
}

/* The blocked-caller limit counts slot waiters and blocked submitters alike. */
static void max_blocking_counts_slot_waiters(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, 0, 1, 0);
  ants_slot held = 0, s = 0;
  assert_int_equal(ants_slot_acquire(&held, p, -1), ANTS_OK);
  grant a;
  grant_init(&a);
  int64_t ticket = 0;
  assert_int_equal(ants_slot_acquire_async(&s, &ticket, p, on_grant, &a), ANTS_OK);
  assert_int_equal(ants_slot_acquire(&s, p, -1), ANTS_ERR_POOL_OVERLOAD);
  atomic_int ran = 0;
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_ERR_POOL_OVERLOAD);
  assert_int_equal(ants_slot_cancel(p, ticket), ANTS_OK);
  slot_give_back(p, held);
  ants_pool_free(p);
}

/* A slot that ends while a caller waits goes to that caller. */
static void ending_a_slot_serves_a_blocked_submitter(void **state) {
  (void)state;
  ants_pool *p = new_pool(1, 0, 0, 0);
  ants_slot s = 0;
  assert_int_equal(ants_slot_acquire(&s, p, -1), ANTS_OK);
  atomic_int ran = 0;
  bg_submit b;
  bg_submit_start(&b, p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == 1));
  assert_int_equal(ants_slot_end(p, s), 0); /* given back, not kept */
  assert_int_equal(bg_submit_join(&b), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  ants_pool_free(p);
}

/* A submitter facing a full pool while slots sit idle asks their holder,
 * which gives one back: the submit goes through without waiting. */
static void idle_slots_are_asked_back_for_a_submitter(void **state) {
  (void)state;
  ants_pool *p = new_pool(2, 1, 0, 0);
  holder h;
  const int64_t id = holder_start(&h, p, 2);
  atomic_int ran = 0;
  /* Nonblocking: only a synchronous give-back can make it succeed. */
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_int_equal(atomic_load(&h.asked), 1);
  assert_int_equal(atomic_load(&h.last_count), 1);
  assert_int_equal(h.n_idle, 1);
  assert_true(wait_until(atomic_load(&ran) == 1));
  /* Shrinking asks for the surplus: the worker is idle now (dismissed
   * first), so the slot need not go. */
  assert_true(wait_until(ants_busy(p) == 0));
  ants_tune(p, 1);
  assert_true(wait_until(ants_running(p) == 1));
  assert_int_equal(h.n_idle, 1);
  ants_tune(p, 2);
  /* Releasing asks for every idle slot, so release_timeout can finish. */
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&h.last_count), INT_MAX);
  assert_int_equal(h.n_idle, 0);
  assert_int_equal(ants_running(p), 0);
  assert_int_equal(ants_slot_listener_remove(p, id), ANTS_OK);
  assert_int_equal(ants_slot_listener_remove(p, id), ANTS_ERR_INVALID_ARGUMENT);
  ants_pool_free(p);
}

/* Two submitters blocked at once while two slots sit idle, with a holder
 * that gives slots back from another thread (as a runtime's reaper would):
 * both must get in. The room the first ask made could go to the second
 * caller, leaving the first waiting next to an idle slot nobody asked for
 * again (found by the Java binding's tests). */
static ants_pool *race_pool;
static ants_slot race_slots[2];
static atomic_int race_idle, race_started, race_gate;
static pthread_t race_releasers[16];
static atomic_int race_n_releasers;
static void *race_release(void *arg) {
  ants_slot_release(race_pool, (ants_slot)(intptr_t)arg);
  return NULL;
}
static void race_listen(void *ctx, ants_pool *p, int count) {
  (void)ctx;
  (void)p;
  while (count-- > 0) {
    int k = atomic_fetch_sub(&race_idle, 1) - 1;
    if (k < 0) {
      atomic_fetch_add(&race_idle, 1);
      break;
    }
    int i = atomic_fetch_add(&race_n_releasers, 1);
    pthread_create(&race_releasers[i], NULL, race_release, (void *)(intptr_t)race_slots[k]);
  }
}
static void race_held(void *arg) {
  (void)arg;
  atomic_fetch_add(&race_started, 1);
  while (!atomic_load(&race_gate)) pause_ms(1);
}
static void *race_submit(void *arg) {
  *(int *)arg = ants_submit(race_pool, race_held, NULL);
  return NULL;
}
static void blocked_submitters_get_every_idle_slot(void **state) {
  (void)state;
  for (int round = 0; round < 100; round++) {
    race_pool = new_pool(2, 0, 0, 0);
    int64_t id = 0;
    assert_int_equal(ants_slot_listener_add(&id, race_pool, race_listen, NULL), ANTS_OK);
    atomic_store(&race_idle, 2);
    atomic_store(&race_started, 0);
    atomic_store(&race_gate, 0);
    atomic_store(&race_n_releasers, 0);
    hold_idle_slots(race_pool, race_slots, 2);
    pthread_t t[2];
    int rc[2] = {1, 1};
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, race_submit, &rc[i]);
    assert_true(wait_until(atomic_load(&race_started) == 2));
    atomic_store(&race_gate, 1);
    for (int i = 0; i < 2; i++) {
      pthread_join(t[i], NULL);
      assert_int_equal(rc[i], ANTS_OK);
    }
    for (int i = 0; i < atomic_load(&race_n_releasers); i++) pthread_join(race_releasers[i], NULL);
    assert_int_equal(ants_slot_listener_remove(race_pool, id), ANTS_OK);
    assert_int_equal(ants_release_timeout(race_pool, TEST_DEADLINE_MS), ANTS_OK);
    ants_pool_free(race_pool);
  }
}

/* Shrinking below the slots held asks idle ones back and gives busy ones
 * back when their task ends. */
static void shrinking_takes_slots_back(void **state) {
  (void)state;
  ants_pool *p = new_pool(3, 0, 0, 0);
  holder h;
  const int64_t id = holder_start(&h, p, 2);
  ants_slot busy = 0;
  assert_int_equal(ants_slot_acquire(&busy, p, -1), ANTS_OK);
  ants_tune(p, 1);
  assert_int_equal(atomic_load(&h.last_count), 2);
  assert_int_equal(h.n_idle, 0);
  assert_int_equal(ants_running(p), 1);
  /* The busy one is at the capacity now: it may stay. */
  assert_int_equal(ants_slot_end(p, busy), 1);
  assert_int_equal(ants_slot_begin(p, busy), ANTS_OK);
  ants_tune(p, 1);
  slot_give_back(p, busy);
  assert_int_equal(ants_slot_listener_remove(p, id), ANTS_OK);
  ants_pool_free(p);
}

/* A slot from before a reboot never rejoins the pool. */
static void a_slot_from_before_a_reboot_is_given_back(void **state) {
  (void)state;
  ants_pool *p = new_pool(2, 0, 0, 0);
  ants_slot idle = 0, busy = 0;
  assert_int_equal(ants_slot_acquire(&idle, p, -1), ANTS_OK);
  assert_int_equal(ants_slot_end(p, idle), 1);
  assert_int_equal(ants_slot_acquire(&busy, p, -1), ANTS_OK);
  ants_release(p);
  ants_reboot(p);
  assert_int_equal(ants_slot_begin(p, idle), ANTS_ERR_POOL_CLOSED);
  assert_int_equal(ants_slot_release(p, idle), ANTS_OK);
  assert_int_equal(ants_slot_end(p, busy), 0);
  assert_int_equal(ants_running(p), 0);
  ants_slot fresh = 0;
  assert_int_equal(ants_slot_acquire(&fresh, p, -1), ANTS_OK);
  assert_true(fresh != busy);
  assert_int_equal(ants_slot_end(p, fresh), 1);
  assert_int_equal(ants_slot_begin(p, fresh), ANTS_OK);
  slot_give_back(p, fresh);
  ants_pool_free(p);
}

/* wait_idle waits for tasks on slots too. */
static void wait_idle_sees_busy_slots(void **state) {
  (void)state;
  ants_pool *p = new_pool(2, 0, 0, 0);
  ants_slot s = 0;
  assert_int_equal(ants_slot_acquire(&s, p, -1), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, 0), ANTS_ERR_TIMEOUT);
  assert_int_equal(ants_slot_end(p, s), 1);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(ants_slot_release(p, s), ANTS_OK);
  ants_pool_free(p);
}

/* A multipool hands out slots of its sub-pools, each named in the slot. */
static void a_multipool_routes_slots_to_their_sub_pool(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 2, 1, ANTS_ROUND_ROBIN, o), ANTS_OK);
  ants_options_free(o);
  ants_slot a = 0, b = 0, c = 0;
  assert_int_equal(ants_slot_acquire(&a, mp, -1), ANTS_OK);
  assert_int_equal(ants_slot_acquire(&b, mp, -1), ANTS_OK);
  assert_int_equal(ants_slot_acquire(&c, mp, -1), ANTS_ERR_POOL_OVERLOAD);
  int r0 = -1, r1 = -1;
  assert_int_equal(ants_running_by_index(&r0, mp, 0), ANTS_OK);
  assert_int_equal(ants_running_by_index(&r1, mp, 1), ANTS_OK);
  assert_int_equal(r0, 1);
  assert_int_equal(r1, 1);
  slot_give_back(mp, a);
  int busy0 = -1, busy1 = -1;
  assert_int_equal(ants_busy_by_index(&busy0, mp, 0), ANTS_OK);
  assert_int_equal(ants_busy_by_index(&busy1, mp, 1), ANTS_OK);
  assert_int_equal(busy0 + busy1, 1);
  slot_give_back(mp, b);
  assert_int_equal(ants_running(mp), 0);
  assert_int_equal(ants_slot_begin(mp, (int64_t)1 << 30 | 7), ANTS_ERR_INVALID_ARGUMENT);
  ants_pool_free(mp);
}

static void expiry_and_groups_for_foreign_tasks(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_expiry_ms(o, 250), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, o), ANTS_OK);
  int64_t ms = 0;
  assert_int_equal(ants_pool_expiry_ms(&ms, p), ANTS_OK);
  assert_int_equal(ms, 250);
  ants_pool_free(p);
  assert_int_equal(ants_options_set_disable_purge(o, 1), ANTS_OK);
  assert_int_equal(ants_pool_new(&p, 2, o), ANTS_OK);
  assert_int_equal(ants_pool_expiry_ms(&ms, p), ANTS_OK);
  assert_int_equal(ms, -1);
  ants_pool_free(p);
  ants_options_free(o);

  ants_group *g = NULL;
  assert_int_equal(ants_group_new(&g), ANTS_OK);
  assert_int_equal(ants_group_enter(g), ANTS_OK);
  assert_int_equal(ants_group_enter(g), ANTS_OK);
  assert_int_equal(ants_group_pending(g), 2);
  assert_int_equal(ants_group_wait(g, 0), ANTS_ERR_TIMEOUT);
  assert_int_equal(ants_group_leave(g, 0), ANTS_OK);
  assert_int_equal(ants_group_leave(g, 1), ANTS_OK);
  assert_int_equal(ants_group_wait(g, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(ants_group_panicked(g), 1);
  ants_group_free(g);
}

/* Many threads mixing native tasks and slot tasks: the capacity bounds
 * both together, every task runs once, and the counts end at zero. */
#define MIX_CAP 3
#define MIX_THREADS 4
#define MIX_ROUNDS 3000
static atomic_int mix_in_flight, mix_peak, mix_ran;

static void mix_enter(void) {
  int now = atomic_fetch_add(&mix_in_flight, 1) + 1;
  int peak = atomic_load(&mix_peak);
  while (now > peak && !atomic_compare_exchange_weak(&mix_peak, &peak, now)) {
  }
}
static void mix_leave(void) {
  atomic_fetch_sub(&mix_in_flight, 1);
  atomic_fetch_add(&mix_ran, 1);
}
static void mix_task(void *arg) {
  (void)arg;
  mix_enter();
  mix_leave();
}

/* The idle slots of the "runtime" the mixers play: a shared stack, given
 * back when the pool asks, as a Go or Java binding keeps its idle workers. */
static pthread_mutex_t mix_mu = PTHREAD_MUTEX_INITIALIZER;
static ants_slot mix_idle[MIX_CAP];
static int mix_n_idle;

static void mix_listen(void *ctx, ants_pool *p, int count) {
  (void)ctx;
  pthread_mutex_lock(&mix_mu);
  while (count-- > 0 && mix_n_idle > 0) ants_slot_release(p, mix_idle[--mix_n_idle]);
  pthread_mutex_unlock(&mix_mu);
}

typedef struct mixer {
  pthread_t th;
  ants_pool *pool;
  int index;
  int failures;
} mixer;

static void *mixer_main(void *arg) {
  mixer *m = (mixer *)arg;
  for (int i = 0; i < MIX_ROUNDS; i++) {
    if ((i + m->index) % 2 == 0) {
      if (ants_submit(m->pool, mix_task, NULL) != ANTS_OK) m->failures++;
      continue;
    }
    ants_slot s = 0;
    pthread_mutex_lock(&mix_mu);
    if (mix_n_idle > 0) s = mix_idle[--mix_n_idle];
    if (s && ants_slot_begin(m->pool, s) != ANTS_OK) m->failures++;
    pthread_mutex_unlock(&mix_mu);
    if (!s && ants_slot_acquire(&s, m->pool, -1) != ANTS_OK) {
      m->failures++;
      continue;
    }
    mix_enter();
    mix_leave();
    pthread_mutex_lock(&mix_mu);
    int keep = ants_slot_end(m->pool, s);
    if (keep < 0) m->failures++;
    if (keep == 1) {
      if (i % 7 == 0) {
        ants_slot_release(m->pool, s); /* as if it expired */
      } else {
        mix_idle[mix_n_idle++] = s;
      }
    }
    pthread_mutex_unlock(&mix_mu);
  }
  return NULL;
}

static void native_and_slot_tasks_mixed_under_load(void **state) {
  (void)state;
  ants_pool *p = new_pool(MIX_CAP, 0, 0, 0);
  atomic_init(&mix_in_flight, 0);
  atomic_init(&mix_peak, 0);
  atomic_init(&mix_ran, 0);
  int64_t id = 0;
  assert_int_equal(ants_slot_listener_add(&id, p, mix_listen, NULL), ANTS_OK);
  mixer m[MIX_THREADS];
  for (int i = 0; i < MIX_THREADS; i++) {
    m[i] = (mixer){.pool = p, .index = i};
    pthread_create(&m[i].th, NULL, mixer_main, &m[i]);
  }
  for (int i = 0; i < MIX_THREADS; i++) {
    pthread_join(m[i].th, NULL);
    assert_int_equal(m[i].failures, 0);
  }
  assert_true(wait_until(atomic_load(&mix_ran) == MIX_THREADS * MIX_ROUNDS));
  assert_true(atomic_load(&mix_peak) <= MIX_CAP);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  /* Idle slots are asked back by the release. */
  assert_int_equal(ants_release_timeout(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(mix_n_idle, 0);
  assert_int_equal(ants_running(p), 0);
  assert_int_equal(ants_slot_listener_remove(p, id), ANTS_OK);
  assert_int_equal(ants_busy(p), 0);
  assert_int_equal(ants_waiting(p), 0);
  ants_pool_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bad_input_is_refused),
      cmocka_unit_test(a_slot_counts_like_a_worker),
      cmocka_unit_test(native_tasks_and_slots_share_the_capacity),
      cmocka_unit_test(a_blocked_acquirer_gets_a_finishing_workers_place),
      cmocka_unit_test(an_idle_worker_gives_its_place_to_a_slot),
      cmocka_unit_test(an_async_acquire_is_granted_or_cancelled),
      cmocka_unit_test(release_refuses_waiting_acquirers),
      cmocka_unit_test(max_blocking_counts_slot_waiters),
      cmocka_unit_test(ending_a_slot_serves_a_blocked_submitter),
      cmocka_unit_test(idle_slots_are_asked_back_for_a_submitter),
      cmocka_unit_test(shrinking_takes_slots_back),
      cmocka_unit_test(blocked_submitters_get_every_idle_slot),
      cmocka_unit_test(a_slot_from_before_a_reboot_is_given_back),
      cmocka_unit_test(wait_idle_sees_busy_slots),
      cmocka_unit_test(a_multipool_routes_slots_to_their_sub_pool),
      cmocka_unit_test(expiry_and_groups_for_foreign_tasks),
      cmocka_unit_test(native_and_slot_tasks_mixed_under_load),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
