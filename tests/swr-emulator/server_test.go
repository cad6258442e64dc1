package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const testAK, testSK = "TESTAK0123456789", "testsecretkey0123456789abcdefghijklmnopq"

func newTestServer(t *testing.T) (*emulator, *httptest.Server) {
	t.Helper()
	emu := newEmulator(&userStore{users: []*user{{Project: "eu-de", ProjectID: "pid1", AK: testAK, SK: testSK}}})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, srv
}

// signedDo signs with the emulator's own verifier functions (their
// correctness is pinned by the published vectors) and sends the request.
func signedDo(t *testing.T, method, url, body, sk string, at time.Time) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	date := at.UTC().Format(sdkDateLayout)
	req.Header.Set("X-Sdk-Date", date)
	signed := []string{"host", "x-sdk-date"}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		signed = []string{"content-type", "host", "x-sdk-date"}
	}
	cr, err := buildCanonicalRequest(req, signed, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	sig := computeSignature("access", sk, date, "", "", cr)
	req.Header.Set("Authorization", fmt.Sprintf("SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s", testAK, strings.Join(signed, ";"), sig))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestOrganizationLifecycle(t *testing.T) {
	_, srv := newTestServer(t)
	now := time.Now()
	if r := signedDo(t, "POST", srv.URL+"/v2/manage/namespaces", `{"namespace":"team"}`, testSK, now); r.StatusCode != 201 {
		t.Fatalf("create: %d", r.StatusCode)
	}
	r := signedDo(t, "POST", srv.URL+"/v2/manage/namespaces", `{"namespace":"team"}`, testSK, now)
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != 409 || !strings.Contains(string(body), `"errorCode":"SVCSTG.SWR.4090060"`) || !strings.HasPrefix(string(body), "[") {
		t.Fatalf("duplicate create: %d %s", r.StatusCode, body)
	}
	r = signedDo(t, "GET", srv.URL+"/v2/manage/namespaces", "", testSK, now)
	var list struct {
		Namespaces []struct{ Name string } `json:"namespaces"`
	}
	if err := json.NewDecoder(r.Body).Decode(&list); err != nil || len(list.Namespaces) != 1 || list.Namespaces[0].Name != "team" {
		t.Fatalf("list: %v %+v", err, list)
	}
	if r := signedDo(t, "DELETE", srv.URL+"/v2/manage/namespaces/team", "", testSK, now); r.StatusCode != 204 {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if r := signedDo(t, "GET", srv.URL+"/v2/manage/namespaces/team", "", testSK, now); r.StatusCode != 404 {
		t.Fatalf("get after delete: %d", r.StatusCode)
	}
}

func TestWrongSecretIsAGatewayError(t *testing.T) {
	_, srv := newTestServer(t)
	r := signedDo(t, "GET", srv.URL+"/v2/manage/namespaces", "", "wrong-secret", time.Now())
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != 401 || !strings.Contains(string(body), `"error_code":"APIGW.0301"`) {
		t.Fatalf("got %d %s", r.StatusCode, body)
	}
}

func TestSkewedClockIsRejected(t *testing.T) {
	_, srv := newTestServer(t)
	r := signedDo(t, "GET", srv.URL+"/v2/manage/namespaces", "", testSK, time.Now().Add(-20*time.Minute))
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != 401 || !strings.Contains(string(body), "signature expired") {
		t.Fatalf("got %d %s", r.StatusCode, body)
	}
}

func TestRepositoryPaging(t *testing.T) {
	emu, srv := newTestServer(t)
	emu.state.createOrg("org", "t", testAK)
	for i := 0; i < 7; i++ {
		emu.state.recordTag("org", fmt.Sprintf("repo%d", i), "v1", "sha256:x", 1, 0, "")
	}
	r := signedDo(t, "GET", srv.URL+"/v2/manage/repos?limit=3&offset=6", "", testSK, time.Now())
	var page []map[string]any
	_ = json.NewDecoder(r.Body).Decode(&page)
	if len(page) != 1 || r.Header.Get("Content-Range") != "6-1/7" {
		t.Fatalf("got %d items, Content-Range %q", len(page), r.Header.Get("Content-Range"))
	}
	if r := signedDo(t, "GET", srv.URL+"/v2/manage/repos?limit=3", "", testSK, time.Now()); r.StatusCode != 400 {
		t.Fatalf("limit without offset: %d", r.StatusCode)
	}
}

func TestTokenEndpoint(t *testing.T) {
	emu, srv := newTestServer(t)
	get := func(user, pass, scope string) (*http.Response, map[string]any) {
		req, _ := http.NewRequest("GET", srv.URL+"/swr/auth/v2/registry/auth?service=dockyard&scope="+scope, nil)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp, m
	}
	key := loginKey(testAK, testSK)
	if r, _ := get("eu-de@"+testAK, key, "repository:missing/app:push,pull"); r.StatusCode != 401 {
		t.Fatalf("missing org: %d", r.StatusCode)
	}
	emu.state.createOrg("team", "t", testAK)
	if r, _ := get("eu-de@"+testAK, "0000", "repository:team/app:pull"); r.StatusCode != 401 {
		t.Fatalf("wrong login key: %d", r.StatusCode)
	}
	r, m := get("eu-de@"+testAK, key, "repository:team/app:push,pull")
	if r.StatusCode != 200 || m["token"] == nil {
		t.Fatalf("token: %d %v", r.StatusCode, m)
	}
	g := emu.tokens.get(m["token"].(string), time.Now())
	if g == nil || !g.allows("team/app", "push") || g.allows("team/other", "pull") {
		t.Fatalf("grant scopes wrong: %+v", g)
	}
	if emu.tokens.get(m["token"].(string), time.Now().Add(emu.tokenTTL+time.Second)) != nil {
		t.Fatal("token did not expire")
	}
}

// The OAuth2 form (POST) that clients such as regclient try first: the
// password grant gives a token with the scopes asked for, as distribution's
// token server answers; other grants (refresh tokens are never issued) and
// a wrong password are refused.
func TestTokenEndpointByPost(t *testing.T) {
	emu, srv := newTestServer(t)
	emu.state.createOrg("team", "t", testAK)
	post := func(form url.Values) (*http.Response, map[string]any) {
		resp, err := http.PostForm(srv.URL+"/swr/auth/v2/registry/auth/", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp, m
	}
	key := loginKey(testAK, testSK)
	r, m := post(url.Values{"grant_type": {"password"}, "username": {"eu-de@" + testAK}, "password": {key},
		"service": {"dockyard"}, "client_id": {"regclient"}, "scope": {"repository:team/app:pull,push"}})
	if r.StatusCode != 200 || m["access_token"] == nil || m["refresh_token"] != nil {
		t.Fatalf("password grant: %d %v", r.StatusCode, m)
	}
	if g := emu.tokens.get(m["access_token"].(string), time.Now()); g == nil || !g.allows("team/app", "push") {
		t.Fatalf("the form's scopes were not granted: %+v", g)
	}
	if r, m := post(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}}); r.StatusCode != 400 ||
		m["error"] != "unsupported_grant_type" {
		t.Fatalf("refresh grant: %d %v", r.StatusCode, m)
	}
	if r, _ := post(url.Values{"grant_type": {"password"}, "username": {"eu-de@" + testAK}, "password": {"0000"},
		"scope": {"repository:team/app:pull"}}); r.StatusCode != 401 {
		t.Fatalf("wrong password: %d", r.StatusCode)
	}
}

func TestDockyardNeedsLoginKey(t *testing.T) {
	emu, srv := newTestServer(t)
	emu.state.createOrg("team", "t", testAK)
	req, _ := http.NewRequest("GET", srv.URL+"/dockyard/v2/visible/namespaces", nil)
	req.SetBasicAuth("eu-de@"+testAK, loginKey(testAK, testSK))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"name":"team"`) {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	req.SetBasicAuth("eu-de@"+testAK, testSK)
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("SK as password accepted: %d", resp.StatusCode)
	}
}

func TestOrganizationsBelongToAnAccountAndAreLimitedToFive(t *testing.T) {
	emu, srv := newTestServer(t)
	now := time.Now()
	if got := emu.state.createOrg("elsewhere", "x", "another-account"); got != "" {
		t.Fatalf("seed: %q", got)
	}
	r := signedDo(t, "POST", srv.URL+"/v2/manage/namespaces", `{"namespace":"elsewhere"}`, testSK, now)
	if r.StatusCode != 409 {
		t.Fatalf("a name held by another account: %d, want 409", r.StatusCode)
	}
	// SWR's error table: a cross-account error (the default), or 403, or as if absent.
	if r := signedDo(t, "GET", srv.URL+"/v2/manage/namespaces/elsewhere", "", testSK, now); r.StatusCode != 401 {
		t.Fatalf("another account's organization: %d, want 401 (cross-account)", r.StatusCode)
	}
	emu.foreignOrg = "403"
	if r := signedDo(t, "GET", srv.URL+"/v2/manage/namespaces/elsewhere", "", testSK, now); r.StatusCode != 403 {
		t.Fatalf("another account's organization with -foreign-org 403: %d", r.StatusCode)
	}
	emu.foreignOrg = "404"
	if r := signedDo(t, "GET", srv.URL+"/v2/manage/namespaces/elsewhere", "", testSK, now); r.StatusCode != 404 {
		t.Fatalf("another account's organization with -foreign-org 404: %d", r.StatusCode)
	}
	for i := 1; i <= 5; i++ {
		if r := signedDo(t, "POST", srv.URL+"/v2/manage/namespaces", fmt.Sprintf(`{"namespace":"o%d"}`, i), testSK, now); r.StatusCode != 201 {
			t.Fatalf("org %d: %d", i, r.StatusCode)
		}
	}
	r = signedDo(t, "POST", srv.URL+"/v2/manage/namespaces", `{"namespace":"o6"}`, testSK, now)
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != 400 || !strings.Contains(string(body), "SVCSTG.SWR.4000097") {
		t.Fatalf("sixth organization: %d %s", r.StatusCode, body)
	}
}

func TestPagingNeedsOffsetsThatAreMultiplesOfTheLimit(t *testing.T) {
	emu, srv := newTestServer(t)
	emu.state.createOrg("org", "t", testAK)
	emu.state.recordTag("org", "a", "v1", "sha256:x", 1, 0, "")
	now := time.Now()
	if r := signedDo(t, "GET", srv.URL+"/v2/manage/repos?limit=10&offset=20", "", testSK, now); r.StatusCode != 200 {
		t.Fatalf("offset 20, limit 10: %d", r.StatusCode)
	}
	if r := signedDo(t, "GET", srv.URL+"/v2/manage/repos?limit=10&offset=7", "", testSK, now); r.StatusCode != 400 {
		t.Fatalf("offset 7, limit 10: %d, want 400", r.StatusCode)
	}
}

func TestManagementAndRegistryHostsServeOnlyTheirOwnApis(t *testing.T) {
	emu := newEmulator(&userStore{users: []*user{{Project: "eu-de", AK: testAK, SK: testSK}}})
	reg := httptest.NewServer(emu.handler(registryOrigin))
	api := httptest.NewServer(emu.handler(apiOrigin))
	t.Cleanup(reg.Close)
	t.Cleanup(api.Close)
	now := time.Now()
	if r := signedDo(t, "GET", api.URL+"/v2/manage/namespaces", "", testSK, now); r.StatusCode != 200 {
		t.Fatalf("management on the API host: %d", r.StatusCode)
	}
	if r := signedDo(t, "GET", reg.URL+"/v2/manage/namespaces", "", testSK, now); r.StatusCode != 404 {
		t.Fatalf("management on the registry host: %d, want 404", r.StatusCode)
	}
	req, _ := http.NewRequest("GET", api.URL+"/dockyard/v2/visible/namespaces", nil)
	req.SetBasicAuth("eu-de@"+testAK, loginKey(testAK, testSK))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("legacy paths on the API host: %d, want 404", resp.StatusCode)
	}
}

func TestTemporaryLoginIsAcceptedUntilItExpires(t *testing.T) {
	emu, srv := newTestServer(t)
	emu.state.createOrg("team", "t", testAK)
	r := signedDo(t, "POST", srv.URL+"/v2/manage/utils/secret?projectname=eu-de", "", testSK, time.Now())
	cmd := r.Header.Get("X-Swr-Dockerlogin")
	parts := strings.Fields(cmd)
	if r.StatusCode != 200 || len(parts) != 7 || parts[2] != "-u" || parts[4] != "-p" || r.Header.Get("X-Swr-Expireat") == "" {
		t.Fatalf("temporary login: %d %q", r.StatusCode, cmd)
	}
	user, pass := parts[3], parts[5]
	token := func() int {
		req, _ := http.NewRequest("GET", srv.URL+"/swr/auth/v2/registry/auth?service=dockyard&scope=repository:team/app:pull", nil)
		req.SetBasicAuth(user, pass)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := token(); got != 200 {
		t.Fatalf("token with the temporary login: %d", got)
	}
	emu.mu.Lock()
	emu.clockOffset = 7 * time.Hour
	emu.mu.Unlock()
	if got := token(); got != 401 {
		t.Fatalf("token with an expired temporary login: %d, want 401", got)
	}
}
