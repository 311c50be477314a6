/*
 * test_nested_submit.c - a blocking submit from a worker into its own
 * saturated pool runs the task inline instead of deadlocking (issue 8;
 * ants.h, ants_submit). ants, and most pools, deadlock here: every worker
 * may be a task waiting for a worker.
 *
 * "Inline" is observed directly: the nested task ran on the submitting
 * thread, and had finished when its submit returned.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ants.h"
#include "support.h"
#include "support_extra.h"

/* ---- A chain: level i submits level i+1 ---------------------------------- */

enum { CHAIN_MAX = 100 };
typedef struct level {
  pthread_t thread;
  int rc;          /* what the nested submit returned */
  int deeper_done; /* level i+1 had run when the submit returned */
  atomic_int ran;
} level;
typedef struct chain {
  ants_pool *p;
  int depth;
  int use_invoke;
  level lv[CHAIN_MAX];
} chain;
static chain the_chain;
static int level_no[CHAIN_MAX]; /* task args: level_no[i] == i */

static void task_chain(void *arg) {
  int i = *(int *)arg;
  chain *c = &the_chain;
  c->lv[i].thread = pthread_self();
  atomic_fetch_add(&c->lv[i].ran, 1);
  if (i + 1 < c->depth) {
    int rc = c->use_invoke ? ants_invoke(c->p, &level_no[i + 1])
                           : ants_submit(c->p, task_chain, &level_no[i + 1]);
    c->lv[i].rc = rc;
    c->lv[i].deeper_done = atomic_load(&c->lv[i + 1].ran);
  }
}

static void chain_reset(ants_pool *p, int depth, int use_invoke) {
  the_chain.p = p;
  the_chain.depth = depth;
  the_chain.use_invoke = use_invoke;
  for (int i = 0; i < CHAIN_MAX; i++) {
    level_no[i] = i;
    the_chain.lv[i].rc = 0x7fff;
    the_chain.lv[i].deeper_done = 0;
    atomic_init(&the_chain.lv[i].ran, 0);
  }
}

/* Every level ran once, on one thread, and each nested submit returned OK
 * after the level below it had run. Call after the pool is idle. */
static void assert_chain_ran_inline(void) {
  chain *c = &the_chain;
  for (int i = 0; i < c->depth; i++) {
    assert_int_equal(atomic_load(&c->lv[i].ran), 1);
    assert_true(pthread_equal(c->lv[i].thread, c->lv[0].thread));
    if (i + 1 < c->depth) {
      assert_int_equal(c->lv[i].rc, ANTS_OK);
      assert_int_equal(c->lv[i].deeper_done, 1);
    }
  }
  assert_int_equal(atomic_load(&c->lv[c->depth].ran), 0);
}

/* Pool of one: the only worker submits into its own full pool. */
static void test_nested_submit_runs_inline_when_saturated(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  chain_reset(p, 2, 0);
  assert_int_equal(ants_submit(p, task_chain, &level_no[0]), ANTS_OK);
  assert_true(wait_until(atomic_load(&the_chain.lv[1].ran) == 1));
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_chain_ran_inline();
  assert_int_equal(ants_running(p), 1); /* no thread beyond the capacity */
  ants_pool_free(p);
}

/* Task submits task submits task ... on a pool of one: each level runs
 * inline on the single worker, nested 100 deep. */
static void test_nested_submit_chain(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  chain_reset(p, CHAIN_MAX, 0);
  assert_int_equal(ants_submit(p, task_chain, &level_no[0]), ANTS_OK);
  assert_true(wait_until(atomic_load(&the_chain.lv[CHAIN_MAX - 1].ran) == 1));
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  for (int i = 0; i < CHAIN_MAX; i++) {
    assert_int_equal(atomic_load(&the_chain.lv[i].ran), 1);
    assert_true(pthread_equal(the_chain.lv[i].thread, the_chain.lv[0].thread));
  }
  for (int i = 0; i + 1 < CHAIN_MAX; i++) {
    assert_int_equal(the_chain.lv[i].rc, ANTS_OK);
    assert_int_equal(the_chain.lv[i].deeper_done, 1);
  }
  ants_pool_free(p);
}

