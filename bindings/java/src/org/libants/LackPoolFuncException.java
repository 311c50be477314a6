package org.libants;

/** ANTS_ERR_LACK_POOL_FUNC: invoke on a pool without a function. */
public final class LackPoolFuncException extends AntsException {
  private static final long serialVersionUID = 1L;

  LackPoolFuncException() {
    super(ants_status.ANTS_ERR_LACK_POOL_FUNC);
  }
}
