package org.libants;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A pool of at most {@code size} native worker threads running Runnables,
 * with ants' semantics: an idle worker is reused, else a new one starts while
 * below capacity, else the caller blocks (or, nonblocking, is refused).
 *
 * <pre>{@code
 * try (Pool pool = new Pool(8)) {
 *   pool.execute(() -> System.out.println("hello from " + Thread.currentThread().getName()));
 * } // close(): releases the pool and waits until every accepted task ran
 * }</pre>
 *
 * <p>A Throwable thrown by a task goes to the options' panic handler (default:
 * the logger); the worker, the pool and the JVM survive. Workers are daemon
 * threads: System.exit never waits for them.
 */
public class Pool extends AbstractPool implements Executor {
  /** A pool of at most size workers (size &lt;= 0: unlimited) with default options. */
  public Pool(int size) {
    this(size, PoolOptions.defaults());
  }

  public Pool(int size, PoolOptions options) {
    this(options, (out, opts) -> AntsC.ants_pool_new(out, size, opts), false);
  }

  Pool(PoolOptions options, Constructor constructor, boolean isDefault) {
    super(options, null, constructor, isDefault);
  }

  private static final class DefaultHolder {
    static final Pool POOL = new Pool(PoolOptions.defaults(),
        (out, opts) -> AntsC.ants_pool_new(out, AntsCConstants.ANTS_DEFAULT_POOL_SIZE, opts), true);
  }

  /**
   * The process-wide default pool (ants' default pool), of
   * ANTS_DEFAULT_POOL_SIZE (4096) workers, created on first use. close() on
   * it is a no-op; release() and reboot() work as on any pool.
   */
  public static Pool defaultPool() {
    return DefaultHolder.POOL;
  }

  /**
   * Runs task on a worker; the {@link Executor} form of {@link #submit(Runnable)}.
   *
   * @throws RejectedExecutionException if the pool is closed, overloaded
   *     (nonblocking, or maxBlockingTasks callers already blocked) or cannot
   *     start a thread; the cause is the AntsException for the status
   * @throws NullPointerException if task is null
   */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    int rc;
    try {
      rc = Native.submit(handle, task, -1);
    } finally {
      Reference.reachabilityFence(this);
    }
    if (rc != ants_status.ANTS_OK) {
      AntsException cause = AntsException.of(rc);
      throw new RejectedExecutionException(cause.getMessage(), cause);
    }
  }

  /**
   * Runs task on a worker, blocking while the pool is full (ants' Submit).
   * Called from one of this pool's own tasks while the pool is saturated, the
   * task runs inline instead of waiting for a worker that may never come.
   *
   * @throws PoolClosedException if the pool is released
   * @throws PoolOverloadException if nonblocking, or maxBlockingTasks callers already wait
   */
  public void submit(Runnable task) {
    Objects.requireNonNull(task, "task");
    try {
      AntsException.check(Native.submit(handle, task, -1));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * As {@link #submit(Runnable)}, but waits at most timeout for a worker
   * (zero or negative: do not wait).
   *
   * @throws AntsTimeoutException if no worker freed up in time
   */
  public void submit(Runnable task, Duration timeout) {
    Objects.requireNonNull(task, "task");
    long ms = PoolOptions.ceilMillis(timeout);
    try {
      AntsException.check(Native.submit(handle, task, ms < 0 ? 0 : ms));
    } finally {
      Reference.reachabilityFence(this);
    }
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
