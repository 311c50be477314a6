/*
 * engine.h - a stand-in for the C++ core of a mixed service (the search
 * engine under a Go or Java front end): it does its parallel work on an
 * ants pool it is handed, so the whole process runs on one thread budget.
 * A C ABI, as such cores expose to cgo and JNI.
 */
#ifndef SHARED_ENGINE_H
#define SHARED_ENGINE_H

#include <ants.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ENGINE_EXTERN __attribute__((visibility("default")))

typedef struct engine engine;

/* What one engine_search saw: how many tasks ran, where, and the most
 * workers of the pool it saw busy at once. */
typedef struct engine_report {
  long long score;   /* the sum of the shards' results */
  int tasks;         /* shards run */
  int max_busy;      /* ants_busy() high-water mark seen by the shards */
  char threads[256]; /* the worker threads' names, e.g. "ants-0 ants-1" */
} engine_report;

/* Opens an engine over pool, which it retains (ants_pool_retain) until
 * engine_close: the caller may free its own ownership at any time. */
ENGINE_EXTERN int engine_open(engine **out, ants_pool *pool);
/* Lets go of the engine's ownership of its pool (ants_pool_free). */
ENGINE_EXTERN void engine_close(engine *e);
/* The pool the engine runs on (borrowed). */
ENGINE_EXTERN ants_pool *engine_pool(engine *e);
/* Scores `shards` shards in parallel on the pool and waits for them. */
ENGINE_EXTERN int engine_search(engine *e, int shards, engine_report *out);

#ifdef __cplusplus
}
#endif

#endif
