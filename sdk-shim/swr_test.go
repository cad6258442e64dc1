package swr

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opentelekomcloud/swr-adapter/sdk-shim/swrtest"
)

// captured collects log records (a slog.Handler).
type captured struct {
	mu    sync.Mutex
	lines []string
	hook  func(msg string)
}

func (c *captured) Enabled(context.Context, slog.Level) bool { return true }
func (c *captured) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	c.lines = append(c.lines, r.Message)
	hook := c.hook
	c.mu.Unlock()
	if hook != nil {
		hook(r.Message)
	}
	return nil
}
func (c *captured) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *captured) WithGroup(string) slog.Handler      { return c }
func (c *captured) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.lines...)
}

// noLeakedGoroutines waits (bounded) for the goroutine count to come back.
func noLeakedGoroutines(t *testing.T, before int) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("goroutines: %d before, %d after", before, runtime.NumGoroutine())
}

func sha256Digest(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

func TestSignAndLoginKeyMatchThePublishedVectors(t *testing.T) {
	sig, err := Sign(SignRequest{Method: "GET", URL: "https://service.endpoint.myhuaweicloud.com/resources?size=1",
		Headers:   []Header{{"Host", "service.endpoint.myhuaweicloud.com"}, {"X-Sdk-Date", "20200608T023900Z"}},
		AccessKey: "AccessKey", SecretKey: "SecretKey"})
	if err != nil {
		t.Fatal(err)
	}
	want := "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, " +
		"Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842"
	if sig.Authorization != want {
		t.Fatalf("authorization %q", sig.Authorization)
	}
	key, err := LoginKey("AccessKey", "SecretKey")
	if err != nil || key != "f004a0445bcaf37d946c882a22e1e5f9007ea3513c293aa2d3360af05b8875cd" {
		t.Fatalf("login key %q %v", key, err)
	}
	_, err = Sign(SignRequest{Method: "GET", URL: "not a url ::", AccessKey: "a", SecretKey: "b"})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad url: %v", err)
	}
}

