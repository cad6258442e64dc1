// Package credhelper drives docker-credential-swr the way docker does: through
// docker-credential-helpers' client package, which the docker CLI uses for
// credHelpers (the request on stdin, JSON on stdout, "credentials not found"
// recognised by its text). The credentials it hands out are then used to log
// in at the SWR emulator.
package credhelper

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/opentelekomcloud/swr-adapter/sdk-shim/swrtest"
)

const swrHost = "swr.eu-de.otc.t-systems.com"

// helper runs the built binary with exactly env (plus PATH).
func helper(t *testing.T, env map[string]string) client.ProgramFunc {
	t.Helper()
	bin := filepath.Join(swrtest.BuildDir(t), "adapter", "docker-credential-swr")
	full := map[string]string{"PATH": os.Getenv("PATH"), "HOME": t.TempDir()}
	for k, v := range env {
		full[k] = v
	}
	return client.NewShellProgramFuncWithEnv(bin, &full)
}

// The published login key vector (tests/testdata/aksk-vectors.json).
func vector(t *testing.T) (ak, sk, key string) {
	b, err := os.ReadFile("../testdata/aksk-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		LoginKeyVectors []struct {
			AK       string `json:"ak"`
			SK       string `json:"sk"`
			LoginKey string `json:"login_key"`
		} `json:"login_key_vectors"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	v := doc.LoginKeyVectors[0]
	return v.AK, v.SK, v.LoginKey
}

func TestGetAnswersTheLoginKeyForSWRHosts(t *testing.T) {
	ak, sk, key := vector(t)
	p := helper(t, map[string]string{"OS_ACCESS_KEY": ak, "OS_SECRET_KEY": sk, "OS_PROJECT_NAME": "eu-de_team"})
	for server, user := range map[string]string{
		swrHost:                           "eu-de_team@" + ak,
		"https://" + swrHost:              "eu-de_team@" + ak,
		"https://" + swrHost + "/v2/":     "eu-de_team@" + ak,
		"SWR.EU-DE.OTC.T-SYSTEMS.COM":     "eu-de_team@" + ak,
		"swr.eu-nl.otc.t-systems.com":     "eu-nl@" + ak, // another region: its default project
		"swr.eu-ch2.sc.otc.t-systems.com": "eu-ch2@" + ak,
	} {
		c, err := client.Get(p, server)
		if err != nil {
			t.Fatalf("%s: %v", server, err)
		}
		if c.Username != user || c.Secret != key || c.ServerURL != server {
			t.Fatalf("%s: %+v", server, c)
		}
	}
}

func TestOtherHostsAreNotFoundAsDockerExpects(t *testing.T) {
	ak, sk, _ := vector(t)
	p := helper(t, map[string]string{"OS_ACCESS_KEY": ak, "OS_SECRET_KEY": sk})
	for _, server := range []string{"docker.io", "https://index.docker.io/v1/", "swr.eu-de.otc.t-systems.com.evil.example",
		"registry.example.com:5000", ""} {
		_, err := client.Get(p, server)
		if !credentials.IsErrCredentialsNotFound(err) {
			t.Fatalf("%q: %v, want credentials not found", server, err)
		}
		// The client wraps erase errors; the text is the protocol's.
		if err := client.Erase(p, server); err == nil || !strings.Contains(err.Error(), "credentials not found in native keychain") {
			t.Fatalf("erase %q: %v", server, err)
		}
	}
}

func TestStoreAndEraseAreAcceptedForSWRAndChangeNothing(t *testing.T) {
	ak, sk, key := vector(t)
	p := helper(t, map[string]string{"OS_ACCESS_KEY": ak, "OS_SECRET_KEY": sk, "OS_PROJECT_NAME": "eu-de"})
	if err := client.Store(p, &credentials.Credentials{ServerURL: swrHost, Username: "someone", Secret: "other"}); err != nil {
		t.Fatal(err)
	}
	if err := client.Erase(p, swrHost); err != nil {
		t.Fatal(err)
	}
	c, err := client.Get(p, swrHost)
	if err != nil || c.Username != "eu-de@"+ak || c.Secret != key {
		t.Fatalf("after store and erase: %+v %v", c, err)
	}
	err = client.Store(p, &credentials.Credentials{ServerURL: "docker.io", Username: "u", Secret: "s"})
	if err == nil || !strings.Contains(err.Error(), "SWR hosts only") {
		t.Fatalf("store for docker.io: %v", err)
	}
}

func TestMissingCredentialsSayWhatToSetAndLeakNothing(t *testing.T) {
	p := helper(t, nil)
	_, err := client.Get(p, swrHost)
	if err == nil || credentials.IsErrCredentialsNotFound(err) || !strings.Contains(err.Error(), "OS_ACCESS_KEY") {
		t.Fatalf("no credentials: %v", err)
	}
}

func TestTheCredentialsFile(t *testing.T) {
	ak, sk, key := vector(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "credentials")
	body := "# OTC\nexport OS_ACCESS_KEY=" + ak + "\nOS_SECRET_KEY=\"" + sk + "\"\nOS_PROJECT_NAME=eu-de\n"
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := client.Get(helper(t, map[string]string{"SWR_CREDENTIALS_FILE": file}), swrHost)
	if err != nil || c.Username != "eu-de@"+ak || c.Secret != key {
		t.Fatalf("from the file: %+v %v", c, err)
	}
	// The default place: $XDG_CONFIG_HOME/swr/credentials.
	if err := os.MkdirAll(filepath.Join(dir, "swr"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(file, filepath.Join(dir, "swr", "credentials")); err != nil {
		t.Fatal(err)
	}
	if c, err := client.Get(helper(t, map[string]string{"XDG_CONFIG_HOME": dir}), swrHost); err != nil || c.Secret != key {
		t.Fatalf("from XDG_CONFIG_HOME: %+v %v", c, err)
	}
	file = filepath.Join(dir, "swr", "credentials")
	// The environment wins over the file.
	c, err = client.Get(helper(t, map[string]string{"XDG_CONFIG_HOME": dir, "OS_PROJECT_NAME": "eu-de_ops"}), swrHost)
	if err != nil || c.Username != "eu-de_ops@"+ak {
		t.Fatalf("environment over file: %+v %v", c, err)
	}
	// Readable by others: refused, without showing the secret.
	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = client.Get(helper(t, map[string]string{"SWR_CREDENTIALS_FILE": file}), swrHost)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") || strings.Contains(err.Error(), sk) {
		t.Fatalf("a world-readable file: %v", err)
	}
	// A typo names the file, the line and the key.
	if err := os.Chmod(file, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("OS_ACCESS_KEY="+ak+"\nOS_SECRET_KEYS="+sk+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = client.Get(helper(t, map[string]string{"SWR_CREDENTIALS_FILE": file}), swrHost)
	if err == nil || !strings.Contains(err.Error(), file+":2: unknown key 'OS_SECRET_KEYS'") || strings.Contains(err.Error(), sk) {
		t.Fatalf("a typo: %v", err)
	}
}

func TestListNamesTheConfiguredHosts(t *testing.T) {
	ak, sk, _ := vector(t)
	got, err := client.List(helper(t, map[string]string{"OS_ACCESS_KEY": ak, "OS_SECRET_KEY": sk,
		"OS_PROJECT_NAME": "eu-de", "SWR_REGISTRY": "https://" + swrHost,
		"DOCKER_CREDENTIAL_SWR_HOSTS": "swr.eu-nl.otc.t-systems.com,127.0.0.1:5000"}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{swrHost: "eu-de@" + ak, "swr.eu-nl.otc.t-systems.com": "eu-nl@" + ak,
		"127.0.0.1:5000": "eu-de@" + ak}
	if len(got) != len(want) {
		t.Fatalf("list %v", got)
	}
	for h, u := range want {
		if got[h] != u {
			t.Fatalf("list %v", got)
		}
	}
}

// The credentials it gives are a working docker login at SWR (the emulator,
// named in DOCKER_CREDENTIAL_SWR_HOSTS since it is not swr.<region>...).
func TestTheAnswerLogsInAtTheEmulator(t *testing.T) {
	emu := swrtest.StartEmulatorOneOrigin(t, swrtest.StartRegistry(t))
	host := strings.TrimPrefix(emu.Registry, "http://")
	p := helper(t, map[string]string{"OS_ACCESS_KEY": swrtest.AK, "OS_SECRET_KEY": swrtest.SK,
		"OS_PROJECT_NAME": swrtest.Project, "DOCKER_CREDENTIAL_SWR_HOSTS": host})
	c, err := client.Get(p, host)
	if err != nil {
		t.Fatal(err)
	}
	try := func(user, secret string) int {
		req, _ := http.NewRequest("GET", emu.Registry+"/swr/auth/v2/registry/auth/?service=dockyard", nil)
		req.SetBasicAuth(user, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := try(c.Username, c.Secret); code != http.StatusOK {
		t.Fatalf("the helper's login: HTTP %d", code)
	}
	if code := try(c.Username, strings.Repeat("0", 64)); code == http.StatusOK {
		t.Fatal("the emulator accepts any key: this test proves nothing")
	}
}
