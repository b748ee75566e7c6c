#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make deb`'s packages on this Debian machine: CPack builds libtern0, libtern-dev and tern
# from the build tree, they install with dpkg -i, a consumer finds tern through them and
# fetches a page from the packaged `tern serve`, and dpkg -r removes every file again.
# Needs root (dpkg -i); exits 77 (skipped) without it, or if tern's packages are already
# installed (they are the user's: this test leaves them alone).
# Usage: bash tests/install/deb.sh /path/to/tern BUILD_DIR SOURCE_DIR
set -uo pipefail
source "$(dirname "$0")/../cli/lib.sh"
lib_init deb "$1"
build_dir=$(realpath "${2:?usage: deb.sh TERN BUILD_DIR SOURCE_DIR}")
source_dir=$(realpath "${3:?usage: deb.sh TERN BUILD_DIR SOURCE_DIR}")
packages=(tern libtern-dev libtern0)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if [[ $(id -u) -ne 0 ]]; then
  echo "# skipped: dpkg -i needs root (run make test as root, or install the packages by hand)"
  exit 77
fi
for p in "${packages[@]}"; do
  if installed "$p"; then
    echo "# skipped: the package $p is already installed here; this test does not touch it"
    exit 77
  fi
done
remove_packages() { dpkg -r "${packages[@]}" >/dev/null 2>&1; }
trap 'remove_packages; lib_cleanup' EXIT

run() {
  out=$(timeout 600 "$@" 2>&1)
  status=$?
}

run cpack --config "$build_dir/CPackConfig.cmake" -B "$work/deb"
check "cpack builds the Debian packages" exit_is 0
debs=("$work"/deb/libtern0_*.deb "$work"/deb/libtern-dev_*.deb "$work"/deb/tern_*.deb)
for deb in "${debs[@]}"; do
  check "built: $(basename "$deb")" test -f "$deb"
done
run dpkg-deb -f "$work"/deb/tern_*.deb Depends
check "tern depends on libtern0 (and the libraries dpkg-shlibdeps found)" says "libtern0"
run dpkg-deb -f "$work"/deb/libtern-dev_*.deb Depends
check "libtern-dev depends on libtern0, libssl-dev and libpsl-dev" \
  eval 'says libtern0 && says libssl-dev && says libpsl-dev'

run dpkg -i "${debs[@]}"
check "dpkg -i installs the three packages" exit_is 0
files=$(dpkg -L "${packages[@]}" 2>/dev/null | while read -r f; do [[ -f $f || -L $f ]] && echo "$f"; done)
note "the packages installed $(wc -l <<<"$files") files"
run /usr/bin/tern --version
check "the packaged tern runs" exit_is 0
run ldd /usr/bin/tern
check "the packaged tern loads the packaged libtern.so.0" says "libtern.so.0 => /usr/bin/../lib/libtern.so.0"
run pkg-config --modversion tern
check "pkg-config finds the packaged tern" exit_is 0

make_pki
make_docroot
tern=/usr/bin/tern
start_serve
dir=$work/consumer
run cmake -S "$source_dir/tests/install/consumer" -B "$dir" -G Ninja
check "find_package(tern) finds the packaged library without hints" exit_is 0
run cmake --build "$dir"
check "the consumer builds against libtern-dev" exit_is 0
run timeout 30 "$dir/tern_consumer" localhost "$port" "$pki/root.pem"
check "the consumer fetches the page from the packaged tern serve" \
  eval 'says "HTTP/1.1 200" && says "$page_marker"'
stop_serve

run dpkg -r "${packages[@]}"
check "dpkg -r removes the three packages" exit_is 0
left=$(while read -r f; do [[ -e $f || -L $f ]] && echo "$f"; done <<<"$files")
check "no file of theirs is left behind (left: ${left:-none})" test -z "$left"
finish
