package org.libants;

/** ANTS_ERR_POOL_OVERLOAD: no worker free and the pool may not block (nonblocking, or maxBlockingTasks callers already wait). */
public final class PoolOverloadException extends AntsException {
  private static final long serialVersionUID = 1L;

  PoolOverloadException() {
    super(ants_status.ANTS_ERR_POOL_OVERLOAD);
  }
}
