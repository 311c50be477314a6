package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.libants.TestSupport.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

public class PoolWithFuncTest {
  @Test
  public void testPoolWithFuncRunsEveryArgument() {
    AtomicLong sum = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1000);
    try (PoolWithFunc<Integer> pool = new PoolWithFunc<>(4, i -> {
      sum.addAndGet(i);
      done.countDown();
    })) {
      for (int i = 1; i <= 1000; i++) pool.invoke(i);
      await(done);
    }
    assertEquals(500_500, sum.get());
  }

  @Test
  public void testNullArgumentReachesTheFunction() {
    AtomicReference<Object> seen = new AtomicReference<>("not called");
    CountDownLatch done = new CountDownLatch(1);
    try (PoolWithFunc<String> pool = new PoolWithFunc<>(1, s -> {
      seen.set(s);
      done.countDown();
    })) {
      pool.invoke(null);
      await(done);
    }
    assertNull(seen.get());
  }

  @Test
  public void testNonblockingInvokeOverloadAndTimeout() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    PoolOptions nonblocking = PoolOptions.builder().nonblocking(true).build();
    try (PoolWithFunc<CountDownLatch> pool = new PoolWithFunc<>(1, g -> {
      started.countDown();
      TestSupport.hold(g);
    }, nonblocking)) {
      pool.invoke(gate);
      await(started);
      assertThrows(PoolOverloadException.class, () -> pool.invoke(gate));
      gate.countDown();
    }
    CountDownLatch started2 = new CountDownLatch(1);
    CountDownLatch gate2 = new CountDownLatch(1);
    try (PoolWithFunc<CountDownLatch> pool = new PoolWithFunc<>(1, g -> {
      started2.countDown();
      TestSupport.hold(g);
    })) {
      pool.invoke(gate2);
      await(started2);
      assertThrows(AntsTimeoutException.class, () -> pool.invoke(gate2, Duration.ofMillis(1)));
      gate2.countDown();
    }
  }

  @Test
  public void testFunctionThrowableGoesToPanicHandler() {
    AtomicReference<Throwable> got = new AtomicReference<>();
    CountDownLatch handled = new CountDownLatch(1);
    IllegalStateException boom = new IllegalStateException("boom");
    PoolOptions opts = PoolOptions.builder().panicHandler(t -> {
      got.set(t);
      handled.countDown();
    }).build();
    try (PoolWithFunc<Integer> pool = new PoolWithFunc<>(1, i -> {
      throw boom;
    }, opts)) {
      pool.invoke(1);
      await(handled);
    }
    assertSame(boom, got.get());
  }

  @Test
  public void testNestedInvokeChainRunsInline() {
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<PoolWithFunc<Integer>> self = new AtomicReference<>();
    // Each level invokes the next into its own saturated pool of one worker.
    try (PoolWithFunc<Integer> pool = new PoolWithFunc<>(1, depth -> {
      if (depth == 0) {
        done.countDown();
      } else {
        self.get().invoke(depth - 1);
      }
    })) {
      self.set(pool);
      pool.invoke(5);
      await(done);
    }
  }

  @Test
  public void testClosedPoolWithFunc() {
    PoolWithFunc<Integer> pool = new PoolWithFunc<>(1, i -> {});
    pool.close();
    assertThrows(PoolClosedException.class, () -> pool.invoke(1));
  }
}
