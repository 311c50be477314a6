/*
 * test_fork.c - what a child process gets from pools made before fork():
 * the same handles, reset to pools with no workers, no blocked callers and
 * no queued tasks (those are the parent's), whose workers start again on
 * demand. Never a hang, whatever the parent's threads were doing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>

#include "support.h"

/* Waits (bounded) for the child; its exit status, or -1 if it hung. */
static int wait_child(pid_t pid) {
  int status = 0;
  int64_t deadline = now_ms() + TEST_DEADLINE_MS;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (now_ms() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    pause_ms(1);
  }
}

/* In the child: the pool works and frees without waiting for the parent's
 * threads. Exit codes say which step failed. */
static int child_uses(ants_pool *p, int queue_tasks_in_parent) {
  if (ants_running(p) != 0 || ants_busy(p) != 0 || ants_waiting(p) != 0) return 10;
  if (queue_tasks_in_parent && ants_queued(p) != 0) return 11;
  atomic_int ran = 0;
  for (int i = 0; i < 8; i++) {
    if (ants_submit(p, task_count, &ran) != ANTS_OK) return 12;
  }
  if (ants_wait_idle(p, TEST_DEADLINE_MS) != ANTS_OK) return 13;
  if (atomic_load(&ran) != 8) return 14;
  ants_pool *d = ants_default_pool();
  if (!d || ants_submit(d, task_count, &ran) != ANTS_OK) return 15;
  if (!wait_until(atomic_load(&ran) == 9)) return 16;
  if (ants_release_timeout(p, TEST_DEADLINE_MS) != ANTS_OK) return 17;
  ants_pool_free(p);
  return 0;
}

static void child_gets_a_fresh_working_pool(void **state) {
  (void)state;
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_queue_size(o, 8), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, o), ANTS_OK);
  ants_options_free(o);
  atomic_int ran = 0;
  assert_int_equal(ants_submit(ants_default_pool(), task_count, &ran), ANTS_OK);
  /* Both workers busy, tasks queued behind them, a caller blocked. */
  gate g;
  gate_init(&g);
  assert_true(gate_fill(p, &g, 2));
  for (int i = 0; i < 8; i++) assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  bg_submit b;
  bg_submit_start(&b, p, task_count, &ran);
  assert_true(wait_until(ants_waiting(p) == 1));

  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) _exit(child_uses(p, 1));
  assert_int_equal(wait_child(pid), 0);

  /* The parent's pool is untouched: every accepted task runs here. */
  gate_open(&g);
  assert_int_equal(bg_submit_join(&b), ANTS_OK);
  assert_int_equal(ants_wait_idle(p, TEST_DEADLINE_MS), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1 + 8 + 1));
  ants_pool_free(p);
  gate_destroy(&g);
}

/* fork() while other threads hammer the pool (its lock may be held at the
 * instant of the fork): the child still gets a usable pool. */
typedef struct hammer {
  ants_pool *p;
  atomic_int stop;
  atomic_int ran;
} hammer;
static void *hammer_main(void *arg) {
  hammer *h = (hammer *)arg;
  while (!atomic_load(&h->stop)) {
    if (ants_submit(h->p, task_count, &h->ran) != ANTS_OK) break;
  }
  return NULL;
}

static void fork_under_load_never_hangs_the_child(void **state) {
  (void)state;
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 3, NULL), ANTS_OK);
  hammer h = {.p = p};
  atomic_init(&h.stop, 0);
  atomic_init(&h.ran, 0);
  pthread_t th[2];
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&th[i], NULL, hammer_main, &h), 0);
  for (int round = 0; round < 20; round++) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) _exit(child_uses(p, 0));
    assert_int_equal(wait_child(pid), 0);
  }
  atomic_store(&h.stop, 1);
  for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
  ants_pool_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(child_gets_a_fresh_working_pool),
      cmocka_unit_test(fork_under_load_never_hangs_the_child),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
