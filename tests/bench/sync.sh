#!/usr/bin/env bash
# Benchmark (not a test): bulk sync between two local docker-registry
# processes with skopeo sync (Debian), regsync and crane (pinned, from the Go
# module proxy) and swrctl sync, each with its defaults.
#   W2: REPOS repositories x 3 tags; every image = a shared 32 MiB layer + a
#       shared 8 MiB layer + 1 MiB of its own + config (real gzip streams of
#       random bytes); the destination is wiped before each run.
#   W3: the same sync again with nothing changed (the no-op run).
# A counting proxy in front of the destination counts blob uploads and the
# bytes it received; every image is verified byte for byte after each W2 run.
# RUNS runs per tool: median time (and range), max peak RSS, page faults.
#   [TOOLS="swrctl crane"] tests/bench/sync.sh [BUILD_DIR] [RUNS] [REPOS]
# TOOLS (default all four) must include swrctl: the ratios are to it.
set -euo pipefail
BUILD_DIR="$(cd "${1:-build}" && pwd)"
RUNS="${2:-3}"
REPOS="${3:-30}"
TOOLS="${TOOLS:-swrctl skopeo regsync crane}"
case " $TOOLS " in *" swrctl "*) ;; *) echo "TOOLS must include swrctl"; exit 2 ;; esac
REGSYNC_VERSION=v0.11.7
CRANE_VERSION=v0.22.1
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d /tmp/swr-bench-sync-XXXXXX)"
cleanup() {
  stop_all
  rm -rf "$WORK"
}
trap cleanup EXIT
source "$HERE/../../scripts/lib.sh"
IMAGEGEN="$BUILD_DIR/imagegen"
SWRCTL="$BUILD_DIR/adapter/swrctl"
command -v skopeo >/dev/null || { echo "skopeo is missing: apt-get install skopeo (make bench-sync installs it)"; exit 1; }

echo "building the counting proxy, regsync $REGSYNC_VERSION and crane $CRANE_VERSION..."
mkdir -p "$WORK/bin"
(cd "$HERE/countproxy" && go build -o "$WORK/bin/countproxy" .)
GOBIN="$WORK/bin" go install "github.com/regclient/regclient/cmd/regsync@$REGSYNC_VERSION" 2>/dev/null
GOBIN="$WORK/bin" go install "github.com/google/go-containerregistry/cmd/crane@$CRANE_VERSION" 2>/dev/null

start_registry src
SRC="$(cat "$WORK/src/addr")"
echo "source $SRC: $REPOS repositories x 3 tags (shared 32 MiB + 8 MiB layers, 1 MiB own, gzip)..."
"$IMAGEGEN" workload -registry "http://$SRC" -repos "$REPOS" -tags 3 >"$WORK/refs"

# time_run LABEL CMD...: appends "LABEL seconds maxrss_kib minor_faults" to
# $WORK/results (faults of the whole process tree: the tool and its bash).
time_run() {
  local label="$1"; shift
  /usr/bin/time -f '%e %M %R' -o "$WORK/time.txt" "$@" >"$WORK/tool.log" 2>&1 || {
    echo "$label failed:"; tail -20 "$WORK/tool.log"; exit 1; }
  echo "$label $(cat "$WORK/time.txt")" >>"$WORK/results"
}

# The destination: a fresh registry behind the counting proxy.
DST=""
fresh_destination() {
  local name="dst$1"
  start_registry "$name"
  "$WORK/bin/countproxy" -target "http://$(cat "$WORK/$name/addr")" -addr-file "$WORK/$name.proxy" 2>/dev/null &
  echo $! >>"$WORK/pids"
  for _ in $(seq 1 50); do [ -s "$WORK/$name.proxy" ] && break; sleep 0.1; done
  DST="$(cat "$WORK/$name.proxy")"
  DST_REGISTRY="$(cat "$WORK/$name/addr")"
}
stats() { curl -sf "http://$DST/_proxystats"; }
reset_stats() { curl -sf -X DELETE "http://$DST/_proxystats"; }

write_configs() {
  # swrctl: image-syncer's files.
  printf '%s:\n  insecure: true\n%s:\n  insecure: true\n' "$SRC" "$DST" >"$WORK/auth.yaml"
  : >"$WORK/images.yaml"
  for r in $(seq 0 $((REPOS - 1))); do echo "$SRC/bench/app$r: $DST/mirror/bench/app$r" >>"$WORK/images.yaml"; done
  # skopeo sync: a YAML source; the destination gets the last path component.
  { echo "$SRC:"; echo "  tls-verify: false"; echo "  images:"
    for r in $(seq 0 $((REPOS - 1))); do echo "    bench/app$r: [t0, t1, t2]"; done; } >"$WORK/skopeo.yaml"
  # regsync.
  { echo "version: 1"; echo "creds:"
    echo "  - registry: $SRC"; echo "    tls: disabled"
    echo "  - registry: $DST"; echo "    tls: disabled"
    echo "sync:"
    for r in $(seq 0 $((REPOS - 1))); do
      echo "  - source: $SRC/bench/app$r"; echo "    target: $DST/mirror/bench/app$r"; echo "    type: repository"
    done; } >"$WORK/regsync.yaml"
}

