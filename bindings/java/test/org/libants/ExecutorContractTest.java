package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.libants.TestSupport.await;
import static org.libants.TestSupport.blocker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/** Pool as a java.util.concurrent.Executor and an AutoCloseable. */
public class ExecutorContractTest {
  @Test
  public void testNullTaskIsNullPointerException() {
    try (Pool pool = new Pool(1)) {
      assertThrows(NullPointerException.class, () -> pool.execute(null));
      assertThrows(NullPointerException.class, () -> pool.submitBlocking(null));
      assertThrows(NullPointerException.class, () -> pool.submit((Runnable) null));
    }
  }

  @Test
  public void testExecuteOnClosedPoolIsRejected() {
    Pool pool = new Pool(1);
    pool.close();
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> {}));
    assertTrue(e.getCause() instanceof PoolClosedException);
  }

  @Test
  public void testExecuteOnFullNonblockingPoolIsRejected() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    try (Pool pool = new Pool(1, PoolOptions.builder().nonblocking(true).build())) {
      pool.execute(blocker(started, gate));
      await(started);
      RejectedExecutionException e =
          assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> {}));
      assertTrue(e.getCause() instanceof PoolOverloadException);
      gate.countDown();
    }
  }

  @Test
  public void testWorksWithCompletableFuture() throws Exception {
    try (Pool pool = new Pool(2)) {
      Executor executor = pool;
      CompletableFuture<Integer> f =
          CompletableFuture.supplyAsync(() -> 20, executor).thenApplyAsync(x -> x + 22, executor);
      assertEquals(42, (int) f.get(TestSupport.DEADLINE_MS, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  public void testTryWithResourcesRunsEveryAcceptedTask() {
    AtomicInteger ran = new AtomicInteger();
    Pool escaped;
    try (Pool pool = new Pool(3)) {
      escaped = pool;
      for (int i = 0; i < 50; i++) {
        pool.execute(() -> {
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ran.incrementAndGet();
        });
      }
    }
    assertEquals(50, ran.get()); // close() waited for all of them
    assertTrue(escaped.isClosed());
    assertThrows(RejectedExecutionException.class, () -> escaped.execute(() -> {}));
  }
}
