// Package capi is the SWIG-generated flat C API of libants: handles (as
// uintptr), options setters, status codes, getters and control calls. It is
// generated from ../../ants_go.i, which includes the shared ../../../ants.i.
//
// The generated files (capi.go, capi_wrap.c) are build products and are not
// committed: CMake generates them into its copy of the module (see
// ../../CMakeLists.txt) and installs the complete module, so Go users of an
// installed libants never need SWIG. In a source checkout, run
// `go generate ./...` in bindings/go (needs swig >= 4.0) once.
//
// Package ants is the only user; nothing here is API.
package capi

//go:generate swig -go -cgo -intgosize 64 -I../../../../capi/include -outdir . -o capi_wrap.c ../../ants_go.i

// #cgo pkg-config: ants
import "C"
