/*
 * The ants README example, in C: the default pool, a pool with a function
 * (capacity 10, 1000 invokes, sum 499500), and the two multipools.
 *
 * Build against an installed libants:
 *   cc readme_example.c $(pkg-config --cflags --libs ants) -o readme_example
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <ants.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { RUN_TIMES = 1000 };

static atomic_long sum;

/* ants' demoFunc: a task that sleeps 10 ms. */
static void demo_func(void *arg) {
  (void)arg;
  struct timespec ts = {0, 10 * 1000 * 1000};
  nanosleep(&ts, NULL);
}

/* ants' myFunc: adds its argument to the sum. */
static void my_func(void *arg) { atomic_fetch_add(&sum, (long)(intptr_t)arg); }

static void check(int status, const char *what) {
  if (status != ANTS_OK) {
    fprintf(stderr, "%s: %s\n", what, ants_strerror(status));
    exit(1);
  }
}

/* Submits RUN_TIMES tasks as one group and waits for exactly them: the C
 * counterpart of ants' sync.WaitGroup in its example. */
static void run_all(ants_pool *pool, int invoke) {
  ants_group *wg;
  check(ants_group_new(&wg), "ants_group_new");
  for (intptr_t i = 0; i < RUN_TIMES; i++) {
    int rc = invoke ? ants_group_invoke(wg, pool, (void *)i)
                    : ants_group_submit(wg, pool, demo_func, NULL);
    check(rc, "submit");
  }
  check(ants_group_wait(wg, -1), "ants_group_wait");
  ants_group_free(wg);
}

int main(void) {
  printf("libants %s\n", ants_version());

  /* Use the common pool. */
  ants_pool *common = ants_default_pool();
  run_all(common, 0);
  printf("running workers: %d\n", ants_running(common));
  printf("finish all tasks.\n");

  /* A pool with a function, capacity 10, default 1 s expiry. */
  ants_pool *p;
  check(ants_pool_with_func_new(&p, 10, my_func, NULL), "ants_pool_with_func_new");
  run_all(p, 1);
  printf("running workers: %d\n", ants_running(p));
  printf("finish all tasks, result is %ld\n", atomic_load(&sum));
  if (atomic_load(&sum) != 499500) return 1;
  ants_pool_free(p);

  /* A multipool of 10 unlimited pools, round-robin. */
  ants_pool *mp;
  check(ants_multipool_new(&mp, 10, -1, ANTS_ROUND_ROBIN, NULL), "ants_multipool_new");
  run_all(mp, 0);
  printf("running workers: %d\n", ants_running(mp));
  printf("finish all tasks.\n");
  check(ants_release_timeout(mp, 5000), "ants_release_timeout");
  ants_pool_free(mp);

  /* A multipool with a function: 10 pools of RUN_TIMES/10, least-tasks. */
  ants_pool *mpf;
  check(ants_multipool_with_func_new(&mpf, 10, RUN_TIMES / 10, my_func, ANTS_LEAST_TASKS, NULL),
        "ants_multipool_with_func_new");
  run_all(mpf, 1);
  printf("running workers: %d\n", ants_running(mpf));
  printf("finish all tasks, result is %ld\n", atomic_load(&sum));
  if (atomic_load(&sum) != 499500 * 2) return 1;
  check(ants_release_timeout(mpf, 5000), "ants_release_timeout");
  ants_pool_free(mpf);

  /* The default pool is never freed; releasing it is allowed. */
  ants_release(common);
  return 0;
}
