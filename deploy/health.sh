#!/usr/bin/env bash
# Active health check: every replica's /_stcore/health directly, then nginx's /healthz.
#
#   deploy/health.sh [-d RUN_DIR] [-w WAIT_SECONDS] [--replicas-only]
#
# Exit 0 when all answer "ok" (within WAIT_SECONDS when given), 1 otherwise. Run it from cron or
# a monitor; nginx itself only checks passively (max_fails/fail_timeout in the upstream).
set -uo pipefail
run_dir="${LAB_RUN_DIR:-/tmp/ce-lab-deploy}"
wait_s=0
replicas_only=0
while [ $# -gt 0 ]; do
    case "$1" in
        -d) run_dir="$2"; shift 2 ;;
        -w) wait_s="$2"; shift 2 ;;
        --replicas-only) replicas_only=1; shift ;;
        *) sed -n '2,7p' "$0"; exit 2 ;;
    esac
done

probe() {  # probe URL -> 0 if the body is "ok"
    [ "$(curl -s --max-time 3 "$1" 2>/dev/null)" = "ok" ]
}
check_all() {
    local bad=0 f p
    for f in "$run_dir"/replica-*.port; do
        [ -e "$f" ] || { echo "no replicas in $run_dir"; return 1; }
        p="$(cat "$f")"
        if probe "http://127.0.0.1:$p/_stcore/health"; then echo "replica :$p ok"; else echo "replica :$p DOWN"; bad=1; fi
    done
    if [ "$replicas_only" -eq 0 ]; then
        p="$(cat "$run_dir/nginx.port" 2>/dev/null || echo 0)"
        if probe "http://127.0.0.1:$p/healthz"; then echo "nginx :$p ok"; else echo "nginx :$p DOWN"; bad=1; fi
    fi
    return "$bad"
}

deadline=$((SECONDS + wait_s))
while true; do
    out="$(check_all)" && { echo "$out"; exit 0; }
    [ "$SECONDS" -ge "$deadline" ] && { echo "$out"; exit 1; }
    sleep 0.5
done
