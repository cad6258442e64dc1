#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each, starting from the seed corpus in
# tests/fuzz/corpus/<target>/ (copied: the repository is not modified).
# Fails on the first crash, leak, timeout or sanitizer report.
#   tests/fuzz/run.sh FUZZ_BUILD_DIR SECONDS
set -euo pipefail
BUILD_DIR="$(cd "${1:?fuzz build dir}" && pwd)"
SECONDS_EACH="${2:-60}"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d /tmp/swr-fuzz-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$HERE/../sanitizers/ubsan.supp"
failed=0
for seeds in "$HERE"/corpus/*/; do
  name="$(basename "$seeds")"
  bin="$BUILD_DIR/tests/fuzz/fuzz_$name"
  [ -x "$bin" ] || { echo "fuzz: $bin is missing" >&2; exit 1; }
  mkdir -p "$WORK/$name"
  cp "$seeds"/* "$WORK/$name/"
  # -timeout: one input may take at most 10 s; -rss_limit_mb: 2 GiB.
  if "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$WORK/$name-" "$WORK/$name" >"$WORK/$name.log" 2>&1; then
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$name.log")"
    echo "fuzz $name: ok, ${runs:-?} inputs in ${SECONDS_EACH}s"
  else
    echo "fuzz $name: FAILED" >&2
    tail -40 "$WORK/$name.log" >&2
    for a in "$WORK/$name-"*; do [ -e "$a" ] && { echo "input that failed (base64):" >&2; base64 -w0 "$a" >&2; echo >&2; }; done
    failed=1
  fi
done
exit "$failed"
