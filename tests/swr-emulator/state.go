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
}

type tagInfo struct {
	Digest  string
	Size    int64
	TagType int
	Created time.Time
	Updated time.Time
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

func (s *registryState) createOrg(name, creator string) (created bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.orgs[name]; ok {
		return false
	}
	s.nextID++
	s.orgs[name] = &organization{ID: s.nextID, Name: name, CreatorName: creator}
	return true
}

func (s *registryState) getOrg(name string) *organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orgs[name]; ok {
		c := *o
		return &c
	}
	return nil
}

func (s *registryState) listOrgs() []organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]organization, 0, len(s.orgs))
	for _, o := range s.orgs {
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// deleteOrg: "missing", "not-empty" or "".
func (s *registryState) deleteOrg(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.orgs[name]; !ok {
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

// recordTag notes a repository and tag the registry has seen.
func (s *registryState) recordTag(ns, repo, tag, digest string, size int64, tagType int) {
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
	t.Digest, t.Size, t.TagType, t.Updated = digest, size, tagType, now
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
