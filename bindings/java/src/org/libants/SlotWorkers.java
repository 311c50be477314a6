package org.libants;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the Java tasks of a pool without a task queue on recycled Java
 * threads, ants-style, each holding a <em>slot</em> of the native pool
 * (ants.h, "Slots"), so that Java tasks and the C/C++ tasks of the same pool
 * share one capacity: a slot counts in running() while held and in busy()
 * while a task runs on it.
 *
 * <p>An idle worker keeps its slot and waits on a LIFO stack (the most
 * recently idled is reused first, as in ants), spinning briefly and then
 * parked; it gives its slot back when it has been idle for the pool's
 * expiry, when the pool asks for idle slots (the slot listener: a native
 * submitter waits, the capacity shrank, the pool was released), or when
 * ants_slot_end says so after a task. Right after a task a worker idles
 * with its slot still busy and polls for its next task (Worker.afterTask):
 * outside the lock (hot) if it is the newest idle worker, so a busy pool's
 * hand-off costs an atomic swap on each side and two cheap down-calls
 * (ants_waiting, ants_is_closed); ants_slot_begin and ants_slot_end run only
 * when the poll runs out. There is no up-call per task: the engine calls
 * Java only when a submitter had to wait in line (its grant unparks the
 * submitter) and when it wants idle slots back.
 *
 * <p>A worker that had to give its slot back after a task stays on as a
 * spare thread without a slot for the next submitter that gets a new slot,
 * so that a busy pool whose slots change hands does not start a thread per
 * task. Spares expire like idle workers.
 *
 * <p>Holds no reference to its Pool, so that the pool object can be
 * collected while workers live; AbstractPool's Cleaner closes it.
 */
final class SlotWorkers {
  /** submit's answer when the pool refuses slots (it has a task queue). */
  static final int NO_SLOTS = Integer.MIN_VALUE;
  /** Nested submits run inline at most this deep (the engine's ANTS_MAX_INLINE_DEPTH). */
  static final int MAX_INLINE_DEPTH = 256;
  /**
   * How long an idle worker polls for its next task, and a submitter of a
   * full pool for an idle worker, before parking: a hand-off caught while
   * spinning costs no park and no wake-up (which is most of the cost of an
   * empty task otherwise).
   */
  private static final long SPIN_NANOS = Long.getLong("org.libants.spinNanos", 20_000L);
  /**
   * Polls with a pause instruction first, then with Thread.yield(): on an
   * oversubscribed machine a spinning thread must not keep the one it waits
   * for (or the submitter) off the CPU.
   */
  private static final int PAUSES = 64;
  /** How long a submitter waits for the worker that granted its slot to become a spare. */
  private static final long SPARE_WAIT_NANOS = 50_000_000L;

  /** One poll of a spin-wait that began at start (i counts from 1); false once it is over. */
  static boolean keepSpinning(int i, long start) {
    return keepSpinning(i, start, SPIN_NANOS);
  }

  /** keepSpinning for at most limit nanoseconds. */
  static boolean keepSpinning(int i, long start, long limit) {
    if (i < PAUSES) {
      Thread.onSpinWait();
      return true;
    }
    if (System.nanoTime() - start > limit) return false;
    Thread.yield();
    return true;
  }

  /** Worker.await's answer when the slot listener took the worker's slot. */
  private static final Runnable GIVE_UP = () -> { };

  /** Spare threads kept at most; more leave at once. */
  private static final int MAX_SPARES = 64;

  private static final int OK = ants_status.ANTS_OK;
  private static final int TIMEOUT = ants_status.ANTS_ERR_TIMEOUT;
  /** waitInLine: an idle worker appeared and the wait was taken back; try again. */
  private static final int RETRY = Integer.MIN_VALUE + 1;

  private final long pool;
  /** False for pools made by C code: tasks then run as before, "unowned". */
  private final boolean owned;
  private final String prefix;
  private final long stackSize;
  private final AtomicInteger names = new AtomicInteger();
  /** How long an idle worker or a spare lives; negative: forever. */
  private final long expiryNanos;
  /** The native slot listener (ants_jni.c), 0 once removed. */
  private long listener;

