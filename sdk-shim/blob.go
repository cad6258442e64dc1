package swr

/*
#include <swr/swr.h>
*/
import "C"

import (
	"context"
	"io"
	"runtime"
	"sync"
	"unsafe"
)

// streamBase is what the three streams share: the owner that closes them,
// the call token bound to their context, and a Close that first cancels
// that token so that a Read or Write blocked in another goroutine returns.
type streamBase struct {
	mu     sync.Mutex // serialises the stream's calls
	ctx    context.Context
	o      *owner
	tok    *callToken
	once   sync.Once
	closed bool
}

func (s *streamBase) closeWith(self stream, free func()) {
	s.once.Do(func() {
		C.swr_cancel_token_cancel(s.tok.token) // unblocks a call in progress
		s.mu.Lock()
		s.closed = true
		free()
		s.mu.Unlock()
		s.tok.stop()
		s.o.untrack(self)
	})
}

// open runs the C open call with a fresh token bound to ctx; on success the
// token stays with the stream.
func (s *streamBase) open(ctx context.Context, o *owner, fn func(tok *C.swr_cancel_token, err **C.swr_error) C.int) error {
	if err := o.enter(); err != nil {
		return err
	}
	defer o.leave()
	tok, err := newCallToken(ctx)
	if err != nil {
		return err
	}
	var cerr *C.swr_error
	if rc := fn(tok.token, &cerr); rc != C.SWR_OK {
		tok.stop()
		return errorFrom(ctx, rc, cerr)
	}
	s.ctx, s.o, s.tok = ctx, o, tok
	return nil
}

// BlobReader streams a blob (or a range of it) from the registry with
// bounded memory. A whole-blob read is verified: the read that would end it
// fails with ErrDigest instead when size or digest differ.
type BlobReader struct {
	streamBase
	r    *C.swr_blob_reader
	size int64
}

// OpenBlob opens a download of length bytes from offset (-1: to the end).
// The reader stays bound to ctx.
func (r *Registry) OpenBlob(ctx context.Context, repo, digest string, offset, length int64) (*BlobReader, error) {
	rp, dg := cstr(repo), cstr(digest)
	defer freeC(rp)
	defer freeC(dg)
	br := &BlobReader{}
	if err := br.open(ctx, r.o, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_blob_reader_open(&br.r, r.r, rp, dg, C.int64_t(offset), C.int64_t(length), t, e)
	}); err != nil {
		return nil, err
	}
	br.size = int64(C.swr_blob_reader_size(br.r))
	r.o.track(br)
	runtime.SetFinalizer(br, func(b *BlobReader) {
		finalizerWarning("BlobReader")
		_ = b.Close()
	})
	return br, nil
}

// Size is the number of bytes the reader delivers, or -1 when unknown.
func (b *BlobReader) Size() int64 { return b.size }

// Read reads up to len(p) bytes; io.EOF at the end of the blob.
func (b *BlobReader) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, ErrClosed
	}
	if len(p) == 0 {
		return 0, nil
	}
	var n C.size_t
	var cerr *C.swr_error
	rc := C.swr_blob_reader_read(&n, b.r, unsafe.Pointer(&p[0]), C.size_t(len(p)), &cerr)
	runtime.KeepAlive(p)
	if err := errorFrom(b.ctx, rc, cerr); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, io.EOF
	}
	return int(n), nil
}

// Close abandons the download (also from another goroutine during a Read).
func (b *BlobReader) Close() error {
	runtime.SetFinalizer(b, nil)
	return b.closeStream()
}

func (b *BlobReader) closeStream() error {
	b.closeWith(b, func() { C.swr_blob_reader_free(b.r) })
	return nil
}

// BlobWriter streams a blob into the registry with bounded memory: Write
// blocks while the network is slower than the writer. Commit ends it; Close
// without Commit abandons the upload.
type BlobWriter struct {
	streamBase
	w *C.swr_blob_writer
}

