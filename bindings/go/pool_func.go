package ants

import (
	"context"
	"runtime"
	"time"
)

// PoolWithFunc runs one function on the arguments given to Invoke.
type PoolWithFunc struct {
	poolCore
}

// NewPoolWithFunc instantiates a PoolWithFunc of at most size workers that
// runs pf on each argument given to Invoke; size <= 0 makes it unlimited.
func NewPoolWithFunc(size int, pf func(any), options ...Option) (*PoolWithFunc, error) {
	if pf == nil {
		return nil, ErrLackPoolFunc
	}
	p := &PoolWithFunc{}
	if err := p.init(size, pf, poolKind{withFunc: true}, options); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(p, (*PoolWithFunc).finalize)
	return p, nil
}

func (p *PoolWithFunc) finalize() { p.destroy() }

// Invoke passes arg to the pool function on a worker, with the rules of
// Pool.Submit.
func (p *PoolWithFunc) Invoke(arg any) error {
	return p.invoke(arg)
}

// InvokeTimeout is Invoke waiting at most timeout for a worker (libants
// extension).
func (p *PoolWithFunc) InvokeTimeout(arg any, timeout time.Duration) error {
	return p.sendTimeout(slotEntry{arg: arg, owner: &p.poolCore}, timeout)
}

// InvokeContext is Invoke giving up when ctx ends (libants extension).
func (p *PoolWithFunc) InvokeContext(ctx context.Context, arg any) error {
	return p.sendContext(ctx, slotEntry{arg: arg, owner: &p.poolCore})
}

// PoolWithFuncGeneric is the generic version of PoolWithFunc.
type PoolWithFuncGeneric[T any] struct {
	poolCore
}

// NewPoolWithFuncGeneric instantiates a PoolWithFuncGeneric of at most size
// workers that runs pf on each argument given to Invoke.
func NewPoolWithFuncGeneric[T any](size int, pf func(T), options ...Option) (*PoolWithFuncGeneric[T], error) {
	if pf == nil {
		return nil, ErrLackPoolFunc
	}
	p := &PoolWithFuncGeneric[T]{}
	if err := p.init(size, genericFunc(pf), poolKind{withFunc: true}, options); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(p, (*PoolWithFuncGeneric[T]).finalize)
	return p, nil
}

func (p *PoolWithFuncGeneric[T]) finalize() { p.destroy() }

// genericFunc adapts a func(T) to the slot table's any. The argument is
// boxed on the way: an allocation for values that are not pointer-shaped,
// which ants' generic pool avoids with a typed channel per worker.
func genericFunc[T any](pf func(T)) func(any) {
	return func(a any) {
		v, _ := a.(T) // comma-ok: a nil interface argument stays nil
		pf(v)
	}
}

// Invoke passes arg to the pool function on a worker.
func (p *PoolWithFuncGeneric[T]) Invoke(arg T) error {
	return p.invoke(arg)
}

// InvokeTimeout is Invoke waiting at most timeout for a worker (libants
// extension).
func (p *PoolWithFuncGeneric[T]) InvokeTimeout(arg T, timeout time.Duration) error {
	return p.sendTimeout(slotEntry{arg: arg, owner: &p.poolCore}, timeout)
}

// InvokeContext is Invoke giving up when ctx ends (libants extension).
func (p *PoolWithFuncGeneric[T]) InvokeContext(ctx context.Context, arg T) error {
	return p.sendContext(ctx, slotEntry{arg: arg, owner: &p.poolCore})
}