run_tool() {
  local tool="$1"
  case "$tool" in
    swrctl) "$SWRCTL" sync --quiet --auth "$WORK/auth.yaml" --images "$WORK/images.yaml" ;;
    skopeo) skopeo sync --src yaml --dest docker --dest-tls-verify=false "$WORK/skopeo.yaml" "$DST/mirror/bench" ;;
    regsync) "$WORK/bin/regsync" once -c "$WORK/regsync.yaml" ;;
    crane)
      for r in $(seq 0 $((REPOS - 1))); do
        "$WORK/bin/crane" copy --all-tags --insecure "$SRC/bench/app$r" "$DST/mirror/bench/app$r" || return 1
      done ;;
  esac
}
export -f run_tool
export SWRCTL WORK SRC REPOS

verify_all() {
  while read -r ref; do
    "$IMAGEGEN" verify -src "http://$SRC/$ref" -dst "http://$DST_REGISTRY/mirror/$ref" >/dev/null ||
      { echo "$1: $ref differs at the destination"; exit 1; }
  done <"$WORK/refs"
}

: >"$WORK/results"
: >"$WORK/counts"
n=0
for run in $(seq 1 "$RUNS"); do
  for tool in $TOOLS; do
    n=$((n + 1))
    fresh_destination "$n"
    write_configs
    echo "run $run: $tool (W2)..."
    DST="$DST" time_run "$tool-w2" bash -c "DST=$DST run_tool $tool"
    verify_all "$tool"
    echo "$tool-w2 $(stats)" >>"$WORK/counts"
    reset_stats
    echo "run $run: $tool (W3, nothing changed)..."
    DST="$DST" time_run "$tool-w3" bash -c "DST=$DST run_tool $tool"
    echo "$tool-w3 $(stats)" >>"$WORK/counts"
    rm -rf "$WORK/dst$n/data"  # the registry keeps running, idle
  done
done

python3 - "$WORK/results" "$WORK/counts" "$REPOS" <<'PY'
import json, statistics, sys
times = {}
for line in open(sys.argv[1]):
    label, secs, rss, faults = line.split()
    times.setdefault(label, []).append((float(secs), int(rss), int(faults)))
counts = {}
for line in open(sys.argv[2]):
    label, js = line.split(" ", 1)
    counts.setdefault(label, []).append(json.loads(js))
repos = int(sys.argv[3])
def agg(label):
    s = [t for t, _, _ in times[label]]
    return statistics.median(s), min(s), max(s), max(r for _, r, _ in times[label]) / 1024
def faults_per_image(label):
    return statistics.median(f for _, _, f in times[label]) / (repos * 3)
print(f"sync benchmark: {repos} repositories x 3 tags ({repos*3} images; shared 32 MiB + 8 MiB layers, 1 MiB own),"
      f" two local docker-registry, {len(times['swrctl-w2'])} run(s): median (range), max RSS,"
      f" minor page faults per image (W2, median)")
print(f"  {'tool':8} {'W2 s':>7} {'range':>13} {'x swrctl':>8} {'uploads':>8} {'MB recv':>8} {'RSS MiB':>8}"
      f" {'faults/img':>10} {'W3 s':>6} {'x swrctl':>8} {'W3 reqs':>8}")
base2 = agg("swrctl-w2")[0]
base3 = agg("swrctl-w3")[0]
for tool in [t for t in ("swrctl", "skopeo", "regsync", "crane") if t + "-w2" in times]:
    m2, lo2, hi2, rss2 = agg(tool + "-w2")
    m3, lo3, hi3, rss3 = agg(tool + "-w3")
    c2 = counts[tool + "-w2"][-1]
    c3 = counts[tool + "-w3"][-1]
    reqs3 = sum(c3["requests"].values())
    print(f"  {tool:8} {m2:7.2f} {lo2:6.2f}-{hi2:<6.2f} {m2/base2:8.2f} {c2['uploads']:8d} {c2['bytes_received']/1e6:8.1f}"
          f" {max(rss2, rss3):8.1f} {faults_per_image(tool + '-w2'):10.0f} {m3:6.2f} {m3/base3:8.2f} {reqs3:8d}")
PY