/* The same chain through ants_invoke on a pool with a function. */
static void test_nested_invoke_chain(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_with_func_new(&p, 1, task_chain, NULL), ANTS_OK);
  chain_reset(p, 30, 1);
  assert_int_equal(ants_invoke(p, &level_no[0]), ANTS_OK);
  assert_true(wait_until(atomic_load(&the_chain.lv[29].ran) == 1));
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_chain_ran_inline();
  ants_pool_free(p);
}

/* A timed submit is "as ants_submit" (ants.h): from a worker into its own
 * saturated pool it runs inline too, whatever the timeout - even 0 - rather
 * than time out waiting for a worker that its own task occupies. */
typedef struct timed_parent {
  ants_pool *p;
  where_ran kids[3];
  int rc[3];
  int kid_seen[3];
  pthread_t self;
  atomic_int done;
} timed_parent;
static void task_timed_parent(void *arg) {
  timed_parent *t = (timed_parent *)arg;
  static const int64_t timeouts[3] = {0, 50, -1};
  t->self = pthread_self();
  for (int k = 0; k < 3; k++) {
    t->rc[k] = ants_submit_timeout(t->p, task_record_thread, &t->kids[k], timeouts[k]);
    t->kid_seen[k] = atomic_load(&t->kids[k].ran);
  }
  atomic_store(&t->done, 1);
}
static void test_nested_submit_timeout_runs_inline(void **state) {
  (void)state;
  static timed_parent t;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, NULL), ANTS_OK);
  t.p = p;
  for (int k = 0; k < 3; k++) where_ran_init(&t.kids[k]);
  atomic_init(&t.done, 0);
  assert_int_equal(ants_submit(p, task_timed_parent, &t), ANTS_OK);
  assert_true(wait_until(atomic_load(&t.done) == 1));
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  for (int k = 0; k < 3; k++) {
    assert_int_equal(t.rc[k], ANTS_OK);
    assert_int_equal(t.kid_seen[k], 1);
    assert_true(pthread_equal(t.kids[k].thread, t.self));
  }
  ants_pool_free(p);
}

/* Saturated by another task: the second worker's nested submit runs inline. */
static void test_nested_submit_saturated_by_others(void **state) {
  (void)state;
  static gate g;
  gate_init(&g);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, NULL), ANTS_OK);
  assert_int_equal(ants_submit(p, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 1));
  chain_reset(p, 3, 0);
  assert_int_equal(ants_submit(p, task_chain, &level_no[0]), ANTS_OK);
  assert_true(wait_until(atomic_load(&the_chain.lv[2].ran) == 1));
  assert_true(wait_until(ants_busy(p) == 1));
  assert_int_equal(ants_running(p), 2);
  gate_open(&g);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_chain_ran_inline();
  ants_pool_free(p);
  gate_destroy(&g);
}

/* With room in the pool, a nested submit is an ordinary one: the task goes
 * to another worker, and the submitter may wait for it. */
typedef struct waits_for_child {
  ants_pool *p;
  where_ran child;
  pthread_t parent;
  int rc;
  int child_seen; /* the parent saw the child finish while it waited */
  atomic_int done;
} waits_for_child;
static void task_submit_and_wait_child(void *arg) {
  waits_for_child *w = (waits_for_child *)arg;
  w->parent = pthread_self();
  w->rc = ants_submit(w->p, task_record_thread, &w->child);
  w->child_seen = w->rc == ANTS_OK && wait_until(atomic_load(&w->child.ran) == 1);
  atomic_store(&w->done, 1);
}
static void test_nested_submit_with_room_uses_another_worker(void **state) {
  (void)state;
  static waits_for_child w;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, NULL), ANTS_OK);
  w.p = p;
  where_ran_init(&w.child);
  atomic_init(&w.done, 0);
  assert_int_equal(ants_submit(p, task_submit_and_wait_child, &w), ANTS_OK);
  assert_true(wait_until(atomic_load(&w.done) == 1));
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(w.rc, ANTS_OK);
  assert_int_equal(w.child_seen, 1);
  assert_int_equal(atomic_load(&w.child.ran), 1);
  assert_false(pthread_equal(w.parent, w.child.thread));
  ants_pool_free(p);
}

