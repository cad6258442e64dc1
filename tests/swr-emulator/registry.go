package main

// The registry side: SWR's token-authenticated Docker Registry V2 API in
// front of a real registry (Debian's docker-registry, distribution 2.8).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

const (
	mediaTypeOCIIndex     = "application/vnd.oci.image.index.v1+json"
	mediaTypeDockerList   = "application/vnd.docker.distribution.manifest.list.v2+json"
	swrInvalidImageReason = "Invalid image, fail to parse 'manifest.json'"
)

// quirks are SWR behaviours a test can switch.
type quirks struct {
	RejectOCIIndex bool `json:"reject_oci_index"`
	// Registry requests per second and account before 503 ("the image push
	// traffic for a single tenant is limited to 20 QPS", SWR FAQ); 0 = off.
	RateLimit int `json:"rate_limit"`
	// No public source says whether SWR mounts blobs across repositories;
	// off: every mount request opens a plain upload session instead (202).
	NoMount bool `json:"no_mount"`
	// No public source says whether SWR's registry routes manifest DELETE;
	// on: it answers 404 with no registry error (as a gateway that does not
	// route the method would), whether the manifest exists or not.
	UnroutedDelete bool `json:"unrouted_delete"`
}

// registryFault is a scripted fault on the registry side.
type registryFault struct {
	Kind        string `json:"kind"` // "reset_upload", "truncate_download", "corrupt_download", "stall"
	PathPrefix  string `json:"path_prefix"`
	Method      string `json:"method"`
	AfterBytes  int64  `json:"after_bytes"`
	StallMillis int    `json:"stall_ms"`
	Count       int    `json:"count"`
}

type registryFront struct {
	emu     *emulator
	backend *url.URL
	proxy   *httputil.ReverseProxy

	mu          sync.Mutex
	quirks      quirks
	faults      []*registryFault
	windows     map[string]*window // per account
	hidden      map[string]bool    // "repo:tag" deleted through the management API
	faultsFired int
	// Downloads sent elsewhere by a "redirect_download" fault, and how many
	// of them still carried an Authorization header (they must not).
	redirectHits     int
	redirectWithAuth int
	limited          int // 503s answered by the rate limit
	// Bytes of blob uploads received (PATCH and PUT bodies), for benchmarks.
	uploadBytes int64
}

// countingBody adds what is read through it to the front's upload bytes.
type countingBody struct {
	io.ReadCloser
	f *registryFront
}

func (c countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	if n > 0 {
		c.f.mu.Lock()
		c.f.uploadBytes += int64(n)
		c.f.mu.Unlock()
	}
	return n, err
}

// The registry routes, as distribution has them: the repository name is what
// precedes the route's fixed tail, so a repository may itself be called
// "blobs" or "manifests" ("org/blobs/blobs/uploads/" is repository "org/blobs").
var repoRoutes = []*regexp.Regexp{
	regexp.MustCompile(`^/v2/(.+)/(tags)(/list)$`),
	regexp.MustCompile(`^/v2/(.+)/(manifests)(/[^/]+)$`),
	regexp.MustCompile(`^/v2/(.+)/(blobs)(/uploads/[^/]*)$`),
	regexp.MustCompile(`^/v2/(.+)/(blobs)(/[^/]+)$`),
}

// matchRepoPath returns [path, repository, kind, tail] or nil.
func matchRepoPath(path string) []string {
	for _, re := range repoRoutes {
		if m := re.FindStringSubmatch(path); m != nil {
			return m
		}
	}
	return nil
}

func newRegistryFront(emu *emulator, backend string) (*registryFront, error) {
	u, err := url.Parse(backend)
	if err != nil {
		return nil, err
	}
	f := &registryFront{emu: emu, backend: u, quirks: quirks{RejectOCIIndex: true}, windows: map[string]*window{},
		hidden: map[string]bool{}}
	f.proxy = httputil.NewSingleHostReverseProxy(u)
	f.proxy.FlushInterval = -1
	f.proxy.ModifyResponse = f.rewriteLocation
	f.proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		registryError(w, http.StatusBadGateway, "UNAVAILABLE", "backend registry: "+err.Error())
	}
	return f, nil
}

func registryError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{"code": code, "message": msg, "detail": nil}}})
}

