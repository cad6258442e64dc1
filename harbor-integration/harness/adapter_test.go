package harness

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	commonhttp "github.com/goharbor/harbor/src/common/http"
	liberrors "github.com/goharbor/harbor/src/lib/errors"
	adp "github.com/goharbor/harbor/src/pkg/reg/adapter"
	"github.com/goharbor/harbor/src/pkg/reg/model"

	"github.com/opentelekomcloud/swr-adapter/harbor-integration/otcswr"
	swr "github.com/opentelekomcloud/swr-adapter/sdk-shim"
	"github.com/opentelekomcloud/swr-adapter/sdk-shim/swrtest"
)

// What Harbor's portal and API see: the type registered (by the two
// registration files), the OTC regions as endpoint list, no credential
// pattern (the Access Secret stays a password field), and the capabilities.
func TestRegistrationPatternAndInfo(t *testing.T) {
	found := false
	for _, typ := range adp.ListRegisteredAdapterTypes() {
		found = found || typ == otcswr.AdapterType
	}
	if !found {
		t.Fatalf("%s is not registered: %v", otcswr.AdapterType, adp.ListRegisteredAdapterTypes())
	}
	pattern := adp.ListRegisteredAdapterInfos()[otcswr.AdapterType]
	if pattern == nil || pattern.EndpointPattern == nil || pattern.CredentialPattern != nil {
		t.Fatalf("pattern %+v", pattern)
	}
	urls := map[string]bool{}
	for _, ep := range pattern.EndpointPattern.Endpoints {
		urls[ep.Value] = true
	}
	for _, u := range []string{"https://swr.eu-de.otc.t-systems.com", "https://swr.eu-nl.otc.t-systems.com",
		"https://swr.eu-ch2.sc.otc.t-systems.com"} {
		if !urls[u] {
			t.Errorf("the endpoint list lacks %s", u)
		}
	}

	e := newEnv(t)
	f, _ := adp.GetFactory(otcswr.AdapterType)
	a, err := f.Create(e.swrEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	info, err := a.Info()
	if err != nil || info.Type != otcswr.AdapterType ||
		info.SupportedRepositoryPathComponentType != model.RepositoryPathComponentTypeAtLeastTwo ||
		len(info.SupportedResourceTypes) != 1 || info.SupportedResourceTypes[0] != model.ResourceTypeImage ||
		len(info.SupportedResourceFilters) != 2 || len(info.SupportedTriggers) != 2 {
		t.Fatalf("Info: %+v %v", info, err)
	}
}

// Credentials: an Access ID without "@" is refused with the format spelled
// out; a wrong SK makes the health check unhealthy (reason logged, no
// secret) and registry calls fail as UNAUTHORIZED with the same help.
func TestCredentialsAndHealthCheck(t *testing.T) {
	e := newEnv(t)
	f, _ := adp.GetFactory(otcswr.AdapterType)
	bad := e.swrEndpoint()
	bad.Credential.AccessKey = swrtest.AK
	_, err := f.Create(bad)
	if err == nil || !strings.Contains(err.Error(), "<regional project name>@<AK>") {
		t.Fatalf("an Access ID without @: %v", err)
	}
	// Harbor's API turns the code into its HTTP status: 400, not a 500.
	if !liberrors.IsErr(err, liberrors.BadRequestCode) {
		t.Fatalf("an Access ID without @ is not a BAD_REQUEST: %v", err)
	}
	noSecret := e.swrEndpoint()
	noSecret.Credential.AccessSecret = ""
	if _, err := f.Create(noSecret); !liberrors.IsErr(err, liberrors.BadRequestCode) {
		t.Fatalf("an endpoint without a secret: %v", err)
	}

	good, err := f.Create(e.swrEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	if h, err := good.HealthCheck(); err != nil || h != model.Healthy {
		t.Fatalf("HealthCheck: %s %v", h, err)
	}
	wrongSK := strings.Repeat("x", len(swrtest.SK))
	wrong, err := f.Create(e.swrEndpointWith(wrongSK))
	if err != nil {
		t.Fatal(err)
	}
	if h, err := wrong.HealthCheck(); err != nil || h != model.Unhealthy {
		t.Fatalf("HealthCheck with a wrong SK: %s %v", h, err)
	}
	_, _, err = wrong.(adp.ArtifactRegistry).ManifestExist("team/app", "v1")
	if !liberrors.IsErr(err, liberrors.UnAuthorizedCode) || !strings.Contains(err.Error(), "<regional project name>@<AK>") {
		t.Fatalf("a wrong SK: %v", err)
	}
	if strings.Contains(err.Error(), wrongSK) {
		t.Fatal("the error holds the secret")
	}
	// A login key (64 hex) as Access Secret also works, for the registry.
	key, _ := swr.LoginKey(swrtest.AK, swrtest.SK)
	lk, err := f.Create(e.swrEndpointWith(key))
	if err != nil {
		t.Fatal(err)
	}
	if h, err := lk.HealthCheck(); err != nil || h != model.Healthy {
		t.Fatalf("HealthCheck with a login key: %s %v", h, err)
	}
}

// PrepareForPush from many goroutines at once (Harbor's core may plan
// several replications together): every call succeeds, each organization
// is created once, an existing one is fine, and a name SWR cannot hold
// is refused with the rule's fix.
func TestPrepareForPushIsConcurrentAndIdempotent(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.client.CreateOrganization(ctx, "existing"); err != nil {
		t.Fatal(err)
	}
	e.emu.ResetRequests(t)
	a := ourAdapter(t, e.swrEndpoint()).(adp.Adapter)
	res := func(names ...string) []*model.Resource {
		var out []*model.Resource
		for _, n := range names {
			out = append(out, &model.Resource{Type: model.ResourceTypeImage,
				Metadata: &model.ResourceMetadata{Repository: &model.Repository{Name: n}}})
		}
		return out
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- a.PrepareForPush(res("alpha/app", "beta/x/y", "existing/z", "alpha/other"))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := e.emu.Requests(t)["POST /v2/manage/namespaces"]; n > 3 {
		t.Fatalf("%d organization creations for 3 organizations", n)
	}
	for _, org := range []string{"alpha", "beta", "existing"} {
		if _, err := e.client.GetOrganization(ctx, org); err != nil {
			t.Fatalf("%s: %v", org, err)
		}
	}
	if err := a.PrepareForPush(res("single")); err == nil || !strings.Contains(err.Error(), "destination namespace") {
		t.Fatalf("a one-component name: %v", err)
	}
}

// DeleteTag deletes one tag and keeps the others on the same digest; a tag
// already gone is the 404 Harbor's deletion skips; with a login key it
// says the SK is needed. DeleteManifest removes the manifest with its tags,
// also where the registry refuses DELETE (through the management API).
func TestDeletion(t *testing.T) {
	e := newEnv(t)
	e.seedSWR(t, "del/app", "a")
	e.seedSWR(t, "del/app", "b")
	r := ourAdapter(t, e.swrEndpoint())
	if err := r.DeleteTag("del/app", "a"); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := r.ManifestExist("del/app", "a"); ok {
		t.Fatal("tag a survived DeleteTag")
	}
	if ok, _, err := r.ManifestExist("del/app", "b"); !ok || err != nil {
		t.Fatalf("DeleteTag took tag b too: %v", err)
	}
	err := r.DeleteTag("del/app", "a")
	var he *commonhttp.Error
	if !errors.As(err, &he) || he.Code != http.StatusNotFound {
		t.Fatalf("deleting a missing tag: %T %v", err, err)
	}
	key, _ := swr.LoginKey(swrtest.AK, swrtest.SK)
	if err := ourAdapter(t, e.swrEndpointWith(key)).DeleteTag("del/app", "b"); err == nil ||
		!strings.Contains(err.Error(), "needs the SK") {
		t.Fatalf("DeleteTag with a login key: %v", err)
	}
	if err := r.DeleteManifest("del/app", "b"); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := r.ManifestExist("del/app", "b"); ok {
		t.Fatal("DeleteManifest left the tag")
	}

	// A registry that refuses DELETE (405): the tags on that manifest go
	// through the management API.
	plain := swrtest.StartRegistry(t)
	backend := swrtest.StartRegistryWithoutDelete(t)
	emu := swrtest.StartEmulatorOneOrigin(t, backend)
	e2 := &env{plain: plain, backend: backend, emu: emu, client: e.client}
	c2, err := swr.NewClient(swr.ClientOptions{RegistryURL: emu.Registry, AccessID: swrtest.Project + "@" + swrtest.AK,
		AccessSecret: swrtest.SK})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	e2.client = c2
	e2.seedSWR(t, "del/app", "x")
	e2.seedSWR(t, "del/app", "y")
	e2.seedSWR(t, "del/app", "other", "-seed", "3")
	r2 := ourAdapter(t, e2.swrEndpoint())
	if err := r2.DeleteManifest("del/app", "x"); err != nil {
		t.Fatal(err)
	}
	for tag, want := range map[string]bool{"x": false, "y": false, "other": true} {
		if ok, _, err := r2.ManifestExist("del/app", tag); ok != want || err != nil {
			t.Fatalf("after DeleteManifest(x) on a registry without DELETE: %s exists %v (%v)", tag, ok, err)
		}
	}
}

// A registry that does not route DELETE answers 404 with no registry error
// code: that is no deletion. The adapter checks, deletes the tags through
// the management API with the SK, and with a login key says it could not
// delete instead of reporting success.
func TestDeletionThroughAnUnroutedDelete(t *testing.T) {
	e := newEnv(t)
	e.seedSWR(t, "unrouted/app", "a")
	e.seedSWR(t, "unrouted/app", "keep", "-seed", "3")
	e.emu.Control(t, "POST", "/_emulator/quirks", `{"unrouted_delete":true}`)
	key, _ := swr.LoginKey(swrtest.AK, swrtest.SK)
	withKey := ourAdapter(t, e.swrEndpointWith(key))
	if err := withKey.DeleteManifest("unrouted/app", "a"); err == nil || !strings.Contains(err.Error(), "was not deleted") {
		t.Fatalf("a 404 from a registry that does not route DELETE was taken for a deletion: %v", err)
	}
	if ok, _, err := withKey.ManifestExist("unrouted/app", "a"); !ok || err != nil {
		t.Fatalf("tag a: %v %v", ok, err)
	}
	r := ourAdapter(t, e.swrEndpoint())
	if err := r.DeleteManifest("unrouted/app", "a"); err != nil {
		t.Fatal(err)
	}
	for tag, want := range map[string]bool{"a": false, "keep": true} {
		if ok, _, err := r.ManifestExist("unrouted/app", tag); ok != want || err != nil {
			t.Fatalf("after DeleteManifest(a) through an unrouted DELETE: %s exists %v (%v)", tag, ok, err)
		}
	}
	// What is already gone stays a success (Harbor skips it).
	if err := r.DeleteManifest("unrouted/app", "a"); err != nil {
		t.Fatalf("deleting it again: %v", err)
	}
}

// Mounts: a blob this process pushed to one repository is offered for
// mounting into another and mounted; where SWR declines mounts the blob
// is copied inside SWR once and no further mount is offered.
func TestMounts(t *testing.T) {
	for _, declined := range []bool{false, true} {
		var flags []string
		if declined {
			flags = []string{"-no-cross-repo-mount"}
		}
		e := newEnv(t, flags...)
		r := ourAdapter(t, e.swrEndpoint())
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if err := e.client.EnsureOrganization(ctx, "mnt"); err != nil {
			t.Fatal(err)
		}
		cancel()
		blob := randomBlob(byte(20+len(flags)), 200000)
		d := sha256Of(blob)
		if err := r.PushBlob("mnt/one", d, int64(len(blob)), bytes.NewReader(blob)); err != nil {
			t.Fatal(err)
		}
		ok, from, err := r.CanBeMount(d)
		if err != nil || !ok || from != "mnt/one" {
			t.Fatalf("CanBeMount: %v %q %v", ok, from, err)
		}
		if err := r.MountBlob(from, d, "mnt/two"); err != nil {
			t.Fatal(err)
		}
		if ok, err := r.BlobExist("mnt/two", d); !ok || err != nil {
			t.Fatalf("declined=%v: the blob is not in mnt/two: %v", declined, err)
		}
		ok, _, _ = r.CanBeMount(d)
		if ok == declined {
			t.Fatalf("declined=%v: CanBeMount afterwards %v", declined, ok)
		}
	}
}

// ListReferrers (Harbor's main) answers NOT_FOUND, which Harbor's proxy
// treats as "no referrers".
func TestListReferrersIsNotFound(t *testing.T) {
	e := newEnv(t)
	m := reflect.ValueOf(ourAdapter(t, e.swrEndpoint())).MethodByName("ListReferrers")
	if !m.IsValid() {
		t.Fatal("no ListReferrers")
	}
	out := m.Call([]reflect.Value{reflect.ValueOf("team/app"), reflect.ValueOf("sha256:" + strings.Repeat("0", 64)),
		reflect.ValueOf("")})
	err, _ := out[2].Interface().(error)
	if !liberrors.IsErr(err, liberrors.NotFoundCode) {
		t.Fatalf("ListReferrers: %v", err)
	}
}

// The empty range Harbor's chunk loop asks for when it resumes an upload
// whose bytes all arrived (start = size, end = size-1) is an empty chunk,
// not an error.
func TestPullBlobChunkOfTheEmptyRangeAtTheEnd(t *testing.T) {
	e := newEnv(t)
	e.seedSWR(t, "rng/app", "v1")
	r := ourAdapter(t, e.swrEndpoint())
	m, _, err := r.PullManifest("rng/app", "v1")
	if err != nil {
		t.Fatal(err)
	}
	layer := m.References()[1]
	c := r.(chunked)
	n, rc, err := c.PullBlobChunk("rng/app", string(layer.Digest), layer.Size, layer.Size, layer.Size-1)
	if err != nil || n != 0 || len(readAll(t, rc)) != 0 {
		t.Fatalf("the empty range: %d %v", n, err)
	}
	if _, _, err := c.PullBlobChunk("rng/app", string(layer.Digest), layer.Size, 0, layer.Size); err == nil {
		t.Fatal("a range past the end was accepted")
	}
}

// Harbor's chunk retries recover: a source that breaks mid-chunk, and a
// commit that fails with every byte uploaded. (Harbor v2.15.2's native
// adapter, checked by hand, does not recover from the first: after
// docker-registry drops the broken upload it keeps returning the dead
// location, and all five attempts fail on "blob upload invalid".)
func TestChunkUploadsRecover(t *testing.T) {
	e := newEnv(t)
	r := ourAdapter(t, e.swrEndpoint())
	c := r.(chunked)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.client.EnsureOrganization(ctx, "chunks"); err != nil {
		t.Fatal(err)
	}

	// The second chunk breaks 300 KB in: the retry resumes where the
	// registry says the upload stands. docker-registry may still be writing
	// the broken request's bytes when it answers that question; it then
	// drops the upload when the retry arrives (its size no longer matches),
	// and the attempt after restarts the blob: one or two retries.
	blob := randomBlob(12, 3*testChunk+testChunk/2)
	if n := harborChunkLoop(t, c, r, "chunks/app", blob, testChunk+300000); n < 1 || n > 2 {
		t.Fatalf("%d retries for one broken chunk", n)
	}
	checkStored(t, r, "chunks/app", blob)

	// Every byte arrives, the commit fails (more 503s than the library's
	// attempts): the registry holds size bytes, so the retry sends the
	// empty range size..size-1 and commits.
	e.emu.Control(t, "POST", "/_emulator/fault",
		`{"path_prefix":"/v2/chunks/app/blobs/uploads/","method":"PUT","status":503,"count":4}`)
	blob = randomBlob(13, 3*testChunk+testChunk/2)
	if n := harborChunkLoop(t, c, r, "chunks/app", blob, -1); n != 1 {
		t.Fatalf("%d retries for one failed commit", n)
	}
	checkStored(t, r, "chunks/app", blob)
}
