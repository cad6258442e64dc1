package swr

import (
	"testing"

	"github.com/opentelekomcloud/swr-adapter/sdk-shim/swrtest"
)

func swrClient(t *testing.T, e swrtest.Emulator, opts ...func(*ClientOptions)) *Client {
	t.Helper()
	o := ClientOptions{RegistryURL: e.Registry, ManagementURL: e.API, AccessID: swrtest.Project + "@" + swrtest.AK,
		AccessSecret: swrtest.SK, Connection: ConnectionOptions{MaxAttempts: 3}}
	for _, f := range opts {
		f(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func plainRegistry(t *testing.T, url string) *Registry {
	t.Helper()
	r, err := NewRegistry(RegistryOptions{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}
