package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.libants.TestSupport.await;
import static org.libants.TestSupport.blocker;
import static org.libants.TestSupport.waitUntil;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

/** The behavioural cases of the C suite (and of ants' own tests), through Pool. */
public class PoolTest {
  private static PoolOptions keepWorkers() {
    return PoolOptions.builder().disablePurge(true).build();
  }

  @Test
  public void testPoolRunsEveryTask() {
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(10_000);
    try (Pool pool = new Pool(8)) {
      for (int i = 0; i < 10_000; i++) {
        pool.submitBlocking(() -> {
          ran.incrementAndGet();
          done.countDown();
        });
      }
      await(done);
    }
    assertEquals(10_000, ran.get());
  }

  @Test
  public void testRunningCountsBusyAndIdleWorkers() {
    CountDownLatch started = new CountDownLatch(4);
    CountDownLatch gate = new CountDownLatch(1);
    try (Pool pool = new Pool(4, keepWorkers())) {
      for (int i = 0; i < 4; i++) pool.submitBlocking(blocker(started, gate));
      await(started);
      assertEquals(4, pool.cap());
      assertEquals(4, pool.running());
      assertEquals(4, pool.busy());
      assertEquals(0, pool.free());
      gate.countDown();
      pool.awaitIdle();
      assertEquals(0, pool.busy());
      assertEquals(4, pool.running()); // idle workers stay until they expire
    }
  }

  @Test
  public void testPoolTuneScaleUp() {
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch third = new CountDownLatch(1);
    try (Pool pool = new Pool(2)) {
      pool.submitBlocking(blocker(started, gate));
      pool.submitBlocking(blocker(started, gate));
      await(started);
      TestSupport.Caller caller = new TestSupport.Caller(() -> pool.submitBlocking(third::countDown));
      waitUntil("a caller blocked in submit", () -> pool.waiting() == 1);
      pool.tune(3);
      assertEquals(3, pool.cap());
      await(third);
      assertNull(caller.result());
      gate.countDown();
    }
  }

  @Test
  public void testTuneIsNoOpForPreAllocAndNonPositive() {
    try (Pool pool = new Pool(4, PoolOptions.builder().preAlloc(true).build())) {
      pool.tune(8);
      assertEquals(4, pool.cap());
    }
    try (Pool pool = new Pool(4)) {
      pool.tune(0);
      pool.tune(-3);
      assertEquals(4, pool.cap());
    }
  }

  @Test
  public void testNonblockingSubmit() {
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch gate = new CountDownLatch(1);
    try (Pool pool = new Pool(2, PoolOptions.builder().nonblocking(true).build())) {
      pool.submitBlocking(blocker(started, gate));
      pool.submitBlocking(blocker(started, gate));
      await(started);
      PoolOverloadException e = assertThrows(PoolOverloadException.class, () -> pool.submitBlocking(() -> {}));
      assertEquals(ants_status.ANTS_ERR_POOL_OVERLOAD, e.code());
      gate.countDown();
      pool.awaitIdle();
      CountDownLatch after = new CountDownLatch(1);
      pool.submitBlocking(after::countDown);
      await(after);
    }
  }

