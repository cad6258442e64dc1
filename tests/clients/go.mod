module github.com/opentelekomcloud/swr-adapter/tests/clients

go 1.26.0

replace github.com/opentelekomcloud/swr-adapter/sdk-shim => ../../sdk-shim

require (
	github.com/opentelekomcloud/swr-adapter/sdk-shim v0.0.0-00010101000000-000000000000
	github.com/regclient/regclient v0.11.7
)

require (
	github.com/docker/libtrust v0.0.0-20160708172513-aabc10ec26b7 // indirect
	github.com/klauspost/compress v1.20.3 // indirect
	github.com/opencontainers/go-digest v1.0.0 // indirect
	github.com/sirupsen/logrus v1.10.2 // indirect
	github.com/ulikunitz/xz v0.5.17 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
