package org.libants;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.libants.TestSupport.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
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

  /** Runs System.gc() until cond holds; fails after the deadline. */
  private static void gcUntil(String what, BooleanSupplier cond) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TestSupport.DEADLINE_MS);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("never held: " + what);
      System.gc();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
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
      gcUntil("the Cleaner ran for the stuck pool", () -> cleaned.contains(stuck.handle));
      Forgotten idle = forgetIdlePool(new AtomicLong());
      // Before the fix the Cleaner thread sat in the stuck pool's free.
      gcUntil("the idle pool was freed", () -> freed.contains(idle.handle));
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
    gcUntil("the pools were collected and freed",
        () -> freed.contains(byHandler.handle) && freed.contains(byFunc.handle));
    assertTrue(byHandler.ref.get() == null && byFunc.ref.get() == null);
  }
}