func TestManagementThroughTheBinding(t *testing.T) {
	ctx := context.Background()
	e := swrtest.StartEmulator(t, swrtest.StartRegistry(t))
	c := swrClient(t, e)
	if c.SecretKind() != SecretSK {
		t.Fatalf("secret kind %v", c.SecretKind())
	}
	if err := c.CreateOrganization(ctx, "team"); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateOrganization(ctx, "team"); !errors.Is(err, ErrExists) {
		t.Fatalf("second create: %v", err)
	}
	if err := c.EnsureOrganization(ctx, "team"); err != nil {
		t.Fatal(err)
	}
	org, err := c.GetOrganization(ctx, "team")
	if err != nil || org.Name != "team" {
		t.Fatalf("get: %+v %v", org, err)
	}
	orgs, err := c.ListOrganizations(ctx)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("list: %+v %v", orgs, err)
	}
	e.Control(t, "POST", "/_emulator/seed", `{"repos":[{"namespace":"team","name":"web","tags":["1","2"]}]}`)
	repos, err := c.ListRepositories(ctx, "team")
	if err != nil || len(repos) != 1 || repos[0].Name != "web" || repos[0].Organization != "team" {
		t.Fatalf("repos: %+v %v", repos, err)
	}
	tags, err := c.ListRepositoryTags(ctx, "team", "web")
	if err != nil || len(tags) != 2 {
		t.Fatalf("tags: %+v %v", tags, err)
	}
	if err := c.DeleteRepositoryTag(ctx, "team", "web", "1"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteOrganization(ctx, "team"); !errors.Is(err, ErrConflict) {
		t.Fatalf("delete a non-empty organization: %v", err)
	}
	if err := c.DeleteRepository(ctx, "team", "web"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteOrganization(ctx, "team"); err != nil {
		t.Fatal(err)
	}
	login, err := c.TemporaryLogin(ctx)
	if err != nil || login.Password == "" || login.Username != swrtest.Project+"@"+swrtest.AK {
		t.Fatalf("temporary login: %+v %v", login.Username, err)
	}
	temp := swrClient(t, e, func(o *ClientOptions) { o.AccessSecret = "temp:" + login.Password })
	if temp.SecretKind() != SecretTemporary {
		t.Fatalf("kind %v", temp.SecretKind())
	}
	if err := temp.Registry().Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRegistryThroughTheBinding(t *testing.T) {
	ctx := context.Background()
	plainURL := swrtest.StartRegistry(t)
	e := swrtest.StartEmulator(t, swrtest.StartRegistry(t))
	digest := swrtest.PushImage(t, plainURL, "src/app", "v1", "-layers", "2", "-size", "200000")
	src := plainRegistry(t, plainURL)
	c := swrClient(t, e)
	dst := c.Registry()
	if err := dst.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.EnsureOrganization(ctx, "org"); err != nil {
		t.Fatal(err)
	}
	var reports []CopyProgress
	res, err := src.Copy(ctx, "src/app", "v1", dst, "org/app", "v1", CopyOptions{Progress: func(p CopyProgress) bool {
		reports = append(reports, p)
		return true
	}})
	if err != nil || res.Digest != digest || res.BlobsCopied != 3 {
		t.Fatalf("copy: %+v %v", res, err)
	}
	if len(reports) == 0 || reports[len(reports)-1].BytesDone != reports[len(reports)-1].BytesTotal {
		t.Fatalf("progress: %+v", reports)
	}
	head, err := dst.HeadManifest(ctx, "org/app", "v1")
	if err != nil || head.Digest != digest || head.Data != nil {
		t.Fatalf("head: %+v %v", head, err)
	}
	m, err := dst.GetManifest(ctx, "org/app", "v1", "")
	if err != nil || sha256Digest(m.Data) != digest {
		t.Fatalf("get: %v", err)
	}
	if d, err := dst.PutManifest(ctx, "org/app", "v2", m.MediaType, m.Data); err != nil || d != digest {
		t.Fatalf("put: %q %v", d, err)
	}
	if tags, err := dst.ListTags(ctx, "org/app"); err != nil || strings.Join(tags, ",") != "v1,v2" {
		t.Fatalf("tags: %v %v", tags, err)
	}
	// Blobs: read one back, write one, chunk one, mount one.
	layer := firstLayer(t, m.Data)
	exists, size, err := dst.StatBlob(ctx, "org/app", layer)
	if err != nil || !exists || size <= 0 {
		t.Fatalf("stat: %v %d %v", exists, size, err)
	}
	rd, err := dst.OpenBlob(ctx, "org/app", layer, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(rd)
	if err != nil || sha256Digest(data) != layer || rd.Size() != int64(len(data)) {
		t.Fatalf("read: %v", err)
	}
	rd.Close()
	blob := bytes.Repeat([]byte("binding"), 50000)
	w, err := dst.CreateBlob(ctx, "org/blobs", sha256Digest(blob), int64(len(blob)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, bytes.NewReader(blob)); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	up, err := dst.StartUpload(ctx, "org/chunks")
	if err != nil {
		t.Fatal(err)
	}
	for off := int64(0); off < int64(len(blob)); {
		n := int64(len(blob)) - off
		if n > 100000 {
			n = 100000
		}
		cw, err := dst.OpenChunk(ctx, "org/chunks", up.Location, up.Offset, n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cw.Write(blob[off : off+n]); err != nil {
			t.Fatal(err)
		}
		if up, err = cw.Commit(); err != nil {
			t.Fatal(err)
		}
		cw.Close()
		off += n
	}
	if st, err := dst.UploadStatus(ctx, "org/chunks", up.Location); err != nil || st.Offset != int64(len(blob)) {
		t.Fatalf("status: %+v %v", st, err)
	}
	if err := dst.FinishUpload(ctx, "org/chunks", up.Location, sha256Digest(blob)); err != nil {
		t.Fatal(err)
	}
	from, err := dst.MountSource(sha256Digest(blob), "org/mounted")
	if err != nil || (from != "org/blobs" && from != "org/chunks") {
		t.Fatalf("mount source: %q %v", from, err)
	}
	if mounted, err := dst.MountBlob(ctx, "org/mounted", sha256Digest(blob), from); err != nil || !mounted {
		t.Fatalf("mount: %v %v", mounted, err)
	}
	abandoned, err := dst.StartUpload(ctx, "org/chunks")
	if err != nil {
		t.Fatal(err)
	}
	if err := dst.AbortUpload(ctx, "org/chunks", abandoned.Location); err != nil {
		t.Fatal(err)
	}
	if err := src.DeleteManifest(ctx, "src/app", "v1"); err != nil {
		t.Fatal(err)
	}
	_, err = src.HeadManifest(ctx, "src/app", "v1")
	var e2 *Error
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &e2) || e2.HTTPStatus != 404 {
		t.Fatalf("deleted manifest: %v", err)
	}
}

func TestHundredGoroutinesShareOneClientAndOneRegistry(t *testing.T) {
	ctx := context.Background()
	e := swrtest.StartEmulator(t, swrtest.StartRegistry(t))
	c := swrClient(t, e)
	if err := c.EnsureOrganization(ctx, "org"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, err := c.ListOrganizations(ctx); err != nil {
				failures.Add(1)
			}
			if _, err := c.Registry().HeadManifest(ctx, "org/none", fmt.Sprintf("t%d", i)); !errors.Is(err, ErrNotFound) {
				failures.Add(1)
			}
		}(i)
	}
	wg.Wait()
	if failures.Load() != 0 {
		t.Fatalf("%d calls failed", failures.Load())
	}
}

func layerOfHostile(t *testing.T, r *Registry) string {
	m, err := r.GetManifest(context.Background(), "lib/app", "1", "")
	if err != nil {
		t.Fatal(err)
	}
	return firstLayer(t, m.Data)
}

func firstLayer(t *testing.T, manifest []byte) string {
	var doc struct {
		Layers []struct{ Digest string } `json:"layers"`
	}
	if err := json.Unmarshal(manifest, &doc); err != nil || len(doc.Layers) == 0 {
		t.Fatalf("manifest without layers: %v", err)
	}
	return doc.Layers[0].Digest
}

func hostileRegistry(t *testing.T, h swrtest.Hostile, opts ...func(*RegistryOptions)) *Registry {
	o := RegistryOptions{URL: h.Main, Username: swrtest.HostileUser, Password: swrtest.HostilePassword,
		Connection: ConnectionOptions{Timeout: 30 * time.Second}}
	for _, f := range opts {
		f(&o)
	}
	r, err := NewRegistry(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func TestAContextCancelledMidBlobEndsTheReadAndLeavesNothingBehind(t *testing.T) {
	h := swrtest.StartHostile(t, false)
	r := hostileRegistry(t, h)
	layer := layerOfHostile(t, r)
	before := runtime.NumGoroutine()
	h.SetCase(t, "trickle") // 100 KiB at 17 KB/s
	ctx, cancel := context.WithCancel(context.Background())
	rd, err := r.OpenBlob(ctx, "lib/app", layer, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	if _, err := rd.Read(buf); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(200*time.Millisecond, cancel)
	started := time.Now()
	for err == nil {
		_, err = rd.Read(buf)
	}
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrCancelled) {
		t.Fatalf("read after cancel: %v", err)
	}
	if waited := time.Since(started); waited > 3*time.Second {
		t.Fatalf("the read took %v after the cancel", waited)
	}
	rd.Close()
	h.SetCase(t, "normal")
	if _, err := r.HeadManifest(context.Background(), "lib/app", "1"); err != nil {
		t.Fatalf("the registry after a cancelled read: %v", err)
	}
	noLeakedGoroutines(t, before)
}

func TestCancelRacingCompletion(t *testing.T) {
	h := swrtest.StartHostile(t, false)
	r := hostileRegistry(t, h)
	before := runtime.NumGoroutine()
	for i := 0; i < 200; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Duration(i%5)*time.Millisecond, cancel)
		_, err := r.HeadManifest(ctx, "lib/app", "1")
		if err != nil && !errors.Is(err, ErrCancelled) {
			t.Fatalf("round %d: %v", i, err)
		}
		cancel()
	}
	time.Sleep(10 * time.Millisecond) // the last AfterFunc timers fire
	noLeakedGoroutines(t, before)
}

func TestADeadlineEndsAManagementCallWaitingToRetry(t *testing.T) {
	e := swrtest.StartEmulator(t, swrtest.StartRegistry(t))
	e.Control(t, "POST", "/_emulator/fault",
		`{"path_prefix":"/v2/manage/namespaces","status":503,"count":5,"retry_after":"30"}`)
	c := swrClient(t, e)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := c.ListOrganizations(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrCancelled) {
		t.Fatalf("got %v", err)
	}
	if time.Since(started) > 3*time.Second {
		t.Fatalf("returned after %v", time.Since(started))
	}
}

func TestCallbacksMayCallBackIntoTheLibrary(t *testing.T) {
	ctx := context.Background()
	plainURL := swrtest.StartRegistry(t)
	e := swrtest.StartEmulator(t, swrtest.StartRegistry(t))
	swrtest.PushImage(t, plainURL, "src/app", "v1", "-size", "100000")
	logs := &captured{}
	c := swrClient(t, e, func(o *ClientOptions) {
		o.Connection.Logger = slog.New(logs)
		o.Connection.LogLevel = slog.LevelDebug
	})
	var nested atomic.Int32
	logs.hook = func(string) {
		if nested.Add(1) == 1 { // once: the nested call logs too
			if _, err := c.ListOrganizations(ctx); err != nil {
				t.Errorf("nested call from the log callback: %v", err)
			}
		}
	}
	if _, err := c.ListOrganizations(ctx); err != nil {
		t.Fatal(err)
	}
	if nested.Load() == 0 {
		t.Fatal("no log line arrived")
	}
	if err := c.EnsureOrganization(ctx, "org"); err != nil {
		t.Fatal(err)
	}
	src := plainRegistry(t, plainURL)
	calls := 0
	_, err := src.Copy(ctx, "src/app", "v1", c.Registry(), "org/app", "v1", CopyOptions{Progress: func(CopyProgress) bool {
		calls++
		_, herr := c.Registry().HeadManifest(ctx, "org/app", "nope")
		return errors.Is(herr, ErrNotFound)
	}})
	if err != nil || calls == 0 {
		t.Fatalf("copy with a progress callback calling back: %v (%d calls)", err, calls)
	}
}

func TestAPanickingCallbackNeverCrossesIntoC(t *testing.T) {
	ctx := context.Background()
	plainURL := swrtest.StartRegistry(t)
	swrtest.PushImage(t, plainURL, "src/app", "v1", "-size", "100000")
	logs := &captured{hook: func(string) { panic("log handler panics") }}
	src, err := NewRegistry(RegistryOptions{URL: plainURL, Connection: ConnectionOptions{Logger: slog.New(logs), LogLevel: slog.LevelDebug}})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst := plainRegistry(t, swrtest.StartRegistry(t))
	_, err = src.Copy(ctx, "src/app", "v1", dst, "dst/app", "v1", CopyOptions{Progress: func(CopyProgress) bool {
		panic("progress callback panics")
	}})
	if !errors.Is(err, ErrAborted) {
		t.Fatalf("a panicking progress callback stops the copy: %v", err)
	}
	if len(logs.all()) == 0 {
		t.Fatal("the panicking log handler was not called")
	}
	if _, err := src.HeadManifest(ctx, "src/app", "v1"); err != nil {
		t.Fatalf("the registry after the panics: %v", err)
	}
}

func TestCloseWhileCallsAreInFlight(t *testing.T) {
	h := swrtest.StartHostile(t, false)
	r, err := NewRegistry(RegistryOptions{URL: h.Main, Username: swrtest.HostileUser, Password: swrtest.HostilePassword})
	if err != nil {
		t.Fatal(err)
	}
	layer := layerOfHostile(t, r)
	h.SetCase(t, "slow-headers") // every call waits 4 s for its answer
	rd, err := r.OpenBlob(context.Background(), "lib/app", layer, 0, -1)
	if err == nil {
		defer rd.Close()
	}
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.HeadManifest(context.Background(), "lib/app", "1")
			errs <- err
		}()
	}
	time.Sleep(300 * time.Millisecond)
	started := time.Now()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if time.Since(started) > 3*time.Second {
		t.Fatalf("Close took %v", time.Since(started))
	}
	close(errs)
	for err := range errs {
		if !errors.Is(err, ErrCancelled) && !errors.Is(err, ErrClosed) {
			t.Fatalf("a call in flight during Close: %v", err)
		}
	}
	if _, err := r.HeadManifest(context.Background(), "lib/app", "1"); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// The Go runtime's default for SIGPIPE on a thread it did not create is to
// die. The library writes with MSG_NOSIGNAL and blocks SIGPIPE on its
// threads, so peers that close or reset mid-body must not kill this process.
func TestPeersThatCloseMidBodyNeverRaiseSigpipe(t *testing.T) {
	for _, useTLS := range []bool{false, true} {
		t.Run(fmt.Sprintf("tls=%v", useTLS), func(t *testing.T) {
			h := swrtest.StartHostile(t, useTLS)
			r := hostileRegistry(t, h, func(o *RegistryOptions) { o.Connection.Insecure = true })
			layer := layerOfHostile(t, r)
			big := bytes.Repeat([]byte("x"), 8<<20)
			for round := 0; round < 5; round++ {
				h.SetCase(t, "reject-early")
				w, err := r.CreateBlob(context.Background(), "lib/up", sha256Digest(big), int64(len(big)))
				if err != nil {
					t.Fatal(err)
				}
				_, werr := w.Write(big)
				cerr := w.Commit()
				w.Close()
				if werr == nil && cerr == nil {
					t.Fatal("the refused upload succeeded")
				}
				h.SetCase(t, "drop")
				if rd, err := r.OpenBlob(context.Background(), "lib/app", layer, 0, -1); err == nil {
					_, _ = io.Copy(io.Discard, rd)
					rd.Close()
				}
			}
		})
	}
}

func TestNoSecretReachesGoInErrorsOrLogs(t *testing.T) {
	h := swrtest.StartHostile(t, false)
	logs := &captured{}
	r := hostileRegistry(t, h, func(o *RegistryOptions) {
		o.Connection.Logger = slog.New(logs)
		o.Connection.LogLevel = slog.LevelDebug
	})
	var seen []string
	for _, kase := range []string{"normal", "echo-token", "control-chars", "foreign-realm-redirect"} {
		h.SetCase(t, kase)
		if _, err := r.GetManifest(context.Background(), "lib/app", "1", ""); err != nil {
			seen = append(seen, err.Error())
		}
	}
	token := h.Token(t)
	key, _ := LoginKey(swrtest.AK, swrtest.SK)
	for _, text := range append(seen, logs.all()...) {
		for _, secret := range []string{swrtest.HostilePassword, token, swrtest.SK, key} {
			if secret != "" && strings.Contains(text, secret) {
				t.Fatalf("a secret reached Go: %q", text)
			}
		}
	}
	if len(seen) == 0 || len(logs.all()) == 0 {
		t.Fatal("nothing was checked")
	}
	// The management and registry sides with real credentials, logging everything.
	e := swrtest.StartEmulator(t, swrtest.StartRegistry(t))
	swrLogs := &captured{}
	good := swrClient(t, e, func(o *ClientOptions) {
		o.Connection.Logger = slog.New(swrLogs)
		o.Connection.LogLevel = slog.LevelDebug
	})
	if err := good.EnsureOrganization(context.Background(), "org"); err != nil {
		t.Fatal(err)
	}
	login, err := good.TemporaryLogin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, err = good.Registry().HeadManifest(context.Background(), "org/app", "1")
	if !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	if len(swrLogs.all()) == 0 {
		t.Fatal("no log lines from the SWR client")
	}
	for _, text := range append(swrLogs.all(), err.Error()) {
		for _, secret := range []string{swrtest.SK, key, login.Password} {
			if strings.Contains(text, secret) {
				t.Fatalf("a secret reached Go: %q", text)
			}
		}
	}
	// A wrong SK's gateway error carries neither secret.
	c := swrClient(t, e, func(o *ClientOptions) { o.AccessSecret = "wrongSecretKey0123456789abcdefghijklmn" })
	_, err = c.ListOrganizations(context.Background())
	if !errors.Is(err, ErrAuth) || strings.Contains(err.Error(), "wrongSecretKey0123456789") {
		t.Fatalf("wrong SK: %v", err)
	}
}

func TestAForgottenHandleIsClosedByItsFinalizerAndSaysSo(t *testing.T) {
	logs := &captured{}
	old := slog.Default()
	slog.SetDefault(slog.New(logs))
	defer slog.SetDefault(old)
	func() {
		if _, err := NewRegistry(RegistryOptions{URL: "http://127.0.0.1:9"}); err != nil {
			t.Fatal(err)
		}
	}()
	for i := 0; i < 50; i++ {
		runtime.GC()
		for _, l := range logs.all() {
			if strings.Contains(l, "without Close") {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the finalizer did not run or did not say so")
}

// ConnectionOptions.Proxy sends every request through the proxy: a registry
// named by an address where nothing listens is reached through a proxy that
// answers (a real registry, which serves absolute-URI requests as a forward
// proxy receives them).
func TestConnectionProxyCarriesEveryRequest(t *testing.T) {
	ctx := context.Background()
	backend := swrtest.StartRegistry(t)
	direct, err := NewRegistry(RegistryOptions{URL: "http://127.0.0.1:9", Connection: ConnectionOptions{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	err = direct.Ping(ctx)
	if !errors.Is(err, ErrNetwork) || !errors.Is(err, ErrRefused) {
		t.Fatalf("without the proxy: %v, want a refused connection", err)
	}
	var e *Error
	if !errors.As(err, &e) || !e.Retryable || e.Reason != ReasonRefused || e.Reason.String() != "refused" {
		t.Fatalf("without the proxy: %+v", e)
	}
	if errors.Is(err, ErrTLS) {
		t.Fatal("a refused connection is not a TLS error")
	}
	proxied, err := NewRegistry(RegistryOptions{URL: "http://127.0.0.1:9", Connection: ConnectionOptions{Proxy: backend}})
	if err != nil {
		t.Fatal(err)
	}
	defer proxied.Close()
	if err := proxied.Ping(ctx); err != nil {
		t.Fatalf("through the proxy: %v", err)
	}
}
