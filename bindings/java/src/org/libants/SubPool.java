package org.libants;

/**
 * One sub-pool of a multipool, as a view: {@code multi.subPool(i).running()}
 * is ants' {@code RunningByIndex(i)}. The index is checked by each getter,
 * which throws InvalidPoolIndexException outside [0, pools).
 */
public final class SubPool {
  private final AbstractPool multi;
  private final int index;

  SubPool(AbstractPool multi, int index) {
    this.multi = multi;
    this.index = index;
  }

  /** The index of this sub-pool in its multipool. */
  public int index() {
    return index;
  }

  /** Live workers of this sub-pool (ants' RunningByIndex). */
  public int running() {
    return multi.byIndex(AntsC::ants_running_by_index, index);
  }

  /** cap() - running() of this sub-pool (ants' FreeByIndex). */
  public int free() {
    return multi.byIndex(AntsC::ants_available_by_index, index);
  }

  /** Callers blocked on this sub-pool (ants' WaitingByIndex). */
  public int waiting() {
    return multi.byIndex(AntsC::ants_waiting_by_index, index);
  }

  /** Workers of this sub-pool running a task. */
  public int busy() {
    return multi.byIndex(AntsC::ants_busy_by_index, index);
  }
}
