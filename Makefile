# SPDX-License-Identifier: Apache-2.0
# The two entry points of a fresh Debian machine: `make demo` and `make test`.
# Both install what is missing (apt-get, as root), configure and build with CMake presets.

PRESET ?= release
BUILD := build/$(PRESET)
JOBS ?= 2

# Debian packages: what building needs (all the demo needs; scdoc makes the man pages),
# what the tests add: the real peers (OpenSSL, GnuTLS, curl, Python, Chromium), valgrind
# and clang for ASan, groff and bash-completion for the man pages and the completion, and
# Doxygen (docs.api checks that `make docs` builds without a warning), and Boost for the Asio
# and Beast tests of include/tern/asio.h (the library itself does not use Boost), and
# BoringSSL's bssl-tool (android-boringssl), the peer for ECH, early data and OCSP stapling.
BUILD_PACKAGES := build-essential cmake ninja-build pkg-config libssl-dev libpsl-dev \
  zlib1g-dev libbrotli-dev libzstd-dev libnghttp2-dev publicsuffix libgtest-dev libgmock-dev libbenchmark-dev \
  libcli11-dev nlohmann-json3-dev scdoc
TEST_PACKAGES := $(BUILD_PACKAGES) clang-14 libclang-rt-14-dev openssl python3 \
  python3-cryptography valgrind curl gnutls-bin libnss3-tools chromium groff-base \
  bash-completion doxygen libboost-dev nghttp2-client nghttp2-server android-boringssl
DOCS_PACKAGES := doxygen

.PHONY: all deps build-deps build test test-asan fuzz demo deb docs clean

all: build

deps:
	@scripts/install-deps.sh $(TEST_PACKAGES)

build-deps:
	@scripts/install-deps.sh $(BUILD_PACKAGES)

build: deps
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET) -j $(JOBS)

test: build
	ctest --preset $(PRESET) -j $(JOBS)

# The unit tests under AddressSanitizer and UBSan (clang 14, -O1), in the same build as the
# fuzz targets (so CI compiles the library with clang once). Of the 10,000-input CCTV
# ML-KEM runs only ML-KEM-512's on the portable path is repeated here: the others take
# ~8 CPU minutes under ASan, walk the same code as the short vectors, and run in `make test`.
test-asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS) -E 'Accumulated10000MlKem(768/|1024/|512/avx2)'

# A short run of every fuzz target (built by the asan preset): FUZZ_SECONDS each, JOBS at once.
FUZZ_SECONDS ?= 30
fuzz: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)
	scripts/run-fuzzers.sh build/asan $(FUZZ_SECONDS) $(JOBS)

# The demo needs only the tool, so it builds only that target.
demo: build-deps
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET) -j $(JOBS) --target tern_cli
	scripts/demo.sh $(BUILD)/tern

# Debian packages of the release build: libtern0, libtern-dev and tern, in build/deb/.
deb: build-deps
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET) -j $(JOBS)
	cpack --config $(BUILD)/CPackConfig.cmake -B build/deb
	@ls -1 build/deb/*.deb

# The API reference of include/tern/ (docs/Doxyfile): build/docs/html/index.html. Any
# Doxygen warning fails it. The man pages are built with the rest (`make build`).
docs:
	@scripts/install-deps.sh $(DOCS_PACKAGES)
	mkdir -p build/docs
	doxygen docs/Doxyfile
	@echo "API reference: build/docs/html/index.html"

clean:
	rm -rf build
