// hostile-registry: a registry that misbehaves on purpose, one scripted case
// at a time, for the tests that hold the library to "no credential leaves
// its origin, no input crashes or exhausts the process". It serves a small
// in-memory Docker Registry V2 (token auth, one seeded image, uploads) on a
// "main" origin, and a second "foreign" origin on another port that plays
// redirect targets, upload locations and authentication realms the library
// must not trust. Every request either origin receives is recorded with its
// headers, so a test can prove that no secret reached the wrong place.
// Standard library only; binds 127.0.0.1.
package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

type entry struct {
	Origin  string              `json:"origin"` // "main" or "foreign"
	Method  string              `json:"method"`
	URL     string              `json:"url"`
	Headers map[string][]string `json:"headers"`
}

type manifest struct {
	ContentType string
	Body        []byte
}

type server struct {
	user, pass string
	token      string
	mainURL    string
	foreignURL string

	mu        sync.Mutex
	kase      string
	log       []entry
	blobs     map[string][]byte   // digest -> content
	manifests map[string]manifest // "repo@ref" -> manifest (by tag and by digest)
	uploads   map[string][]byte   // upload id -> bytes so far
	nextID    int
}

func digestOf(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

// seed stores lib/app:1, a Docker schema 2 image with one 100 KiB layer.
func (s *server) seed() {
	layer := make([]byte, 100<<10)
	for i := range layer {
		layer[i] = byte(i*7 + i/251)
	}
	config := []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}`)
	s.blobs[digestOf(layer)] = layer
	s.blobs[digestOf(config)] = config
	m := fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",`+
		`"config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%d,"digest":"%s"},`+
		`"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":%d,"digest":"%s"}]}`,
		len(config), digestOf(config), len(layer), digestOf(layer))
	mf := manifest{"application/vnd.docker.distribution.manifest.v2+json", []byte(m)}
	s.manifests["lib/app@1"] = mf
	s.manifests["lib/app@"+digestOf(mf.Body)] = mf
}

func (s *server) record(origin string, r *http.Request) {
	h := map[string][]string{}
	for k, v := range r.Header {
		h[k] = append([]string(nil), v...)
	}
	s.mu.Lock()
	s.log = append(s.log, entry{origin, r.Method, r.URL.String(), h})
	s.mu.Unlock()
}

func (s *server) currentCase() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.kase
}

func registryError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]string{{"code": code, "message": msg}}})
}

func (s *server) challenge(w http.ResponseWriter, realm string) {
	w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="%s",service="hostile"`, realm))
	registryError(w, http.StatusUnauthorized, "UNAUTHORIZED", "authentication required")
}

// endless writes `unit` until the client goes away or `max` bytes are out:
// bounded, so a client that never stops reading cannot keep the test alive.
func endless(w io.Writer, unit []byte, max int64) {
	var sent int64
	for sent < max {
		n, err := w.Write(unit)
		if err != nil {
			return
		}
		sent += int64(n)
	}
}

func deepJSON() []byte { return []byte(strings.Repeat("[", 2<<20)) }

// trickle writes body at about `perSecond` bytes a second, for at most `max`.
func trickle(w http.ResponseWriter, body []byte, perSecond int, max time.Duration) {
	fl, _ := w.(http.Flusher)
	step := perSecond / 10
	if step < 1 {
		step = 1
	}
	start := time.Now()
	for off := 0; off < len(body) && time.Since(start) < max; off += step {
		end := off + step
		if end > len(body) {
			end = len(body)
		}
		if _, err := w.Write(body[off:end]); err != nil {
			return
		}
		if fl != nil {
			fl.Flush()
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
		}
	}
}

func (s *server) serveToken(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != s.user || pass != s.pass {
		registryError(w, http.StatusUnauthorized, "UNAUTHORIZED", "bad credentials")
		return
	}
	switch s.currentCase() {
	case "deep-json-token":
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(deepJSON())
		return
	case "huge-token":
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"token":"`)
		endless(w, []byte(strings.Repeat("t", 64<<10)), 1<<30)
		return
	case "header-injection-token":
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"token":"abc\r\nX-Injected: yes"}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"token": s.token, "expires_in": 300})
}

func (s *server) authorized(r *http.Request) bool {
	return r.Header.Get("Authorization") == "Bearer "+s.token
}

