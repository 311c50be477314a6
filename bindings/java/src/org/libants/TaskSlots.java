package org.libants;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a submitted task waits between its submit and its run: a fixed
 * table of slots, the slot's index crossing to native code instead of a JNI
 * global reference. A global reference costs a mutex and a bitmap write in
 * the JVM's handle storage on each side (a sixth of the time per empty task,
 * measured); a slot is one CAS to fill and one swap to empty. When no free
 * slot is found after a few probes (more tasks pending than slots), the
 * caller falls back to a global reference, so nothing is ever refused here.
 *
 * <p>The worker empties its slot in native code (ants_jni.c reads and
 * clears SLOTS[i] before calling Java), so a slot is emptied even when the
 * Java call cannot start (a StackOverflowError at the deepest level of
 * inline nesting). A slot is written by its submitter (CAS from null), then
 * by whoever empties it - the worker, or the submitter when refused, or
 * cancelQueued - and by nobody else in between.
 */
final class TaskSlots {
  private TaskSlots() {}

  private static final int BITS = 14;
  private static final int SIZE = 1 << BITS;
  private static final int PROBES = 8;

  /** Read by native code (JNI_OnLoad keeps a global reference to it). */
  static final Object[] SLOTS = new Object[SIZE];
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final AtomicInteger NEXT = new AtomicInteger();

  /**
   * The n-th claim's slot: consecutive claims land 16 slots (a 64-byte line
   * of compressed references) apart, so a submitter filling one slot and a
   * worker emptying the previous one do not write the same cache line.
   */
  private static int spread(int n) {
    int i = n & (SIZE - 1);
    return ((i << 4) | (i >>> (BITS - 4))) & (SIZE - 1);
  }

  /** Stores task (non-null) in a free slot and returns its index, or -1 if none was found. */
  static int put(Object task) {
    for (int p = 0; p < PROBES; p++) {
      int i = spread(NEXT.getAndIncrement());
      if (SLOT.getVolatile(SLOTS, i) == null && SLOT.compareAndSet(SLOTS, i, null, task)) return i;
    }
    return -1;
  }

  /** Occupied slots (for the leak tests; scans the table). */
  static int occupied() {
    int n = 0;
    for (int i = 0; i < SIZE; i++) {
      if (SLOT.getVolatile(SLOTS, i) != null) n++;
    }
    return n;
  }
}
