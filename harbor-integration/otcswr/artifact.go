package otcswr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/docker/distribution"
	_ "github.com/docker/distribution/manifest/manifestlist" // registers manifest lists and OCI indexes
	_ "github.com/docker/distribution/manifest/ocischema"    // registers OCI manifests
	_ "github.com/docker/distribution/manifest/schema1"      // registers schema 1
	_ "github.com/docker/distribution/manifest/schema2"      // registers schema 2
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	liberrors "github.com/goharbor/harbor/src/lib/errors"
	"github.com/goharbor/harbor/src/lib/log"
	"github.com/goharbor/harbor/src/pkg/reg/filter"
	"github.com/goharbor/harbor/src/pkg/reg/model"
	"github.com/goharbor/harbor/src/pkg/reg/util"

	swr "github.com/opentelekomcloud/swr-adapter/sdk-shim"
)

const (
	// callTimeout bounds one metadata call, the library's retries included.
	callTimeout = 10 * time.Minute
	// listTimeout bounds a whole FetchArtifacts.
	listTimeout = time.Hour
	// listConcurrency: repositories whose tags are listed at once (SWR
	// throttles each account; the library waits and retries when it does).
	listConcurrency = 8
)

// Harbor's adapter methods take no context: each call gets its own.
func callContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), callTimeout)
}

// splitRepository cuts "<organization>/<repository path>".
func splitRepository(name string) (org, repo string, err error) {
	org, repo, ok := strings.Cut(name, "/")
	if !ok || org == "" || repo == "" {
		return "", "", liberrors.Errorf("%s: %q is not '<organization>/<repository>'", DisplayName, name).
			WithCode(liberrors.BadRequestCode)
	}
	return org, repo, nil
}