/* Nonblocking pools never wait, so nothing needs running inline: the
 * nested submit into a full nonblocking pool is overloaded. */
static void test_nested_submit_nonblocking_overloads(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_nonblocking(o, 1), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  chain_reset(p, 2, 0);
  assert_int_equal(ants_submit(p, task_chain, &level_no[0]), ANTS_OK);
  assert_true(wait_until(atomic_load(&the_chain.lv[0].ran) == 1));
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(the_chain.lv[0].rc, ANTS_ERR_POOL_OVERLOAD);
  assert_int_equal(atomic_load(&the_chain.lv[1].ran), 0);
  ants_pool_free(p);
}

/* A worker of pool X submitting into a full pool Y is an ordinary blocked
 * caller of Y (it is not Y's worker): it waits for Y's worker, and the task
 * runs there, not inline. */
typedef struct cross {
  ants_pool *y;
  where_ran child;
  pthread_t parent;
  atomic_int rc;
} cross;
static void task_submit_into_y(void *arg) {
  cross *c = (cross *)arg;
  c->parent = pthread_self();
  atomic_store(&c->rc, ants_submit(c->y, task_record_thread, &c->child));
}
static void test_nested_submit_into_other_pool_blocks(void **state) {
  (void)state;
  static gate g;
  static cross c;
  gate_init(&g);
  ants_pool *x = NULL, *y = NULL;
  assert_int_equal(ants_pool_new(&x, 1, NULL), ANTS_OK);
  assert_int_equal(ants_pool_new(&y, 1, NULL), ANTS_OK);
  assert_int_equal(ants_submit(y, task_gate_pass, &g), ANTS_OK);
  assert_true(wait_until(atomic_load(&g.arrived) == 1));
  c.y = y;
  where_ran_init(&c.child);
  atomic_init(&c.rc, 1);
  assert_int_equal(ants_submit(x, task_submit_into_y, &c), ANTS_OK);
  assert_true(wait_until(ants_waiting(y) == 1));
  assert_int_equal(atomic_load(&c.child.ran), 0);
  gate_open(&g);
  assert_true(wait_until(atomic_load(&c.rc) != 1));
  assert_int_equal(atomic_load(&c.rc), ANTS_OK);
  assert_int_equal(ants_wait_idle(y, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(ants_wait_idle(x, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&c.child.ran), 1);
  assert_false(pthread_equal(c.parent, c.child.thread));
  ants_pool_free(x);
  ants_pool_free(y);
  gate_destroy(&g);
}

/* ---- Multipools -------------------------------------------------------- */

/*
 * A worker of any sub-pool is a worker of the multipool. With both
 * sub-pools busy, a task on sub-pool 0 submits twice: round-robin picks its
 * own sub-pool, then the other one; both run inline.
 */
typedef struct mp_parent {
  ants_pool *mp;
  gate *hold;
  where_ran kids[2];
  int kid_seen[2]; /* kid k had run when its submit returned */
  int rc[2];
  pthread_t self;
  atomic_int done;
} mp_parent;
static void task_mp_parent(void *arg) {
  mp_parent *m = (mp_parent *)arg;
  m->self = pthread_self();
  gate_pass(m->hold);
  for (int k = 0; k < 2; k++) {
    m->rc[k] = ants_submit(m->mp, task_record_thread, &m->kids[k]);
    m->kid_seen[k] = atomic_load(&m->kids[k].ran);
  }
  atomic_store(&m->done, 1);
}
static void test_nested_submit_multipool(void **state) {
  (void)state;
  static gate hold, other;
  static mp_parent m;
  gate_init(&hold);
  gate_init(&other);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 2, 1, ANTS_ROUND_ROBIN, NULL), ANTS_OK);
  m.mp = mp;
  m.hold = &hold;
  for (int k = 0; k < 2; k++) where_ran_init(&m.kids[k]);
  atomic_init(&m.done, 0);
  assert_int_equal(ants_submit(mp, task_mp_parent, &m), ANTS_OK);  /* turn 0 -> 0 */
  assert_int_equal(ants_submit(mp, task_gate_pass, &other), ANTS_OK); /* turn 1 -> 1 */
  assert_true(wait_until(atomic_load(&hold.arrived) == 1 && atomic_load(&other.arrived) == 1));
  gate_open(&hold); /* turns 2 and 3: sub-pool 0 (its own), then 1 */
  assert_true(wait_until(atomic_load(&m.done) == 1));
  gate_open(&other);
  assert_int_equal(ants_wait_idle(mp, TEST_DEADLINE_MS), ANTS_OK);
  for (int k = 0; k < 2; k++) {
    assert_int_equal(m.rc[k], ANTS_OK);
    assert_int_equal(m.kid_seen[k], 1);
    assert_int_equal(atomic_load(&m.kids[k].ran), 1);
    assert_true(pthread_equal(m.kids[k].thread, m.self));
  }
  ants_pool_free(mp);
  gate_destroy(&hold);
  gate_destroy(&other);
}

