package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

type fault struct {
	PathPrefix string `json:"path_prefix"`
	Method     string `json:"method"`
	Status     int    `json:"status"`
	Count      int    `json:"count"`
	RetryAfter string `json:"retry_after"`
	Body       string `json:"body"`
}

type emulator struct {
	users    *userStore
	state    *registryState
	tokens   tokenStore
	tokenTTL time.Duration
	maxSkew  time.Duration
	maxBody  int64
	registry *registryFront // the registry side; nil: /v2/ registry paths answer 404

	mu          sync.Mutex
	clockOffset time.Duration
	faults      []*fault
	requests    map[string]int // "METHOD path-prefix" counters for tests
}

func newEmulator(users *userStore) *emulator {
	return &emulator{
		users:    users,
		state:    newRegistryState(),
		tokenTTL: 900 * time.Second,
		maxSkew:  15 * time.Minute,
		maxBody:  12 << 20,
		requests: map[string]int{},
	}
}

func (e *emulator) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return time.Now().Add(e.clockOffset)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

// swrError writes SWR's own error shape: a JSON array of errorCode/errorMessage.
func swrError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, []map[string]string{{"errorCode": code, "errorMessage": msg, "detail": ""}})
}

func gatewayErr(w http.ResponseWriter, r *http.Request, ge *gatewayError) {
	writeJSON(w, ge.status, map[string]string{
		"error_code": "APIGW.0301",
		"error_msg":  ge.msg,
		"request_id": w.Header().Get("X-Request-Id"),
	})
}

func (e *emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", randomHex(16))
	path := r.URL.Path
	if strings.HasPrefix(path, "/_emulator/") {
		if e.registry != nil && e.registry.serveControl(w, r) {
			return
		}
		e.serveControl(w, r)
		return
	}
	e.count(r)
	if e.injectFault(w, r) {
		return
	}
	switch {
	case strings.HasPrefix(path, "/v2/manage/"):
		e.serveManage(w, r)
	case strings.HasPrefix(path, "/dockyard/v2/"):
		e.serveDockyard(w, r)
	case strings.HasPrefix(path, "/swr/auth/v2/registry/auth"):
		e.serveToken(w, r)
	case path == "/v2" || strings.HasPrefix(path, "/v2/"):
		if e.registry != nil {
			e.registry.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
	default:
		swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040000", "no such API: "+path)
	}
}

// count tallies requests by method and path; upload sessions count under
// their ".../blobs/uploads/" prefix, whatever their id.
func (e *emulator) count(r *http.Request) {
	path := r.URL.Path
	if i := strings.Index(path, "/blobs/uploads/"); i >= 0 {
		path = path[:i+len("/blobs/uploads/")]
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests[r.Method+" "+path]++
}

func (e *emulator) injectFault(w http.ResponseWriter, r *http.Request) bool {
	e.mu.Lock()
	var hit *fault
	for i, f := range e.faults {
		if strings.HasPrefix(r.URL.Path, f.PathPrefix) && (f.Method == "" || f.Method == r.Method) {
			hit = f
			f.Count--
			if f.Count <= 0 {
				e.faults = append(e.faults[:i], e.faults[i+1:]...)
			}
			break
		}
	}
	e.mu.Unlock()
	if hit == nil {
		return false
	}
	if hit.RetryAfter != "" {
		w.Header().Set("Retry-After", hit.RetryAfter)
	}
	if hit.Body != "" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(hit.Status)
		_, _ = io.WriteString(w, hit.Body)
		return true
	}
	swrError(w, hit.Status, "SVCSTG.SWR.5000000", "injected fault")
	return true
}

// serveControl is the test harness's door: seed data, faults, clock, counters.
func (e *emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_emulator/seed":
		var doc struct {
			Repos []struct {
				Namespace string   `json:"namespace"`
				Name      string   `json:"name"`
				Tags      []string `json:"tags"`
			} `json:"repos"`
		}
		if err := json.NewDecoder(r.Body).Decode(&doc); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for _, rp := range doc.Repos {
			e.state.createOrg(rp.Namespace, "seed")
			e.state.recordTag(rp.Namespace, rp.Name, "", "", 0, 0)
			for _, t := range rp.Tags {
				e.state.recordTag(rp.Namespace, rp.Name, t, "sha256:"+sha256Hex([]byte(rp.Namespace+"/"+rp.Name+":"+t)), 1024, 0)
			}
		}
		w.WriteHeader(http.StatusNoContent)
	case "/_emulator/fault":
		var f fault
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil || f.Status == 0 || f.Count <= 0 {
			http.Error(w, "need path_prefix, status and count", http.StatusBadRequest)
			return
		}
		e.mu.Lock()
		e.faults = append(e.faults, &f)
		e.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case "/_emulator/clock":
		secs, err := strconv.Atoi(r.URL.Query().Get("offset_seconds"))
		if err != nil {
			http.Error(w, "need offset_seconds", http.StatusBadRequest)
			return
		}
		e.mu.Lock()
		e.clockOffset = time.Duration(secs) * time.Second
		e.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case "/_emulator/requests":
		e.mu.Lock()
		defer e.mu.Unlock()
		if r.Method == http.MethodDelete {
			e.requests = map[string]int{}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, http.StatusOK, e.requests)
	case "/_emulator/reset":
		e.mu.Lock()
		e.faults, e.clockOffset, e.requests = nil, 0, map[string]int{}
		e.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

func (e *emulator) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, e.maxBody+1))
	if err != nil {
		swrError(w, http.StatusBadRequest, "SVCSTG.SWR.4000014", "cannot read the request body")
		return nil, false
	}
	if int64(len(body)) > e.maxBody {
		swrError(w, http.StatusRequestEntityTooLarge, "SVCSTG.SWR.4130025", "request body too large")
		return nil, false
	}
	return body, true
}

