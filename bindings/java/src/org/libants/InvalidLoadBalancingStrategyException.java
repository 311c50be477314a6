package org.libants;

/** ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY: an unknown multipool strategy. */
public final class InvalidLoadBalancingStrategyException extends AntsException {
  private static final long serialVersionUID = 1L;

  InvalidLoadBalancingStrategyException() {
    super(ants_status.ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY);
  }
}
