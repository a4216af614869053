#!/usr/bin/env bash
# Stop what deploy/start.sh started: nginx (by its pid file) and the replicas (by theirs).
#
#   deploy/stop.sh [-d RUN_DIR]
#
# Only processes named in RUN_DIR's pid files are signalled, and only if their command line
# still is the one we started (nginx, or streamlit on the recorded port).
set -uo pipefail
run_dir="${LAB_RUN_DIR:-/tmp/ce-lab-deploy}"
while getopts "d:h" opt; do
    case "$opt" in
        d) run_dir="$OPTARG" ;;
        *) sed -n '2,7p' "$0"; exit 2 ;;
    esac
done
[ -d "$run_dir" ] || { echo "nothing to stop: no $run_dir"; exit 0; }

cmdline() { tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null; }
stop_pid() {  # stop_pid PID EXPECTED_SUBSTRING LABEL
    local pid="$1" expect="$2" label="$3"
    if ! kill -0 "$pid" 2>/dev/null; then echo "$label: not running"; return; fi
    if [[ "$(cmdline "$pid")" != *"$expect"* ]]; then
        echo "$label: pid $pid is no longer ours ($(cmdline "$pid")); left alone"; return
    fi
    kill -TERM "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; echo "$label: pid $pid killed"; else echo "$label: pid $pid stopped"; fi
}

if [ -s "$run_dir/nginx.pid" ]; then
    stop_pid "$(cat "$run_dir/nginx.pid")" "nginx" "nginx"   # TERM = fast shutdown
    rm -f "$run_dir/nginx.pid"
fi
for f in "$run_dir"/replica-*.pid; do
    [ -e "$f" ] || continue
    i="${f##*/replica-}"; i="${i%.pid}"
    port="$(cat "$run_dir/replica-$i.port" 2>/dev/null || echo)"
    stop_pid "$(cat "$f")" "--server.port $port" "replica $i"
    rm -f "$f"
done
