package swr

/*
#include <swr/swr.h>
*/
import "C"

import (
	"context"
	"sync"
)

// callToken ties one C call (or one stream) to a context: when ctx ends, the
// token is cancelled. stop() must be called once the call (stream) is over:
// it waits for the watcher to finish, after which the token can be freed.
type callToken struct {
	token *C.swr_cancel_token
	done  chan struct{}
	wg    sync.WaitGroup
}

func newCallToken(ctx context.Context) (*callToken, error) {
	if err := ctx.Err(); err != nil {
		return nil, &Error{Code: CodeCancelled, Reason: ReasonCancelled, Message: "cancelled before the call started", cause: err}
	}
	t := &callToken{}
	var cerr *C.swr_error
	if rc := C.swr_cancel_token_new(&t.token, &cerr); rc != C.SWR_OK {
		return nil, errorFrom(ctx, rc, cerr)
	}
	if ctx.Done() == nil {
		return t, nil // context.Background(): nothing to watch
	}
	t.done = make(chan struct{})
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		select {
		case <-ctx.Done():
			C.swr_cancel_token_cancel(t.token)
		case <-t.done:
		}
	}()
	return t, nil
}

// stop ends the watcher (no goroutine is left behind) and frees the token.
func (t *callToken) stop() {
	if t == nil {
		return
	}
	if t.done != nil {
		close(t.done)
		t.wg.Wait()
	}
	C.swr_cancel_token_free(t.token)
	t.token = nil
}
