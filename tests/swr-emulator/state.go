package main

import (
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

type user struct {
	Project   string `json:"project"`
	ProjectID string `json:"project_id"`
	AK        string `json:"ak"`
	SK        string `json:"sk"`
	// Domain is the account: organizations belong to one, and a region's
	// organization names are unique across all of them. Default: the AK.
	Domain string `json:"domain"`
	// Permissions: what this IAM user may do in an organization of its
	// account (SWR's "auth": 1 read, 3 write, 7 manage); missing: 7.
	Permissions map[string]int `json:"permissions"`
}

// permission is the user's SWR permission in organization org.
func (u *user) permission(org string) int {
	if p, ok := u.Permissions[org]; ok {
		return p
	}
	return 7
}

func (u *user) account() string {
	if u.Domain != "" {
		return u.Domain
	}
	return u.AK
}

type userStore struct {
	users []*user
}

func (s *userStore) byAK(ak string) *user {
	for _, u := range s.users {
		if u.AK == ak {
			return u
		}
	}
	return nil
}

// byRegistryLogin checks "<project>@<AK>" and the login key.
func (s *userStore) byRegistryLogin(name, password string) *user {
	project, ak, ok := strings.Cut(name, "@")
	if !ok {
		return nil
	}
	u := s.byAK(ak)
	if u == nil || u.Project != project || loginKey(u.AK, u.SK) != strings.ToLower(password) {
		return nil
	}
	return u
}

func loadUsers(path string) (*userStore, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Users []*user `json:"users"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Users) == 0 {
		return nil, errors.New("the credentials file lists no users")
	}
	return &userStore{users: doc.Users}, nil
}

type organization struct {
	ID          int64
	Name        string
	CreatorName string
	Owner       string // the account (domain) that owns it
}

// orgQuota is SWR's limit of organizations per account (OTC user manual,
// notes and constraints: "Organizations: 5").
const orgQuota = 5

type tagInfo struct {
	Digest   string
	Size     int64  // the image: config plus layers (SWR's "size")
	Manifest string // the manifest JSON, as SWR's tag details carry it
	TagType  int
	Created  time.Time
	Updated  time.Time
}

type repository struct {
	Namespace string
	Name      string
	Category  string
	IsPublic  bool
	Created   time.Time
	Updated   time.Time
	Tags      map[string]*tagInfo
}

// registryState is what SWR knows: organizations, repositories and tags.
type registryState struct {
	mu     sync.Mutex
	nextID int64
	orgs   map[string]*organization
	repos  map[string]*repository // key "ns/name"
}

func newRegistryState() *registryState {
	return &registryState{nextID: 1000, orgs: map[string]*organization{}, repos: map[string]*repository{}}
}

var orgNameRE = regexp.MustCompile(`^[a-z][a-z0-9._-]{0,62}[a-z0-9]$|^[a-z]$`)

// validOrgName applies SWR's rules: 1-64 of [a-z0-9._-], starting with a
// letter, ending with a letter or digit, no adjacent separators but "__".
func validOrgName(n string) bool {
	if !orgNameRE.MatchString(n) {
		return false
	}
	sep := func(c byte) bool { return c == '.' || c == '_' || c == '-' }
	for i := 1; i < len(n); i++ {
		if sep(n[i]) && sep(n[i-1]) {
			if !(n[i] == '_' && n[i-1] == '_' && (i < 2 || n[i-2] != '_')) {
				return false
			}
		}
	}
	return true
}

// createOrg: "" when created, "exists" when the name is taken (by anyone:
// names are unique per region across accounts), "quota" when the account
// already owns orgQuota organizations.
func (s *registryState) createOrg(name, creator, owner string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.orgs[name]; ok {
		return "exists"
	}
	owned := 0
	for _, o := range s.orgs {
		if o.Owner == owner {
			owned++
		}
	}
	if owned >= orgQuota {
		return "quota"
	}
	s.nextID++
	s.orgs[name] = &organization{ID: s.nextID, Name: name, CreatorName: creator, Owner: owner}
	return ""
}

// exists reports whether an organization of that name exists, whoever owns it.
func (s *registryState) exists(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.orgs[name]
	return ok
}

// getOrg returns the organization when it exists and `account` owns it
// ("" for any owner: the registry side checks ownership itself).
func (s *registryState) getOrg(name, account string) *organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orgs[name]; ok && (account == "" || o.Owner == account) {
		c := *o
		return &c
	}
	return nil
}

func (s *registryState) listOrgs(account string) []organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]organization, 0, len(s.orgs))
	for _, o := range s.orgs {
		if o.Owner == account {
			out = append(out, *o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// deleteOrg: "missing" (or another account's), "not-empty" or "".
func (s *registryState) deleteOrg(name, account string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orgs[name]; !ok || o.Owner != account {
		return "missing"
	}
	for _, r := range s.repos {
		if r.Namespace == name {
			return "not-empty"
		}
	}
	delete(s.orgs, name)
	return ""
}

// deleteRepo removes a repository; the digests its tags pointed at, for the
// registry side to delete. ok false when there is no such repository.
func (s *registryState) deleteRepo(ns, name string) (digests []string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, found := s.repos[ns+"/"+name]
	if !found {
		return nil, false
	}
	seen := map[string]bool{}
	for _, t := range r.Tags {
		if t.Digest != "" && !seen[t.Digest] {
			seen[t.Digest] = true
			digests = append(digests, t.Digest)
		}
	}
	delete(s.repos, ns+"/"+name)
	return digests, true
}

// deleteTag removes one tag; the digest it pointed at and whether another
// tag of the repository still points there. ok false when there is no such tag.
func (s *registryState) deleteTag(ns, name, tag string) (digest string, shared, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, found := s.repos[ns+"/"+name]
	if !found {
		return "", false, false
	}
	t, found := r.Tags[tag]
	if !found {
		return "", false, false
	}
	delete(r.Tags, tag)
	for _, other := range r.Tags {
		if other.Digest == t.Digest {
			shared = true
		}
	}
	return t.Digest, shared, true
}

// forgetDigest drops every tag of a repository that points at digest (after
// a registry-level manifest delete).
func (s *registryState) forgetDigest(ns, name, digest string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.repos[ns+"/"+name]; ok {
		for tag, t := range r.Tags {
			if t.Digest == digest {
				delete(r.Tags, tag)
			}
		}
	}
}

// recordTag notes a repository and tag the registry has seen.
func (s *registryState) recordTag(ns, repo, tag, digest string, size int64, tagType int, manifest string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := ns + "/" + repo
	now := time.Now().UTC()
	r, ok := s.repos[key]
	if !ok {
		r = &repository{Namespace: ns, Name: repo, Category: "other", Created: now, Tags: map[string]*tagInfo{}}
		s.repos[key] = r
	}
	r.Updated = now
	if tag == "" {
		return
	}
	t, ok := r.Tags[tag]
	if !ok {
		t = &tagInfo{Created: now}
		r.Tags[tag] = t
	}
	t.Digest, t.Size, t.TagType, t.Manifest, t.Updated = digest, size, tagType, manifest, now
}

func (s *registryState) listRepos(ns string) []repository {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []repository
	for _, r := range s.repos {
		if ns == "" || r.Namespace == ns {
			c := *r
			c.Tags = map[string]*tagInfo{}
			for k, v := range r.Tags {
				tv := *v
				c.Tags[k] = &tv
			}
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Namespace+"/"+out[i].Name < out[j].Namespace+"/"+out[j].Name
	})
	return out
}

func (s *registryState) getRepo(ns, name string) *repository {
	for _, r := range s.listRepos(ns) {
		if r.Name == name {
			return &r
		}
	}
	return nil
}

func (r *repository) sortedTags() []string {
	tags := make([]string, 0, len(r.Tags))
	for t := range r.Tags {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	return tags
}

// tokenStore holds issued bearer tokens and what they grant.
type tokenStore struct {
	mu     sync.Mutex
	tokens map[string]*grant
}

type grant struct {
	User    *user
	Scopes  map[string]map[string]bool // repository -> actions
	Expires time.Time
}

func (g *grant) allows(repo, action string) bool {
	acts := g.Scopes[repo]
	return acts != nil && (acts[action] || acts["*"])
}

func (t *tokenStore) put(tok string, g *grant) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tokens == nil {
		t.tokens = map[string]*grant{}
	}
	t.tokens[tok] = g
}

func (t *tokenStore) get(tok string, now time.Time) *grant {
	t.mu.Lock()
	defer t.mu.Unlock()
	g := t.tokens[tok]
	if g == nil || now.After(g.Expires) {
		return nil
	}
	return g
}
