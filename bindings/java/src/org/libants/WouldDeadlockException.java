package org.libants;

/** ANTS_ERR_WOULD_DEADLOCK: a task waited for its own pool or group, which could never finish. */
public final class WouldDeadlockException extends AntsException {
  private static final long serialVersionUID = 1L;

  WouldDeadlockException() {
    super(ants_status.ANTS_ERR_WOULD_DEADLOCK);
  }
}
