module libants/bench/go

go 1.21

require (
	github.com/panjf2000/ants/v2 v2.11.5
	libants/ants v0.0.0
)

require golang.org/x/sync v0.11.0 // indirect

// The binding's source tree. scripts/bench-go-vs-ants.sh points this at the
// complete module CMake assembles (sources + SWIG output) instead.
replace libants/ants => ../../bindings/go
