package org.libants;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.libants.TestSupport.await;
import static org.libants.TestSupport.blocker;
import static org.libants.TestSupport.waitUntil;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Issue 15: Java tasks of a pool without a task queue run on Java threads
 * holding slots of the native pool (SlotWorkers), and share its capacity
 * with C tasks. C tasks here are "held" (test/native/ants_jni_test.c): they
 * run until CSide.heldOpen(). Synchronised with latches, gates and polling
 * with a deadline only.
 */
public class SlotTest {
  @Before
  public void closeGate() {
    CSide.heldReset();
  }

  @After
  public void openGate() {
    CSide.heldOpen(); // a failing test must not leave C tasks running
  }

  private static PoolOptions keep() {
    return PoolOptions.builder().disablePurge(true).build();
  }

  /** Runs n tasks at once on pool, so that n workers start, and waits until they are idle. */
  private static void makeIdleWorkers(Pool pool, int n) {
    CountDownLatch started = new CountDownLatch(n);
    CountDownLatch gate = new CountDownLatch(1);
    for (int i = 0; i < n; i++) pool.execute(blocker(started, gate));
    await(started);
    gate.countDown();
    assertTrue(pool.awaitIdle(Duration.ofSeconds(30)));
    assertEquals(n, pool.running()); // idle workers keep their slots
  }

