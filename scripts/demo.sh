#!/usr/bin/env bash
# The demo: start the SWR emulator on 127.0.0.1, then use swrctl to sign a
# request, derive the docker login key, and create, list and delete
# organizations through AK/SK-signed requests.
set -euo pipefail
BUILD_DIR="${1:-build}"
SWRCTL="$BUILD_DIR/adapter/swrctl"
EMULATOR="$BUILD_DIR/swr-emulator"
WORK="$(mktemp -d /tmp/swr-demo-XXXXXX)"
EMU_PID=""
cleanup() {
  [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null && wait "$EMU_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Demo credentials, known only to this emulator run. Real ones come from the
# same variables: OS_ACCESS_KEY, OS_SECRET_KEY, OS_PROJECT_NAME.
export OS_ACCESS_KEY="DEMOACCESSKEY0000001"
export OS_SECRET_KEY="$(head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"
export OS_PROJECT_NAME="eu-de"

"$EMULATOR" -listen 127.0.0.1:0 -addr-file "$WORK/addr" -ak "$OS_ACCESS_KEY" -sk "$OS_SECRET_KEY" \
  -project "$OS_PROJECT_NAME" >"$WORK/emulator.log" 2>&1 &
EMU_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/addr" ] && break; sleep 0.1; done
[ -s "$WORK/addr" ] || { echo "the emulator did not start:"; cat "$WORK/emulator.log"; exit 1; }
REGISTRY="$(cat "$WORK/addr")"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "SWR emulator listening on $REGISTRY (AK/SK-signed management API, 15 min clock-skew window)"

step "swrctl sign: the Authorization header for a request (secrets never printed)"
echo "$ swrctl sign --method GET --url $REGISTRY/v2/manage/namespaces"
"$SWRCTL" sign --method GET --url "$REGISTRY/v2/manage/namespaces"

step "swrctl login-key --docker: the long-term docker login command (key shown here because it is the demo's)"
"$SWRCTL" login-key --docker --registry "$REGISTRY"

step "swrctl org create: three organizations"
for org in platform team-a team-b; do
  echo "$ swrctl --registry $REGISTRY org create $org"
  "$SWRCTL" --registry "$REGISTRY" org create "$org"
done

step "swrctl org create platform again: SWR says it exists (exit code 1)"
set +e
"$SWRCTL" --registry "$REGISTRY" org create platform
echo "exit code: $?"
set -e

step "swrctl org list"
"$SWRCTL" --registry "$REGISTRY" org list

step "swrctl org list --json"
"$SWRCTL" --registry "$REGISTRY" org list --json

step "swrctl org delete team-b, then list"
"$SWRCTL" --registry "$REGISTRY" org delete team-b
"$SWRCTL" --registry "$REGISTRY" org list

step "A wrong SK: the gateway's 401 surfaces clearly (exit code 1)"
set +e
OS_SECRET_KEY="not-the-right-secret-key-000000000000000" "$SWRCTL" --registry "$REGISTRY" org list
echo "exit code: $?"
set -e

step "Done. Every management request above was signed with SDK-HMAC-SHA256 and verified by the emulator."
