# Hubcap: `make run` opens the app on the bundled demo repository, `make test` runs every test.
# Both install what they need from Debian 12's packages first (only when something is missing).

BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
# WERROR=ON turns compiler warnings into errors (CI sets it).
WERROR     ?= OFF
JOBS       ?= $(shell nproc)
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export CCACHE_BASEDIR := $(CURDIR)

# Everything the build, the tests, the benchmarks and the package need.
PKGS := g++ cmake ninja-build ccache pkg-config git zip unzip curl libssl-dev \
        qt6-base-dev qt6-svg-dev libqt6svg6 qtkeychain-qt6-dev \
        libtorch-dev pybind11-dev python3-dev python3-torch python3-numpy python3-onnx \
        libkf5archive-dev libgtest-dev libgmock-dev zlib1g-dev \
        dpkg-dev file xvfb xauth \
        fakeroot lintian appstream desktop-file-utils help2man librsvg2-bin clang-format

.PHONY: all deps configure build run test bench package clean format format-check fuzz hooks

all: build

deps:
	@missing=""; for p in $(PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DHUBCAP_WERROR=$(WERROR)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@if [ -x $(BUILD)/bin/hubcap ]; then \
	  $(BUILD)/bin/hubcap --select-demo; \
	else \
	  $(BUILD)/bin/hubcap-cli cache ls; \
	fi

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) --timeout 600

# The fuzz harness under AddressSanitizer + UBSan, in its own build tree (not part of `make test`).
fuzz: deps
	cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUBCAP_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS) --target hubcap_fuzz
	ctest --test-dir build-fuzz -L fuzz --output-on-failure

bench: build
	/usr/bin/python3 bench/run.py --bin $(BUILD)/bin --out $(BUILD)/bench/results.json $(BENCH_ARGS)

package: build
	cd $(BUILD) && cpack -G DEB

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

# Fails (and names the files) when a tracked C++ file differs from .clang-format's layout.
format-check: deps
	git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run -Werror

# Git hooks of this repository (commit-msg: subject at most 72 characters, as CI checks).
hooks:
	git config core.hooksPath .githooks

clean:
	rm -rf $(BUILD)
