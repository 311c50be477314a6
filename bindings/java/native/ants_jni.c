/*
 * ants_jni.c - the task path of the Java binding, written by hand.
 *
 * SWIG wraps the flat, callback-free part of ants.h (ants_java.i). Every
 * call that hands the engine a function pointer lives here instead, because
 * a task crossing from a native worker into Java must be cheap and must never
 * crash the JVM:
 *
 *  - A task is held for the engine from its acceptance until it ran: in a
 *    slot of org.libants.TaskSlots (its index crosses as the task's void *,
 *    tagged with bit 0), or, when no slot is free, as a JNI global reference.
 *    The trampoline empties the slot (or deletes the reference) itself, so
 *    the GC can neither collect a queued task nor keep a finished one alive.
 *    A slot costs a CAS and a store; a global reference a mutex and bitmap
 *    writes in the JVM's handle storage on both sides. SWIG directors are
 *    not used: they attach per call (~23 us), and a proxy collected while
 *    queued, or a DirectorException reaching C, kills the JVM.
 *  - Worker threads attach to the JVM once, as named daemon threads, in the
 *    engine's worker start hook, and detach in its exit hook. Daemon, so that
 *    System.exit never waits for them; once, because a call on an attached
 *    thread costs ~100 ns against ~23 us for attach + detach.
 *  - One upcall per task, Callbacks.runTask: it runs the task, hands what it
 *    threw to the pool's panic handler (else logger) and clears the thread's
 *    interrupt flag. What still escapes (no stack left to handle it) is kept
 *    in the context and reported later: no Java exception is left pending
 *    when control returns to the engine, and none is lost.
 *
 * Each pool has one context (struct jants_ctx) holding a weak reference to
 * its Callbacks object (handler, logger, function, class loader). The worker
 * start hook makes that a strong reference owned by the worker and keeps it
 * and the context in thread-locals, which is how a trampoline finds its
 * pool's handler without any per-task allocation: a worker serves exactly
 * one pool (sub-pools of a multipool share one context).
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
   * last release frees the context. Workers hold one because a pool freed
   * from one of its own tasks is freed after that call returns. */
  atomic_int refs;
  /* Weak: the Java pool object holds its Callbacks strongly, so a pool whose
   * function or panic handler refers to the pool is still collected (a JNI
   * global reference is a GC root, which would make that cycle immortal).
   * Each worker turns it into a strong reference for its own lifetime, so
   * a task never runs without its pool's function or handler. */
  jweak callbacks;
  /* A Throwable no handler could take when it was thrown (the stack was
   * exhausted): reported on this pool's next trampoline exit that has the
   * stack for it. dropped counts the ones overwritten before that. */
  _Atomic(jobject) deferred;
  atomic_long dropped;
} jants_ctx;

static JavaVM *g_vm;
static jclass g_callbacks_class;    /* global ref: keeps the method ids valid */
static jmethodID g_run_task;        /* Callbacks.runTask(Runnable, boolean) */
static jobjectArray g_slots;        /* global ref to TaskSlots.SLOTS */
static jmethodID g_run_slot;        /* Throwable Callbacks.runSlot(int, boolean) */
static jmethodID g_invoke_slot;     /* Throwable Callbacks.invokeSlot(int, boolean) */
static jmethodID g_run_slot_unowned; /* static Throwable Callbacks.runSlotUnowned(int, boolean) */
static jmethodID g_invoke_task;     /* Callbacks.invokeTask(Object, boolean) */
static jmethodID g_run_unowned;     /* static Callbacks.runUnowned(Runnable, boolean) */
static jmethodID g_report_late;     /* Callbacks.reportLate(Throwable, long) */
static jmethodID g_worker_start;    /* Callbacks.onWorkerStart() */
static jmethodID g_worker_exit;     /* Callbacks.onWorkerExit() */
static jmethodID g_on_log;          /* Callbacks.onLog(String) */
static jmethodID g_log_unowned;     /* static Callbacks.logUnowned(String) */
static jmethodID g_unhandled;       /* static Callbacks.unhandled(Throwable) */
static jmethodID g_list_add;        /* List.add(Object) */
static jclass g_lock_support;       /* global ref: java.util.concurrent.locks.LockSupport */
static jmethodID g_unpark;          /* static LockSupport.unpark(Thread) */
static jmethodID g_give_back;       /* SlotWorkers.giveBack(int) */
static pthread_key_t g_detach_key;  /* detaches fallback-attached threads */
/* Task references taken and not yet deleted; read by the no-leak test. */
static atomic_long g_task_refs;

