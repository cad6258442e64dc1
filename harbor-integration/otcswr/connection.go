package otcswr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goharbor/harbor/src/lib/log"

	swr "github.com/opentelekomcloud/swr-adapter/sdk-shim"
)

// connection is one SWR client (and its registry) for one endpoint
// configuration. Harbor creates adapters per operation and never closes
// them, so connections are shared and kept: their registry tokens, and
// their knowledge of which repository holds which blob (for mounts), serve
// every task of a replication.
type connection struct {
	client   *swr.Client
	registry *swr.Registry
	lastUsed time.Time
	// mountsDeclined: the registry answered a mount with an upload session.
	mountsDeclined atomic.Bool
	noMount        sync.Map // digest -> true: mounting it failed
	// ensured: organizations PrepareForPush ensured (destinations of push
	// rules), which may be created again when SWR says they are gone.
	ensured sync.Map
	// uploads: one upload per blob across the process's tasks (uploads.go).
	uploads uploadClaims
}

const (
	// SWR allows about 20 requests per second per tenant (its FAQ on image
	// pushes); HARBOR_SWR_REQUESTS_PER_SECOND overrides it (documented in
	// the README), e.g. for a quota raised by support.
	defaultRequestsPerSecond = 20
	maxConnections           = 64
	idleTimeout              = time.Hour
)

// swrRequestsPerSecond: HARBOR_SWR_REQUESTS_PER_SECOND when it is a number
// (negative: no limit), else SWR's 20.
var swrRequestsPerSecond = func() float64 {
	if v, err := strconv.ParseFloat(os.Getenv("HARBOR_SWR_REQUESTS_PER_SECOND"), 64); err == nil && v != 0 &&
		!math.IsNaN(v) && !math.IsInf(v, 0) {
		return v
	}
	return defaultRequestsPerSecond
}()

var (
	connMu      sync.Mutex
	connections = map[string]*connection{}
)

// connect returns the shared connection for this configuration, creating
// it when needed. The key is a hash: no secret is kept in clear beside it.
func connect(url, accessID, secret string, insecure bool, caPEM string) (*connection, error) {
	h := sha256.New()
	for _, part := range []string{url, accessID, secret, map[bool]string{true: "1", false: "0"}[insecure], caPEM} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	key := hex.EncodeToString(h.Sum(nil))
	connMu.Lock()
	defer connMu.Unlock()
	if c, ok := connections[key]; ok {
		c.lastUsed = time.Now()
		return c, nil
	}
	client, err := swr.NewClient(swr.ClientOptions{
		RegistryURL:  url,
		AccessID:     accessID,
		AccessSecret: secret,
		Connection: swr.ConnectionOptions{
			Insecure: insecure,
			CAPEM:    caPEM,
			// SWR's limit per tenant, also behind a typed URL (a proxy): every
			// connection and task of this process for the same registry and
			// project shares it, and they slow down together on 503/429.
			RequestsPerSecond: swrRequestsPerSecond,
			Logger:            slog.New(harborLogHandler{}),
			LogLevel:          libraryLogLevel(),
		},
	})
	if err != nil {
		return nil, err
	}
	c := &connection{client: client, registry: client.Registry(), lastUsed: time.Now()}
	if len(connections) >= maxConnections {
		evictIdle()
	}
	if len(connections) < maxConnections {
		connections[key] = c
	}
	// Otherwise unshared: the binding closes it once nothing refers to it.
	return c, nil
}

// evictIdle closes connections unused for an hour (connMu held).
func evictIdle() {
	for k, c := range connections {
		if time.Since(c.lastUsed) > idleTimeout {
			delete(connections, k)
			go c.client.Close()
		}
	}
}

// ensureOrganization creates org unless this account has it. The library
// remembers organizations per client for 10 minutes and lets one call per
// name run at a time (the policy swrctl sync uses too), so the tasks of a
// replication ask SWR once.
func (c *connection) ensureOrganization(org string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := c.client.EnsureOrganization(ctx, org); err != nil {
		return err
	}
	c.ensured.Store(org, true)
	return nil
}

// libraryLogLevel follows Harbor's LOG_LEVEL: the library's request lines
// at debug, its retries and warnings otherwise.
func libraryLogLevel() slog.Level {
	if log.GetLevel() <= log.DebugLevel {
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// harborLogHandler sends the library's (already redacted) log lines to
// Harbor's log.
type harborLogHandler struct{}

func (harborLogHandler) Enabled(context.Context, slog.Level) bool { return true }

func (harborLogHandler) Handle(_ context.Context, r slog.Record) error {
	// One record, one line in Harbor's log (request dumps span several).
	msg := strings.ReplaceAll(strings.TrimRight(r.Message, "\n"), "\n", " | ")
	switch {
	case r.Level >= slog.LevelError:
		log.Errorf("otcswr: %s", msg)
	case r.Level >= slog.LevelWarn:
		log.Warningf("otcswr: %s", msg)
	case r.Level >= slog.LevelInfo:
		log.Infof("otcswr: %s", msg)
	default:
		log.Debugf("otcswr: %s", msg)
	}
	return nil
}

func (h harborLogHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h harborLogHandler) WithGroup(string) slog.Handler      { return h }
