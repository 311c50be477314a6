package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.libants.TestSupport.await;
import static org.libants.TestSupport.blocker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

public class MultiPoolTest {
  @Test
  public void testMultiPoolWithRoundRobin() {
    CountDownLatch started = new CountDownLatch(6);
    CountDownLatch gate = new CountDownLatch(1);
    try (MultiPool pool = new MultiPool(2, 3, LoadBalancingStrategy.ROUND_ROBIN)) {
      for (int i = 0; i < 6; i++) pool.submitBlocking(blocker(started, gate));
      await(started);
      assertEquals(3, pool.subPool(0).running());
      assertEquals(3, pool.subPool(1).running());
      assertEquals(3, pool.subPool(1).busy());
      assertEquals(0, pool.subPool(0).free());
      assertEquals(0, pool.subPool(0).waiting());
      assertEquals(6, pool.running());
      gate.countDown();
    }
  }

  @Test
  public void testMultiPoolWithLeastTasks() {
    CountDownLatch started = new CountDownLatch(4);
    CountDownLatch gate = new CountDownLatch(1);
    try (MultiPool pool = new MultiPool(2, 2, LoadBalancingStrategy.LEAST_TASKS)) {
      for (int i = 0; i < 4; i++) {
        CountDownLatch one = new CountDownLatch(1);
        pool.submitBlocking(() -> {
          one.countDown();
          blocker(started, gate).run();
        });
        await(one);
      }
      await(started);
      assertEquals(2, pool.subPool(0).running());
      assertEquals(2, pool.subPool(1).running());
      gate.countDown();
    }
  }

  @Test
  public void testByIndexOutOfRange() {
    try (MultiPool pool = new MultiPool(2, 1, LoadBalancingStrategy.ROUND_ROBIN)) {
      InvalidPoolIndexException e =
          assertThrows(InvalidPoolIndexException.class, () -> pool.subPool(2).running());
      assertEquals(ants_status.ANTS_ERR_INVALID_POOL_INDEX, e.code());
      assertThrows(InvalidPoolIndexException.class, () -> pool.subPool(-1).free());
    }
  }

  @Test
  public void testInvalidMultiPoolSize() {
    assertThrows(InvalidMultiPoolSizeException.class,
        () -> new MultiPool(0, 1, LoadBalancingStrategy.ROUND_ROBIN));
  }

  @Test
  public void testMultiPoolReleaseAndReboot() {
    try (MultiPool pool = new MultiPool(3, 2, LoadBalancingStrategy.ROUND_ROBIN)) {
      pool.release();
      assertTrue(pool.isClosed());
      assertThrows(PoolClosedException.class, () -> pool.submitBlocking(() -> {}));
      pool.reboot();
      CountDownLatch ran = new CountDownLatch(1);
      pool.submitBlocking(ran::countDown);
      await(ran);
    }
  }

  @Test
  public void testMultiPoolTuneSetsEverySubPool() {
    try (MultiPool pool = new MultiPool(2, 2, LoadBalancingStrategy.ROUND_ROBIN)) {
      pool.tune(5);
      assertEquals(5, pool.subPool(0).free());
      assertEquals(5, pool.subPool(1).free());
    }
  }

  @Test
  public void testMultiPoolRunsEveryTaskExactlyOnce() {
    int n = 20_000;
    java.util.concurrent.atomic.AtomicIntegerArray seen =
        new java.util.concurrent.atomic.AtomicIntegerArray(n);
    CountDownLatch done = new CountDownLatch(n);
    for (LoadBalancingStrategy s : LoadBalancingStrategy.values()) {
      try (MultiPool pool = new MultiPool(3, 2, s)) {
        for (int i = 0; i < n / 2; i++) {
          int k = s == LoadBalancingStrategy.ROUND_ROBIN ? i : n / 2 + i;
          pool.execute(() -> {
            seen.incrementAndGet(k);
            done.countDown();
          });
        }
      }
    }
    await(done);
    for (int i = 0; i < n; i++) assertEquals("task " + i, 1, seen.get(i));
  }

  @Test
  public void testMultiPoolWithFunc() {
    AtomicInteger sum = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(100);
    try (MultiPoolWithFunc<Integer> pool = new MultiPoolWithFunc<>(2, 2, i -> {
      sum.addAndGet(i);
      done.countDown();
    }, LoadBalancingStrategy.LEAST_TASKS)) {
      for (int i = 0; i < 100; i++) pool.invoke(1);
      await(done);
      assertThrows(InvalidPoolIndexException.class, () -> pool.subPool(5).busy());
    }
    assertEquals(100, sum.get());
  }
}
