/*
 * ants_jni.c - the task path of the Java binding, written by hand.
 *
 * SWIG wraps the flat, callback-free part of ants.h (ants_java.i). Every
 * call that hands the engine a function pointer lives here instead, because
 * a task crossing from a native worker into Java must be cheap and must never
 * crash the JVM:
 *
 *  - A task is a JNI global reference to the Runnable, taken when the task is
 *    accepted and deleted by the trampoline after run() returned, so the GC
 *    can neither collect a queued task nor keep a finished one alive. SWIG
 *    directors are not used: they attach per call (~23 us), and a proxy
 *    collected while queued, or a DirectorException reaching C, kills the JVM.
 *  - Worker threads attach to the JVM once, as named daemon threads, in the
 *    engine's worker start hook, and detach in its exit hook. Daemon, so that
 *    System.exit never waits for them; once, because a call on an attached
 *    thread costs ~100 ns against ~23 us for attach + detach.
 *  - Whatever run() throws is caught and cleared here and handed to the
 *    pool's Callbacks object (panic handler, else logger): no Java exception
 *    is left pending when control returns to the engine.
 *
 * Each pool has one context (struct jants_ctx) holding its Callbacks object
 * and, for pools with a function, the function. The worker start hook stores
 * the context in a thread-local, which is how a trampoline finds its pool's
 * handler without any per-task allocation: a worker serves exactly one pool
 * (sub-pools of a multipool share one context).
 */
#define _GNU_SOURCE /* pthread_getname_np */
#include <jni.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "ants.h"

/* JNI 1.8 is enough for everything used here and is what Java 8+ accepts. */
#define JANTS_JNI_VERSION JNI_VERSION_1_8

typedef struct jants_ctx {
  /* One reference for the Java pool object plus one per attached worker; the
   * last release deletes the global references. Workers hold one because a
   * pool freed from one of its own tasks is freed after that call returns. */
  atomic_int refs;
  jobject callbacks; /* global ref to org.libants.Callbacks */
  jobject func;      /* global ref to the pool's Consumer, or NULL */
} jants_ctx;

static JavaVM *g_vm;
static jclass g_callbacks_class;    /* global ref: keeps the method ids valid */
static jmethodID g_run;             /* Runnable.run() */
static jmethodID g_accept;          /* Consumer.accept(Object) */
static jmethodID g_on_throwable;    /* Callbacks.onThrowable(Throwable) */
static jmethodID g_on_log;          /* Callbacks.onLog(String) */
static jmethodID g_unhandled;       /* static Callbacks.unhandled(Throwable) */
static jmethodID g_list_add;        /* List.add(Object) */
static pthread_key_t g_detach_key;  /* detaches fallback-attached threads */
/* Task references taken and not yet deleted; read by the no-leak test. */
static atomic_long g_task_refs;

/* Set by the worker start hook for the lifetime of the worker. */
static __thread JNIEnv *tl_env;
static __thread jants_ctx *tl_ctx;
/* The list cancelQueued() collects into; the engine calls the task
 * destructor on the cancelling thread, inside ants_cancel_queued(). */
static __thread jobject tl_cancelled;

static inline ants_pool *pool_of(jlong handle) { return (ants_pool *)(intptr_t)handle; }

static void detach_at_thread_exit(void *unused) {
  (void)unused;
  (*g_vm)->DetachCurrentThread(g_vm);
}

/* The JNIEnv of the calling thread. Workers have it from their start hook.
 * Any other native thread (the engine may log from a thread that is not a
 * worker) is attached once as a daemon and detached when it exits, through
 * a pthread key destructor, so that no path ever attaches per call. */
static JNIEnv *current_env(void) {
  JNIEnv *env = tl_env;
  if (env) return env;
  if ((*g_vm)->GetEnv(g_vm, (void **)&env, JANTS_JNI_VERSION) == JNI_OK) return env;
  JavaVMAttachArgs args = {JANTS_JNI_VERSION, (char *)"ants-native", NULL};
  if ((*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void **)&env, &args) != JNI_OK) return NULL;
  pthread_setspecific(g_detach_key, env);
  tl_env = env;
  return env;
}

static void ctx_retain(jants_ctx *ctx) { atomic_fetch_add_explicit(&ctx->refs, 1, memory_order_relaxed); }

