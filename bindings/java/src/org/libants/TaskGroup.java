package org.libants;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongToIntFunction;

/**
 * A set of tasks, possibly across pools, that can be waited for - a
 * {@code sync.WaitGroup} that counts itself (libants extension, ants_group_*).
 *
 * <pre>{@code
 * try (TaskGroup group = new TaskGroup()) {
 *   for (Path f : files) group.submit(pool, () -> index(f));
 *   group.await();
 *   if (group.failed() > 0) ...
 * }
 * }</pre>
 *
 * <p>Only accepted tasks join the group. A task that throws still goes to its
 * pool's panic handler and is counted by {@link #failed()}.
 */
public final class TaskGroup implements AutoCloseable {
  private final long handle;
  private final AtomicInteger failed = new AtomicInteger();
  /** The groups whose members this thread runs on a Java worker, innermost last. */
  private static final ThreadLocal<List<TaskGroup>> RUNNING = ThreadLocal.withInitial(ArrayList::new);

  public TaskGroup() {
    long[] out = new long[1];
    AntsException.check(AntsC.ants_group_new(out));
    handle = out[0];
    long h = handle;
    // Freed when unreachable, so that a close() racing a submit never frees
    // memory still in use; ants_group_free waits for pending tasks itself.
    AbstractPool.CLEANER.register(this, () -> AntsC.ants_group_free(h));
  }

  /** A task or argument travelling with its group, to count its failure. */
  final class Member implements Runnable {
    private final Runnable task;
    private final Object arg;

    Member(Runnable task, Object arg) {
      this.task = task;
      this.arg = arg;
    }

    /** What the caller submitted: the task, or the argument for invoke. */
    Object unwrap() {
      return task != null ? task : arg;
    }

    @Override
    public void run() {
      try {
        task.run();
      } catch (Throwable t) {
        failed.incrementAndGet();
        throw t; // on to the pool's panic handler
      }
    }

    @SuppressWarnings("unchecked")
    <T> void invoke(Consumer<? super T> func) {
      try {
        func.accept((T) arg);
      } catch (Throwable t) {
        failed.incrementAndGet();
        throw t;
      }
    }
  }

  /**
   * Submits task to pool as a member of this group (rules of Pool.submit).
   *
   * @throws PoolClosedException, PoolOverloadException as Pool.submit
   */
  public void submit(Pool pool, Runnable task) {
    Objects.requireNonNull(task, "task");
    Member member = new Member(task, null);
    if (pool.slotWorkers() != null) {
      int rc = submitToSlots(pool, member::run);
      if (rc != SlotWorkers.NO_SLOTS) {
        AntsException.check(rc);
        return;
      }
    }
    AntsException.check(call(g -> pool.call(p -> Native.groupSubmit(g, p, member))));
  }

  /** Invokes pool's function with arg as a member of this group (rules of invoke). */
  public <T> void invoke(PoolWithFunc<T> pool, T arg) {
    Member member = new Member(null, arg);
    if (pool.slots.workers != null) {
      int rc = submitToSlots(pool, () -> pool.runMember(member));
      if (rc != SlotWorkers.NO_SLOTS) {
        AntsException.check(rc);
        return;
      }
    }
    AntsException.check(call(g -> pool.call(p -> Native.groupInvoke(g, p, member))));
  }

  /**
   * Runs a member on a Java worker of pool (SlotWorkers): the group counts
   * it by hand, from its acceptance until it finished. An ants.h status,
   * or SlotWorkers.NO_SLOTS if pool turns out to take none (the member then
   * goes the native way).
   */
  private int submitToSlots(AbstractPool pool, Runnable member) {
    AntsException.check(call(AntsC::ants_group_enter));
    int rc = pool.submitToSlots(() -> {
      List<TaskGroup> running = RUNNING.get();
      running.add(this);
      try {
        member.run();
      } finally {
        running.remove(running.size() - 1);
        AntsC.ants_group_leave(handle, 0); // its failure is counted by Member
      }
    }, -1);
    if (rc != ants_status.ANTS_OK) call(g -> AntsC.ants_group_leave(g, 0));
    return rc;
  }

  /** Calls op with the handle, keeping this group reachable until it returned. */
  private int call(LongToIntFunction op) {
    return Handles.call(this, handle, op);
  }

  /**
   * Waits until every task submitted so far has finished.
   *
   * @throws WouldDeadlockException if called from a task of this group
   */
  public void await() {
    awaitMillis(-1);
  }

  /**
   * As {@link #await()}, for at most timeout (zero or negative: just check);
   * false if tasks were still pending.
   */
  public boolean await(Duration timeout) {
    long ms = PoolOptions.ceilMillis(timeout);
    return awaitMillis(ms < 0 ? 0 : ms);
  }

  private boolean awaitMillis(long ms) {
    // The engine recognises its own workers running a member; members on
    // Java workers (SlotWorkers) are recognised here.
    if (RUNNING.get().contains(this)) throw new WouldDeadlockException();
    int rc = call(g -> AntsC.ants_group_wait(g, ms));
    if (rc == ants_status.ANTS_ERR_TIMEOUT) return false;
    AntsException.check(rc);
    return true;
  }

  /** Tasks accepted and not yet finished. */
  public int pending() {
    return call(AntsC::ants_group_pending);
  }

  /** Tasks of this group that threw. */
  public int failed() {
    // The engine counts C++ exceptions; Java ones are counted here.
    return failed.get() + call(AntsC::ants_group_panicked);
  }

  /** Waits for the pending tasks (as ants_group_free does). */
  @Override
  public void close() {
    await();
  }
}
