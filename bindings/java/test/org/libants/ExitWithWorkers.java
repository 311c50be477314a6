package org.libants;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM by ExtrasTest: leaves workers busy (blocked forever in
 * Java code), idle or expiring, then exits with System.exit or by returning
 * from main.
 * The parent fails if this process does not end.
 */
public final class ExitWithWorkers {
  static final int EXIT_CODE = 7;

  private ExitWithWorkers() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    if (mode.equals("expiring")) {
      // Workers expire (and detach from the JVM) while it shuts down.
      Pool pool = new Pool(64, PoolOptions.builder().expiry(Duration.ofMillis(1)).build());
      CountDownLatch all = new CountDownLatch(64);
      for (int i = 0; i < 64; i++) {
        pool.submitBlocking(() -> {
          all.countDown();
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      all.await();
      return;
    }
    Pool pool = new Pool(4, PoolOptions.builder().disablePurge(true).build());
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(4);
    if (mode.equals("idle")) {
      for (int i = 0; i < 4; i++) pool.submitBlocking(started::countDown);
      started.await();
      pool.awaitIdle();
    } else {
      for (int i = 0; i < 4; i++) {
        pool.submitBlocking(() -> {
          started.countDown();
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      started.await();
    }
    if (mode.equals("return")) return;
    System.exit(EXIT_CODE);
  }
}
