import java.util.concurrent.atomic.AtomicInteger;
import org.libants.Pool;
import org.libants.PoolOptions;

/**
 * The quick start: a pool of 4 native workers used as an Executor.
 * Run: java -cp ants.jar:. Example
 */
public class Example {
  public static void main(String[] args) {
    AtomicInteger ran = new AtomicInteger();
    PoolOptions options = PoolOptions.builder()
        .threadName("example")
        .panicHandler(t -> System.err.println("task failed: " + t))
        .build();
    try (Pool pool = new Pool(4, options)) {
      for (int i = 0; i < 100; i++) {
        pool.execute(ran::incrementAndGet);
      }
    } // close() waits until every accepted task has run
    System.out.println("ran " + ran.get() + " tasks (native libraries from "
        + org.libants.Ants.nativeLibrarySource() + ")");
  }
}
