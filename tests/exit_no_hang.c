/*
 * exit_no_hang.c - nothing joins or blocks at process exit (issue 2,
 * line 14). Not a cmocka suite: the test IS that this process exits. It
 * leaves busy and idle workers in the default pool and in a pool it never
 * frees, then returns from main; an atexit handler or static destructor
 * that waited for workers would hang it, and ctest's timeout fails it.
 */
#include <stdio.h>

#include "support.h"

static gate never;         /* never opened: its tasks outlive the process */
static ants_pool *unfreed; /* deliberately never freed; reachable, not leaked */

int main(void) {
  atomic_int ran;
  atomic_init(&ran, 0);
  gate_init(&never);
  ants_pool *def = ants_default_pool();
  if (!def || ants_pool_new(&unfreed, 4, NULL) != ANTS_OK) return 1;
  ants_pool *pools[] = {def, unfreed};
  for (int i = 0; i < 2; i++) {
    if (ants_submit(pools[i], task_gate_pass, &never) != ANTS_OK) return 1;
    if (ants_submit(pools[i], task_count, &ran) != ANTS_OK) return 1;
  }
  if (!wait_until(atomic_load(&never.arrived) == 2 && atomic_load(&ran) == 2)) return 1;
  puts("exiting with busy and idle workers");
  return 0;
}
