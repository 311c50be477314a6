package org.libants;

/**
 * {@code pools} independent pools of {@code sizePerPool} workers each, tasks
 * spread by a {@link LoadBalancingStrategy} (ants' MultiPool). Every Pool
 * method works on the whole: tune() sets each sub-pool, the getters sum.
 */
public class MultiPool extends Pool {
  public MultiPool(int pools, int sizePerPool, LoadBalancingStrategy strategy) {
    this(pools, sizePerPool, strategy, PoolOptions.defaults());
  }

  public MultiPool(int pools, int sizePerPool, LoadBalancingStrategy strategy,
                   PoolOptions options) {
    super(options,
        (out, opts) -> AntsC.ants_multipool_new(out, pools, sizePerPool, strategy.code, opts),
        false);
  }

  /** @throws InvalidPoolIndexException outside [0, pools) */
  public int runningByIndex(int index) {
    return byIndex(AntsC::ants_running_by_index, index);
  }

  /** @throws InvalidPoolIndexException outside [0, pools) */
  public int freeByIndex(int index) {
    return byIndex(AntsC::ants_available_by_index, index);
  }

  /** @throws InvalidPoolIndexException outside [0, pools) */
  public int waitingByIndex(int index) {
    return byIndex(AntsC::ants_waiting_by_index, index);
  }

  /** @throws InvalidPoolIndexException outside [0, pools) */
  public int busyByIndex(int index) {
    return byIndex(AntsC::ants_busy_by_index, index);
  }
}