/* Set by the worker start hook for the lifetime of the worker. */
static __thread JNIEnv *tl_env;
static __thread jants_ctx *tl_ctx;
static __thread jobject tl_callbacks; /* strong global ref, the worker's own */
/* Tasks of this thread on the stack: > 1 when a nested submit ran inline. */
static __thread int tl_depth;
/* The list cancelQueued() collects into; the engine calls the task
 * destructor on the cancelling thread, inside ants_cancel_queued(). */
static __thread jobject tl_cancelled;

static inline ants_pool *pool_of(jlong handle) { return (ants_pool *)(intptr_t)handle; }

/* A task or argument crosses the engine as one void *: either a JNI global
 * reference (a pointer to an aligned handle, bit 0 clear) or the index of
 * a slot of org.libants.TaskSlots, shifted left and tagged with bit 0. */
static inline void *slot_arg(jint slot) { return (void *)(((uintptr_t)(uint32_t)slot << 1) | 1u); }
static inline int is_slot(void *arg) { return ((uintptr_t)arg & 1u) != 0; }
static inline jint slot_of(void *arg) { return (jint)((uintptr_t)arg >> 1); }

/* Empties the slot of a task and returns a local ref to what it held. The
 * slot belongs to this task from the submitter's CAS until here, so a read
 * and a store suffice; no Java frame runs, so this works even where a Java
 * call would overflow the stack. */
static jobject take_slot(JNIEnv *env, void *arg) {
  jint i = slot_of(arg);
  jobject held = (*env)->GetObjectArrayElement(env, g_slots, i);
  (*env)->SetObjectArrayElement(env, g_slots, i, NULL);
  return held;
}

static void detach_at_thread_exit(void *unused) {
  (void)unused;
  (*g_vm)->DetachCurrentThread(g_vm);
}

/* The JNIEnv of the calling thread. Workers have it from their start hook.
 * Any other native thread (a worker of a pool made by C code, or a thread
 * the engine logs from) is attached once, lazily, as a daemon, and detached
 * when it exits, through a pthread key destructor, so that no path ever
 * attaches per call. */
static JNIEnv *current_env(void) {
  JNIEnv *env = tl_env;
  if (env) return env;
  if ((*g_vm)->GetEnv(g_vm, (void **)&env, JANTS_JNI_VERSION) == JNI_OK) return env;
  /* A worker of a pool made by C code (Pool.fromHandle, the default pool)
   * on its first Java task: a daemon named like the native thread. */
  char name[32] = "ants-native";
  pthread_getname_np(pthread_self(), name, sizeof name);
  JavaVMAttachArgs args = {JANTS_JNI_VERSION, name, NULL};
  if ((*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void **)&env, &args) != JNI_OK) return NULL;
  pthread_setspecific(g_detach_key, env);
  tl_env = env;
  return env;
}

static void ctx_retain(jants_ctx *ctx) { atomic_fetch_add_explicit(&ctx->refs, 1, memory_order_relaxed); }

static void ctx_release(JNIEnv *env, jants_ctx *ctx) {
  if (atomic_fetch_sub_explicit(&ctx->refs, 1, memory_order_acq_rel) != 1) return;
  (*env)->DeleteWeakGlobalRef(env, ctx->callbacks);
  jobject late = atomic_exchange_explicit(&ctx->deferred, NULL, memory_order_acquire);
  if (late) {
    /* No pool is left to report to: the library's logger gets it. */
    (*env)->CallStaticVoidMethod(env, g_callbacks_class, g_unhandled, late);
    if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
    (*env)->DeleteGlobalRef(env, late);
  }
  free(ctx);
}

