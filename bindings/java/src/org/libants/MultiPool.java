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
        (out, opts) -> AntsC.ants_multipool_new(out, pools, sizePerPool, strategy.code, opts));
  }

  /** The sub-pool at index, as a view; its getters check the index. */
  public SubPool subPool(int index) {
    return new SubPool(this, index);
  }
}