// FetchArtifacts lists the account's repositories and their tags through
// SWR's management API (the registry's tag list with a login key, which
// cannot list tags there) and filters them with Harbor's own code, as its
// native adapter does: one artifact per tag.
func (a *adapter) FetchArtifacts(filters []*model.Filter) ([]*model.Resource, error) {
	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	repos, err := a.listRepositories(ctx, filters)
	if err != nil {
		return nil, err
	}
	resources := make([]*model.Resource, len(repos))
	var (
		errMu    sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		errMu.Lock()
		defer errMu.Unlock()
		if firstErr == nil {
			firstErr = err
			cancel() // the others stop early
		}
	}
	sem := make(chan struct{}, listConcurrency)
	var wg sync.WaitGroup
	for i, repo := range repos {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, name string) {
			defer wg.Done()
			defer func() { <-sem }()
			tags, err := a.listTags(ctx, name)
			if errors.Is(err, swr.ErrNotFound) {
				return // a name from the filter that does not exist
			}
			if err != nil {
				fail(fmt.Errorf("list the tags of %s: %w", name, err))
				return
			}
			artifacts := make([]*model.Artifact, 0, len(tags))
			for _, t := range tags {
				artifacts = append(artifacts, &model.Artifact{Tags: []string{t}})
			}
			artifacts, err = filter.DoFilterArtifacts(artifacts, filters)
			if err != nil {
				fail(err)
				return
			}
			if len(artifacts) == 0 {
				return
			}
			resources[i] = &model.Resource{
				Type:     model.ResourceTypeImage,
				Registry: a.registry,
				Metadata: &model.ResourceMetadata{Repository: &model.Repository{Name: name}, Artifacts: artifacts},
			}
		}(i, repo.Name)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, harborError(firstErr)
	}
	var out []*model.Resource
	for _, r := range resources {
		if r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

// listRepositories: the names the name filter spells out, when it does
// (Harbor's util.IsSpecificPath, as the native adapter), else the
// account's repositories (only the organization's when the pattern's
// first component is literal), through DoFilterRepositories.
func (a *adapter) listRepositories(ctx context.Context, filters []*model.Filter) ([]*model.Repository, error) {
	pattern := ""
	for _, f := range filters {
		if f != nil && f.Type == model.FilterTypeName {
			pattern, _ = f.Value.(string)
			break
		}
	}
	var names []string
	if paths, ok := util.IsSpecificPath(pattern); ok {
		names = paths
	} else {
		org := ""
		if first, _, ok := strings.Cut(pattern, "/"); ok && !strings.ContainsAny(first, `*?[]{}\`) {
			org = first
		}
		repos, err := a.conn.client.ListRepositories(ctx, org)
		if err != nil && !(org != "" && errors.Is(err, swr.ErrNotFound)) {
			return nil, harborError(err)
		}
		for _, r := range repos {
			names = append(names, r.Organization+"/"+r.Name)
		}
	}
	repos := make([]*model.Repository, 0, len(names))
	for _, n := range names {
		repos = append(repos, &model.Repository{Name: n})
	}
	return filter.DoFilterRepositories(repos, filters)
}

// listTags: SWR's management API with the SK, the registry otherwise.
func (a *adapter) listTags(ctx context.Context, name string) ([]string, error) {
	if a.conn.client.SecretKind() != swr.SecretSK {
		return a.conn.registry.ListTags(ctx, name)
	}
	org, repo, err := splitRepository(name)
	if err != nil {
		return nil, err
	}
	infos, err := a.conn.client.ListRepositoryTags(ctx, org, repo)
	if err != nil {
		return nil, err
	}
	tags := make([]string, 0, len(infos))
	for _, t := range infos {
		tags = append(tags, t.Tag)
	}
	return tags, nil
}

// ListTags returns every tag of a repository (the registry's list).
func (a *adapter) ListTags(repository string) ([]string, error) {
	ctx, cancel := callContext()
	defer cancel()
	tags, err := a.conn.registry.ListTags(ctx, repository)
	return tags, harborError(err)
}

// ManifestExist says whether reference exists and, when it does, its
// digest, type and size: Harbor skips a tag whose digest is unchanged.
func (a *adapter) ManifestExist(repository, reference string) (bool, *distribution.Descriptor, error) {
	ctx, cancel := callContext()
	defer cancel()
	m, err := a.conn.registry.HeadManifest(ctx, repository, reference)
	if err != nil && a.recoverOrganization(ctx, repository, err) {
		m, err = a.conn.registry.HeadManifest(ctx, repository, reference)
	}
	if errors.Is(err, swr.ErrNotFound) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, harborError(err)
	}
	return true, &distribution.Descriptor{Digest: digest.Digest(m.Digest), MediaType: m.MediaType, Size: m.Size}, nil
}

// PullManifest downloads a manifest (checked against its digest) and
// parses it with docker/distribution, as Harbor's registry client does.
func (a *adapter) PullManifest(repository, reference string, accepted ...string) (distribution.Manifest, string, error) {
	ctx, cancel := callContext()
	defer cancel()
	m, err := a.conn.registry.GetManifest(ctx, repository, reference, strings.Join(accepted, ", "))
	if err != nil {
		return nil, "", harborError(err)
	}
	manifest, _, err := distribution.UnmarshalManifest(m.MediaType, m.Data)
	if err != nil {
		return nil, "", liberrors.Errorf("%s: the manifest %s:%s (%s) cannot be parsed: %v", DisplayName, repository,
			reference, m.MediaType, err)
	}
	return manifest, m.Digest, nil
}

// PushManifest uploads a manifest under reference and returns its digest.
func (a *adapter) PushManifest(repository, reference, mediaType string, payload []byte) (string, error) {
	ctx, cancel := callContext()
	defer cancel()
	d, err := a.conn.registry.PutManifest(ctx, repository, reference, mediaType, payload)
	if err != nil && a.recoverOrganization(ctx, repository, err) {
		d, err = a.conn.registry.PutManifest(ctx, repository, reference, mediaType, payload)
	}
	if errors.Is(err, swr.ErrOCIIndexRefused) {
		// Harbor pushed the index's children before it: they and an
		// empty repository would stay behind, while jobservice retries.
		a.cleanUpAfterRefusedIndex(ctx, repository, payload)
		return "", liberrors.Errorf("%s does not accept OCI image indexes (multi-platform images in OCI format) "+
			"and refused %s:%s: %v; replicate single-platform images, or convert the image to a Docker manifest list",
			DisplayName, repository, reference, err).WithCode(liberrors.BadRequestCode)
	}
	return d, harborError(err)
}

// cleanUpAfterRefusedIndex deletes the children of a refused index that no
// tag of the repository points at (Harbor pushed them by digest just
// before), and the repository when nothing is left in it. It needs the
// management API (the SK) to see the tags; without it nothing is deleted.
// Failures are logged: the refusal is the task's error.
func (a *adapter) cleanUpAfterRefusedIndex(ctx context.Context, repository string, index []byte) {
	org, repo, err := splitRepository(repository)
	if err != nil || a.conn.client.SecretKind() != swr.SecretSK {
		return
	}
	var doc struct {
		Manifests []struct {
			Digest string `json:"digest"`
		} `json:"manifests"`
	}
	if json.Unmarshal(index, &doc) != nil {
		return
	}
	tags, err := a.conn.client.ListRepositoryTags(ctx, org, repo)
	if err != nil && !errors.Is(err, swr.ErrNotFound) {
		log.Warningf("%s: could not list the tags of %s to clean up after the refused index: %v", DisplayName,
			repository, err)
		return
	}
	tagged := map[string]bool{}
	for _, t := range tags {
		tagged[t.Digest] = true
	}
	for _, m := range doc.Manifests {
		if m.Digest == "" || tagged[m.Digest] {
			continue
		}
		if derr := a.conn.registry.DeleteManifest(ctx, repository, m.Digest); derr != nil &&
			!errors.Is(derr, swr.ErrNotFound) {
			log.Warningf("%s: could not delete %s@%s after the refused index: %v", DisplayName, repository, m.Digest,
				derr)
		}
	}
	if len(tags) == 0 {
		if derr := a.conn.client.DeleteRepository(ctx, org, repo); derr != nil && !errors.Is(derr, swr.ErrNotFound) {
			log.Warningf("%s: could not delete the empty repository %s after the refused index: %v", DisplayName,
				repository, derr)
		}
	}
}

// DeleteManifest deletes the manifest reference (a tag or a digest) names,
// with every tag on it, as Harbor's native adapter does. Where the
// registry does not delete manifests, and the endpoint has the SK, it
// deletes each tag on that digest through the management API instead.
func (a *adapter) DeleteManifest(repository, reference string) error {
	ctx, cancel := callContext()
	defer cancel()
	m, err := a.conn.registry.HeadManifest(ctx, repository, reference)
	if errors.Is(err, swr.ErrNotFound) {
		return nil // already gone: Harbor skips it
	}
	if err != nil {
		return harborError(err)
	}
	digest := m.Digest
	err = a.conn.registry.DeleteManifest(ctx, repository, digest)
	switch {
	case err == nil:
		// Believe a deletion only when the manifest is gone.
		if _, herr := a.conn.registry.HeadManifest(ctx, repository, digest); errors.Is(herr, swr.ErrNotFound) {
			return nil
		}
	case isManifestUnknown(err):
		return nil // the registry says it has no such manifest
	case errors.Is(err, swr.ErrNotFound), errors.Is(err, swr.ErrUnsupported), errors.Is(err, swr.ErrDenied):
		// A 404 without the registry's MANIFEST_UNKNOWN comes from a registry
		// that does not route DELETE; 405 and 403 refuse it.
	default:
		return harborError(err)
	}
	// The registry did not delete it: its tags go through the management API.
	if a.conn.client.SecretKind() != swr.SecretSK {
		why := "the registry did not delete it"
		if err != nil {
			why = err.Error()
		}
		return harborError(fmt.Errorf("manifest %s@%s was not deleted (%s); deleting its tags through the "+
			"management API needs the SK as Access Secret: %w", repository, digest, why, swr.ErrUnsupported))
	}
	if ferr := a.deleteTagsOf(ctx, repository, digest); ferr != nil {
		return harborError(fmt.Errorf("manifest %s@%s was not deleted by the registry; deleting its tags through the "+
			"management API failed too: %w", repository, digest, ferr))
	}
	return nil
}

// isManifestUnknown: the registry's own answer that a manifest does not
// exist (distribution's error code), as opposed to a 404 from something
// that does not route the request.
func isManifestUnknown(err error) bool {
	var e *swr.Error
	return errors.As(err, &e) && e.Code == swr.CodeNotFound && e.SWRCode == "MANIFEST_UNKNOWN"
}

// deleteTagsOf deletes, through the management API, every tag of
// repository on the manifest reference names.
func (a *adapter) deleteTagsOf(ctx context.Context, repository, reference string) error {
	org, repo, err := splitRepository(repository)
	if err != nil {
		return err
	}
	d := reference
	if !strings.Contains(reference, ":") {
		m, err := a.conn.registry.HeadManifest(ctx, repository, reference)
		if err != nil {
			return err
		}
		d = m.Digest
	}
	tags, err := a.conn.client.ListRepositoryTags(ctx, org, repo)
	if err != nil {
		return err
	}
	deleted := 0
	for _, t := range tags {
		if t.Digest != d {
			continue
		}
		if err := a.conn.client.DeleteRepositoryTag(ctx, org, repo, t.Tag); err != nil && !errors.Is(err, swr.ErrNotFound) {
			return err
		}
		deleted++
	}
	if deleted == 0 {
		return fmt.Errorf("no tag of %s is on %s", repository, d)
	}
	return nil
}

// DeleteTag deletes one tag (not the manifest) through SWR's management
// API, which needs the SK. A tag already gone is the 404 Harbor skips.
func (a *adapter) DeleteTag(repository, tag string) error {
	org, repo, err := splitRepository(repository)
	if err != nil {
		return err
	}
	if a.conn.client.SecretKind() != swr.SecretSK {
		return liberrors.Errorf("%s: deleting the tag %s:%s needs the SK as Access Secret (a login key or a "+
			"temporary login cannot delete single tags)", DisplayName, repository, tag).
			WithCode(liberrors.MethodNotAllowedCode)
	}
	ctx, cancel := callContext()
	defer cancel()
	err = a.conn.client.DeleteRepositoryTag(ctx, org, repo, tag)
	if errors.Is(err, swr.ErrNotFound) {
		return notFoundForDeletion(repository + ":" + tag)
	}
	return harborError(err)
}

// BlobExist says whether the repository has the blob.
func (a *adapter) BlobExist(repository, digest string) (bool, error) {
	ctx, cancel := callContext()
	defer cancel()
	exists, _, err := a.conn.registry.StatBlob(ctx, repository, digest)
	if err != nil && a.recoverOrganization(ctx, repository, err) {
		exists, _, err = a.conn.registry.StatBlob(ctx, repository, digest)
	}
	if errors.Is(err, swr.ErrNotFound) {
		return false, nil
	}
	return exists, harborError(err)
}

// PullBlob streams a blob; a read that would end it fails instead when
// the bytes do not match the digest. Size 0 when the registry does not say
// (Harbor then takes the manifest's).
func (a *adapter) PullBlob(repository, digest string) (int64, io.ReadCloser, error) {
	r, err := a.conn.registry.OpenBlob(context.Background(), repository, digest, 0, -1)
	if err != nil {
		return 0, nil, harborError(err)
	}
	size := r.Size()
	if size < 0 {
		size = 0
	}
	return size, blobReader{r}, nil
}

// PullBlobChunk streams bytes start..end (inclusive) of a blob. An empty
// range (start == end+1) is an empty chunk: Harbor asks for one when it
// retries an upload whose data all arrived but whose commit failed.
func (a *adapter) PullBlobChunk(repository, digest string, blobSize, start, end int64) (int64, io.ReadCloser, error) {
	if start < 0 || end < start-1 || (blobSize > 0 && end >= blobSize) {
		return 0, nil, liberrors.Errorf("%s: invalid chunk %d-%d of a %d-byte blob", DisplayName, start, end, blobSize).
			WithCode(liberrors.BadRequestCode)
	}
	if end == start-1 {
		return 0, io.NopCloser(strings.NewReader("")), nil
	}
	r, err := a.conn.registry.OpenBlob(context.Background(), repository, digest, start, end-start+1)
	if err != nil {
		return 0, nil, harborError(err)
	}
	return end - start + 1, blobReader{r}, nil
}

// PushBlob uploads a blob with bounded memory; the registry checks the
// digest, and nothing is committed when the reader fails.
func (a *adapter) PushBlob(repository, digest string, size int64, blob io.Reader) error {
	touch, end := a.conn.uploads.uploading(digest)
	defer end() // tasks waiting in CanBeMount mount it now (or upload it themselves)
	err := a.upload(context.Background(), repository, digest, size, &progressReader{r: blob, touch: touch})
	if err != nil {
		// The stream is spent: Harbor tries the blob again, by then into an
		// organization that exists again.
		a.recoverOrganization(context.Background(), repository, err)
	}
	return harborError(err)
}

func (a *adapter) upload(ctx context.Context, repository, digest string, size int64, blob io.Reader) error {
	w, err := a.conn.registry.CreateBlob(ctx, repository, digest, size)
	if err != nil {
		return err
	}
	defer w.Close() // abandons the upload unless committed
	if _, err := io.Copy(w, blob); err != nil {
		return err
	}
	return w.Commit()
}

// PushBlobChunk uploads bytes start..end (inclusive) of a blob through a
// resumable upload, the way Harbor ≥ 2.9 copies by chunk: start 0 opens
// the upload, the chunk that ends the blob commits it. It returns where
// the next chunk goes and the last byte the registry holds; on failure
// too, so that Harbor's retry resumes there (from the start of the blob,
// with no location, when the upload is gone).
func (a *adapter) PushBlobChunk(repository, digest string, size int64, chunk io.Reader, start, end int64,
	location string) (string, int64, error) {
	if start < 0 || end < start-1 || (size > 0 && end >= size) {
		return location, start - 1, liberrors.Errorf("%s: invalid chunk %d-%d of a %d-byte blob", DisplayName, start,
			end, size).WithCode(liberrors.BadRequestCode)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The blob's upload is under way across these calls: tasks waiting in
	// CanBeMount wait for its last chunk (or give up when it stalls).
	touch, finish := a.conn.uploads.uploading(digest)
	chunk = &progressReader{r: chunk, touch: touch}
	if start == 0 || location == "" {
		if start != 0 {
			return "", -1, liberrors.Errorf("%s: chunk %d-%d of %s has no upload location; restarting the blob",
				DisplayName, start, end, digest)
		}
		up, err := a.conn.registry.StartUpload(ctx, repository)
		if err != nil && a.recoverOrganization(ctx, repository, err) {
			up, err = a.conn.registry.StartUpload(ctx, repository)
		}
		if err != nil {
			return "", -1, harborError(err)
		}
		location = up.Location
	}
	next, err := a.sendChunk(ctx, repository, location, chunk, start, end)
	if err == nil && end == size-1 {
		if err = a.conn.registry.FinishUpload(ctx, repository, next, digest); err == nil {
			finish()
			return next, end, nil
		}
	}
	if err == nil {
		return next, end, nil
	}
	// Where does the upload stand? Resume there.
	if next == "" {
		next = location
	}
	st, serr := a.conn.registry.UploadStatus(ctx, repository, next)
	switch {
	case serr == nil:
		return st.Location, st.Offset - 1, harborError(err)
	case errors.Is(serr, swr.ErrNotFound):
		log.Warningf("%s: the upload of %s to %s is gone; the next attempt starts the blob again", DisplayName,
			digest, repository)
		return "", -1, harborError(err)
	default:
		return next, start - 1, harborError(err)
	}
}

// sendChunk sends bytes start..end at location; "" as the next location
// when the chunk failed.
func (a *adapter) sendChunk(ctx context.Context, repository, location string, chunk io.Reader, start,
	end int64) (string, error) {
	if end < start { // an empty chunk: nothing to send
		return location, nil
	}
	w, err := a.conn.registry.OpenChunk(ctx, repository, location, start, end-start+1)
	if err != nil {
		return "", err
	}
	defer w.Close()
	n, err := io.Copy(w, io.LimitReader(chunk, end-start+1))
	if err != nil {
		return "", err
	}
	if n != end-start+1 {
		return "", liberrors.Errorf("%s: chunk %d-%d ended after %d bytes", DisplayName, start, end, n)
	}
	up, err := w.Commit()
	if err != nil {
		return "", err
	}
	return up.Location, nil
}

// CanBeMount names a repository of this SWR account known (to this
// process) to hold the blob. Never once the registry declined a mount,
// nor for a blob whose mount failed: Harbor then pulls it from the source.
func (a *adapter) CanBeMount(digest string) (bool, string, error) {
	if a.conn.mountsDeclined.Load() {
		return false, "", nil
	}
	if _, bad := a.conn.noMount.Load(digest); bad {
		return false, "", nil
	}
	for {
		if repo, err := a.conn.registry.MountSource(digest, ""); err == nil {
			return true, repo, nil
		}
		// No repository of this registry has it yet: the first task to ask
		// uploads it, the others wait for that upload and then mount.
		c, mine := a.conn.uploads.claim(digest)
		if mine || !a.conn.uploads.wait(digest, c) {
			return false, "", nil
		}
		if a.conn.mountsDeclined.Load() {
			return false, "", nil
		}
		// The upload ended; if it failed there is still no source, and the
		// next round claims the blob for this task.
	}
}

// MountBlob mounts a blob from another repository of the same account.
// When SWR declines, the blob is copied inside SWR instead (and no further
// mount is offered); when that fails too, the blob is not offered for
// mounting again, so Harbor's retry copies it from the source.
func (a *adapter) MountBlob(srcRepository, digest, dstRepository string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if srcRepository != dstRepository {
		mctx, mcancel := context.WithTimeout(ctx, callTimeout)
		mounted, err := a.conn.registry.MountBlob(mctx, dstRepository, digest, srcRepository)
		mcancel()
		if err == nil && mounted {
			return nil
		}
		if err == nil {
			a.conn.mountsDeclined.Store(true)
			log.Infof("%s declined to mount %s into %s; blobs are copied instead", DisplayName, digest, dstRepository)
		}
	}
	if err := a.copyWithin(ctx, srcRepository, digest, dstRepository); err != nil {
		a.conn.noMount.Store(digest, true)
		return harborError(fmt.Errorf("mount %s from %s into %s: %w", digest, srcRepository, dstRepository, err))
	}
	return nil
}

// copyWithin copies a blob between two repositories of the registry.
func (a *adapter) copyWithin(ctx context.Context, src, digest, dst string) error {
	r, err := a.conn.registry.OpenBlob(ctx, src, digest, 0, -1)
	if err != nil {
		return err
	}
	defer r.Close()
	return a.upload(ctx, dst, digest, r.Size(), r)
}

// ListReferrers (Harbor's main, for proxy caches): SWR has no referrers
// API that this adapter could serve, so Harbor is told "not found", which
// it handles as a registry without referrers.
func (a *adapter) ListReferrers(repository, digest, _ string) (*ocispec.Index, map[string][]string, error) {
	return nil, nil, liberrors.Errorf("%s: referrers of %s@%s are not available through this adapter",
		DisplayName, repository, digest).WithCode(liberrors.NotFoundCode)
}

// blobReader maps the stream's errors to Harbor's codes.
type blobReader struct{ r *swr.BlobReader }

func (b blobReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		err = harborError(err)
	}
	return n, err
}

func (b blobReader) Close() error { return b.r.Close() }

// recoverOrganization: SWR refuses a token for a repository whose
// organization is gone ("Image organization does not exist", HTTP 401).
// When this connection ensured that organization for a push rule and SWR's
// management API confirms it no longer exists (it was deleted outside
// Harbor), it is forgotten and created again, once; true when the call is
// worth repeating.
func (a *adapter) recoverOrganization(ctx context.Context, repository string, err error) bool {
	if !errors.Is(err, swr.ErrAuth) {
		return false
	}
	org, _, ok := strings.Cut(repository, "/")
	if !ok {
		return false
	}
	if _, ensured := a.conn.ensured.Load(org); !ensured {
		return false
	}
	if _, gerr := a.conn.client.GetOrganization(ctx, org); !errors.Is(gerr, swr.ErrNotFound) {
		return false // it exists (or SWR cannot say): the refusal is about something else
	}
	a.conn.client.ForgetOrganization(org)
	if eerr := a.conn.ensureOrganization(org); eerr != nil {
		log.Warningf("%s: organization %s was deleted outside Harbor and could not be created again: %v",
			DisplayName, org, eerr)
		return false
	}
	log.Warningf("%s: organization %s was deleted outside Harbor; created it again", DisplayName, org)
	return true
}