func (s *server) serveMain(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if strings.HasPrefix(path, "/_hostile/") {
		s.serveControl(w, r)
		return
	}
	s.record("main", r)
	kase := s.currentCase()
	switch kase {
	case "drop":
		hijackClose(w)
		return
	case "endless-header":
		if path != "/token" {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, buf, err := hj.Hijack(); err == nil {
					defer conn.Close()
					_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nX-Endless: ")
					endless(buf, []byte(strings.Repeat("h", 64<<10)), 1<<30)
					_ = buf.Flush()
				}
			}
			return
		}
	case "many-headers":
		if path != "/token" {
			for i := 0; i < 5000; i++ {
				w.Header().Add(fmt.Sprintf("X-Filler-%d", i), strings.Repeat("f", 64))
			}
		}
	case "slow-headers":
		if path != "/token" && path != "/v2/" {
			time.Sleep(4 * time.Second)
		}
	case "retry-after-huge":
		if strings.Contains(path, "/manifests/") {
			w.Header().Set("Retry-After", "999999")
			registryError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "come back much later")
			return
		}
	case "retry-after-garbage":
		if strings.Contains(path, "/manifests/") {
			w.Header().Set("Retry-After", "soon, maybe; -1")
			registryError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "come back")
			return
		}
	}
	if path == "/token" {
		s.serveToken(w, r)
		return
	}
	if !strings.HasPrefix(path, "/v2/") {
		http.NotFound(w, r)
		return
	}
	if !s.authorized(r) {
		s.challenge(w, s.mainURL+"/token")
		return
	}
	if kase == "realm-change" && path != "/v2/" {
		// A second challenge from the registry itself that would move the realm.
		s.mu.Lock()
		s.kase = "normal"
		s.mu.Unlock()
		s.challenge(w, s.foreignURL+"/token")
		return
	}
	if path == "/v2/" {
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "{}")
		return
	}
	rest := strings.TrimPrefix(path, "/v2/")
	switch {
	case strings.Contains(rest, "/manifests/"):
		i := strings.Index(rest, "/manifests/")
		s.serveManifest(w, r, rest[:i], rest[i+len("/manifests/"):], kase)
	case strings.Contains(rest, "/blobs/uploads/"):
		i := strings.Index(rest, "/blobs/uploads/")
		s.serveUpload(w, r, rest[:i], rest[i+len("/blobs/uploads/"):], kase)
	case strings.Contains(rest, "/blobs/"):
		i := strings.Index(rest, "/blobs/")
		s.serveBlob(w, r, rest[:i], rest[i+len("/blobs/"):], kase)
	case strings.HasSuffix(rest, "/tags/list"):
		s.serveTags(w, r, strings.TrimSuffix(rest, "/tags/list"), kase)
	default:
		registryError(w, http.StatusNotFound, "NOT_FOUND", "unknown path")
	}
}

func (s *server) serveManifest(w http.ResponseWriter, r *http.Request, repo, ref, kase string) {
	switch kase {
	case "deep-json-manifest":
		w.Header().Set("Content-Type", "application/vnd.docker.distribution.manifest.v2+json")
		_, _ = w.Write(deepJSON())
		return
	case "huge-manifest":
		w.Header().Set("Content-Type", "application/vnd.docker.distribution.manifest.v2+json")
		endless(w, []byte(strings.Repeat(" ", 64<<10)), 1<<30)
		return
	case "deep-json-error":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(deepJSON())
		return
	case "huge-error":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		endless(w, []byte(strings.Repeat("e", 64<<10)), 1<<30)
		return
	case "echo-token":
		registryError(w, http.StatusBadRequest, "DENIED", "we did not like your "+r.Header.Get("Authorization"))
		return
	case "control-chars":
		registryError(w, http.StatusBadRequest, "DENIED", "refused\r\nX-Fake: 1\x1b[31m red \x1b[0m\x07")
		return
	case "bad-digest-header":
		w.Header().Set("Docker-Content-Digest", "sha256:../../etc/passwd")
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		s.mu.Lock()
		m, ok := s.manifests[repo+"@"+ref]
		s.mu.Unlock()
		if !ok {
			registryError(w, http.StatusNotFound, "MANIFEST_UNKNOWN", "manifest unknown")
			return
		}
		w.Header().Set("Content-Type", m.ContentType)
		if kase != "bad-digest-header" {
			w.Header().Set("Docker-Content-Digest", digestOf(m.Body))
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(m.Body)))
		if r.Method == http.MethodGet {
			_, _ = w.Write(m.Body)
		}
	case http.MethodPut:
		body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		m := manifest{r.Header.Get("Content-Type"), body}
		s.mu.Lock()
		s.manifests[repo+"@"+ref] = m
		s.manifests[repo+"@"+digestOf(body)] = m
		s.mu.Unlock()
		w.Header().Set("Docker-Content-Digest", digestOf(body))
		w.WriteHeader(http.StatusCreated)
	default:
		registryError(w, http.StatusMethodNotAllowed, "UNSUPPORTED", "method")
	}
}

