package org.libants;

/** ANTS_ERR_INVALID_POOL_INDEX: a multipool index outside [0, pools). */
public final class InvalidPoolIndexException extends AntsException {
  private static final long serialVersionUID = 1L;

  InvalidPoolIndexException() {
    super(ants_status.ANTS_ERR_INVALID_POOL_INDEX);
  }
}
