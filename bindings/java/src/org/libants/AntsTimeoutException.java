package org.libants;

/** ANTS_ERR_TIMEOUT: a deadline passed (submit, invoke or releaseTimeout). */
public final class AntsTimeoutException extends AntsException {
  private static final long serialVersionUID = 1L;

  AntsTimeoutException() {
    super(ants_status.ANTS_ERR_TIMEOUT);
  }
}
