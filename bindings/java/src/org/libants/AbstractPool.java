package org.libants;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every pool kind shares: observation and control. The native pool is
 * closed by {@link #close()} but freed only when this object is unreachable
 * (a Cleaner), so a thread still calling a closed pool gets
 * PoolClosedException, never a use-after-free; every method that passes the
 * handle to native code fences {@code this} for the same reason.
 *
 * <p>Methods that wait (blocking submit, awaitIdle, releaseTimeout, close)
 * wait in native code and are not interruptible; use their Duration variants
 * to bound them.
 */
public abstract class AbstractPool implements AutoCloseable {
  /** Frees native objects once unreachable; shared by pools and task groups. */
  static final Cleaner CLEANER = Cleaner.create();

  /** The ants_pool handle. */
  final long handle;
  private final boolean isDefault;

  /** Creates the native pool through a constructor of the C API. */
  interface Constructor {
    int create(long[] out, long opts);
  }

  AbstractPool(PoolOptions options, Object func, Constructor constructor, boolean isDefault) {
    Callbacks callbacks = options.callbacks();
    long ctx = Native.newContext(callbacks, func);
    if (ctx == 0) throw new AntsOutOfMemoryException();
    long h;
    try {
      long opts = options.toNative(ctx);
      try {
        long[] out = new long[1];
        AntsException.check(constructor.create(out, opts));
        h = out[0];
      } finally {
        AntsC.ants_options_free(opts);
      }
    } catch (RuntimeException | Error e) {
      Native.releaseContext(ctx);
      throw e;
    }
    this.handle = h;
    this.isDefault = isDefault;
    if (!isDefault) CLEANER.register(this, new Free(h, ctx));
  }

  /** Frees the native pool once the Java object is gone; holds no reference to it. */
  private static final class Free implements Runnable {
    private final long handle;
    private final long ctx;

    Free(long handle, long ctx) {
      this.handle = handle;
      this.ctx = ctx;
    }

    @Override
    public void run() {
      AntsC.ants_pool_free(handle); // releases and waits for the workers
      Native.releaseContext(ctx);
    }
  }

  /** Live worker threads, busy or idle (ants' Running). */
  public int running() {
    try {
      return AntsC.ants_running(handle);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Workers running a task right now. */
  public int busy() {
    try {
      return AntsC.ants_busy(handle);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** cap() - running(), never below 0 (ants' Free); -1 for an unlimited pool. */
  public int free() {
    try {
      return AntsC.ants_available(handle);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Capacity; -1 for an unlimited pool. */
  public int cap() {
    try {
      return AntsC.ants_cap(handle);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Callers blocked in submit or invoke right now. */
  public int waiting() {
    try {
      return AntsC.ants_waiting(handle);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Tasks waiting in the task queue (0 without one). */
  public int queued() {
    try {
      return AntsC.ants_queued(handle);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** True once released (and not rebooted). */
  public boolean isClosed() {
    try {
      return AntsC.ants_is_closed(handle) != 0;
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Changes the capacity; a no-op for size &lt;= 0, an unlimited or a
   * pre-allocated pool. Shrinking interrupts no task.
   */
  public void tune(int size) {
    try {
      AntsC.ants_tune(handle, size);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Closes the pool without waiting: later submits and blocked callers get
   * PoolClosedException, idle workers exit, running tasks finish.
   */
  public void release() {
    try {
      AntsC.ants_release(handle);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Releases the pool and waits until every worker has exited, at most
   * timeout (zero or negative: do not wait).
   *
   * @throws AntsTimeoutException if workers are still running when the timeout ends
   * @throws WouldDeadlockException if called from a task of this pool
   */
  public void releaseTimeout(Duration timeout) {
    try {
      long ms = PoolOptions.ceilMillis(timeout);
      AntsException.check(AntsC.ants_release_timeout(handle, ms < 0 ? 0 : ms));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Reopens a released pool; workers of the old generation never rejoin it. */
  public void reboot() {
    try {
      AntsC.ants_reboot(handle);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Waits until no task is running or queued and no caller is blocked in
   * submit; the pool stays open.
   *
   * @throws WouldDeadlockException if called from a task of this pool
   */
  public void awaitIdle() {
    awaitIdleMillis(-1);
  }

  /**
   * As {@link #awaitIdle()}, for at most timeout (zero or negative: just check).
   *
   * @return true if the pool became idle, false if the timeout ran out
   */
  public boolean awaitIdle(Duration timeout) {
    long ms = PoolOptions.ceilMillis(timeout);
    return awaitIdleMillis(ms < 0 ? 0 : ms);
  }

  private boolean awaitIdleMillis(long ms) {
    try {
      int rc = AntsC.ants_wait_idle(handle, ms);
      if (rc == ants_status.ANTS_ERR_TIMEOUT) return false;
      AntsException.check(rc);
      return true;
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Releases the pool and waits until every worker has exited: accepted tasks
   * all ran. Called from one of the pool's own tasks it releases and returns
   * at once (waiting there could never end). A no-op on the default pool,
   * which lives as long as the process. Native memory is freed once this
   * object is unreachable.
   */
  @Override
  public void close() {
    if (isDefault) return;
    try {
      int rc = AntsC.ants_release_timeout(handle, -1);
      if (rc == ants_status.ANTS_ERR_WOULD_DEADLOCK) {
        AntsC.ants_release(handle);
      } else {
        AntsException.check(rc);
      }
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * ants_cancel_queued, collecting what was cancelled: Runnables, or
   * arguments for a pool with a function (group members unwrapped).
   */
  final List<Object> cancelQueuedTasks() {
    List<Object> cancelled = new ArrayList<>();
    try {
      AntsException.check(Native.cancelQueued(handle, cancelled));
    } finally {
      Reference.reachabilityFence(this);
    }
    cancelled.replaceAll(t -> t instanceof TaskGroup.Member ? ((TaskGroup.Member) t).unwrap() : t);
    return cancelled;
  }

  /** One of the *_by_index getters of a multipool. */
  interface ByIndex {
    int get(int[] out, long pool, int index);
  }

  final int byIndex(ByIndex getter, int index) {
    try {
      int[] out = new int[1];
      AntsException.check(getter.get(out, handle, index));
      return out[0];
    } finally {
      Reference.reachabilityFence(this);
    }
  }
}
