package org.libants;

/** ANTS_ERR_INVALID_POOL_EXPIRY: a negative expiry. */
public final class InvalidPoolExpiryException extends AntsException {
  private static final long serialVersionUID = 1L;

  InvalidPoolExpiryException() {
    super(ants_status.ANTS_ERR_INVALID_POOL_EXPIRY);
  }
}
