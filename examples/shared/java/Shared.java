import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.libants.Ants;
import org.libants.Pool;

/**
 * The Java side of the shared-pool example: a Java "service" makes one
 * pool, hands it to the C++ engine (engine.h, through engine_jni.c), and
 * submits Java tasks of its own while the engine does its parallel work on
 * the very same pool and threads. One thread budget for both.
 */
public final class Shared {
  static final int CAPACITY = 4;
  static final int SERVICE_TASKS = 64;
  static final int SHARDS = 64;

  static {
    Ants.version(); // libants and its JNI layer first: the engine then links to that libants
    System.loadLibrary("shared_engine_jni");
  }

  static native long engineOpen(long pool);

  static native String engineSearch(long engine, int shards, int[] tasksAndMaxBusy);

  static native void engineClose(long engine);

  public static void main(String[] args) throws Exception {
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger maxBusy = new AtomicInteger();
    Set<String> threads = new ConcurrentSkipListSet<>();
    try (Pool pool = new Pool(CAPACITY)) {
      long engine = engineOpen(pool.handle()); // the engine retains the pool
      if (engine == 0) throw new IllegalStateException("engine_open failed");
      Thread service = new Thread(() -> {
        for (int i = 0; i < SERVICE_TASKS; i++) {
          pool.execute(() -> {
            maxBusy.accumulateAndGet(pool.busy(), Math::max);
            threads.add(Thread.currentThread().getName());
            ran.incrementAndGet();
          });
        }
      });
      service.start();
      int[] counts = new int[2];
      String report = engineSearch(engine, SHARDS, counts);
      service.join();
      pool.awaitIdle();
      System.out.println("engine (C++):  " + report);
      System.out.println("service (Java): " + ran.get() + " tasks on " + new TreeSet<>(threads));
      int busy = Math.max(counts[1], maxBusy.get());
      System.out.println("one budget:     at most " + busy + " of " + pool.cap() + " workers busy at once");
      boolean ok = report != null && counts[0] == SHARDS && ran.get() == SERVICE_TASKS && busy <= CAPACITY;
      if (engineSearch(engine, 8, counts) == null || counts[0] != 8) ok = false;
      engineClose(engine);
      System.out.println("shared: " + (ok ? "ok" : "FAILED"));
      if (!ok) System.exit(1);
    }
  }
}
