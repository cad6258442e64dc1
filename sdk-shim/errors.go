package swr

/*
#include <swr/swr.h>
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
)

// Code is one of the library's error codes (swr_error_code).
type Code int

// The codes, as swr.h defines them.
const (
	CodeOK          Code = 0
	CodeError       Code = -1
	CodeInvalid     Code = -2
	CodeNotFound    Code = -3
	CodeExists      Code = -4
	CodeAuth        Code = -5
	CodeDenied      Code = -6
	CodeRateLimit   Code = -7
	CodeTimeout     Code = -8
	CodeUnavailable Code = -9
	CodeDigest      Code = -10
	CodeProtocol    Code = -11
	CodeUnsupported Code = -12
	CodeCancelled   Code = -13
	CodeUser        Code = -14
	CodeConflict    Code = -15
	CodeNetwork     Code = -16
	CodeNoMemory    Code = -17
	CodeQuota       Code = -18
)

// String is the library's text for the code ("not found", ...).
func (c Code) String() string { return C.GoString(C.swr_error_string(C.int(c))) }

// Error is every failure the library reports: its code, the HTTP status (0
// when none), SWR's error code ("SVCSTG.SWR.4040058", "APIGW.0301"), the
// server's request id and a message with no secret in it.
type Error struct {
	Code       Code
	HTTPStatus int
	SWRCode    string
	RequestID  string
	Message    string
	// cause is ctx.Err() when a context ended the call.
	cause    error
	sentinel bool
}

func (e *Error) Error() string { return "otcswr: " + e.Message }

// Is makes errors.Is(err, ErrNotFound) and friends work: sentinels match by code.
func (e *Error) Is(target error) bool {
	var t *Error
	if errors.As(target, &t) && t.sentinel {
		return t.Code == e.Code
	}
	return false
}

// Unwrap gives context.Canceled or context.DeadlineExceeded when a context
// ended the call.
func (e *Error) Unwrap() error { return e.cause }

// The sentinels: compare with errors.Is.
var (
	ErrInvalid     = newSentinel(CodeInvalid)
	ErrNotFound    = newSentinel(CodeNotFound)
	ErrExists      = newSentinel(CodeExists)
	ErrAuth        = newSentinel(CodeAuth)
	ErrDenied      = newSentinel(CodeDenied)
	ErrRateLimited = newSentinel(CodeRateLimit)
	ErrTimeout     = newSentinel(CodeTimeout)
	ErrUnavailable = newSentinel(CodeUnavailable)
	ErrDigest      = newSentinel(CodeDigest)
	ErrProtocol    = newSentinel(CodeProtocol)
	ErrUnsupported = newSentinel(CodeUnsupported)
	ErrCancelled   = newSentinel(CodeCancelled)
	ErrAborted     = newSentinel(CodeUser)
	ErrConflict    = newSentinel(CodeConflict)
	ErrNetwork     = newSentinel(CodeNetwork)
	ErrQuota       = newSentinel(CodeQuota)
	// ErrClosed: the handle (or stream) was closed.
	ErrClosed = &Error{Code: CodeInvalid, Message: "the handle is closed"}
)

func newSentinel(c Code) *Error {
	e := &Error{Code: c, Message: c.String()}
	e.sentinel = true
	return e
}

// errorFrom turns a return code and a swr_error into a Go error, freeing it.
// ctx explains a cancellation the caller asked for.
func errorFrom(ctx context.Context, rc C.int, cerr *C.swr_error) error {
	if rc == C.SWR_OK {
		if cerr != nil {
			C.swr_error_free(cerr)
		}
		return nil
	}
	e := &Error{Code: Code(rc)}
	if cerr != nil {
		e.HTTPStatus = int(cerr.http_status)
		e.Message = goStr(cerr.message)
		e.SWRCode = goStr(cerr.swr_code)
		e.RequestID = goStr(cerr.request_id)
		C.swr_error_free(cerr)
	}
	if e.Message == "" {
		e.Message = e.Code.String()
	}
	if e.Code == CodeCancelled && ctx != nil && ctx.Err() != nil {
		e.cause = ctx.Err()
	}
	return e
}

func invalid(format string, args ...any) error {
	return &Error{Code: CodeInvalid, Message: fmt.Sprintf(format, args...)}
}
