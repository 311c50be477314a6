package org.libants.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.libants.Pool;
import org.libants.PoolOptions;

/**
 * Per-task cost of Executor.execute through libants against the JDK's pools.
 * One submitting thread executes N tasks and waits until all ran; the figure
 * is wall time / N. Each case is warmed up once, then measured RUNS times;
 * the median is printed.
 *
 * <p>Cases: empty tasks with concurrency 2 (the cost of the hand-off itself),
 * and tasks sleeping 1 ms with concurrency 100 (ideal = N / 100 ms: how close
 * a pool gets to full use of its workers).
 *
 * <p>Usage: java -Djava.library.path=DIR -cp ants.jar:ants-bench.jar
 * org.libants.bench.Bench [--smoke]
 */
public final class Bench {
  private static final int RUNS = 3;

  private Bench() {}

  /** An executor under test and how to shut it down. */
  interface Subject extends AutoCloseable {
    void execute(Runnable r);

    @Override
    void close();
  }

  static Subject ants(int concurrency) {
    return ants(new Pool(concurrency));
  }

  /** With a bounded task queue (libants extension): the shape of TPE + LinkedBlockingQueue. */
  static Subject antsQueued(int concurrency) {
    return ants(new Pool(concurrency, PoolOptions.builder().queueSize(1024).build()));
  }

  static Subject ants(Pool pool) {
    return new Subject() {
      public void execute(Runnable r) {
        pool.execute(r);
      }

      public void close() {
        pool.close();
      }
    };
  }

  static Subject jdk(ExecutorService ex) {
    return new Subject() {
      public void execute(Runnable r) {
        ex.execute(r);
      }

      public void close() {
        ex.shutdown();
        try {
          ex.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  /**
   * With a SynchronousQueue, a pool at its maximum refuses; this handler makes
   * the caller wait for a worker instead, which is ants' blocking submit.
   */
  static final RejectedExecutionHandler BLOCK = (r, ex) -> {
    try {
      ex.getQueue().put(r);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };

  static Subject tpeSynchronous(int concurrency) {
    return jdk(new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), BLOCK));
  }

  static Subject tpeLinked(int concurrency) {
    return jdk(new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>()));
  }

  static Subject cached(int concurrencyIgnored) {
    return jdk(Executors.newCachedThreadPool());
  }

  /** Wall nanoseconds for n tasks of the given kind through a fresh subject. */
  static long runOnce(IntFunction<Subject> factory, int concurrency, int n, boolean sleep) {
    CountDownLatch done = new CountDownLatch(n);
    Runnable task = sleep ? () -> {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      done.countDown();
    } : done::countDown;
    try (Subject s = factory.apply(concurrency)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) s.execute(task);
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return System.nanoTime() - t0;
    }
  }

  static void measure(String name, IntFunction<Subject> factory, int concurrency, int n,
                      boolean sleep) {
    runOnce(factory, concurrency, Math.max(1, n / 4), sleep); // warm-up
    long[] t = new long[RUNS];
    for (int i = 0; i < RUNS; i++) t[i] = runOnce(factory, concurrency, n, sleep);
    Arrays.sort(t);
    long median = t[RUNS / 2];
    if (sleep) {
      double ideal = (double) n / concurrency * 1_000_000.0;
      System.out.printf("%-34s %8d ns/task   %5.2fx ideal%n", name, median / n, median / ideal);
    } else {
      System.out.printf("%-34s %8d ns/task%n", name, median / n);
    }
  }

  public static void main(String[] args) {
    boolean smoke = args.length > 0 && args[0].equals("--smoke");
    int emptyN = smoke ? 2_000 : 500_000;
    int sleepN = smoke ? 100 : 5_000;
    List<Object[]> subjects = new ArrayList<>();
    subjects.add(new Object[] {"libants Pool", (IntFunction<Subject>) Bench::ants});
    subjects.add(new Object[] {"libants Pool, queueSize 1024",
        (IntFunction<Subject>) Bench::antsQueued});
    subjects.add(new Object[] {"ThreadPoolExecutor SynchronousQueue",
        (IntFunction<Subject>) Bench::tpeSynchronous});
    subjects.add(new Object[] {"ThreadPoolExecutor LinkedBlockingQ",
        (IntFunction<Subject>) Bench::tpeLinked});
    subjects.add(new Object[] {"Executors.newCachedThreadPool",
        (IntFunction<Subject>) Bench::cached});

    System.out.printf("empty tasks, %d per run, concurrency 2 (cached pool: unbounded)%n", emptyN);
    for (Object[] s : subjects) {
      @SuppressWarnings("unchecked")
      IntFunction<Subject> f = (IntFunction<Subject>) s[1];
      measure((String) s[0], f, 2, emptyN, false);
    }
    System.out.printf("1 ms sleeping tasks, %d per run, concurrency 100 (cached pool: unbounded)%n",
        sleepN);
    for (Object[] s : subjects) {
      @SuppressWarnings("unchecked")
      IntFunction<Subject> f = (IntFunction<Subject>) s[1];
      measure((String) s[0], f, 100, sleepN, true);
    }
  }
}