/* A chain on a saturated multipool: every level inline on one thread. */
static void test_nested_submit_chain_multipool(void **state) {
  (void)state;
  static gate g;
  gate_init(&g);
  ants_pool *mp = NULL;
  assert_int_equal(ants_multipool_new(&mp, 2, 1, ANTS_LEAST_TASKS, NULL), ANTS_OK);
  assert_int_equal(ants_submit(mp, task_gate_pass, &g), ANTS_OK); /* sub-pool 0 */
  assert_true(wait_until(atomic_load(&g.arrived) == 1));
  chain_reset(mp, 40, 0);
  assert_int_equal(ants_submit(mp, task_chain, &level_no[0]), ANTS_OK); /* sub-pool 1 */
  assert_true(wait_until(atomic_load(&the_chain.lv[39].ran) == 1));
  assert_true(wait_until(ants_busy(mp) == 1));
  gate_open(&g);
  assert_int_equal(ants_wait_idle(mp, TEST_DEADLINE_MS), ANTS_OK);
  assert_chain_ran_inline();
  ants_pool_free(mp);
  gate_destroy(&g);
}

/* ---- With groups, exceptions and queues -------------------------------- */

/*
 * A group member submits members into its own full pool: they run inline,
 * the group counts them, and one that throws is reported and counted
 * without the exception ever reaching the (C) submitting task.
 */
static atomic_int nested_panics;
static void count_panic(void *ctx, const char *what) {
  (void)ctx;
  (void)what;
  atomic_fetch_add(&nested_panics, 1);
}
typedef struct member_parent {
  ants_group *g;
  ants_pool *p;
  atomic_int *count;
  int rc_count, rc_throw;
  int count_seen;
  atomic_int done;
} member_parent;
static void task_member_parent(void *arg) {
  member_parent *m = (member_parent *)arg;
  m->rc_throw = ants_group_submit(m->g, m->p, task_throw_runtime_error, NULL);
  m->rc_count = ants_group_submit(m->g, m->p, task_count, m->count);
  m->count_seen = atomic_load(m->count);
  atomic_store(&m->done, 1);
}
static void test_nested_group_submit(void **state) {
  (void)state;
  static atomic_int count;
  static member_parent m;
  atomic_init(&count, 0);
  atomic_store(&nested_panics, 0);
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_panic_handler(o, count_panic, NULL), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  ants_group *g = NULL;
  assert_int_equal(ants_group_new(&g), ANTS_OK);
  m.g = g;
  m.p = p;
  m.count = &count;
  atomic_init(&m.done, 0);
  assert_int_equal(ants_group_submit(g, p, task_member_parent, &m), ANTS_OK);
  assert_int_equal(ants_group_wait(g, TEST_DEADLINE_MS), ANTS_OK);
  assert_int_equal(atomic_load(&m.done), 1);
  assert_int_equal(m.rc_throw, ANTS_OK);
  assert_int_equal(m.rc_count, ANTS_OK);
  assert_int_equal(m.count_seen, 1); /* ran inline, before its submit returned */
  assert_int_equal(ants_group_pending(g), 0);
  assert_int_equal(ants_group_panicked(g), 1);
  assert_int_equal(atomic_load(&nested_panics), 1);
  ants_group_free(g);
  ants_pool_free(p);
}

