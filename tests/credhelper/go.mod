module github.com/opentelekomcloud/swr-adapter/tests/credhelper

go 1.21

replace github.com/opentelekomcloud/swr-adapter/sdk-shim => ../../sdk-shim

require (
	github.com/docker/docker-credential-helpers v0.9.13
	github.com/opentelekomcloud/swr-adapter/sdk-shim v0.0.0-00010101000000-000000000000
)