  /** Java threads whose name starts with prefix and that are alive. */
  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix + "-")).count();
  }

  @Test
  public void testJavaTasksRunOnRecycledDaemonJavaThreads() {
    AtomicReference<Thread> first = new AtomicReference<>();
    AtomicReference<Thread> second = new AtomicReference<>();
    try (Pool pool = new Pool(1, PoolOptions.builder().disablePurge(true).threadName("slot").build())) {
      CountDownLatch a = new CountDownLatch(1);
      pool.execute(() -> {
        first.set(Thread.currentThread());
        a.countDown();
      });
      await(a);
      pool.awaitIdle();
      assertEquals(1, pool.running()); // the idle worker keeps its slot
      assertEquals(0, pool.busy());
      CountDownLatch b = new CountDownLatch(1);
      pool.execute(() -> {
        second.set(Thread.currentThread());
        b.countDown();
      });
      await(b);
    }
    assertSame(first.get(), second.get());
    assertTrue(first.get().isDaemon());
    assertTrue(first.get().getName(), first.get().getName().startsWith("slot-"));
  }

  @Test
  public void testJavaAndNativeTasksShareTheCapacity() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    try (Pool pool = new Pool(2, PoolOptions.builder().nonblocking(true).build())) {
      assertEquals(ants_status.ANTS_OK, CSide.heldSubmit(pool.handle(), -1));
      pool.execute(blocker(started, gate));
      await(started);
      waitUntil("the C task started", () -> CSide.heldStarted() == 1);
      assertEquals(2, pool.running());
      assertEquals(2, pool.busy());
      assertEquals(0, pool.free());
      // Full: a third task of either language is refused.
      RejectedExecutionException refused =
          assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> {}));
      assertTrue(refused.getCause() instanceof PoolOverloadException);
      assertEquals(ants_status.ANTS_ERR_POOL_OVERLOAD, CSide.heldSubmit(pool.handle(), -1));
      gate.countDown();
      CSide.heldOpen();
      assertTrue(pool.awaitIdle(Duration.ofSeconds(30)));
      assertEquals(0, pool.busy());
    }
  }

  @Test
  public void testJavaSubmitterWaitsForNativeTasksAndGetsThrough() throws Exception {
    try (Pool pool = new Pool(2)) {
      assertEquals(ants_status.ANTS_OK, CSide.heldSubmit(pool.handle(), -1));
      assertEquals(ants_status.ANTS_OK, CSide.heldSubmit(pool.handle(), -1));
      TestSupport.waitUntil("both C tasks started", () -> CSide.heldStarted() == 2);
      CountDownLatch ran = new CountDownLatch(1);
      Thread submitter = new Thread(() -> pool.execute(ran::countDown));
      submitter.start();
      waitUntil("the Java submitter waits", () -> pool.waiting() == 1);
      assertEquals(1, ran.getCount());
      CSide.heldOpen();
      await(ran);
      submitter.join(TestSupport.DEADLINE_MS);
      assertFalse(submitter.isAlive());
      assertEquals(0, pool.waiting());
    }
  }

  @Test
  public void testJavaSubmitterTimesOutWhileNativeTasksHoldTheCapacity() {
    try (Pool pool = new Pool(1)) {
      assertEquals(ants_status.ANTS_OK, CSide.heldSubmit(pool.handle(), -1));
      waitUntil("the C task started", () -> CSide.heldStarted() == 1);
      assertThrows(AntsTimeoutException.class,
          () -> pool.submitBlocking(() -> {}, Duration.ofMillis(20)));
      assertThrows(AntsTimeoutException.class, () -> pool.submitBlocking(() -> {}, Duration.ZERO));
      assertEquals(0, pool.waiting());
      CSide.heldOpen();
    }
  }

  @Test
  public void testInterruptDoesNotEndTheWaitAndIsKept() throws Exception {
    try (Pool pool = new Pool(1)) {
      assertEquals(ants_status.ANTS_OK, CSide.heldSubmit(pool.handle(), -1));
      waitUntil("the C task started", () -> CSide.heldStarted() == 1);
      CountDownLatch ran = new CountDownLatch(1);
      AtomicBoolean flagKept = new AtomicBoolean();
      Thread submitter = new Thread(() -> {
        pool.execute(ran::countDown);
        flagKept.set(Thread.currentThread().isInterrupted());
      });
      submitter.start();
      waitUntil("the Java submitter waits", () -> pool.waiting() == 1);
      submitter.interrupt();
      CSide.heldOpen();
      await(ran);
      submitter.join(TestSupport.DEADLINE_MS);
      assertTrue(flagKept.get());
    }
  }

  @Test
  public void testNativeSubmitterGetsTheSlotOfAnIdleJavaWorker() {
    try (Pool pool = new Pool(2, keep())) {
      makeIdleWorkers(pool, 2); // two idle Java workers hold both slots
      // A C submitter would wait; the pool asks Java (the slot listener)
      // to give an idle slot back, and it gets room.
      long c = CSide.heldSubmitFromCThread(pool.handle());
      waitUntil("the C task started", () -> CSide.heldStarted() == 1);
      assertEquals(2, pool.running());
      assertEquals(1, pool.busy());
      CSide.heldOpen();
      assertEquals(ants_status.ANTS_OK, CSide.heldJoin(c));
    }
  }

  /**
   * Two C submitters at once while two Java workers sit idle with their
   * slots: both get in (the engine asks the listener again for every caller
   * that goes into line while slots sit idle).
   */
  @Test
  public void testNativeSubmittersGetTheSlotsOfIdleJavaWorkers() {
    try (Pool pool = new Pool(2, keep())) {
      makeIdleWorkers(pool, 2);
      long c1 = CSide.heldSubmitFromCThread(pool.handle());
      long c2 = CSide.heldSubmitFromCThread(pool.handle());
      waitUntil("both C tasks started", () -> CSide.heldStarted() == 2);
      assertEquals(2, pool.running());
      assertEquals(2, pool.busy());
      CSide.heldOpen();
      assertEquals(ants_status.ANTS_OK, CSide.heldJoin(c1));
      assertEquals(ants_status.ANTS_OK, CSide.heldJoin(c2));
    }
  }

  @Test
  public void testTuneDownGivesIdleSlotsBack() {
    try (Pool pool = new Pool(4, keep())) {
      makeIdleWorkers(pool, 4);
      pool.tune(2);
      waitUntil("idle slots above the capacity given back", () -> pool.running() == 2);
      assertEquals(2, pool.cap());
      // Still a working pool of 2.
      CountDownLatch two = new CountDownLatch(2);
      CountDownLatch gate2 = new CountDownLatch(1);
      pool.execute(blocker(two, gate2));
      pool.execute(blocker(two, gate2));
      await(two);
      assertEquals(2, pool.busy());
      gate2.countDown();
    }
  }

  @Test
  public void testTuneDownGivesBusySlotsBackAfterTheirTask() {
    try (Pool pool = new Pool(3, keep())) {
      CountDownLatch started = new CountDownLatch(3);
      CountDownLatch gate = new CountDownLatch(1);
      for (int i = 0; i < 3; i++) pool.execute(blocker(started, gate));
      await(started);
      pool.tune(1);
      assertEquals(3, pool.running()); // shrinking stops nothing
      gate.countDown();
      waitUntil("workers above the capacity left", () -> pool.running() == 1);
    }
  }

  @Test
  public void testShutdownWithIdleJavaWorkersTerminates() throws Exception {
    Pool pool = new Pool(2, keep());
    makeIdleWorkers(pool, 2);
    assertFalse(pool.awaitTermination(0, TimeUnit.MILLISECONDS));
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    assertTrue(pool.isTerminated());
    assertEquals(0, pool.running());
    assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> {}));
  }

  @Test
  public void testShutdownLetsRunningJavaTasksFinish() throws Exception {
    Pool pool = new Pool(2, keep());
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    for (int i = 0; i < 2; i++) {
      pool.execute(() -> {
        started.countDown();
        TestSupport.hold(gate);
        finished.incrementAndGet();
      });
    }
    await(started);
    pool.shutdown();
    assertFalse(pool.isTerminated());
    gate.countDown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals(2, finished.get());
    assertEquals(0, pool.running());
  }

  @Test
  public void testRebootAfterShutdownRunsJavaTasksAgain() throws Exception {
    try (Pool pool = new Pool(2, keep())) {
      CountDownLatch ran = new CountDownLatch(1);
      pool.execute(ran::countDown);
      await(ran);
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
      pool.reboot();
      assertFalse(pool.isShutdown());
      CountDownLatch again = new CountDownLatch(10);
      for (int i = 0; i < 10; i++) pool.execute(again::countDown);
      await(again);
      assertTrue(pool.running() <= 2);
    }
  }

  @Test
  public void testReleaseWhileWorkersIdleThenRebootWithoutWaiting() {
    try (Pool pool = new Pool(1, keep())) {
      for (int round = 0; round < 50; round++) {
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(ran::countDown);
        await(ran);
        pool.release();
        pool.reboot(); // an idle worker of the old generation never serves the new one
      }
      CountDownLatch last = new CountDownLatch(1);
      pool.execute(last::countDown);
      await(last);
      waitUntil("old workers gone", () -> pool.running() <= 1);
    }
  }

  @Test
  public void testIdleJavaWorkersExpire() {
    try (Pool pool = new Pool(2, PoolOptions.builder().expiry(Duration.ofMillis(50)).build())) {
      CountDownLatch started = new CountDownLatch(2);
      CountDownLatch gate = new CountDownLatch(1);
      pool.execute(blocker(started, gate));
      pool.execute(blocker(started, gate));
      await(started);
      assertEquals(2, pool.running());
      gate.countDown();
      waitUntil("idle workers expired", () -> pool.running() == 0);
      // And the pool still works.
      CountDownLatch ran = new CountDownLatch(1);
      pool.execute(ran::countDown);
      await(ran);
    }
  }

  /**
   * ants' LIFO reuse on slots: of two idle Java workers, the one that idled
   * last takes the next task.
   */
  @Test
  public void testWorkerThatIdledLastIsReusedFirst() {
    try (Pool pool = new Pool(2, keep())) {
      CountDownLatch bothRun = new CountDownLatch(2);
      CountDownLatch gateA = new CountDownLatch(1);
      CountDownLatch gateB = new CountDownLatch(1);
      AtomicReference<Thread> a = new AtomicReference<>();
      AtomicReference<Thread> b = new AtomicReference<>();
      pool.execute(() -> {
        a.set(Thread.currentThread());
        bothRun.countDown();
        TestSupport.hold(gateA);
      });
      pool.execute(() -> {
        b.set(Thread.currentThread());
        bothRun.countDown();
        TestSupport.hold(gateB);
      });
      await(bothRun);
      assertFalse(a.get() == b.get());
      // A idles first: its slot ends once its poll for a next task runs out,
      // and it parks (WAITING: never expiring) once it is on the idle stack.
      gateA.countDown();
      waitUntil("A parked idle", () -> pool.busy() == 1 && a.get().getState() == Thread.State.WAITING);
      gateB.countDown();
      waitUntil("B parked idle", () -> pool.busy() == 0 && b.get().getState() == Thread.State.WAITING);
      AtomicReference<Thread> next = new AtomicReference<>();
      CountDownLatch ran = new CountDownLatch(1);
      pool.execute(() -> {
        next.set(Thread.currentThread());
        ran.countDown();
      });
      await(ran);
      assertSame(b.get(), next.get());
    }
  }

  /**
   * PoolWithFunc runs its function on the same recycled Java workers on
   * slots as Pool (ants' model): the same thread twice, counted in
   * running() while idle, in busy() while the function runs.
   */
  @Test
  public void testPoolWithFuncRunsOnRecycledJavaWorkersOnSlots() {
    AtomicReference<Thread> first = new AtomicReference<>();
    AtomicReference<Thread> second = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    PoolOptions options = PoolOptions.builder().disablePurge(true).threadName("funcslot").build();
    try (PoolWithFunc<AtomicReference<Thread>> pool = new PoolWithFunc<>(1, seen -> {
      seen.set(Thread.currentThread());
      if (seen == first) {
        started.countDown();
        TestSupport.hold(gate);
      }
    }, options)) {
      pool.invoke(first);
      await(started);
      assertEquals(1, pool.busy());
      // Full: a second invoke with no time to wait is refused, not queued.
      assertThrows(AntsTimeoutException.class, () -> pool.invoke(second, Duration.ZERO));
      gate.countDown();
      assertTrue(pool.awaitIdle(Duration.ofSeconds(30)));
      assertEquals(1, pool.running()); // the idle worker keeps its slot
      pool.invoke(second);
      assertTrue(pool.awaitIdle(Duration.ofSeconds(30)));
    }
    assertSame(first.get(), second.get());
    assertTrue(first.get() instanceof SlotWorkers.Worker);
    assertTrue(first.get().isDaemon());
    assertTrue(first.get().getName(), first.get().getName().startsWith("funcslot-"));
  }

  /** A group's members invoked on a PoolWithFunc on slots: counted, failures too. */
  @Test
  public void testTaskGroupWaitsForInvokesOnSlots() {
    AtomicInteger ran = new AtomicInteger();
    try (PoolWithFunc<Integer> pool = new PoolWithFunc<>(2, n -> {
          if (Thread.currentThread() instanceof SlotWorkers.Worker) ran.incrementAndGet();
          if (n % 5 == 0) throw new IllegalStateException("arg " + n);
        }, PoolOptions.builder().panicHandler(t -> {}).build());
         TaskGroup group = new TaskGroup()) {
      for (int i = 0; i < 10; i++) group.invoke(pool, i);
      group.await();
      assertEquals(0, group.pending());
      assertEquals(10, ran.get());
      assertEquals(2, group.failed());
    }
  }

  /** MultiPoolWithFunc's function runs on Java workers on its sub-pools' slots. */
  @Test
  public void testMultiPoolWithFuncRunsOnSlots() {
    int n = 100;
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger onSlots = new AtomicInteger();
    try (MultiPoolWithFunc<Integer> pool = new MultiPoolWithFunc<>(2, 2, i -> {
      if (Thread.currentThread() instanceof SlotWorkers.Worker) onSlots.incrementAndGet();
      done.countDown();
    }, LoadBalancingStrategy.ROUND_ROBIN)) {
      for (int i = 0; i < n; i++) pool.invoke(i);
      await(done);
      assertEquals(n, onSlots.get());
    }
  }

  @Test
  public void testTaskGroupWaitsForJavaTasksOnSlots() {
    try (Pool pool = new Pool(2, PoolOptions.builder().panicHandler(t -> {}).build());
         TaskGroup group = new TaskGroup()) {
      CountDownLatch gate = new CountDownLatch(1);
      AtomicInteger ran = new AtomicInteger();
      for (int i = 0; i < 10; i++) {
        int n = i;
        group.submit(pool, () -> {
          TestSupport.hold(gate);
          ran.incrementAndGet();
          if (n % 5 == 0) throw new IllegalStateException("task " + n);
        });
        if (i == 0) assertEquals(1, group.pending());
        if (i == 0) gate.countDown();
      }
      group.await();
      assertEquals(0, group.pending());
      assertEquals(10, ran.get());
      assertEquals(2, group.failed());
    }
  }

  @Test
  public void testTaskGroupAwaitFromItsOwnJavaTaskWouldDeadlock() {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try (Pool pool = new Pool(2); TaskGroup group = new TaskGroup()) {
      group.submit(pool, () -> {
        try {
          group.await();
        } catch (Throwable t) {
          thrown.set(t);
        }
      });
      group.await();
    }
    assertTrue(String.valueOf(thrown.get()), thrown.get() instanceof WouldDeadlockException);
  }

  @Test
  public void testThrowingTasksKeepTheirWorkerAndReachTheHandler() {
    List<Throwable> got = new CopyOnWriteArrayList<>();
    Set<Thread> workers = ConcurrentHashMap.newKeySet();
    try (Pool pool = new Pool(1, PoolOptions.builder().disablePurge(true)
        .panicHandler(got::add).build())) {
      for (int i = 0; i < 20; i++) {
        pool.execute(() -> {
          workers.add(Thread.currentThread());
          throw new IllegalArgumentException("boom");
        });
        // One at a time: the next task finds the worker idle, not giving
        // its slot to a waiting submitter.
        assertTrue(pool.awaitIdle(Duration.ofSeconds(30)));
      }
      // Many at once: every task runs and is reported, whatever thread.
      for (int i = 0; i < 1000; i++) {
        pool.execute(() -> {
          throw new IllegalArgumentException("boom");
        });
      }
      assertTrue(pool.awaitIdle(Duration.ofSeconds(30)));
      assertEquals(1020, pool.failedTasks());
    }
    assertEquals(1020, got.size());
    assertTrue(got.get(0) instanceof IllegalArgumentException);
    assertEquals(1, workers.size()); // a throw does not cost the worker
  }

  @Test
  public void testMultiPoolSlotsSpreadOverSubPools() {
    try (MultiPool pool = new MultiPool(2, 1, LoadBalancingStrategy.ROUND_ROBIN, keep())) {
      CountDownLatch started = new CountDownLatch(2);
      CountDownLatch gate = new CountDownLatch(1);
      pool.execute(blocker(started, gate));
      pool.execute(blocker(started, gate));
      await(started);
      assertEquals(1, pool.subPool(0).running());
      assertEquals(1, pool.subPool(1).running());
      assertEquals(1, pool.subPool(0).busy());
      assertEquals(1, pool.subPool(1).busy());
      gate.countDown();
      assertTrue(pool.awaitIdle(Duration.ofSeconds(30)));
      assertEquals(0, pool.busy());
    }
  }

  @Test
  public void testBorrowedPoolRunsJavaTasksOnSlotsToo() {
    long handle = CSide.newPool(2);
    try {
      Pool pool = Pool.fromHandle(handle);
      assertEquals(ants_status.ANTS_OK, CSide.heldSubmit(handle, -1));
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch gate = new CountDownLatch(1);
      pool.execute(blocker(started, gate));
      await(started);
      waitUntil("the C task started", () -> CSide.heldStarted() == 1);
      assertEquals(2, pool.busy());
      assertThrows(AntsTimeoutException.class,
          () -> pool.submitBlocking(() -> {}, Duration.ofMillis(10)));
      gate.countDown();
      CSide.heldOpen();
      assertTrue(pool.awaitIdle(Duration.ofSeconds(30)));
      pool.release();
      waitUntil("the borrowed pool's workers left", () -> pool.running() == 0);
    } finally {
      CSide.freePool(handle);
    }
  }

  /**
   * Java submitters, C submitters and tunes at once. A Java worker idles
   * with its slot still busy, outside the lock (SlotWorkers.hot), while C
   * callers make the pool take idle slots back and tunes shrink and grow
   * it: every Java task runs exactly once, C and Java tasks together never
   * exceed the capacity, and no slot or thread is left behind.
   */
  @Test
  public void testHandOffsRaceCCallersAndTunesWithoutLosingAnything() throws Exception {
    int perSubmitter = 20_000;
    int javaSubmitters = 2;
    int cTasks = 5_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(perSubmitter * javaSubmitters);
    CSide.reset();
    Pool pool = new Pool(3, PoolOptions.builder().threadName("handoffrace").build());
    long cSubmitters = CSide.startSubmitters(pool.handle(), 2, cTasks);
    assertTrue(cSubmitters != 0);
    Thread[] submitters = new Thread[javaSubmitters];
    AtomicReference<Throwable> failed = new AtomicReference<>();
    for (int s = 0; s < javaSubmitters; s++) {
      int first = s * perSubmitter;
      boolean tunes = s == 0;
      submitters[s] = new Thread(() -> {
        try {
          for (int i = 0; i < perSubmitter; i++) {
            int index = first + i;
            if (tunes && i % 500 == 0) pool.tune(i % 1000 == 0 ? 2 : 3);
            pool.execute(() -> {
              CSide.enter();
              runs.incrementAndGet(index);
              CSide.leave();
            });
          }
        } catch (Throwable t) {
          failed.set(t);
        }
      });
      submitters[s].setDaemon(true); // a stuck one must not keep the JVM alive
      submitters[s].start();
    }
    for (Thread t : submitters) t.join(TestSupport.DEADLINE_MS);
    for (Thread t : submitters) assertFalse("a submitter is stuck", t.isAlive());
    assertEquals(null, failed.get());
    // Lost capacity would leave C submitters blocked: fail, not hang.
    waitUntil("every C task ran", () -> CSide.cTasksRan() == 2 * cTasks);
    assertEquals(0, CSide.joinSubmitters(cSubmitters));
    assertTrue(pool.awaitIdle(Duration.ofSeconds(60)));
    for (int i = 0; i < runs.length(); i++) assertEquals("task " + i, 1, runs.get(i));
    assertTrue("max concurrent " + CSide.maxConcurrent(), CSide.maxConcurrent() <= 3);
    assertEquals(0, pool.busy());
    pool.close();
    assertEquals(0, pool.running());
    waitUntil("every worker thread ended", () -> threadsNamed("handoffrace") == 0);
  }

  @Test
  public void testNoThreadOrSlotLeakAfterAMillionTasks() {
    int tasks = 1_000_000;
    AtomicInteger ran = new AtomicInteger();
    Pool pool = new Pool(2, PoolOptions.builder().threadName("leakcheck").build());
    for (int i = 0; i < tasks; i++) pool.execute(ran::incrementAndGet);
    assertTrue(pool.awaitIdle(Duration.ofSeconds(60)));
    assertEquals(tasks, ran.get());
    assertEquals(0, pool.busy());
    assertTrue("running " + pool.running(), pool.running() <= 2);
    // At most one thread per slot, plus spares (threads whose slot went to a
    // waiting submitter) until they expire (after 1 s).
    waitUntil("at most one thread per slot", () -> threadsNamed("leakcheck") <= 2);
    pool.close();
    assertEquals(0, pool.running());
    waitUntil("every worker thread ended", () -> threadsNamed("leakcheck") == 0);
  }
}
