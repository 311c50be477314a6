package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.libants.TestSupport.await;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

/** What a task finds on its worker thread, as ThreadPoolExecutor leaves it. */
public class WorkerStateTest {
  @Test
  public void testInterruptFlagDoesNotLeakIntoTheNextTask() {
    AtomicReference<Thread> first = new AtomicReference<>();
    AtomicReference<Thread> second = new AtomicReference<>();
    AtomicBoolean interrupted = new AtomicBoolean(true);
    CountDownLatch done = new CountDownLatch(1);
    try (Pool pool = new Pool(1, PoolOptions.builder().disablePurge(true).build())) {
      pool.submitBlocking(() -> {
        first.set(Thread.currentThread());
        Thread.currentThread().interrupt(); // the catch-block idiom
      });
      pool.submitBlocking(() -> {
        second.set(Thread.currentThread());
        interrupted.set(Thread.currentThread().isInterrupted());
        done.countDown();
      });
      await(done);
    }
    assertSame(first.get(), second.get()); // one worker ran both
    assertFalse("the first task's interrupt leaked into the second", interrupted.get());
  }

  @Test
  public void testPoolWithFuncClearsTheInterruptFlagToo() {
    AtomicBoolean interrupted = new AtomicBoolean(true);
    CountDownLatch done = new CountDownLatch(1);
    try (PoolWithFunc<Boolean> pool = new PoolWithFunc<>(1, interrupt -> {
      if (interrupt) {
        Thread.currentThread().interrupt();
      } else {
        interrupted.set(Thread.currentThread().isInterrupted());
        done.countDown();
      }
    }, PoolOptions.builder().disablePurge(true).build())) {
      pool.invoke(true);
      pool.invoke(false);
      await(done);
    }
    assertFalse(interrupted.get());
  }

  @Test
  public void testTasksSeeTheContextClassLoaderOfThePoolsCreator() {
    Thread self = Thread.currentThread();
    ClassLoader saved = self.getContextClassLoader();
    AtomicReference<ClassLoader> seen = new AtomicReference<>();
    AtomicReference<ClassLoader> seenByFunc = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(2);
    try (URLClassLoader app = new URLClassLoader(new URL[0], saved)) {
      self.setContextClassLoader(app);
      Pool pool;
      PoolWithFunc<Object> funcPool;
      try {
        pool = new Pool(1);
        funcPool = new PoolWithFunc<>(1, x -> {
          seenByFunc.set(Thread.currentThread().getContextClassLoader());
          done.countDown();
        });
      } finally {
        self.setContextClassLoader(saved);
      }
      try (Pool p = pool; PoolWithFunc<Object> f = funcPool) {
        p.submitBlocking(() -> {
          seen.set(Thread.currentThread().getContextClassLoader());
          done.countDown();
        });
        f.invoke("x");
        await(done);
      }
      assertSame(app, seen.get());
      assertSame(app, seenByFunc.get());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  public void testNegativeMaxBlockingTasksIsInvalidForEveryPoolKind() {
    PoolOptions negative = PoolOptions.builder().maxBlockingTasks(-1).build();
    assertEquals(ants_status.ANTS_ERR_INVALID_ARGUMENT,
        assertThrows(InvalidArgumentException.class, () -> new Pool(1, negative)).code());
    assertThrows(InvalidArgumentException.class, () -> new PoolWithFunc<>(1, x -> {}, negative));
    assertThrows(InvalidArgumentException.class,
        () -> new MultiPool(2, 1, LoadBalancingStrategy.ROUND_ROBIN, negative));
    assertThrows(InvalidArgumentException.class,
        () -> new MultiPoolWithFunc<>(2, 1, x -> {}, LoadBalancingStrategy.LEAST_TASKS, negative));
    // The same rule for the other counts and sizes.
    assertThrows(InvalidArgumentException.class,
        () -> new Pool(1, PoolOptions.builder().queueSize(-1).build()));
    assertThrows(InvalidArgumentException.class,
        () -> new Pool(1, PoolOptions.builder().stackSize(-1).build()));
  }
}
