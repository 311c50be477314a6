package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.libants.TestSupport.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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
      pool.submit(() -> {
        before.set(Thread.currentThread());
        throw runtime;
      });
      pool.submit(() -> {
        throw error;
      });
      await(handled);
      CountDownLatch ran = new CountDownLatch(1);
      pool.submit(() -> {
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
      pool.submit(() -> {
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
      pool.submit(() -> {
        throw new IllegalStateException("task broke");
      });
      await(one);
      CountDownLatch ran = new CountDownLatch(1);
      pool.submit(ran::countDown);
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
      pool.submit(() -> {});
    } catch (AntsException e) {
      assertTrue(e instanceof PoolClosedException);
      assertEquals(-4, e.code());
      assertTrue(e.getMessage(), e.getMessage().contains("closed"));
      return;
    }
    throw new AssertionError("submit to a closed pool succeeded");
  }
}
