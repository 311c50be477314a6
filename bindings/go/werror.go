//go:build ants_werror

package ants

// The project's own CI builds with -tags ants_werror (bindings/go/
// CMakeLists.txt), which holds the hand-written C of this package to the
// project's warning bar. Users' builds never see -Werror: a newer compiler's
// new warning must not break them. cgo applies a package's CFLAGS to all of
// its C, so this covers glue.go; the SWIG output (internal/capi) is generated
// code and is not held to it.

// #cgo CFLAGS: -Werror
import "C"
