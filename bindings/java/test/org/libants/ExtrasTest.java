package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.libants.TestSupport.await;
import static org.libants.TestSupport.blocker;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

/** libants extensions (issue 8) in Java form, and process exit with live workers. */
public class ExtrasTest {
  @Test
  public void testAwaitIdleKeepsThePoolOpen() {
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch gate = new CountDownLatch(1);
    try (Pool pool = new Pool(2)) {
      pool.submitBlocking(blocker(started, gate));
      pool.submitBlocking(blocker(started, gate));
      await(started);
      assertFalse(pool.awaitIdle(Duration.ofMillis(1)));
      gate.countDown();
      assertTrue(pool.awaitIdle(Duration.ofSeconds(30)));
      assertFalse(pool.isClosed());
      assertEquals(0, pool.busy());
    }
  }

  @Test
  public void testAwaitIdleFromOwnTaskWouldDeadlock() {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    try (Pool pool = new Pool(2)) {
      pool.submitBlocking(() -> {
        try {
          pool.awaitIdle();
        } catch (Throwable t) {
          thrown.set(t);
        }
        done.countDown();
      });
      await(done);
    }
    assertTrue(String.valueOf(thrown.get()), thrown.get() instanceof WouldDeadlockException);
  }

  @Test
  public void testSubmitWithTimeout() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    try (Pool pool = new Pool(1)) {
      pool.submitBlocking(blocker(started, gate));
      await(started);
      assertThrows(AntsTimeoutException.class, () -> pool.submitBlocking(() -> {}, Duration.ofMillis(5)));
      assertThrows(AntsTimeoutException.class, () -> pool.submitBlocking(() -> {}, Duration.ZERO));
      assertEquals(0, pool.waiting());
      gate.countDown();
      CountDownLatch ran = new CountDownLatch(1);
      pool.submitBlocking(ran::countDown, Duration.ofSeconds(30));
      await(ran);
    }
    assertEquals(0, Native.outstandingTaskRefs()); // refused tasks' references were dropped
  }

  @Test
  public void testTaskGroupAcrossPools() {
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger handled = new AtomicInteger();
    PoolOptions opts = PoolOptions.builder().panicHandler(t -> handled.incrementAndGet()).build();
    try (Pool a = new Pool(2, opts);
         PoolWithFunc<Integer> b = new PoolWithFunc<>(2, i -> {
           if (i < 0) throw new IllegalArgumentException("negative");
           ran.incrementAndGet();
         }, opts);
         TaskGroup group = new TaskGroup()) {
      for (int i = 0; i < 50; i++) {
        int n = i;
        group.submit(a, () -> {
          if (n % 10 == 0) throw new IllegalStateException("every tenth");
          ran.incrementAndGet();
        });
        group.invoke(b, n % 25 == 0 ? -1 : n);
      }
      group.await();
      assertEquals(0, group.pending());
      assertEquals(5 + 2, group.failed());
      assertEquals(100 - 7, ran.get());
      assertEquals(7, handled.get()); // the panic handler still ran for each
    }
  }

  @Test
  public void testTaskGroupAwaitTimeout() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    try (Pool pool = new Pool(1); TaskGroup group = new TaskGroup()) {
      group.submit(pool, blocker(started, gate));
      await(started);
      assertFalse(group.await(Duration.ofMillis(1)));
      assertEquals(1, group.pending());
      gate.countDown();
      assertTrue(group.await(Duration.ofSeconds(30)));
    }
  }

  @Test
  public void testQueueSizeQueuesInsteadOfBlocking() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch all = new CountDownLatch(3);
    PoolOptions opts = PoolOptions.builder().queueSize(2).nonblocking(true).build();
    try (Pool pool = new Pool(1, opts)) {
      pool.submitBlocking(blocker(started, gate));
      await(started);
      pool.submitBlocking(all::countDown); // queued, not refused
      pool.submitBlocking(all::countDown);
      assertEquals(2, pool.queued());
      assertThrows(PoolOverloadException.class, () -> pool.submitBlocking(() -> {}));
      gate.countDown();
      all.countDown();
      await(all);
    }
  }

  @Test
  public void testCloseRunsQueuedTasks() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    Pool pool = new Pool(1, PoolOptions.builder().queueSize(16).build());
    pool.submitBlocking(blocker(started, gate));
    await(started);
    for (int i = 0; i < 16; i++) pool.submitBlocking(ran::incrementAndGet);
    pool.release(); // accepted, so they still run
    assertThrows(PoolClosedException.class, () -> pool.submitBlocking(() -> {}));
    gate.countDown();
    pool.close();
    assertEquals(16, ran.get());
  }

  @Test
  public void testCancelQueuedReturnsTheTasksThatDidNotRun() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    try (Pool pool = new Pool(1, PoolOptions.builder().queueSize(8).build());
         TaskGroup group = new TaskGroup()) {
      pool.submitBlocking(blocker(started, gate));
      await(started);
      Runnable a = ran::incrementAndGet;
      Runnable b = ran::incrementAndGet;
      Runnable c = ran::incrementAndGet;
      pool.submitBlocking(a);
      pool.submitBlocking(b);
      group.submit(pool, c);
      List<Runnable> cancelled = pool.cancelQueued();
      assertEquals(3, cancelled.size());
      assertTrue(cancelled.contains(a) && cancelled.contains(b) && cancelled.contains(c));
      assertEquals(0, pool.queued());
      assertTrue(group.await(Duration.ofSeconds(30))); // a cancelled member counts as finished
      gate.countDown();
      pool.awaitIdle();
      assertFalse(pool.isClosed());
      assertTrue(pool.cancelQueued().isEmpty());
    }
    assertEquals(0, ran.get());
    assertEquals(0, Native.outstandingTaskRefs());
    try (PoolWithFunc<String> pool = new PoolWithFunc<>(1, s -> {}, PoolOptions.defaults())) {
      assertTrue(pool.cancelQueued().isEmpty()); // no queue: nothing to cancel
    }
  }

  private static Process spawn(String mode) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb = new ProcessBuilder(List.of(java,
        "-Djava.library.path=" + System.getProperty("java.library.path"),
        "-cp", System.getProperty("java.class.path"),
        ExitWithWorkers.class.getName(), mode));
    pb.inheritIO();
    return pb.start();
  }

  /** Runs ExitWithWorkers in a child JVM, which must end with exitCode. */
  private static void assertExitsPromptly(String mode, int exitCode) throws Exception {
    Process p = spawn(mode);
    boolean exited = p.waitFor(TestSupport.DEADLINE_MS, TimeUnit.MILLISECONDS);
    if (!exited) p.destroyForcibly();
    assertTrue("JVM hung on exit with " + mode + " workers", exited);
    assertEquals(exitCode, p.exitValue());
  }

  @Test
  public void testSystemExitWithBusyWorkersDoesNotHang() throws Exception {
    assertExitsPromptly("busy", ExitWithWorkers.EXIT_CODE);
  }

  @Test
  public void testSystemExitWithIdleWorkersDoesNotHang() throws Exception {
    assertExitsPromptly("idle", ExitWithWorkers.EXIT_CODE);
  }

  @Test
  public void testMainReturningWithBusyWorkersDoesNotHang() throws Exception {
    assertExitsPromptly("return", 0);
  }

  @Test
  public void testWorkersExpiringDuringShutdownDoNotHang() throws Exception {
    assertExitsPromptly("expiring", 0);
  }
}