static void ctx_release(JNIEnv *env, jants_ctx *ctx) {
  if (atomic_fetch_sub_explicit(&ctx->refs, 1, memory_order_acq_rel) != 1) return;
  (*env)->DeleteGlobalRef(env, ctx->callbacks);
  if (ctx->func) (*env)->DeleteGlobalRef(env, ctx->func);
  free(ctx);
}

/* Hands the pending exception to the pool's handler and clears it. Worker
 * threads have no Java frame below this one, so every local reference made
 * here must be deleted by hand or it would live as long as the thread. */
static void report_pending_exception(JNIEnv *env, jants_ctx *ctx) {
  jthrowable thrown = (*env)->ExceptionOccurred(env);
  (*env)->ExceptionClear(env);
  if (ctx)
    (*env)->CallVoidMethod(env, ctx->callbacks, g_on_throwable, thrown);
  else
    (*env)->CallStaticVoidMethod(env, g_callbacks_class, g_unhandled, thrown);
  /* The handlers catch everything they can; an Error thrown while handling
   * (say StackOverflowError) must still not reach the engine. */
  if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
  (*env)->DeleteLocalRef(env, thrown);
}

static void drop_task_ref(JNIEnv *env, jobject ref) {
  if (!ref) return;
  (*env)->DeleteGlobalRef(env, ref);
  atomic_fetch_sub_explicit(&g_task_refs, 1, memory_order_relaxed);
}

static jobject take_task_ref(JNIEnv *env, jobject obj) {
  if (!obj) return NULL;
  jobject ref = (*env)->NewGlobalRef(env, obj);
  if (ref) atomic_fetch_add_explicit(&g_task_refs, 1, memory_order_relaxed);
  return ref;
}

/* ants_task_fn of Runnable tasks: arg is a global ref to the Runnable. */
static void run_runnable(void *arg) {
  JNIEnv *env = current_env();
  if (!env) return; /* the JVM refused to attach (it is shutting down) */
  jobject task = (jobject)arg;
  (*env)->CallVoidMethod(env, task, g_run);
  if ((*env)->ExceptionCheck(env)) report_pending_exception(env, tl_ctx);
  drop_task_ref(env, task);
}

/* The function of pools with a function: arg is a global ref to the
 * argument (NULL for a null argument); the function is in the context. */
static void run_func(void *arg) {
  JNIEnv *env = current_env();
  if (!env) return;
  jobject value = (jobject)arg;
  jants_ctx *ctx = tl_ctx;
  if (ctx && ctx->func) {
    (*env)->CallVoidMethod(env, ctx->func, g_accept, value);
    if ((*env)->ExceptionCheck(env)) report_pending_exception(env, ctx);
  } else {
    /* Only a worker whose attach failed gets here: say so, do not crash. */
    jclass ise = (*env)->FindClass(env, "java/lang/IllegalStateException");
    if (ise) (*env)->ThrowNew(env, ise, "libants: pool function run outside its pool's worker");
    report_pending_exception(env, NULL);
    if (ise) (*env)->DeleteLocalRef(env, ise);
  }
  drop_task_ref(env, value);
}

/* Worker start hook: attach once, as a daemon named like the native thread. */
static void on_worker_start(void *p) {
  jants_ctx *ctx = (jants_ctx *)p;
  char name[32] = "ants-worker";
  pthread_getname_np(pthread_self(), name, sizeof name);
  JavaVMAttachArgs args = {JANTS_JNI_VERSION, name, NULL};
  JNIEnv *env = NULL;
  if ((*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void **)&env, &args) != JNI_OK) return;
  ctx_retain(ctx);
  tl_env = env;
  tl_ctx = ctx;
}

/* Worker exit hook: drop the worker's context reference, then detach. */
static void on_worker_exit(void *p) {
  jants_ctx *ctx = (jants_ctx *)p;
  if (tl_ctx != ctx) return; /* its start hook failed to attach */
  JNIEnv *env = tl_env;
  tl_ctx = NULL;
  tl_env = NULL;
  ctx_release(env, ctx);
  (*g_vm)->DetachCurrentThread(g_vm);
}

/* Task destructor: a queued task cancelled before it ran. Its Runnable (or
 * argument) goes back to the Java caller of cancelQueued, and its reference
 * is released as the trampoline would have. */
