//go:build ants_werror

package nativetest

// -Werror for the project's CI only (-tags ants_werror); see ../../werror.go.

// #cgo CFLAGS: -Werror
import "C"
