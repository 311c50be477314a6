//go:build !race

package ants

// raceEnabled: see race_on.go.
const raceEnabled = false