/* Hands a pending exception to the static fallback and clears it; for code
 * that runs with no pool context. */
static void report_unowned(JNIEnv *env) {
  jthrowable thrown = (*env)->ExceptionOccurred(env);
  (*env)->ExceptionClear(env);
  (*env)->CallStaticVoidMethod(env, g_callbacks_class, g_unhandled, thrown);
  if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
  (*env)->DeleteLocalRef(env, thrown);
}

/* A Throwable escaped Callbacks.runTask: its handler could not run, which
 * happens when the stack is exhausted (a StackOverflowError at the deepest
 * level of inline nesting). It must not be lost: park it in the context, to
 * be reported by flush_deferred() from a shallower frame. Only JNI calls
 * here, no Java frames. */
static void defer_pending_exception(JNIEnv *env, jants_ctx *ctx) {
  if (!ctx) {
    report_unowned(env);
    return;
  }
  jthrowable thrown = (*env)->ExceptionOccurred(env);
  (*env)->ExceptionClear(env);
  jobject ref = (*env)->NewGlobalRef(env, thrown);
  (*env)->DeleteLocalRef(env, thrown);
  if (!ref) {
    atomic_fetch_add_explicit(&ctx->dropped, 1, memory_order_relaxed);
    return;
  }
  jobject old = atomic_exchange_explicit(&ctx->deferred, ref, memory_order_acq_rel);
  if (old) {
    (*env)->DeleteGlobalRef(env, old);
    atomic_fetch_add_explicit(&ctx->dropped, 1, memory_order_relaxed);
  }
}

/* Reports a deferred Throwable through the pool's handler; if even that
 * fails (still too deep), puts it back for the next try. */
