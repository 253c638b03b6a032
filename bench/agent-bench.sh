#!/usr/bin/env bash
# The agent's HTTP benchmark (issue 5): `hostdev agent` on the synthetic host of 10,000 devices,
# measured from a loopback client. Prints Markdown tables (docs/benchmarks.md shows how to read them).
#
#   bench/agent-bench.sh [--devices N] [--duration S] [--warmup S] [--connections C] [--threads T]
#                        [--scrapes N] [--idle S] [--settle S] [--jvm LIST] [--out FILE] [--host DIR]
#
# --jvm: comma-separated JVM variants, by default agent,c1: agent is the launcher's flags for the
# agent (-XX:+UseSerialGC -Xms16m -Xmx256m -Djdk.nio.maxCachedBufferSize=262144, both compilers),
# c1 adds -XX:TieredStopAtLevel=1 (the C1 compiler only, as the launcher runs short CLI commands).
# --host DIR keeps the synthetic host there and reuses it on the next run with the same --devices
# (writing it takes a minute or two).
#
# Without --classpath the script re-runs itself through Maven (-Pbench), which builds the bench
# module and passes the classpath that SyntheticHost needs. Per JVM variant it starts one agent with
# long probe intervals (so a 10,000-device scan does not land inside a measurement) and measures:
#   1. wrk against /healthz (the server's floor), the cap='net' listing and one device: a warm-up
#      run thrown away, then a measured run; p50, p99, requests/s, response size;
#   2. 200 sequential /metrics scrapes of the agent interleaved with 200 of node_exporter scraping
#      this machine (one curl process, a keep-alive connection to each, as Prometheus keeps one):
#      median, p99, body, series;
#   3. RSS after that load, and CPU over a minute with no requests.
# Then, per variant, an agent with the default intervals (as users start it: the sysfs probe scans
# every 10 s), left to settle for --settle seconds (30) after its first scan: RSS and CPU over a
# minute with no requests, and the probe's runs in that minute.
# Every process started here is stopped on exit, failure included. Ports: 19742 and up (one per
# agent) and 19100.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

devices=10000
duration=20
warmup=10
connections=16
threads=2
scrapes=200
idle=60
settle=30
jvm=agent,c1
out=
host=
classpath=
while [ $# -gt 0 ]; do
  case "$1" in
    --devices) devices="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --scrapes) scrapes="$2"; shift 2 ;;
    --idle) idle="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    --jvm) jvm="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --host) host="$2"; shift 2 ;;
    --classpath) classpath="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "agent-bench: unknown argument '$1' (--help lists them)" >&2; exit 2 ;;
  esac
done
IFS=, read -r -a variants <<<"$jvm"
for v in "${variants[@]}"; do
  case "$v" in agent|c1) ;; *) echo "agent-bench: --jvm takes agent and c1, not '$v'" >&2; exit 2 ;; esac
done

