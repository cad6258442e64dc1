#!/usr/bin/env bash
# The demo: a local source registry with sample images, the SWR emulator in
# front of a second registry, and swrctl doing what a user does: sign a
# request, derive the docker login, manage organizations, and copy images
# into "SWR" with progress, digests, mounts, skips and SWR's quirks.
set -euo pipefail
BUILD_DIR="$(cd "${1:-build}" && pwd)"
SWRCTL="$BUILD_DIR/adapter/swrctl"
EMULATOR="$BUILD_DIR/swr-emulator"
IMAGEGEN="$BUILD_DIR/imagegen"
WORK="$(mktemp -d /tmp/swr-demo-XXXXXX)"
source "$(dirname "$0")/lib.sh"
cleanup() {
  stop_all
  rm -rf "$WORK"
}
trap cleanup EXIT
# Bold headings on a terminal only; plain text in logs and pipes.
if [ -t 1 ]; then
  step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
  step() { printf '\n== %s\n' "$*"; }
fi
run() { printf '$ %s\n' "$*"; "$@"; }

# Demo credentials, known only to this emulator run. Real ones come from the
# same variables: OS_ACCESS_KEY, OS_SECRET_KEY, OS_PROJECT_NAME.
export OS_ACCESS_KEY="DEMOACCESSKEY0000001"
export OS_SECRET_KEY="$(head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"
export OS_PROJECT_NAME="eu-de"

start_registry source
start_registry swr-storage
SOURCE="$(cat "$WORK/source/addr")"
"$EMULATOR" -listen 127.0.0.1:0 -api-listen 127.0.0.1:0 -addr-file "$WORK/emulator.addr" -ak "$OS_ACCESS_KEY" -sk "$OS_SECRET_KEY" \
  -project "$OS_PROJECT_NAME" -registry-backend "http://$(cat "$WORK/swr-storage/addr")" >"$WORK/emulator.log" 2>&1 &
echo $! >>"$WORK/pids"
for _ in $(seq 1 100); do [ -s "$WORK/emulator.addr" ] && break; sleep 0.1; done
[ -s "$WORK/emulator.addr" ] || { echo "the emulator did not start:"; cat "$WORK/emulator.log"; exit 1; }
REGISTRY="$(sed -n 1p "$WORK/emulator.addr")"
API="$(sed -n 2p "$WORK/emulator.addr")"
SWR="${REGISTRY#http://}"
# Real SWR: the API host (swr-api.<region>...) is derived from the registry
# host; the emulator's two loopback origins are named explicitly.
SWRCTL_API=(--management-url "$API")

step "Three local services on 127.0.0.1"
echo "  source registry   $SOURCE (docker-registry, where images come from)"
echo "  SWR emulator      registry $REGISTRY (token-authenticated), management API $API (AK/SK-signed)"
echo "  SWR's storage     $(cat "$WORK/swr-storage/addr") (the docker-registry behind the emulator; the verify step reads it directly)"

step "Sample images in the source registry (random layers, deterministic)"
"$IMAGEGEN" push -registry "http://$SOURCE" -repo library/web -tag 1.0 -layers 3 -size 8000000 -seed 1 >/dev/null
echo "  $SOURCE/library/web:1.0         docker image, 3 layers of 8 MB"
"$IMAGEGEN" push -registry "http://$SOURCE" -repo library/api -tag 2.1 -layers 2 -size 6000000 -seed 2 >/dev/null
echo "  $SOURCE/library/api:2.1         docker image, 2 layers of 6 MB"
"$IMAGEGEN" push -registry "http://$SOURCE" -repo library/tool -tag 3 -platforms linux/amd64,linux/arm64 -size 3000000 -seed 3 >/dev/null
echo "  $SOURCE/library/tool:3          docker manifest list: linux/amd64 + linux/arm64"
"$IMAGEGEN" push -registry "http://$SOURCE" -repo library/oci -tag 1 -platforms linux/amd64,linux/arm64 -format oci -size 1000000 -seed 4 >/dev/null
echo "  $SOURCE/library/oci:1           OCI image index"

step "swrctl sign: the Authorization header for an API request (secrets never printed)"
run "$SWRCTL" sign --method GET --url "$API/v2/manage/namespaces"

step "swrctl login-key --docker: how to log docker in with the long-term key (through a pipe, never on a command line)"
run "$SWRCTL" login-key --docker --registry "$REGISTRY"

step "swrctl org: organizations through AK/SK-signed requests"
run "$SWRCTL" --registry "$REGISTRY" "${SWRCTL_API[@]}" org create platform
run "$SWRCTL" --registry "$REGISTRY" "${SWRCTL_API[@]}" org create scratch
run "$SWRCTL" --registry "$REGISTRY" "${SWRCTL_API[@]}" org list
run "$SWRCTL" --registry "$REGISTRY" "${SWRCTL_API[@]}" org delete scratch
run "$SWRCTL" --registry "$REGISTRY" "${SWRCTL_API[@]}" org list --json

step "swrctl copy: images into SWR (the destination digest is printed on stdout)"
run "$SWRCTL" copy "${SWRCTL_API[@]}" --src-plain-http --dest-plain-http --dest-swr "$SOURCE/library/web:1.0" "$SWR/platform/web:1.0"
run "$SWRCTL" copy "${SWRCTL_API[@]}" --src-plain-http --dest-plain-http --dest-swr "$SOURCE/library/api:2.1" "$SWR/platform/api:2.1"
run "$SWRCTL" copy "${SWRCTL_API[@]}" --src-plain-http --dest-plain-http --dest-swr "$SOURCE/library/tool:3" "$SWR/tools/tool:3"
echo "(the organization 'tools' did not exist: swrctl created it, as SWR refuses pushes into missing ones)"

step "The same copy again: nothing to transfer"
run "$SWRCTL" copy "${SWRCTL_API[@]}" --src-plain-http --dest-plain-http --dest-swr "$SOURCE/library/web:1.0" "$SWR/platform/web:1.0"

step "Byte-for-byte check of a copy (every manifest and blob, by digest)"
run "$IMAGEGEN" verify -src "http://$SOURCE/library/tool:3" -dst "http://$(cat "$WORK/swr-storage/addr")/tools/tool:3"

step "SWR refuses OCI image indexes; the copy fails with SWR's own message (exit code 1)"
set +e
"$SWRCTL" copy "${SWRCTL_API[@]}" --src-plain-http --dest-plain-http --dest-swr --quiet "$SOURCE/library/oci:1" "$SWR/platform/oci:1"
echo "exit code: $?"
set -e

step "A wrong SK: the API gateway's 401 surfaces clearly (exit code 1)"
set +e
OS_SECRET_KEY="not-the-right-secret-key-000000000000000" "$SWRCTL" --registry "$REGISTRY" "${SWRCTL_API[@]}" org list
echo "exit code: $?"
set -e

step "Done: 3 images copied into the emulated SWR (a manifest list among them), 1 copy skipped as up to date,
   1 byte-for-byte check passed, 2 expected failures (an OCI index SWR refuses, a wrong SK). Everything ran on
   127.0.0.1 and is removed now; with real credentials, drop --management-url and the *-plain-http flags."
