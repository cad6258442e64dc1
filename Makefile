# Two commands do all the set-up on a fresh Debian 12 machine (as root):
#   make demo   install what is missing, build, run the demo against the SWR emulator
#   make test   install what is missing, build, run every test (C++, C and Go)
BUILD_DIR ?= build
JOBS ?= 2
APT_PACKAGES := build-essential cmake pkg-config libcurl4-openssl-dev libssl-dev rapidjson-dev \
                libfmt-dev libyaml-cpp-dev libgtest-dev docker-registry curl time python3 clang libclang-rt-14-dev \
                clang-format
# Go is on the build machines already; Debian's golang-go only when it is not.
GO_PACKAGE := $(if $(shell command -v go 2>/dev/null),,golang-go)

SAN_DIR ?= build-asan
TSAN_DIR ?= build-tsan
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
# Sanitizer reports end the run; child processes (swrctl) inherit these.
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
           UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$(CURDIR)/tests/sanitizers/ubsan.supp \
           LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp

.PHONY: all deps build format-check test demo bench bench-harbor bench-sync install clean fuzz fuzz-build test-sanitize test-tsan

all: build

# Installs only what is missing; needs root (or sudo) when something is.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES) $(GO_PACKAGE); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "All build dependencies are installed."; fi

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

# The C and C++ sources are formatted as .clang-format says.
format-check: deps
	@git ls-files '*.cc' '*.h' '*.c' | xargs clang-format --dry-run -Werror
	@echo "format-check: $$(git ls-files '*.cc' '*.h' '*.c' | wc -l) files formatted as .clang-format says"

# Every test (one ctest entry per gtest case; ctest -L unit|integration|go|install
# for one kind), then every fuzz target for a short smoke run.
test: build format-check
	cd $(BUILD_DIR) && ctest --output-on-failure -j1
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)

# libFuzzer targets (clang, ASan + UBSan) for every parser that sees remote
# or user input; each runs FUZZ_SECONDS from its seed corpus.
fuzz-build: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DSWR_FUZZ=ON -DSWR_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(FUZZ_DIR) -j$(JOBS) --target fuzzers

fuzz: fuzz-build
	./tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

# Unit and integration tests (swrctl children included) under ASan + UBSan.
test-sanitize: deps
	cmake -S . -B $(SAN_DIR) -DSWR_SANITIZE=address -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(SAN_DIR) -j$(JOBS)
	cd $(SAN_DIR) && $(SAN_ENV) ctest --output-on-failure -j1 -L '^(unit|integration)$$'

# The same under ThreadSanitizer (not in CI: slow on 2 cores).
test-tsan: deps
	cmake -S . -B $(TSAN_DIR) -DSWR_SANITIZE=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(TSAN_DIR) -j$(JOBS)
	cd $(TSAN_DIR) && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 ctest --output-on-failure -j1 -L '^(unit|integration)$$'

demo: build
	./scripts/demo.sh $(BUILD_DIR)

# Not a test: prints time, throughput and peak RSS of a 1 GiB copy, ours vs curl|curl.
BENCH_SIZE ?= 1073741824
BENCH_RUNS ?= 3
bench: build
	./tests/bench/blob_copy.sh $(BUILD_DIR) $(BENCH_SIZE) $(BENCH_RUNS)

# Harbor's transfer through its native adapter and through ours (not a test).
bench-harbor: build
	./tests/bench/harbor.sh $(BUILD_DIR)

# swrctl sync against skopeo sync, regsync and crane (not a test); skopeo
# comes from Debian, regsync and crane from the Go module proxy.
SYNC_RUNS ?= 3
SYNC_REPOS ?= 30
bench-sync: build
	@dpkg-query -W -f='$${Status}' skopeo 2>/dev/null | grep -q "install ok installed" || { \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends skopeo; }
	./tests/bench/sync.sh $(BUILD_DIR) $(SYNC_RUNS) $(SYNC_REPOS)

install: build
	cmake --install $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(SAN_DIR) $(TSAN_DIR) $(FUZZ_DIR)
