// Package harness drives Harbor's own replication code (the version this
// module requires: v2.4.0 in CI) with the Open Telekom Cloud SWR adapter
// and Harbor's native docker-registry adapter, against real peers on
// 127.0.0.1: Debian's docker-registry and the SWR emulator in front of one.
//
// Harbor's replication runs in two processes: core plans (the flow stages
// in controller/replication/flow: build the adapters, fetch the source's
// resources, name the destinations, PrepareForPush) and jobservice copies
// (one transfer per resource). The flow's stages are unexported and its
// driver needs Harbor's database for executions and tasks, so replicate()
// calls the stages themselves through go:linkname, in the order
// copyFlow.Run calls them, then hands each resource, as JSON like the task
// parameters, to the image transfer from Harbor's transfer registry. No
// Harbor code is copied; no database or redis is needed.
package harness

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	_ "unsafe" // go:linkname

	repctlmodel "github.com/goharbor/harbor/src/controller/replication/model"
	adp "github.com/goharbor/harbor/src/pkg/reg/adapter"
	"github.com/goharbor/harbor/src/pkg/reg/model"

	_ "github.com/goharbor/harbor/src/controller/replication/flow" // the stages linked below
	_ "github.com/goharbor/harbor/src/pkg/reg/adapter/native"      // the reference adapter

	// Our adapter, registered the way a Harbor build registers it.
	_ "github.com/opentelekomcloud/swr-adapter/harbor-integration/registration/src/jobservice/job/impl/replication"
	_ "github.com/opentelekomcloud/swr-adapter/harbor-integration/registration/src/pkg/reg"

	"github.com/opentelekomcloud/swr-adapter/harbor-integration/internal/harbortransfer"
	"github.com/opentelekomcloud/swr-adapter/harbor-integration/otcswr"
	swr "github.com/opentelekomcloud/swr-adapter/sdk-shim"
	"github.com/opentelekomcloud/swr-adapter/sdk-shim/swrtest"
)

// Harbor's replication flow stages (controller/replication/flow/stage.go),
// the same signatures in v2.4.0, v2.15.2 and main.

//go:linkname harborInitialize github.com/goharbor/harbor/src/controller/replication/flow.initialize
func harborInitialize(policy *repctlmodel.Policy) (adp.Adapter, adp.Adapter, error)

//go:linkname harborFetchResources github.com/goharbor/harbor/src/controller/replication/flow.fetchResources
func harborFetchResources(adapter adp.Adapter, policy *repctlmodel.Policy) ([]*model.Resource, error)

//go:linkname harborAssembleSourceResources github.com/goharbor/harbor/src/controller/replication/flow.assembleSourceResources
func harborAssembleSourceResources(resources []*model.Resource, policy *repctlmodel.Policy) []*model.Resource

//go:linkname harborAssembleDestinationResources github.com/goharbor/harbor/src/controller/replication/flow.assembleDestinationResources
func harborAssembleDestinationResources(resources []*model.Resource, policy *repctlmodel.Policy,
	dstRepoComponentPathType string) ([]*model.Resource, error)

//go:linkname harborPrepareForPush github.com/goharbor/harbor/src/controller/replication/flow.prepareForPush
func harborPrepareForPush(adapter adp.Adapter, resources []*model.Resource) error

// capturedStdout receives everything Harbor's logger (and ours through it)
// writes; TestMain checks it for secrets and then shows it.
var capturedStdout *os.File

