package harness

import (
	"bytes"
	"io"
	"testing"

	"github.com/docker/distribution/manifest/schema2"
	liberrors "github.com/goharbor/harbor/src/lib/errors"
	adp "github.com/goharbor/harbor/src/pkg/reg/adapter"

	"github.com/opentelekomcloud/swr-adapter/sdk-shim/swrtest"
)

// subject is one ArtifactRegistry under the conformance suite, holding
// repo:tag (digest), with an empty repository beside it; plain is the
// docker-registry where its blobs can be checked by imagegen.
type subject struct {
	reg       adp.ArtifactRegistry
	repo, tag string
	digest    string
	empty     string
	plain     string // base URL of the registry holding repo (and empty)
	source    string // base URL/repo:tag of the image's original
}

// The behaviours Harbor's transfer relies on, checked on Harbor's native
// adapter (the reference) and on ours.
func TestConformance(t *testing.T) {
	t.Run("native", func(t *testing.T) {
		plain := swrtest.StartRegistry(t)
		d := swrtest.PushImage(t, plain, "conf/app", "v1", "-size", "2500000")
		conformance(t, subject{reg: nativeAdapter(t, plain), repo: "conf/app", tag: "v1", digest: d,
			empty: "conf/copy", plain: plain, source: plain + "/conf/app:v1"})
	})
	t.Run("otcswr", func(t *testing.T) {
		e := newEnv(t)
		d := e.seedSWR(t, "conf/app", "v1", "-size", "2500000")
		conformance(t, subject{reg: ourAdapter(t, e.swrEndpoint()), repo: "conf/app", tag: "v1", digest: d,
			empty: "conf/copy", plain: e.backend, source: e.backend + "/conf/app:v1"})
	})
}

// chunked is the part of the interface Harbor ≥ 2.9 adds (its native
// adapter in v2.4.0 does not have it).
type chunked interface {
	PullBlobChunk(repository, digest string, blobSize, start, end int64) (int64, io.ReadCloser, error)
	PushBlobChunk(repository, digest string, size int64, chunk io.Reader, start, end int64,
		location string) (string, int64, error)
}

type tagLister interface {
	ListTags(repository string) ([]string, error)
}

func conformance(t *testing.T, s subject) {
	r := s.reg
	exists, desc, err := r.ManifestExist(s.repo, s.tag)
	if err != nil || !exists || desc == nil || string(desc.Digest) != s.digest ||
		desc.MediaType != schema2.MediaTypeManifest {
		t.Fatalf("ManifestExist(tag): %v %+v %v", exists, desc, err)
	}
	if exists, desc, err := r.ManifestExist(s.repo, "no-such-tag"); err != nil || exists || desc != nil {
		t.Fatalf("ManifestExist(missing tag): %v %v %v", exists, desc, err)
	}
	if exists, _, err := r.ManifestExist(s.empty, s.tag); err != nil || exists {
		t.Fatalf("ManifestExist(missing repository): %v %v", exists, err)
	}

	manifest, digest, err := r.PullManifest(s.repo, s.tag)
	if err != nil || digest != s.digest {
		t.Fatalf("PullManifest: %s %v", digest, err)
	}
	if _, _, err := r.PullManifest(s.repo, s.tag, schema2.MediaTypeManifest); err != nil {
		t.Fatalf("PullManifest(schema2 accepted): %v", err)
	}
	if _, _, err := r.PullManifest(s.repo, "no-such-tag"); !liberrors.IsErr(err, liberrors.NotFoundCode) {
		t.Fatalf("PullManifest(missing): %v, want NOT_FOUND", err)
	}
	refs := manifest.References()
	if len(refs) < 2 {
		t.Fatalf("%d references", len(refs))
	}

	// Every blob: present in repo, absent in empty, pulled intact, pushed.
	for _, ref := range refs {
		d := string(ref.Digest)
		if ok, err := r.BlobExist(s.repo, d); err != nil || !ok {
			t.Fatalf("BlobExist(%s): %v %v", d, ok, err)
		}
		if ok, err := r.BlobExist(s.empty, d); err != nil || ok {
			t.Fatalf("BlobExist(%s in the empty repository): %v %v", d, ok, err)
		}
		size, rc, err := r.PullBlob(s.repo, d)
		if err != nil {
			t.Fatalf("PullBlob(%s): %v", d, err)
		}
		data := readAll(t, rc)
		if (size != 0 && size != ref.Size) || int64(len(data)) != ref.Size || sha256Of(data) != d {
			t.Fatalf("PullBlob(%s): size %d, %d bytes", d, size, len(data))
		}
		if err := r.PushBlob(s.empty, d, ref.Size, bytes.NewReader(data)); err != nil {
			t.Fatalf("PushBlob(%s): %v", d, err)
		}
		if ok, err := r.BlobExist(s.empty, d); err != nil || !ok {
			t.Fatalf("BlobExist after PushBlob(%s): %v %v", d, ok, err)
		}
	}
	mediaType, payload, err := manifest.Payload()
	if err != nil {
		t.Fatal(err)
	}
	if pushed, err := r.PushManifest(s.empty, s.tag, mediaType, payload); err != nil || pushed != s.digest {
		t.Fatalf("PushManifest: %s %v", pushed, err)
	}
	swrtest.VerifyImage(t, s.source, s.plain+"/"+s.empty+":"+s.tag)
	if l, ok := r.(tagLister); ok {
		tags, err := l.ListTags(s.empty)
		if err != nil || len(tags) != 1 || tags[0] != s.tag {
			t.Fatalf("ListTags: %v %v", tags, err)
		}
	}

	// A blob whose bytes do not match its digest, and a source that breaks
	// mid-blob: errors, and nothing stored.
	bad := randomBlob(7, 300000)
	wrong := sha256Of(randomBlob(8, 300000))
	if err := r.PushBlob(s.empty, wrong, int64(len(bad)), bytes.NewReader(bad)); err == nil {
		t.Fatal("PushBlob stored bytes under another digest")
	}
	if ok, _ := r.BlobExist(s.empty, wrong); ok {
		t.Fatal("the mismatched blob exists")
	}
	broken := randomBlob(9, 400000)
	if err := r.PushBlob(s.empty, sha256Of(broken), int64(len(broken)),
		&failingReader{r: bytes.NewReader(broken), n: 100000}); err == nil {
		t.Fatal("PushBlob succeeded with a broken source")
	}
	if ok, _ := r.BlobExist(s.empty, sha256Of(broken)); ok {
		t.Fatal("the broken blob exists")
	}

	if c, ok := r.(chunked); ok {
		chunkConformance(t, c, r, s.empty)
	} else {
		t.Logf("this Harbor's %T has no chunk methods (Harbor < 2.9)", r)
	}

	if err := r.DeleteManifest(s.empty, s.tag); err != nil {
		t.Fatalf("DeleteManifest(tag): %v", err)
	}
	if exists, _, err := r.ManifestExist(s.empty, s.tag); err != nil || exists {
		t.Fatalf("after DeleteManifest: %v %v", exists, err)
	}
}