  private final Object lock = new Object();
  /** Idle workers, each with an idle slot; [0] is the coldest. Guarded by lock. */
  private Worker[] idle = new Worker[8];
  /** Its size; written under lock, read without it by spinning submitters. */
  private volatile int idleCount;
  /**
   * The worker that idled last, if it did so with its slot still busy
   * (Worker.afterTask): newer than every worker in idle, and kept out of
   * the lock, so that a busy pool's hand-off costs one atomic swap on each
   * side instead of the lock on each side (which, contended by the
   * submitter and the workers, inflates into a monitor). Set only by its
   * worker, with a compare-and-set from null; moved into idle under lock
   * when a newer worker idles; taken by a submitter's swap, or under lock.
   */
  private final AtomicReference<Worker> hot = new AtomicReference<>();
  /** Workers without a slot waiting to be given one. Guarded by lock. */
  private Worker[] spares = new Worker[8];
  private volatile int spareCount;
  /**
   * Workers handed a task that are not back yet (idle, spare or gone).
   * Written under lock, read without it.
   */
  private volatile int active;
  /** Slots held by this pool's workers, idle or busy. Guarded by lock. */
  private volatile int held;
  /**
   * Idle slots the pool asked for and did not get yet: the next idle ones
   * go. Written under lock; read without it before a worker goes hot.
   */
  private volatile int owed;
  /** The Java pool is gone: slots are given back instead of kept. Written under lock. */
  private volatile boolean closed;
  /**
   * The last try for a new slot found the pool full and no slot of this
   * pool went back since: a submitter then watches this pool's own busy
   * workers for a moment before asking the pool again.
   */
  private volatile boolean full;
  /** Submitters parked in line, woken when a worker goes idle. */
  private final Set<Thread> inLine = ConcurrentHashMap.newKeySet();

  SlotWorkers(long pool, boolean owned, String prefix, long stackSize) {
    this.pool = pool;
    this.owned = owned;
    this.prefix = prefix != null ? prefix : "ants";
    this.stackSize = stackSize;
    long ms = Native.poolExpiryMs(pool);
    this.expiryNanos = ms < 0 && ms != Long.MIN_VALUE ? -1 : Math.max(1, ms == Long.MIN_VALUE ? 1000 : ms) * 1_000_000L;
  }

  /** Registers the slot listener; false if the pool refused it. */
  boolean listen() {
    listener = Native.listenerAdd(pool, this);
    return listener != 0;
  }

  /**
   * Runs task on a worker of this pool: an idle one, else one on a new slot,
   * else - the pool being full - inline if called from one of this pool's
   * own tasks, else after waiting (at most timeoutNanos; negative: as long
   * as needed, 0: not at all) for a worker or a slot.
   *
   * @return a status of ants.h, or NO_SLOTS if the pool refuses slots
   */
  int submit(Runnable task, long timeoutNanos, Callbacks callbacks) {
    boolean timed = timeoutNanos >= 0;
    long deadline = timed ? System.nanoTime() + timeoutNanos : 0;
    boolean spun = false;
    for (;;) {
      if (handToIdle(task)) return OK;
      if (full && !spun && held > 0 && ownWorker() == null) {
        spun = true;
        if (spinForIdle()) continue;
      }
      int rc = acquireNow(task, callbacks);
      full = rc == TIMEOUT;
      if (rc != TIMEOUT) return rc;
      Worker self = ownWorker();
      if (self != null) {
        self.runNested(task);
        return OK;
      }
      if (timed && deadline - System.nanoTime() <= 0) return TIMEOUT;
      if (!spun && held > 0) {
        spun = true;
        if (spinForIdle()) continue;
      }
      rc = waitInLine(task, timed, deadline, callbacks);
      if (rc != RETRY) return rc;
    }
  }

