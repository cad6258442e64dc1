package swr

// The functions C calls back. A file with //export may only declare in its
// preamble (cgo copies it twice), so the definitions live in cgo.go.

/*
#include <swr/swr.h>
*/
import "C"

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/cgo"
	"unsafe"
)

// logSink is what a handle's log payload points at.
type logSink struct {
	logger *slog.Logger
}

func (s *logSink) log(level int, msg string) {
	lvl := slog.LevelDebug
	switch level {
	case 0:
		lvl = slog.LevelError
	case 1:
		lvl = slog.LevelWarn
	case 2:
		lvl = slog.LevelInfo
	}
	s.logger.Log(context.Background(), lvl, msg, "source", "libotcswr")
}

//export goLogCallback
func goLogCallback(level C.int, message *C.char, payload unsafe.Pointer) {
	// A panic must not cross into C (it would take the process down from a
	// library thread): recover, and say so on the default logger.
	defer func() {
		if r := recover(); r != nil {
			slog.Default().Error("otcswr: the log handler panicked", "panic", fmt.Sprint(r))
		}
	}()
	sink := cgo.Handle(uintptr(payload)).Value().(*logSink)
	sink.log(int(level), C.GoString(message))
}

// progressSink is what a copy's progress payload points at.
type progressSink struct {
	fn func(CopyProgress) bool
}

//export goProgressCallback
func goProgressCallback(p *C.swr_copy_progress, payload unsafe.Pointer) (stop C.int) {
	defer func() {
		if r := recover(); r != nil {
			slog.Default().Error("otcswr: the copy progress callback panicked; stopping the copy", "panic", fmt.Sprint(r))
			stop = 1
		}
	}()
	sink := cgo.Handle(uintptr(payload)).Value().(*progressSink)
	keep := sink.fn(CopyProgress{
		BytesDone:  int64(p.bytes_done),
		BytesTotal: int64(p.bytes_total),
		BlobsDone:  int(p.blobs_done),
		BlobsTotal: int(p.blobs_total),
	})
	if keep {
		return 0
	}
	return 1
}
