package org.libants;

/** ANTS_ERR_NO_MEMORY: the library ran out of native memory. */
public final class AntsOutOfMemoryException extends AntsException {
  private static final long serialVersionUID = 1L;

  AntsOutOfMemoryException() {
    super(ants_status.ANTS_ERR_NO_MEMORY);
  }
}
