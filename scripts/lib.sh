# Shared helpers for the demo and the benchmark: local registries on 127.0.0.1.
# The caller sets WORK (a temporary folder) and calls stop_all on exit.

# Every process started here is listed in $WORK/pids.
stop_all() {
  if [ -f "$WORK/pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$WORK/pids"
    while read -r pid; do wait "$pid" 2>/dev/null || true; done <"$WORK/pids"
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_registry NAME: starts Debian's docker-registry with its own config and
# storage under $WORK/NAME; writes host:port to $WORK/NAME/addr once it answers.
start_registry() {
  local name="$1" port
  port="$(free_port)"
  mkdir -p "$WORK/$name"
  cat >"$WORK/$name/config.yml" <<CFG
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/$name/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: local-only
CFG
  docker-registry serve "$WORK/$name/config.yml" >"$WORK/$name/log" 2>&1 &
  echo $! >>"$WORK/pids"
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && { echo "127.0.0.1:$port" >"$WORK/$name/addr"; return 0; }
    sleep 0.1
  done
  echo "docker-registry '$name' did not start:" >&2
  cat "$WORK/$name/log" >&2
  return 1
}
