package org.libants;

/** The C side of SharedPoolTest (test/native/ants_jni_test.c). */
final class CSide {
  private CSide() {}

  static {
    System.loadLibrary("ants_jni_test");
  }

  static native void reset();

  /** The concurrency gauge every task, C or Java, passes through. */
  static native void enter();

  static native void leave();

  /** Starts C threads submitting C tasks to pool (retained while they run). */
  static native long startSubmitters(long pool, int threads, int tasks);

  /** Joins them; returns how many of their submits were refused. */
  static native int joinSubmitters(long submitters);

  static native int cTasksRan();

  /** ants_submit of one C task, from C; the status. */
  static native int submitOne(long pool);

  static native int maxConcurrent();

  /** ants_pool_new(size) with default options, as C code would. */
  static native long newPool(int size);

  static native void freePool(long pool);
}
