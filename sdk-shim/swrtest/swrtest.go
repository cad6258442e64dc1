// Package swrtest runs the project's test peers for Go tests, all real
// processes on 127.0.0.1: Debian's docker-registry, the SWR emulator and the
// hostile test registry (built by `make`, found in SWR_BUILD_DIR, default
// ../build relative to the test's package), and the image fixture generator.
// Every process stops when its test ends. Standard library only.
package swrtest

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The emulator's one user.
const (
	AK      = "GOBINDINGAK0123456789"
	SK      = "goBindingSecretKey0123456789abcdefghijklm"
	Project = "eu-de"
)

// BuildDir is where `make` built the peers.
func BuildDir(t testing.TB) string {
	dir := os.Getenv("SWR_BUILD_DIR")
	if dir == "" {
		dir = "../build"
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitFor polls until ok() or 10 s pass (200 x 50 ms).
func waitFor(t testing.TB, what string, ok func() bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not come up", what)
}

func startProcess(t testing.TB, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
	})
}

// StartRegistry runs docker-registry with its own config and storage; returns http://127.0.0.1:PORT.
func StartRegistry(t testing.TB) string { return startRegistry(t, true) }

// StartRegistryWithoutDelete is StartRegistry with deletion off: the
// registry answers DELETE with 405 UNSUPPORTED.
func StartRegistryWithoutDelete(t testing.TB) string { return startRegistry(t, false) }

