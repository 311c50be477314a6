package org.libants;

/** Library-wide facts and the default pool's shortcuts (ants.Submit, ants.Running, ...). */
public final class Ants {
  private Ants() {}

  /** Capacity of the default pool. */
  public static final int DEFAULT_POOL_SIZE = AntsCConstants.ANTS_DEFAULT_POOL_SIZE;

  /** The loaded native library's version, "MAJOR.MINOR.PATCH". */
  public static String version() {
    return AntsC.ants_version();
  }

  /** The loaded native library's MAJOR * 10000 + MINOR * 100 + PATCH. */
  public static int versionNumber() {
    return AntsC.ants_version_number();
  }

  /**
   * Where the native libraries were loaded from: "java.library.path", or the
   * temporary directory the copies inside the jar were extracted to (and
   * deleted from once loaded).
   */
  public static String nativeLibrarySource() {
    return Native.loadedFrom();
  }

  /** Submits task to {@link Pool#defaultPool()}. */
  public static void submit(Runnable task) {
    Pool.defaultPool().submitBlocking(task);
  }
}
