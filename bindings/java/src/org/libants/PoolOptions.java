package org.libants;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Immutable pool options, made with {@link #builder()}. The defaults are ants'
 * defaults: 1 s expiry, blocking submit with no limit on blocked callers,
 * purge enabled, no pre-allocation, no task queue, a Throwable escaping a task
 * logged through the logger, the logger being {@code System.getLogger("org.libants")}.
 *
 * <pre>{@code
 * PoolOptions opts = PoolOptions.builder()
 *     .expiry(Duration.ofSeconds(10))
 *     .nonblocking(true)
 *     .panicHandler(t -> metrics.taskFailed(t))
 *     .build();
 * }</pre>
 */
public final class PoolOptions {
  private static final PoolOptions DEFAULTS = builder().build();

  private final Duration expiry;
  private final boolean preAlloc;
  private final int maxBlockingTasks;
  private final boolean nonblocking;
  private final boolean disablePurge;
  private final int queueSize;
  private final long stackSize;
  private final String threadName;
  private final Consumer<? super Throwable> panicHandler;
  private final Consumer<? super String> logger;

  private PoolOptions(Builder b) {
    expiry = b.expiry;
    preAlloc = b.preAlloc;
    maxBlockingTasks = b.maxBlockingTasks;
    nonblocking = b.nonblocking;
    disablePurge = b.disablePurge;
    queueSize = b.queueSize;
    stackSize = b.stackSize;
    threadName = b.threadName;
    panicHandler = b.panicHandler;
    logger = b.logger;
  }

  /** The default options. */
  public static PoolOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds the native options object for a pool whose context is ctx; the
   * caller frees it. Values are checked by the C setters, so the rules (and
   * the exception for a bad value) are the library's own.
   */
  long toNative(long ctx) {
    long[] out = new long[1];
    AntsException.check(AntsC.ants_options_new(out));
    long opts = out[0];
    try {
      if (expiry != null) AntsException.check(AntsC.ants_options_set_expiry_ms(opts, ceilMillis(expiry)));
      AntsException.check(AntsC.ants_options_set_pre_alloc(opts, preAlloc ? 1 : 0));
      AntsException.check(AntsC.ants_options_set_max_blocking_tasks(opts, maxBlockingTasks));
      AntsException.check(AntsC.ants_options_set_nonblocking(opts, nonblocking ? 1 : 0));
      AntsException.check(AntsC.ants_options_set_disable_purge(opts, disablePurge ? 1 : 0));
      AntsException.check(AntsC.ants_options_set_queue_size(opts, queueSize));
      // size_t in C: a negative long would arrive as a huge size, which the
      // setter accepts and thread creation then refuses. Negative is invalid.
      if (stackSize < 0) throw new InvalidArgumentException();
      AntsException.check(AntsC.ants_options_set_stack_size(opts, stackSize));
      if (threadName != null) AntsException.check(AntsC.ants_options_set_thread_name(opts, threadName));
      AntsException.check(Native.installContext(opts, ctx));
      return opts;
    } catch (RuntimeException e) {
      AntsC.ants_options_free(opts);
      throw e;
    }
  }

  int queueSize() {
    return queueSize;
  }

  String threadName() {
    return threadName;
  }

  long stackSize() {
    return stackSize;
  }

  Callbacks callbacks(Consumer<Object> func) {
    return new Callbacks(panicHandler, logger, func);
  }

  /**
   * Milliseconds for the C API, rounded up so that a positive duration never
   * becomes 0 ("do not wait"), saturating instead of overflowing; negative
   * durations stay negative.
   */
  static long ceilMillis(Duration d) {
    try {
      long ms = d.toMillis();
      return d.minusMillis(ms).isZero() || d.isNegative() ? ms : ms + 1;
    } catch (ArithmeticException overflow) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** Collects option values; every setter returns the builder. */
  public static final class Builder {
    private Duration expiry;
    private boolean preAlloc;
    private int maxBlockingTasks;
    private boolean nonblocking;
    private boolean disablePurge;
    private int queueSize;
    private long stackSize;
    private String threadName;
    private Consumer<? super Throwable> panicHandler;
    private Consumer<? super String> logger;

    private Builder() {}

    /** Idle time after which a worker exits (ants' ExpiryDuration); zero selects 1 s. */
    public Builder expiry(Duration expiry) {
      this.expiry = Objects.requireNonNull(expiry, "expiry");
      return this;
    }

    /** Allocate everything for {@code size} workers up front; tune() becomes a no-op. */
    public Builder preAlloc(boolean preAlloc) {
      this.preAlloc = preAlloc;
      return this;
    }

    /**
     * At most this many callers blocked in submit; the next gets
     * PoolOverloadException. 0: no limit. Negative is invalid, in every
     * binding: creating the pool throws InvalidArgumentException, as the C
     * API returns ANTS_ERR_INVALID_ARGUMENT (Go: ErrInvalidArgument).
     * For "never block", use {@link #nonblocking(boolean)}.
     */
    public Builder maxBlockingTasks(int max) {
      this.maxBlockingTasks = max;
      return this;
    }

    /** Never block in submit: PoolOverloadException when no worker can take the task. */
    public Builder nonblocking(boolean nonblocking) {
      this.nonblocking = nonblocking;
      return this;
    }

    /** Idle workers never expire. */
    public Builder disablePurge(boolean disablePurge) {
      this.disablePurge = disablePurge;
      return this;
    }

    /** Length of a bounded task queue (libants extension); 0 keeps ants' queue-less behaviour. */
    public Builder queueSize(int queueSize) {
      this.queueSize = queueSize;
      return this;
    }

    /** Worker stack size in bytes; 0 uses the system's; negative is invalid (InvalidArgumentException). */
    public Builder stackSize(long bytes) {
      this.stackSize = bytes;
      return this;
    }

    /** Worker threads are named {@code <prefix>-<n>}, in Java and in the OS. */
    public Builder threadName(String prefix) {
      this.threadName = prefix;
      return this;
    }

    /**
     * Receives every Throwable a task throws, on the worker thread; the worker
     * and the pool survive. null restores the default: the logger.
     */
    public Builder panicHandler(Consumer<? super Throwable> handler) {
      this.panicHandler = handler;
      return this;
    }

    /**
     * Receives the library's log messages, from any thread, concurrently.
     * null restores the default: {@code System.getLogger("org.libants")} at WARNING.
     */
    public Builder logger(Consumer<? super String> logger) {
      this.logger = logger;
      return this;
    }

    public PoolOptions build() {
      return new PoolOptions(this);
    }
  }
}
