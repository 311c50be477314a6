package org.libants;

/** How a multipool picks the sub-pool for a task. */
public enum LoadBalancingStrategy {
  /** Sub-pools in turn, starting at 0; on overload one retry on the least loaded. */
  ROUND_ROBIN(ants_lb_strategy.ANTS_ROUND_ROBIN),
  /** The sub-pool with the fewest live workers; ties go to the lowest index. */
  LEAST_TASKS(ants_lb_strategy.ANTS_LEAST_TASKS);

  final int code;

  LoadBalancingStrategy(int code) {
    this.code = code;
  }
}
