package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/**
 * A million tasks leave nothing behind: every JNI reference taken for a task
 * is deleted after it ran, and the heap does not grow with the task count.
 */
public class LeakTest {
  private static final int TASKS = 1_000_000;

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // Several rounds: one System.gc() is a hint, the minimum is the live set.
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static void runTasks(Pool pool, PoolWithFunc<Object> funcPool, int n, AtomicLong ran) {
    for (int i = 0; i < n; i++) {
      if ((i & 1) == 0) {
        pool.execute(ran::incrementAndGet);
      } else {
        funcPool.invoke(i); // boxed Integers: a reference per argument too
      }
    }
    pool.awaitIdle();
    funcPool.awaitIdle();
  }

  @Test
  public void testMillionTasksLeakNoReferencesAndNoHeap() {
    AtomicLong ran = new AtomicLong();
    // A task queue lets the submitter run ahead of the workers instead of
    // waking one per task: the million tasks take seconds, not minutes, on a
    // loaded machine. The reference path is the same with or without it.
    PoolOptions queued = PoolOptions.builder().queueSize(1024).build();
    try (Pool pool = new Pool(4, queued);
         PoolWithFunc<Object> funcPool = new PoolWithFunc<>(4, x -> ran.incrementAndGet(), queued)) {
      runTasks(pool, funcPool, 100_000, ran); // warm-up: JIT, workers, class loading
      long before = usedHeapAfterGc();
      long refsBefore = Native.outstandingTaskRefs();
      runTasks(pool, funcPool, TASKS, ran);
      long after = usedHeapAfterGc();
      assertEquals(100_000L + TASKS, ran.get());
      assertEquals(0, refsBefore);
      assertEquals(0, Native.outstandingTaskRefs());
      // A leak of even one small object per task would be tens of MB.
      long growth = after - before;
      assertTrue("heap grew by " + growth + " bytes over " + TASKS + " tasks",
          growth < 8L * 1024 * 1024);
    }
  }

  @Test
  public void testQueuedTasksSurviveGarbageCollection() {
    // Queued tasks are reachable only through the JNI references the pool
    // holds: collecting them here would crash the JVM when they run.
    AtomicLong ran = new AtomicLong();
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    try (Pool pool = new Pool(1, PoolOptions.builder().queueSize(1000).build())) {
      pool.execute(TestSupport.blocker(started, gate));
      TestSupport.await(started);
      for (int i = 0; i < 1000; i++) {
        long[] payload = new long[16]; // garbage unless the task stays referenced
        payload[0] = 1;
        pool.execute(() -> ran.addAndGet(payload[0]));
      }
      assertEquals(1000, pool.queued());
      for (int i = 0; i < 3; i++) System.gc();
      gate.countDown();
      pool.awaitIdle();
    }
    assertEquals(1000, ran.get());
    assertEquals(0, Native.outstandingTaskRefs());
  }

  @Test
  public void testThrowingTasksLeakNothing() {
    AtomicLong handled = new AtomicLong();
    PoolOptions opts = PoolOptions.builder().panicHandler(t -> handled.incrementAndGet()).build();
    try (Pool pool = new Pool(2, opts)) {
      RuntimeException shared = new RuntimeException("shared");
      for (int i = 0; i < 100_000; i++) {
        pool.execute(() -> {
          throw shared;
        });
      }
      pool.awaitIdle();
    }
    assertEquals(100_000, handled.get());
    assertEquals(0, Native.outstandingTaskRefs());
  }
}
