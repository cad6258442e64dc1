#!/usr/bin/env bash
# Installs the build into a temporary prefix, then builds a C program against
# it twice: with pkg-config and with the CMake package. Both must run.
set -euo pipefail
BUILD_DIR="$1"
SRC_DIR="$2"
PREFIX="$(mktemp -d /tmp/swr-install-XXXXXX)"
trap 'rm -rf "$PREFIX"' EXIT
cmake --install "$BUILD_DIR" --prefix "$PREFIX" >/dev/null
LIBDIR="$(dirname "$(find "$PREFIX" -name 'libotcswr.so.0.3' | head -1)")"
test -x "$PREFIX/bin/swrctl"
test -x "$PREFIX/bin/docker-credential-swr"
echo swr.eu-de.otc.t-systems.com | OS_ACCESS_KEY=AccessKey OS_SECRET_KEY=SecretKey OS_PROJECT_NAME=eu-de HOME="$PREFIX" \
  "$PREFIX/bin/docker-credential-swr" get | grep -q f004a0445bcaf37d946c882a22e1e5f9007ea3513c293aa2d3360af05b8875cd
test -f "$PREFIX/include/swr/swr.h"
# The manual page and completions, generated from swrctl's declarations.
grep -q '^\.TH SWRCTL 1' "$PREFIX/share/man/man1/swrctl.1"
grep -q 'complete -F _swrctl swrctl' "$PREFIX/share/bash-completion/completions/swrctl"
test -s "$PREFIX/share/zsh/site-functions/_swrctl"
test -s "$PREFIX/share/fish/vendor_completions.d/swrctl.fish"
if command -v man >/dev/null; then MANWIDTH=80 man -l "$PREFIX/share/man/man1/swrctl.1" 2>&1 | grep -q 'dry' ; fi
bash -c "source '$PREFIX/share/bash-completion/completions/swrctl' && COMP_WORDS=(swrctl org delete --d) COMP_CWORD=3 && _swrctl && [ \"\${COMPREPLY[*]}\" = --dry-run ]"
# 0.x: every minor version may change the ABI, so the SONAME names it.
soname="$(readelf -d "$LIBDIR/libotcswr.so.0.3" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')"
[ "$soname" = "libotcswr.so.0.3" ] || { echo "SONAME is '$soname'"; exit 1; }
exported="$(nm -D --defined-only "$LIBDIR/libotcswr.so.0.3" | awk '$2=="T"{print $3}' | grep -v '^swr_' || true)"
[ -z "$exported" ] || { echo "symbols outside swr_ are exported:"; echo "$exported"; exit 1; }

export PKG_CONFIG_PATH="$LIBDIR/pkgconfig"
cc -std=c99 -pedantic -Wall -Werror "$SRC_DIR/tests/header/header_test.c" -o "$PREFIX/with-pkgconfig" \
  $(pkg-config --cflags --libs otcswr)
LD_LIBRARY_PATH="$LIBDIR" "$PREFIX/with-pkgconfig"

mkdir -p "$PREFIX/consumer"
cat > "$PREFIX/consumer/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(otcswr REQUIRED)
add_executable(consumer "$SRC_DIR/tests/header/header_test.c")
target_link_libraries(consumer PRIVATE otcswr::otcswr)
CMAKE
cmake -S "$PREFIX/consumer" -B "$PREFIX/consumer/build" -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
cmake --build "$PREFIX/consumer/build" >/dev/null
LD_LIBRARY_PATH="$LIBDIR" "$PREFIX/consumer/build/consumer"
echo "install check: pkg-config and CMake consumers built and ran"
