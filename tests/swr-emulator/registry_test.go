package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A stand-in backend: the registry side is tested against the real
// docker-registry by the C++ integration tests; here only the front's own
// rules are checked.
func newFront(t *testing.T) (*emulator, *httptest.Server, *int) {
	t.Helper()
	hits := 0
	var backend *httptest.Server
	// Answers with its own address in Location, like a registry with a fixed http.host.
	backend = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.Header().Set("Location", backend.URL+"/v2/x/blobs/uploads/abc")
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(backend.Close)
	emu := newEmulator(&userStore{users: []*user{{Project: "eu-de", AK: testAK, SK: testSK}}})
	front, err := newRegistryFront(emu, backend.URL)
	if err != nil {
		t.Fatal(err)
	}
	emu.registry = front
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, srv, &hits
}

func token(t *testing.T, emu *emulator, repo, actions string) string {
	tok := randomHex(8)
	g := &grant{User: emu.users.users[0], Scopes: map[string]map[string]bool{}, Expires: time.Now().Add(time.Minute)}
	acts := map[string]bool{}
	for _, a := range strings.Split(actions, ",") {
		acts[a] = true
	}
	g.Scopes[repo] = acts
	emu.tokens.put(tok, g)
	return tok
}

func do(t *testing.T, method, url, tok, contentType, body string) *http.Response {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestRegistryChallengesWithoutToken(t *testing.T) {
	_, srv, hits := newFront(t)
	resp := do(t, "GET", srv.URL+"/v2/", "", "", "")
	if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `Bearer realm="`+srv.URL+`/swr/auth/v2/registry/auth/",service="dockyard"`) {
		t.Fatalf("got %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	resp = do(t, "GET", srv.URL+"/v2/org/app/manifests/v1", "", "", "")
	if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `scope="repository:org/app:pull"`) {
		t.Fatalf("got %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	if *hits != 0 {
		t.Fatal("an unauthenticated request reached the backend")
	}
}

func TestRegistryNeedsTheRightScopeAndAnExistingOrg(t *testing.T) {
	emu, srv, hits := newFront(t)
	pull := token(t, emu, "org/app", "pull")
	if resp := do(t, "POST", srv.URL+"/v2/org/app/blobs/uploads/", pull, "", ""); resp.StatusCode != 401 {
		t.Fatalf("push with a pull token: %d", resp.StatusCode)
	}
	push := token(t, emu, "org/app", "pull,push")
	resp := do(t, "POST", srv.URL+"/v2/org/app/blobs/uploads/", push, "", "")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 401 || !strings.Contains(string(body), "Image organization does not exist") {
		t.Fatalf("push into a missing org: %d %s", resp.StatusCode, body)
	}
	emu.state.createOrg("org", "t", testAK)
	resp = do(t, "POST", srv.URL+"/v2/org/app/blobs/uploads/", push, "", "")
	if resp.StatusCode != 202 || *hits != 1 {
		t.Fatalf("push: %d, backend hits %d", resp.StatusCode, *hits)
	}
	if loc := resp.Header.Get("Location"); loc != "/v2/x/blobs/uploads/abc" {
		t.Fatalf("Location not rewritten: %q", loc)
	}
}

func TestRegistryQuirks(t *testing.T) {
	emu, srv, _ := newFront(t)
	emu.state.createOrg("org", "t", testAK)
	tok := token(t, emu, "org/app", "pull,push")
	resp := do(t, "PUT", srv.URL+"/v2/org/app/manifests/v1", tok, mediaTypeOCIIndex, `{"schemaVersion":2,"manifests":[]}`)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(body), swrInvalidImageReason) {
		t.Fatalf("OCI index: %d %s", resp.StatusCode, body)
	}
	if resp := do(t, "GET", srv.URL+"/v2/_catalog", tok, "", ""); resp.StatusCode != 404 {
		t.Fatalf("_catalog: %d", resp.StatusCode)
	}
	emu.registry.quirks.RateLimit = 2
	codes := []int{}
	for i := 0; i < 4; i++ {
		codes = append(codes, do(t, "GET", srv.URL+"/v2/", tok, "", "").StatusCode)
	}
	if codes[3] != 503 {
		t.Fatalf("rate limit not applied: %v", codes)
	}
}