static void flush_deferred(JNIEnv *env, jants_ctx *ctx) {
  jobject late = atomic_exchange_explicit(&ctx->deferred, NULL, memory_order_acq_rel);
  if (!late) return;
  jlong dropped = atomic_exchange_explicit(&ctx->dropped, 0, memory_order_relaxed);
  if (tl_callbacks)
    (*env)->CallVoidMethod(env, tl_callbacks, g_report_late, late, dropped);
  else
    (*env)->CallStaticVoidMethod(env, g_callbacks_class, g_unhandled, late);
  if (!(*env)->ExceptionCheck(env)) {
    (*env)->DeleteGlobalRef(env, late);
    return;
  }
  (*env)->ExceptionClear(env);
  atomic_fetch_add_explicit(&ctx->dropped, dropped, memory_order_relaxed);
  jobject expected = NULL;
  if (!atomic_compare_exchange_strong(&ctx->deferred, &expected, late)) {
    (*env)->DeleteGlobalRef(env, late);
    atomic_fetch_add_explicit(&ctx->dropped, 1, memory_order_relaxed);
  }
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

/* After a task: whatever escaped Callbacks is deferred, and a deferred
 * Throwable is reported as soon as a frame has the stack for it. */
static inline void after_task(JNIEnv *env) {
  jants_ctx *ctx = tl_ctx;
  if ((*env)->ExceptionCheck(env)) defer_pending_exception(env, ctx);
  if (ctx && atomic_load_explicit(&ctx->deferred, memory_order_relaxed)) flush_deferred(env, ctx);
}

/* After Callbacks.runSlot/invokeSlot/runSlotUnowned. They return what
 * they could not report, and throw only when the call never started (no
 * stack left to enter it): then the slot is still full, and is emptied
 * here, in native code, so that no slot outlives its task. */
static inline void after_slot_task(JNIEnv *env, void *arg, jobject unreported) {
  if ((*env)->ExceptionCheck(env)) {
    defer_pending_exception(env, tl_ctx);
    jobject never_ran = take_slot(env, arg);
    if (never_ran) (*env)->DeleteLocalRef(env, never_ran);
  } else if (unreported) {
    (*env)->Throw(env, (jthrowable)unreported);
    defer_pending_exception(env, tl_ctx);
  }
  if (unreported) (*env)->DeleteLocalRef(env, unreported);
  jants_ctx *ctx = tl_ctx;
  if (ctx && atomic_load_explicit(&ctx->deferred, memory_order_relaxed)) flush_deferred(env, ctx);
}

/* ants_task_fn of Runnable tasks: arg is a global ref to the Runnable.
 * Callbacks.runTask runs it, reports what it throws and clears the
 * interrupt flag after a top-level task (not after one run inline by a
 * nested submit, whose caller's flag it is). */
static void run_runnable(void *arg) {
  JNIEnv *env = current_env();
  if (!env) return; /* the JVM refused to attach (it is shutting down) */
  jboolean top = ++tl_depth == 1;
  if (is_slot(arg)) {
    jobject unreported;
    if (tl_callbacks)
      unreported = (*env)->CallObjectMethod(env, tl_callbacks, g_run_slot, slot_of(arg), top);
    else
      unreported = (*env)->CallStaticObjectMethod(env, g_callbacks_class, g_run_slot_unowned,
                                                  slot_of(arg), top);
    --tl_depth;
    after_slot_task(env, arg, unreported);
    return;
  }
  jobject task = (jobject)arg;
  if (tl_callbacks)
    (*env)->CallVoidMethod(env, tl_callbacks, g_run_task, task, top);
  else
    (*env)->CallStaticVoidMethod(env, g_callbacks_class, g_run_unowned, task, top);
  --tl_depth;
  after_task(env);
  drop_task_ref(env, task);
}

/* The function of pools with a function: arg is a global ref to the
 * argument (NULL for a null argument); the function is in the Callbacks. */
static void run_func(void *arg) {
  JNIEnv *env = current_env();
  if (!env) return;
  if (tl_callbacks && is_slot(arg)) {
    jboolean top = ++tl_depth == 1;
    jobject unreported =
        (*env)->CallObjectMethod(env, tl_callbacks, g_invoke_slot, slot_of(arg), top);
    --tl_depth;
    after_slot_task(env, arg, unreported);
    return;
  }
  jobject value = is_slot(arg) ? take_slot(env, arg) : (jobject)arg;
  if (tl_callbacks) {
    jboolean top = ++tl_depth == 1;
    (*env)->CallVoidMethod(env, tl_callbacks, g_invoke_task, value, top);
    --tl_depth;
    after_task(env);
  } else {
    /* Only a worker whose attach failed gets here: say so, do not crash. */
    jclass ise = (*env)->FindClass(env, "java/lang/IllegalStateException");
    if (ise) (*env)->ThrowNew(env, ise, "libants: pool function run outside its pool's worker");
    report_unowned(env);
    if (ise) (*env)->DeleteLocalRef(env, ise);
  }
  if (is_slot(arg))
    (*env)->DeleteLocalRef(env, value);
  else
    drop_task_ref(env, value);
}

/* Worker start hook: attach once, as a daemon named like the native thread,
 * and hold the pool's Callbacks strongly for the worker's lifetime. */
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
  /* NULL if the pool object is already gone: tasks then run unowned. */
  tl_callbacks = (*env)->NewGlobalRef(env, ctx->callbacks);
  if (tl_callbacks) {
    (*env)->CallVoidMethod(env, tl_callbacks, g_worker_start);
    if ((*env)->ExceptionCheck(env)) report_unowned(env);
  }
}