  /**
   * Waits until every worker that ran a task is back, idle or spare, at
   * most until deadline (System.nanoTime); for awaitIdle, after the pool
   * saw no busy slot: a worker ends its slot just before it goes idle.
   * timed false: no deadline.
   */
  boolean awaitSettled(boolean timed, long deadline) {
    long start = System.nanoTime();
    for (int i = 1; active > 0; i++) {
      if (keepSpinning(i, start)) continue;
      if (timed && deadline - System.nanoTime() <= 0) return false;
      LockSupport.parkNanos(100_000); // new tasks started meanwhile: poll slowly
    }
    return true;
  }

  /** The calling thread's Worker if it is one of this pool's, else null. */
  Worker ownWorker() {
    Thread t = Thread.currentThread();
    return t instanceof Worker && ((Worker) t).owner() == this ? (Worker) t : null;
  }

  /** Whether a worker is idle (a hint, without the lock). */
  private boolean hasIdle() {
    return idleCount > 0 || hot.get() != null;
  }

  /** Pops idle workers until one takes task (ants_slot_begin); false if none is idle. */
  private boolean handToIdle(Runnable task) {
    Worker h = hot.get() != null ? hot.getAndSet(null) : null;
    if (h != null) {
      // Its slot is busy (only afterTask makes a worker hot): as below.
      h.slotBusy = false;
      if (AntsC.ants_is_closed(pool) == 0) {
        h.hand(task);
        return true;
      }
      synchronized (lock) {
        dropHeld(1);
      }
      h.retire();
    }
    while (idleCount > 0) {
      Worker w;
      synchronized (lock) {
        if (idleCount == 0) return false;
        w = idle[--idleCount];
        idle[idleCount] = null;
        if (w.slotBusy) {
          // Just done with a task and its slot still busy (see Worker.afterTask):
          // no ants_slot_begin, no ants_slot_end in between - unless the pool
          // was released meanwhile (ants_slot_begin would say so).
          w.slotBusy = false;
          if (AntsC.ants_is_closed(pool) == 0) {
            w.hand(task);
            return true;
          }
          dropHeld(1);
          w.retire(); // it ends its slot and leaves
          continue;
        }
        active++;
      }
      if (AntsC.ants_slot_begin(pool, w.slot) == OK) {
        w.hand(task);
        return true;
      }
      synchronized (lock) {
        active--;
        dropHeld(1); // closed or rebooted since: the worker releases its slot and leaves
      }
      w.retire();
    }
    return false;
  }

  /** A new slot if one is free right now, for task; TIMEOUT if the pool is full. */
  private int acquireNow(Runnable task, Callbacks callbacks) {
    long[] out = new long[1];
    int rc = Native.slotAcquire(pool, 0, out);
    if (rc == OK) return start(out[0], task, callbacks, false);
    if (rc == ants_status.ANTS_ERR_INVALID_ARGUMENT) return NO_SLOTS;
    return rc;
  }

  /** Busy workers may go idle any moment: watch the idle stack for a while. */
  private boolean spinForIdle() {
    long start = System.nanoTime();
    for (int i = 1; !hasIdle(); i++) {
      if (!keepSpinning(i, start)) return false;
    }
    return true;
  }

