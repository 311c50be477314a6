package org.libants;

/** ANTS_ERR_POOL_CLOSED: the pool was released (ants' ErrPoolClosed). */
public final class PoolClosedException extends AntsException {
  private static final long serialVersionUID = 1L;

  PoolClosedException() {
    super(ants_status.ANTS_ERR_POOL_CLOSED);
  }
}