/* Worker exit hook: drop the worker's references, then detach. */
static void on_worker_exit(void *p) {
  jants_ctx *ctx = (jants_ctx *)p;
  if (tl_ctx != ctx) return; /* its start hook failed to attach */
  JNIEnv *env = tl_env;
  if (atomic_load_explicit(&ctx->deferred, memory_order_relaxed)) flush_deferred(env, ctx);
  if (tl_callbacks) {
    (*env)->CallVoidMethod(env, tl_callbacks, g_worker_exit);
    if ((*env)->ExceptionCheck(env)) report_unowned(env);
    (*env)->DeleteGlobalRef(env, tl_callbacks);
  }
  tl_callbacks = NULL;
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
  if (is_slot(arg)) {
    jobject task = take_slot(env, arg);
    if (tl_cancelled && task) {
      (*env)->CallBooleanMethod(env, tl_cancelled, g_list_add, task);
      if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
    }
    if (task) (*env)->DeleteLocalRef(env, task);
    return;
  }
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
  if (text) {
    jobject callbacks = (*env)->NewLocalRef(env, ctx->callbacks);
    if (callbacks) {
      (*env)->CallVoidMethod(env, callbacks, g_on_log, text);
      (*env)->DeleteLocalRef(env, callbacks);
    } else {
      (*env)->CallStaticVoidMethod(env, g_callbacks_class, g_log_unowned, text);
    }
  }
  if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
  if (text) (*env)->DeleteLocalRef(env, text);
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void)reserved;
  JNIEnv *env = NULL;
  if ((*vm)->GetEnv(vm, (void **)&env, JANTS_JNI_VERSION) != JNI_OK) return JNI_ERR;
  g_vm = vm;
  if (pthread_key_create(&g_detach_key, detach_at_thread_exit) != 0) return JNI_ERR;

  jclass callbacks = (*env)->FindClass(env, "org/libants/Callbacks");
  jclass list = (*env)->FindClass(env, "java/util/List");
  if (!callbacks || !list) return JNI_ERR;
  g_run_task = (*env)->GetMethodID(env, callbacks, "runTask", "(Ljava/lang/Runnable;Z)V");
  g_invoke_task = (*env)->GetMethodID(env, callbacks, "invokeTask", "(Ljava/lang/Object;Z)V");
  g_run_slot = (*env)->GetMethodID(env, callbacks, "runSlot", "(IZ)Ljava/lang/Throwable;");
  g_invoke_slot = (*env)->GetMethodID(env, callbacks, "invokeSlot", "(IZ)Ljava/lang/Throwable;");
  g_run_slot_unowned = (*env)->GetStaticMethodID(env, callbacks, "runSlotUnowned",
                                                 "(IZ)Ljava/lang/Throwable;");

  g_run_unowned =
      (*env)->GetStaticMethodID(env, callbacks, "runUnowned", "(Ljava/lang/Runnable;Z)V");
  g_report_late = (*env)->GetMethodID(env, callbacks, "reportLate", "(Ljava/lang/Throwable;J)V");
  g_worker_start = (*env)->GetMethodID(env, callbacks, "onWorkerStart", "()V");
  g_worker_exit = (*env)->GetMethodID(env, callbacks, "onWorkerExit", "()V");
  g_on_log = (*env)->GetMethodID(env, callbacks, "onLog", "(Ljava/lang/String;)V");
  g_log_unowned = (*env)->GetStaticMethodID(env, callbacks, "logUnowned", "(Ljava/lang/String;)V");
  g_unhandled = (*env)->GetStaticMethodID(env, callbacks, "unhandled", "(Ljava/lang/Throwable;)V");
  g_list_add = (*env)->GetMethodID(env, list, "add", "(Ljava/lang/Object;)Z");
  if (!g_run_task || !g_invoke_task || !g_run_slot || !g_invoke_slot || !g_run_slot_unowned || !g_run_unowned || !g_report_late || !g_worker_start ||
      !g_worker_exit || !g_on_log || !g_log_unowned || !g_unhandled || !g_list_add)
    return JNI_ERR;
  g_callbacks_class = (jclass)(*env)->NewGlobalRef(env, callbacks);
  if (!g_callbacks_class) return JNI_ERR;
  jclass lock_support = (*env)->FindClass(env, "java/util/concurrent/locks/LockSupport");
  jclass slot_workers = (*env)->FindClass(env, "org/libants/SlotWorkers");
  if (!lock_support || !slot_workers) return JNI_ERR;
  g_unpark = (*env)->GetStaticMethodID(env, lock_support, "unpark", "(Ljava/lang/Thread;)V");
  g_give_back = (*env)->GetMethodID(env, slot_workers, "giveBack", "(I)V");
  g_lock_support = (jclass)(*env)->NewGlobalRef(env, lock_support);
  if (!g_unpark || !g_give_back || !g_lock_support) return JNI_ERR;
  (*env)->DeleteLocalRef(env, lock_support);
  (*env)->DeleteLocalRef(env, slot_workers);
  jclass task_slots = (*env)->FindClass(env, "org/libants/TaskSlots");
  if (!task_slots) return JNI_ERR;
  jfieldID slots_field = (*env)->GetStaticFieldID(env, task_slots, "SLOTS", "[Ljava/lang/Object;");
  if (!slots_field) return JNI_ERR;
  jobject slots = (*env)->GetStaticObjectField(env, task_slots, slots_field);
  if (!slots) return JNI_ERR;
  g_slots = (jobjectArray)(*env)->NewGlobalRef(env, slots);
  (*env)->DeleteLocalRef(env, slots);
  (*env)->DeleteLocalRef(env, task_slots);
  if (!g_slots) return JNI_ERR;
  (*env)->DeleteLocalRef(env, callbacks);
  (*env)->DeleteLocalRef(env, list);
  return JANTS_JNI_VERSION;
}