  /**
   * Waits in the pool's line for a slot (ants_slot_acquire_async), parked,
   * until the grant, the deadline, or an idle worker of this pool (then the
   * wait is taken back and the caller tries again). An interrupt does not
   * end the wait (as today's submit); the flag is kept.
   */
  private int waitInLine(Runnable task, boolean timed, long deadline, Callbacks callbacks) {
    Thread me = Thread.currentThread();
    long waiter = Native.waiterNew(me);
    if (waiter == 0) return ants_status.ANTS_ERR_NO_MEMORY;
    long[] out = new long[2];
    int rc = Native.slotAcquireAsync(pool, waiter, out);
    if (rc != OK || out[0] != 0) {
      Native.waiterRelease(waiter, 2); // the grant will never run
      return rc != OK ? rc : start(out[0], task, callbacks, false);
    }
    long ticket = out[1];
    boolean cancelFailed = false;
    boolean interrupted = false;
    inLine.add(me);
    try {
      for (;;) {
        rc = Native.waiterPoll(waiter, out);
        if (rc != 1) {
          Native.waiterRelease(waiter, 1);
          return rc != OK ? rc : start(out[0], task, callbacks, out[1] != 0);
        }
        boolean late = timed && deadline - System.nanoTime() <= 0;
        if (!cancelFailed && (late || hasIdle())) {
          if (AntsC.ants_slot_cancel(pool, ticket) == OK) {
            Native.waiterRelease(waiter, 2);
            return late ? TIMEOUT : RETRY;
          }
          cancelFailed = true; // granted meanwhile: the next poll has it
          continue;
        }
        if (timed && !cancelFailed) {
          LockSupport.parkNanos(this, deadline - System.nanoTime());
        } else {
          LockSupport.park(this);
        }
        if (Thread.interrupted()) interrupted = true;
      }
    } finally {
      inLine.remove(me);
      if (interrupted) me.interrupt();
    }
  }

  /** Runs task on a new busy slot: on a spare thread, else a new one. */
  private int start(long slot, Runnable task, Callbacks callbacks, boolean spareComing) {
    // A worker of this pool that is giving its slot back (most often the
    // very slot this caller got) becomes a spare in a moment: wait for it
    // rather than start a thread. A worker drops its slot and becomes a
    // spare in one step under lock, so while none holds a slot, none is on
    // its way. spareComing: the slot came from a worker's ants_slot_end, so
    // one surely comes (unless the spares are full): wait longer for it.
    Worker w;
    synchronized (lock) {
      held++;
      active++;
      w = popSpare();
    }
    if (w == null && (spareComing || active > 1)) {
      long start = System.nanoTime();
      long limit = spareComing ? SPARE_WAIT_NANOS : SPIN_NANOS;
      for (int i = 1; spareCount == 0 && keepSpinning(i, start, limit); i++) {
        // wait
      }
      synchronized (lock) {
        w = popSpare();
      }
    }
    if (w != null) {
      w.slot = slot;
      w.hand(task);
      return OK;
    }
    w = new Worker(slot, task, callbacks);
    try {
      w.start();
    } catch (Throwable noThread) { // OutOfMemoryError: unable to create native thread
      synchronized (lock) {
        active--;
        dropHeld(1);
      }
      if (AntsC.ants_slot_end(pool, slot) == 1) AntsC.ants_slot_release(pool, slot);
      return ants_status.ANTS_ERR_SYSTEM;
    }
    return OK;
  }

  /** A spare, or null; under lock. */
  private Worker popSpare() {
    if (spareCount == 0) return null;
    Worker w = spares[--spareCount];
    spares[spareCount] = null;
    return w;
  }

  /**
   * The slot listener (from any thread, through ants_jni.c): gives back up
   * to count idle slots, the coldest first; what cannot be given now is
   * owed by the next workers that go idle.
   */
  void giveBack(int count) {
    Worker[] out;
    synchronized (lock) {
      flushHotLocked();
      int n = Math.min(count, idleCount);
      out = new Worker[n];
      System.arraycopy(idle, 0, out, 0, n);
      System.arraycopy(idle, n, idle, 0, idleCount - n);
      for (int i = idleCount - n; i < idleCount; i++) idle[i] = null;
      idleCount -= n;
      dropHeld(n);
      if (count > n) owed = (int) Math.min((long) owed + (count - n), held - idleCount);
    }
    for (Worker w : out) w.giveUp();
  }

  /** The pool was released: idle workers give their slots back now, spares leave. */
  void retireIdle() {
    retire(false);
  }

  /**
   * The Java pool is unreachable: every slot goes back as soon as its
   * worker is idle, spares leave, and the listener is removed.
   */
  void close() {
    retire(true);
    if (listener != 0) {
      Native.listenerRemove(pool, listener);
      listener = 0;
    }
  }

