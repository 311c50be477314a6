package ants

// PoolWithFunc runs one function on the arguments given to Invoke.
type PoolWithFunc struct {
	funcPool[any]
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
	setLifetime(p, &p.poolCore)
	return p, nil
}

// PoolWithFuncGeneric is the generic version of PoolWithFunc.
type PoolWithFuncGeneric[T any] struct {
	funcPool[T]
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
	setLifetime(p, &p.poolCore)
	return p, nil
}

// genericFunc adapts a func(T) to the slot table's any. The argument is
// boxed on the way: an allocation for values that are not pointer-shaped,
// which ants' generic pool avoids with a typed channel per worker.
func genericFunc[T any](pf func(T)) func(any) {
	return func(a any) {
		v, _ := a.(T) // comma-ok: a nil interface argument stays nil
		pf(v)
	}
}