// rewriteLocation keeps clients on the emulator's address.
func (f *registryFront) rewriteLocation(resp *http.Response) error {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil
	}
	u, err := url.Parse(loc)
	if err != nil || u.Host != f.backend.Host {
		return nil
	}
	u.Scheme, u.Host = "", ""
	resp.Header.Set("Location", u.String())
	return nil
}

func (f *registryFront) challenge(w http.ResponseWriter, r *http.Request, scope string) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	h := fmt.Sprintf(`Bearer realm="%s://%s/swr/auth/v2/registry/auth/",service="dockyard"`, scheme, r.Host)
	if scope != "" {
		h += fmt.Sprintf(`,scope="%s"`, scope)
	}
	w.Header().Set("WWW-Authenticate", h)
	registryError(w, http.StatusUnauthorized, "UNAUTHORIZED", "authentication required")
}

// rateLimited counts a request of `account` ("" for anonymous ones).
func (f *registryFront) rateLimited(account string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.quirks.RateLimit <= 0 {
		return false
	}
	now := time.Now()
	win := f.windows[account]
	if win == nil || now.Sub(win.start) >= time.Second {
		win = &window{start: now}
		f.windows[account] = win
	}
	win.count++
	if win.count > f.quirks.RateLimit {
		f.limited++
		return true
	}
	return false
}

// deleteManifest removes a manifest from the backend registry (management
// deletes); failures only mean it is gone already.
func (f *registryFront) deleteManifest(repo, digest string) {
	req, err := http.NewRequest(http.MethodDelete, f.backend.String()+"/v2/"+repo+"/manifests/"+digest, nil)
	if err != nil {
		return
	}
	if resp, err := http.DefaultClient.Do(req); err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// hideTag makes a tag deleted through the management API answer 404 on the
// registry side even while another tag keeps its manifest alive.
func (f *registryFront) hideTag(repo, tag string) {
	f.mu.Lock()
	f.hidden[repo+":"+tag] = true
	f.mu.Unlock()
}

func (f *registryFront) isHidden(repo, tag string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hidden[repo+":"+tag]
}

func (f *registryFront) takeFault(r *http.Request) *registryFault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, ft := range f.faults {
		if strings.HasPrefix(r.URL.Path, ft.PathPrefix) && (ft.Method == "" || ft.Method == r.Method) {
			ft.Count--
			if ft.Count <= 0 {
				f.faults = append(f.faults[:i], f.faults[i+1:]...)
			}
			f.faultsFired++
			c := *ft
			return &c
		}
	}
	return nil
}

func (f *registryFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token := ""
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		token = strings.TrimPrefix(h, "Bearer ")
	}
	g := f.emu.tokens.get(token, f.emu.now())
	account := ""
	if g != nil && g.User != nil {
		account = g.User.account()
	}
	if f.rateLimited(account) {
		registryError(w, http.StatusServiceUnavailable, "TOOMANYREQUESTS", "the image push traffic is limited")
		return
	}
	if r.URL.Path == "/v2/_catalog" {
		registryError(w, http.StatusNotFound, "NOT_FOUND", "not supported")
		return
	}
	if r.URL.Path == "/v2/" || r.URL.Path == "/v2" {
		if g == nil {
			f.challenge(w, r, "")
			return
		}
		f.forward(w, r, nil)
		return
	}
	m := matchRepoPath(r.URL.Path)
	if m == nil {
		registryError(w, http.StatusNotFound, "NOT_FOUND", "unknown path")
		return
	}
	if (r.Method == http.MethodPatch || r.Method == http.MethodPut) && strings.Contains(r.URL.Path, "/blobs/uploads/") &&
		r.Body != nil {
		r.Body = countingBody{ReadCloser: r.Body, f: f}
	}
	repo := m[1]
	action := "pull"
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		action = "push"
	}
	if g == nil || !g.allows(repo, action) {
		f.challenge(w, r, "repository:"+repo+":"+action)
		return
	}
	// A mount reads another repository: the token must allow pulling it.
	f.mu.Lock()
	noMount := f.quirks.NoMount
	f.mu.Unlock()
	if from := r.URL.Query().Get("from"); from != "" && r.URL.Query().Get("mount") != "" && (noMount || !g.allows(from, "pull")) {
		// Like distribution, fall back to a plain upload when the source is not readable.
		q := r.URL.Query()
		q.Del("mount")
		q.Del("from")
		r.URL.RawQuery = q.Encode()
	}
	ns, _, _ := strings.Cut(repo, "/")
	if action == "push" && f.emu.state.getOrg(ns, account) == nil {
		registryError(w, http.StatusUnauthorized, "DENIED", "Image organization does not exist")
		return
	}
	ref := strings.TrimPrefix(m[3], "/")
	switch {
	case m[2] == "manifests" && r.Method == http.MethodPut:
		f.putManifest(w, r, ns, repo, ref)
		return
	case m[2] == "manifests" && (r.Method == http.MethodGet || r.Method == http.MethodHead) && f.isHidden(repo, ref):
		registryError(w, http.StatusNotFound, "MANIFEST_UNKNOWN", "manifest unknown")
		return
	case m[2] == "manifests" && r.Method == http.MethodDelete && f.unroutedDelete():
		http.NotFound(w, r)
		return
	case m[2] == "manifests" && r.Method == http.MethodDelete:
		rec := &statusRecorder{ResponseWriter: w}
		f.forward(rec, r, nil)
		if rec.status == http.StatusAccepted {
			f.emu.state.forgetDigest(ns, strings.TrimPrefix(repo, ns+"/"), ref)
		}
		return
	case m[2] == "tags" && r.Method == http.MethodGet:
		f.listTags(w, r, ns, repo)
		return
	}
	f.forward(w, r, f.takeFault(r))
}

