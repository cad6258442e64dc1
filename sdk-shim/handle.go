package swr

/*
#include <swr/swr.h>
*/
import "C"

import (
	"context"
	"log/slog"
	"sync"
)

// owner is the life of one C handle: calls run inside enter/leave, Close
// waits for them (after cancelling them) and closes the streams still open.
type owner struct {
	mu      sync.RWMutex // calls hold it shared, closing holds it exclusively
	closed  bool
	smu     sync.Mutex
	streams map[stream]struct{}
}

// stream is a blob reader or writer that its owner closes on Close.
type stream interface{ closeStream() error }

func (o *owner) enter() error {
	o.mu.RLock()
	if o.closed {
		o.mu.RUnlock()
		return ErrClosed
	}
	return nil
}

func (o *owner) leave() { o.mu.RUnlock() }

func (o *owner) track(s stream) {
	o.smu.Lock()
	if o.streams == nil {
		o.streams = map[stream]struct{}{}
	}
	o.streams[s] = struct{}{}
	o.smu.Unlock()
}

func (o *owner) untrack(s stream) {
	o.smu.Lock()
	delete(o.streams, s)
	o.smu.Unlock()
}

// shutdown runs cancelAll (which makes every call in flight return), closes
// the open streams, waits for the calls, then runs free once.
func (o *owner) shutdown(cancelAll, free func()) error {
	o.mu.RLock()
	closed := o.closed
	o.mu.RUnlock()
	if closed {
		return nil
	}
	cancelAll()
	o.smu.Lock()
	open := make([]stream, 0, len(o.streams))
	for s := range o.streams {
		open = append(open, s)
	}
	o.smu.Unlock()
	for _, s := range open {
		_ = s.closeStream()
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil
	}
	o.closed = true
	free()
	return nil
}

// call runs one C call bound to ctx: a cancel token cancelled when ctx ends,
// the error converted (and freed).
func (o *owner) call(ctx context.Context, fn func(tok *C.swr_cancel_token, err **C.swr_error) C.int) error {
	if err := o.enter(); err != nil {
		return err
	}
	defer o.leave()
	t, err := newCallToken(ctx)
	if err != nil {
		return err
	}
	defer t.stop()
	var cerr *C.swr_error
	rc := fn(t.token, &cerr)
	return errorFrom(ctx, rc, cerr)
}

// logLevel maps an slog level to the library's (ERROR 0 .. DEBUG 3).
func logLevel(l slog.Level) C.int {
	switch {
	case l <= slog.LevelDebug:
		return C.SWR_LOG_DEBUG
	case l <= slog.LevelInfo:
		return C.SWR_LOG_INFO
	case l <= slog.LevelWarn:
		return C.SWR_LOG_WARN
	}
	return C.SWR_LOG_ERROR
}

func finalizerWarning(what string) {
	slog.Default().Warn("otcswr: a " + what + " was garbage-collected without Close; closing it now")
}
