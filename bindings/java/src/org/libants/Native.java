package org.libants;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hand-written JNI entry points (native/ants_jni.c): everything that hands
 * the engine a callback. Handles are the same longs the SWIG layer uses.
 */
final class Native {
  private Native() {}

  private static boolean loaded;
  private static String loadedFrom;

  /** Where the native libraries of the jar are, per platform. */
  static final String RESOURCE_DIR = "/org/libants/native/";

  /**
   * Loads libants_jni: from java.library.path if it is there (the JNI library
   * finds libants itself, RUNPATH $ORIGIN), else from the copies inside this
   * jar, extracted once per process to a private temporary directory that is
   * deleted again as soon as they are loaded.
   */
  static synchronized void load() {
    if (loaded) return;
    try {
      System.loadLibrary("ants_jni");
      loadedFrom = "java.library.path";
    } catch (UnsatisfiedLinkError notOnPath) {
      try {
        loadedFrom = loadFromJar();
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        e.addSuppressed(notOnPath);
        throw e;
      }
    }
    loaded = true;
  }

  /** "java.library.path", or the directory the jar's libraries were extracted to. */
  static synchronized String loadedFrom() {
    return loadedFrom;
  }

  /** linux-x86_64, linux-aarch64, ...: the resource directory for this JVM. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("linux")) os = "linux";
    if (arch.equals("amd64")) arch = "x86_64";
    return os + "-" + arch;
  }

  private static String loadFromJar() {
    String dir = RESOURCE_DIR + platform() + "/";
    // The libraries in load order (libants before libants_jni, which needs it).
    List<String> names = new ArrayList<>();
    try (InputStream index = Native.class.getResourceAsStream(dir + "libraries")) {
      if (index == null) {
        throw new UnsatisfiedLinkError("libants: no libants_jni in java.library.path and none in"
            + " this jar for " + platform());
      }
      for (String line : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) names.add(line.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path tmp;
    try {
      // Owner-only on POSIX file systems. Where java.io.tmpdir is mounted
      // noexec, -Dorg.libants.tmpdir=<dir> names another parent directory.
      String parent = System.getProperty("org.libants.tmpdir");
      tmp = parent == null ? Files.createTempDirectory("libants-")
          : Files.createTempDirectory(Path.of(parent), "libants-");
    } catch (IOException e) {
      throw new UncheckedIOException("libants: cannot make a directory to extract into", e);
    }
    List<Path> files = new ArrayList<>();
    try {
      for (String name : names) {
        Path file = tmp.resolve(name);
        try (InputStream in = Native.class.getResourceAsStream(dir + name)) {
          if (in == null) throw new UnsatisfiedLinkError("libants: " + dir + name + " missing from the jar");
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        files.add(file);
      }
      // libants_jni's RUNPATH is $ORIGIN, so it finds libants next to it;
      // loading libants first makes that independent of the RUNPATH.
      for (Path file : files) System.load(file.toAbsolutePath().toString());
      return tmp.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("libants: cannot extract the native libraries", e);
    } finally {
      // Loaded libraries stay mapped: nothing is left behind in /tmp.
      for (Path file : files) file.toFile().delete();
      tmp.toFile().delete();
    }
  }

  static {
    load();
  }

  /** A pool context: a weak reference to its Callbacks (which hold the function, if any). */
  static native long newContext(Callbacks callbacks);

  /** Drops the Java side's reference to a context; workers hold their own. */
  static native void releaseContext(long ctx);

  /** Sets the worker hooks (attach/detach) and the logger of an options object. */
  static native int installContext(long opts, long ctx);

  static native int poolWithFuncNew(long[] out, int size, long opts);

  static native int multiPoolWithFuncNew(long[] out, int n, int sizePerPool, int strategy,
                                         long opts);

  /**
   * ants_submit_timeout of task; timeoutMs -1 waits forever, which is
   * ants_submit. The task crosses as a TaskSlots index, or as a JNI global
   * reference when no slot is free.
   */
  static int submit(long pool, Runnable task, long timeoutMs) {
    int slot = TaskSlots.put(task);
    if (slot < 0) return submitRef(pool, task, timeoutMs);
    int rc = ants_status.ANTS_ERR_SYSTEM;
    try {
      rc = submitSlot(pool, slot, timeoutMs);
    } finally {
      // Refused, or never got to native code (a StackOverflowError on the
      // call): the task will not run, so its slot is emptied here - by a
      // plain store, since no further call can start at that depth.
      if (rc != ants_status.ANTS_OK) TaskSlots.SLOTS[slot] = null;
    }
    return rc;
  }

  /** ants_invoke_timeout of arg (which may be null); slots as for submit. */
  static int invoke(long pool, Object arg, long timeoutMs) {
    int slot = arg == null ? -1 : TaskSlots.put(arg);
    if (slot < 0) return invokeRef(pool, arg, timeoutMs);
    int rc = ants_status.ANTS_ERR_SYSTEM;
    try {
      rc = invokeSlot(pool, slot, timeoutMs);
    } finally {
      if (rc != ants_status.ANTS_OK) TaskSlots.SLOTS[slot] = null;
    }
    return rc;
  }

  private static native int submitRef(long pool, Runnable task, long timeoutMs);

  private static native int submitSlot(long pool, int slot, long timeoutMs);

  private static native int invokeRef(long pool, Object arg, long timeoutMs);

  private static native int invokeSlot(long pool, int slot, long timeoutMs);

  static native int groupSubmit(long group, long pool, Runnable task);

  static native int groupInvoke(long group, long pool, Object arg);

  /**
   * ants_cancel_queued: each cancelled task's Runnable (or argument) is added
   * to into, and its reference released.
   */
  static native int cancelQueued(long pool, java.util.List<Object> into);

  /** Tasks and arguments held for native code and not yet released (for leak tests). */
  static long outstandingTaskRefs() {
    return outstandingGlobalRefs() + TaskSlots.occupied();
  }

  private static native long outstandingGlobalRefs();

  // --- slots (ants.h "Slots"), for SlotWorkers; the calls without a
  // callback or an out-parameter (begin, end, release, cancel, group
  // enter/leave) are SWIG's, in AntsC ---

  /** ants_slot_acquire; the slot in out[0]. */
  static native int slotAcquire(long pool, long timeoutMs, long[] out);

  /** A native waiter for slotAcquireAsync whose grant unparks thread; 0 if out of memory. */
  static native long waiterNew(Thread thread);

  /** Drops refs (1 or 2) references to a waiter; see ants_jni.c. */
  static native void waiterRelease(long waiter, int refs);

  /**
   * 1 while the waiter waits; else the grant's status, the slot in out[0],
   * and in out[1] non-zero if a slot worker's ants_slot_end granted it.
   */
  static native int waiterPoll(long waiter, long[] out);

  /** Marks the calling thread as a SlotWorkers thread (for waiterPoll's out[1]). */
  static native void markSlotWorker();

  /** ants_slot_acquire_async with the waiter's grant: out = {slot, ticket}. */
  static native int slotAcquireAsync(long pool, long waiter, long[] out);

  /** Registers holder.giveBack(count) as the pool's slot listener; 0 on failure. */
  static native long listenerAdd(long pool, SlotWorkers holder);

  static native void listenerRemove(long pool, long listener);

  /** ants_pool_expiry_ms: -1 never, Long.MIN_VALUE on error. */
  static native long poolExpiryMs(long pool);

}
