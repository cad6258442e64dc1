package swr

/*
#include <stdlib.h>
#include <swr/swr.h>
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// RegistryOptions configure a Registry: any Docker Registry V2 / OCI endpoint.
type RegistryOptions struct {
	URL                string // "https://host[:port]", or "http://..." for plain HTTP
	Username, Password string // empty: anonymous
	Connection         ConnectionOptions
}

// Registry is one registry endpoint. Safe for concurrent use.
type Registry struct {
	own      owner  // used when the registry is its own handle
	o        *owner // the life this registry's calls run in
	r        *C.swr_registry
	borrowed bool // a Client's registry: the client frees it
	logs     cgo.Handle
}

// NewRegistry creates a registry handle; no network call.
func NewRegistry(opts RegistryOptions) (*Registry, error) {
	var o C.swr_registry_options
	C.swr_registry_options_init(&o, C.SWR_REGISTRY_OPTIONS_VERSION)
	var strs cStrings
	defer strs.free()
	o.url, o.username, o.password = strs.orNil(opts.URL), strs.orNil(opts.Username), strs.orNil(opts.Password)
	reg := &Registry{}
	reg.o = &reg.own
	reg.logs = opts.Connection.fill(&o.connection, &strs)
	var cerr *C.swr_error
	if rc := C.swr_registry_new(&reg.r, &o, &cerr); rc != C.SWR_OK {
		if reg.logs != 0 {
			reg.logs.Delete()
		}
		return nil, errorFrom(nil, rc, cerr)
	}
	runtime.SetFinalizer(reg, func(r *Registry) {
		finalizerWarning("Registry")
		_ = r.Close()
	})
	return reg, nil
}

// Close cancels the calls in flight, closes the streams still open, waits
// for the calls and frees the handle. A Client's registry is closed with
// the client: its Close does nothing.
func (r *Registry) Close() error {
	if r.borrowed {
		return nil
	}
	runtime.SetFinalizer(r, nil)
	return r.o.shutdown(func() { C.swr_registry_cancel_all(r.r) }, func() {
		C.swr_registry_free(r.r)
		r.r = nil
		if r.logs != 0 {
			r.logs.Delete()
		}
	})
}

func (r *Registry) call(ctx context.Context, fn func(tok *C.swr_cancel_token, err **C.swr_error) C.int) error {
	return r.o.call(ctx, fn)
}

// Ping checks reachability and credentials at /v2/.
func (r *Registry) Ping(ctx context.Context) error {
	return r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int { return C.swr_registry_ping(r.r, t, e) })
}

// Manifest is a manifest as the registry holds it. Data is nil from HeadManifest.
type Manifest struct {
	Digest    string
	MediaType string
	Size      int64
	Data      []byte
}

func manifestFrom(m *C.swr_manifest, withData bool) Manifest {
	out := Manifest{Digest: goStr(m.digest), MediaType: goStr(m.media_type), Size: int64(m.size)}
	if withData && m.data != nil {
		out.Data = C.GoBytes(m.data, C.int(m.size))
	}
	return out
}

// HeadManifest returns a manifest's digest, type and size; ErrNotFound when absent.
func (r *Registry) HeadManifest(ctx context.Context, repo, ref string) (Manifest, error) {
	rp, rf := cstr(repo), cstr(ref)
	defer freeC(rp)
	defer freeC(rf)
	var out *C.swr_manifest
	err := r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_manifest_head(&out, r.r, rp, rf, t, e)
	})
	if err != nil {
		return Manifest{}, err
	}
	defer C.swr_manifest_free(out)
	return manifestFrom(out, false), nil
}

// GetManifest downloads a manifest, checked against its digest. accept ""
// takes every manifest type the library knows.
func (r *Registry) GetManifest(ctx context.Context, repo, ref, accept string) (Manifest, error) {
	rp, rf, ac := cstr(repo), cstr(ref), cstrOrNil(accept)
	defer freeC(rp)
	defer freeC(rf)
	defer freeC(ac)
	var out *C.swr_manifest
	err := r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_manifest_get(&out, r.r, rp, rf, ac, t, e)
	})
	if err != nil {
		return Manifest{}, err
	}
	defer C.swr_manifest_free(out)
	return manifestFrom(out, true), nil
}

// PutManifest uploads a manifest under ref (a tag, or its own digest) and
// returns its digest.
func (r *Registry) PutManifest(ctx context.Context, repo, ref, mediaType string, data []byte) (string, error) {
	rp, rf, mt := cstr(repo), cstr(ref), cstr(mediaType)
	defer freeC(rp)
	defer freeC(rf)
	defer freeC(mt)
	var digest *C.char
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	err := r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_manifest_put(&digest, r.r, rp, rf, mt, p, C.size_t(len(data)), t, e)
	})
	runtime.KeepAlive(data)
	if err != nil {
		return "", err
	}
	defer C.swr_string_free(digest)
	return goStr(digest), nil
}

// DeleteManifest deletes a manifest through the registry API (a tag is
// resolved to its digest first). For SWR prefer Client.DeleteRepositoryTag.
func (r *Registry) DeleteManifest(ctx context.Context, repo, ref string) error {
	rp, rf := cstr(repo), cstr(ref)
	defer freeC(rp)
	defer freeC(rf)
	return r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_manifest_delete(r.r, rp, rf, t, e)
	})
}

// ListTags returns every tag of a repository.
func (r *Registry) ListTags(ctx context.Context, repo string) ([]string, error) {
	rp := cstr(repo)
	defer freeC(rp)
	var out *C.swr_string_list
	err := r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int { return C.swr_tag_list(&out, r.r, rp, t, e) })
	if err != nil {
		return nil, err
	}
	defer C.swr_string_list_free(out)
	items := unsafeSlice(out.items, out.count)
	tags := make([]string, 0, len(items))
	for _, p := range items {
		tags = append(tags, goStr(p))
	}
	return tags, nil
}

// StatBlob says whether the repository has the blob, and its size (-1 when
// the registry does not say).
func (r *Registry) StatBlob(ctx context.Context, repo, digest string) (exists bool, size int64, err error) {
	rp, dg := cstr(repo), cstr(digest)
	defer freeC(rp)
	defer freeC(dg)
	var ex C.int
	var sz C.int64_t
	err = r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_blob_stat(&ex, &sz, r.r, rp, dg, t, e)
	})
	return ex != 0, int64(sz), err
}

// Upload is a resumable upload session: where the next chunk goes and how
// many bytes the registry holds.
type Upload struct {
	Location string
	Offset   int64
}

func uploadFrom(u *C.swr_upload) Upload {
	defer C.swr_upload_free(u)
	return Upload{goStr(u.location), int64(u.offset)}
}

// StartUpload opens an upload session.
func (r *Registry) StartUpload(ctx context.Context, repo string) (Upload, error) {
	rp := cstr(repo)
	defer freeC(rp)
	var out *C.swr_upload
	if err := r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_upload_start(&out, r.r, rp, t, e)
	}); err != nil {
		return Upload{}, err
	}
	return uploadFrom(out), nil
}

// UploadStatus asks the registry how much of the upload it holds.
func (r *Registry) UploadStatus(ctx context.Context, repo, location string) (Upload, error) {
	rp, loc := cstr(repo), cstr(location)
	defer freeC(rp)
	defer freeC(loc)
	var out *C.swr_upload
	if err := r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_upload_status(&out, r.r, rp, loc, t, e)
	}); err != nil {
		return Upload{}, err
	}
	return uploadFrom(out), nil
}

// FinishUpload commits the upload at location as blob digest.
func (r *Registry) FinishUpload(ctx context.Context, repo, location, digest string) error {
	rp, loc, dg := cstr(repo), cstr(location), cstr(digest)
	defer freeC(rp)
	defer freeC(loc)
	defer freeC(dg)
	return r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_upload_finish(r.r, rp, loc, dg, t, e)
	})
}

// AbortUpload abandons the upload at location.
func (r *Registry) AbortUpload(ctx context.Context, repo, location string) error {
	rp, loc := cstr(repo), cstr(location)
	defer freeC(rp)
	defer freeC(loc)
	return r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_upload_abort(r.r, rp, loc, t, e)
	})
}

// MountBlob mounts digest from another repository of this registry; false
// when the registry declined (upload instead).
func (r *Registry) MountBlob(ctx context.Context, repo, digest, fromRepo string) (bool, error) {
	rp, dg, from := cstr(repo), cstr(digest), cstr(fromRepo)
	defer freeC(rp)
	defer freeC(dg)
	defer freeC(from)
	var mounted C.int
	err := r.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_blob_mount(&mounted, r.r, rp, dg, from, t, e)
	})
	return mounted != 0, err
}

// MountSource names a repository of this registry known to hold digest,
// other than except (for MountBlob); ErrNotFound when none. No network call.
func (r *Registry) MountSource(digest, except string) (string, error) {
	dg, ex := cstr(digest), cstrOrNil(except)
	defer freeC(dg)
	defer freeC(ex)
	var out *C.char
	err := r.call(context.Background(), func(_ *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_mount_source_find(&out, r.r, dg, ex, e)
	})
	if err != nil {
		return "", err
	}
	defer C.swr_string_free(out)
	return goStr(out), nil
}
