package swr

/*
#include <stdint.h>
#include <swr/swr.h>

extern int goProgressCallback(swr_copy_progress *progress, void *payload);

static void set_copy_progress(swr_copy_options *o, uintptr_t handle) {
  o->progress_cb = (swr_copy_progress_cb)goProgressCallback;
  o->progress_payload = (void *)handle;
}
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"time"
)

// CopyProgress of one image copy.
type CopyProgress struct {
	BytesDone, BytesTotal int64
	BlobsDone, BlobsTotal int
}

// CopyOptions tune Copy; the zero value is the library's defaults.
type CopyOptions struct {
	ParallelBlobs   int   // 0 = 4, at most 64
	BlobAttempts    int   // 0 = 3
	ChunkSize       int64 // 0: one streamed PUT per blob; > 0: resumable chunks
	VerifyDownloads bool  // hash blobs on our side too
	// Deadline bounds the whole copy (0: none; the ctx deadline also ends it).
	Deadline time.Duration
	// MinBytesPerSecond: a blob transfer slower than this fails, naming the
	// slow side; 0 = 64 KiB/s, -1 = only a complete stall fails.
	MinBytesPerSecond int64
	// Progress is called at most every 100 ms and at each finished blob,
	// never twice at once; return false to stop the copy (ErrAborted). A
	// panic in it stops the copy too.
	Progress func(CopyProgress) bool
}

// CopyResult of one image copy.
type CopyResult struct {
	Digest          string
	MediaType       string
	AlreadyPresent  bool
	BytesCopied     int64
	BlobsCopied     int
	BlobsMounted    int
	BlobsExisting   int
	ManifestsPushed int
}

// Copy copies srcRepo:srcRef of this registry to dstRepo:dstRef of dst
// (dstRef "": the source tag, or the digest when copied by digest): blobs
// the destination has are skipped, known ones mounted, the rest streamed;
// manifests last.
func (r *Registry) Copy(ctx context.Context, srcRepo, srcRef string, dst *Registry, dstRepo, dstRef string,
	opts CopyOptions) (CopyResult, error) {
	if dst == nil {
		return CopyResult{}, invalid("Copy: the destination registry is nil")
	}
	if err := dst.o.enter(); err != nil {
		return CopyResult{}, err
	}
	defer dst.o.leave()
	sr, sf, dr, df := cstr(srcRepo), cstr(srcRef), cstr(dstRepo), cstrOrNil(dstRef)
	defer func() {
		for _, p := range []*C.char{sr, sf, dr, df} {
			freeC(p)
		}
	}()
	var o C.swr_copy_options
	C.swr_copy_options_init(&o, C.SWR_COPY_OPTIONS_VERSION)
	o.parallel_blobs = C.int(opts.ParallelBlobs)
	o.blob_attempts = C.int(opts.BlobAttempts)
	o.chunk_size = C.int64_t(opts.ChunkSize)
	o.verify_downloads = boolInt(opts.VerifyDownloads)
	o.deadline_ms = C.int64_t(opts.Deadline / time.Millisecond)
	o.min_bytes_per_second = C.int64_t(opts.MinBytesPerSecond)
	if opts.Progress != nil {
		h := cgo.NewHandle(&progressSink{fn: opts.Progress})
		defer h.Delete()
		C.set_copy_progress(&o, C.uintptr_t(h))
	}
	var out *C.swr_copy_result
	err := r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_image_copy(&out, r.r, sr, sf, dst.r, dr, df, &o, t, e)
	})
	if err != nil {
		return CopyResult{}, err
	}
	defer C.swr_copy_result_free(out)
	return CopyResult{
		Digest: goStr(out.digest), MediaType: goStr(out.media_type), AlreadyPresent: out.already_present != 0,
		BytesCopied: int64(out.bytes_copied), BlobsCopied: int(out.blobs_copied), BlobsMounted: int(out.blobs_mounted),
		BlobsExisting: int(out.blobs_existing), ManifestsPushed: int(out.manifests_pushed),
	}, nil
}
