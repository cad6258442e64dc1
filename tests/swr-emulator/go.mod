module github.com/opentelekomcloud/swr-adapter/tests/swr-emulator

go 1.19
