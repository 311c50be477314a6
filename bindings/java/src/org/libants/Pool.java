package org.libants;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pool of at most {@code size} native worker threads running Runnables,
 * with ants' semantics: an idle worker is reused, else a new one starts while
 * below capacity, else the caller blocks (or, nonblocking, is refused). It is
 * a {@link ExecutorService}: {@code submit} returns a Future, {@code
 * shutdown}/{@code shutdownNow}/{@code awaitTermination} manage its life.
 *
 * <pre>{@code
 * try (Pool pool = new Pool(8)) {
 *   Future<String> f = pool.submit(() -> Thread.currentThread().getName());
 *   System.out.println(f.get());
 * } // close(): releases the pool and waits until every accepted task ran
 * }</pre>
 *
 * <p>{@link #execute} is ants' Submit with the Executor contract (refusal is
 * a RejectedExecutionException); {@link #submitBlocking} is the same call
 * with libants' own exceptions. A Throwable thrown by a task run through
 * either goes to the options' panic handler (default: the logger); one
 * thrown by a task given to {@code submit}/{@code invokeAll}/{@code
 * invokeAny} is in its Future. The worker, the pool and the JVM survive.
 * Workers are daemon threads: System.exit never waits for them.
 */
public class Pool extends AbstractPool implements ExecutorService {
  /** submit/invokeAll/invokeAny: the JDK's, over this pool's execute. */
  private final ExecutorService futures = new AbstractExecutorService() {
    @Override
    public void execute(Runnable command) {
      Pool.this.execute(command);
    }

    @Override
    public void shutdown() {
      Pool.this.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return Pool.this.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return Pool.this.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return Pool.this.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return Pool.this.awaitTermination(timeout, unit);
    }
  };

  /** A pool of at most size workers (size &lt;= 0: unlimited) with default options. */
  public Pool(int size) {
    this(size, PoolOptions.defaults());
  }

  public Pool(int size, PoolOptions options) {
    this(options, (out, opts) -> AntsC.ants_pool_new(out, size, opts));
  }

  Pool(PoolOptions options, Constructor constructor) {
    super(options, null, constructor);
    startSlotWorkers(options);
  }

  private Pool(long borrowedHandle) {
    super(borrowedHandle);
  }

  /**
   * Wraps a pool made by C or C++ code (an {@code ants_pool *} as a long),
   * or by another Java wrapper ({@link #handle()}), so that Java tasks run
   * on that very pool. The wrapper owns the pool too (ants_pool_retain),
   * until it is unreachable; close() on it is a no-op, release()/shutdown()
   * close the pool for every owner. Native threads of the pool attach to
   * the JVM on their first Java task, as daemon threads named like the
   * native thread, and detach when they exit. A Throwable thrown by such a
   * task goes to the logger (the pool's C options cannot hold a Java panic
   * handler), and failedTasks() does not count it.
   *
   * @throws InvalidArgumentException if handle is 0. A handle already freed
   *     cannot be detected: passing one is a use after free.
   */
  public static Pool fromHandle(long handle) {
    return new Pool(handle);
  }

  private static final class DefaultHolder {
    static final Pool POOL = new Pool(AntsC.ants_default_pool());
  }

  /**
   * The process-wide default pool, ants_default_pool() itself: the one the
   * C, C++ and Go code of the process use, of ANTS_DEFAULT_POOL_SIZE (4096)
   * workers. close() on it is a no-op; release() and reboot() work as on
   * any pool (and act on it for all languages). Rules of fromHandle.
   */
  public static Pool defaultPool() {
    return DefaultHolder.POOL;
  }

  /**
   * The Java workers on slots of this pool, made on first use for a pool
   * made elsewhere; null if the pool has a task queue (slots are refused).
   */
  SlotWorkers slotWorkers() {
    SlotWorkers workers = slots.workers;
    if (workers != null || slots.refused) return workers;
    synchronized (slots) {
      if (slots.workers == null && !slots.refused) {
        workers = new SlotWorkers(handle, false, null, 0);
        if (workers.listen()) {
          slots.workers = workers;
        } else {
          slots.refused = true;
        }
      }
      return slots.workers;
    }
  }

  /**
   * Submits task: on a Java worker holding a slot (no task queue), else
   * through the native pool. timeoutMs: -1 waits as long as needed.
   */
  int submitTask(Runnable task, long timeoutMs) {
    try {
      if (slotWorkers() != null) {
        int rc = submitToSlots(task, timeoutMs);
        if (rc != SlotWorkers.NO_SLOTS) return rc;
      }
      return Native.submit(handle, task, timeoutMs);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Runs task on a worker, blocking while the pool is full (ants' Submit).
   * Called from one of this pool's own tasks while the pool is saturated, the
   * task runs inline instead of waiting for a worker that may never come.
   *
   * @throws RejectedExecutionException if the pool is closed, overloaded
   *     (nonblocking, or maxBlockingTasks callers already blocked) or cannot
   *     start a thread; the cause is the AntsException for the status
   * @throws NullPointerException if task is null
   */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    int rc = submitTask(task, -1);
    if (rc != ants_status.ANTS_OK) {
      AntsException cause = AntsException.of(rc);
      throw new RejectedExecutionException(cause.getMessage(), cause);
    }
  }

  /**
   * {@link #execute} with libants' exceptions: runs task on a worker,
   * blocking while the pool is full (ants' Submit).
   *
   * @throws PoolClosedException if the pool is released
   * @throws PoolOverloadException if nonblocking, or maxBlockingTasks callers already wait
   */
  public void submitBlocking(Runnable task) {
    Objects.requireNonNull(task, "task");
    AntsException.check(submitTask(task, -1));
  }

  /**
   * As {@link #submitBlocking(Runnable)}, but waits at most timeout for a
   * worker (zero or negative: do not wait).
   *
   * @throws AntsTimeoutException if no worker freed up in time
   */
  public void submitBlocking(Runnable task, Duration timeout) {
    Objects.requireNonNull(task, "task");
    long ms = PoolOptions.ceilMillis(timeout);
    AntsException.check(submitTask(task, ms < 0 ? 0 : ms));
  }

  /**
   * Runs task on a worker (blocking while the pool is full, as execute) and
   * returns its Future: get() gives null, or what the task threw as an
   * ExecutionException; cancel(true) interrupts it if running.
   */
  @Override
  public Future<?> submit(Runnable task) {
    return futures.submit(task);
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return futures.submit(task, result);
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return futures.submit(task);
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    return futures.invokeAll(tasks);
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
                                       TimeUnit unit) throws InterruptedException {
    return futures.invokeAll(tasks, timeout, unit);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    return futures.invokeAny(tasks);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return futures.invokeAny(tasks, timeout, unit);
  }

  /**
   * ExecutorService.shutdownNow(): releases the pool, interrupts the running
   * tasks and returns the queued ones that never started (those given to
   * submit are their FutureTasks). Tasks started from now on (those that
   * were already taken by a worker) start interrupted, until reboot().
   */
  @Override
  public List<Runnable> shutdownNow() {
    callbacks.stopping = true;
    release();
    List<Runnable> never = cancelQueued();
    for (Thread worker : callbacks.workers) worker.interrupt();
    return never;
  }

  /**
   * Removes the tasks waiting in the task queue ({@link PoolOptions.Builder#queueSize})
   * that no worker has started, and returns them, as
   * {@code ExecutorService.shutdownNow()} does; they will not run. Running
   * tasks are not touched; the pool stays open. Empty without a queue.
   */
  @SuppressWarnings("unchecked")
  public List<Runnable> cancelQueued() {
    return (List<Runnable>) (List<?>) cancelQueuedTasks();
  }
}
