module github.com/opentelekomcloud/swr-adapter/sdk-shim

go 1.21
