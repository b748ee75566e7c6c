#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tern as its users take it in: `cmake --install` into a temporary prefix (headers,
# libtern.a, libtern.so.0 exporting only the public API, the CMake package, tern.pc, the
# tool), then a small consumer built three ways (find_package, pkg-config, add_subdirectory)
# fetches a page from the installed `tern serve`.
# Usage: bash tests/install/run.sh /path/to/tern BUILD_DIR SOURCE_DIR
set -uo pipefail
source "$(dirname "$0")/../cli/lib.sh"
lib_init install "$1"
build_dir=$(realpath "${2:?usage: run.sh TERN BUILD_DIR SOURCE_DIR}")
source_dir=$(realpath "${3:?usage: run.sh TERN BUILD_DIR SOURCE_DIR}")
consumer_src=$source_dir/tests/install/consumer
prefix=$work/prefix
jobs=${TERN_TEST_JOBS:-2}

# run COMMAND...: $out and $status of COMMAND, bounded to 20 minutes (a full library build
# on a loaded machine).
run() {
  out=$(timeout 1200 "$@" 2>&1)
  status=$?
}

run cmake --install "$build_dir" --prefix "$prefix"
check "cmake --install into a temporary prefix" exit_is 0
libdir=$(cd "$prefix" && ls -d lib/x86_64-linux-gnu lib 2>/dev/null | head -n 1)
for file in include/tern/tls.h include/tern/export.h "$libdir/libtern.a" \
  "$libdir/libtern.so" "$libdir/libtern.so.0" "$libdir/cmake/tern/ternConfig.cmake" \
  "$libdir/cmake/tern/ternConfigVersion.cmake" "$libdir/pkgconfig/tern.pc" bin/tern; do
  check "installed: $file" test -e "$prefix/$file"
done
run readelf -d "$prefix/$libdir/libtern.so"
check "libtern.so's SONAME is libtern.so.0" says "Library soname: [libtern.so.0]"

# Only the public API leaves the shared library: every exported symbol is tern's, and none
# of the internal layers' namespaces (src/) is among them.
run bash -c "nm -D --defined-only -C '$prefix/$libdir/libtern.so' | cut -d' ' -f3- | grep -v '^TERN_0$'"
exported=$out
note "libtern.so exports $(wc -l <<<"$exported") symbols"
check "every exported symbol is in namespace tern (or its vtables and type information)" \
  eval '! grep -vE "^(tern::|vtable for tern::|typeinfo (name )?for tern::)" <<<"$exported"'
internal=$(grep -oE '^tern::[a-z0-9_]+::' <<<"$exported" | sort -u | grep -vE '^tern::(tls)::' || true)
check "no internal namespace is exported (found: ${internal:-none})" test -z "$internal"
check "the public API is exported (ClientConnection::create, TrustStore::load)" \
  eval 'grep -q "^tern::ClientConnection::create" <<<"$exported" && grep -q "^tern::TrustStore::load" <<<"$exported"'

# The installed tool serves the page the consumers fetch; it runs from the prefix (RUNPATH).
make_pki
make_docroot
tern=$prefix/bin/tern
run ldd "$tern"
check "the installed tern uses the installed libtern.so.0 (RUNPATH \$ORIGIN/../$libdir)" \
  says "libtern.so.0 => $prefix/bin/../$libdir/libtern.so.0"
start_serve
expect_page() {  # expect_page PROGRAM: it fetched index.html over TLS
  run timeout 30 "$1" localhost "$port" "$pki/root.pem"
  says "HTTP/1.1 200" && says "$page_marker"
}

# 1. find_package from the prefix, shared and static.
for target in tern::tern tern::tern_static; do
  dir=$work/package-${target#tern::}
  run cmake -S "$consumer_src" -B "$dir" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    -DTERN_TARGET="$target"
  check "find_package(tern CONFIG REQUIRED) with $target configures" exit_is 0
  run cmake --build "$dir" -j "$jobs"
  check "the consumer on $target builds" exit_is 0
  check "the consumer on $target fetches the page from tern serve" expect_page "$dir/tern_consumer"
done
run ldd "$work/package-tern/tern_consumer"
check "on tern::tern it loads libtern.so.0 from the prefix" says "$prefix/$libdir/libtern.so.0"
run ldd "$work/package-tern_static/tern_consumer"
check "on tern::tern_static it needs no libtern.so" eval '! says libtern.so'

# 2. pkg-config.
export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
run pkg-config --modversion tern
check "pkg-config finds tern" exit_is 0
flags=$(pkg-config --cflags --libs tern)
run c++ -std=c++20 -o "$work/pc_consumer" "$consumer_src/main.cpp" $flags \
  -Wl,-rpath,"$prefix/$libdir"
check "c++ main.cpp \$(pkg-config --cflags --libs tern) builds" exit_is 0
check "the pkg-config consumer fetches the page" expect_page "$work/pc_consumer"

# 3. add_subdirectory of the source tree: only the library is configured and built (without
# optimisation or debug information, the quickest build).
dir=$work/subdirectory
run cmake -S "$consumer_src" -B "$dir" -G Ninja -DTERN_FROM=source -DTERN_SOURCE_DIR="$source_dir" \
  -DTERN_TARGET=tern::tern_static -DTERN_BUILD_SHARED=OFF -DCMAKE_BUILD_TYPE=None
check "add_subdirectory(tern) configures" exit_is 0
run cmake --build "$dir" --target help
check "as a sub-project tern adds no CLI, tests, benchmarks, fuzzers or examples" \
  eval '! grep -qE "tern_cli|tern_tests|tern-bench|bench_|fuzz_|example_" <<<"$out"'
run cmake --build "$dir" -j "$jobs"
check "the add_subdirectory consumer builds" exit_is 0
# That build can outlast the server's bounded life (280 s) on a loaded machine: a fresh one.
stop_serve
start_serve
check "the add_subdirectory consumer fetches the page" expect_page "$dir/tern_consumer"

stop_serve
finish
