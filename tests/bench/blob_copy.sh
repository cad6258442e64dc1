#!/usr/bin/env bash
# Benchmark (not a test): copy a single-layer image of SIZE bytes (default
# 1 GiB) between two local docker-registry processes, with swrctl copy,
# with swrctl copy --verify (our own SHA-256 as well), with the Go binding
# (io.Copy from its blob reader into its writer) and with a raw
# "curl GET | curl PUT" of the same blob, and print wall time, throughput and
# peak RSS (GNU time) for each, and the ratios.
#   tests/bench/blob_copy.sh [BUILD_DIR] [SIZE_BYTES] [RUNS]
set -euo pipefail
BUILD_DIR="$(cd "${1:-build}" && pwd)"
SIZE="${2:-1073741824}"
RUNS="${3:-1}"
SWRCTL="$BUILD_DIR/adapter/swrctl"
IMAGEGEN="$BUILD_DIR/imagegen"
WORK="$(mktemp -d /tmp/swr-bench-XXXXXX)"
cleanup() {
  stop_all
  rm -rf "$WORK"
}
trap cleanup EXIT

source "$(dirname "$0")/../../scripts/lib.sh"

# time_run LABEL CMD... : runs under GNU time, appends "LABEL seconds maxrss_kib" to results
time_run() {
  local label="$1"; shift
  /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null
  local wall rss
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt")"
  rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")"
  # h:mm:ss or m:ss.ss -> seconds
  secs="$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')"
  echo "$label $secs $rss" >>"$WORK/results"
}

start_registry src
SRC="$(cat "$WORK/src/addr")"
echo "source registry $SRC: pushing a single-layer image of $SIZE bytes (random, incompressible)..."
"$IMAGEGEN" push -registry "http://$SRC" -repo bench/big -tag v1 -layers 1 -size "$SIZE" -seed 42 >"$WORK/image.json"
MANIFEST="$(curl -sf -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$SRC/v2/bench/big/manifests/v1")"
LAYER="$(echo "$MANIFEST" | python3 -c 'import json,sys; m=json.load(sys.stdin); print(max(m["layers"], key=lambda l: l["size"])["digest"])')"

# The Go binding's blob path (io.Copy from its reader into its writer).
BLOBCOPY="$WORK/blobcopy"
(cd "$(dirname "$0")/../../sdk-shim" && PKG_CONFIG_PATH="$BUILD_DIR/pkgconfig" go build -o "$BLOBCOPY" ./internal/blobcopy)

for run in $(seq 1 "$RUNS"); do
  start_registry "go$run"
  DST_GO="$(cat "$WORK/go$run/addr")"
  time_run go-binding "$BLOBCOPY" "http://$SRC" bench/big "$LAYER" "http://$DST_GO" go/big
  curl -sf -I "http://$DST_GO/v2/go/big/blobs/$LAYER" >/dev/null || { echo "the Go copy did not land"; exit 1; }
  start_registry "raw$run"
  start_registry "ours$run"
  start_registry "verify$run"
  DST_RAW="$(cat "$WORK/raw$run/addr")"
  DST_OURS="$(cat "$WORK/ours$run/addr")"
  DST_VERIFY="$(cat "$WORK/verify$run/addr")"

  # Raw pipe: the blob only (the image's manifest and config are tiny).
  LOC="$(curl -sf -X POST -D - -o /dev/null "http://$DST_RAW/v2/raw/big/blobs/uploads/" | awk -F': ' 'tolower($1)=="location" {print $2}' | tr -d '\r')"
  case "$LOC" in http*) ;; *) LOC="http://$DST_RAW$LOC" ;; esac
  time_run raw bash -c "curl -sf 'http://$SRC/v2/bench/big/blobs/$LAYER' | curl -sf -T - -X PUT -H 'Content-Type: application/octet-stream' '$LOC&digest=$LAYER'"
  curl -sf -I "http://$DST_RAW/v2/raw/big/blobs/$LAYER" >/dev/null || { echo "raw copy did not land"; exit 1; }

  time_run swrctl "$SWRCTL" copy --quiet --src-plain-http --dest-plain-http "$SRC/bench/big:v1" "$DST_OURS/ours/big:v1"
  "$IMAGEGEN" verify -src "http://$SRC/bench/big:v1" -dst "http://$DST_OURS/ours/big:v1" >/dev/null

  time_run swrctl-verify "$SWRCTL" copy --quiet --verify --src-plain-http --dest-plain-http "$SRC/bench/big:v1" "$DST_VERIFY/ours/big:v1"
done

python3 - "$WORK/results" "$SIZE" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
size = int(sys.argv[2])
def agg(label):
    secs = [float(r[1]) for r in rows if r[0] == label]
    rss = [int(r[2]) for r in rows if r[0] == label]
    return statistics.median(secs), max(rss)
raw_s, raw_rss = agg("raw")
our_s, our_rss = agg("swrctl")
ver_s, ver_rss = agg("swrctl-verify")
go_s, go_rss = agg("go-binding")
mib = size / 1048576
print(f"blob copy benchmark: {mib:.0f} MiB single layer, registry -> registry on 127.0.0.1, {len(rows)//4} run(s), median time, max RSS")
print(f"  {'':24} {'time s':>8} {'MiB/s':>8} {'peak RSS MiB':>13}")
print(f"  {'curl GET | curl PUT':24} {raw_s:8.2f} {mib/raw_s:8.1f} {raw_rss/1024:13.1f}")
print(f"  {'swrctl copy':24} {our_s:8.2f} {mib/our_s:8.1f} {our_rss/1024:13.1f}")
print(f"  {'swrctl copy --verify':24} {ver_s:8.2f} {mib/ver_s:8.1f} {ver_rss/1024:13.1f}")
print(f"  {'Go binding io.Copy':24} {go_s:8.2f} {mib/go_s:8.1f} {go_rss/1024:13.1f}")
print(f"  throughput swrctl / raw pipe: {raw_s/our_s*100:.0f}%   (target >= 90%)")
print(f"  peak RSS of swrctl: {our_rss/1024:.1f} MiB   (target < 64 MiB)")
print(f"  throughput Go binding / swrctl: {our_s/go_s*100:.0f}%   (target >= 90%)")
print(f"  peak RSS of the Go process: {go_rss/1024:.1f} MiB   (target < 64 MiB)")
PY
