package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.libants.TestSupport.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

/** A Throwable escaping a task: handled, and the worker, pool and JVM survive. */
public class TaskExceptionTest {
  @Test
  public void testPanicHandlerGetsTheThrowableAndWorkerSurvives() {
    List<Throwable> got = new CopyOnWriteArrayList<>();
    CountDownLatch handled = new CountDownLatch(2);
    PoolOptions opts = PoolOptions.builder().disablePurge(true).panicHandler(t -> {
      got.add(t);
      handled.countDown();
    }).build();
    RuntimeException runtime = new RuntimeException("runtime");
    AssertionError error = new AssertionError("error");
    AtomicReference<Thread> before = new AtomicReference<>();
    AtomicReference<Thread> after = new AtomicReference<>();
    try (Pool pool = new Pool(1, opts)) {
      pool.submitBlocking(() -> {
        before.set(Thread.currentThread());
        throw runtime;
      });
      pool.submitBlocking(() -> {
        throw error;
      });
      await(handled);
      CountDownLatch ran = new CountDownLatch(1);
      pool.submitBlocking(() -> {
        after.set(Thread.currentThread());
        ran.countDown();
      });
      await(ran);
      assertEquals(1, pool.running());
    }
    assertSame(runtime, got.get(0));
    assertSame(error, got.get(1));
    assertSame(before.get(), after.get()); // the same worker went on serving
  }

  @Test
  public void testDefaultHandlerLogsTheStackTrace() {
    List<String> logged = new CopyOnWriteArrayList<>();
    CountDownLatch one = new CountDownLatch(1);
    PoolOptions opts = PoolOptions.builder().logger(m -> {
      logged.add(m);
      one.countDown();
    }).build();
    try (Pool pool = new Pool(1, opts)) {
      pool.submitBlocking(() -> {
        throw new IllegalStateException("kaboom");
      });
      await(one);
    }
    assertTrue(logged.get(0), logged.get(0).contains("IllegalStateException: kaboom"));
    assertTrue(logged.get(0), logged.get(0).contains("TaskExceptionTest"));
  }

  @Test
  public void testThrowingPanicHandlerFallsBackToLogger() {
    List<String> logged = new CopyOnWriteArrayList<>();
    CountDownLatch one = new CountDownLatch(1);
    PoolOptions opts = PoolOptions.builder()
        .panicHandler(t -> {
          throw new IllegalArgumentException("handler broke");
        })
        .logger(m -> {
          logged.add(m);
          one.countDown();
        })
        .build();
    try (Pool pool = new Pool(1, opts)) {
      pool.submitBlocking(() -> {
        throw new IllegalStateException("task broke");
      });
      await(one);
      CountDownLatch ran = new CountDownLatch(1);
      pool.submitBlocking(ran::countDown);
      await(ran);
    }
    assertTrue(logged.get(0).contains("task broke"));
    assertTrue(logged.get(0).contains("handler broke"));
  }

  @Test
  public void testExceptionCarriesItsCode() {
    Pool pool = new Pool(1);
    pool.close();
    try {
      pool.submitBlocking(() -> {});
    } catch (AntsException e) {
      assertTrue(e instanceof PoolClosedException);
      assertEquals(-4, e.code());
      assertTrue(e.getMessage(), e.getMessage().contains("closed"));
      return;
    }
    throw new AssertionError("submit to a closed pool succeeded");
  }

  private static int recurse(int n) {
    return n == Integer.MIN_VALUE ? n : recurse(n + 1) + 1;
  }

  @Test
  public void testStackOverflowErrorIsReportedAndCounted() {
    List<Throwable> got = new CopyOnWriteArrayList<>();
    CountDownLatch handled = new CountDownLatch(1);
    PoolOptions opts = PoolOptions.builder().panicHandler(t -> {
      got.add(t);
      handled.countDown();
    }).build();
    try (Pool pool = new Pool(1, opts)) {
      pool.submitBlocking(() -> recurse(0));
      await(handled);
      pool.awaitIdle();
      assertEquals(1, pool.failedTasks());
    }
    assertTrue(got.get(0) instanceof StackOverflowError);
  }

  private static final int DEPTH = 100_000;

  /** A pool of one worker whose task submits the next level into it: every level runs inline. */
  private static void recursiveSubmit(Pool pool, AtomicInteger ran, int level) {
    ran.incrementAndGet();
    if (level < DEPTH) pool.submitBlocking(() -> recursiveSubmit(pool, ran, level + 1));
  }

  /**
   * Issue 17, item 1: nesting 100,000 levels deep once printed ran=4516 and
   * nothing else - a StackOverflowError swallowed on the handler path.
   * Whatever the engine's bound on inline nesting, an Error must never be
   * lost silently: if not every level ran, one was reported and counted.
   */
  @Test
  public void testDeepRecursiveSubmitNeverLosesAnErrorSilently() {
    List<Throwable> got = new CopyOnWriteArrayList<>();
    AtomicInteger ran = new AtomicInteger();
    PoolOptions opts = PoolOptions.builder().panicHandler(got::add).build();
    try (Pool pool = new Pool(1, opts)) {
      pool.submitBlocking(() -> recursiveSubmit(pool, ran, 1));
      pool.awaitIdle();
      if (ran.get() != DEPTH) {
        assertTrue("ran=" + ran.get() + " failed=" + pool.failedTasks() + " got=" + got, pool.failedTasks() > 0);
        assertTrue("ran=" + ran.get() + " and no Error reported",
            got.stream().anyMatch(t -> t instanceof StackOverflowError));
      }
    }
  }

  /**
   * Issue 17, item 1, the whole contract: the engine runs nested submits
   * inline only ANTS_MAX_INLINE_DEPTH deep and defers deeper ones to the
   * same worker, so every level runs, once, on a bounded stack.
   */
  @Test
  public void testRecursiveSubmitIntoFullPoolAtDepth100000RunsEveryTaskOnce() {
    AtomicInteger ran = new AtomicInteger();
    try (Pool pool = new Pool(1)) {
      pool.submitBlocking(() -> recursiveSubmit(pool, ran, 1));
      pool.awaitIdle();
      assertEquals(0, pool.failedTasks());
    }
    assertEquals(DEPTH, ran.get());
  }
}
