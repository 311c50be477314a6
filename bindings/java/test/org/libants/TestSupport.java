package org.libants;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Synchronisation for the tests: they block on latches, or poll a condition
 * with a deadline. The deadline only bounds a failing test on a loaded
 * machine; nothing asserts on elapsed time.
 */
final class TestSupport {
  static final long DEADLINE_MS = 30_000;

  private TestSupport() {}

  static void await(CountDownLatch latch) {
    try {
      assertTrue("latch not released in time", latch.await(DEADLINE_MS, TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  /** Polls cond every millisecond until it holds; fails after the deadline. */
  static void waitUntil(String what, BooleanSupplier cond) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("never held: " + what);
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  /**
   * Runs System.gc() every few milliseconds until cond holds (an object
   * collected, a Cleaner run); fails after the deadline.
   */
  static void gcUntil(String what, BooleanSupplier cond) {
    waitUntil(what, () -> {
      if (cond.getAsBoolean()) return true;
      System.gc();
      try {
        Thread.sleep(4);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return cond.getAsBoolean();
    });
  }

  /**
   * A task that blocks until the gate opens, counting itself in started. It
   * gives up after the deadline, so that a test failing before it opens the
   * gate fails instead of hanging in close().
   */
  static Runnable blocker(CountDownLatch started, CountDownLatch gate) {
    return () -> {
      started.countDown();
      hold(gate);
    };
  }

  /** Waits for gate, at most until the deadline. */
  static void hold(CountDownLatch gate) {
    try {
      gate.await(DEADLINE_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts a thread that runs body and records what it threw. */
  static final class Caller extends Thread {
    private final Runnable body;
    volatile Throwable thrown;

    Caller(Runnable body) {
      this.body = body;
      setDaemon(true);
      start();
    }

    @Override
    public void run() {
      try {
        body.run();
      } catch (Throwable t) {
        thrown = t;
      }
    }

    Throwable result() {
      try {
        join(DEADLINE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      assertTrue("caller still blocked", !isAlive());
      return thrown;
    }
  }
}
