package harness

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"
	"time"

	"github.com/goharbor/harbor/src/controller/proxy"
	"github.com/goharbor/harbor/src/pkg/reg"
	"github.com/goharbor/harbor/src/pkg/reg/model"
)

// registryStore stands in for Harbor's registry manager, whose store is
// its PostgreSQL database (which cannot run here): Get answers the one
// endpoint; nothing else is called. Everything else below is Harbor's own
// proxy-cache code.
type registryStore struct {
	reg.Manager
	endpoint *model.Registry
}

func (s registryStore) Get(_ context.Context, id int64) (*model.Registry, error) {
	if id != s.endpoint.ID {
		return nil, nil
	}
	return s.endpoint, nil
}

// Harbor as a pull-through cache of SWR: a proxy-cache project reaches its
// endpoint through the proxy controller's remote helper (controller/proxy),
// which builds the adapter from the endpoint and calls ManifestExist (for the
// digest the cache compares), PullManifest and PullBlob. Over the emulator,
// each answers what SWR holds, byte for byte. (The rest of the proxy flow,
// what Harbor stores locally, needs its database.)
func TestProxyCacheRemoteHelperOverSwr(t *testing.T) {
	e := newEnv(t)
	digest := e.seedSWR(t, "cached/app", "v1")
	endpoint := e.swrEndpoint()
	endpoint.ID = 42
	endpoint.Status = model.Healthy
	saved := reg.Mgr
	reg.Mgr = registryStore{endpoint: endpoint}
	t.Cleanup(func() { reg.Mgr = saved })

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	remote, err := proxy.NewRemoteHelper(ctx, endpoint.ID)
	if err != nil {
		t.Fatal(err)
	}
	exists, desc, err := remote.ManifestExist("cached/app", "v1")
	if err != nil || !exists || desc == nil || string(desc.Digest) != digest {
		t.Fatalf("ManifestExist: %v %+v %v (want %s)", exists, desc, err, digest)
	}
	if exists, _, err := remote.ManifestExist("cached/app", "missing"); err != nil || exists {
		t.Fatalf("ManifestExist of a missing tag: %v %v", exists, err)
	}
	m, got, err := remote.Manifest("cached/app", "v1")
	if err != nil || got != digest {
		t.Fatalf("Manifest: %s %v (want %s)", got, err, digest)
	}
	// Newer Harbors list a proxied repository's tags through the adapter.
	lister, ok := ourAdapter(t, e.swrEndpoint()).(interface {
		ListTags(repository string) ([]string, error)
	})
	if !ok {
		t.Fatal("the adapter has no ListTags")
	}
	if tags, err := lister.ListTags("cached/app"); err != nil || len(tags) != 1 || tags[0] != "v1" {
		t.Fatalf("ListTags: %v %v", tags, err)
	}
	for _, ref := range m.References() {
		size, body, err := remote.BlobReader("cached/app", string(ref.Digest))
		if err != nil {
			t.Fatalf("BlobReader %s: %v", ref.Digest, err)
		}
		h := sha256.New()
		n, err := io.Copy(h, body)
		body.Close()
		if err != nil || n != ref.Size || (size != 0 && size != ref.Size) ||
			"sha256:"+hex.EncodeToString(h.Sum(nil)) != string(ref.Digest) {
			t.Fatalf("blob %s: %d bytes (size %d) %v", ref.Digest, n, size, err)
		}
	}
}