func (f *registryFront) unroutedDelete() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.quirks.UnroutedDelete
}

// listTags: tags the management API deleted stay hidden, and a repository
// without tags in an existing organization answers 200 with "tags": null, as
// SWR does (observed by third-party clients).
func (f *registryFront) listTags(w http.ResponseWriter, r *http.Request, ns, repo string) {
	rec := httptest.NewRecorder()
	f.proxy.ServeHTTP(rec, r)
	var doc struct {
		Name string   `json:"name"`
		Tags []string `json:"tags"`
	}
	if rec.Code == http.StatusNotFound && f.emu.state.getOrg(ns, "") != nil {
		writeJSON(w, http.StatusOK, map[string]any{"name": repo, "tags": nil})
		return
	}
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &doc) != nil {
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		return
	}
	var tags []string
	for _, t := range doc.Tags {
		if !f.isHidden(repo, t) {
			tags = append(tags, t)
		}
	}
	if link := rec.Header().Get("Link"); link != "" {
		w.Header().Set("Link", link)
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": repo, "tags": tags})
}

func (f *registryFront) putManifest(w http.ResponseWriter, r *http.Request, ns, repo, ref string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		registryError(w, http.StatusBadRequest, "MANIFEST_INVALID", "cannot read manifest")
		return
	}
	ct := r.Header.Get("Content-Type")
	var probe struct {
		MediaType string `json:"mediaType"`
	}
	_ = json.Unmarshal(body, &probe)
	f.mu.Lock()
	reject := f.quirks.RejectOCIIndex
	f.mu.Unlock()
	if reject && (ct == mediaTypeOCIIndex || (probe.MediaType == mediaTypeOCIIndex)) {
		registryError(w, http.StatusBadRequest, "UNKNOWN", swrInvalidImageReason)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	rec := &statusRecorder{ResponseWriter: w}
	f.forward(rec, r, nil)
	if rec.status == http.StatusCreated {
		digest := rec.Header().Get("Docker-Content-Digest")
		tag := ""
		if !strings.HasPrefix(ref, "sha256:") && !strings.HasPrefix(ref, "sha512:") {
			tag = ref
			f.mu.Lock()
			delete(f.hidden, repo+":"+tag)
			f.mu.Unlock()
		}
		tagType := 0
		if ct == mediaTypeOCIIndex || ct == mediaTypeDockerList {
			tagType = 1
		}
		f.emu.state.recordTag(ns, strings.TrimPrefix(repo, ns+"/"), tag, digest, imageSize(body), tagType, string(body))
	}
}

