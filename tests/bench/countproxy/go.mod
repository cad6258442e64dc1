module github.com/opentelekomcloud/swr-adapter/tests/bench/countproxy

go 1.21
