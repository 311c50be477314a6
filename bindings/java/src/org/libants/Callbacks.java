package org.libants;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What native code calls on worker threads: one object per pool, held
 * strongly by the Java pool object and by each of its live workers, and only
 * weakly by the pool's native context, so that a pool whose function or
 * handler refers back to the pool can still be collected once its workers
 * are gone. It must never throw, except a StackOverflowError it had no stack
 * left to handle: native code keeps that one and reports it later.
 */
final class Callbacks {
  private static final System.Logger LOG = System.getLogger("org.libants");

  private final Consumer<? super Throwable> panicHandler;
  private final Consumer<? super String> logger;
  /** The function of a pool with a function, else null. */
  private final Consumer<Object> func;
  /** Workers' context class loader: the one of the thread that made the pool. */
  private final ClassLoader loader;
  /** Tasks that threw, reported or not. */
  private final AtomicLong failed = new AtomicLong();
  /** Live worker threads, for shutdownNow() to interrupt. */
  final Set<Thread> workers = ConcurrentHashMap.newKeySet();
  /** Set by shutdownNow(): tasks started from now on start interrupted. */
  volatile boolean stopping;

  Callbacks(Consumer<? super Throwable> panicHandler, Consumer<? super String> logger,
            Consumer<Object> func) {
    this.panicHandler = panicHandler;
    this.logger = logger;
    this.func = func;
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    this.loader = cl != null ? cl : Callbacks.class.getClassLoader();
  }

  long failedTasks() {
    return failed.get();
  }

  /**
   * Runs a Runnable task. top: not run inline by a nested submit. As
   * ThreadPoolExecutor does, a top-level task starts with its thread's
   * interrupt flag clear (set after shutdownNow) and leaves none behind.
   */
  void runTask(Runnable task, boolean top) {
    if (top) beforeTask();
    try {
      task.run();
    } catch (Throwable t) {
      report(t);
    } finally {
      if (top) Thread.interrupted();
    }
  }

  /**
   * runTask for a task that crossed as a TaskSlots index: empties the slot
   * (plain loads and stores, so that nothing between the entry and the
   * emptying can fail) and runs it. Never throws: what could not be
   * reported is returned, for native code to keep. So native code knows
   * that an exception escaping this method means the call never started,
   * and that the slot is still full.
   */
  Throwable runSlot(int slot, boolean top) {
    Object task = TaskSlots.SLOTS[slot];
    TaskSlots.SLOTS[slot] = null;
    try {
      runTask((Runnable) task, top);
      return null;
    } catch (Throwable unreported) {
      return unreported;
    }
  }

  /** invokeTask for an argument that crossed as a TaskSlots index; rules of runSlot. */
  Throwable invokeSlot(int slot, boolean top) {
    Object arg = TaskSlots.SLOTS[slot];
    TaskSlots.SLOTS[slot] = null;
    try {
      invokeTask(arg, top);
      return null;
    } catch (Throwable unreported) {
      return unreported;
    }
  }

  /** Runs the pool's function with arg; rules of runTask. */
  void invokeTask(Object arg, boolean top) {
    if (top) beforeTask();
    try {
      func.accept(arg);
    } catch (Throwable t) {
      report(t);
    } finally {
      if (top) Thread.interrupted();
    }
  }

  private void beforeTask() {
    if (stopping) {
      Thread.currentThread().interrupt();
    } else {
      Thread.interrupted();
    }
  }

  /**
   * Hands a task's Throwable to the handler and counts it. Without the stack
   * to do so, the task's own Throwable goes back to native code, which keeps
   * it for reportLate instead of losing it.
   */
  private void report(Throwable t) {
    try {
      onThrowable(t);
    } catch (StackOverflowError noStack) {
      throw sneaky(t); // reportLate counts it
    }
    failed.incrementAndGet();
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  /** A Throwable the stack was too deep to report when thrown. */
  void reportLate(Throwable t, long dropped) {
    failed.addAndGet(1 + dropped);
    onThrowable(t);
    if (dropped > 0) {
      onLog(dropped + " more Throwables thrown by tasks of this pool could not be reported"
          + " (the stack was exhausted)");
    }
  }

  /** A task threw: the panic handler gets it, else the logger gets its stack trace. */
  void onThrowable(Throwable thrown) {
    if (panicHandler != null) {
      try {
        panicHandler.accept(thrown);
        return;
      } catch (StackOverflowError e) {
        throw e;
      } catch (Throwable handlerFailure) {
        // Not addSuppressed: a task may rethrow one shared instance forever.
        onLog("task threw " + stackTrace(thrown) + "\npanic handler threw "
            + stackTrace(handlerFailure));
        return;
      }
    }
    onLog("task threw " + stackTrace(thrown));
  }

  /** A log message, from the engine or from onThrowable. */
  void onLog(String message) {
    try {
      if (logger != null) {
        logger.accept(message);
      } else {
        LOG.log(System.Logger.Level.WARNING, message);
      }
    } catch (StackOverflowError e) {
      throw e; // native code keeps the task's Throwable for later
    } catch (Throwable ignored) {
      // A logger that throws has nowhere left to report to.
    }
  }

  /** Worker start: its context class loader, and registration for shutdownNow. */
  void onWorkerStart() {
    Thread self = Thread.currentThread();
    self.setContextClassLoader(loader);
    workers.add(self);
  }

  void onWorkerExit() {
    workers.remove(Thread.currentThread());
  }

  /**
   * A task on a thread no Java pool started: a worker of a pool made by C
   * code (fromHandle, the default pool), attached on its first Java task, or
   * one whose pool object is gone. It gets the system class loader if it has
   * none, and a clear interrupt flag before and after.
   */
  static void runUnowned(Runnable task, boolean top) {
    if (top) {
      Thread self = Thread.currentThread();
      if (self.getContextClassLoader() == null) {
        self.setContextClassLoader(ClassLoader.getSystemClassLoader());
      }
      Thread.interrupted();
    }
    try {
      task.run();
    } catch (Throwable t) {
      unhandled(t);
    } finally {
      if (top) Thread.interrupted();
    }
  }

  /** runUnowned for a task that crossed as a TaskSlots index; rules of runSlot. */
  static Throwable runSlotUnowned(int slot, boolean top) {
    Object task = TaskSlots.SLOTS[slot];
    TaskSlots.SLOTS[slot] = null;
    try {
      runUnowned((Runnable) task, top);
      return null;
    } catch (Throwable unreported) {
      return unreported;
    }
  }

  /** A Throwable with no pool to report to: the library's logger. */
  static void unhandled(Throwable thrown) {
    try {
      LOG.log(System.Logger.Level.WARNING, "task of a pool not made by Java threw", thrown);
    } catch (Throwable ignored) {
      // see onLog
    }
  }

  /** A log message of a pool already collected. */
  static void logUnowned(String message) {
    try {
      LOG.log(System.Logger.Level.WARNING, message);
    } catch (Throwable ignored) {
      // see onLog
    }
  }

  private static String stackTrace(Throwable thrown) {
    StringWriter out = new StringWriter();
    thrown.printStackTrace(new PrintWriter(out));
    return out.toString().stripTrailing();
  }
}