static void on_task_cancelled(void *p, ants_task_fn fn, void *arg) {
  (void)p;
  (void)fn;
  JNIEnv *env = current_env();
  if (!env) return;
  jobject ref = (jobject)arg;
  if (tl_cancelled) {
    (*env)->CallBooleanMethod(env, tl_cancelled, g_list_add, ref);
    if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
  }
  drop_task_ref(env, ref);
}

/* Logger: the engine may call it from any thread, concurrently. */
static void on_log(void *p, const char *msg) {
  jants_ctx *ctx = (jants_ctx *)p;
  JNIEnv *env = current_env();
  if (!env) return;
  jstring text = (*env)->NewStringUTF(env, msg);
  if (text) (*env)->CallVoidMethod(env, ctx->callbacks, g_on_log, text);
  if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
  if (text) (*env)->DeleteLocalRef(env, text);
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void)reserved;
  JNIEnv *env = NULL;
  if ((*vm)->GetEnv(vm, (void **)&env, JANTS_JNI_VERSION) != JNI_OK) return JNI_ERR;
  g_vm = vm;
  if (pthread_key_create(&g_detach_key, detach_at_thread_exit) != 0) return JNI_ERR;

  jclass runnable = (*env)->FindClass(env, "java/lang/Runnable");
  jclass consumer = (*env)->FindClass(env, "java/util/function/Consumer");
  jclass callbacks = (*env)->FindClass(env, "org/libants/Callbacks");
  jclass list = (*env)->FindClass(env, "java/util/List");
  if (!runnable || !consumer || !callbacks || !list) return JNI_ERR;
  g_run = (*env)->GetMethodID(env, runnable, "run", "()V");
  g_accept = (*env)->GetMethodID(env, consumer, "accept", "(Ljava/lang/Object;)V");
  g_on_throwable = (*env)->GetMethodID(env, callbacks, "onThrowable", "(Ljava/lang/Throwable;)V");
  g_on_log = (*env)->GetMethodID(env, callbacks, "onLog", "(Ljava/lang/String;)V");
  g_unhandled = (*env)->GetStaticMethodID(env, callbacks, "unhandled", "(Ljava/lang/Throwable;)V");
  g_list_add = (*env)->GetMethodID(env, list, "add", "(Ljava/lang/Object;)Z");
  if (!g_run || !g_accept || !g_on_throwable || !g_on_log || !g_unhandled || !g_list_add)
    return JNI_ERR;
  g_callbacks_class = (jclass)(*env)->NewGlobalRef(env, callbacks);
  if (!g_callbacks_class) return JNI_ERR;
  (*env)->DeleteLocalRef(env, runnable);
  (*env)->DeleteLocalRef(env, consumer);
  (*env)->DeleteLocalRef(env, callbacks);
  (*env)->DeleteLocalRef(env, list);
  return JANTS_JNI_VERSION;
}

/* ---- org.libants.Native ------------------------------------------------ */

JNIEXPORT jlong JNICALL Java_org_libants_Native_newContext(JNIEnv *env, jclass cls,
                                                           jobject callbacks, jobject func) {
  (void)cls;
  jants_ctx *ctx = (jants_ctx *)calloc(1, sizeof *ctx);
  if (!ctx) return 0;
  atomic_init(&ctx->refs, 1);
  ctx->callbacks = (*env)->NewGlobalRef(env, callbacks);
  ctx->func = func ? (*env)->NewGlobalRef(env, func) : NULL;
  if (!ctx->callbacks || (func && !ctx->func)) {
    ctx_release(env, ctx);
    return 0;
  }
  return (jlong)(intptr_t)ctx;
}

JNIEXPORT void JNICALL Java_org_libants_Native_releaseContext(JNIEnv *env, jclass cls,
                                                              jlong ctx) {
  (void)cls;
  if (ctx) ctx_release(env, (jants_ctx *)(intptr_t)ctx);
}

JNIEXPORT jint JNICALL Java_org_libants_Native_installContext(JNIEnv *env, jclass cls,
                                                              jlong opts, jlong ctx) {
  (void)env;
  (void)cls;
  ants_options *o = (ants_options *)(intptr_t)opts;
  void *c = (void *)(intptr_t)ctx;
  int rc = ants_options_set_worker_hooks(o, on_worker_start, on_worker_exit, c);
  if (rc == ANTS_OK) rc = ants_options_set_logger(o, on_log, c);
  if (rc == ANTS_OK) rc = ants_options_set_task_destructor(o, on_task_cancelled, c);
  return rc;
}

