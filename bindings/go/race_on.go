//go:build race

package ants

// raceEnabled makes tasks publish their completion through Go atomics that
// waits (WaitIdle, ReleaseTimeout, Group.Wait) then read. The real
// happens-before edge is inside libants, whose C++ is not instrumented, so
// without this the race detector would flag a caller reading what finished
// tasks wrote. Compiled out of normal builds.
const raceEnabled = true
