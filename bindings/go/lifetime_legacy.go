//go:build !go1.24

package ants

import "runtime"

// weakLifetime is false before Go 1.24 (no weak pointers, no
// runtime.AddCleanup): a pool whose function, panic handler or logger
// refers to the pool is never collected, since finalizers do not run on
// cycles and the hook registry holds the hooks strongly. Such a pool must be
// released with Release or ReleaseTimeout: its workers then exit, but the
// Go and native memory of the pool stays allocated. Go >= 1.24 frees it.
const weakLifetime = false

type hookRef = *hooks

func makeHookRef(h *hooks) hookRef { return h }

func derefHooks(r hookRef) *hooks { return r }

// setLifetime frees c's libants pool once p, the pool value embedding c, is
// unreachable (a finalizer: never for a pool in a cycle).
func setLifetime[T any](p *T, c *poolCore) {
	ref := nativeRef{h: c.h, hookID: c.hookID, gw: c.gw}
	runtime.SetFinalizer(p, func(*T) { freeNative(ref) })
}