JNIEXPORT jint JNICALL Java_org_libants_Native_poolWithFuncNew(JNIEnv *env, jclass cls,
                                                               jlongArray out, jint size,
                                                               jlong opts) {
  (void)cls;
  ants_pool *p = NULL;
  int rc = ants_pool_with_func_new(&p, size, run_func, (const ants_options *)(intptr_t)opts);
  jlong handle = (jlong)(intptr_t)p;
  if (rc == ANTS_OK) (*env)->SetLongArrayRegion(env, out, 0, 1, &handle);
  return rc;
}

JNIEXPORT jint JNICALL Java_org_libants_Native_multiPoolWithFuncNew(JNIEnv *env, jclass cls,
                                                                    jlongArray out, jint n,
                                                                    jint size_per_pool,
                                                                    jint strategy, jlong opts) {
  (void)cls;
  ants_pool *p = NULL;
  int rc = ants_multipool_with_func_new(&p, n, size_per_pool, run_func, strategy,
                                        (const ants_options *)(intptr_t)opts);
  jlong handle = (jlong)(intptr_t)p;
  if (rc == ANTS_OK) (*env)->SetLongArrayRegion(env, out, 0, 1, &handle);
  return rc;
}

/* The submit family: take the reference, hand it over, and take it back if
 * the engine did not accept the task (a refused task never runs). Plain
 * submit and invoke are the timeout forms with -1 ("wait forever"), which
 * ants.h defines as the same call. */

JNIEXPORT jint JNICALL Java_org_libants_Native_submit(JNIEnv *env, jclass cls,
                                                      jlong pool, jobject task,
                                                      jlong timeout_ms) {
  (void)cls;
  jobject ref = take_task_ref(env, task);
  if (!ref) return ANTS_ERR_NO_MEMORY;
  int rc = ants_submit_timeout(pool_of(pool), run_runnable, ref, timeout_ms);
  if (rc != ANTS_OK) drop_task_ref(env, ref);
  return rc;
}

JNIEXPORT jint JNICALL Java_org_libants_Native_invoke(JNIEnv *env, jclass cls,
                                                      jlong pool, jobject arg,
                                                      jlong timeout_ms) {
  (void)cls;
  jobject ref = take_task_ref(env, arg);
  if (arg && !ref) return ANTS_ERR_NO_MEMORY;
  int rc = ants_invoke_timeout(pool_of(pool), ref, timeout_ms);
  if (rc != ANTS_OK) drop_task_ref(env, ref);
  return rc;
}

JNIEXPORT jint JNICALL Java_org_libants_Native_groupSubmit(JNIEnv *env, jclass cls,
                                                           jlong group, jlong pool,
                                                           jobject task) {
  (void)cls;
  jobject ref = take_task_ref(env, task);
  if (!ref) return ANTS_ERR_NO_MEMORY;
  int rc = ants_group_submit((ants_group *)(intptr_t)group, pool_of(pool), run_runnable, ref);
  if (rc != ANTS_OK) drop_task_ref(env, ref);
  return rc;
}

JNIEXPORT jint JNICALL Java_org_libants_Native_groupInvoke(JNIEnv *env, jclass cls,
                                                           jlong group, jlong pool,
                                                           jobject arg) {
  (void)cls;
  jobject ref = take_task_ref(env, arg);
  if (arg && !ref) return ANTS_ERR_NO_MEMORY;
  int rc = ants_group_invoke((ants_group *)(intptr_t)group, pool_of(pool), ref);
  if (rc != ANTS_OK) drop_task_ref(env, ref);
  return rc;
}

JNIEXPORT jint JNICALL Java_org_libants_Native_cancelQueued(JNIEnv *env, jclass cls, jlong pool,
                                                            jobject into) {
  (void)env;
  (void)cls;
  /* Saved and restored: List.add runs Java code, which could cancel too. */
  jobject outer = tl_cancelled;
  tl_cancelled = into;
  int rc = ants_cancel_queued(NULL, pool_of(pool));
  tl_cancelled = outer;
  return rc;
}

JNIEXPORT jlong JNICALL Java_org_libants_Native_outstandingTaskRefs(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return (jlong)atomic_load_explicit(&g_task_refs, memory_order_relaxed);
}