  @Test
  public void testMaxBlockingSubmit() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(1);
    try (Pool pool = new Pool(1, PoolOptions.builder().maxBlockingTasks(1).build())) {
      pool.submitBlocking(blocker(started, gate));
      await(started);
      TestSupport.Caller blocked = new TestSupport.Caller(() -> pool.submitBlocking(second::countDown));
      waitUntil("one caller blocked", () -> pool.waiting() == 1);
      assertThrows(PoolOverloadException.class, () -> pool.submitBlocking(() -> {}));
      gate.countDown();
      await(second);
      assertNull(blocked.result());
    }
  }

  @Test
  public void testReleaseWakesBlockedCallersWithPoolClosed() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    Pool pool = new Pool(1);
    pool.submitBlocking(blocker(started, gate));
    await(started);
    TestSupport.Caller blocked = new TestSupport.Caller(() -> pool.submitBlocking(() -> {}));
    waitUntil("one caller blocked", () -> pool.waiting() == 1);
    pool.release();
    assertTrue(pool.isClosed());
    assertTrue(blocked.result() instanceof PoolClosedException);
    assertThrows(PoolClosedException.class, () -> pool.submitBlocking(() -> {}));
    gate.countDown(); // the running task was not interrupted and finishes now
    pool.close();
  }

  @Test
  public void testReleaseTimeout() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    Pool pool = new Pool(2);
    pool.submitBlocking(blocker(started, gate));
    await(started);
    assertThrows(AntsTimeoutException.class, () -> pool.releaseTimeout(Duration.ofMillis(1)));
    assertTrue(pool.isClosed());
    gate.countDown();
    pool.releaseTimeout(Duration.ofSeconds(30)); // waits also after an earlier release
    assertEquals(0, pool.running());
  }

  @Test
  public void testRebootPool() {
    try (Pool pool = new Pool(2)) {
      pool.releaseTimeout(Duration.ofSeconds(30));
      assertThrows(PoolClosedException.class, () -> pool.submitBlocking(() -> {}));
      pool.reboot();
      assertFalse(pool.isClosed());
      CountDownLatch ran = new CountDownLatch(1);
      pool.submitBlocking(ran::countDown);
      await(ran);
    }
  }

  @Test
  public void testCloseWaitsForAcceptedTasks() {
    AtomicInteger ran = new AtomicInteger();
    Pool pool = new Pool(4);
    for (int i = 0; i < 100; i++) {
      pool.submitBlocking(() -> {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ran.incrementAndGet();
      });
    }
    pool.close();
    assertEquals(100, ran.get());
    assertTrue(pool.isClosed());
    assertEquals(0, pool.running());
    pool.close(); // twice is harmless
  }

  @Test
  public void testInfinitePool() {
    int n = 64;
    CountDownLatch started = new CountDownLatch(n);
    CountDownLatch gate = new CountDownLatch(1);
    try (Pool pool = new Pool(-1)) {
      assertEquals(-1, pool.cap());
      assertEquals(-1, pool.free());
      for (int i = 0; i < n; i++) pool.submitBlocking(blocker(started, gate));
      await(started); // all n ran at once: nothing capped them
      assertEquals(n, pool.running());
      gate.countDown();
    }
  }

  @Test
  public void testPurgePool() {
    CountDownLatch done = new CountDownLatch(4);
    try (Pool pool = new Pool(4, PoolOptions.builder().expiry(Duration.ofMillis(20)).build())) {
      for (int i = 0; i < 4; i++) pool.submitBlocking(done::countDown);
      await(done);
      waitUntil("idle workers expired", () -> pool.running() == 0);
      CountDownLatch again = new CountDownLatch(1);
      pool.submitBlocking(again::countDown); // a purged pool starts workers again
      await(again);
    }
  }

  @Test
  public void testInvalidOptions() {
    assertThrows(InvalidPreAllocSizeException.class,
        () -> new Pool(0, PoolOptions.builder().preAlloc(true).build()));
    assertThrows(InvalidPoolExpiryException.class,
        () -> new Pool(1, PoolOptions.builder().expiry(Duration.ofMillis(-1)).build()));
    assertThrows(InvalidArgumentException.class,
        () -> new Pool(1, PoolOptions.builder().maxBlockingTasks(-1).build()));
    assertThrows(InvalidArgumentException.class,
        () -> new Pool(1, PoolOptions.builder().queueSize(-1).build()));
    assertThrows(InvalidArgumentException.class,
        () -> new Pool(1, PoolOptions.builder().stackSize(1).build()));
  }

  @Test
  public void testDefaultPool() {
    Pool pool = Pool.defaultPool();
    assertEquals(Ants.DEFAULT_POOL_SIZE, pool.cap());
    CountDownLatch ran = new CountDownLatch(2);
    pool.submitBlocking(ran::countDown);
    Ants.submit(ran::countDown);
    await(ran);
    pool.close(); // a no-op: the default pool lives as long as the process
    assertFalse(pool.isClosed());
    assertTrue(Ants.version().startsWith(Ants.versionNumber() / 10000 + "."));
  }

  @Test
  public void testWorkersAreNamedDaemonThreads() {
    AtomicReference<Thread> worker = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    try (Pool pool = new Pool(1, PoolOptions.builder().threadName("jtest").build())) {
      pool.submitBlocking(() -> {
        worker.set(Thread.currentThread());
        ran.countDown();
      });
      await(ran);
    }
    assertTrue(worker.get().getName(), worker.get().getName().startsWith("jtest-"));
    assertTrue(worker.get().isDaemon());
  }

  @Test
  public void testWorkerIsReused() {
    AtomicReference<Thread> first = new AtomicReference<>();
    AtomicReference<Thread> second = new AtomicReference<>();
    try (Pool pool = new Pool(1, keepWorkers())) {
      CountDownLatch a = new CountDownLatch(1);
      pool.submitBlocking(() -> {
        first.set(Thread.currentThread());
        a.countDown();
      });
      await(a);
      pool.awaitIdle();
      CountDownLatch b = new CountDownLatch(1);
      pool.submitBlocking(() -> {
        second.set(Thread.currentThread());
        b.countDown();
      });
      await(b);
    }
    assertTrue(first.get() == second.get()); // one attach, many tasks
  }

  @Test
  public void testNestedSubmitIntoFullPoolDoesNotDeadlock() {
    CountDownLatch inner = new CountDownLatch(3);
    try (Pool pool = new Pool(1)) {
      // Each level submits into its own saturated pool: the engine runs the
      // nested task inline instead of waiting for a worker that never frees.
      pool.submitBlocking(() -> {
        pool.submitBlocking(() -> {
          pool.submitBlocking(inner::countDown);
          inner.countDown();
        });
        inner.countDown();
      });
      await(inner);
    }
  }

  @Test
  public void testCloseFromOwnTaskReturns() {
    Pool pool = new Pool(2);
    CountDownLatch closed = new CountDownLatch(1);
    pool.submitBlocking(() -> {
      pool.close();
      closed.countDown();
    });
    await(closed);
    assertTrue(pool.isClosed());
    pool.close();
    assertEquals(0, pool.running());
  }
}