  private void retire(boolean close) {
    Worker[] out;
    synchronized (lock) {
      if (close) closed = true;
      flushHotLocked();
      out = new Worker[idleCount + spareCount];
      System.arraycopy(idle, 0, out, 0, idleCount);
      System.arraycopy(spares, 0, out, idleCount, spareCount);
      Arrays.fill(idle, null);
      Arrays.fill(spares, null);
      dropHeld(idleCount);
      idleCount = 0;
      spareCount = 0;
    }
    for (Worker w : out) w.retire();
  }


  /** Moves the hot worker, if any, onto the idle stack; under lock. */
  private void flushHotLocked() {
    Worker older = hot.getAndSet(null);
    if (older != null) {
      idle = push(idle, idleCount, older);
      idleCount++;
    }
  }

  /** Slots given back: the pool may have room again. Under lock. */
  private void dropHeld(int n) {
    held -= n;
    if (n > 0) full = false;
  }

  private static Worker[] push(Worker[] stack, int size, Worker w) {
    if (size == stack.length) stack = Arrays.copyOf(stack, size * 2);
    stack[size] = w;
    return stack;
  }

  private static boolean remove(Worker[] stack, int size, Worker w) {
    for (int i = size - 1; i >= 0; i--) {
      if (stack[i] == w) {
        System.arraycopy(stack, i + 1, stack, i, size - 1 - i);
        stack[size - 1] = null;
        return true;
      }
    }
    return false;
  }

  /** A Java thread running this pool's tasks, on a slot or waiting for one. */
  final class Worker extends Thread {
    /** The slot held, 0 for a spare. Written by whoever hands the task, before it. */
    long slot;
    private volatile Runnable task;
    private volatile boolean retired;
    /**
     * Idle (hot or on the idle stack) with its slot still busy (afterTask).
     * Set by the worker before it goes hot or under lock; cleared by
     * whoever takes it from there, or by the worker once its poll is over.
     */
    boolean slotBusy;
    private volatile boolean givingUp;
    private volatile boolean parked;
    /** Depth of nested submits run inline on this thread. */
    private int depth;
    /** Nested submits past MAX_INLINE_DEPTH, run after the current task. */
    private ArrayDeque<Runnable> deferred;
    /** A Throwable no handler could take when thrown (stack exhausted), and how many more. */
    private Throwable late;
    private long lateDropped;
    /**
     * The pool's callbacks, held by each live worker (as by native ones) and
     * not by SlotWorkers, which the Cleaner's action reaches: a pool whose
     * handler refers to the pool must still become unreachable.
     */
    private final Callbacks callbacks;

    Worker(long slot, Runnable first, Callbacks callbacks) {
      super(null, null, prefix + "-" + names.incrementAndGet(), stackSize, false);
      setDaemon(true);
      this.slot = slot;
      this.task = first;
      this.callbacks = callbacks;
    }

    SlotWorkers owner() {
      return SlotWorkers.this;
    }

    void hand(Runnable t) {
      task = t;
      if (parked) LockSupport.unpark(this);
    }

    void retire() {
      retired = true;
      if (parked) LockSupport.unpark(this);
    }

    /**
     * The slot listener wants this idle worker's slot: it gives it back and
     * stays on as a spare - the caller that waits for the slot is often a
     * submitter of this pool, which then finds this thread ready.
     */
    void giveUp() {
      givingUp = true;
      if (parked) LockSupport.unpark(this);
    }

    @Override
    public void run() {
      Native.markSlotWorker();
      if (owned) {
        callbacks.onWorkerStart();
      } else {
        setContextClassLoader(ClassLoader.getSystemClassLoader());
        callbacks.workers.add(this);
      }
      try {
        Runnable t = task;
        task = null;
        while (t != null) {
          runTop(t);
          t = afterTask();
        }
      } finally {
        callbacks.onWorkerExit();
      }
    }

