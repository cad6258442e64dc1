package swr

/*
#include <stddef.h>
*/
import "C"

import "unsafe"

// unsafeSlice views a C array of n T as a Go slice (valid while the C memory lives).
func unsafeSlice[T any](p *T, n C.size_t) []T {
	if p == nil || n == 0 {
		return nil
	}
	return unsafe.Slice(p, int(n))
}
