package org.libants;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A pool whose tasks all run one function (ants' PoolWithFunc): tasks are
 * given as arguments with {@link #invoke(Object)}. Rules as for {@link Pool}.
 */
public class PoolWithFunc<T> extends AbstractPool {
  public PoolWithFunc(int size, Consumer<? super T> func) {
    this(size, func, PoolOptions.defaults());
  }

  public PoolWithFunc(int size, Consumer<? super T> func, PoolOptions options) {
    this(options, func, (out, opts) -> Native.poolWithFuncNew(out, size, opts));
  }

  PoolWithFunc(PoolOptions options, Consumer<? super T> func, Constructor constructor) {
    this(options, new Dispatcher<T>(Objects.requireNonNull(func, "func")), constructor);
  }

  private PoolWithFunc(PoolOptions options, Dispatcher<T> dispatcher, Constructor constructor) {
    super(options, dispatcher, constructor);
    this.dispatcher = dispatcher;
    startSlotWorkers(options);
  }

  /**
   * The function with the group unwrapping; what Java workers on slots run
   * (native workers call it through Callbacks).
   */
  private final Dispatcher<T> dispatcher;

  /**
   * Runs the function with arg (which may be null) on a worker, blocking while
   * the pool is full.
   *
   * @throws PoolClosedException if the pool is released
   * @throws PoolOverloadException if nonblocking, or maxBlockingTasks callers already wait
   */
  public void invoke(T arg) {
    AntsException.check(invokeTask(arg, -1));
  }

  /**
   * As {@link #invoke(Object)}, but waits at most timeout for a worker
   * (zero or negative: do not wait).
   *
   * @throws AntsTimeoutException if no worker freed up in time
   */
  public void invoke(T arg, Duration timeout) {
    long ms = PoolOptions.ceilMillis(timeout);
    AntsException.check(invokeTask(arg, ms < 0 ? 0 : ms));
  }

  /**
   * Runs the function with arg (or a group member) on a Java worker holding
   * a slot (ants' model, as Pool does), else on a native worker; an ants.h
   * status. timeoutMs &lt; 0: as long as needed.
   */
  int invokeTask(Object arg, long timeoutMs) {
    try {
      int rc = submitToSlots(() -> dispatcher.accept(arg), timeoutMs);
      if (rc != SlotWorkers.NO_SLOTS) return rc;
      return Native.invoke(handle, arg, timeoutMs);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Runs the function on a group member here, on a Java worker (TaskGroup.invoke). */
  void runMember(Object member) {
    dispatcher.accept(member);
  }

  /**
   * Removes the arguments waiting in the task queue that no worker has
   * started, and returns them; the function will not run for them. Empty
   * without a queue.
   */
  @SuppressWarnings("unchecked")
  public List<T> cancelQueued() {
    return (List<T>) (List<?>) cancelQueuedTasks();
  }

  /**
   * The function native code calls. Arguments sent through a TaskGroup come
   * wrapped, so that the group can count the ones that threw.
   */
  static final class Dispatcher<T> implements Consumer<Object> {
    private final Consumer<? super T> func;

    Dispatcher(Consumer<? super T> func) {
      this.func = func;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void accept(Object arg) {
      if (arg instanceof TaskGroup.Member) {
        ((TaskGroup.Member) arg).invoke(func);
      } else {
        func.accept((T) arg);
      }
    }
  }
}
