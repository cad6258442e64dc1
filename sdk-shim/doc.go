// Package swr is the Go binding of the Open Telekom Cloud SWR adapter's C
// library (libotcswr, adapter/include/swr/swr.h): SWR organizations,
// repositories and tags through SWR's management API, any Docker Registry V2
// / OCI registry (SWR's included) with manifests, streamed blobs, resumable
// uploads and mounts, image copies, AK/SK request signing and login keys.
//
// Every blocking method takes a context.Context first: when it ends, the call
// returns within a second (mid-blob too), with an *Error whose Code is
// CodeCancelled and which unwraps to ctx.Err(). Errors carry the library's
// code, the HTTP status, SWR's error code and request id, and match the
// sentinels (ErrNotFound, ...) with errors.Is. No secret appears in any error
// or log line: the library redacts them before they reach Go.
//
// Handles (Client, Registry, and the blob streams) must be closed with
// Close; a finalizer closes a forgotten one as a backstop and says so in the
// log. Library logs go to a *slog.Logger.
//
// Build: the package links libotcswr through pkg-config (module
// "otcswr"). After `make` in the repository, point PKG_CONFIG_PATH at
// build/pkgconfig to use the build tree; after `make install`, the installed
// otcswr.pc is found as usual. CGO_ENABLED=1 is required.
package swr