func (s *server) serveBlob(w http.ResponseWriter, r *http.Request, repo, digest, kase string) {
	s.mu.Lock()
	blob, ok := s.blobs[digest]
	s.mu.Unlock()
	if !ok {
		registryError(w, http.StatusNotFound, "BLOB_UNKNOWN", "blob unknown")
		return
	}
	if r.Method == http.MethodGet {
		switch kase {
		case "foreign-realm-redirect", "redirect-http":
			w.Header().Set("Location", s.foreignURL+"/objects/"+digest+"?X-Amz-Signature=presigned-secret")
			w.WriteHeader(http.StatusTemporaryRedirect)
			return
		case "redirect-loop":
			w.Header().Set("Location", r.URL.String())
			w.WriteHeader(http.StatusFound)
			return
		case "lying-digest":
			corrupt := append([]byte(nil), blob...)
			corrupt[len(corrupt)/2] ^= 0xff
			blob = corrupt
		case "lying-size":
			blob = append(append([]byte(nil), blob...), []byte("and more")...)
		case "trickle":
			w.Header().Set("Content-Length", fmt.Sprint(len(blob)))
			trickle(w, blob, 17000, 20*time.Second)
			return
		case "endless-chunked-blob":
			endless(w, []byte(strings.Repeat("z", 64<<10)), 1<<30)
			return
		}
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(blob)))
	w.Header().Set("Docker-Content-Digest", digest)
	if r.Method == http.MethodGet {
		_, _ = w.Write(blob)
	}
}

func (s *server) serveUpload(w http.ResponseWriter, r *http.Request, repo, id, kase string) {
	if r.Method == http.MethodPost && id == "" {
		s.mu.Lock()
		s.nextID++
		id = fmt.Sprint(s.nextID)
		s.uploads[id] = nil
		s.mu.Unlock()
		if kase == "foreign-realm-upload" {
			w.Header().Set("Location", s.foreignURL+"/uploads/"+id)
		} else {
			w.Header().Set("Location", "/v2/"+repo+"/blobs/uploads/"+id)
		}
		w.Header().Set("Range", "0-0")
		w.WriteHeader(http.StatusAccepted)
		return
	}
	s.mu.Lock()
	data, ok := s.uploads[id]
	s.mu.Unlock()
	if !ok {
		registryError(w, http.StatusNotFound, "BLOB_UPLOAD_UNKNOWN", "upload unknown")
		return
	}
	switch r.Method {
	case http.MethodPatch, http.MethodPut:
		if kase == "reject-early" {
			// Refuse after the first bytes and close while the client is still
			// sending, the way HTTP servers do it: answer, half-close, discard
			// what still arrives for a moment, close. The client's error must
			// be this answer, not a network error.
			_, _ = io.CopyN(io.Discard, r.Body, 16<<10)
			if hj, ok := w.(http.Hijacker); ok {
				if conn, buf, err := hj.Hijack(); err == nil {
					body := `{"errors":[{"code":"SIZE_INVALID","message":"blob too large for this registry"}]}`
					fmt.Fprintf(buf, "HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: application/json\r\n"+
						"Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
					_ = buf.Flush()
					if tc, ok := conn.(*net.TCPConn); ok {
						_ = tc.CloseWrite()
					}
					_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
					_, _ = io.Copy(io.Discard, conn)
					_ = conn.Close()
				}
			}
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 256<<20))
		if err != nil {
			registryError(w, http.StatusBadRequest, "BLOB_UPLOAD_INVALID", "read failed")
			return
		}
		data = append(data, body...)
		s.mu.Lock()
		s.uploads[id] = data
		s.mu.Unlock()
		if r.Method == http.MethodPatch {
			w.Header().Set("Location", "/v2/"+repo+"/blobs/uploads/"+id)
			w.Header().Set("Range", fmt.Sprintf("0-%d", len(data)-1))
			w.WriteHeader(http.StatusAccepted)
			return
		}
		digest := r.URL.Query().Get("digest")
		if digestOf(data) != digest {
			registryError(w, http.StatusBadRequest, "DIGEST_INVALID", "digest mismatch")
			return
		}
		s.mu.Lock()
		s.blobs[digest] = data
		delete(s.uploads, id)
		s.mu.Unlock()
		w.Header().Set("Docker-Content-Digest", digest)
		w.WriteHeader(http.StatusCreated)
	case http.MethodDelete:
		s.mu.Lock()
		delete(s.uploads, id)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Range", fmt.Sprintf("0-%d", len(data)-1))
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *server) serveTags(w http.ResponseWriter, r *http.Request, repo, kase string) {
	tags := []string{"1"}
	switch kase {
	case "link-loop":
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, r.URL.String()))
	case "link-no-progress":
		n := len(r.URL.Query().Get("last"))
		w.Header().Set("Link", fmt.Sprintf(`</v2/%s/tags/list?n=1000&last=%s>; rel="next"`, repo, strings.Repeat("1", n+1)))
	case "link-foreign":
		w.Header().Set("Link", fmt.Sprintf(`<%s/v2/%s/tags/list?last=1>; rel="next"`, s.foreignURL, repo))
	case "bad-tags":
		tags = []string{"1", "../../v2/_catalog?x=", "ok-tag", "a b", strings.Repeat("x", 200)}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"name": repo, "tags": tags})
}