// imageSize is SWR's tag "size": the config plus the layers of an image; for
// a list, the sizes of the manifests it names (no public source says what
// SWR reports for lists).
func imageSize(manifest []byte) int64 {
	var m struct {
		Config    struct{ Size int64 }   `json:"config"`
		Layers    []struct{ Size int64 } `json:"layers"`
		Manifests []struct{ Size int64 } `json:"manifests"`
	}
	if json.Unmarshal(manifest, &m) != nil {
		return int64(len(manifest))
	}
	total := m.Config.Size
	for _, l := range m.Layers {
		total += l.Size
	}
	for _, c := range m.Manifests {
		total += c.Size
	}
	return total
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Flush() {
	if fl, ok := s.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

// forward proxies to the backend, applying a scripted fault when given.
func (f *registryFront) forward(w http.ResponseWriter, r *http.Request, ft *registryFault) {
	if ft == nil {
		f.proxy.ServeHTTP(w, r)
		return
	}
	switch ft.Kind {
	case "redirect_download":
		// Like a registry that serves blobs from object storage: another
		// origin (localhost instead of 127.0.0.1), which must get no credentials.
		_, port, _ := net.SplitHostPort(r.Host)
		w.Header().Set("Location", "http://localhost:"+port+"/_emulator/redirected"+r.URL.Path)
		w.WriteHeader(http.StatusTemporaryRedirect)
	case "stall":
		time.Sleep(time.Duration(ft.StallMillis) * time.Millisecond)
		f.proxy.ServeHTTP(w, r)
	case "reset_upload":
		// Swallow the first bytes of the upload, then drop the connection:
		// the backend never sees this request.
		_, _ = io.CopyN(io.Discard, r.Body, ft.AfterBytes)
		hijackClose(w)
	case "truncate_download", "corrupt_download":
		f.proxy.ServeHTTP(&faultyWriter{ResponseWriter: w, fault: ft}, r)
		if ft.Kind == "truncate_download" {
			hijackClose(w)
		}
	default:
		f.proxy.ServeHTTP(w, r)
	}
}

func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // a reset, not a clean close
			}
			_ = conn.Close()
		}
	}
}

// faultyWriter cuts or corrupts a response body after AfterBytes bytes.
type faultyWriter struct {
	http.ResponseWriter
	fault   *registryFault
	written int64
	done    bool
}

func (fw *faultyWriter) Write(p []byte) (int, error) {
	if fw.done {
		return len(p), nil
	}
	n := len(p)
	if fw.fault.Kind == "truncate_download" {
		left := fw.fault.AfterBytes - fw.written
		if int64(len(p)) >= left {
			p = p[:left]
			fw.done = true
		}
		_, err := fw.ResponseWriter.Write(p)
		fw.written += int64(len(p))
		if fl, ok := fw.ResponseWriter.(http.Flusher); ok {
			fl.Flush()
		}
		return n, err
	}
	if off := fw.fault.AfterBytes - fw.written; off >= 0 && off < int64(len(p)) {
		q := append([]byte(nil), p...)
		q[off] ^= 0xff
		p = q
	}
	fw.written += int64(n)
	return fw.ResponseWriter.Write(p)
}

func (fw *faultyWriter) Flush() {
	if fl, ok := fw.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

// Hijack lets a truncating fault drop the connection.
func (fw *faultyWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return fw.ResponseWriter.(http.Hijacker).Hijack()
}

func (f *registryFront) serveControl(w http.ResponseWriter, r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/_emulator/redirected/") {
		f.mu.Lock()
		f.redirectHits++
		if r.Header.Get("Authorization") != "" {
			f.redirectWithAuth++
		}
		f.mu.Unlock()
		r.Header.Del("Authorization")
		r.URL.Path = strings.TrimPrefix(r.URL.Path, "/_emulator/redirected")
		f.proxy.ServeHTTP(w, r)
		return true
	}
	switch r.URL.Path {
	case "/_emulator/quirks":
		f.mu.Lock()
		defer f.mu.Unlock()
		if r.Method == http.MethodPost {
			q := f.quirks
			if err := json.NewDecoder(r.Body).Decode(&q); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return true
			}
			f.quirks = q
		}
		writeJSON(w, http.StatusOK, f.quirks)
		return true
	case "/_emulator/registry-fault":
		if r.Method == http.MethodGet {
			f.mu.Lock()
			defer f.mu.Unlock()
			writeJSON(w, http.StatusOK, map[string]int{"fired": f.faultsFired, "pending": len(f.faults),
				"redirect_hits": f.redirectHits, "redirect_with_auth": f.redirectWithAuth, "rate_limited": f.limited, "upload_bytes": int(f.uploadBytes)})
			return true
		}
		var ft registryFault
		if err := json.NewDecoder(r.Body).Decode(&ft); err != nil || ft.Count <= 0 || ft.Kind == "" {
			http.Error(w, "need kind, path_prefix and count", http.StatusBadRequest)
			return true
		}
		f.mu.Lock()
		f.faults = append(f.faults, &ft)
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}
