package swr

/*
#include <stdint.h>
#include <swr/swr.h>

extern void goLogCallback(int level, char *message, void *payload);

// The handle travels as the payload pointer; the integer-to-pointer
// conversion stays on the C side.
static void set_connection_log(swr_connection_options *o, uintptr_t handle, int level) {
  o->log_cb = (swr_log_cb)goLogCallback;
  o->log_payload = (void *)handle;
  o->log_level = level;
}
*/
import "C"

import (
	"log/slog"
	"runtime/cgo"
	"time"
)

// ConnectionOptions are what every connection of a Client or a Registry is
// made of (the C ABI's swr_connection_options): TLS, timeouts, retries,
// proxy, stream buffers and logging. The zero value is the defaults.
type ConnectionOptions struct {
	Insecure               bool   // skip TLS verification
	AllowPlainHTTP         bool   // http:// to a host other than this machine
	AllowInsecureRedirects bool   // follow https -> http blob redirects
	CAPEM                  string // CA certificates trusted besides the system's
	Timeout                time.Duration
	MaxAttempts            int
	UserAgent              string
	// Proxy: every request goes through this proxy URL ("http://host:3128",
	// "socks5h://..."); empty: the environment's (https_proxy, HTTPS_PROXY,
	// http_proxy, NO_PROXY).
	Proxy       string
	BufferBytes int // memory per blob stream; 0 = 256 KiB
	// RequestsPerSecond: request starts per second; 0: 20 (SWR's limit per
	// tenant) for a Client on an SWR host, none otherwise; < 0: none. The
	// Clients of one process for the same registry and project share it.
	RequestsPerSecond float64
	// Logger receives the library's (redacted) log lines at LogLevel and
	// above; nil: none.
	Logger   *slog.Logger
	LogLevel slog.Level
}

// cStrings are C copies of Go strings that live until free: the binding's
// one place for C-string cleanup.
type cStrings []*C.char

// orNil returns a C copy of s, or NULL for "".
func (c *cStrings) orNil(s string) *C.char {
	p := cstrOrNil(s)
	if p != nil {
		*c = append(*c, p)
	}
	return p
}

func (c *cStrings) free() {
	for _, p := range *c {
		freeC(p)
	}
	*c = nil
}

// fill sets o from opts; strings go into strs. It returns the handle of the
// log sink (0 without a Logger): the caller deletes it with the handle.
func (opts ConnectionOptions) fill(o *C.swr_connection_options, strs *cStrings) cgo.Handle {
	o.insecure = boolInt(opts.Insecure)
	o.allow_plain_http = boolInt(opts.AllowPlainHTTP)
	o.allow_insecure_redirects = boolInt(opts.AllowInsecureRedirects)
	o.ca_pem = strs.orNil(opts.CAPEM)
	o.timeout_ms = C.uint32_t(opts.Timeout / time.Millisecond)
	o.max_attempts = C.uint32_t(opts.MaxAttempts)
	o.user_agent = strs.orNil(opts.UserAgent)
	o.proxy = strs.orNil(opts.Proxy)
	o.buffer_bytes = C.size_t(opts.BufferBytes)
	o.requests_per_second = C.double(opts.RequestsPerSecond)
	if opts.Logger == nil {
		return 0
	}
	h := cgo.NewHandle(&logSink{logger: opts.Logger})
	C.set_connection_log(o, C.uintptr_t(h), logLevel(opts.LogLevel))
	return h
}
