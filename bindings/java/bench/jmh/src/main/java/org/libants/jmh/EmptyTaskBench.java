package org.libants.jmh;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.libants.Pool;
import org.libants.PoolWithFunc;
import org.libants.PoolOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per task of execute() for empty tasks: one submitting thread hands
 * BATCH tasks to an executor of `concurrency` threads and waits until all
 * ran. Score = ns per task (the hand-off, the run, the bookkeeping).
 *
 * <ul>
 *   <li>ants: libants Pool, ants' model - no queue, a full pool blocks the caller
 *   <li>antsFunc: libants PoolWithFunc in ants' model; the task is its argument (invoke)
 *   <li>antsQueue: libants Pool with queueSize(1024) (a batch fills it: the submitter then blocks)
 *   <li>antsQueue16k: libants Pool with queueSize(16384) (a batch never fills it, as an
 *       unbounded LinkedBlockingQueue never blocks the submitter)
 *   <li>tpeLinked: ThreadPoolExecutor(n, n) + LinkedBlockingQueue
 *   <li>tpeSynchronous: ThreadPoolExecutor(n, n) + SynchronousQueue, the caller
 *       blocking while all threads are busy - ants' semantics in the JDK
 *   <li>forkJoin: new ForkJoinPool(n), external submissions
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(EmptyTaskBench.BATCH)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EmptyTaskBench {
  static final int BATCH = 10_000;

  @Param({"ants", "antsFunc", "antsQueue", "antsQueue16k", "tpeLinked", "tpeSynchronous",
      "forkJoin"})
  public String executor;

  @Param({"2"})
  public int concurrency;

  private ExecutorService ex;
  /** antsFunc: each task is an invoke of this pool's function (count a latch down). */
  private PoolWithFunc<CountDownLatch> func;

  /** SynchronousQueue refuses when every thread is busy; wait for one instead. */
  private static final RejectedExecutionHandler BLOCK = (r, pool) -> {
    try {
      pool.getQueue().put(r);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };

  @Setup
  public void setUp() {
    int n = concurrency;
    switch (executor) {
      case "ants":
        ex = new Pool(n);
        break;
      case "antsFunc":
        func = new PoolWithFunc<>(n, CountDownLatch::countDown);
        break;
      case "antsQueue":
        ex = new Pool(n, PoolOptions.builder().queueSize(1024).build());
        break;
      case "antsQueue16k":
        ex = new Pool(n, PoolOptions.builder().queueSize(16384).build());
        break;
      case "tpeLinked":
        ex = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        break;
      case "tpeSynchronous":
        ex = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), BLOCK);
        break;
      case "forkJoin":
        ex = new ForkJoinPool(n);
        break;
      default:
        throw new IllegalArgumentException(executor);
    }
  }

  @TearDown
  public void tearDown() throws InterruptedException {
    if (func != null) {
      func.close();
      return;
    }
    ex.shutdown();
    ex.awaitTermination(1, TimeUnit.MINUTES);
  }

  @Benchmark
  public void emptyTasks() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(BATCH);
    if (func != null) {
      for (int i = 0; i < BATCH; i++) func.invoke(done);
    } else {
      Runnable task = done::countDown;
      for (int i = 0; i < BATCH; i++) ex.execute(task);
    }
    done.await();
  }
}
