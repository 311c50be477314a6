import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.libants.Ants;
import org.libants.Pool;

/** A consumer of the org.libants:ants artifact: an ExecutorService, nothing else to set up. */
public class App {
  public static void main(String[] args) throws Exception {
    ExecutorService pool = new Pool(4);
    List<Callable<Long>> squares = new ArrayList<>();
    for (long i = 1; i <= 100; i++) {
      long n = i;
      squares.add(() -> n * n);
    }
    long sum = 0;
    for (Future<Long> f : pool.invokeAll(squares)) sum += f.get();
    pool.shutdown();
    pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
    System.out.println("sum of squares 1..100 = " + sum + " on libants " + Ants.version()
        + " (native libraries from " + Ants.nativeLibrarySource() + ")");
  }
}
