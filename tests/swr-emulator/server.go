package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
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
	tempTTL  time.Duration  // lifetime of temporary docker logins

	mu          sync.Mutex
	clockOffset time.Duration
	faults      []*fault
	requests    map[string]int // "METHOD path-prefix" counters for tests
	// Management requests per account in the current second, and the limit
	// above which SWR answers 403 SVCSTG.SWR.4031032 (0: off).
	manageLimit int
	// foreignOrg: how a GET of another account's organization is answered
	// ("401": SWR's 401 SVCSTG.SWR.4011064 cross-account error, "403": 403
	// SVCSTG.SWR.4039001, "404": as if absent).
	foreignOrg string
	// Login lock-out ("Not allow to login, upload or download image" after
	// repeated failures; retry after 30 minutes: SWR's troubleshooting FAQ):
	// after lockAfter failed registry logins of one user name within
	// lockWindow, every login of that name is refused for lockFor. 0: off.
	lockAfter    int
	lockWindow   time.Duration
	lockFor      time.Duration
	logins       map[string]*loginFailures
	manageWindow map[string]*window
	throttled    int
	temps        map[string]*tempLogin // password -> temporary docker login
}

type window struct {
	start time.Time
	count int
}

// tempLogin is what POST /v2/manage/utils/secret hands out: a docker login
// valid for hours, accepted by the token endpoint until it expires.
type tempLogin struct {
	User    *user
	Expires time.Time
}

// origin says which of SWR's hosts a listener plays: both (one listener),
// the registry host (registry API, token endpoint, legacy dockyard paths) or
// the management API host (swr-api.<region>: /v2/manage).
type origin int

const (
	bothOrigins origin = iota
	registryOrigin
	apiOrigin
)

// handler serves one origin.
func (e *emulator) handler(o origin) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { e.serve(w, r, o) })
}

func newEmulator(users *userStore) *emulator {
	return &emulator{
		users:        users,
		state:        newRegistryState(),
		tokenTTL:     900 * time.Second,
		maxSkew:      15 * time.Minute,
		maxBody:      12 << 20,
		requests:     map[string]int{},
		tempTTL:      6 * time.Hour,
		manageWindow: map[string]*window{},
		temps:        map[string]*tempLogin{},
		foreignOrg:   "401",
		lockWindow:   10 * time.Minute,
		lockFor:      30 * time.Minute,
		logins:       map[string]*loginFailures{},
	}
}

type loginFailures struct {
	first       time.Time
	count       int
	lockedUntil time.Time
}

// loginLocked reports whether logins of `name` are refused now.
func (e *emulator) loginLocked(name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	f := e.logins[name]
	return f != nil && time.Now().Before(f.lockedUntil)
}