/* ---- org.libants.Native ------------------------------------------------ */

JNIEXPORT jlong JNICALL Java_org_libants_Native_newContext(JNIEnv *env, jclass cls,
                                                           jobject callbacks) {
  (void)cls;
  jants_ctx *ctx = (jants_ctx *)calloc(1, sizeof *ctx);
  if (!ctx) return 0;
  atomic_init(&ctx->refs, 1);
  atomic_init(&ctx->deferred, NULL);
  atomic_init(&ctx->dropped, 0);
  ctx->callbacks = (*env)->NewWeakGlobalRef(env, callbacks);
  if (!ctx->callbacks) {
    free(ctx);
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

JNIEXPORT jint JNICALL Java_org_libants_Native_submitRef(JNIEnv *env, jclass cls,
                                                         jlong pool, jobject task,
                                                         jlong timeout_ms) {
  (void)cls;
  jobject ref = take_task_ref(env, task);
  if (!ref) return ANTS_ERR_NO_MEMORY;
  int rc = ants_submit_timeout(pool_of(pool), run_runnable, ref, timeout_ms);
  if (rc != ANTS_OK) drop_task_ref(env, ref);
  return rc;
}

JNIEXPORT jint JNICALL Java_org_libants_Native_invokeRef(JNIEnv *env, jclass cls,
                                                         jlong pool, jobject arg,
                                                         jlong timeout_ms) {
  (void)cls;
  jobject ref = take_task_ref(env, arg);
  if (arg && !ref) return ANTS_ERR_NO_MEMORY;
  int rc = ants_invoke_timeout(pool_of(pool), ref, timeout_ms);
  if (rc != ANTS_OK) drop_task_ref(env, ref);
  return rc;
}

/* The slot forms: the Java caller filled the slot and empties it again if
 * the task is refused. */
JNIEXPORT jint JNICALL Java_org_libants_Native_submitSlot(JNIEnv *env, jclass cls, jlong pool,
                                                          jint slot, jlong timeout_ms) {
  (void)env;
  (void)cls;
  return ants_submit_timeout(pool_of(pool), run_runnable, slot_arg(slot), timeout_ms);
}

JNIEXPORT jint JNICALL Java_org_libants_Native_invokeSlot(JNIEnv *env, jclass cls, jlong pool,
                                                          jint slot, jlong timeout_ms) {
  (void)env;
  (void)cls;
  return ants_invoke_timeout(pool_of(pool), slot_arg(slot), timeout_ms);
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

JNIEXPORT jlong JNICALL Java_org_libants_Native_outstandingGlobalRefs(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return (jlong)atomic_load_explicit(&g_task_refs, memory_order_relaxed);
}

/* ---- slots: Java tasks on Java threads within the pool's capacity ------
 *
 * org.libants.SlotWorkers runs the tasks of a pool without a task queue on
 * recycled Java threads, each holding a slot of the native pool (ants.h,
 * "Slots"), so that Java and native tasks share one capacity. The calls
 * without a callback or an out-parameter (ants_slot_begin, _end, _release,
 * _cancel, ants_group_enter/leave) are SWIG's, in AntsC; here are the rest.
 * Per task there are plain down-calls only; up-calls happen only when a
 * submitter had to wait (the grant wakes it) and when the pool asks for idle
 * slots back (the listener). */

JNIEXPORT jint JNICALL Java_org_libants_Native_slotAcquire(JNIEnv *env, jclass cls, jlong pool,
                                                           jlong timeout_ms, jlongArray out) {
  (void)cls;
  ants_slot slot = 0;
  int rc = ants_slot_acquire(&slot, pool_of(pool), timeout_ms);
  if (rc == ANTS_OK) {
    jlong v = (jlong)slot;
    (*env)->SetLongArrayRegion(env, out, 0, 1, &v);
  }
  return rc;
}

/* A submitter waiting in line (ants_slot_acquire_async): the grant stores
 * its outcome here and unparks the Java thread. Two references, the
 * waiting thread's and the grant's; the last one frees. */
typedef struct jants_waiter {
  atomic_int refs;
  atomic_int done;
  int status;
  ants_slot slot;
  /* The grant ran on a Java slot worker (inside its ants_slot_end): that
   * worker is about to become a spare thread for this very slot. */
  int from_worker;
  jobject thread; /* global ref to the waiting Thread */
} jants_waiter;

static void waiter_release(JNIEnv *env, jants_waiter *w) {
  if (atomic_fetch_sub_explicit(&w->refs, 1, memory_order_acq_rel) != 1) return;
  (*env)->DeleteGlobalRef(env, w->thread);
  free(w);
}

/* Set on the Java threads of SlotWorkers (Native.markSlotWorker). */
static __thread int tl_slot_worker;

static void on_slot_granted(void *ctx, int status, ants_slot slot) {
  jants_waiter *w = (jants_waiter *)ctx;
  w->status = status;
  w->slot = slot;
  w->from_worker = tl_slot_worker;
  atomic_store_explicit(&w->done, 1, memory_order_release);
  JNIEnv *env = current_env();
  if (!env) return; /* the JVM is going away; the waiter's deadline polls */
  (*env)->CallStaticVoidMethod(env, g_lock_support, g_unpark, w->thread);
  if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
  waiter_release(env, w);
}

JNIEXPORT jlong JNICALL Java_org_libants_Native_waiterNew(JNIEnv *env, jclass cls, jobject thread) {
  (void)cls;
  jants_waiter *w = (jants_waiter *)calloc(1, sizeof *w);
  if (!w) return 0;
  atomic_init(&w->refs, 2);
  atomic_init(&w->done, 0);
  w->thread = (*env)->NewGlobalRef(env, thread);
  if (!w->thread) {
    free(w);
    return 0;
  }
  return (jlong)(intptr_t)w;
}

/* Drops the waiting thread's reference; twice when the grant will never
 * run (refused, granted at once, or cancelled). */
JNIEXPORT void JNICALL Java_org_libants_Native_waiterRelease(JNIEnv *env, jclass cls, jlong waiter,
                                                             jint refs) {
  (void)cls;
  jants_waiter *w = (jants_waiter *)(intptr_t)waiter;
  for (jint i = 0; i < refs; i++) waiter_release(env, w);
}

/* 1 while waiting; else the grant's status, with the slot in out[0] and
 * in out[1] whether a slot worker's ants_slot_end granted it. */
JNIEXPORT jint JNICALL Java_org_libants_Native_waiterPoll(JNIEnv *env, jclass cls, jlong waiter,
                                                          jlongArray out) {
  (void)cls;
  jants_waiter *w = (jants_waiter *)(intptr_t)waiter;
  if (!atomic_load_explicit(&w->done, memory_order_acquire)) return 1;
  jlong v[2] = {(jlong)w->slot, (jlong)w->from_worker};
  (*env)->SetLongArrayRegion(env, out, 0, 2, v);
  return w->status;
}

JNIEXPORT void JNICALL Java_org_libants_Native_markSlotWorker(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  tl_slot_worker = 1;
}

/* out: {slot, ticket}; see ants_slot_acquire_async. */
JNIEXPORT jint JNICALL Java_org_libants_Native_slotAcquireAsync(JNIEnv *env, jclass cls,
                                                                jlong pool, jlong waiter,
                                                                jlongArray out) {
  (void)cls;
  ants_slot slot = 0;
  int64_t ticket = 0;
  int rc = ants_slot_acquire_async(&slot, &ticket, pool_of(pool), on_slot_granted,
                                   (void *)(intptr_t)waiter);
  if (rc == ANTS_OK) {
    jlong v[2] = {(jlong)slot, (jlong)ticket};
    (*env)->SetLongArrayRegion(env, out, 0, 2, v);
  }
  return rc;
}

/* The slot listener: asks the pool's SlotWorkers (weakly held: a collected
 * one has nothing to give back) to retire `count` idle workers. Runs on the
 * thread that needs the room, which is attached to the JVM if it is not. */
typedef struct jants_listener {
  int64_t id;
  jweak holder;
} jants_listener;

static void on_slot_wanted(void *ctx, ants_pool *p, int count) {
  (void)p;
  jants_listener *l = (jants_listener *)ctx;
  JNIEnv *env = current_env();
  if (!env) return;
  jobject holder = (*env)->NewLocalRef(env, l->holder);
  if (!holder) return;
  (*env)->CallVoidMethod(env, holder, g_give_back, (jint)count);
  if ((*env)->ExceptionCheck(env)) report_unowned(env);
  (*env)->DeleteLocalRef(env, holder);
}

JNIEXPORT jlong JNICALL Java_org_libants_Native_listenerAdd(JNIEnv *env, jclass cls, jlong pool,
                                                            jobject holder) {
  (void)cls;
  jants_listener *l = (jants_listener *)calloc(1, sizeof *l);
  if (!l) return 0;
  l->holder = (*env)->NewWeakGlobalRef(env, holder);
  if (!l->holder || ants_slot_listener_add(&l->id, pool_of(pool), on_slot_wanted, l) != ANTS_OK) {
    if (l->holder) (*env)->DeleteWeakGlobalRef(env, l->holder);
    free(l);
    return 0;
  }
  return (jlong)(intptr_t)l;
}

JNIEXPORT void JNICALL Java_org_libants_Native_listenerRemove(JNIEnv *env, jclass cls, jlong pool,
                                                              jlong listener) {
  (void)cls;
  jants_listener *l = (jants_listener *)(intptr_t)listener;
  ants_slot_listener_remove(pool_of(pool), l->id);
  (*env)->DeleteWeakGlobalRef(env, l->holder);
  free(l);
}

JNIEXPORT jlong JNICALL Java_org_libants_Native_poolExpiryMs(JNIEnv *env, jclass cls, jlong pool) {
  (void)env;
  (void)cls;
  int64_t ms = 0;
  return ants_pool_expiry_ms(&ms, pool_of(pool)) == ANTS_OK ? (jlong)ms : (jlong)INT64_MIN;
}
