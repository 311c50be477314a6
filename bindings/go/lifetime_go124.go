//go:build go1.24

package ants

import (
	"runtime"
	"weak"
)

// weakLifetime: pools are freed once unreachable even when their function,
// panic handler or logger refers to the pool (a cycle through the pool).
const weakLifetime = true

// hookRef is the registry's reference to a pool's hooks: weak, so that the
// registry (a global) never keeps a pool's closures, and through them the
// pool, alive.
type hookRef = weak.Pointer[hooks]

func makeHookRef(h *hooks) hookRef { return weak.Make(h) }

func derefHooks(r hookRef) *hooks { return r.Value() }

// setLifetime frees c's libants pool once p, the pool value embedding c, is
// unreachable. Unlike a finalizer, a cleanup runs even if p is part of a
// cycle (a pool function that refers to its pool), because the cleanup
// itself holds no pointer into p.
func setLifetime[T any](p *T, c *poolCore) {
	runtime.AddCleanup(p, freeNative, nativeRef{h: c.h, hookID: c.hookID, gw: c.gw})
}
