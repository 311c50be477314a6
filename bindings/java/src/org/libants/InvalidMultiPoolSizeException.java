package org.libants;

/** ANTS_ERR_INVALID_MULTI_POOL_SIZE: a multipool needs at least one sub-pool. */
public final class InvalidMultiPoolSizeException extends AntsException {
  private static final long serialVersionUID = 1L;

  InvalidMultiPoolSizeException() {
    super(ants_status.ANTS_ERR_INVALID_MULTI_POOL_SIZE);
  }
}
