package org.libants;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongToIntFunction;

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

  /**
   * Finishes the frees the Cleaner starts: ants_pool_free waits for the
   * pool's workers, and one endless task in a forgotten pool must not stall
   * the shared Cleaner thread (every other native free would wait behind
   * it). Daemon threads, made on demand, gone after a minute idle.
   */
  private static final ExecutorService REAPER = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
      60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
        Thread t = new Thread(task, "ants-reaper");
        t.setDaemon(true);
        return t;
      });

  /** Test hooks: called with the handle when the Cleaner ran / the free returned. */
  static volatile LongConsumer onCleaned;
  static volatile LongConsumer onFreed;

  /** The ants_pool handle. */
  final long handle;
  /** Not this object's to close: the default pool, or one made by fromHandle. */
  final boolean borrowed;
  /** Held strongly here and by live workers; weakly by the native context. */
  final Callbacks callbacks;
  /**
   * Set once handle() gave the handle out: other owners may then keep the
   * native pool alive past this object, and with it the context its hooks
   * point to, which must then never be freed (see Free).
   */
  private final AtomicBoolean handedOut = new AtomicBoolean();
  /**
   * The Java workers on slots of a Pool without a task queue (SlotWorkers),
   * closed by Free before the native pool is freed.
   */
  static final class Slots {
    volatile SlotWorkers workers;
    /** The pool refused slots (it has a task queue): the native path only. */
    volatile boolean refused;
  }

  final Slots slots = new Slots();

  /**
   * Runs this pool's Java tasks on Java workers holding slots
   * (SlotWorkers), for a pool made here without a task queue; called once,
   * by the constructor of the concrete pool.
   */
  final void startSlotWorkers(PoolOptions options) {
    if (options.queueSize() != 0) return; // slots are for ants' own semantics
    SlotWorkers workers = new SlotWorkers(handle, true, options.threadName(),
        options.stackSize());
    if (workers.listen()) {
      slots.workers = workers;
    } else {
      slots.refused = true; // no memory for the listener: the native path serves
    }
  }

  /**
   * Runs task on this pool's Java workers (SlotWorkers.submit), if it has
   * them and the pool takes slots; ants.h status, or SlotWorkers.NO_SLOTS
   * for the native path (the pool has a task queue after all, and never
   * uses slots from now on).
   */
  final int submitToSlots(Runnable task, long timeoutMs) {
    SlotWorkers workers = slots.workers;
    if (workers == null) return SlotWorkers.NO_SLOTS;
    int rc = workers.submit(task, timeoutMs < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeoutMs),
        callbacks);
    if (rc == SlotWorkers.NO_SLOTS) refuseSlots(workers);
    return rc;
  }

  /** The pool has a task queue after all (a pool made by C code): no slots, ever. */
  final void refuseSlots(SlotWorkers workers) {
    synchronized (slots) {
      slots.refused = true;
      slots.workers = null;
    }
    workers.close(); // it holds no slot: the pool never gave one
  }
  /** Guards the shutdown flag awaitTermination waits for. */
  private final Object lifecycle = new Object();

  /** Creates the native pool through a constructor of the C API. */
  interface Constructor {
    int create(long[] out, long opts);
  }

  @SuppressWarnings("unchecked")
  AbstractPool(PoolOptions options, Consumer<?> func, Constructor constructor) {
    Callbacks cb = options.callbacks((Consumer<Object>) func);
    long ctx = Native.newContext(cb);
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
    this.borrowed = false;
    this.callbacks = cb;
    CLEANER.register(this, new Free(h, ctx, handedOut, slots));
  }

  /**
   * Wraps a pool made elsewhere (C or C++ code, or another wrapper), as one
   * more owner of it (ants_pool_retain); the ownership is dropped when this
   * object is unreachable. Its tasks run on workers Java did not start:
   * each attaches to the JVM on its first Java task.
   */
  AbstractPool(long handle) {
    AntsException.check(AntsC.ants_pool_retain(handle)); // 0: InvalidArgumentException
    this.handle = handle;
    this.borrowed = true;
    this.callbacks = PoolOptions.defaults().callbacks(null);
    CLEANER.register(this, new Free(handle, 0, handedOut, slots));
  }

  /**
   * Drops this object's ownership of the native pool once it is gone; the
   * last owner's free releases the pool and waits for its workers, so it
   * runs on a reaper thread, never on the shared Cleaner thread. Holds no
   * reference to the pool object. A pool C code still owns stays open.
   */
  private static final class Free implements Runnable {
    private final long handle;
    private final long ctx;
    private final AtomicBoolean handedOut;
    private final Slots slots;

    Free(long handle, long ctx, AtomicBoolean handedOut, Slots slots) {
      this.handle = handle;
      this.ctx = ctx;
      this.handedOut = handedOut;
      this.slots = slots;
    }

    @Override
    public void run() {
      LongConsumer cleaned = onCleaned;
      if (cleaned != null) cleaned.accept(handle);
      REAPER.execute(() -> {
        // Idle Java workers give their slots back, busy ones after their
        // task, and the slot listener goes before the pool can.
        SlotWorkers workers = slots.workers;
        if (workers != null) workers.close();
        AntsC.ants_pool_free(handle); // the last owner's waits for the workers
        // After the last owner's free no hook can run, so the context goes.
        // If the handle was given out, this may not have been the last owner
        // and ants.h cannot say: the context (a few dozen bytes and a
        // cleared weak reference) is left, since a worker started later
        // would read it.
        if (ctx != 0 && !handedOut.get()) Native.releaseContext(ctx);
        LongConsumer freed = onFreed;
        if (freed != null) freed.accept(handle);
      });
    }
  }

  /**
   * Calls op with the handle, keeping this object reachable until it
   * returned: the Cleaner must not free the pool under a native call.
   */
  final int call(LongToIntFunction op) {
    return Handles.call(this, handle, op);
  }

  /**
   * The ants_pool handle, for C or C++ code to use this very pool. It is
   * valid while this object is reachable; code that keeps it must own it:
   * call ants_pool_retain() on it before this object can become unreachable
   * (and ants_pool_free() when done). Java code wraps a handle with
   * {@link Pool#fromHandle(long)}. C code may submit its own tasks to a
   * Pool; to a PoolWithFunc it must not invoke (ants_invoke): that pool's
   * function takes Java references, which C code cannot make.
   */
  public long handle() {
    handedOut.set(true);
    return handle;
  }

  /** Live worker threads, busy or idle (ants' Running). */
  public int running() {
    return call(AntsC::ants_running);
  }

  /** Workers running a task right now. */
  public int busy() {
    return call(AntsC::ants_busy);
  }

  /** cap() - running(), never below 0 (ants' Free); -1 for an unlimited pool. */
  public int free() {
    return call(AntsC::ants_available);
  }

  /** Capacity; -1 for an unlimited pool. */
  public int cap() {
    return call(AntsC::ants_cap);
  }

  /** Callers blocked in submit or invoke right now. */
  public int waiting() {
    return call(AntsC::ants_waiting);
  }

  /** Tasks waiting in the task queue (0 without one). */
  public int queued() {
    return call(AntsC::ants_queued);
  }

  /**
   * Tasks (or invocations) of this pool that threw, since it was made; each
   * was also reported to the panic handler or the logger. Tasks submitted as
   * futures do not count: their Future holds what they threw.
   */
  public long failedTasks() {
    return callbacks.failedTasks();
  }

  /** True once released (and not rebooted). */
  public boolean isClosed() {
    return call(AntsC::ants_is_closed) != 0;
  }

  /**
   * Changes the capacity; a no-op for size &lt;= 0, an unlimited or a
   * pre-allocated pool. Shrinking interrupts no task.
   */
  public void tune(int size) {
    call(h -> {
      AntsC.ants_tune(h, size);
      return 0;
    });
  }

  /**
   * Closes the pool without waiting: later submits and blocked callers get
   * PoolClosedException, idle workers exit, running tasks finish.
   */
  public void release() {
    call(h -> {
      AntsC.ants_release(h);
      return 0;
    });
    SlotWorkers workers = slots.workers;
    if (workers != null) workers.retireIdle(); // the slot listener asks too; this is sooner
    synchronized (lifecycle) {
      lifecycle.notifyAll(); // awaitTermination waits for this
    }
  }

  /**
   * Whether the caller is a task of this pool running on a Java worker
   * (SlotWorkers), which the engine cannot recognise as its own worker:
   * waits for the pool from there would never end.
   */
  final boolean inOwnSlotTask() {
    SlotWorkers workers = slots.workers;
    return workers != null && workers.ownWorker() != null;
  }

  /**
   * Releases the pool and waits until every worker has exited, at most
   * timeout (zero or negative: do not wait).
   *
   * @throws AntsTimeoutException if workers are still running when the timeout ends
   * @throws WouldDeadlockException if called from a task of this pool
   */
  public void releaseTimeout(Duration timeout) {
    long ms = PoolOptions.ceilMillis(timeout);
    release();
    if (inOwnSlotTask()) throw new WouldDeadlockException();
    AntsException.check(call(h -> AntsC.ants_release_timeout(h, ms < 0 ? 0 : ms)));
  }

  /** Reopens a released pool; workers of the old generation never rejoin it. */
  public void reboot() {
    callbacks.stopping = false;
    call(h -> {
      AntsC.ants_reboot(h);
      return 0;
    });
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
    if (inOwnSlotTask()) throw new WouldDeadlockException();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(ms, 0));
    int rc = call(h -> AntsC.ants_wait_idle(h, ms));
    if (rc == ants_status.ANTS_ERR_TIMEOUT) return false;
    AntsException.check(rc);
    // Java workers end their slot just before they are idle again.
    SlotWorkers workers = slots.workers;
    return workers == null || workers.awaitSettled(ms >= 0, deadline);
  }

  /**
   * Releases the pool and waits until every worker has exited: accepted tasks
   * all ran. Called from one of the pool's own tasks it releases and returns
   * at once (waiting there could never end). A no-op on a borrowed pool
   * (the default pool, or one wrapped by fromHandle): it is not this
   * object's to close - release() or shutdown() do close it, for every
   * owner. Native memory is freed once every owner let go of it.
   */
  @Override
  public void close() {
    if (borrowed) return;
    release();
    if (inOwnSlotTask()) return;
    int rc = call(h -> AntsC.ants_release_timeout(h, -1));
    if (rc != ants_status.ANTS_ERR_WOULD_DEADLOCK) AntsException.check(rc);
  }

  // --- the lifecycle part of ExecutorService, shared by every pool kind ---

  /**
   * ExecutorService.shutdown(): {@link #release()}. Accepted tasks (queued
   * ones included) still run; new ones are refused; nothing waits.
   */
  public void shutdown() {
    release();
  }

  /** ExecutorService.isShutdown(): {@link #isClosed()}. */
  public boolean isShutdown() {
    return isClosed();
  }

  /** ExecutorService.isTerminated(): shut down and every worker has exited. */
  public boolean isTerminated() {
    return isClosed() && running() == 0;
  }

  /**
   * ExecutorService.awaitTermination(): waits until the pool is shut down and
   * every worker has exited (every accepted task ran), at most timeout.
   *
   * @return false if the timeout ran out first
   * @throws InterruptedException if interrupted while waiting for a shutdown
   *     (the wait for the workers itself is in native code, not interruptible)
   * @throws WouldDeadlockException if called from a task of this pool
   */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    if (inOwnSlotTask()) throw new WouldDeadlockException();
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (lifecycle) {
      while (!isClosed()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        TimeUnit.NANOSECONDS.timedWait(lifecycle, left);
      }
    }
    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime() + 999_999);
    int rc = call(h -> AntsC.ants_release_timeout(h, Math.max(0, leftMs)));
    if (rc == ants_status.ANTS_ERR_TIMEOUT) return false;
    AntsException.check(rc);
    return true;
  }

  /**
   * ants_cancel_queued, collecting what was cancelled: Runnables, or
   * arguments for a pool with a function (group members unwrapped).
   */
  final List<Object> cancelQueuedTasks() {
    List<Object> cancelled = new ArrayList<>();
    AntsException.check(call(h -> Native.cancelQueued(h, cancelled)));
    cancelled.replaceAll(t -> t instanceof TaskGroup.Member ? ((TaskGroup.Member) t).unwrap() : t);
    return cancelled;
  }

  /** One of the *_by_index getters of a multipool. */
  interface ByIndex {
    int get(int[] out, long pool, int index);
  }

  final int byIndex(ByIndex getter, int index) {
    int[] out = new int[1];
    AntsException.check(call(h -> getter.get(out, h, index)));
    return out[0];
  }
}