func TestMain(m *testing.M) {
	f, err := os.CreateTemp("", "harness-stdout-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	realStdout, _ := syscall.Dup(1)
	if err := syscall.Dup2(int(f.Fd()), 1); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	capturedStdout = f
	code := m.Run()
	_ = syscall.Dup2(realStdout, 1)
	out, _ := os.ReadFile(f.Name())
	_ = os.Remove(f.Name())
	os.Stdout.Write(out)
	if leak := findSecret(string(out)); leak != "" {
		fmt.Fprintf(os.Stderr, "FAIL: the process output holds %s\n", leak)
		code = 1
	}
	os.Exit(code)
}

// The secrets no output may hold.
func findSecret(s string) string {
	key, _ := swr.LoginKey(swrtest.AK, swrtest.SK)
	switch {
	case strings.Contains(s, swrtest.SK):
		return "the SK"
	case key != "" && strings.Contains(s, key):
		return "the login key"
	}
	// Authorization headers appear in debug logs only redacted.
	lower := strings.ToLower(s)
	for i := strings.Index(lower, "authorization:"); i >= 0; {
		rest := strings.TrimLeft(s[i+len("authorization:"):], " ")
		if !strings.HasPrefix(rest, "[REDACTED]") {
			return "an Authorization header"
		}
		next := strings.Index(lower[i+1:], "authorization:")
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return ""
}

// env is one test's peers: a plain docker-registry (Harbor's native
// adapter's side), and the SWR emulator in front of its own docker-registry.
type env struct {
	plain   string
	backend string
	emu     swrtest.Emulator
	client  *swr.Client
}

// newEnv starts the peers; emuFlags go to the emulator. The emulator serves
// the management API on the registry's origin: the adapter derives the
// management host from the endpoint URL, which for 127.0.0.1 is itself.
func newEnv(t *testing.T, emuFlags ...string) *env {
	t.Helper()
	e := &env{plain: swrtest.StartRegistry(t), backend: swrtest.StartRegistry(t)}
	e.emu = swrtest.StartEmulatorOneOrigin(t, e.backend, emuFlags...)
	c, err := swr.NewClient(swr.ClientOptions{RegistryURL: e.emu.Registry, AccessID: swrtest.Project + "@" + swrtest.AK,
		AccessSecret: swrtest.SK})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	e.client = c
	return e
}

func (e *env) native() *model.Registry {
	return &model.Registry{ID: 1, Name: "local", Type: model.RegistryTypeDockerRegistry, URL: e.plain, Insecure: true}
}

// swrEndpoint is the endpoint a Harbor operator creates: the region's URL,
// "<project>@<AK>" and the SK.
func (e *env) swrEndpoint() *model.Registry {
	return e.swrEndpointWith(swrtest.SK)
}

func (e *env) swrEndpointWith(secret string) *model.Registry {
	return &model.Registry{ID: 2, Name: "otc", Type: otcswr.AdapterType, URL: e.emu.Registry,
		Credential: &model.Credential{Type: model.CredentialTypeBasic, AccessKey: swrtest.Project + "@" + swrtest.AK,
			AccessSecret: secret}}
}

// seedSWR puts an image into SWR the way a user would have: built in a
// plain registry by imagegen, copied in by the library. Returns its digest.
func (e *env) seedSWR(t *testing.T, repo, tag string, imagegen ...string) string {
	t.Helper()
	scratch := "seed/" + strings.ReplaceAll(repo, "/", "-")
	swrtest.PushImage(t, e.plain, scratch, tag, imagegen...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	org, _, _ := strings.Cut(repo, "/")
	if err := e.client.EnsureOrganization(ctx, org); err != nil {
		t.Fatal(err)
	}
	src, err := swr.NewRegistry(swr.RegistryOptions{URL: e.plain})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	res, err := src.Copy(ctx, scratch, tag, e.client.Registry(), repo, tag, swr.CopyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Digest
}

// taskLog is the transfer's logger: what Harbor shows as the task's log.
type taskLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *taskLog) add(level string, s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.b, "%s %s\n", level, s)
}
func (l *taskLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
func (l *taskLog) Debug(v ...interface{})              { l.add("DEBUG", fmt.Sprint(v...)) }
func (l *taskLog) Debugf(f string, v ...interface{})   { l.add("DEBUG", fmt.Sprintf(f, v...)) }
func (l *taskLog) Info(v ...interface{})               { l.add("INFO", fmt.Sprint(v...)) }
func (l *taskLog) Infof(f string, v ...interface{})    { l.add("INFO", fmt.Sprintf(f, v...)) }
func (l *taskLog) Warning(v ...interface{})            { l.add("WARNING", fmt.Sprint(v...)) }
func (l *taskLog) Warningf(f string, v ...interface{}) { l.add("WARNING", fmt.Sprintf(f, v...)) }
func (l *taskLog) Error(v ...interface{})              { l.add("ERROR", fmt.Sprint(v...)) }
func (l *taskLog) Errorf(f string, v ...interface{})   { l.add("ERROR", fmt.Sprintf(f, v...)) }
func (l *taskLog) contains(s string) bool              { return strings.Contains(l.String(), s) }
func (l *taskLog) Fatalf(t *testing.T, f string, v ...interface{}) {
	t.Helper()
	t.Fatalf("%s\ntask log:\n%s", fmt.Sprintf(f, v...), l.String())
}

// outcome of one replication: the flow's error (planning), the
// destination resources and each task's error.
type outcome struct {
	flowErr error
	dst     []*model.Resource
	taskErr []error
	log     *taskLog
}

func (o outcome) ok() bool {
	if o.flowErr != nil {
		return false
	}
	for _, err := range o.taskErr {
		if err != nil {
			return false
		}
	}
	return true
}

func (o outcome) mustSucceed(t *testing.T) {
	t.Helper()
	if o.flowErr != nil {
		o.log.Fatalf(t, "the flow failed: %v", o.flowErr)
	}
	for i, err := range o.taskErr {
		if err != nil {
			o.log.Fatalf(t, "task %d (%s) failed: %v", i, o.dst[i].Metadata.Repository.Name, err)
		}
	}
}

func (o outcome) names() []string {
	var n []string
	for _, r := range o.dst {
		n = append(n, r.Metadata.Repository.Name)
	}
	return n
}

// copyByChunk: HARNESS_COPY_BY_CHUNK=1 replicates by chunk (Harbor ≥ 2.9;
// chunk size from REPLICATION_CHUNK_SIZE). For runs against such a Harbor
// by hand; v2.4.0 has no copy by chunk and says so.
var copyByChunk = os.Getenv("HARNESS_COPY_BY_CHUNK") == "1"

// replicate runs one replication of policy: the core's flow stages, then
// one transfer per resource as the jobservice runs it.
func replicate(t *testing.T, p *repctlmodel.Policy) outcome { return replicateWith(t, p, 1) }

// replicateWith runs the tasks `workers` at a time, as jobservice's worker
// pool does.
func replicateWith(t *testing.T, p *repctlmodel.Policy, workers int) outcome {
	t.Helper()
	out := outcome{log: &taskLog{}}
	src, dst, err := harborInitialize(p)
	if err != nil {
		out.flowErr = err
		return out
	}
	resources, err := harborFetchResources(src, p)
	if err != nil {
		out.flowErr = err
		return out
	}
	resources = harborAssembleSourceResources(resources, p)
	info, err := dst.Info()
	if err != nil {
		out.flowErr = err
		return out
	}
	dstResources, err := harborAssembleDestinationResources(resources, p, info.SupportedRepositoryPathComponentType)
	if err != nil {
		out.flowErr = err
		return out
	}
	if err := harborPrepareForPush(dst, dstResources); err != nil {
		out.flowErr = err
		return out
	}
	out.dst = dstResources
	out.taskErr = make([]error, len(resources))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				s, d := roundTrip(t, resources[i]), roundTrip(t, dstResources[i])
				out.taskErr[i] = harbortransfer.Run(out.log, s, d, harbortransfer.Options{Speed: p.Speed, ByChunk: copyByChunk})
			}
		}()
	}
	for i := range resources {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range out.taskErr {
		if err != nil && strings.Contains(err.Error(), "no copy by chunk") {
			t.Fatalf("HARNESS_COPY_BY_CHUNK=1: %v", err)
		}
	}
	return out
}

// roundTrip passes a resource through JSON, as the task's parameters do.
func roundTrip(t *testing.T, r *model.Resource) *model.Resource {
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var out model.Resource
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func nameFilter(pattern string) *model.Filter {
	return &model.Filter{Type: model.FilterTypeName, Value: pattern}
}

func tagFilter(pattern string) *model.Filter {
	return &model.Filter{Type: model.FilterTypeTag, Value: pattern}
}

func sha256Of(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// randomBlob is size deterministic bytes.
func randomBlob(seed byte, size int) []byte {
	b := make([]byte, size)
	x := uint32(seed) + 1
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return b
}

// failingReader yields n bytes of r, then fails.
type failingReader struct {
	r io.Reader
	n int64
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, fmt.Errorf("the source connection broke")
	}
	if int64(len(p)) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= int64(n)
	return n, err
}

func readAll(t *testing.T, rc io.ReadCloser) []byte {
	t.Helper()
	defer rc.Close()
	var b bytes.Buffer
	if _, err := io.Copy(&b, rc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
