// Real clients of the SWR emulator: regclient (what regctl and regsync are
// built on), pinned through the Go module proxy, copies an image into the
// emulator and reads it back, as it would with SWR.
package clients

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/regclient/regclient"
	"github.com/regclient/regclient/config"
	"github.com/regclient/regclient/types/ref"

	"github.com/opentelekomcloud/swr-adapter/sdk-shim/swrtest"
)

func loginKey(ak, sk string) string {
	m := hmac.New(sha256.New, []byte(sk))
	m.Write([]byte(ak))
	return hex.EncodeToString(m.Sum(nil))
}

func TestRegclientCopiesIntoTheEmulatorAndReadsBack(t *testing.T) {
	src := swrtest.StartRegistry(t)
	backend := swrtest.StartRegistry(t)
	emu := swrtest.StartEmulator(t, backend)
	emu.Control(t, "POST", "/_emulator/seed", `{"orgs":[{"name":"clients"}]}`)
	digest := swrtest.PushImage(t, src, "lib/app", "1.0")
	srcHost := strings.TrimPrefix(src, "http://")
	emuHost := strings.TrimPrefix(emu.Registry, "http://")

	rc := regclient.New(regclient.WithRetryLimit(2), regclient.WithConfigHost(
		config.Host{Name: srcHost, TLS: config.TLSDisabled},
		config.Host{Name: emuHost, TLS: config.TLSDisabled, User: swrtest.Project + "@" + swrtest.AK,
			Pass: loginKey(swrtest.AK, swrtest.SK)},
	))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	from, err := ref.New(srcHost + "/lib/app:1.0")
	if err != nil {
		t.Fatal(err)
	}
	to, err := ref.New(emuHost + "/clients/app:1.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.ImageCopy(ctx, from, to); err != nil {
		t.Fatalf("regclient could not copy into the emulator: %v", err)
	}
	m, err := rc.ManifestHead(ctx, to)
	if err != nil {
		t.Fatalf("regclient could not read the copy back: %v", err)
	}
	if got := m.GetDescriptor().Digest.String(); got != digest {
		t.Fatalf("the copy's digest is %s, the source's %s", got, digest)
	}
	swrtest.VerifyImage(t, src+"/lib/app:1.0", backend+"/clients/app:1.0")
	// Which form of token request it used (v0.11.7: GET with basic auth;
	// the OAuth2 POST form is answered too, see the emulator's own tests).
	reqs := emu.Requests(t)
	t.Logf("token requests: POST %d, GET %d", reqs["POST /swr/auth/v2/registry/auth/"],
		reqs["GET /swr/auth/v2/registry/auth/"])
	if reqs["PUT /v2/clients/app/manifests/1.0"] != 1 {
		t.Fatalf("the manifest was not pushed once: %v", reqs)
	}
}
