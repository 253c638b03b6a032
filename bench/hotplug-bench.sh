#!/usr/bin/env bash
# Hotplug latency through the agent (issue 6): starts `./hostdev agent` with its defaults (a state
# directory of its own, a free loopback port), then HotplugBenchmark adds and deletes a veth pair N
# times and reports, per kind, how long after `ip link add/del` returned the event reached an open
# watch stream. Root only (it creates links).
#
#   bench/hotplug-bench.sh [--cycles N] [--burst N]   (--burst: the agent's CPU for N change uevents)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cycles=50
burst=()
while [ $# -gt 0 ]; do
  case "$1" in
    --cycles) cycles="$2"; shift 2 ;;
    --burst) burst=(--burst "$2"); shift 2 ;;
    *) echo "hotplug-bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "hotplug-bench: needs root (it creates veth pairs)" >&2; exit 2; }

(cd "$repo" && mvn -B -q -Pbench -pl bench -am package -DskipTests) >&2
state="$(mktemp -d)"
port=19900
agent_pid=
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  rm -rf "$state"
}
trap cleanup EXIT INT TERM
"$repo/hostdev" agent --state-dir "$state" --listen "127.0.0.1:$port" >"$state/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
head -n 1 "$state/agent.log" >&2
# the agent's launcher execs java, so $agent_pid is the JVM's
java -cp "$repo/bench/target/classes:$repo/probes/target/classes" io.hostdev.bench.HotplugBenchmark \
  --url "http://127.0.0.1:$port" --cycles "$cycles" ${burst[@]+"${burst[@]}" --agent-pid "$agent_pid"}
