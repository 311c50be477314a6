package org.libants;

/**
 * The hand-written JNI entry points (native/ants_jni.c): everything that hands
 * the engine a callback. Handles are the same longs the SWIG layer uses.
 */
final class Native {
  private Native() {}

  private static boolean loaded;

  /**
   * Loads libants_jni from java.library.path. The JNI library finds libants
   * itself (RUNPATH $ORIGIN), so no LD_LIBRARY_PATH is needed.
   */
  static synchronized void load() {
    if (!loaded) {
      System.loadLibrary("ants_jni");
      loaded = true;
    }
  }

  static {
    load();
  }

  /** A pool context: a weak reference to its Callbacks (which hold the function, if any). */
  static native long newContext(Callbacks callbacks);

  /** Drops the Java side's reference to a context; workers hold their own. */
  static native void releaseContext(long ctx);

  /** Sets the worker hooks (attach/detach) and the logger of an options object. */
  static native int installContext(long opts, long ctx);

  static native int poolWithFuncNew(long[] out, int size, long opts);

  static native int multiPoolWithFuncNew(long[] out, int n, int sizePerPool, int strategy,
                                         long opts);

  /** ants_submit_timeout; timeoutMs -1 waits forever, which is ants_submit. */
  static native int submit(long pool, Runnable task, long timeoutMs);

  /** ants_invoke_timeout; timeoutMs -1 waits forever, which is ants_invoke. */
  static native int invoke(long pool, Object arg, long timeoutMs);

  static native int groupSubmit(long group, long pool, Runnable task);

  static native int groupInvoke(long group, long pool, Object arg);

  /**
   * ants_cancel_queued: each cancelled task's Runnable (or argument) is added
   * to into, and its reference released.
   */
  static native int cancelQueued(long pool, java.util.List<Object> into);

  /** Task and argument references taken and not yet released (for leak tests). */
  static native long outstandingTaskRefs();
}