// CreateBlob starts the upload of blob digest, size bytes (-1: unknown).
// The writer stays bound to ctx.
func (r *Registry) CreateBlob(ctx context.Context, repo, digest string, size int64) (*BlobWriter, error) {
	rp, dg := cstr(repo), cstr(digest)
	defer freeC(rp)
	defer freeC(dg)
	bw := &BlobWriter{}
	if err := bw.open(ctx, r.o, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_blob_writer_open(&bw.w, r.r, rp, dg, C.int64_t(size), t, e)
	}); err != nil {
		return nil, err
	}
	r.o.track(bw)
	runtime.SetFinalizer(bw, func(b *BlobWriter) {
		finalizerWarning("BlobWriter")
		_ = b.Close()
	})
	return bw, nil
}

// Write sends p. When the upload ended early (the registry refused it), it
// fails with the registry's answer.
func (b *BlobWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, ErrClosed
	}
	if len(p) == 0 {
		return 0, nil
	}
	var cerr *C.swr_error
	rc := C.swr_blob_writer_write(b.w, unsafe.Pointer(&p[0]), C.size_t(len(p)), &cerr)
	runtime.KeepAlive(p)
	if err := errorFrom(b.ctx, rc, cerr); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Commit ends the data and waits until the registry has accepted the blob.
func (b *BlobWriter) Commit() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	var cerr *C.swr_error
	return errorFrom(b.ctx, C.swr_blob_writer_commit(b.w, &cerr), cerr)
}

// Close frees the writer; before a successful Commit it abandons the upload.
func (b *BlobWriter) Close() error {
	runtime.SetFinalizer(b, nil)
	return b.closeStream()
}

func (b *BlobWriter) closeStream() error {
	b.closeWith(b, func() { C.swr_blob_writer_free(b.w) })
	return nil
}

// ChunkWriter streams one chunk of a resumable upload.
type ChunkWriter struct {
	streamBase
	w *C.swr_chunk_writer
}

// OpenChunk starts a chunk of length bytes at location, from offset (which
// must be what the registry holds).
func (r *Registry) OpenChunk(ctx context.Context, repo, location string, offset, length int64) (*ChunkWriter, error) {
	rp, loc := cstr(repo), cstr(location)
	defer freeC(rp)
	defer freeC(loc)
	cw := &ChunkWriter{}
	if err := cw.open(ctx, r.o, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_chunk_writer_open(&cw.w, r.r, rp, loc, C.int64_t(offset), C.int64_t(length), t, e)
	}); err != nil {
		return nil, err
	}
	r.o.track(cw)
	runtime.SetFinalizer(cw, func(c *ChunkWriter) {
		finalizerWarning("ChunkWriter")
		_ = c.Close()
	})
	return cw, nil
}

// Write sends p as part of the chunk.
func (c *ChunkWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, ErrClosed
	}
	if len(p) == 0 {
		return 0, nil
	}
	var cerr *C.swr_error
	rc := C.swr_chunk_writer_write(c.w, unsafe.Pointer(&p[0]), C.size_t(len(p)), &cerr)
	runtime.KeepAlive(p)
	if err := errorFrom(c.ctx, rc, cerr); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Commit ends the chunk and says where the next one goes.
func (c *ChunkWriter) Commit() (Upload, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return Upload{}, ErrClosed
	}
	var next *C.swr_upload
	var cerr *C.swr_error
	if err := errorFrom(c.ctx, C.swr_chunk_writer_commit(&next, c.w, &cerr), cerr); err != nil {
		return Upload{}, err
	}
	return uploadFrom(next), nil
}

// Close frees the writer.
func (c *ChunkWriter) Close() error {
	runtime.SetFinalizer(c, nil)
	return c.closeStream()
}

func (c *ChunkWriter) closeStream() error {
	c.closeWith(c, func() { C.swr_chunk_writer_free(c.w) })
	return nil
}
