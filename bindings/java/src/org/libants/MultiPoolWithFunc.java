package org.libants;

import java.util.Objects;
import java.util.function.Consumer;

/** A {@link MultiPool} of pools with one function (ants' MultiPoolWithFunc). */
public class MultiPoolWithFunc<T> extends PoolWithFunc<T> {
  public MultiPoolWithFunc(int pools, int sizePerPool, Consumer<? super T> func,
                           LoadBalancingStrategy strategy) {
    this(pools, sizePerPool, func, strategy, PoolOptions.defaults());
  }

  public MultiPoolWithFunc(int pools, int sizePerPool, Consumer<? super T> func,
                           LoadBalancingStrategy strategy, PoolOptions options) {
    super(options, func, (out, opts) -> Native.multiPoolWithFuncNew(out, pools, sizePerPool,
        Objects.requireNonNull(strategy, "strategy").code, opts));
  }

  /** The sub-pool at index, as a view; its getters check the index. */
  public SubPool subPool(int index) {
    return new SubPool(this, index);
  }
}
