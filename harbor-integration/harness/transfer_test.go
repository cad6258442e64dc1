package harness

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	repctlmodel "github.com/goharbor/harbor/src/controller/replication/model"
	adp "github.com/goharbor/harbor/src/pkg/reg/adapter"
	"github.com/goharbor/harbor/src/pkg/reg/model"

	"github.com/opentelekomcloud/swr-adapter/harbor-integration/otcswr"
	"github.com/opentelekomcloud/swr-adapter/sdk-shim/swrtest"
)

// Push mode, single-architecture images, "Flatten All Levels" into a
// destination namespace (the blueprint's setup): PrepareForPush creates the
// organization, both tags arrive byte for byte, and a second run uploads
// nothing (ManifestExist gives the digest, so Harbor skips unchanged tags).
func TestPushModeFlattensIntoANamespaceAndSkipsUnchangedTags(t *testing.T) {
	e := newEnv(t)
	swrtest.PushImage(t, e.plain, "library/app", "1.0")
	swrtest.PushImage(t, e.plain, "library/app", "1.1", "-seed", "2", "-first-layer-seed", "1")
	p := &repctlmodel.Policy{SrcRegistry: e.native(), DestRegistry: e.swrEndpoint(), DestNamespace: "team",
		DestNamespaceReplaceCount: -1, Override: true, Filters: []*model.Filter{nameFilter("library/**")}}
	o := replicate(t, p)
	o.mustSucceed(t)
	if got := o.names(); !reflect.DeepEqual(got, []string{"team/app"}) {
		t.Fatalf("destination names %v", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := e.client.GetOrganization(ctx, "team"); err != nil {
		t.Fatalf("PrepareForPush did not create the organization: %v", err)
	}
	for _, tag := range []string{"1.0", "1.1"} {
		swrtest.VerifyImage(t, e.plain+"/library/app:"+tag, e.backend+"/team/app:"+tag)
	}

	e.emu.ResetRequests(t)
	replicate(t, p).mustSucceed(t)
	for req, n := range e.emu.Requests(t) {
		if strings.Contains(req, "/blobs/uploads/") || strings.HasPrefix(req, "PUT ") {
			t.Errorf("the second run of an unchanged image sent %d x %s", n, req)
		}
	}
}

// Destination names as Harbor's own rules compute them (its flow's
// replaceNamespace, for each flattening level), created in SWR with the
// organization, and a one-component destination refused before any copy
// (Harbor checks the path components only with a namespace; without one
// PrepareForPush says SWR needs <organization>/<repository>).
func TestPushModeDestinationNamesFollowHarborsRules(t *testing.T) {
	e := newEnv(t)
	swrtest.PushImage(t, e.plain, "a/b/c/image", "v1")
	// Harbor's documented examples for a/b/c/image into namespace n.
	for count, want := range map[int8]string{-1: "n/image", 0: "n/a/b/c/image", 1: "n/b/c/image", 2: "n/c/image",
		3: "n/image"} {
		p := &repctlmodel.Policy{SrcRegistry: e.native(), DestRegistry: e.swrEndpoint(), DestNamespace: "n",
			DestNamespaceReplaceCount: count, Override: true, Filters: []*model.Filter{nameFilter("a/b/c/image")}}
		o := replicate(t, p)
		o.mustSucceed(t)
		if got := o.names(); len(got) != 1 || got[0] != want {
			t.Fatalf("level %d: destination %v, want %s", count, got, want)
		}
		swrtest.VerifyImage(t, e.plain+"/a/b/c/image:v1", e.backend+"/"+want+":v1")
	}

	swrtest.PushImage(t, e.plain, "solo", "v1")
	p := &repctlmodel.Policy{SrcRegistry: e.native(), DestRegistry: e.swrEndpoint(), Override: true,
		Filters: []*model.Filter{nameFilter("solo")}}
	o := replicate(t, p)
	if o.flowErr == nil || !strings.Contains(o.flowErr.Error(), "set a destination namespace") {
		t.Fatalf("a one-component destination: %v", o.flowErr)
	}
}

// A Docker manifest list arrives with every platform; an OCI image index
// fails with a message naming SWR's limit, leaving no tag behind; a
// single OCI manifest is fine.
func TestPushModeManifestListsAndOCIIndexes(t *testing.T) {
	e := newEnv(t)
	swrtest.PushImage(t, e.plain, "multi/list", "v1", "-platforms", "linux/amd64,linux/arm64")
	swrtest.PushImage(t, e.plain, "multi/oci", "v1", "-format", "oci")
	swrtest.PushImage(t, e.plain, "multi/index", "v1", "-format", "oci", "-platforms", "linux/amd64,linux/arm64")
	run := func(repo string) outcome {
		return replicate(t, &repctlmodel.Policy{SrcRegistry: e.native(), DestRegistry: e.swrEndpoint(),
			Override: true, Filters: []*model.Filter{nameFilter(repo)}})
	}
	run("multi/list").mustSucceed(t)
	swrtest.VerifyImage(t, e.plain+"/multi/list:v1", e.backend+"/multi/list:v1")
	run("multi/oci").mustSucceed(t)
	swrtest.VerifyImage(t, e.plain+"/multi/oci:v1", e.backend+"/multi/oci:v1")

	o := run("multi/index")
	if o.ok() {
		t.Fatal("SWR (the emulator's quirk on) accepted an OCI index")
	}
	if !o.log.contains("does not accept OCI image indexes") {
		o.log.Fatalf(t, "the task log does not name SWR's limit")
	}
	dst := ourAdapter(t, e.swrEndpoint())
	if exists, _, err := dst.ManifestExist("multi/index", "v1"); err != nil || exists {
		t.Fatalf("the refused index left a tag: %v %v", exists, err)
	}
	// Nor the children Harbor pushed before the index, nor the repository.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	repos, err := e.client.ListRepositories(ctx, "multi")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range repos {
		if r.Name == "index" {
			t.Fatalf("the refused index left its repository behind: %+v", r)
		}
	}
}

// Pull mode: SWR is the source; Harbor's name and tag filters select
// exactly what they select on its native adapter.
func TestPullModeWithNameAndTagFilters(t *testing.T) {
	e := newEnv(t)
	e.seedSWR(t, "team/app", "v1.0")
	e.seedSWR(t, "team/app", "v2.0", "-seed", "2")
	e.seedSWR(t, "team/tools/lint", "v1.3", "-seed", "3")
	e.seedSWR(t, "other/app", "v1.0", "-seed", "4")
	dst := swrtest.StartRegistry(t)
	p := &repctlmodel.Policy{SrcRegistry: e.swrEndpoint(),
		DestRegistry: &model.Registry{ID: 3, Type: model.RegistryTypeDockerRegistry, URL: dst, Insecure: true},
		Override:     true, Filters: []*model.Filter{nameFilter("team/**"), tagFilter("v1*")}}
	o := replicate(t, p)
	o.mustSucceed(t)
	var got []string
	for _, r := range o.dst {
		for _, a := range r.Metadata.Artifacts {
			got = append(got, fmt.Sprintf("%s:%s", r.Metadata.Repository.Name, strings.Join(a.Tags, ",")))
		}
	}
	sort.Strings(got)
	if want := []string{"team/app:v1.0", "team/tools/lint:v1.3"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("replicated %v, want %v", got, want)
	}
	swrtest.VerifyImage(t, e.backend+"/team/app:v1.0", dst+"/team/app:v1.0")
	swrtest.VerifyImage(t, e.backend+"/team/tools/lint:v1.3", dst+"/team/tools/lint:v1.3")

	// The filters mean the same on Harbor's native adapter: the copy, as a
	// source, yields the same selection.
	swrtest.PushImage(t, dst, "team/app", "v2.0", "-seed", "2")
	native, err := nativeAdapter(t, dst).FetchArtifacts([]*model.Filter{nameFilter("team/**"), tagFilter("v1*")})
	if err != nil {
		t.Fatal(err)
	}
	var fromNative []string
	for _, r := range native {
		for _, a := range r.Metadata.Artifacts {
			fromNative = append(fromNative, fmt.Sprintf("%s:%s", r.Metadata.Repository.Name, strings.Join(a.Tags, ",")))
		}
	}
	sort.Strings(fromNative)
	if !reflect.DeepEqual(fromNative, got) {
		t.Fatalf("the native adapter selects %v, ours %v", fromNative, got)
	}
}

// Faults from SWR during a replication: 503s and a reset upload are
// survived (the library's retries, then Harbor's); an expired registry
// token is renewed; a download that keeps arriving corrupted fails the task
// with a clear log and leaves no tag at the destination.
func TestFaultsDuringAReplication(t *testing.T) {
	e := newEnv(t, "-token-ttl", "60s")
	swrtest.PushImage(t, e.plain, "src/app", "v1", "-size", "3000000")
	push := &repctlmodel.Policy{SrcRegistry: e.native(), DestRegistry: e.swrEndpoint(), DestNamespace: "faults",
		DestNamespaceReplaceCount: -1, Override: true, Filters: []*model.Filter{nameFilter("src/app")}}

	e.emu.Control(t, "POST", "/_emulator/fault", `{"path_prefix":"/v2/faults/app/blobs/uploads/","status":503,"count":3}`)
	e.emu.Control(t, "POST", "/_emulator/registry-fault",
		`{"kind":"reset_upload","path_prefix":"/v2/faults/app/blobs/uploads/","method":"PUT","after_bytes":500000,"count":1}`)
	replicate(t, push).mustSucceed(t)
	swrtest.VerifyImage(t, e.plain+"/src/app:v1", e.backend+"/faults/app:v1")
	if fired, pending := e.emu.RegistryFaults(t); fired != 1 || pending != 0 {
		t.Fatalf("the reset upload: fired %d, pending %d", fired, pending)
	}
	if n := e.emu.Requests(t)["POST /v2/faults/app/blobs/uploads/"]; n < 3 {
		t.Fatalf("%d upload starts: the 503s were not met", n)
	}

	// The tokens the adapter holds expire (the emulator's clock jumps past
	// their 60 s); the next replication renews them.
	e.emu.Control(t, "POST", "/_emulator/clock?offset_seconds=120", "")
	swrtest.PushImage(t, e.plain, "src/app", "v2", "-seed", "5")
	replicate(t, push).mustSucceed(t)
	swrtest.VerifyImage(t, e.plain+"/src/app:v2", e.backend+"/faults/app:v2")

	// Pull mode with every download of the image's blobs corrupted.
	e.emu.Control(t, "POST", "/_emulator/reset", "")
	e.seedSWR(t, "faults/bad", "v1", "-seed", "6")
	dst := swrtest.StartRegistry(t)
	before, _ := e.emu.RegistryFaults(t)
	e.emu.Control(t, "POST", "/_emulator/registry-fault",
		`{"kind":"corrupt_download","path_prefix":"/v2/faults/bad/blobs/","method":"GET","after_bytes":1000,"count":100}`)
	pull := &repctlmodel.Policy{SrcRegistry: e.swrEndpoint(),
		DestRegistry: &model.Registry{ID: 3, Type: model.RegistryTypeDockerRegistry, URL: dst, Insecure: true},
		Override:     true, Filters: []*model.Filter{nameFilter("faults/bad")}}
	o := replicate(t, pull)
	if o.ok() {
		t.Fatal("a corrupted download replicated")
	}
	if fired, _ := e.emu.RegistryFaults(t); fired-before < 2 {
		t.Fatalf("the corruption fired %d times", fired-before)
	}
	// Whole blobs are checked against their digest as they are read; chunks
	// (Harbor ≥ 2.9 copying by chunk) only at the destination's commit,
	// whose error the destination's adapter words.
	if !copyByChunk && !o.log.contains("digest") {
		o.log.Fatalf(t, "the task log does not say the digest did not match")
	}
	if exists, _, err := nativeAdapter(t, dst).ManifestExist("faults/bad", "v1"); err != nil || exists {
		t.Fatalf("a partial image reached the destination: %v %v", exists, err)
	}
}

func ourAdapter(t *testing.T, r *model.Registry) adp.ArtifactRegistry {
	t.Helper()
	f, err := adp.GetFactory(otcswr.AdapterType)
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.Create(r)
	if err != nil {
		t.Fatal(err)
	}
	return a.(adp.ArtifactRegistry)
}

func nativeAdapter(t *testing.T, url string) adp.ArtifactRegistry {
	t.Helper()
	f, err := adp.GetFactory(model.RegistryTypeDockerRegistry)
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.Create(&model.Registry{Type: model.RegistryTypeDockerRegistry, URL: url, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	return a.(adp.ArtifactRegistry)
}

// SWR allows about 20 requests per second per tenant and answers 503
// beyond. Ten tasks at once (jobservice's workers) against an emulator with
// that limit: every connection of the process shares one limiter for the
// tenant, slows down with the others on a 503, and lets checks and pushes
// wait, so every task succeeds on its first pass.
func TestTenTasksAtOnceWithinSwrsRateLimit(t *testing.T) {
	e := newEnv(t, "-rate-limit", "20")
	for i := 0; i < 10; i++ {
		swrtest.PushImage(t, e.plain, fmt.Sprintf("library/app%d", i), "v1", "-layers", "3", "-size", "40000",
			"-first-layer-seed", "7", "-seed", fmt.Sprint(100+i))
	}
	p := &repctlmodel.Policy{SrcRegistry: e.native(), DestRegistry: e.swrEndpoint(), DestNamespace: "limited",
		DestNamespaceReplaceCount: -1, Override: true, Filters: []*model.Filter{nameFilter("library/**")}}
	e.emu.ResetRequests(t)
	started := time.Now()
	o := replicateWith(t, p, 10)
	elapsed := time.Since(started)
	o.mustSucceed(t)
	if len(o.taskErr) != 10 {
		t.Fatalf("%d tasks, want 10", len(o.taskErr))
	}
	total := 0
	for _, n := range e.emu.Requests(t) {
		total += n
	}
	limited := e.emu.RateLimited(t)
	// Not a timed assertion: the numbers, for the reader and the note.
	t.Logf("10 tasks: %d requests in %.1f s (%.1f s at 20/s), %d answered 503 by the rate limit",
		total, elapsed.Seconds(), float64(total)/20, limited)
	for i := 0; i < 10; i++ {
		swrtest.VerifyImage(t, fmt.Sprintf("%s/library/app%d:v1", e.plain, i), fmt.Sprintf("%s/limited/app%d:v1", e.backend, i))
	}
}

// Ten tasks at once, ten images sharing a base layer: the layer is
// uploaded once by the first task that asked for it, and the other nine
// wait for that upload and mount it (jobservice runs the tasks of a
// replication at once, and each checks before any has uploaded).
func TestTenTasksAtOnceUploadASharedLayerOnce(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 10; i++ {
		swrtest.PushImage(t, e.plain, fmt.Sprintf("library/svc%d", i), "v1", "-layers", "2", "-size", "300000",
			"-first-layer-seed", "9", "-seed", fmt.Sprint(200+i))
	}
	p := &repctlmodel.Policy{SrcRegistry: e.native(), DestRegistry: e.swrEndpoint(), DestNamespace: "shared",
		DestNamespaceReplaceCount: -1, Override: true, Filters: []*model.Filter{nameFilter("library/**")}}
	o := replicateWith(t, p, 10)
	o.mustSucceed(t)
	// The shared layer is the blob every task logs; find it and count.
	log := o.log.String()
	counts := map[string]int{}
	for _, line := range strings.Split(log, "\n") {
		if i := strings.Index(line, "the blob sha256:"); i >= 0 && strings.Contains(line, "mounted from the repository") {
			counts[strings.Fields(line[i+len("the blob "):])[0]]++
		}
	}
	base := ""
	for d, n := range counts {
		if n > counts[base] {
			base = d
		}
	}
	if counts[base] != 9 {
		t.Fatalf("the shared layer was mounted %d times, want 9 (one upload, nine mounts); mounts: %v\n%s",
			counts[base], counts, log)
	}
	for i := 0; i < 10; i++ {
		swrtest.VerifyImage(t, fmt.Sprintf("%s/library/svc%d:v1", e.plain, i), fmt.Sprintf("%s/shared/svc%d:v1", e.backend, i))
	}
}

// The adapter remembers for 10 minutes that an organization exists. When
// it is deleted outside Harbor meanwhile, SWR refuses tokens for it ("Image
// organization does not exist", HTTP 401): the adapter confirms with the
// management API, creates it again once, and the tasks go on.
func TestAnOrganizationDeletedOutsideHarborIsCreatedAgain(t *testing.T) {
	e := newEnv(t)
	swrtest.PushImage(t, e.plain, "library/app", "1.0")
	p := &repctlmodel.Policy{SrcRegistry: e.native(), DestRegistry: e.swrEndpoint(), DestNamespace: "vanishing",
		DestNamespaceReplaceCount: -1, Override: true, Filters: []*model.Filter{nameFilter("library/**")}}
	replicate(t, p).mustSucceed(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.client.DeleteRepository(ctx, "vanishing", "app"); err != nil {
		t.Fatal(err)
	}
	if err := e.client.DeleteOrganization(ctx, "vanishing"); err != nil {
		t.Fatal(err)
	}
	swrtest.PushImage(t, e.plain, "library/app", "1.1", "-seed", "5")
	o := replicate(t, p)
	o.mustSucceed(t)
	if _, err := e.client.GetOrganization(ctx, "vanishing"); err != nil {
		t.Fatalf("the organization was not created again: %v", err)
	}
	swrtest.VerifyImage(t, e.plain+"/library/app:1.1", e.backend+"/vanishing/app:1.1")
}