// chunkConformance drives PushBlobChunk and PullBlobChunk the way Harbor's
// copyBlobByChunk does (v2.9+, transfer/image): inclusive ranges, start 0
// opens the upload, the last chunk ends at size-1.
func chunkConformance(t *testing.T, c chunked, r adp.ArtifactRegistry, repo string) {
	blob := randomBlob(11, 3*testChunk+testChunk/2)
	d, size := sha256Of(blob), int64(len(blob))
	if n := harborChunkLoop(t, c, r, repo, blob, -1); n != 0 {
		t.Fatalf("%d retries without a fault", n)
	}
	if ok, err := r.BlobExist(repo, d); err != nil || !ok {
		t.Fatalf("BlobExist after the chunks: %v %v", ok, err)
	}
	for _, rg := range [][2]int64{{0, testChunk - 1}, {testChunk, 2*testChunk - 1}, {3 * testChunk, size - 1}, {5, 5}} {
		n, rc, err := c.PullBlobChunk(repo, d, size, rg[0], rg[1])
		if err != nil {
			t.Fatalf("PullBlobChunk %v: %v", rg, err)
		}
		got := readAll(t, rc)
		if n != rg[1]-rg[0]+1 || !bytes.Equal(got, blob[rg[0]:rg[1]+1]) {
			t.Fatalf("PullBlobChunk %v: size %d, %d bytes, equal %v", rg, n, len(got), bytes.Equal(got, blob[rg[0]:rg[1]+1]))
		}
	}
	checkStored(t, r, repo, blob)
}

const testChunk = 1 << 20

// harborChunkLoop uploads blob to repo by chunks of testChunk the way
// Harbor's copyBlobByChunk and its retry do: each attempt first checks
// whether the blob arrived, then sends chunks from end+1 until one ends at
// size-1; a failure keeps the returned location and end offset for the
// next attempt (at most 5, Harbor's default). breakAt >= 0 breaks the
// source once at that offset. Returns the retries needed.
func harborChunkLoop(t *testing.T, c chunked, r adp.ArtifactRegistry, repo string, blob []byte, breakAt int64) int {
	t.Helper()
	d, size := sha256Of(blob), int64(len(blob))
	location, start, end := "", int64(-1), int64(-1)
	for attempt := 0; attempt < 5; attempt++ {
		if attempt > 0 {
			if ok, err := r.BlobExist(repo, d); err != nil || ok {
				return attempt
			}
		}
		failed := false
		for {
			start = end + 1
			end = min(start+testChunk-1, size-1)
			var src io.Reader = bytes.NewReader(blob[start : end+1])
			if breakAt >= start && breakAt <= end {
				src = &failingReader{r: src, n: breakAt - start}
				breakAt = -1
			}
			var failEnd int64
			var err error
			location, failEnd, err = c.PushBlobChunk(repo, d, size, src, start, end, location)
			if err != nil {
				if failEnd < -1 || failEnd > end {
					t.Fatalf("PushBlobChunk %d-%d failed and says it holds up to %d", start, end, failEnd)
				}
				t.Logf("attempt %d: chunk %d-%d failed (%v); the registry holds up to %d", attempt, start, end,
					err, failEnd)
				end = failEnd
				failed = true
				break
			}
			if end == size-1 {
				break
			}
		}
		if !failed {
			return attempt
		}
	}
	t.Fatal("the chunked upload did not finish in 5 attempts")
	return 0
}

func checkStored(t *testing.T, r adp.ArtifactRegistry, repo string, blob []byte) {
	t.Helper()
	_, rc, err := r.PullBlob(repo, sha256Of(blob))
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, rc); !bytes.Equal(got, blob) {
		t.Fatal("the registry stored other bytes")
	}
}