case "$out" in ''|/*) ;; *) out="$PWD/$out" ;; esac
case "$host" in ''|/*) ;; *) host="$PWD/$host" ;; esac

if [ -z "$classpath" ]; then
  # the exec plugin runs this script again with the bench classpath (bench/pom.xml, agent-benchmark)
  exec mvn -B -q -Dstyle.color=never -f "$repo/pom.xml" -Pbench -pl bench -am verify -DskipTests \
    -Dbench.probe.skip=true -Dbench.selector.skip=true -Dbench.diff.skip=true \
    -Dbench.agent.args="--devices $devices --duration $duration --warmup $warmup --connections $connections \
--threads $threads --scrapes $scrapes --idle $idle --settle $settle --jvm $jvm${out:+ --out $out}${host:+ --host $host}"
fi

for tool in wrk curl java; do
  command -v "$tool" >/dev/null || { echo "agent-bench: $tool is not installed (Debian package: $tool)" >&2; exit 1; }
done
node_exporter="$(command -v prometheus-node-exporter || command -v node_exporter || true)"

agent_port=19742
node_port=19100
for p in $(seq "$agent_port" $((agent_port + 2 * ${#variants[@]}))) "$node_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "agent-bench: port $p is in use; stop what listens there" >&2
    exit 1
  fi
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hostdev-agent-bench.XXXXXX")"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "agent-bench: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "agent-bench: $*" >&2; }

# ---- figures from /proc (a benchmark script may read it directly; the agent's code may not)

clk_tck="$(getconf CLK_TCK)"
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
threads_of() { awk '/^Threads:/ {print $2}' "/proc/$1/status"; }
# utime + stime in clock ticks; the fields after the command name, which may hold spaces
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }

# CPU of PID over SECONDS with no requests, as % of one core
idle_cpu() {
  local pid="$1" seconds="$2" before after
  before="$(cpu_ticks "$pid")"
  sleep "$seconds"
  after="$(cpu_ticks "$pid")"
  awk -v d="$((after - before))" -v hz="$clk_tck" -v s="$seconds" 'BEGIN {printf "%.2f", d / hz / s * 100}'
}

# ---- the agent

# start_agent NAME PORT JAVA_OPTS AGENT_ARGS...: starts ./hostdev agent and waits for /readyz; sets
# agent_pid and ready_after (seconds)
start_agent() {
  local name="$1" port="$2" opts="$3"
  shift 3
  local state="$tmp/state-$name"
  HOSTDEV_JAVA_OPTS="$opts" "$repo/hostdev" agent --root "$host" --state-dir "$state" \
    --listen "127.0.0.1:$port" "$@" >"$tmp/agent-$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  local start=$SECONDS
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "the agent '$name' exited; its log:"
      cat "$tmp/agent-$name.log" >&2
      exit 1
    fi
    if [ $((SECONDS - start)) -gt 600 ]; then
      log "the agent '$name' is not ready after 600 s"
      exit 1
    fi
    sleep 0.5
  done
  ready_after=$((SECONDS - start))
  agent_pid="$pid"
}

stop_agent() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() p
  for p in "${pids[@]}"; do
    [ "$p" = "$1" ] || kept+=("$p")
  done
  pids=("${kept[@]}")
}

# wrk's duration figure (1.23ms, 456.78us, 1.02s) in milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.0f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.0f", v * 1000 }
    else print v }'
}

# wrk_row LABEL URL: a warm-up run thrown away, then the measured run; appends a table row
wrk_row() {
  local label="$1" url="$2" size
  size="$(curl -s -o /dev/null -w '%{size_download}' "$url")"
  # wrk counts a reply slower than its timeout (2 s by default) as an error and leaves it out of
  # the latencies: a long timeout keeps slow replies in the percentiles
  wrk -t"$threads" -c"$connections" -d"${warmup}s" --timeout 60s "$url" >/dev/null
  wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 60s --latency "$url" >"$tmp/wrk.txt"
  local p50 p99 rps errors non2xx
  p50="$(awk '$1 == "50%" {print $2}' "$tmp/wrk.txt")"
  p99="$(awk '$1 == "99%" {print $2}' "$tmp/wrk.txt")"
  rps="$(awk '$1 == "Requests/sec:" {printf "%.0f", $2}' "$tmp/wrk.txt")"
  errors="$(awk '/Socket errors/ {print}' "$tmp/wrk.txt")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' "$tmp/wrk.txt")"
  [ -n "$errors" ] && log "$label: $errors"
  [ -n "$non2xx" ] && log "$label: $non2xx replies were not 2xx"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$(to_ms "$p50")" "$(to_ms "$p99")" "$rps" \
    "$(awk -v b="$size" 'BEGIN {printf(b >= 1048576 ? "%.1f MiB" : b >= 1024 ? "%.1f KiB" : "%d B", \
      b >= 1048576 ? b / 1048576 : b >= 1024 ? b / 1024 : b)}')" "${non2xx:-0}" >>"$tmp/wrk-table.md"
}

# scrape_rows LABEL URL: SCRAPES scrapes of the agent and of node_exporter, interleaved, one
# keep-alive connection per target; appends a row for each
scrape_rows() {
  local agent_label="$1" agent_url="$2"
  local curl_args=() i
  for ((i = 0; i < scrapes; i++)); do
    curl_args+=(-o /dev/null "$agent_url")
    [ -n "$node_exporter" ] && curl_args+=(-o /dev/null "http://127.0.0.1:$node_port/metrics")
  done
  # a warm-up round, then the measured one
  curl -s -o /dev/null "$agent_url" -o /dev/null "$agent_url" -o /dev/null "$agent_url" >/dev/null
  curl -s -w '%{url_effective} %{time_total} %{size_download}\n' "${curl_args[@]}" >"$tmp/scrapes.txt"
  local target url body series
  for target in agent node; do
    if [ "$target" = agent ]; then
      url="$agent_url"
    else
      [ -n "$node_exporter" ] || continue
      url="http://127.0.0.1:$node_port/metrics"
    fi
    curl -s "$url" >"$tmp/body.txt"
    body="$(wc -c <"$tmp/body.txt")"
    series="$(grep -cv '^#' "$tmp/body.txt" || true)"
    awk -v u="$url" '$1 == u {print $2 * 1000}' "$tmp/scrapes.txt" | sort -g >"$tmp/times.txt"
    awk -v label="$( [ "$target" = agent ] && echo "$agent_label" \
          || echo "node_exporter $("$node_exporter" --version 2>&1 | awk 'NR == 1 {print $3}'), this VM")" \
        -v body="$body" -v series="$series" '
      { t[NR] = $1 }
      END {
        n = NR
        med = n % 2 ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
        i99 = int(n * 0.99 + 0.999999); if (i99 < 1) i99 = 1
        printf "| %s | %d | %.1f | %.1f | %.1f KiB | %d |\n", label, n, med, t[i99], body / 1024, series
      }' "$tmp/times.txt" >>"$tmp/scrape-table.md"
  done
}

# ---- the run

log "building the agent if needed"
"$repo/hostdev" --version >/dev/null

if [ -n "$host" ] && [ -f "$host/.devices" ] && [ "$(cut -d' ' -f1 "$host/.devices")" = "$devices" ]; then
  written="$(cut -d' ' -f2 "$host/.devices")"
  log "using the synthetic host in $host ($written devices)"
elif [ -n "$host" ] && [ -e "$host" ] && [ -n "$(ls -A "$host")" ]; then
  echo "agent-bench: $host holds something else than a synthetic host of $devices devices; name an empty or new directory" >&2
  exit 1
else
  host="${host:-$tmp/host}"
  log "writing the synthetic host ($devices devices) to $host"
  gen_start=$SECONDS
  written="$(java -cp "$classpath" io.hostdev.bench.SyntheticHost "$host" "$devices")"
  echo "$devices $written" >"$host/.devices"
  log "$written devices written in $((SECONDS - gen_start)) s"
fi

if [ -n "$node_exporter" ]; then
  "$node_exporter" --web.listen-address="127.0.0.1:$node_port" >"$tmp/node_exporter.log" 2>&1 &
  node_pid=$!
  pids+=("$node_pid")
  until curl -sf -o /dev/null "http://127.0.0.1:$node_port/metrics"; do
    kill -0 "$node_pid" 2>/dev/null || { cat "$tmp/node_exporter.log" >&2; exit 1; }
    sleep 0.2
  done
else
  log "node_exporter is not installed (Debian: prometheus-node-exporter): no comparison row"
fi

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
: >"$tmp/wrk-table.md"
: >"$tmp/scrape-table.md"
: >"$tmp/process-table.md"
launcher_opts="-XX:+UseSerialGC -Xms16m -Xmx256m -Djdk.nio.maxCachedBufferSize=262144"

# jvm_variant V: the HOSTDEV_JAVA_OPTS of variant V (opts) and the flags the agent runs with (flags);
# the launcher's flags come first, and a later -XX flag wins over an earlier one
jvm_variant() {
  case "$1" in
    agent) opts= flags="$launcher_opts" ;;
    c1) opts="-XX:TieredStopAtLevel=1" flags="$launcher_opts -XX:TieredStopAtLevel=1" ;;
  esac
}

# the sysfs probe's runs and their total seconds, from the agent's own metrics
probe_stats() {
  curl -s "$1/metrics" | awk '
    /^hostdev_probe_duration_seconds_sum\{.*probe="sysfs"/ {s = $2}
    /^hostdev_probe_duration_seconds_count\{.*probe="sysfs"/ {c = $2}
    END {print c + 0, s + 0}'
}

# idle_row LABEL INTERVAL: IDLE seconds without requests to the agent at $base ($pid); appends a
# row with its RSS (read before the window), CPU and the probe runs inside the window. node_exporter,
# idle as well, is measured over the first window.
idle_row() {
  local label="$1" interval="$2" rss hwm cpu runs_before sum_before runs_after sum_after runs per_run node_before=
  rss="$(rss_kib "$pid")"
  hwm="$(hwm_kib "$pid")"
  sleep 2
  read -r runs_before sum_before < <(probe_stats "$base")
  if [ -n "$node_exporter" ] && [ -z "$node_cpu" ]; then
    node_before="$(cpu_ticks "$node_pid")"
  fi
  cpu="$(idle_cpu "$pid" "$idle")"
  if [ -n "$node_before" ]; then
    node_cpu="$(awk -v d="$(($(cpu_ticks "$node_pid") - node_before))" -v hz="$clk_tck" -v s="$idle" \
      'BEGIN {printf "%.2f", d / hz / s * 100}')"
    node_rss="$(rss_kib "$node_pid")"
  fi
  read -r runs_after sum_after < <(probe_stats "$base")
  runs=$((runs_after - runs_before))
  per_run="$(awk -v n="$runs" -v s="$sum_after" -v b="$sum_before" 'BEGIN {print (n > 0 ? sprintf("%.2f", (s - b) / n) : "-")}')"
  printf '| %s | %s | %s | %s | %s MiB | %s MiB | %s | %s%% | %s | %s |\n' "$label" "$flags" "$ready_after" "$interval" \
    "$(mib "$rss")" "$(mib "$hwm")" "$(threads_of "$pid")" "$cpu" "$runs" "$per_run" >>"$tmp/process-table.md"
}

node_cpu=
node_rss=
port="$agent_port"
for v in "${variants[@]}"; do
  jvm_variant "$v"
  log "variant $v: starting the agent (probe intervals 1h)"
  start_agent "$v" "$port" "$opts" --interval sysfs=1h --interval capabilities=1h
  base="http://127.0.0.1:$port"
  pid="$agent_pid"
  log "variant $v: ready after ${ready_after} s"
  list_url="$base/v1/devices?selector=cap%3D%27net%27"
  curl -s "$list_url" >"$tmp/list.json"
  net_count="$(grep -o '"total": *[0-9]*' "$tmp/list.json" | tail -n 1 | tr -dc 0-9)"
  # a device from the middle of the listing: a VF's netdev on this host
  device="$(grep -o '"name": *"net_[^"]*"' "$tmp/list.json" | cut -d'"' -f4 | awk '{n[NR] = $0} END {print n[int(NR / 2) + 1]}')"
  log "variant $v: wrk"
  wrk_row "\`/healthz\` ($v)" "$base/healthz"
  wrk_row "\`/v1/devices?selector=cap='net'\`, ${net_count:-?} devices ($v)" "$list_url"
  wrk_row "\`/v1/devices/$device\` ($v)" "$base/v1/devices/$device"
  log "variant $v: scrapes"
  scrape_rows "hostdev agent, $written devices ($v)" "$base/metrics"
  log "variant $v: idle CPU over $idle s"
  idle_row "$v, after the load" 1h
  stop_agent "$pid"
  port=$((port + 1))
done

log "scrapes with device facts for PCI functions only (about 40 series instead of 5,000)"
start_agent facts "$port" "" --interval sysfs=1h --interval capabilities=1h \
  --set "metrics.deviceFacts.selector=cap='pci'"
scrape_rows "hostdev agent, $written devices (agent flags), facts of \`cap='pci'\` only" "http://127.0.0.1:$port/metrics"
stop_agent "$agent_pid"
port=$((port + 1))

# as users start it: the default intervals (sysfs every 10 s), so the idle minute includes scans
for v in "${variants[@]}"; do
  jvm_variant "$v"
  log "variant $v, default intervals: idle CPU over $idle s"
  start_agent "$v-default" "$port" "$opts"
  base="http://127.0.0.1:$port"
  pid="$agent_pid"
  # the same requests once each, so the figures are for an agent that has served
  curl -s -o /dev/null "$base/v1/devices?selector=cap%3D%27net%27"
  curl -s -o /dev/null "$base/metrics"
  # a few scans first: the window should show the scan's steady cost, not its compilation
  sleep "$settle"
  idle_row "$v, default intervals" 10s
  stop_agent "$pid"
  port=$((port + 1))
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

{
  echo "## hostdev agent benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) memory;" \
    "$(java -version 2>&1 | awk 'NR == 2')." \
    "Load average before: $load_before, after: $load_after. The load client shares the CPUs with the agent."
  echo "Command: \`bench/agent-bench.sh --devices $devices --duration $duration --warmup $warmup --connections $connections --threads $threads --scrapes $scrapes --idle $idle --settle $settle --jvm $jvm\`."
  echo "Synthetic host: $written devices (\`SyntheticHost\`); wrk -t$threads -c$connections, ${warmup} s warm-up thrown away, ${duration} s measured."
  echo
  echo "| request | p50 ms | p99 ms | requests/s | response | non-2xx |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  cat "$tmp/wrk-table.md"
  echo
  echo "| /metrics, $scrapes sequential scrapes (keep-alive, uncompressed) | scrapes | median ms | p99 ms | body | series |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  cat "$tmp/scrape-table.md"
  echo
  echo "| agent | JVM flags | ready after s | sysfs interval | RSS | peak RSS | threads | CPU over ${idle} s idle (% of one core) | sysfs runs in it | s per run |"
  echo "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  cat "$tmp/process-table.md"
  if [ -n "$node_exporter" ]; then
    echo "| node_exporter | | | | $(mib "$node_rss") MiB | | | ${node_cpu}% | | |"
  fi
} | tee "$tmp/result.md"
[ -z "$out" ] || cp "$tmp/result.md" "$out"