func orgJSON(o organization) map[string]any {
	return map[string]any{"id": o.ID, "name": o.Name, "creator_name": o.CreatorName, "auth": 7}
}

func (e *emulator) serveManage(w http.ResponseWriter, r *http.Request) {
	body, ok := e.readBody(w, r)
	if !ok {
		return
	}
	u, ge := verifySignature(r, body, e.users, e.now(), e.maxSkew)
	if ge != nil {
		gatewayErr(w, r, ge)
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/v2/manage/"), "/")
	switch {
	case len(parts) == 1 && parts[0] == "namespaces":
		switch r.Method {
		case http.MethodGet:
			e.listOrgs(w, r, false)
		case http.MethodPost:
			e.createOrg(w, body, u)
		default:
			swrError(w, http.StatusMethodNotAllowed, "SVCSTG.SWR.4050000", "method not allowed")
		}
	case len(parts) == 2 && parts[0] == "namespaces":
		switch r.Method {
		case http.MethodGet:
			e.getOrg(w, parts[1], false)
		case http.MethodDelete:
			switch e.state.deleteOrg(parts[1]) {
			case "missing":
				swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040058", "namespace "+parts[1]+" not found")
			case "not-empty":
				swrError(w, http.StatusNotAcceptable, "SVCSTG.SWR.4060074", "namespace "+parts[1]+" is not empty")
			default:
				w.WriteHeader(http.StatusNoContent)
			}
		default:
			swrError(w, http.StatusMethodNotAllowed, "SVCSTG.SWR.4050000", "method not allowed")
		}
	case len(parts) == 1 && parts[0] == "repos" && r.Method == http.MethodGet:
		e.listRepos(w, r)
	case len(parts) == 5 && parts[0] == "namespaces" && parts[2] == "repos" && parts[4] == "tags" && r.Method == http.MethodGet:
		e.listTags(w, r, parts[1], strings.ReplaceAll(parts[3], "$", "/"))
	default:
		swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040000", "no such API: "+r.Method+" "+r.URL.Path)
	}
}

func (e *emulator) createOrg(w http.ResponseWriter, body []byte, u *user) {
	var req struct {
		Namespace string `json:"namespace"`
	}
	if err := json.Unmarshal(body, &req); err != nil || !validOrgName(req.Namespace) {
		swrError(w, http.StatusBadRequest, "SVCSTG.SWR.4000014", "invalid parameter: namespace")
		return
	}
	if !e.state.createOrg(req.Namespace, u.Project) {
		swrError(w, http.StatusConflict, "SVCSTG.SWR.4090060", "namespace "+req.Namespace+" already exists")
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (e *emulator) getOrg(w http.ResponseWriter, name string, legacy bool) {
	o := e.state.getOrg(name)
	if o == nil {
		swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040058", "namespace "+name+" not found")
		return
	}
	writeJSON(w, http.StatusOK, orgJSON(*o))
}

func (e *emulator) listOrgs(w http.ResponseWriter, r *http.Request, legacy bool) {
	only := r.URL.Query().Get("namespace")
	if f := r.URL.Query().Get("filter"); f != "" {
		for _, cond := range strings.Split(f, "|") {
			if k, v, ok := strings.Cut(cond, "::"); ok && k == "namespace" {
				only = v
			}
		}
	}
	list := []map[string]any{}
	for _, o := range e.state.listOrgs() {
		if only != "" && o.Name != only {
			continue
		}
		m := orgJSON(o)
		if legacy {
			m["user_count"] = 1
			m["image_count"] = len(e.state.listRepos(o.Name))
		}
		list = append(list, m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"namespaces": list})
}

// page applies limit/offset as SWR does and sets Content-Range.
func page(w http.ResponseWriter, r *http.Request, total int) (start, end int, ok bool) {
	q := r.URL.Query()
	ls, os := q.Get("limit"), q.Get("offset")
	if (ls == "") != (os == "") {
		swrError(w, http.StatusBadRequest, "SVCSTG.SWR.4000014", "limit and offset must be used together")
		return 0, 0, false
	}
	limit, offset := 100, 0
	if ls != "" {
		var err1, err2 error
		limit, err1 = strconv.Atoi(ls)
		offset, err2 = strconv.Atoi(os)
		if err1 != nil || err2 != nil || limit < 1 || limit > 1000 || offset < 0 {
			swrError(w, http.StatusBadRequest, "SVCSTG.SWR.4000014", "invalid limit or offset")
			return 0, 0, false
		}
	}
	start, end = offset, offset+limit
	if start > total {
		start = total
	}
	if end > total {
		end = total
	}
	w.Header().Set("Content-Range", fmt.Sprintf("%d-%d/%d", start, end-start, total))
	return start, end, true
}

func (e *emulator) repoJSON(rp repository) map[string]any {
	return map[string]any{
		"name": rp.Name, "category": rp.Category, "size": 0, "is_public": rp.IsPublic,
		"num_images": len(rp.Tags), "num_download": 0,
		"created_at": rp.Created.Format(time.RFC3339), "updated_at": rp.Updated.Format(time.RFC3339),
		"url": "", "path": "swr.emulator/" + rp.Namespace + "/" + rp.Name,
		"internal_path": "127.0.0.1/" + rp.Namespace + "/" + rp.Name,
		"domain_name":   "emulator", "namespace": rp.Namespace, "tags": rp.sortedTags(), "status": false,
	}
}

func (e *emulator) listRepos(w http.ResponseWriter, r *http.Request) {
	ns := r.URL.Query().Get("namespace")
	repos := e.state.listRepos(ns)
	start, end, ok := page(w, r, len(repos))
	if !ok {
		return
	}
	out := []map[string]any{}
	for _, rp := range repos[start:end] {
		m := e.repoJSON(rp)
		m["total_range"] = len(repos)
		out = append(out, m)
	}
	writeJSON(w, http.StatusOK, out)
}

func (e *emulator) listTags(w http.ResponseWriter, r *http.Request, ns, repo string) {
	rp := e.state.getRepo(ns, repo)
	if rp == nil {
		swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040113", "image "+ns+"/"+repo+" not found")
		return
	}
	tags := rp.sortedTags()
	start, end, ok := page(w, r, len(tags))
	if !ok {
		return
	}
	out := []map[string]any{}
	for _, t := range tags[start:end] {
		ti := rp.Tags[t]
		out = append(out, map[string]any{
			"id": 0, "repo_id": 0, "Tag": t, "image_id": "", "manifest": "", "digest": ti.Digest, "schema": 2,
			"path": "swr.emulator/" + ns + "/" + repo + ":" + t, "internal_path": "", "size": ti.Size,
			"is_trusted": false, "created": ti.Created.Format(time.RFC3339), "updated": ti.Updated.Format(time.RFC3339),
			"deleted": nil, "domain_id": "", "scanned": false, "tag_type": ti.TagType,
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// serveDockyard is the legacy, basic-auth management API that Harbor's
// huawei adapter (and the OTC fork) use.
func (e *emulator) serveDockyard(w http.ResponseWriter, r *http.Request) {
	name, pass, ok := r.BasicAuth()
	var u *user
	if ok {
		u = e.users.byRegistryLogin(name, pass)
	}
	if u == nil {
		swrError(w, http.StatusUnauthorized, "SVCSTG.SWR.4010000", "authentication failed")
		return
	}
	body, ok := e.readBody(w, r)
	if !ok {
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/dockyard/v2/")
	switch {
	case path == "visible/namespaces" && r.Method == http.MethodGet:
		e.listOrgs(w, r, true)
	case path == "namespaces" && r.Method == http.MethodPost:
		e.createOrg(w, body, u)
	case strings.HasPrefix(path, "namespaces/") && r.Method == http.MethodGet:
		e.getOrg(w, strings.TrimPrefix(path, "namespaces/"), true)
	case path == "repositories" && r.Method == http.MethodGet:
		out := []map[string]any{}
		for _, rp := range e.state.listRepos("") {
			out = append(out, e.repoJSON(rp))
		}
		writeJSON(w, http.StatusOK, out)
	default:
		swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040000", "no such API: "+r.Method+" "+r.URL.Path)
	}
}

// serveToken issues scoped bearer tokens for the registry, as
// /swr/auth/v2/registry/auth does: basic auth with "<project>@<AK>" and the
// login key; organizations must exist.
func (e *emulator) serveToken(w http.ResponseWriter, r *http.Request) {
	denied := func(status int, msg string) {
		writeJSON(w, status, map[string]any{"errors": []map[string]string{{"code": "DENIED", "message": msg}}})
	}
	var u *user
	if name, pass, ok := r.BasicAuth(); ok {
		if u = e.users.byRegistryLogin(name, pass); u == nil {
			denied(http.StatusUnauthorized, "authentication required")
			return
		}
	}
	q := r.URL.Query()
	if svc := q.Get("service"); svc != "" && svc != "dockyard" {
		denied(http.StatusBadRequest, "unknown service "+svc)
		return
	}
	g := &grant{User: u, Scopes: map[string]map[string]bool{}, Expires: e.now().Add(e.tokenTTL)}
	for _, scope := range q["scope"] {
		parts := strings.Split(scope, ":")
		if len(parts) != 3 || parts[0] != "repository" {
			denied(http.StatusBadRequest, "invalid scope "+scope)
			return
		}
		repo := parts[1]
		ns, _, _ := strings.Cut(repo, "/")
		if e.state.getOrg(ns) == nil {
			denied(http.StatusUnauthorized, "Image organization does not exist")
			return
		}
		if u == nil {
			continue // anonymous: no repository access in the emulator
		}
		acts := map[string]bool{}
		for _, a := range strings.Split(parts[2], ",") {
			acts[a] = true
		}
		g.Scopes[repo] = acts
	}
	tok := randomHex(32)
	e.tokens.put(tok, g)
	// SWR often leaves expires_in out; clients must assume a lifetime.
	writeJSON(w, http.StatusOK, map[string]any{"token": tok, "issued_at": e.now().UTC().Format(time.RFC3339)})
}
