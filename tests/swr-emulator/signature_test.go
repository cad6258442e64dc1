package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

type vectorFile struct {
	CanonicalQuery struct {
		Params    [][2]string `json:"params"`
		Canonical string      `json:"canonical"`
	} `json:"canonical_query_vector"`
	LoginKeys []struct {
		AK, SK   string
		LoginKey string `json:"login_key"`
	} `json:"login_key_vectors"`
	Vectors []struct {
		ID            string            `json:"id"`
		Format        string            `json:"format"`
		AK            string            `json:"ak"`
		SK            string            `json:"sk"`
		Method        string            `json:"method"`
		URL           string            `json:"url"`
		Headers       map[string]string `json:"headers"`
		SignedHeaders []string          `json:"signed_headers"`
		Body          string            `json:"body"`
		Region        string            `json:"region"`
		Service       string            `json:"service"`
		Canonical     string            `json:"canonical_request"`
		Authorization string            `json:"authorization"`
	} `json:"vectors"`
}

func loadVectors(t *testing.T) vectorFile {
	t.Helper()
	data, err := os.ReadFile("../testdata/aksk-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Vectors) == 0 {
		t.Fatal("no vectors")
	}
	return v
}

// TestPublishedVectorsVerify builds each published request and checks that
// the emulator accepts its published Authorization and rebuilds its
// canonical request exactly.
func TestPublishedVectorsVerify(t *testing.T) {
	v := loadVectors(t)
	for _, vec := range v.Vectors {
		t.Run(vec.ID, func(t *testing.T) {
			req, err := http.NewRequest(vec.Method, vec.URL, bytes.NewReader([]byte(vec.Body)))
			if err != nil {
				t.Fatal(err)
			}
			for k, val := range vec.Headers {
				if strings.EqualFold(k, "host") {
					req.Host = val
				} else {
					req.Header.Set(k, val)
				}
			}
			req.Header.Set("Authorization", vec.Authorization)
			canonical, err := buildCanonicalRequest(req, vec.SignedHeaders, []byte(vec.Body))
			if err != nil {
				t.Fatal(err)
			}
			if canonical != vec.Canonical {
				t.Fatalf("canonical request\n got %q\nwant %q", canonical, vec.Canonical)
			}
			date, _ := time.Parse(sdkDateLayout, vec.Headers["X-Sdk-Date"])
			users := &userStore{users: []*user{{Project: "p", AK: vec.AK, SK: vec.SK}}}
			if _, ge := verifySignature(req, []byte(vec.Body), users, date, 15*time.Minute); ge != nil {
				t.Fatalf("published signature rejected: %s", ge.msg)
			}
			// One changed byte in the body must break it.
			if _, ge := verifySignature(req, []byte(vec.Body+"x"), users, date, 15*time.Minute); ge == nil {
				t.Fatal("a modified body was accepted")
			}
			// Outside the 15 minute window it is expired.
			if _, ge := verifySignature(req, []byte(vec.Body), users, date.Add(16*time.Minute), 15*time.Minute); ge == nil || !strings.Contains(ge.msg, "signature expired") {
				t.Fatalf("a 16 minute old signature was not rejected as expired: %v", ge)
			}
		})
	}
}

func TestCanonicalQueryVector(t *testing.T) {
	v := loadVectors(t)
	var parts []string
	for _, p := range v.CanonicalQuery.Params {
		parts = append(parts, sigEscape(p[0])+"="+sigEscape(p[1]))
	}
	got := canonicalQuery(strings.Join(parts, "&"))
	if got != v.CanonicalQuery.Canonical {
		t.Fatalf("got %q want %q", got, v.CanonicalQuery.Canonical)
	}
}

func TestLoginKeyVectors(t *testing.T) {
	v := loadVectors(t)
	for _, lk := range v.LoginKeys {
		if got := loginKey(lk.AK, lk.SK); got != lk.LoginKey {
			t.Errorf("loginKey(%s) = %s, want %s", lk.AK, got, lk.LoginKey)
		}
	}
}

func TestOrgNameRules(t *testing.T) {
	for name, want := range map[string]bool{
		"a": true, "group": true, "my-org.1": true, "a__b": true,
		"": false, "1abc": false, "Abc": false, "abc-": false, "a--b": false, "a___b": false, "a._b": false,
		strings.Repeat("a", 64): true, strings.Repeat("a", 65): false,
	} {
		if got := validOrgName(name); got != want {
			t.Errorf("validOrgName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestCredentialsFile(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/users.json"
	if err := os.WriteFile(path, []byte(`{"users":[{"project":"eu-de","project_id":"p1","ak":"AK1","sk":"SK1"},{"project":"eu-nl_dev","ak":"AK2","sk":"SK2"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	users, err := loadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	if u := users.byAK("AK2"); u == nil || u.Project != "eu-nl_dev" {
		t.Fatalf("byAK: %+v", u)
	}
	if users.byRegistryLogin("eu-nl_dev@AK2", loginKey("AK2", "SK2")) == nil {
		t.Fatal("registry login with the login key refused")
	}
	if users.byRegistryLogin("eu-de@AK2", loginKey("AK2", "SK2")) != nil {
		t.Fatal("a login under another project's name was accepted")
	}
	if err := os.WriteFile(path, []byte(`{"users":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadUsers(path); err == nil {
		t.Fatal("an empty user list was accepted")
	}
}