    /**
     * After a task. The slot stays busy for a moment: the worker goes back
     * on the idle stack at once and polls for its next task, and a
     * submitter that takes it then skips ants_slot_begin, as the worker
     * skips ants_slot_end - for a pool kept busy that is the whole per-task
     * cost saved. When the poll runs out (or someone waits for room in the
     * pool, or the listener wants the worker) the slot is ended as usual.
     */
    private Runnable afterTask() {
      // A waiting caller gets the slot now; so does the pool if it asked.
      boolean lazy = AntsC.ants_waiting(pool) == 0 && !closed && owed == 0;
      if (lazy) {
        slotBusy = true;
        if (!hot.compareAndSet(null, this)) {
          synchronized (lock) {
            lazy = !closed && owed == 0;
            if (lazy) {
              Worker older = hot.getAndSet(this);
              if (older != null) {
                idle = push(idle, idleCount, older);
                idleCount++;
              }
            } else {
              slotBusy = false;
            }
          }
        }
      }
      if (lazy) {
        if (!inLine.isEmpty()) {
          for (Thread t : inLine) LockSupport.unpark(t);
        }
        long start = System.nanoTime();
        for (int i = 1; ; i++) {
          Runnable t = task;
          if (t != null) return take(t); // slotBusy was cleared by the submitter
          if (retired || givingUp || !keepSpinning(i, start)) break;
        }
        boolean taken;
        if (hot.compareAndSet(this, null)) {
          taken = false;
          slotBusy = false;
        } else {
          // Taken, or moved onto the idle stack under lock by a newer worker.
          synchronized (lock) {
            taken = !remove(idle, idleCount, this);
            if (!taken) idleCount--;
            slotBusy = false;
          }
        }
        if (taken) return awaitTaken();
      }
      return AntsC.ants_slot_end(pool, slot) == 1 ? goIdle() : goSpare(true);
    }

    /**
     * Taken off the idle stack while its slot was busy: by a submitter (a
     * task comes), the listener or a release (retired, givingUp). The slot
     * is still busy, so leaving ends it first.
     */
    private Runnable awaitTaken() {
      for (;;) {
        Runnable t = task;
        if (t != null) return take(t);
        if (retired || givingUp) {
          // Whoever took this worker counted its slot out already.
          if (AntsC.ants_slot_end(pool, slot) == 1) AntsC.ants_slot_release(pool, slot);
          synchronized (lock) {
            active--;
          }
          givingUp = false;
          slot = 0;
          return retired ? null : goSpare(false);
        }
        parked = true;
        if (task == null && !retired && !givingUp) LockSupport.park(this);
        parked = false;
        Thread.interrupted();
      }
    }

    /** After ants_slot_end kept the slot: waits, idle, for the next task; null to leave. */
    private Runnable goIdle() {
      boolean giveBack;
      synchronized (lock) {
        active--;
        giveBack = closed || owed > 0;
        if (giveBack) {
          if (owed > 0) owed--;
          dropHeld(1);
        } else {
          flushHotLocked(); // this worker is newer than the hot one
          idle = push(idle, idleCount, this);
          idleCount++;
          slotBusy = false;
        }
      }
      if (giveBack) {
        AntsC.ants_slot_release(pool, slot);
        slot = 0;
        return goSpare(false);
      }
      if (!inLine.isEmpty()) {
        for (Thread t : inLine) LockSupport.unpark(t);
      }
      Runnable t = await(false);
      if (t != GIVE_UP) return t;
      givingUp = false;
      AntsC.ants_slot_release(pool, slot); // the grant to a waiter may run in here
      slot = 0;
      return goSpare(false);
    }

    /**
     * The slot went back: waits, as a spare without one, for a new slot;
     * null to leave. slotEnded: ants_slot_end gave it back, and it is
     * uncounted yet.
     */
    private Runnable goSpare(boolean slotEnded) {
      slot = 0;
      synchronized (lock) {
        if (slotEnded) {
          active--;
          dropHeld(1);
        }
        if (closed || spareCount >= MAX_SPARES) return null;
        spares = push(spares, spareCount, this);
        spareCount++;
      }
      return await(true);
    }

