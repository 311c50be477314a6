package ants

// Pool runs func() tasks on a bounded set of workers: goroutines holding
// slots of a libants pool (native threads for a pool with a task queue).
type Pool struct {
	taskPool
}

// NewPool instantiates a Pool of at most size workers; size <= 0 makes it
// unlimited. No worker starts before a task needs one.
func NewPool(size int, options ...Option) (*Pool, error) {
	p := &Pool{}
	if err := p.init(size, nil, poolKind{}, options); err != nil {
		return nil, err
	}
	setLifetime(p, &p.poolCore)
	return p, nil
}
