#!/usr/bin/env bash
# Start or stop a local Docker engine for the docker backend and its tests.
#
#   bash scripts/docker-engine.sh start    # install docker.io + debootstrap if missing (root), start dockerd
#   bash scripts/docker-engine.sh stop     # stop the engine this script started (never another one)
#   bash scripts/docker-engine.sh status
#
# The engine touches nothing of the host's network: no iptables rules, no docker0 bridge, no IP
# forwarding (runs use --network none; llm-only reaches the proxy through a bound Unix socket).
# Storage: overlay2, or vfs where overlay2 cannot run (slower, more disk). Override the daemon's
# options with MLEBENCH_DOCKERD_ARGS (e.g. "" to get Docker's default bridge networking).
set -euo pipefail
STATE_DIR="${MLEBENCH_DOCKERD_STATE:-/run/mlebench-dockerd}"
PIDFILE="$STATE_DIR/dockerd.pid"
LOG="$STATE_DIR/dockerd.log"
WAIT_S="${MLEBENCH_DOCKERD_WAIT_S:-60}"
NET_ARGS="${MLEBENCH_DOCKERD_ARGS---iptables=false --ip-forward=false --ip-masq=false --bridge=none}"

engine_up() { timeout 10 docker info >/dev/null 2>&1; }
ours_alive() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

install_missing() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "docker-engine: please install ${missing[*]} (apt-get install ${missing[*]}) as root" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" \
    >/dev/null 2>&1 || { apt-get update -qq -o DPkg::Lock::Timeout=300 >/dev/null &&
    apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null; }
}

start_with() {  # start_with DRIVER: 0 once the engine answers, 1 if it died or never answered
  local driver="$1"
  # shellcheck disable=SC2086  # NET_ARGS is a list of options
  setsid dockerd --storage-driver "$driver" $NET_ARGS --pidfile "$STATE_DIR/dockerd.daemon.pid" \
    >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local i
  for ((i = 0; i < WAIT_S * 4; i++)); do
    engine_up && return 0
    ours_alive || return 1
    sleep 0.25
  done
  stop_ours
  return 1
}

stop_ours() {
  ours_alive || { rm -f "$PIDFILE"; return 0; }
  local pid i
  pid="$(cat "$PIDFILE")"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start)
    if engine_up; then echo "docker-engine: an engine is already running"; exit 0; fi
    if [ "$(id -u)" -ne 0 ]; then
      echo "docker-engine: no engine is running and starting dockerd needs root" >&2; exit 1
    fi
    install_missing
    mkdir -p "$STATE_DIR"
    : >"$LOG"
    t0=$(date +%s%N)
    for driver in overlay2 vfs; do
      if start_with "$driver"; then
        ms=$(( ($(date +%s%N) - t0) / 1000000 ))
        echo "docker-engine: dockerd started (storage driver $driver) in ${ms} ms; log $LOG"
        exit 0
      fi
      echo "docker-engine: dockerd with $driver did not start; see $LOG" >&2
    done
    exit 1
    ;;
  stop)
    if ours_alive; then stop_ours; echo "docker-engine: stopped"; else
      echo "docker-engine: no engine started by this script is running"; fi
    ;;
  status)
    if engine_up; then
      docker info --format 'docker-engine: running, server {{.ServerVersion}}, storage {{.Driver}}'
      ours_alive && echo "docker-engine: started by this script (pid $(cat "$PIDFILE"))"
    else echo "docker-engine: not running"; exit 1; fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
