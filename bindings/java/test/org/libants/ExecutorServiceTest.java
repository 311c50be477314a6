package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.libants.TestSupport.await;
import static org.libants.TestSupport.blocker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/** Pool and MultiPool as java.util.concurrent.ExecutorService. */
public class ExecutorServiceTest {
  private static final long WAIT = TestSupport.DEADLINE_MS;

  /** A task that waits (at most until the deadline) to be interrupted. */
  private static Runnable untilInterrupted(CountDownLatch started, CountDownLatch interrupted) {
    return () -> {
      started.countDown();
      try {
        new CountDownLatch(1).await(WAIT, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    };
  }

  @Test
  public void testSubmitCallableGivesItsValue() throws Exception {
    try (Pool pool = new Pool(2)) {
      ExecutorService executor = pool;
      Future<Integer> f = executor.submit(() -> 6 * 7);
      assertEquals(42, (int) f.get(WAIT, TimeUnit.MILLISECONDS));
      assertNull(executor.submit(() -> {}).get(WAIT, TimeUnit.MILLISECONDS));
      assertEquals("done", executor.submit(() -> {}, "done").get(WAIT, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  public void testSubmitCallableExceptionIsExecutionExceptionNotPanic() throws Exception {
    AtomicInteger panics = new AtomicInteger();
    try (Pool pool = new Pool(1, PoolOptions.builder().panicHandler(t -> panics.incrementAndGet()).build())) {
      IllegalStateException thrown = new IllegalStateException("from the task");
      Future<Object> f = pool.submit(() -> {
        throw thrown;
      });
      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT, TimeUnit.MILLISECONDS));
      assertSame(thrown, e.getCause());
      pool.awaitIdle();
      assertEquals(0, panics.get()); // the Future holds it, as in ThreadPoolExecutor
      assertEquals(0, pool.failedTasks());
    }
  }

  @Test
  public void testCancelTrueInterruptsARunningTask() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    try (Pool pool = new Pool(1)) {
      Future<?> f = pool.submit(untilInterrupted(started, interrupted));
      await(started);
      assertTrue(f.cancel(true));
      await(interrupted);
      assertTrue(f.isCancelled());
      assertThrows(CancellationException.class, f::get);
      // The worker goes on, its interrupt flag cleared.
      assertFalse(pool.submit(() -> Thread.currentThread().isInterrupted()).get(WAIT, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  public void testShutdownLetsAcceptedTasksFinish() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    Pool pool = new Pool(1, PoolOptions.builder().queueSize(16).build());
    pool.execute(blocker(started, gate));
    await(started);
    List<Future<?>> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) queued.add(pool.submit(ran::incrementAndGet));
    pool.shutdown();
    assertTrue(pool.isShutdown());
    assertFalse(pool.isTerminated());
    assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> {}));
    assertFalse(pool.awaitTermination(0, TimeUnit.MILLISECONDS));
    gate.countDown();
    assertTrue(pool.awaitTermination(WAIT, TimeUnit.MILLISECONDS));
    assertTrue(pool.isTerminated());
    assertEquals(5, ran.get());
    for (Future<?> f : queued) assertTrue(f.isDone());
  }

  @Test
  public void testAwaitTerminationWaitsForAShutdownFromAnotherThread() throws Exception {
    Pool pool = new Pool(1);
    pool.execute(() -> {});
    Thread awaiting = Thread.currentThread();
    TestSupport.Caller closer = new TestSupport.Caller(() -> {
      // Shut down only once this thread sleeps inside awaitTermination, so
      // the test sees it woken by another thread's shutdown.
      TestSupport.waitUntil("awaitTermination waiting",
          () -> awaiting.getState() == Thread.State.TIMED_WAITING);
      pool.shutdown();
    });
    assertTrue(pool.awaitTermination(WAIT, TimeUnit.MILLISECONDS));
    assertNull(closer.result());
    assertTrue(pool.isTerminated());
  }

  @Test
  public void testShutdownNowReturnsWhatNeverStartedAndInterruptsRunning() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    Pool pool = new Pool(1, PoolOptions.builder().queueSize(16).build());
    pool.execute(untilInterrupted(started, interrupted));
    await(started);
    List<Runnable> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Runnable r = ran::incrementAndGet;
      queued.add(r);
      pool.execute(r);
    }
    Future<?> future = pool.submit(ran::incrementAndGet);
    List<Runnable> notRun = pool.shutdownNow();
    assertEquals(4, notRun.size());
    for (int i = 0; i < 3; i++) assertSame(queued.get(i), notRun.get(i));
    assertSame(future, notRun.get(3)); // submit's FutureTask, as in ThreadPoolExecutor
    await(interrupted);
    assertTrue(pool.awaitTermination(WAIT, TimeUnit.MILLISECONDS));
    assertEquals(0, ran.get());
    assertFalse(future.isDone());
  }

  @Test
  public void testInvokeAllAndInvokeAny() throws Exception {
    try (Pool pool = new Pool(3)) {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        tasks.add(() -> n * n);
      }
      List<Future<Integer>> results = pool.invokeAll(tasks);
      for (int i = 0; i < 20; i++) assertEquals(i * i, (int) results.get(i).get());
      int any = pool.invokeAny(tasks);
      assertTrue(any >= 0 && any <= 19 * 19);
      List<Callable<Integer>> failing = new ArrayList<>();
      failing.add(() -> {
        throw new IllegalStateException("only failures");
      });
      ExecutionException e = assertThrows(ExecutionException.class, () -> pool.invokeAny(failing));
      assertTrue(e.getCause() instanceof IllegalStateException);
    }
  }

  @Test
  public void testMultiPoolIsAnExecutorService() throws Exception {
    try (MultiPool pool = new MultiPool(2, 2, LoadBalancingStrategy.ROUND_ROBIN)) {
      ExecutorService executor = pool;
      List<Callable<String>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) tasks.add(() -> "ok");
      for (Future<String> f : executor.invokeAll(tasks)) assertEquals("ok", f.get());
      executor.shutdown();
      assertTrue(executor.awaitTermination(WAIT, TimeUnit.MILLISECONDS));
      assertTrue(executor.isTerminated());
    }
  }

  @Test
  public void testRebootAfterShutdownNowRunsTasksUninterrupted() throws Exception {
    Pool pool = new Pool(1);
    pool.shutdownNow();
    pool.reboot();
    assertFalse(pool.isShutdown());
    assertFalse(pool.submit(() -> Thread.currentThread().isInterrupted()).get(WAIT, TimeUnit.MILLISECONDS));
    pool.close();
  }
}
