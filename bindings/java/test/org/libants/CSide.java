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

  // --- held C tasks (SlotTest): C tasks that run until heldOpen() ---

  /** Closes the gate and zeroes the counts. */
  static native void heldReset();

  /** Opens the gate: every held task ends. */
  static native void heldOpen();

  static native int heldStarted();

  static native int heldDone();

  /** ants_submit_timeout of a held task from this thread; the status. */
  static native int heldSubmit(long pool, long timeoutMs);

  /** A C thread submitting one held task with ants_submit (it may block); 0 if none started. */
  static native long heldSubmitFromCThread(long pool);

  /** Joins that thread; its submit's status. */
  static native int heldJoin(long submitter);
}
