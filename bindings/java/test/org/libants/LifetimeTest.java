package org.libants;

import static org.junit.Assert.assertTrue;
import static org.libants.TestSupport.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.After;
import org.junit.Test;

/** Pools nobody closed: freed once unreachable, and never stalling other frees. */
public class LifetimeTest {
  private static final Set<Long> cleaned = ConcurrentHashMap.newKeySet();
  private static final Set<Long> freed = ConcurrentHashMap.newKeySet();

  @After
  public void removeHooks() {
    AbstractPool.onCleaned = null;
    AbstractPool.onFreed = null;
  }

  private static void installHooks() {
    AbstractPool.onCleaned = cleaned::add;
    AbstractPool.onFreed = freed::add;
  }

  private static final class Forgotten {
    final WeakReference<Object> ref;
    final long handle;

    Forgotten(AbstractPool pool) {
      ref = new WeakReference<>(pool);
      handle = pool.handle;
    }
  }

  /** A pool left running an endless task (until gate), never closed. */
  private static Forgotten forgetPoolWithEndlessTask(CountDownLatch gate) {
    CountDownLatch started = new CountDownLatch(1);
    Pool pool = new Pool(1);
    pool.submitBlocking(TestSupport.blocker(started, gate));
    await(started);
    return new Forgotten(pool);
  }

  private static Forgotten forgetIdlePool(AtomicLong ran) {
    Pool pool = new Pool(1);
    CountDownLatch done = new CountDownLatch(1);
    pool.submitBlocking(() -> {
      ran.incrementAndGet();
      done.countDown();
    });
    await(done);
    return new Forgotten(pool);
  }

  @Test
  public void testEndlessTaskInAForgottenPoolDoesNotStallOtherFrees() {
    installHooks();
    CountDownLatch gate = new CountDownLatch(1);
    try {
      Forgotten stuck = forgetPoolWithEndlessTask(gate);
      TestSupport.gcUntil("the Cleaner ran for the stuck pool", () -> cleaned.contains(stuck.handle));
      Forgotten idle = forgetIdlePool(new AtomicLong());
      // Before the fix the Cleaner thread sat in the stuck pool's free.
      TestSupport.gcUntil("the idle pool was freed", () -> freed.contains(idle.handle));
      assertTrue(!freed.contains(stuck.handle)); // its task still runs
    } finally {
      gate.countDown();
    }
  }

  private static Forgotten forgetPoolWhoseHandlerRefersToIt() {
    AtomicLong failures = new AtomicLong();
    Pool[] self = new Pool[1];
    PoolOptions opts = PoolOptions.builder()
        .expiry(Duration.ofMillis(50))
        .panicHandler(t -> {
          failures.incrementAndGet();
          self[0].failedTasks(); // the handler refers to its pool
        })
        .build();
    Pool pool = new Pool(2, opts);
    self[0] = pool;
    CountDownLatch done = new CountDownLatch(1);
    pool.submitBlocking(() -> {
      done.countDown();
      throw new IllegalStateException("expected");
    });
    await(done);
    return new Forgotten(pool);
  }

  private static Forgotten forgetPoolWithFuncThatRefersToIt() {
    java.util.concurrent.atomic.AtomicReference<PoolWithFunc<Object>> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    PoolWithFunc<Object> pool = new PoolWithFunc<>(2, x -> {
      if (self.get().cap() == 2) done.countDown(); // the function refers to its pool
    }, PoolOptions.builder().expiry(Duration.ofMillis(50)).build());
    self.set(pool);
    pool.invoke("x");
    await(done);
    return new Forgotten(pool);
  }

  @Test
  public void testPoolInACycleWithItsHandlerOrFunctionIsFreed() {
    installHooks();
    Forgotten byHandler = forgetPoolWhoseHandlerRefersToIt();
    Forgotten byFunc = forgetPoolWithFuncThatRefersToIt();
    // Workers hold the callbacks while they live; once they expire, nothing
    // but the cycle refers to the pool (before the fix: a JNI global ref did).
    TestSupport.gcUntil("the pools were collected and freed",
        () -> freed.contains(byHandler.handle) && freed.contains(byFunc.handle));
    assertTrue(byHandler.ref.get() == null && byFunc.ref.get() == null);
  }
}
