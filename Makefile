# Two commands do all the set-up on a fresh Debian 12 machine (as root):
#   make demo   install what is missing, build, run the demo against the SWR emulator
#   make test   install what is missing, build, run every test (C++, C and Go)
BUILD_DIR ?= build
JOBS ?= 2
APT_PACKAGES := build-essential cmake pkg-config libcurl4-openssl-dev libssl-dev rapidjson-dev \
                libfmt-dev libgtest-dev docker-registry curl time python3
# Go is on the build machines already; Debian's golang-go only when it is not.
GO_PACKAGE := $(if $(shell command -v go 2>/dev/null),,golang-go)

.PHONY: all deps build test demo bench install clean

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

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j1

demo: build
	./scripts/demo.sh $(BUILD_DIR)

# Not a test: prints time, throughput and peak RSS of a 1 GiB copy, ours vs curl|curl.
BENCH_SIZE ?= 1073741824
BENCH_RUNS ?= 3
bench: build
	./tests/bench/blob_copy.sh $(BUILD_DIR) $(BENCH_SIZE) $(BENCH_RUNS)

install: build
	cmake --install $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
