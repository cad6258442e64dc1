package swr

/*
#cgo pkg-config: otcswr
#include <stdlib.h>
#include <swr/swr.h>

*/
import "C"

import "unsafe"

// cstr returns a C copy of s, or NULL for "" when nullable; free with freeC.
func cstr(s string) *C.char { return C.CString(s) }

func cstrOrNil(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func freeC(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

func goStr(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

func boolInt(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
