package org.libants;

/** ANTS_ERR_INVALID_PRE_ALLOC_SIZE: preAlloc needs a positive size. */
public final class InvalidPreAllocSizeException extends AntsException {
  private static final long serialVersionUID = 1L;

  InvalidPreAllocSizeException() {
    super(ants_status.ANTS_ERR_INVALID_PRE_ALLOC_SIZE);
  }
}