// serveForeign is the other origin: it asks for credentials with a realm of
// its own, which the library must never answer with the registry's.
func (s *server) serveForeign(w http.ResponseWriter, r *http.Request) {
	s.record("foreign", r)
	if r.URL.Path == "/token" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"token":"foreign-token"}`)
		return
	}
	if s.currentCase() == "redirect-http" && strings.HasPrefix(r.URL.Path, "/objects/") {
		digest := strings.TrimPrefix(r.URL.Path, "/objects/")
		s.mu.Lock()
		blob := s.blobs[digest]
		s.mu.Unlock()
		_, _ = w.Write(blob)
		return
	}
	s.challenge(w, s.foreignURL+"/token")
}

func (s *server) serveControl(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_hostile/case":
		s.mu.Lock()
		s.kase = r.URL.Query().Get("name")
		s.log = nil
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case "/_hostile/log":
		s.mu.Lock()
		defer s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"token": s.token, "requests": s.log})
	default:
		http.NotFound(w, r)
	}
}

func selfSigned(caOut string) (*tls.Config, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "hostile-registry"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(caOut, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, nil
}

func main() {
	user := flag.String("user", "eu-de@HOSTILEAK", "user name the token endpoint accepts")
	pass := flag.String("password", "", "password the token endpoint accepts")
	addrFile := flag.String("addr-file", "", `write {"main":URL,"foreign":URL} here once listening`)
	tlsCA := flag.String("tls-ca-out", "", "serve the main origin over HTTPS with a fresh certificate written here")
	flag.Parse()
	if *pass == "" {
		log.Fatal("give -password")
	}
	s := &server{user: *user, pass: *pass, blobs: map[string][]byte{}, manifests: map[string]manifest{},
		uploads: map[string][]byte{}, kase: "normal"}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	s.token = "hostile-token-" + hex.EncodeToString(b)
	s.seed()

	mainLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	foreignLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	scheme := "http"
	if *tlsCA != "" {
		cfg, err := selfSigned(*tlsCA)
		if err != nil {
			log.Fatal(err)
		}
		mainLn = tls.NewListener(mainLn, cfg)
		scheme = "https"
	}
	s.mainURL = scheme + "://" + mainLn.Addr().String()
	s.foreignURL = "http://" + foreignLn.Addr().String()
	quiet := log.New(io.Discard, "", 0)
	mainSrv := &http.Server{Handler: http.HandlerFunc(s.serveMain), ErrorLog: quiet, ReadHeaderTimeout: 30 * time.Second}
	foreignSrv := &http.Server{Handler: http.HandlerFunc(s.serveForeign), ErrorLog: quiet, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = foreignSrv.Serve(foreignLn) }()
	if *addrFile != "" {
		doc, _ := json.Marshal(map[string]string{"main": s.mainURL, "foreign": s.foreignURL})
		if err := os.WriteFile(*addrFile+".tmp", doc, 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
			log.Fatal(err)
		}
	}
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
		<-ch
		_ = mainSrv.Close()
		_ = foreignSrv.Close()
	}()
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(w, "hostile-registry main %s foreign %s\n", s.mainURL, s.foreignURL)
	_ = w.Flush()
	if err := mainSrv.Serve(mainLn); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
