// Package synth makes plausible villages from a seed (Village): lanes off
// a main road, houses along them numbered by the scheme, landmarks and
// householder names, for the demo post, tests and benchmarks.
package synth
