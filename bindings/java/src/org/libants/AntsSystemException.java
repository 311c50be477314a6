package org.libants;

/** ANTS_ERR_SYSTEM: the operating system refused a thread or resource. */
public final class AntsSystemException extends AntsException {
  private static final long serialVersionUID = 1L;

  AntsSystemException() {
    super(ants_status.ANTS_ERR_SYSTEM);
  }
}
