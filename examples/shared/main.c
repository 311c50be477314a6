/*
 * main.c - the C side of the shared-pool example: a C "service" makes one
 * pool, hands it to the C++ engine, and keeps submitting tasks of its own
 * while the engine does its parallel work on the very same pool. One thread
 * budget for both: the busy count never passes the capacity. (The Go and
 * Java programs beside it do the same from their languages.)
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "engine.h"

enum { CAPACITY = 4, SERVICE_TASKS = 64, SHARDS = 64 };

static atomic_int service_ran, service_max_busy;
static ants_pool *shared;

static void service_task(void *arg) {
  (void)arg;
  int busy = ants_busy(shared);
  int seen = atomic_load(&service_max_busy);
  while (busy > seen && !atomic_compare_exchange_weak(&service_max_busy, &seen, busy)) {
  }
  atomic_fetch_add(&service_ran, 1);
}

static void *service_main(void *arg) {
  (void)arg;
  for (int i = 0; i < SERVICE_TASKS; i++) {
    if (ants_submit(shared, service_task, NULL) != ANTS_OK) return (void *)1;
  }
  return NULL;
}

int main(void) {
  if (ants_pool_new(&shared, CAPACITY, NULL) != ANTS_OK) return 1;
  engine *e = NULL;
  if (engine_open(&e, shared) != ANTS_OK) return 1;

  pthread_t service;
  pthread_create(&service, NULL, service_main, NULL);
  engine_report r;
  int rc = engine_search(e, SHARDS, &r);
  void *service_rc = NULL;
  pthread_join(service, &service_rc);
  if (rc != ANTS_OK || service_rc != NULL || ants_wait_idle(shared, 30000) != ANTS_OK) return 1;

  printf("engine (C++): %d shards on %s, score %lld\n", r.tasks, r.threads, r.score);
  printf("service (C):  %d tasks on the same pool\n", atomic_load(&service_ran));
  int max_busy = r.max_busy > service_max_busy ? r.max_busy : service_max_busy;
  printf("one budget:   at most %d of %d workers busy at once\n", max_busy, ants_cap(shared));
  int ok = r.tasks == SHARDS && atomic_load(&service_ran) == SERVICE_TASKS && max_busy <= CAPACITY;
  ants_pool_free(shared); /* the service lets go first; the engine still owns the pool */
  if (engine_search(e, 8, &r) != ANTS_OK || r.tasks != 8) ok = 0;
  engine_close(e); /* the last owner: releases, waits, frees */
  printf("shared: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