/*
 * With a task queue, a nested submit first queues (the pool does not have
 * to wait for that); only once the queue is full would it wait, and then it
 * runs inline. Queued ones run after the submitting task, exactly once.
 */
typedef struct queue_parent {
  ants_pool *p;
  slots *s;
  int rc[3];
  int queued_seen;
  int ran_seen[3];
  atomic_int done;
} queue_parent;
static void task_queue_parent(void *arg) {
  queue_parent *q = (queue_parent *)arg;
  for (int i = 0; i < 3; i++) {
    q->rc[i] = ants_submit(q->p, task_count, &q->s->n[i]);
    q->ran_seen[i] = atomic_load(&q->s->n[i]);
    if (i == 1) q->queued_seen = ants_queued(q->p);
  }
  atomic_store(&q->done, 1);
}
static void test_nested_submit_with_queue(void **state) {
  (void)state;
  static slots s;
  static queue_parent q;
  slots_init(&s);
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 2), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  q.p = p;
  q.s = &s;
  atomic_init(&q.done, 0);
  assert_int_equal(ants_submit(p, task_queue_parent, &q), ANTS_OK);
  assert_true(wait_until(atomic_load(&q.done) == 1));
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  for (int i = 0; i < 3; i++) assert_int_equal(q.rc[i], ANTS_OK);
  assert_int_equal(q.queued_seen, 2);
  assert_int_equal(q.ran_seen[0], 0); /* queued behind the parent */
  assert_int_equal(q.ran_seen[1], 0);
  assert_int_equal(q.ran_seen[2], 1); /* queue full: ran inline */
  assert_int_equal(slots_first_not(&s, 3, 1), -1);
  ants_pool_free(p);
}

/*
 * A tree: every task submits two children, seven levels deep, on a pool of
 * two. Some children get a worker, others run inline; each of the 127 tasks
 * runs exactly once and nothing deadlocks.
 */
enum { TREE_NODES = 127 };
static slots tree_slots;
static ants_pool *tree_pool;
static atomic_int tree_failures;
static int tree_index[TREE_NODES];
static void task_tree_node(void *arg) {
  int i = *(int *)arg;
  atomic_fetch_add(&tree_slots.n[i], 1);
  for (int c = 2 * i + 1; c <= 2 * i + 2 && c < TREE_NODES; c++)
    if (ants_submit(tree_pool, task_tree_node, &tree_index[c]) != ANTS_OK)
      atomic_fetch_add(&tree_failures, 1);
}
static void test_nested_submit_tree(void **state) {
  (void)state;
  slots_init(&tree_slots);
  atomic_init(&tree_failures, 0);
  for (int i = 0; i < TREE_NODES; i++) tree_index[i] = i;
  assert_int_equal(ants_pool_new(&tree_pool, 2, NULL), ANTS_OK);
  for (int round = 0; round < 20; round++) {
    slots_init(&tree_slots);
    assert_int_equal(ants_submit(tree_pool, task_tree_node, &tree_index[0]), ANTS_OK);
    assert_true(wait_until(slots_sum(&tree_slots, TREE_NODES) == TREE_NODES));
    assert_int_equal(ants_wait_idle(tree_pool, TEST_DEADLINE_MS), ANTS_OK);
    assert_int_equal(slots_first_not(&tree_slots, TREE_NODES, 1), -1);
  }
  assert_int_equal(atomic_load(&tree_failures), 0);
  assert_true(ants_running(tree_pool) <= 2);
  ants_pool_free(tree_pool);
}

