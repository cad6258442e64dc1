package swr

/*
#include <swr/swr.h>
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
)

// SecretKind says what ClientOptions.AccessSecret is.
type SecretKind int

const (
	// SecretAuto: "temp:<password>" is a temporary login, 64 hex digits a
	// long-term login key, anything else the SK.
	SecretAuto SecretKind = C.SWR_SECRET_AUTO
	SecretSK   SecretKind = C.SWR_SECRET_SK
	// SecretLoginKey: the long-term docker login key (legacy management paths).
	SecretLoginKey SecretKind = C.SWR_SECRET_LOGIN_KEY
	// SecretTemporary: a temporary docker login password (registry only, and
	// the legacy management paths).
	SecretTemporary SecretKind = C.SWR_SECRET_TEMPORARY
)

// SignatureFormat of SDK-HMAC-SHA256 requests.
type SignatureFormat int

const (
	SignAccess     SignatureFormat = C.SWR_SIGN_ACCESS     // "Access=AK" (default)
	SignCredential SignatureFormat = C.SWR_SIGN_CREDENTIAL // "Credential=AK/date/region/service/sdk_request"
)

// ClientOptions configure a Client: one SWR region with its credentials.
type ClientOptions struct {
	RegistryURL   string // "https://swr.eu-de.otc.t-systems.com"
	AccessID      string // "<project name>@<AK>"
	AccessSecret  string // the SK, a login key, or "temp:" + a temporary password
	SecretKind    SecretKind
	ProjectID     string // sent and signed as X-Project-Id when set
	ManagementURL string // when not derived from RegistryURL (swr. -> swr-api.)
	Format        SignatureFormat
	Region        string // credential format scope
	Service       string // credential format scope
	// Connection: TLS, timeouts, retries, proxy, logging of the registry
	// and the management API.
	Connection ConnectionOptions
}

// Client is one SWR region with its credentials: the management API and,
// through Registry(), SWR's registry. Safe for concurrent use.
type Client struct {
	owner
	c        *C.swr_client
	logs     cgo.Handle
	registry *Registry
}

// NewClient checks the options and creates a client; no network call.
func NewClient(opts ClientOptions) (*Client, error) {
	var o C.swr_client_options
	C.swr_client_options_init(&o, C.SWR_CLIENT_OPTIONS_VERSION)
	var strs cStrings
	defer strs.free()
	str := strs.orNil
	o.registry_url = str(opts.RegistryURL)
	o.access_id = str(opts.AccessID)
	o.access_secret = str(opts.AccessSecret)
	o.secret_kind = C.int(opts.SecretKind)
	o.project_id = str(opts.ProjectID)
	o.management_url = str(opts.ManagementURL)
	o.signature_format = C.int(opts.Format)
	o.region = str(opts.Region)
	o.service = str(opts.Service)
	cl := &Client{}
	cl.logs = opts.Connection.fill(&o.connection, &strs)
	var cerr *C.swr_error
	if rc := C.swr_client_new(&cl.c, &o, &cerr); rc != C.SWR_OK {
		if cl.logs != 0 {
			cl.logs.Delete()
		}
		return nil, errorFrom(nil, rc, cerr)
	}
	cl.registry = &Registry{o: &cl.owner, r: C.swr_client_registry(cl.c), borrowed: true}
	runtime.SetFinalizer(cl, func(c *Client) {
		finalizerWarning("Client")
		_ = c.Close()
	})
	return cl, nil
}

// Close cancels the calls in flight, closes the streams still open, waits
// for the calls to return, and frees the client. Safe to call twice.
func (c *Client) Close() error {
	runtime.SetFinalizer(c, nil)
	return c.shutdown(func() { C.swr_client_cancel_all(c.c) }, func() {
		C.swr_client_free(c.c)
		c.c = nil
		if c.logs != 0 {
			c.logs.Delete()
		}
	})
}

// Registry is SWR's registry with this client's credentials. It lives as
// long as the client; its Close does nothing.
func (c *Client) Registry() *Registry { return c.registry }

// SecretKind is what the access secret turned out to be (never SecretAuto).
func (c *Client) SecretKind() SecretKind {
	if err := c.enter(); err != nil {
		return SecretAuto
	}
	defer c.leave()
	return SecretKind(C.swr_client_secret_kind(c.c))
}

// Organization is an SWR organization (namespace).
type Organization struct {
	ID          int64
	Name        string
	CreatorName string
	Auth        int // 7 manage, 3 write, 1 read
}

// CreateOrganization: ErrExists when this account has it, ErrConflict when
// another account holds the name, ErrQuota past SWR's limit.
func (c *Client) CreateOrganization(ctx context.Context, name string) error {
	n := cstr(name)
	defer freeC(n)
	return c.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int { return C.swr_org_create(c.c, n, t, e) })
}

// EnsureOrganization creates the organization unless this account has it.
func (c *Client) EnsureOrganization(ctx context.Context, name string) error {
	n := cstr(name)
	defer freeC(n)
	return c.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int { return C.swr_org_ensure(c.c, n, t, e) })
}

// ForgetOrganization forgets what EnsureOrganization remembers of name (for
// 10 minutes): for when SWR says the organization is gone.
func (c *Client) ForgetOrganization(name string) {
	n := cstr(name)
	defer freeC(n)
	C.swr_org_forget(c.c, n)
}

// DeleteOrganization: ErrConflict while it holds repositories.
func (c *Client) DeleteOrganization(ctx context.Context, name string) error {
	n := cstr(name)
	defer freeC(n)
	return c.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int { return C.swr_org_delete(c.c, n, t, e) })
}

// GetOrganization returns one organization of this account.
func (c *Client) GetOrganization(ctx context.Context, name string) (Organization, error) {
	n := cstr(name)
	defer freeC(n)
	var out *C.swr_organization
	err := c.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int { return C.swr_org_get(&out, c.c, n, t, e) })
	if err != nil {
		return Organization{}, err
	}
	defer C.swr_organization_free(out)
	return Organization{int64(out.id), goStr(out.name), goStr(out.creator_name), int(out.auth)}, nil
}

// ListOrganizations returns the organizations of this account.
func (c *Client) ListOrganizations(ctx context.Context) ([]Organization, error) {
	var out *C.swr_organization_list
	err := c.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int { return C.swr_org_list(&out, c.c, t, e) })
	if err != nil {
		return nil, err
	}
	defer C.swr_organization_list_free(out)
	items := unsafeSlice(out.items, out.count)
	orgs := make([]Organization, 0, len(items))
	for _, o := range items {
		orgs = append(orgs, Organization{int64(o.id), goStr(o.name), goStr(o.creator_name), int(o.auth)})
	}
	return orgs, nil
}

// Repository is an SWR repository.
type Repository struct {
	Organization string
	Name         string // the path inside the organization
	Category     string
	Public       bool
	Images       int64
	Size         int64
	CreatedAt    string
	UpdatedAt    string
}

// ListRepositories returns the repositories of one organization, or of all
// this account's when organization is "".
func (c *Client) ListRepositories(ctx context.Context, organization string) ([]Repository, error) {
	org := cstrOrNil(organization)
	defer freeC(org)
	var out *C.swr_repositories
	err := c.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_repository_list(&out, c.c, org, t, e)
	})
	if err != nil {
		return nil, err
	}
	defer C.swr_repositories_free(out)
	items := unsafeSlice(out.items, out.count)
	repos := make([]Repository, 0, len(items))
	for _, r := range items {
		repos = append(repos, Repository{goStr(r.organization), goStr(r.name), goStr(r.category), r.is_public != 0,
			int64(r.num_images), int64(r.size), goStr(r.created_at), goStr(r.updated_at)})
	}
	return repos, nil
}

// TagInfo is a tag with SWR's details.
type TagInfo struct {
	Tag     string
	Digest  string
	Size    int64 // the image: config plus layers
	IsList  bool  // a manifest list
	Created string
	Updated string
}

// ListRepositoryTags returns the tags of a repository with SWR's details (needs the SK).
func (c *Client) ListRepositoryTags(ctx context.Context, organization, repository string) ([]TagInfo, error) {
	org, repo := cstr(organization), cstr(repository)
	defer freeC(org)
	defer freeC(repo)
	var out *C.swr_tag_info_list
	err := c.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_repository_tag_list(&out, c.c, org, repo, t, e)
	})
	if err != nil {
		return nil, err
	}
	defer C.swr_tag_info_list_free(out)
	items := unsafeSlice(out.items, out.count)
	tags := make([]TagInfo, 0, len(items))
	for _, t := range items {
		tags = append(tags, TagInfo{goStr(t.tag), goStr(t.digest), int64(t.size), t.tag_type == 1, goStr(t.created),
			goStr(t.updated)})
	}
	return tags, nil
}

// DeleteRepositoryTag deletes one tag through SWR's management API.
func (c *Client) DeleteRepositoryTag(ctx context.Context, organization, repository, tag string) error {
	org, repo, tg := cstr(organization), cstr(repository), cstr(tag)
	defer freeC(org)
	defer freeC(repo)
	defer freeC(tg)
	return c.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_repository_tag_delete(c.c, org, repo, tg, t, e)
	})
}

// DeleteRepository deletes a repository and every image in it.
func (c *Client) DeleteRepository(ctx context.Context, organization, repository string) error {
	org, repo := cstr(organization), cstr(repository)
	defer freeC(org)
	defer freeC(repo)
	return c.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_repository_delete(c.c, org, repo, t, e)
	})
}

// DockerLogin is a temporary docker login. Password is a secret.
type DockerLogin struct {
	Username  string
	Password  string
	Registry  string
	ExpiresAt string
}

// TemporaryLogin asks SWR for a docker login valid for hours (needs the SK).
func (c *Client) TemporaryLogin(ctx context.Context) (DockerLogin, error) {
	var out *C.swr_docker_login
	err := c.call(ctx, func(t *C.swr_cancel_token, e **C.swr_error) C.int {
		return C.swr_temporary_login_create(&out, c.c, t, e)
	})
	if err != nil {
		return DockerLogin{}, err
	}
	defer C.swr_docker_login_free(out)
	return DockerLogin{goStr(out.username), goStr(out.password), goStr(out.registry), goStr(out.expires_at)}, nil
}
