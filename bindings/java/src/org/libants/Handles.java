package org.libants;

import java.lang.ref.Reference;
import java.util.function.LongToIntFunction;

/**
 * The one place a native handle is used under a reachability fence: the
 * Cleaner frees a pool's or group's native object once its Java owner is
 * unreachable, which the JIT may decide happens in the middle of a native
 * call that only needs the handle. Every call that passes a handle to
 * native code goes through here, except Pool.execute, which inlines the
 * same fence to keep the per-task path free of a capturing lambda.
 */
final class Handles {
  private Handles() {}

  /** op(handle), with owner reachable until it returned. */
  static int call(Object owner, long handle, LongToIntFunction op) {
    try {
      return op.applyAsInt(handle);
    } finally {
      Reference.reachabilityFence(owner);
    }
  }
}
