/*
 * engine_jni.c - the JNI face of the example engine (engine.h), as a Java
 * service over a C++ core would have: the Java side passes Pool.handle(),
 * and the engine does its parallel work on that very pool.
 */
#include <jni.h>
#include <stdint.h>
#include <stdio.h>

#include "engine.h"

JNIEXPORT jlong JNICALL Java_Shared_engineOpen(JNIEnv *env, jclass cls, jlong pool) {
  (void)env;
  (void)cls;
  engine *e = NULL;
  if (engine_open(&e, (ants_pool *)(intptr_t)pool) != ANTS_OK) return 0;
  return (jlong)(intptr_t)e;
}

/* Runs engine_search; out receives {tasks, max_busy}; returns a summary
 * ("<tasks> shards on <threads>, score <score>") or NULL on failure. */
JNIEXPORT jstring JNICALL Java_Shared_engineSearch(JNIEnv *env, jclass cls, jlong e,
                                                   jint shards, jintArray out) {
  (void)cls;
  engine_report r;
  if (engine_search((engine *)(intptr_t)e, shards, &r) != ANTS_OK) return NULL;
  jint counts[2] = {r.tasks, r.max_busy};
  (*env)->SetIntArrayRegion(env, out, 0, 2, counts);
  char text[512];
  snprintf(text, sizeof text, "%d shards on %s, score %lld", r.tasks, r.threads, r.score);
  return (*env)->NewStringUTF(env, text);
}

JNIEXPORT void JNICALL Java_Shared_engineClose(JNIEnv *env, jclass cls, jlong e) {
  (void)env;
  (void)cls;
  engine_close((engine *)(intptr_t)e);
}
