#!/usr/bin/env bash
# Benchmark (not a test): Harbor's image transfer (v2.4.0, in-process, 10
# concurrent tasks like its jobservice) replicates the same workload from a
# local docker-registry into the SWR emulator, through Harbor's native
# docker-registry adapter and through ours, each into a fresh emulator; every
# image is then verified byte for byte. Two scenarios, each printed alone:
#   shared  REPOS repositories x 3 tags (default 10 x 3 = 30 images), each
#           image a LAYER-byte base layer every image shares plus a 1 MiB
#           layer of its own: what shared layers cost across tasks at once
#   big     one image of 4 x BIG/4 bytes: streaming speed and memory
# For each: wall time (median of RUNS rounds, alternating which adapter goes
# first), blob uploads and bytes uploaded as the emulator counted them, peak
# RSS (maximum), and ours / native with the goals.
#   tests/bench/harbor.sh [BUILD_DIR] [REPOS] [LAYER_BYTES] [BIG_BYTES] [RUNS]
#   SCENARIO=shared|big|both (default both)
set -euo pipefail
BUILD_DIR="$(cd "${1:-build}" && pwd)"
REPOS="${2:-10}"
SCENARIO="${SCENARIO:-both}"
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
SHARED_LIST=""
if [ "$SCENARIO" != big ]; then
  echo "source registry $SRC: $REPOS repositories x 3 tags sharing a $LAYER-byte base layer, 1 MiB each of their own..."
  SHARED_LIST="$("$IMAGEGEN" workload -registry "http://$SRC" -prefix bench/app -repos "$REPOS" -tags 3 -shared "$LAYER" \
    -own 1048576 | paste -sd, -)"
fi
BIG_LIST=""
if [ "$SCENARIO" != shared ]; then
  echo "source registry $SRC: one image of 4 x $((BIG / 4)) bytes..."
  "$IMAGEGEN" push -registry "http://$SRC" -repo bench/big -tag v1 -layers 4 -size "$((BIG / 4))" -seed 99 >/dev/null
  BIG_LIST="bench/big:v1"
fi

run() {
  local scenario="$1" adapter="$2" round="$3" list="$4"
  local name="$scenario-$adapter-$round"
  start_registry "backend-$name"
  "$EMULATOR" -listen 127.0.0.1:0 -addr-file "$WORK/emu-$name.addr" -ak "$AK" -sk "$(cat "$WORK/sk")" -project eu-de \
    -registry-backend "http://$(cat "$WORK/backend-$name/addr")" >"$WORK/emu-$name.log" 2>&1 &
  echo $! >>"$WORK/pids"
  for _ in $(seq 1 100); do [ -s "$WORK/emu-$name.addr" ] && break; sleep 0.1; done
  local emu
  emu="$(sed -n 1p "$WORK/emu-$name.addr")"
  echo "$scenario, round $round: replicating through the $adapter adapter..."
  local line
  line="$(PKG_CONFIG_PATH="$BUILD_DIR/pkgconfig" LOG_LEVEL=error "$BENCH" -adapter "$adapter" -src "http://$SRC" \
    -dst "$emu" -ak "$AK" -sk-file "$WORK/sk" -repos "$list" | tail -n 1)"
  # What reached the destination: completed blob uploads and their bytes.
  local counts
  counts="$(curl -s "$emu/_emulator/requests")"
  local faults
  faults="$(curl -s "$emu/_emulator/registry-fault")"
  python3 - "$scenario" "$line" "$counts" "$faults" >>"$WORK/results" <<'PY'
import json, sys
row = json.loads(sys.argv[2])
counts, faults = json.loads(sys.argv[3]), json.loads(sys.argv[4])
row["scenario"] = sys.argv[1]
row["uploads"] = sum(n for k, n in counts.items() if k.startswith("PUT ") and "/blobs/uploads/" in k)
row["upload_bytes"] = faults.get("upload_bytes", 0)
print(json.dumps(row))
PY
  for ref in ${list//,/ }; do
    "$IMAGEGEN" verify -src "http://$SRC/$ref" -dst "http://$(cat "$WORK/backend-$name/addr")/$ref" >/dev/null \
      || { echo "$ref differs after the $adapter run"; exit 1; }
  done
  rm -rf "$WORK/backend-$name/data"
}
for round in $(seq 1 "$RUNS"); do
  for scenario in shared big; do
    list="$SHARED_LIST"
    [ "$scenario" = big ] && list="$BIG_LIST"
    [ -n "$list" ] || continue
    if [ $((round % 2)) -eq 1 ]; then
      run "$scenario" native "$round" "$list"
      run "$scenario" otcswr "$round" "$list"
    else
      run "$scenario" otcswr "$round" "$list"
      run "$scenario" native "$round" "$list"
    fi
  done
done

python3 - "$WORK/results" "$REPOS" "$LAYER" "$BIG" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
repos, layer, big = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
titles = {
    "shared": (f"{repos * 3} images ({repos} repositories x 3 tags), each a {layer/1048576:.0f} MiB shared base layer "
               f"+ 1 MiB of its own", "time <= 60%, bytes <= 35%, RSS <= 100% of native"),
    "big": (f"one image of {big/1048576:.0f} MiB", "time <= 100%, RSS <= 100% of native"),
}
for scenario in ("shared", "big"):
    mine = [r for r in runs if r["scenario"] == scenario]
    if not mine:
        continue
    rows = {}
    for name in ("native", "otcswr"):
        rs = [r for r in mine if r["adapter"] == name]
        rows[name] = {"seconds": statistics.median(r["seconds"] for r in rs),
                      "max_rss_kib": max(r["max_rss_kib"] for r in rs),
                      "uploads": statistics.median(r["uploads"] for r in rs),
                      "bytes": statistics.median(r["upload_bytes"] for r in rs), "n": len(rs)}
    title, goals = titles[scenario]
    print(f"Harbor replication into the SWR emulator, 10 tasks at once, {rows['native']['n']} round(s): {title}")
    print(f"  {'':28} {'time s':>8} {'uploads':>8} {'MiB uploaded':>13} {'peak RSS MiB':>13}")
    for name, label in (("native", "Harbor's native adapter"), ("otcswr", "ours (opentelekomcloud-swr)")):
        r = rows[name]
        print(f"  {label:28} {r['seconds']:8.2f} {r['uploads']:8.0f} {r['bytes']/1048576:13.1f} "
              f"{r['max_rss_kib']/1024:13.1f}")
    n, o = rows["native"], rows["otcswr"]
    ratio = lambda a, b: f"{a / b * 100:.0f}%" if b else "n/a"
    print(f"  ours / native: time {ratio(o['seconds'], n['seconds'])}, bytes {ratio(o['bytes'], n['bytes'])}, "
          f"peak RSS {ratio(o['max_rss_kib'], n['max_rss_kib'])}   (goals: {goals})")
    print()
PY
