package swr

/*
#include <stdlib.h>
#include <swr/swr.h>
*/
import "C"

import (
	"unsafe"
)

// Header is one request header to sign.
type Header struct{ Name, Value string }

// SignRequest is one OTC API request to sign with SDK-HMAC-SHA256.
type SignRequest struct {
	Method, URL          string
	Headers              []Header // a "Host" wins over the URL's; an "X-Sdk-Date" is the signing time
	Body                 []byte
	AccessKey, SecretKey string
	SdkDate              string // "YYYYMMDDTHHMMSSZ"; "": now
	Format               SignatureFormat
	Region, Service      string // credential format scope
	SignedHeaders        string // "host;x-sdk-date"; "": host, x-sdk-date and every header
}

// Signature of a request: the headers to send, and the intermediate strings.
type Signature struct {
	Authorization    string // a secret while it is valid
	SdkDate          string
	Host             string
	CanonicalRequest string
	StringToSign     string
}

// Sign signs one request.
func Sign(req SignRequest) (Signature, error) {
	var r C.swr_sign_request
	C.swr_sign_request_init(&r, C.SWR_SIGN_REQUEST_VERSION)
	var frees []*C.char
	str := func(s string) *C.char {
		p := cstrOrNil(s)
		frees = append(frees, p)
		return p
	}
	defer func() {
		for _, p := range frees {
			freeC(p)
		}
	}()
	r.method, r.url = str(req.Method), str(req.URL)
	r.access_key, r.secret_key = str(req.AccessKey), str(req.SecretKey)
	r.sdk_date, r.region, r.service, r.signed_headers = str(req.SdkDate), str(req.Region), str(req.Service), str(req.SignedHeaders)
	r.format = C.int(req.Format)
	if len(req.Headers) > 0 {
		// C memory: the header array holds pointers, which Go memory passed to C may not.
		hs := (*C.swr_header)(C.calloc(C.size_t(len(req.Headers)), C.size_t(unsafe.Sizeof(C.swr_header{}))))
		defer C.free(unsafe.Pointer(hs))
		arr := unsafe.Slice(hs, len(req.Headers))
		for i, h := range req.Headers {
			name, value := C.CString(h.Name), C.CString(h.Value) // "" stays "", never NULL
			frees = append(frees, name, value)
			arr[i].name, arr[i].value = name, value
		}
		r.headers, r.header_count = hs, C.size_t(len(req.Headers))
	}
	var body unsafe.Pointer
	if len(req.Body) > 0 {
		body = C.CBytes(req.Body)
		defer C.free(body)
	}
	r.body, r.body_len = body, C.size_t(len(req.Body))
	var out *C.swr_signature
	var cerr *C.swr_error
	if err := errorFrom(nil, C.swr_request_sign(&out, &r, &cerr), cerr); err != nil {
		return Signature{}, err
	}
	defer C.swr_signature_free(out)
	return Signature{goStr(out.authorization), goStr(out.sdk_date), goStr(out.host), goStr(out.canonical_request),
		goStr(out.string_to_sign)}, nil
}

// LoginKey derives the long-term docker login key from AK and SK.
func LoginKey(accessKey, secretKey string) (string, error) {
	ak, sk := cstr(accessKey), cstr(secretKey)
	defer freeC(ak)
	defer freeC(sk)
	var out *C.char
	var cerr *C.swr_error
	if err := errorFrom(nil, C.swr_login_key_derive(&out, ak, sk, &cerr), cerr); err != nil {
		return "", err
	}
	defer C.swr_string_free(out)
	return goStr(out), nil
}
