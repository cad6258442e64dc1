package main

// An independent implementation of SDK-HMAC-SHA256 verification, written
// from the protocol description, not from the C++ code it checks.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

const sdkDateLayout = "20060102T150405Z"

// sigEscape escapes every byte outside A-Z a-z 0-9 - _ . ~ as %XX.
func sigEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func canonicalURI(escapedPath string) string {
	decoded, err := url.PathUnescape(escapedPath)
	if err != nil {
		decoded = escapedPath
	}
	parts := strings.Split(decoded, "/")
	for i, p := range parts {
		parts[i] = sigEscape(p)
	}
	out := strings.Join(parts, "/")
	if !strings.HasPrefix(out, "/") {
		out = "/" + out
	}
	if !strings.HasSuffix(out, "/") {
		out += "/"
	}
	return out
}

func canonicalQuery(rawQuery string) string {
	type kv struct{ k, v string }
	var pairs []kv
	for _, part := range strings.Split(rawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		dk, err := url.PathUnescape(k)
		if err != nil {
			dk = k
		}
		dv, err := url.PathUnescape(v)
		if err != nil {
			dv = v
		}
		pairs = append(pairs, kv{dk, dv})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = sigEscape(p.k) + "=" + sigEscape(p.v)
	}
	return strings.Join(out, "&")
}

type parsedAuth struct {
	format        string // "access" or "credential"
	accessKey     string
	scopeDate     string
	region        string
	service       string
	signedHeaders []string
	signature     string
}

func parseAuthorization(h string) (*parsedAuth, error) {
	const prefix = "SDK-HMAC-SHA256 "
	if !strings.HasPrefix(h, prefix) {
		return nil, errors.New("Authorization is not SDK-HMAC-SHA256")
	}
	p := &parsedAuth{}
	for _, field := range strings.Split(h[len(prefix):], ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(field), "=")
		if !ok {
			return nil, fmt.Errorf("malformed Authorization field %q", field)
		}
		switch k {
		case "Access":
			p.format, p.accessKey = "access", v
		case "Credential":
			parts := strings.Split(v, "/")
			if len(parts) != 5 || parts[4] != "sdk_request" {
				return nil, errors.New("malformed Credential scope")
			}
			p.format, p.accessKey, p.scopeDate, p.region, p.service = "credential", parts[0], parts[1], parts[2], parts[3]
		case "SignedHeaders":
			p.signedHeaders = strings.Split(v, ";")
		case "Signature":
			p.signature = v
		default:
			return nil, fmt.Errorf("unknown Authorization field %q", k)
		}
	}
	if p.accessKey == "" || len(p.signedHeaders) == 0 || p.signature == "" {
		return nil, errors.New("Authorization lacks Access/Credential, SignedHeaders or Signature")
	}
	return p, nil
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// headerValue gives the value a signer saw: Host comes from the request line.
func headerValue(r *http.Request, name string) (string, bool) {
	if name == "host" {
		return r.Host, r.Host != ""
	}
	vals, ok := r.Header[http.CanonicalHeaderKey(name)]
	if !ok {
		return "", false
	}
	return strings.TrimSpace(strings.Join(vals, ",")), true
}

func buildCanonicalRequest(r *http.Request, signed []string, body []byte) (string, error) {
	var hdrs strings.Builder
	for _, name := range signed {
		v, ok := headerValue(r, name)
		if !ok {
			return "", fmt.Errorf("signed header %q is missing", name)
		}
		hdrs.WriteString(name + ":" + v + "\n")
	}
	payload := r.Header.Get("X-Sdk-Content-Sha256")
	if payload == "" {
		payload = sha256Hex(body)
	}
	return strings.Join([]string{
		strings.ToUpper(r.Method),
		canonicalURI(r.URL.EscapedPath()),
		canonicalQuery(r.URL.RawQuery),
		hdrs.String(),
		strings.Join(signed, ";"),
		payload,
	}, "\n"), nil
}

// computeSignature returns the hex signature for a canonical request.
func computeSignature(format, sk, sdkDate, region, service, canonical string) string {
	crHash := sha256Hex([]byte(canonical))
	if format == "access" {
		sts := "SDK-HMAC-SHA256\n" + sdkDate + "\n" + crHash
		return hex.EncodeToString(hmacSHA256([]byte(sk), sts))
	}
	day := sdkDate[:8]
	scope := day + "/" + region + "/" + service + "/sdk_request"
	sts := "SDK-HMAC-SHA256\n" + sdkDate + "\n" + scope + "\n" + crHash
	k := hmacSHA256([]byte("SDK"+sk), day)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "sdk_request")
	return hex.EncodeToString(hmacSHA256(k, sts))
}

// gatewayError is what the API gateway answers when authentication fails.
type gatewayError struct {
	status int
	msg    string
}

func (e *gatewayError) Error() string { return e.msg }

// verifySignature checks an AK/SK-signed request. It returns the user on
// success and a gateway-shaped error otherwise.
func verifySignature(r *http.Request, body []byte, users *userStore, now time.Time, maxSkew time.Duration) (*user, *gatewayError) {
	const bad = "Incorrect IAM authentication information: "
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, &gatewayError{401, bad + "Authorization not found"}
	}
	p, err := parseAuthorization(h)
	if err != nil {
		return nil, &gatewayError{401, bad + err.Error()}
	}
	u := users.byAK(p.accessKey)
	if u == nil {
		return nil, &gatewayError{401, bad + "ak " + p.accessKey + " not exist"}
	}
	signedDate := false
	for i, n := range p.signedHeaders {
		if n != strings.ToLower(n) || (i > 0 && p.signedHeaders[i-1] >= n) {
			return nil, &gatewayError{401, bad + "SignedHeaders must be lower case and sorted"}
		}
		if n == "x-sdk-date" {
			signedDate = true
		}
	}
	if !signedDate {
		return nil, &gatewayError{401, bad + "x-sdk-date is not signed"}
	}
	sdkDate := r.Header.Get("X-Sdk-Date")
	t, err := time.Parse(sdkDateLayout, sdkDate)
	if err != nil {
		return nil, &gatewayError{401, bad + "X-Sdk-Date is missing or malformed"}
	}
	if d := now.Sub(t); d > maxSkew || -d > maxSkew {
		return nil, &gatewayError{401, fmt.Sprintf("%ssignature expired, signature time:%s,server time:%s", bad, sdkDate, now.UTC().Format(sdkDateLayout))}
	}
	if p.format == "credential" && p.scopeDate != sdkDate[:8] {
		return nil, &gatewayError{401, bad + "credential scope date does not match X-Sdk-Date"}
	}
	canonical, err := buildCanonicalRequest(r, p.signedHeaders, body)
	if err != nil {
		return nil, &gatewayError{401, bad + err.Error()}
	}
	want := computeSignature(p.format, u.SK, sdkDate, p.region, p.service, canonical)
	if !hmac.Equal([]byte(want), []byte(p.signature)) {
		return nil, &gatewayError{401, bad + "verify aksk signature fail, canonicalRequest:" + strings.ReplaceAll(canonical, "\n", "|")}
	}
	if pid := r.Header.Get("X-Project-Id"); pid != "" && u.ProjectID != "" && pid != u.ProjectID {
		return nil, &gatewayError{403, "the project id does not belong to the credentials"}
	}
	return u, nil
}

// loginKey is hex(HMAC-SHA256(key = SK, message = AK)).
func loginKey(ak, sk string) string {
	return hex.EncodeToString(hmacSHA256([]byte(sk), ak))
}
