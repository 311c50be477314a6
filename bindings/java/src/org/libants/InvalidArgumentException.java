package org.libants;

/** ANTS_ERR_INVALID_ARGUMENT: an argument the library rejects. */
public final class InvalidArgumentException extends AntsException {
  private static final long serialVersionUID = 1L;

  InvalidArgumentException() {
    super(ants_status.ANTS_ERR_INVALID_ARGUMENT);
  }
}