func startRegistry(t testing.TB, deletion bool) string {
	dir := t.TempDir()
	port := freePort(t)
	cfg := fmt.Sprintf("version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"+
		"storage:\n  filesystem:\n    rootdirectory: %s/data\n  delete:\n    enabled: %t\n"+
		"http:\n  addr: 127.0.0.1:%d\n  secret: sdk-shim-tests\n", dir, deletion, port)
	if err := os.WriteFile(dir+"/config.yml", []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	startProcess(t, "docker-registry", "serve", dir+"/config.yml")
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitFor(t, "docker-registry", func() bool {
		resp, err := controlClient.Get(url + "/v2/")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return url
}

// Emulator is a running SWR emulator: its registry host and its management API host.
type Emulator struct{ Registry, API string }

// StartEmulator runs the SWR emulator in front of backend (registry and
// management API on two origins, as SWR serves them), with extra flags.
func StartEmulator(t testing.TB, backend string, extra ...string) Emulator {
	return startEmulator(t, backend, true, extra...)
}

// StartEmulatorOneOrigin serves the registry and the management API on one
// origin: what a client whose management URL is derived from a registry
// URL that is not SWR's (127.0.0.1) reaches.
func StartEmulatorOneOrigin(t testing.TB, backend string, extra ...string) Emulator {
	return startEmulator(t, backend, false, extra...)
}

func startEmulator(t testing.TB, backend string, twoOrigins bool, extra ...string) Emulator {
	dir := t.TempDir()
	addr := dir + "/addr"
	args := []string{"-listen", "127.0.0.1:0", "-addr-file", addr, "-ak", AK, "-sk", SK, "-project", Project,
		"-registry-backend", backend}
	want := 1
	if twoOrigins {
		args, want = append(args, "-api-listen", "127.0.0.1:0"), 2
	}
	startProcess(t, filepath.Join(BuildDir(t), "swr-emulator"), append(args, extra...)...)
	var lines []string
	waitFor(t, "swr-emulator", func() bool {
		b, err := os.ReadFile(addr)
		lines = strings.Fields(string(b))
		return err == nil && len(lines) == want
	})
	if !twoOrigins {
		return Emulator{lines[0], lines[0]}
	}
	return Emulator{lines[0], lines[1]}
}

// Control calls the emulator's /_emulator/ API (seed data, faults, quirks).
func (e Emulator) Control(t testing.TB, method, path, body string) {
	t.Helper()
	req, _ := http.NewRequest(method, e.Registry+path, strings.NewReader(body))
	resp, err := controlClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d", method, path, resp.StatusCode)
	}
}

// Requests returns the emulator's request counts ("METHOD /path"; upload
// sessions under ".../blobs/uploads/") since it started or ResetRequests.
func (e Emulator) Requests(t testing.TB) map[string]int {
	t.Helper()
	resp, err := controlClient.Get(e.Registry + "/_emulator/requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	counts := map[string]int{}
	if err := json.NewDecoder(resp.Body).Decode(&counts); err != nil {
		t.Fatal(err)
	}
	return counts
}

// ResetRequests zeroes the request counts.
func (e Emulator) ResetRequests(t testing.TB) {
	e.Control(t, http.MethodDelete, "/_emulator/requests", "")
}

// RegistryFaults says how many scripted registry faults fired and how many
// are still pending.
func (e Emulator) RegistryFaults(t testing.TB) (fired, pending int) {
	t.Helper()
	resp, err := controlClient.Get(e.Registry + "/_emulator/registry-fault")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct{ Fired, Pending int }
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc.Fired, doc.Pending
}

// RateLimited says how many registry requests the emulator's rate limit
// (-rate-limit) answered with 503.
func (e Emulator) RateLimited(t testing.TB) int {
	t.Helper()
	resp, err := controlClient.Get(e.Registry + "/_emulator/registry-fault")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Limited int `json:"rate_limited"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc.Limited
}

// Hostile is a running hostile test registry: its main origin (a registry
// with token auth) and a foreign one.
type Hostile struct {
	Main, Foreign string
	CAFile        string
}

// The hostile registry's one login.
const HostileUser, HostilePassword = "eu-de@GOHOSTILE", "go-hostile-password-0123456789abcdef"

// StartHostile runs the hostile registry (main origin over HTTPS when tls).
func StartHostile(t testing.TB, tls bool) Hostile {
	dir := t.TempDir()
	args := []string{"-user", HostileUser, "-password", HostilePassword, "-addr-file", dir + "/addr"}
	if tls {
		args = append(args, "-tls-ca-out", dir+"/ca.pem")
	}
	startProcess(t, filepath.Join(BuildDir(t), "hostile-registry"), args...)
	var doc map[string]string
	waitFor(t, "hostile-registry", func() bool {
		b, err := os.ReadFile(dir + "/addr")
		return err == nil && json.Unmarshal(b, &doc) == nil
	})
	return Hostile{doc["main"], doc["foreign"], dir + "/ca.pem"}
}

// controlClient talks to the test peers' control endpoints without keeping
// connections (and their goroutines) alive between calls.
// (The peers' TLS certificates are self-signed, for loopback only.)
var controlClient = &http.Client{Transport: &http.Transport{
	TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // loopback test peers
	DisableKeepAlives: true}}

// SetCase switches the hostile registry's misbehaviour.
func (h Hostile) SetCase(t testing.TB, name string) {
	t.Helper()
	resp, err := controlClient.Post(h.Main+"/_hostile/case?name="+name, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// Token is the bearer token the hostile registry hands out.
func (h Hostile) Token(t testing.TB) string {
	resp, err := controlClient.Get(h.Main + "/_hostile/log")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct{ Token string }
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	return doc.Token
}

// PushImage pushes a fixture image with imagegen (extra: its flags); returns its digest.
func PushImage(t testing.TB, registry, repo, tag string, extra ...string) string {
	t.Helper()
	args := append([]string{"push", "-registry", registry, "-repo", repo, "-tag", tag}, extra...)
	var out, stderr bytes.Buffer
	cmd := exec.Command(filepath.Join(BuildDir(t), "imagegen"), args...)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("imagegen: %v: %s", err, stderr.String())
	}
	var doc struct{ Digest string }
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Digest
}

// VerifyImage checks that dst holds src byte for byte (imagegen verify; both "URL/repo:tag").
func VerifyImage(t testing.TB, src, dst string) {
	t.Helper()
	var out, stderr bytes.Buffer
	cmd := exec.Command(filepath.Join(BuildDir(t), "imagegen"), "verify", "-src", src, "-dst", dst)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil || !strings.Contains(out.String(), "identical") {
		t.Fatalf("%s differs from %s: %v %s %s", dst, src, err, out.String(), stderr.String())
	}
}
