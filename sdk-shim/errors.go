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

// Reason says why an error happened, finer than its Code (swr_error_reason):
// decide on it, never on message text.
type Reason int

// The reasons, as swr.h defines them.
const (
	ReasonNone            Reason = C.SWR_REASON_NONE
	ReasonTLS             Reason = C.SWR_REASON_TLS
	ReasonDNS             Reason = C.SWR_REASON_DNS
	ReasonRefused         Reason = C.SWR_REASON_REFUSED
	ReasonConnection      Reason = C.SWR_REASON_CONNECTION
	ReasonTimeout         Reason = C.SWR_REASON_TIMEOUT
	ReasonTooSlow         Reason = C.SWR_REASON_TOO_SLOW
	ReasonAuth            Reason = C.SWR_REASON_AUTH
	ReasonForbidden       Reason = C.SWR_REASON_FORBIDDEN
	ReasonNotFound        Reason = C.SWR_REASON_NOT_FOUND
	ReasonRateLimited     Reason = C.SWR_REASON_RATE_LIMITED
	ReasonQuota           Reason = C.SWR_REASON_QUOTA
	ReasonConflict        Reason = C.SWR_REASON_CONFLICT
	ReasonExists          Reason = C.SWR_REASON_EXISTS
	ReasonOCIIndexRefused Reason = C.SWR_REASON_OCI_INDEX_REFUSED
	ReasonInvalidInput    Reason = C.SWR_REASON_INVALID_INPUT
	ReasonServer          Reason = C.SWR_REASON_SERVER
	ReasonProtocol        Reason = C.SWR_REASON_PROTOCOL
	ReasonDigestMismatch  Reason = C.SWR_REASON_DIGEST_MISMATCH
	ReasonUnsupported     Reason = C.SWR_REASON_UNSUPPORTED
	ReasonCancelled       Reason = C.SWR_REASON_CANCELLED
	ReasonAborted         Reason = C.SWR_REASON_ABORTED
	ReasonOutOfMemory     Reason = C.SWR_REASON_OUT_OF_MEMORY
	ReasonInternal        Reason = C.SWR_REASON_INTERNAL
)

// String is the library's name of the reason ("tls", "oci_index_refused", ...).
func (r Reason) String() string { return C.GoString(C.swr_error_reason_string(C.int(r))) }

// Error is every failure the library reports: its code, the HTTP status (0
// when none), SWR's error code ("SVCSTG.SWR.4040058", "APIGW.0301"), the
// server's request id and a message with no secret in it.
type Error struct {
	Code       Code
	Reason     Reason
	Retryable  bool // the same call may succeed later
	HTTPStatus int
	SWRCode    string
	RequestID  string
	Message    string
	// cause is ctx.Err() when a context ended the call.
	cause    error
	sentinel bool
	byReason bool // a sentinel matching by Reason, not by Code
}

func (e *Error) Error() string { return "otcswr: " + e.Message }

// Is makes errors.Is(err, ErrNotFound) and friends work: sentinels match by code.
func (e *Error) Is(target error) bool {
	var t *Error
	if errors.As(target, &t) && t.sentinel {
		if t.byReason {
			return t.Reason == e.Reason
		}
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
	// Sentinels by reason: errors.Is(err, ErrTLS) and so on.
	ErrTLS             = newReasonSentinel(ReasonTLS)
	ErrDNS             = newReasonSentinel(ReasonDNS)
	ErrRefused         = newReasonSentinel(ReasonRefused)
	ErrTooSlow         = newReasonSentinel(ReasonTooSlow)
	ErrOCIIndexRefused = newReasonSentinel(ReasonOCIIndexRefused)
	ErrServer          = newReasonSentinel(ReasonServer)
	// ErrClosed: the handle (or stream) was closed.
	ErrClosed = &Error{Code: CodeInvalid, Reason: ReasonInvalidInput, Message: "the handle is closed"}
)

func newSentinel(c Code) *Error {
	e := &Error{Code: c, Message: c.String()}
	e.sentinel = true
	return e
}

func newReasonSentinel(r Reason) *Error {
	return &Error{Code: CodeError, Reason: r, Message: r.String(), sentinel: true, byReason: true}
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
		e.Reason = Reason(cerr.reason)
		e.Retryable = cerr.retryable != 0
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
	return &Error{Code: CodeInvalid, Reason: ReasonInvalidInput, Message: fmt.Sprintf(format, args...)}
}
