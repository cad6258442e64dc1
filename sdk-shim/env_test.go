package swr

// The peers of the binding's tests, all real processes on 127.0.0.1: Debian's
// docker-registry, the SWR emulator and the hostile test registry (both
// built by `make`, found in SWR_BUILD_DIR, default ../build), and the image
// fixture generator.

import (
	"bytes"
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

const (
	emuAK      = "GOBINDINGAK0123456789"
	emuSK      = "goBindingSecretKey0123456789abcdefghijklm"
	emuProject = "eu-de"
)

func buildDir(t *testing.T) string {
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

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitFor polls until ok() or 10 s pass (200 x 50 ms).
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not come up", what)
}

func startProcess(t *testing.T, name string, args ...string) {
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

// startRegistry runs docker-registry with its own config and storage; returns http://127.0.0.1:PORT.
func startRegistry(t *testing.T) string {
	dir := t.TempDir()
	port := freePort(t)
	cfg := fmt.Sprintf("version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"+
		"storage:\n  filesystem:\n    rootdirectory: %s/data\n  delete:\n    enabled: true\n"+
		"http:\n  addr: 127.0.0.1:%d\n  secret: sdk-shim-tests\n", dir, port)
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

type emulator struct{ registry, api string }

// startEmulator runs the SWR emulator in front of backend (registry and
// management API on two origins).
func startEmulator(t *testing.T, backend string, extra ...string) emulator {
	dir := t.TempDir()
	addr := dir + "/addr"
	args := append([]string{"-listen", "127.0.0.1:0", "-api-listen", "127.0.0.1:0", "-addr-file", addr, "-ak", emuAK,
		"-sk", emuSK, "-project", emuProject, "-registry-backend", backend}, extra...)
	startProcess(t, filepath.Join(buildDir(t), "swr-emulator"), args...)
	var lines []string
	waitFor(t, "swr-emulator", func() bool {
		b, err := os.ReadFile(addr)
		lines = strings.Fields(string(b))
		return err == nil && len(lines) == 2
	})
	return emulator{lines[0], lines[1]}
}

func (e emulator) control(t *testing.T, method, path, body string) {
	t.Helper()
	req, _ := http.NewRequest(method, e.registry+path, strings.NewReader(body))
	resp, err := controlClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d", method, path, resp.StatusCode)
	}
}

type hostile struct {
	main, foreign string
	caFile        string
}

const hostileUser, hostilePassword = "eu-de@GOHOSTILE", "go-hostile-password-0123456789abcdef"

func startHostile(t *testing.T, tls bool) hostile {
	dir := t.TempDir()
	args := []string{"-user", hostileUser, "-password", hostilePassword, "-addr-file", dir + "/addr"}
	if tls {
		args = append(args, "-tls-ca-out", dir+"/ca.pem")
	}
	startProcess(t, filepath.Join(buildDir(t), "hostile-registry"), args...)
	var doc map[string]string
	waitFor(t, "hostile-registry", func() bool {
		b, err := os.ReadFile(dir + "/addr")
		return err == nil && json.Unmarshal(b, &doc) == nil
	})
	return hostile{doc["main"], doc["foreign"], dir + "/ca.pem"}
}

// controlClient talks to the test peers' control endpoints without keeping
// connections (and their goroutines) alive between calls.
var controlClient = &http.Client{Transport: &http.Transport{TLSClientConfig: insecureTLS(), DisableKeepAlives: true}}

func (h hostile) setCase(t *testing.T, name string) {
	t.Helper()
	client := controlClient
	resp, err := client.Post(h.main+"/_hostile/case?name="+name, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func (h hostile) token(t *testing.T) string {
	resp, err := controlClient.Get(h.main + "/_hostile/log")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct{ Token string }
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	return doc.Token
}

// pushImage pushes a fixture image with imagegen; returns its digest.
func pushImage(t *testing.T, registry, repo, tag string, extra ...string) string {
	t.Helper()
	args := append([]string{"push", "-registry", registry, "-repo", repo, "-tag", tag}, extra...)
	var out, stderr bytes.Buffer
	cmd := exec.Command(filepath.Join(buildDir(t), "imagegen"), args...)
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

func swrClient(t *testing.T, e emulator, opts ...func(*ClientOptions)) *Client {
	t.Helper()
	o := ClientOptions{RegistryURL: e.registry, ManagementURL: e.api, AccessID: emuProject + "@" + emuAK,
		AccessSecret: emuSK, MaxAttempts: 3}
	for _, f := range opts {
		f(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func plainRegistry(t *testing.T, url string) *Registry {
	t.Helper()
	r, err := NewRegistry(RegistryOptions{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}
