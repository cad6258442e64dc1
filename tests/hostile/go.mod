module github.com/opentelekomcloud/swr-adapter/tests/hostile

go 1.19
