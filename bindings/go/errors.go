package ants

import (
	"errors"
	"fmt"

	"libants/ants/internal/capi"
)

// The error values of ants v2.11, with its texts, so that code comparing
// with == or errors.Is, or matching on text, keeps working.
var (
	// ErrLackPoolFunc will be returned when invokers don't provide function for pool.
	ErrLackPoolFunc = errors.New("must provide function for pool")

	// ErrInvalidPoolExpiry will be returned when setting a negative number as the periodic duration to purge goroutines.
	ErrInvalidPoolExpiry = errors.New("invalid expiry for pool")

	// ErrPoolClosed will be returned when submitting task to a closed pool.
	ErrPoolClosed = errors.New("this pool has been closed")

	// ErrPoolOverload will be returned when the pool is full and no workers available.
	ErrPoolOverload = errors.New("too many goroutines blocked on submit or Nonblocking is set")

	// ErrInvalidPreAllocSize will be returned when trying to set up a negative capacity under PreAlloc mode.
	ErrInvalidPreAllocSize = errors.New("can not set up a negative capacity under PreAlloc mode")

	// ErrTimeout will be returned after the operations timed out.
	ErrTimeout = errors.New("operation timed out")

	// ErrInvalidPoolIndex will be returned when trying to retrieve a pool with an invalid index.
	ErrInvalidPoolIndex = errors.New("invalid pool index")

	// ErrInvalidLoadBalancingStrategy will be returned when trying to create a MultiPool with an invalid load-balancing strategy.
	ErrInvalidLoadBalancingStrategy = errors.New("invalid load-balancing strategy")

	// ErrInvalidMultiPoolSize will be returned when trying to create a MultiPool with an invalid size.
	ErrInvalidMultiPoolSize = errors.New("invalid size for multiple pool")
)

// Errors of libants that ants does not have.
var (
	// ErrInvalidArgument: a nil task, a negative option value libants
	// rejects, or a call on the wrong kind of pool.
	ErrInvalidArgument = errors.New("invalid argument")

	// ErrNoMemory: libants could not allocate.
	ErrNoMemory = errors.New("out of memory")

	// ErrSystem: the operating system refused a worker thread to a
	// nonblocking submit (a blocking one waits for a worker instead).
	ErrSystem = errors.New("the operating system refused a thread or resource")

	// ErrWouldDeadlock: a task tried to wait for its own pool (WaitIdle,
	// ReleaseTimeout) or its own group (Group.Wait).
	ErrWouldDeadlock = errors.New("call would wait for the caller's own task")
)

// errByStatus maps -status to its error; built from the generated
// constants so a renumbering in ants.h cannot go unnoticed.
var errByStatus = func() []error {
	m := map[capi.Enum_SS_ants_status]error{
		capi.ANTS_ERR_INVALID_ARGUMENT:                ErrInvalidArgument,
		capi.ANTS_ERR_LACK_POOL_FUNC:                  ErrLackPoolFunc,
		capi.ANTS_ERR_INVALID_POOL_EXPIRY:             ErrInvalidPoolExpiry,
		capi.ANTS_ERR_POOL_CLOSED:                     ErrPoolClosed,
		capi.ANTS_ERR_POOL_OVERLOAD:                   ErrPoolOverload,
		capi.ANTS_ERR_INVALID_PRE_ALLOC_SIZE:          ErrInvalidPreAllocSize,
		capi.ANTS_ERR_TIMEOUT:                         ErrTimeout,
		capi.ANTS_ERR_INVALID_POOL_INDEX:              ErrInvalidPoolIndex,
		capi.ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY: ErrInvalidLoadBalancingStrategy,
		capi.ANTS_ERR_INVALID_MULTI_POOL_SIZE:         ErrInvalidMultiPoolSize,
		capi.ANTS_ERR_NO_MEMORY:                       ErrNoMemory,
		capi.ANTS_ERR_SYSTEM:                          ErrSystem,
		capi.ANTS_ERR_WOULD_DEADLOCK:                  ErrWouldDeadlock,
	}
	n := 0
	for st := range m {
		n = max(n, -int(st))
	}
	t := make([]error, n+1)
	for st, err := range m {
		t[-int(st)] = err
	}
	return t
}()

// statusError is a status this binding does not know (a newer libants).
type statusError int

func (e statusError) Error() string {
	return fmt.Sprintf("libants status %d: %s", int(e), capi.Ants_strerror(int(e)))
}

// statusErr turns a libants status into the matching error value.
func statusErr(st int) error {
	if st == 0 {
		return nil
	}
	if st < 0 && -st < len(errByStatus) && errByStatus[-st] != nil {
		return errByStatus[-st]
	}
	return statusError(st)
}

// Status codes the hot paths compare against without a table lookup.
var (
	statusTimeout         = int(capi.ANTS_ERR_TIMEOUT)
	statusInvalidArgument = int(capi.ANTS_ERR_INVALID_ARGUMENT)
	statusOverload        = int(capi.ANTS_ERR_POOL_OVERLOAD)
)