// loginFailed counts a refused login of `name`.
func (e *emulator) loginFailed(name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.lockAfter <= 0 {
		return
	}
	now := time.Now()
	f := e.logins[name]
	if f == nil || now.Sub(f.first) > e.lockWindow {
		f = &loginFailures{first: now}
		e.logins[name] = f
	}
	f.count++
	if f.count >= e.lockAfter {
		f.lockedUntil = now.Add(e.lockFor)
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

func (e *emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.serve(w, r, bothOrigins) }

func (e *emulator) serve(w http.ResponseWriter, r *http.Request, o origin) {
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
	// Each host serves only its own APIs: a client that sends management
	// calls to the registry host (or the reverse) fails here as it would on SWR.
	manage := strings.HasPrefix(path, "/v2/manage/")
	if (o == registryOrigin && manage) || (o == apiOrigin && !manage) {
		swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040000", "no such API on this host: "+path)
		return
	}
	switch {
	case manage:
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
		// Organizations belong to the first user's account unless "owner"
		// names another account (to model names taken by someone else).
		var doc struct {
			Orgs []struct {
				Name  string `json:"name"`
				Owner string `json:"owner"`
			} `json:"orgs"`
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
		owner := e.users.users[0].account()
		for _, o := range doc.Orgs {
			acct := owner
			if o.Owner != "" {
				acct = o.Owner
			}
			e.state.createOrg(o.Name, "seed", acct)
		}
		for _, rp := range doc.Repos {
			e.state.createOrg(rp.Namespace, "seed", owner)
			e.state.recordTag(rp.Namespace, rp.Name, "", "", 0, 0, "")
			for _, t := range rp.Tags {
				e.state.recordTag(rp.Namespace, rp.Name, t, "sha256:"+sha256Hex([]byte(rp.Namespace+"/"+rp.Name+":"+t)), 1024, 0, "")
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
	case "/_emulator/manage-rate-limit":
		n, err := strconv.Atoi(r.URL.Query().Get("per_second"))
		if err != nil || n < 0 {
			http.Error(w, "need per_second", http.StatusBadRequest)
			return
		}
		e.mu.Lock()
		e.manageLimit = n
		e.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case "/_emulator/throttled":
		e.mu.Lock()
		defer e.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]int{"throttled": e.throttled})
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

// orgJSONFor: with the user's permission in it as "auth".
func orgJSONFor(o organization, u *user) map[string]any {
	j := orgJSON(o)
	j["auth"] = u.permission(o.Name)
	return j
}

// throttle counts a management request of `account`; true when SWR would
// answer "too many requests" (403 SVCSTG.SWR.4031032, per its error code list).
func (e *emulator) throttle(account string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.manageLimit <= 0 {
		return false
	}
	now := time.Now()
	win := e.manageWindow[account]
	if win == nil || now.Sub(win.start) >= time.Second {
		win = &window{start: now}
		e.manageWindow[account] = win
	}
	win.count++
	if win.count > e.manageLimit {
		e.throttled++
		return true
	}
	return false
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
	acct := u.account()
	if e.throttle(acct) {
		swrError(w, http.StatusForbidden, "SVCSTG.SWR.4031032", "Too many requests, please try again later")
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/v2/manage/"), "/")
	method := r.Method
	switch {
	case len(parts) == 1 && parts[0] == "namespaces" && method == http.MethodGet:
		e.listOrgs(w, r, u, false)
	case len(parts) == 1 && parts[0] == "namespaces" && method == http.MethodPost:
		e.createOrg(w, body, u)
	case len(parts) == 2 && parts[0] == "namespaces" && method == http.MethodGet:
		e.getOrg(w, parts[1], u)
	case len(parts) == 2 && parts[0] == "namespaces" && method == http.MethodDelete:
		switch e.state.deleteOrg(parts[1], acct) {
		case "missing":
			swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040058", "namespace "+parts[1]+" not found")
		case "not-empty":
			swrError(w, http.StatusNotAcceptable, "SVCSTG.SWR.4060074", "namespace "+parts[1]+" is not empty")
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	case len(parts) == 1 && parts[0] == "repos" && method == http.MethodGet:
		e.listRepos(w, r, acct)
	case len(parts) == 4 && parts[0] == "namespaces" && parts[2] == "repos" && method == http.MethodDelete:
		e.deleteRepo(w, acct, parts[1], strings.ReplaceAll(parts[3], "$", "/"))
	case len(parts) == 5 && parts[0] == "namespaces" && parts[2] == "repos" && parts[4] == "tags" && method == http.MethodGet:
		e.listTags(w, r, acct, parts[1], strings.ReplaceAll(parts[3], "$", "/"))
	case len(parts) == 6 && parts[0] == "namespaces" && parts[2] == "repos" && parts[4] == "tags" && method == http.MethodDelete:
		e.deleteTag(w, acct, parts[1], strings.ReplaceAll(parts[3], "$", "/"), parts[5])
	case len(parts) == 2 && parts[0] == "utils" && parts[1] == "secret" && method == http.MethodPost:
		e.temporaryLogin(w, r, u)
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
	switch e.state.createOrg(req.Namespace, u.Project, u.account()) {
	case "exists":
		// Names are unique in a region across all accounts; SWR says 409
		// whoever owns it.
		swrError(w, http.StatusConflict, "SVCSTG.SWR.4090060", "namespace "+req.Namespace+" already exists")
	case "quota":
		swrError(w, http.StatusBadRequest, "SVCSTG.SWR.4000097", "The number of organizations exceeds the quota")
	default:
		w.WriteHeader(http.StatusCreated)
	}
}

// getOrg: another account's organization is not visible; SWR's error
// table has a cross-account error for it (-foreign-org picks the answer).
func (e *emulator) getOrg(w http.ResponseWriter, name string, u *user) {
	o := e.state.getOrg(name, u.account())
	if o == nil {
		switch {
		case !e.state.exists(name) || e.foreignOrg == "404":
			swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040058", "namespace "+name+" not found")
		case e.foreignOrg == "403":
			swrError(w, http.StatusForbidden, "SVCSTG.SWR.4039001", "The resource does not belong to you")
		default:
			swrError(w, http.StatusUnauthorized, "SVCSTG.SWR.4011064", "Cross-account error")
		}
		return
	}
	writeJSON(w, http.StatusOK, orgJSONFor(*o, u))
}

func (e *emulator) listOrgs(w http.ResponseWriter, r *http.Request, u *user, legacy bool) {
	account := u.account()
	only := r.URL.Query().Get("namespace")
	if f := r.URL.Query().Get("filter"); f != "" {
		for _, cond := range strings.Split(f, "|") {
			if k, v, ok := strings.Cut(cond, "::"); ok && k == "namespace" {
				only = v
			}
		}
	}
	list := []map[string]any{}
	for _, o := range e.state.listOrgs(account) {
		if only != "" && o.Name != only {
			continue
		}
		m := orgJSONFor(o, u)
		if legacy {
			m["user_count"] = 1
			m["image_count"] = len(e.state.listRepos(o.Name))
		}
		list = append(list, m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"namespaces": list})
}

// page applies limit/offset as SWR does and sets Content-Range. The offset
// must be a multiple of the limit (the OTC SDKs page as offset = page *
// limit; the API reference gives limit and offset as page size and start).
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
		if err1 != nil || err2 != nil || limit < 1 || limit > 1000 || offset < 0 || offset%limit != 0 {
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
	var size int64
	for _, t := range rp.Tags {
		size += t.Size
	}
	return map[string]any{
		"name": rp.Name, "category": rp.Category, "size": size, "is_public": rp.IsPublic,
		"num_images": len(rp.Tags), "num_download": 0,
		"created_at": rp.Created.Format(time.RFC3339), "updated_at": rp.Updated.Format(time.RFC3339),
		"url": "", "path": "swr.emulator/" + rp.Namespace + "/" + rp.Name,
		"internal_path": "127.0.0.1/" + rp.Namespace + "/" + rp.Name,
		"domain_name":   "emulator", "namespace": rp.Namespace, "tags": rp.sortedTags(), "status": false,
	}
}

// listRepos: SWR's namespace filter is a fuzzy (substring) match, and the
// order is SWR's unless order_column/order_type ask (name, asc|desc).
func (e *emulator) listRepos(w http.ResponseWriter, r *http.Request, account string) {
	q := r.URL.Query()
	ns := q.Get("namespace")
	if f := q.Get("filter"); f != "" {
		for _, cond := range strings.Split(f, "|") {
			if k, v, ok := strings.Cut(cond, "::"); ok && k == "namespace" {
				ns = v
			}
		}
	}
	var repos []repository
	for _, rp := range e.state.listRepos("") {
		if e.state.getOrg(rp.Namespace, account) == nil || (ns != "" && !strings.Contains(rp.Namespace, ns)) {
			continue
		}
		repos = append(repos, rp)
	}
	if q.Get("order_column") == "name" {
		desc := q.Get("order_type") == "desc"
		sort.SliceStable(repos, func(i, j int) bool {
			if desc {
				return repos[i].Name > repos[j].Name
			}
			return repos[i].Name < repos[j].Name
		})
	} else {
		// Unordered requests get the newest first, as SWR lists them.
		sort.SliceStable(repos, func(i, j int) bool { return repos[i].Updated.After(repos[j].Updated) })
	}
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

func (e *emulator) listTags(w http.ResponseWriter, r *http.Request, account, ns, repo string) {
	rp := e.state.getRepo(ns, repo)
	if rp == nil || e.state.getOrg(ns, account) == nil {
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
			"id": 0, "repo_id": 0, "Tag": t, "image_id": "", "manifest": ti.Manifest, "digest": ti.Digest, "schema": 2,
			"path": "swr.emulator/" + ns + "/" + repo + ":" + t, "internal_path": "", "size": ti.Size,
			"is_trusted": false, "created": ti.Created.Format(time.RFC3339), "updated": ti.Updated.Format(time.RFC3339),
			"deleted": nil, "domain_id": "", "scanned": false, "tag_type": ti.TagType,
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// deleteRepo: DELETE /v2/manage/namespaces/{ns}/repos/{repo} -> 204, and the
// images go from the registry too.
func (e *emulator) deleteRepo(w http.ResponseWriter, account, ns, repo string) {
	if e.state.getOrg(ns, account) == nil {
		swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040058", "namespace "+ns+" not found")
		return
	}
	digests, ok := e.state.deleteRepo(ns, repo)
	if !ok {
		swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040113", "image "+ns+"/"+repo+" not found")
		return
	}
	if e.registry != nil {
		for _, d := range digests {
			e.registry.deleteManifest(ns+"/"+repo, d)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteTag: DELETE /v2/manage/namespaces/{ns}/repos/{repo}/tags/{tag} -> 204
// (API reference: "Deleting the image with a specified tag").
func (e *emulator) deleteTag(w http.ResponseWriter, account, ns, repo, tag string) {
	if e.state.getOrg(ns, account) == nil {
		swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040058", "namespace "+ns+" not found")
		return
	}
	digest, shared, ok := e.state.deleteTag(ns, repo, tag)
	if !ok {
		swrError(w, http.StatusNotFound, "SVCSTG.SWR.4040048", "tag "+tag+" not found")
		return
	}
	if e.registry != nil {
		e.registry.hideTag(ns+"/"+repo, tag)
		if !shared {
			e.registry.deleteManifest(ns+"/"+repo, digest)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// temporaryLogin: POST /v2/manage/utils/secret. The docker login command is
// in X-Swr-Dockerlogin (and the body carries a docker config's "auths");
// X-Swr-Expireat says when it ends (the Huawei SDK reads both headers; the
// value's format is not documented: the emulator sends RFC 3339).
func (e *emulator) temporaryLogin(w http.ResponseWriter, r *http.Request, u *user) {
	if p := r.URL.Query().Get("projectname"); p != "" && p != u.Project {
		swrError(w, http.StatusBadRequest, "SVCSTG.SWR.4000014", "invalid parameter: projectname")
		return
	}
	// Hex, as SWR's examples show it (masked); 80 digits, not 64: a temporary
	// password must never pass for a long-term login key. The length is the
	// emulator's choice (no public source gives one).
	pass := randomHex(40)
	expires := e.now().Add(e.tempTTL).UTC()
	e.mu.Lock()
	e.temps[pass] = &tempLogin{User: u, Expires: expires}
	e.mu.Unlock()
	user := u.Project + "@" + u.AK
	w.Header().Set("X-Swr-Dockerlogin", fmt.Sprintf("docker login -u %s -p %s %s", user, pass, r.Host))
	w.Header().Set("X-Swr-Expireat", expires.Format(time.RFC3339))
	auth := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	writeJSON(w, http.StatusOK, map[string]any{"auths": map[string]any{r.Host: map[string]string{"auth": auth}}})
}

// registryUser checks a registry login: "<project>@<AK>" with the login key,
// or a temporary login that has not expired.
func (e *emulator) registryUser(name, password string) *user {
	if u := e.users.byRegistryLogin(name, password); u != nil {
		return u
	}
	e.mu.Lock()
	t := e.temps[password]
	e.mu.Unlock()
	if t == nil || e.now().After(t.Expires) || name != t.User.Project+"@"+t.User.AK {
		return nil
	}
	return t.User
}

// serveDockyard is the legacy, basic-auth management API that Harbor's
// huawei adapter (and the OTC fork) use.
func (e *emulator) serveDockyard(w http.ResponseWriter, r *http.Request) {
	name, pass, ok := r.BasicAuth()
	var u *user
	if ok {
		u = e.registryUser(name, pass) // the login key, or a temporary login
	}
	if u == nil {
		swrError(w, http.StatusUnauthorized, "SVCSTG.SWR.4010000", "authentication failed")
		return
	}
	acct := u.account()
	body, ok := e.readBody(w, r)
	if !ok {
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/dockyard/v2/")
	switch {
	case path == "visible/namespaces" && r.Method == http.MethodGet:
		e.listOrgs(w, r, u, true)
	case path == "namespaces" && r.Method == http.MethodPost:
		e.createOrg(w, body, u)
	case strings.HasPrefix(path, "namespaces/") && r.Method == http.MethodGet:
		e.getOrg(w, strings.TrimPrefix(path, "namespaces/"), u)
	case path == "repositories" && r.Method == http.MethodGet:
		out := []map[string]any{}
		for _, rp := range e.state.listRepos("") {
			if e.state.getOrg(rp.Namespace, acct) != nil {
				out = append(out, e.repoJSON(rp))
			}
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
	// OAuth2 form (POST), as clients such as regclient try first: answered as
	// distribution's token server without refresh tokens answers it.
	form := r.PostForm
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
			return
		}
		form = r.PostForm
		if gt := form.Get("grant_type"); gt != "password" {
			// Refresh tokens are never issued, so only the password grant exists.
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
			return
		}
	}
	name, pass, ok := r.BasicAuth()
	if r.Method == http.MethodPost {
		name, pass, ok = form.Get("username"), form.Get("password"), form.Get("username") != ""
	}
	var u *user
	if ok {
		if e.loginLocked(name) {
			denied(http.StatusForbidden, "Not allow to login, upload or download image")
			return
		}
		if u = e.registryUser(name, pass); u == nil {
			e.loginFailed(name)
			denied(http.StatusUnauthorized, "authentication required")
			return
		}
	}
	q := r.URL.Query()
	scopes := q["scope"]
	if r.Method == http.MethodPost {
		q = form
		scopes = strings.Fields(form.Get("scope")) // space-separated in the form
	}
	if svc := q.Get("service"); svc != "" && svc != "dockyard" {
		denied(http.StatusBadRequest, "unknown service "+svc)
		return
	}
	g := &grant{User: u, Scopes: map[string]map[string]bool{}, Expires: e.now().Add(e.tokenTTL)}
	for _, scope := range scopes {
		parts := strings.Split(scope, ":")
		if len(parts) != 3 || parts[0] != "repository" {
			denied(http.StatusBadRequest, "invalid scope "+scope)
			return
		}
		repo := parts[1]
		ns, _, _ := strings.Cut(repo, "/")
		if u == nil {
			if e.state.getOrg(ns, "") == nil {
				denied(http.StatusUnauthorized, "Image organization does not exist")
				return
			}
			continue // anonymous: no repository access in the emulator
		}
		// Another account's organization is as good as absent: no token for it.
		if e.state.getOrg(ns, u.account()) == nil {
			denied(http.StatusUnauthorized, "Image organization does not exist")
			return
		}
		acts := map[string]bool{}
		for _, a := range strings.Split(parts[2], ",") {
			// A read-only user (permission 1) gets pull only, as SWR's
			// token service grants what the user may do.
			if (a == "push" || a == "delete" || a == "*") && u.permission(ns) < 3 {
				continue
			}
			acts[a] = true
		}
		g.Scopes[repo] = acts
	}
	tok := randomHex(32)
	e.tokens.put(tok, g)
	if r.Method == http.MethodPost {
		writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "scope": strings.Join(scopes, " "),
			"expires_in": int(e.tokenTTL.Seconds()), "issued_at": e.now().UTC().Format(time.RFC3339)})
		return
	}
	// SWR often leaves expires_in out; clients must assume a lifetime.
	writeJSON(w, http.StatusOK, map[string]any{"token": tok, "issued_at": e.now().UTC().Format(time.RFC3339)})
}
