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
