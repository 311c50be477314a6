package org.libants;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;

/**
 * What native code calls back into, on worker threads: one object per pool,
 * held by the pool's native context. It must never throw: whatever it cannot
 * handle is dropped here rather than left pending for the engine.
 */
final class Callbacks {
  private static final System.Logger LOG = System.getLogger("org.libants");

  private final Consumer<? super Throwable> panicHandler;
  private final Consumer<? super String> logger;

  Callbacks(Consumer<? super Throwable> panicHandler, Consumer<? super String> logger) {
    this.panicHandler = panicHandler;
    this.logger = logger;
  }

  /** A task threw: the panic handler gets it, else the logger gets its stack trace. */
  void onThrowable(Throwable thrown) {
    if (panicHandler != null) {
      try {
        panicHandler.accept(thrown);
        return;
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
    } catch (Throwable ignored) {
      // A logger that throws has nowhere left to report to.
    }
  }

  /** A task threw on a thread that belongs to no pool context (should not happen). */
  static void unhandled(Throwable thrown) {
    try {
      LOG.log(System.Logger.Level.WARNING, "task threw outside a pool worker", thrown);
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