    /**
     * Spins, then parks, until handed a task (returned) or retired, or
     * expired (null; an idle slot is then released here).
     */
    private Runnable await(boolean spare) {
      long start = System.nanoTime();
      for (int i = 1; ; i++) {
        Runnable t = task;
        if (t != null) return take(t);
        if (retired) return leave();
        if (givingUp) return GIVE_UP;
        if (!keepSpinning(i, start)) break;
      }
      // Spares hold no slot; they leave after the expiry, or after 1 s
      // where idle workers never expire.
      long life = spare && expiryNanos < 0 ? 1_000_000_000L : expiryNanos;
      long deadline = System.nanoTime() + life;
      boolean expires = life >= 0;
      parked = true;
      try {
        for (;;) {
          Runnable t = task;
          if (t != null) return take(t);
          if (retired) return leave();
          if (givingUp) return GIVE_UP;
          if (expires) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              if (expire(spare)) {
                retired = true;
              } else {
                expires = false; // taken meanwhile: a task or a retire comes
              }
              continue;
            }
            LockSupport.parkNanos(this, left);
          } else {
            LockSupport.park(this);
          }
          Thread.interrupted(); // shutdownNow's interrupt must not make park return at once
        }
      } finally {
        parked = false;
      }
    }

    /** Leaves the idle stack (or the spares) unless someone took this worker; under lock. */
    private boolean expire(boolean spare) {
      synchronized (lock) {
        if (spare) {
          if (!remove(spares, spareCount, this)) return false;
          spareCount--;
        } else {
          if (!remove(idle, idleCount, this)) return false;
          idleCount--;
          dropHeld(1);
        }
        return true;
      }
    }

    private Runnable take(Runnable t) {
      task = null;
      return t;
    }

    /** Retired or expired: an idle slot goes back to the pool. */
    private Runnable leave() {
      if (slot != 0) {
        AntsC.ants_slot_release(pool, slot);
        slot = 0;
      }
      return null;
    }

    /** A task handed to this worker, then the nested submits it deferred. */
    private void runTop(Runnable t) {
      runOne(t, true);
      if (deferred != null) {
        for (Runnable d; (d = deferred.poll()) != null; ) runOne(d, true);
      }
      if (late != null) {
        Throwable l = late;
        long dropped = lateDropped;
        late = null;
        lateDropped = 0;
        reportLate(l, dropped);
      }
    }

    private void runOne(Runnable t, boolean top) {
      try {
        if (owned) {
          callbacks.runTask(t, top);
        } else {
          Callbacks.runUnowned(t, top);
        }
      } catch (Throwable unreported) { // only when the stack was exhausted
        if (top) {
          reportLate(unreported, 0);
        } else {
          keepLate(unreported);
        }
      }
    }

    private void keepLate(Throwable t) {
      if (late == null) {
        late = t;
      } else {
        lateDropped++;
      }
    }

    private void reportLate(Throwable t, long dropped) {
      try {
        if (owned) {
          callbacks.reportLate(t, dropped);
        } else {
          Callbacks.unhandled(t);
        }
      } catch (Throwable ignored) {
        // a handler throwing here has nowhere left to report to
      }
    }

    /**
     * A task submitted from one of this worker's tasks while the pool is
     * full: inline, as the engine does for its own workers, up to
     * MAX_INLINE_DEPTH deep; deeper ones run on this worker after the
     * current task, so the stack stays bounded and every task runs once.
     */
    void runNested(Runnable t) {
      if (depth >= MAX_INLINE_DEPTH) {
        if (deferred == null) deferred = new ArrayDeque<>();
        deferred.add(t);
        return;
      }
      depth++;
      try {
        runOne(t, false);
      } catch (Throwable unreported) {
        keepLate(unreported);
      } finally {
        depth--;
      }
    }
  }
}
