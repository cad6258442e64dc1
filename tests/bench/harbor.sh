#!/usr/bin/env bash
# Benchmark (not a test): Harbor's image transfer (v2.4.0, in-process, 10
# concurrent tasks like its jobservice) replicates the same workload from a
# local docker-registry into the SWR emulator twice, through Harbor's native
# docker-registry adapter and through ours, each into a fresh emulator; every
# image is then verified byte for byte. Prints wall time, throughput, peak
# RSS and the ratios.
# Workload: REPOS repositories of 3 x LAYER-byte layers sharing their base
# layer, plus one image of 4 x BIG/4 bytes. RUNS rounds, alternating which
# adapter goes first; medians of the times, maxima of the RSS.
#   tests/bench/harbor.sh [BUILD_DIR] [REPOS] [LAYER_BYTES] [BIG_BYTES] [RUNS]
set -euo pipefail
BUILD_DIR="$(cd "${1:-build}" && pwd)"
REPOS="${2:-8}"
LAYER="${3:-33554432}"
BIG="${4:-1073741824}"
RUNS="${5:-3}"
IMAGEGEN="$BUILD_DIR/imagegen"
EMULATOR="$BUILD_DIR/swr-emulator"
WORK="$(mktemp -d /tmp/swr-bench-harbor-XXXXXX)"
cleanup() {
  stop_all
  rm -rf "$WORK"
}
trap cleanup EXIT
source "$(dirname "$0")/../../scripts/lib.sh"

AK=BENCHAK0123456789ABCD
# Known only to this run's emulator.
python3 -c 'import secrets; print(secrets.token_hex(20))' >"$WORK/sk"
chmod 600 "$WORK/sk"

BENCH="$WORK/bench-harbor"
(cd "$(dirname "$0")/../../harbor-integration" && PKG_CONFIG_PATH="$BUILD_DIR/pkgconfig" CGO_ENABLED=1 \
  go build -o "$BENCH" ./cmd/bench-harbor)

start_registry src
SRC="$(cat "$WORK/src/addr")"
echo "source registry $SRC: $REPOS images of 3 x $LAYER bytes sharing a base layer, one of 4 x $((BIG / 4)) bytes..."
LIST=""
for i in $(seq 1 "$REPOS"); do
  "$IMAGEGEN" push -registry "http://$SRC" -repo "bench/app$i" -tag v1 -layers 3 -size "$LAYER" -seed "$((100 + i))" \
    -first-layer-seed 7 >/dev/null
  LIST="$LIST${LIST:+,}bench/app$i:v1"
done
"$IMAGEGEN" push -registry "http://$SRC" -repo bench/big -tag v1 -layers 4 -size "$((BIG / 4))" -seed 99 >/dev/null
LIST="$LIST,bench/big:v1"

run() {
  local adapter="$1" round="$2"
  local name="$adapter-$round"
  start_registry "backend-$name"
  "$EMULATOR" -listen 127.0.0.1:0 -addr-file "$WORK/emu-$name.addr" -ak "$AK" -sk "$(cat "$WORK/sk")" -project eu-de \
    -registry-backend "http://$(cat "$WORK/backend-$name/addr")" >"$WORK/emu-$name.log" 2>&1 &
  echo $! >>"$WORK/pids"
  for _ in $(seq 1 100); do [ -s "$WORK/emu-$name.addr" ] && break; sleep 0.1; done
  local emu
  emu="$(sed -n 1p "$WORK/emu-$name.addr")"
  echo "round $round: replicating through the $adapter adapter..."
  PKG_CONFIG_PATH="$BUILD_DIR/pkgconfig" LOG_LEVEL=error "$BENCH" -adapter "$adapter" -src "http://$SRC" -dst "$emu" \
    -ak "$AK" -sk-file "$WORK/sk" -repos "$LIST" | tail -n 1 >>"$WORK/results"
  for ref in ${LIST//,/ }; do
    "$IMAGEGEN" verify -src "http://$SRC/$ref" -dst "http://$(cat "$WORK/backend-$name/addr")/$ref" >/dev/null \
      || { echo "$ref differs after the $adapter run"; exit 1; }
  done
  rm -rf "$WORK/backend-$name/data"
}
for round in $(seq 1 "$RUNS"); do
  if [ $((round % 2)) -eq 1 ]; then run native "$round"; run otcswr "$round"; else run otcswr "$round"; run native "$round"; fi
done

python3 - "$WORK/results" "$REPOS" "$LAYER" "$BIG" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
rows = {}
for name in ("native", "otcswr"):
    mine = [r for r in runs if r["adapter"] == name]
    rows[name] = {"seconds": statistics.median(r["seconds"] for r in mine),
                  "max_rss_kib": max(r["max_rss_kib"] for r in mine), "n": len(mine)}
repos, layer, big = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
mib = (repos * 3 * layer + big) / 1048576
print(f"Harbor replication benchmark: {repos} images of 3 x {layer/1048576:.0f} MiB (shared base) + one of "
      f"{big/1048576:.0f} MiB, {mib:.0f} MiB referenced, into the SWR emulator, 10 tasks at once, "
      f"{rows['native']['n']} round(s): median time, max RSS")
print(f"  {'':28} {'time s':>8} {'MiB/s':>8} {'peak RSS MiB':>13}")
for name, label in (("native", "Harbor's native adapter"), ("otcswr", "ours (opentelekomcloud-swr)")):
    r = rows[name]
    print(f"  {label:28} {r['seconds']:8.2f} {mib/r['seconds']:8.1f} {r['max_rss_kib']/1024:13.1f}")
n, o = rows["native"], rows["otcswr"]
print(f"  time ours / native: {o['seconds']/n['seconds']*100:.0f}%   (target <= 100%)")
print(f"  peak RSS ours / native: {o['max_rss_kib']/n['max_rss_kib']*100:.0f}%")
PY