/* ---- Fork-join over a pool with a task queue ------------------------------
 * Every task of a recursive sum submits both halves and waits for them with
 * ants_group_wait. With a queue, the halves are queued while both workers
 * wait: a waiting worker must run queued tasks of its own pool (before the
 * fix every worker waited for children queued behind it, forever - the
 * watchdog ends that).
 */
typedef struct span {
  ants_pool *pool;
  long lo, hi; /* sums lo..hi-1 */
  long sum;
  int rc;
} span;
static void task_span_sum(void *arg) {
  span *sp = (span *)arg;
  if (sp->hi - sp->lo <= 8) {
    for (long i = sp->lo; i < sp->hi; i++) sp->sum += i;
    return;
  }
  long mid = sp->lo + (sp->hi - sp->lo) / 2;
  span halves[2] = {{sp->pool, sp->lo, mid, 0, 0}, {sp->pool, mid, sp->hi, 0, 0}};
  ants_group *g = NULL;
  if (ants_group_new(&g) != ANTS_OK) {
    sp->rc = -100;
    return;
  }
  for (int i = 0; i < 2; i++) {
    int rc = ants_group_submit(g, sp->pool, task_span_sum, &halves[i]);
    if (rc != ANTS_OK) sp->rc = rc;
  }
  int rc = ants_group_wait(g, -1);
  if (rc != ANTS_OK) sp->rc = rc;
  ants_group_free(g);
  for (int i = 0; i < 2; i++) {
    sp->sum += halves[i].sum;
    if (halves[i].rc != ANTS_OK) sp->rc = halves[i].rc;
  }
}
static void fork_join_on(ants_pool *p) {
  for (int round = 0; round < 5; round++) {
    span root = {p, 0, 4096, 0, 0};
    ants_group *g = NULL;
    assert_int_equal(ants_group_new(&g), ANTS_OK);
    assert_int_equal(ants_group_submit(g, p, task_span_sum, &root), ANTS_OK);
    assert_int_equal(ants_group_wait(g, -1), ANTS_OK);
    ants_group_free(g);
    assert_int_equal(root.rc, ANTS_OK);
    assert_int_equal(root.sum, 4096L * 4095 / 2);
  }
}
static void test_fork_join_with_a_queue_does_not_deadlock(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 64), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, o), ANTS_OK);
  fork_join_on(p);
  ants_pool_free(p);
  assert_int_equal(ants_multipool_new(&p, 2, 1, ANTS_ROUND_ROBIN, o), ANTS_OK);
  fork_join_on(p);
  ants_pool_free(p);
  ants_options_free(o);
}

int main(void) {
  watchdog_install();
  const struct CMUnitTest tests[] = {
      TEST(test_nested_submit_runs_inline_when_saturated),
      TEST(test_nested_submit_chain),
      TEST(test_nested_invoke_chain),
      TEST(test_nested_submit_timeout_runs_inline),
      TEST(test_nested_submit_saturated_by_others),
      TEST(test_nested_submit_with_room_uses_another_worker),
      TEST(test_nested_submit_nonblocking_overloads),
      TEST(test_nested_submit_into_other_pool_blocks),
      TEST(test_nested_submit_multipool),
      TEST(test_nested_submit_chain_multipool),
      TEST(test_nested_group_submit),
      TEST(test_nested_submit_with_queue),
      TEST(test_nested_submit_tree),
      TEST(test_fork_join_with_a_queue_does_not_deadlock),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
