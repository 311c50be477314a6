package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.libants.TestSupport.await;

import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Test;

/** One pool for the whole process (issue 13): handles, fromHandle, the default pool. */
public class SharedPoolTest {
  private static final Set<Long> freed = ConcurrentHashMap.newKeySet();

  @After
  public void removeHooks() {
    AbstractPool.onFreed = null;
  }

  @Test
  public void testFromHandleOfNullIsInvalidArgument() {
    assertThrows(InvalidArgumentException.class, () -> Pool.fromHandle(0));
  }

  @Test
  public void testDefaultPoolIsTheCDefaultPool() throws Exception {
    Pool pool = Pool.defaultPool();
    assertEquals(AntsC.ants_default_pool(), pool.handle());
    AtomicReference<Thread> worker = new AtomicReference<>();
    AtomicReference<ClassLoader> loader = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    pool.execute(() -> {
      worker.set(Thread.currentThread());
      loader.set(Thread.currentThread().getContextClassLoader());
      ran.countDown();
    });
    await(ran);
    // A native worker of the C pool, attached on its first Java task.
    assertTrue(worker.get().getName(), worker.get().getName().startsWith("ants"));
    assertTrue(worker.get().isDaemon());
    assertNotNull(loader.get());
    assertEquals(42, (int) pool.submit(() -> 42).get(TestSupport.DEADLINE_MS, TimeUnit.MILLISECONDS));
  }

  @Test
  public void testTwoWrappersShareOnePool() {
    AtomicInteger ran = new AtomicInteger();
    try (Pool owner = new Pool(3)) {
      Pool borrowed = Pool.fromHandle(owner.handle());
      assertEquals(owner.handle(), borrowed.handle());
      assertEquals(3, borrowed.cap());
      for (int i = 0; i < 1000; i++) {
        (i % 2 == 0 ? owner : borrowed).execute(ran::incrementAndGet);
      }
      borrowed.awaitIdle();
      assertEquals(1000, ran.get());
      borrowed.close(); // not the borrower's to close
      assertFalse(owner.isClosed());
      owner.execute(ran::incrementAndGet);
      borrowed.release(); // closes the pool for every owner
      assertTrue(owner.isClosed());
      assertThrows(RejectedExecutionException.class, () -> owner.execute(() -> {}));
      assertThrows(PoolClosedException.class, () -> borrowed.submitBlocking(() -> {}));
    }
  }

  private static long forgetOwner(AtomicReference<Pool> borrowed) {
    Pool owner = new Pool(2);
    borrowed.set(Pool.fromHandle(owner.handle()));
    return owner.handle();
  }

  @Test
  public void testPoolOutlivesTheCollectedWrapperThatMadeIt() {
    AbstractPool.onFreed = freed::add;
    AtomicReference<Pool> borrowed = new AtomicReference<>();
    long handle = forgetOwner(borrowed);
    // The owner's wrapper is collected and drops its ownership...
    TestSupport.gcUntil("the owner's wrapper cleaned", () -> freed.contains(handle));
    // ...and the pool lives on for the other owner.
    Pool pool = borrowed.get();
    assertFalse(pool.isClosed());
    CountDownLatch ran = new CountDownLatch(10);
    for (int i = 0; i < 10; i++) pool.execute(ran::countDown);
    await(ran);
    pool.release();
  }

  @Test
  public void testWeakRefToBorrowedWrapperClears() {
    try (Pool owner = new Pool(1)) {
      WeakReference<Pool> ref = new WeakReference<>(Pool.fromHandle(owner.handle()));
      TestSupport.gcUntil("the borrowed wrapper collected", () -> ref.get() == null);
      CountDownLatch ran = new CountDownLatch(1);
      owner.execute(ran::countDown); // the pool is the owner's still
      await(ran);
    }
  }

  /** C code and Java code submit to one pool at once: each task runs once, never above cap. */
  private static void submitFromBothSides(Pool pool, int cap) {
    CSide.reset();
    int cThreads = 2;
    int cTasks = 2_000;
    int javaTasks = 4_000;
    AtomicInteger javaRan = new AtomicInteger();
    long submitters = CSide.startSubmitters(pool.handle(), cThreads, cTasks);
    assertTrue(submitters != 0);
    for (int i = 0; i < javaTasks; i++) {
      pool.execute(() -> {
        CSide.enter();
        Thread.yield();
        javaRan.incrementAndGet();
        CSide.leave();
      });
    }
    assertEquals(0, CSide.joinSubmitters(submitters));
    pool.awaitIdle();
    assertEquals(javaTasks, javaRan.get());
    assertEquals(cThreads * cTasks, CSide.cTasksRan());
    assertTrue("max " + CSide.maxConcurrent() + " above cap " + cap, CSide.maxConcurrent() <= cap);
  }

  @Test
  public void testCAndJavaShareAJavaPool() {
    try (Pool pool = new Pool(3)) {
      submitFromBothSides(pool, 3);
    }
  }

  @Test
  public void testCAndJavaShareACPool() {
    long handle = CSide.newPool(3);
    assertTrue(handle != 0);
    Pool pool = Pool.fromHandle(handle);
    CSide.freePool(handle); // C lets go first: the Java wrapper still owns it
    submitFromBothSides(pool, 3);
    assertEquals(ants_status.ANTS_OK, CSide.submitOne(handle));
    pool.release(); // from Java: closed for C as well
    assertThrows(PoolClosedException.class, () -> pool.submitBlocking(() -> {}));
    assertEquals(ants_status.ANTS_ERR_POOL_CLOSED, CSide.submitOne(handle));
  }

  @Test
  public void testReleaseFromCClosesTheJavaSideToo() {
    try (Pool pool = new Pool(2)) {
      long handle = pool.handle();
      assertEquals(ants_status.ANTS_OK, CSide.submitOne(handle));
      AntsC.ants_release(handle); // as C code would
      assertTrue(pool.isClosed());
      assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> {}));
    }
  }
}
