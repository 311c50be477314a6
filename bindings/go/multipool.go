package ants

import (
	"libants/ants/internal/capi"
)

// LoadBalancingStrategy represents the type of load-balancing algorithm.
type LoadBalancingStrategy int

const (
	// RoundRobin distributes tasks to the sub-pools in rotation, starting at
	// sub-pool 0; a sub-pool that is overloaded hands the task once to the
	// least loaded one.
	RoundRobin LoadBalancingStrategy = 1 << (iota + 1)

	// LeastTasks picks the sub-pool with the fewest busy workers, ties to
	// the lowest index (ants counts live workers, idle included).
	LeastTasks
)

// c maps to libants' ants_lb_strategy; unknown values map to 0, which
// libants rejects with ErrInvalidLoadBalancingStrategy.
func (s LoadBalancingStrategy) c() int {
	switch s {
	case RoundRobin:
		return int(capi.ANTS_ROUND_ROBIN)
	case LeastTasks:
		return int(capi.ANTS_LEAST_TASKS)
	}
	return 0
}

// checkMulti reports the errors ants reports before it looks at the pool
// function, in ants' order, so that a nil function does not mask them.
func checkMulti(size int, lbs LoadBalancingStrategy) error {
	if size <= 0 {
		return ErrInvalidMultiPoolSize
	}
	if lbs.c() == 0 {
		return ErrInvalidLoadBalancingStrategy
	}
	return nil
}

// MultiPool is size independent pools behind one handle, each of
// sizePerPool workers, with tasks spread by a LoadBalancingStrategy. It cuts
// lock contention on machines with many cores.
type MultiPool struct {
	taskPool
}

// NewMultiPool instantiates a MultiPool of size pools of sizePerPool
// workers each (sizePerPool <= 0: unlimited).
func NewMultiPool(size, sizePerPool int, lbs LoadBalancingStrategy, options ...Option) (*MultiPool, error) {
	mp := &MultiPool{}
	if err := mp.init(sizePerPool, nil, poolKind{multi: true, subPools: size, lbs: lbs}, options); err != nil {
		return nil, err
	}
	setLifetime(mp, &mp.poolCore)
	return mp, nil
}

// RunningByIndex returns the number of live workers of sub-pool idx.
func (mp *MultiPool) RunningByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_running_by_index, idx)
}

// FreeByIndex returns the number of workers sub-pool idx may still start.
func (mp *MultiPool) FreeByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_available_by_index, idx)
}

// WaitingByIndex returns the number of callers blocked on sub-pool idx.
func (mp *MultiPool) WaitingByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_waiting_by_index, idx)
}

// BusyByIndex returns the number of busy workers of sub-pool idx (libants
// extension).
func (mp *MultiPool) BusyByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_busy_by_index, idx)
}

// MultiPoolWithFunc is the MultiPool of PoolWithFunc.
type MultiPoolWithFunc struct {
	funcPool[any]
}

// NewMultiPoolWithFunc instantiates a MultiPoolWithFunc of size pools of
// sizePerPool workers each, all running fn.
func NewMultiPoolWithFunc(size, sizePerPool int, fn func(any), lbs LoadBalancingStrategy, options ...Option) (*MultiPoolWithFunc, error) {
	if err := checkMulti(size, lbs); err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, ErrLackPoolFunc
	}
	mp := &MultiPoolWithFunc{}
	if err := mp.init(sizePerPool, fn, poolKind{multi: true, subPools: size, lbs: lbs, withFunc: true}, options); err != nil {
		return nil, err
	}
	setLifetime(mp, &mp.poolCore)
	return mp, nil
}

// RunningByIndex returns the number of live workers of sub-pool idx.
func (mp *MultiPoolWithFunc) RunningByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_running_by_index, idx)
}

// FreeByIndex returns the number of workers sub-pool idx may still start.
func (mp *MultiPoolWithFunc) FreeByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_available_by_index, idx)
}

// WaitingByIndex returns the number of callers blocked on sub-pool idx.
func (mp *MultiPoolWithFunc) WaitingByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_waiting_by_index, idx)
}

// BusyByIndex returns the number of busy workers of sub-pool idx (libants
// extension).
func (mp *MultiPoolWithFunc) BusyByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_busy_by_index, idx)
}

// MultiPoolWithFuncGeneric is the generic version of MultiPoolWithFunc.
type MultiPoolWithFuncGeneric[T any] struct {
	funcPool[T]
}

// NewMultiPoolWithFuncGeneric instantiates a MultiPoolWithFuncGeneric of
// size pools of sizePerPool workers each, all running fn.
func NewMultiPoolWithFuncGeneric[T any](size, sizePerPool int, fn func(T), lbs LoadBalancingStrategy, options ...Option) (*MultiPoolWithFuncGeneric[T], error) {
	if err := checkMulti(size, lbs); err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, ErrLackPoolFunc
	}
	mp := &MultiPoolWithFuncGeneric[T]{}
	if err := mp.init(sizePerPool, genericFunc(fn), poolKind{multi: true, subPools: size, lbs: lbs, withFunc: true}, options); err != nil {
		return nil, err
	}
	setLifetime(mp, &mp.poolCore)
	return mp, nil
}

// RunningByIndex returns the number of live workers of sub-pool idx.
func (mp *MultiPoolWithFuncGeneric[T]) RunningByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_running_by_index, idx)
}

// FreeByIndex returns the number of workers sub-pool idx may still start.
func (mp *MultiPoolWithFuncGeneric[T]) FreeByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_available_by_index, idx)
}

// WaitingByIndex returns the number of callers blocked on sub-pool idx.
func (mp *MultiPoolWithFuncGeneric[T]) WaitingByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_waiting_by_index, idx)
}

// BusyByIndex returns the number of busy workers of sub-pool idx (libants
// extension).
func (mp *MultiPoolWithFuncGeneric[T]) BusyByIndex(idx int) (int, error) {
	return mp.byIndex(capi.Ants_busy_by_index, idx)
}
